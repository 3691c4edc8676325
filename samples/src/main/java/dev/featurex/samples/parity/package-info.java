/**
 * The harness that checks the zoo's ResNets against torchvision and times both (issue 6): run with
 * {@code samples/parity/run.sh}, which exports torchvision's weights, node names, features and
 * timings with Debian's {@code python3-torchvision}. Not part of the build's tests: nothing in CI
 * needs Python.
 */
package dev.featurex.samples.parity;
