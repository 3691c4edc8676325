package dev.featurex.models.ops;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The normalisation torchvision's models pass as {@code norm_layer}: {@code nn.BatchNorm2d} with
 * its {@code eps} and {@code momentum} ({@code partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)}
 * in MobileNetV3), or ConvNeXt's {@link LayerNorm2d}.
 */
public final class Norm {

  private final boolean layerNorm;
  private final double eps;
  private final double momentum;

  private Norm(boolean layerNorm, double eps, double momentum) {
    this.layerNorm = layerNorm;
    this.eps = eps;
    this.momentum = momentum;
  }

  /** {@code nn.BatchNorm2d} with PyTorch's defaults: eps 1e-5, momentum 0.1. */
  public static Norm batchNorm2d() {
    return new Norm(false, 1e-5, 0.1);
  }

  /** {@code nn.BatchNorm2d} with the given {@code eps} and {@code momentum}. */
  public static Norm batchNorm2d(double eps, double momentum) {
    return new Norm(false, eps, momentum);
  }

  /** ConvNeXt's {@link LayerNorm2d} with the given {@code eps}. */
  public static Norm layerNorm2d(double eps) {
    return new Norm(true, eps, 0);
  }

  /** A new normalisation module over {@code channels} channels. */
  public Module create(long channels) {
    if (layerNorm) {
      return new LayerNorm2d(channels, eps);
    }
    BatchNormOptions options = new BatchNormOptions(channels);
    options.eps().put(eps);
    options.momentum().put(momentum);
    return new BatchNorm2dImpl(options);
  }

  /** Runs {@code module}, which {@link #create} made, on {@code x}. */
  public Tensor apply(Module module, Tensor x) {
    return layerNorm ? ((LayerNorm2d) module).forward(x) : ((BatchNorm2dImpl) module).forward(x);
  }
}
