/**
 * The run-time tracer for models made only of libtorch's built-in modules ({@code SequentialImpl}
 * trees), which no annotation processor ever sees: it reads the native module tree and builds the
 * graph torch.fx would record, with torchvision's names ({@code x}, {@code 0}, {@code 1}, {@code
 * 2.0}, ...). Named after torchvision's {@code LeafModuleAwareTracer} and {@code NodePathTracer}.
 */
package dev.featurex.runtime.trace;
