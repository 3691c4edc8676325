package dev.featurex.models;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * SqueezeNet's block, torchvision's {@code Fire}: a 1x1 squeeze, then 1x1 and 3x3 expansions
 * concatenated.
 */
public class Fire extends Module {

  private final Conv2dImpl squeeze;
  private final ReLUImpl squeezeActivation;
  private final Conv2dImpl expand1x1;
  private final ReLUImpl expand1x1Activation;
  private final Conv2dImpl expand3x3;
  private final ReLUImpl expand3x3Activation;

  /** A block from {@code inplanes} to {@code expand1x1Planes + expand3x3Planes} channels. */
  public Fire(long inplanes, long squeezePlanes, long expand1x1Planes, long expand3x3Planes) {
    squeeze = register_module("squeeze", Layers.conv(inplanes, squeezePlanes, 1, 1, 0));
    squeezeActivation = register_module("squeeze_activation", new ReLUImpl());
    expand1x1 = register_module("expand1x1", Layers.conv(squeezePlanes, expand1x1Planes, 1, 1, 0));
    expand1x1Activation = register_module("expand1x1_activation", new ReLUImpl());
    expand3x3 = register_module("expand3x3", Layers.conv(squeezePlanes, expand3x3Planes, 3, 1, 1));
    expand3x3Activation = register_module("expand3x3_activation", new ReLUImpl());
  }

  /** Squeeze, then both expansions side by side. */
  public Tensor forward(Tensor x) {
    x = squeezeActivation.forward(squeeze.forward(x));
    return torch.cat(
        new TensorVector(
            expand1x1Activation.forward(expand1x1.forward(x)),
            expand3x3Activation.forward(expand3x3.forward(x))),
        1);
  }
}
