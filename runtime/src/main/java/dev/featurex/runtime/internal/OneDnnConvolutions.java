package dev.featurex.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The 2-d convolutions of an extractor, each run through oneDNN's kernel ({@code
 * mkldnn_convolution}) where that measures faster than the kernel libtorch picks ({@link
 * dev.featurex.runtime.Optimization#ONEDNN_CONVOLUTION}), per input shape ({@link Faster}: timed on
 * the shape's first call and for good on its 16th). libtorch 2.10 runs a 1x1, stride-1 convolution
 * of fewer than 16 images on one thread as a plain matrix product (its "native" kernel), which
 * measured slower than oneDNN's on the machines tried (docs/benchmarks.md).
 *
 * <p>Only a convolution of a contiguous 4-d float32 CPU tensor, with float32 weights, numeric
 * padding and the zeros padding mode, may take oneDNN's kernel; any other runs as the module runs
 * it, as do all of them while the option is off or where libtorch has no oneDNN. The weights are
 * read from the module at every call, so a change to them is seen at once. The two kernels sum in
 * different orders: the results agree up to float32 rounding, not bit for bit, unless libtorch
 * picked oneDNN itself (two threads or more, or 16 images or more).
 *
 * <p>Thread-safe: decisions are kept in concurrent maps; two threads meeting a new shape at once
 * may both time it.
 */
final class OneDnnConvolutions {

  private static final boolean AVAILABLE = hasOneDnn();

  private final Optimizations optimizations;
  private final Conv2dImpl[] convolutions;
  private final ConvolutionGeometry[] geometry;
  private final List<Map<List<Long>, Faster.Decision>> oneDnnFaster = new ArrayList<>();

  OneDnnConvolutions(Optimizations optimizations, Conv2dImpl[] convolutions) {
    this.optimizations = Objects.requireNonNull(optimizations, "optimizations");
    this.convolutions = convolutions.clone();
    this.geometry = new ConvolutionGeometry[convolutions.length];
    for (int i = 0; i < convolutions.length; i++) {
      Objects.requireNonNull(convolutions[i], "a convolution module");
      // Read only when the option is on: no start-up work for the extractors without it.
      geometry[i] =
          optimizations.oneDnnConvolution() ? ConvolutionGeometry.of(convolutions[i]) : null;
      oneDnnFaster.add(new ConcurrentHashMap<>());
    }
  }

  int size() {
    return convolutions.length;
  }

  /** The kernel decisions of convolution {@code index}, per input shape (true: oneDNN's). */
  Map<List<Long>, Faster.Decision> decisions(int index) {
    return oneDnnFaster.get(index);
  }

  /** Convolution {@code index} of {@code input}, by the faster kernel for its shape. */
  Tensor forward(int index, Tensor input) {
    Conv2dImpl module = convolutions[index];
    ConvolutionGeometry g = geometry[index];
    if (!optimizations.oneDnnConvolution() || g == null || !g.numericPadding()) {
      return module.forward(input);
    }
    Tensor weight = module.weight();
    Tensor bias = module.bias();
    return choose(
        oneDnnFaster.get(index),
        input,
        weight,
        () -> module.forward(input),
        () -> g.oneDnn(input, weight, bias));
  }

  /**
   * {@code standard} or {@code oneDnn}, whichever {@code decisions} say is faster for {@code
   * input}'s shape, timing both first when they do not know yet; {@code standard} alone where
   * {@code input} or {@code weight} may not take oneDNN's kernel.
   */
  static Tensor choose(
      Map<List<Long>, Faster.Decision> decisions,
      Tensor input,
      Tensor weight,
      Supplier<Tensor> standard,
      Supplier<Tensor> oneDnn) {
    if (!eligible(input, weight)) {
      return standard.get();
    }
    return Faster.ofShape(decisions, input, standard, oneDnn);
  }

  private static boolean eligible(Tensor input, Tensor weight) {
    return AVAILABLE
        && input.dim() == 4
        && input.is_cpu()
        && input.is_contiguous()
        && isFloat(input)
        && weight.defined()
        && weight.dim() == 4
        && weight.is_cpu()
        && isFloat(weight);
  }

  /** Float32; by value: the presets return a new {@code ScalarType} object, not the constant. */
  private static boolean isFloat(Tensor tensor) {
    return tensor.scalar_type().value == torch.ScalarType.Float.value;
  }

  private static boolean hasOneDnn() {
    try {
      return torch.hasMKLDNN();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
