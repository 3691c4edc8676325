package dev.featurex.models.ops;

import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's {@code convnext.LayerNorm2d}: layer norm over the channels of an {@code [N, C, H,
 * W]} tensor, with {@code nn.LayerNorm}'s parameters ({@code weight}, {@code bias}). Not a leaf:
 * torchvision's tracer goes through it ({@code permute}, the parameters, {@code layer_norm}, {@code
 * permute_1}). Here because {@link Norm#layerNorm2d} creates it for {@link Conv2dNormActivation}.
 */
public class LayerNorm2d extends Module {

  private final long[] normalizedShape;
  private final Tensor weight;
  private final Tensor bias;
  private final double eps;

  /**
   * A layer norm over {@code channels} channels. {@code register_parameter} returns a reference
   * into the module's parameter dict, which the next registration may move: the fields hold tensors
   * of their own (sharing the parameters' storage).
   */
  public LayerNorm2d(long channels, double eps) {
    this.normalizedShape = new long[] {channels};
    this.weight = new Tensor(register_parameter("weight", torch.ones(channels)));
    this.bias = new Tensor(register_parameter("bias", torch.zeros(channels)));
    this.eps = eps;
  }

  /** {@code x} normalised over its channels. */
  public Tensor forward(Tensor x) {
    x = x.permute(0, 2, 3, 1);
    x =
        torch.layer_norm(
            x, normalizedShape, new TensorOptional(weight), new TensorOptional(bias), eps, true);
    x = x.permute(0, 3, 1, 2);
    return x;
  }
}
