package dev.featurex.samples;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;

/** The convolution and batch-norm helpers of torchvision's {@code resnet.py}, for JavaCPP. */
final class Layers {

  private Layers() {}

  /** 3x3 convolution with padding 1 and no bias ({@code conv3x3}). */
  static Conv2dImpl conv3x3(long inPlanes, long outPlanes, long stride) {
    return conv(inPlanes, outPlanes, 3, stride, 1);
  }

  /** 1x1 convolution with no bias ({@code conv1x1}). */
  static Conv2dImpl conv1x1(long inPlanes, long outPlanes, long stride) {
    return conv(inPlanes, outPlanes, 1, stride, 0);
  }

  /** A square convolution without bias. */
  static Conv2dImpl conv(long in, long out, long kernel, long stride, long padding) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    // put(long, long) would be put(index, value): pass an array.
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(padding, padding));
    options.bias().put(false);
    return new Conv2dImpl(options);
  }

  /** Batch norm with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, running stats). */
  static BatchNorm2dImpl batchNorm(long features) {
    return new BatchNorm2dImpl(new BatchNormOptions(features));
  }
}
