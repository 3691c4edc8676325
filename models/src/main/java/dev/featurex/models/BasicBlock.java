package dev.featurex.models;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/** ResNet-18/34's block, torchvision's {@code BasicBlock}: two 3x3 convolutions and a shortcut. */
public class BasicBlock extends Module implements ResidualBlock {

  /** Output channels per {@code planes}. */
  public static final int EXPANSION = 1;

  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl bn1;
  private final ReLUImpl relu;
  private final Conv2dImpl conv2;
  private final BatchNorm2dImpl bn2;
  private final SequentialImpl downsample;

  /**
   * A block from {@code inPlanes} to {@code planes} channels.
   *
   * @param downsample the shortcut's projection, or null for the identity
   */
  public BasicBlock(long inPlanes, long planes, long stride, SequentialImpl downsample) {
    conv1 = register_module("conv1", Layers.conv(inPlanes, planes, 3, stride, 1, 1, false));
    bn1 = register_module("bn1", Layers.batchNorm(planes));
    relu = register_module("relu", new ReLUImpl());
    conv2 = register_module("conv2", Layers.conv(planes, planes, 3, 1, 1, 1, false));
    bn2 = register_module("bn2", Layers.batchNorm(planes));
    this.downsample = downsample == null ? null : register_module("downsample", downsample);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor identity = x;

    Tensor out = conv1.forward(x);
    out = bn1.forward(out);
    out = relu.forward(out);

    out = conv2.forward(out);
    out = bn2.forward(out);

    if (downsample != null) {
      identity = downsample.forward(x);
    }
    out = out.add(identity);
    return relu.forward(out);
  }
}
