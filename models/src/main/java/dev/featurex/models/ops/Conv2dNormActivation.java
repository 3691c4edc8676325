package dev.featurex.models.ops;

import dev.featurex.annotations.LeafModule;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's {@code ops.Conv2dNormActivation}: a convolution ({@code "0"}), a normalisation
 * ({@code "1"}, optional) and an activation ({@code "2"}, optional), named as the {@code
 * nn.Sequential} it is in torchvision, so the state dict keys match ({@code features.0.0.weight}).
 *
 * <p>A leaf, as in torchvision's feature extraction: one node per call.
 */
@LeafModule
public class Conv2dNormActivation extends Module {

  private final Conv2dImpl conv;
  private final Norm normLayer;
  private final Module norm;
  private final Activation activationLayer;
  private final Module activation;
  private final long outChannels;

  /**
   * A convolution with torchvision's padding ({@code (kernel - 1) / 2 * dilation}), followed by
   * {@code norm} and {@code activation}.
   *
   * @param norm the normalisation, or null for none (the convolution then has a bias)
   * @param activation the activation, or null for none
   */
  public Conv2dNormActivation(
      long in,
      long out,
      long kernel,
      long stride,
      long groups,
      Norm norm,
      Activation activation,
      long dilation) {
    this(
        in,
        out,
        kernel,
        stride,
        groups,
        norm,
        activation,
        dilation,
        (kernel - 1) / 2 * dilation,
        norm == null);
  }

  /**
   * Every argument of torchvision's: an explicit {@code padding} and {@code bias} (torchvision's
   * defaults: {@code (kernel - 1) / 2 * dilation}, and a bias only without norm).
   *
   * @param norm the normalisation, or null for none
   * @param activation the activation, or null for none
   */
  public Conv2dNormActivation(
      long in,
      long out,
      long kernel,
      long stride,
      long groups,
      Norm norm,
      Activation activation,
      long dilation,
      long padding,
      boolean bias) {
    Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
    options.stride().put(new long[] {stride, stride});
    options.padding().put(new LongPointer(padding, padding));
    options.dilation().put(new long[] {dilation, dilation});
    options.groups().put(groups);
    options.bias().put(bias);
    this.conv = register_module("0", new Conv2dImpl(options));
    this.normLayer = norm;
    this.norm = norm == null ? null : register_module("1", norm.create(out));
    this.activationLayer = activation;
    this.activation =
        activation == null ? null : register_module(norm == null ? "1" : "2", activation.create());
    this.outChannels = out;
  }

  /** Without dilation: {@code Conv2dNormActivation(in, out, kernel, stride, groups, norm, act)}. */
  public Conv2dNormActivation(
      long in, long out, long kernel, long stride, long groups, Norm norm, Activation activation) {
    this(in, out, kernel, stride, groups, norm, activation, 1);
  }

  /** torchvision's defaults: batch norm and ReLU, no groups. */
  public Conv2dNormActivation(long in, long out, long kernel, long stride) {
    this(in, out, kernel, stride, 1, Norm.batchNorm2d(), Activation.RELU, 1);
  }

  /** The channels this block outputs ({@code out_channels}). */
  public long outChannels() {
    return outChannels;
  }

  /** Convolution, normalisation, activation. */
  public Tensor forward(Tensor x) {
    x = conv.forward(x);
    if (norm != null) {
      x = normLayer.apply(norm, x);
    }
    if (activation != null) {
      x = activationLayer.apply(activation, x);
    }
    return x;
  }
}
