package dev.featurex.models;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * GoogLeNet's and Inception-v3's convolution, torchvision's {@code BasicConv2d}: a convolution
 * without bias, batch norm (eps 0.001) and a functional ReLU.
 */
public class BasicConv2d extends Module {

  private final Conv2dImpl conv;
  private final BatchNorm2dImpl bn;

  /** A {@code kh x kw} convolution with padding {@code (ph, pw)}. */
  public BasicConv2d(long in, long out, long kh, long kw, long stride, long ph, long pw) {
    conv = register_module("conv", Layers.conv(in, out, kh, kw, stride, ph, pw));
    bn = register_module("bn", Layers.batchNorm(out, 0.001, 0.1));
  }

  /** A square {@code kernel} convolution. */
  public BasicConv2d(long in, long out, long kernel, long stride, long padding) {
    this(in, out, kernel, kernel, stride, padding, padding);
  }

  /** A 1x1 convolution. */
  public BasicConv2d(long in, long out) {
    this(in, out, 1, 1, 0);
  }

  /** Convolution, batch norm, ReLU. */
  public Tensor forward(Tensor x) {
    x = conv.forward(x);
    x = bn.forward(x);
    return torch.relu(x);
  }
}
