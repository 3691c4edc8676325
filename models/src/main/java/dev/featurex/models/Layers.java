package dev.featurex.models;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.AvgPool2dImpl;
import org.bytedeco.pytorch.AvgPool2dOptions;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongOptionalVector;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;

/** libtorch modules built with torchvision's arguments, for the zoo's families. */
final class Layers {

  private Layers() {}

  /** {@code nn.Conv2d(in, out, kernel, stride, padding, groups=groups, bias=bias)}, square. */
  static Conv2dImpl conv(
      long in, long out, long kernel, long stride, long padding, long groups, boolean bias) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    // put(long, long) would be put(index, value): pass an array.
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(padding, padding));
    options.groups().put(groups);
    options.bias().put(bias);
    return new Conv2dImpl(options);
  }

  /** {@code nn.Conv2d(in, out, kernel, stride, padding)}: with a bias, no groups. */
  static Conv2dImpl conv(long in, long out, long kernel, long stride, long padding) {
    return conv(in, out, kernel, stride, padding, 1, true);
  }

  /** {@code nn.Conv2d(in, out, (kh, kw), padding=(ph, pw), bias=False)}: Inception's. */
  static Conv2dImpl conv(long in, long out, long kh, long kw, long stride, long ph, long pw) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kh, kw));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(ph, pw));
    options.bias().put(false);
    return new Conv2dImpl(options);
  }

  /** {@code nn.BatchNorm2d(features)}: eps 1e-5, momentum 0.1. */
  static BatchNorm2dImpl batchNorm(long features) {
    return new BatchNorm2dImpl(new BatchNormOptions(features));
  }

  /** {@code nn.BatchNorm2d(features, eps=eps, momentum=momentum)}. */
  static BatchNorm2dImpl batchNorm(long features, double eps, double momentum) {
    BatchNormOptions options = new BatchNormOptions(features);
    options.eps().put(eps);
    options.momentum().put(momentum);
    return new BatchNorm2dImpl(options);
  }

  /** {@code nn.MaxPool2d(kernel, stride, padding, ceil_mode=ceil)}. */
  static MaxPool2dImpl maxPool(long kernel, long stride, long padding, boolean ceil) {
    MaxPool2dOptions options = new MaxPool2dOptions(new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new long[] {padding, padding});
    options.ceil_mode().put(ceil);
    return new MaxPool2dImpl(options);
  }

  /** {@code nn.AvgPool2d(kernel, stride)}. */
  static AvgPool2dImpl avgPool(long kernel, long stride) {
    AvgPool2dOptions options = new AvgPool2dOptions(new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride});
    return new AvgPool2dImpl(options);
  }

  /** {@code nn.AdaptiveAvgPool2d((h, w))}. */
  static AdaptiveAvgPool2dImpl adaptiveAvgPool(long h, long w) {
    // Two consecutive optionals: the constructor reads an ExpandingArray<2> through the pointer.
    return new AdaptiveAvgPool2dImpl(
        new LongOptionalVector(new LongOptional(h), new LongOptional(w)).get(0));
  }
}
