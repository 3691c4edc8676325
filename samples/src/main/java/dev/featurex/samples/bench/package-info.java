/**
 * JMH benchmarks and the memory harness of the zoo's ResNet-18: the generated extractors against
 * {@code model.forward} (issue 4) and against the run-time extractor (issue 5). Run them with
 * {@code samples/bench/run-jmh.sh}; the figures and how they were taken are in {@code
 * docs/benchmarks.md}.
 */
package dev.featurex.samples.bench;
