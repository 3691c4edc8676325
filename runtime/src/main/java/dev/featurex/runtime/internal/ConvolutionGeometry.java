package dev.featurex.runtime.internal;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DetailConv2dOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A 2-d convolution's stride, padding, dilation and groups, read once from its options (they do not
 * change after construction), and the convolution computed with them on other weights: what a
 * folded pair ({@link FoldedConvolution}) and oneDNN's kernel ({@link OneDnnConvolutions}) need of
 * a module. Only for the zeros padding mode.
 *
 * @param stride the stride, two values
 * @param padding the numeric padding, two values; empty with named padding
 * @param paddingName {@code "same"} or {@code "valid"}, or null for numeric padding
 * @param dilation the dilation, two values
 * @param groups the groups
 */
record ConvolutionGeometry(
    long[] stride, long[] padding, String paddingName, long[] dilation, long groups) {

  /** The geometry of {@code convolution}, or null when its padding mode is not zeros. */
  static ConvolutionGeometry of(Conv2dImpl convolution) {
    if (!zeroPadding(convolution)) {
      return null;
    }
    DetailConv2dOptions options = convolution.options();
    long[] padding = new long[0];
    String paddingName = null;
    try {
      padding = pair(options.padding().get0());
    } catch (RuntimeException namedPadding) {
      paddingName = isValid(options) ? "valid" : "same";
    }
    return new ConvolutionGeometry(
        pair(options.stride()),
        padding,
        paddingName,
        pair(options.dilation()),
        options.groups().get());
  }

  /** Whether the padding is numeric, which oneDNN's kernel needs. */
  boolean numericPadding() {
    return paddingName == null;
  }

  /** libtorch's convolution of {@code input} with {@code weight} and {@code bias}. */
  Tensor conv2d(Tensor input, Tensor weight, TensorOptional bias) {
    return paddingName != null
        ? torch.conv2d(input, weight, bias, stride, paddingName, dilation, groups)
        : torch.conv2d(input, weight, bias, stride, padding, dilation, groups);
  }

  /** oneDNN's convolution of {@code input} with {@code weight} and {@code bias} (or none). */
  Tensor oneDnn(Tensor input, Tensor weight, Tensor bias) {
    return oneDnn(input, weight, bias.defined() ? new TensorOptional(bias) : new TensorOptional());
  }

  /**
   * oneDNN's convolution of {@code input} with {@code weight} and {@code bias}; numeric padding
   * only ({@link #numericPadding}).
   */
  Tensor oneDnn(Tensor input, Tensor weight, TensorOptional bias) {
    return torch.mkldnn_convolution(input, weight, bias, padding, stride, dilation, groups);
  }

  private static boolean zeroPadding(Conv2dImpl convolution) {
    try {
      convolution.options().padding_mode().get0();
      return true;
    } catch (RuntimeException otherMode) {
      return false;
    }
  }

  private static boolean isValid(DetailConv2dOptions options) {
    try {
      options.padding().get1();
      return true;
    } catch (RuntimeException same) {
      return false;
    }
  }

  private static long[] pair(LongPointer values) {
    return new long[] {values.get(0), values.get(1)};
  }
}
