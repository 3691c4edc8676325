package dev.featurex.models;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * ResNet-50's block, torchvision's {@code Bottleneck} (V1.5: the stride on the 3x3 convolution):
 * 1x1, grouped 3x3, 1x1 convolutions and a shortcut. ResNeXt and Wide ResNet change its width.
 */
public class Bottleneck extends Module implements ResidualBlock {

  /** Output channels per {@code planes}. */
  public static final int EXPANSION = 4;

  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl bn1;
  private final Conv2dImpl conv2;
  private final BatchNorm2dImpl bn2;
  private final Conv2dImpl conv3;
  private final BatchNorm2dImpl bn3;
  private final ReLUImpl relu;
  private final SequentialImpl downsample;

  /**
   * A block from {@code inPlanes} to {@code planes * 4} channels, {@code groups} groups of {@code
   * baseWidth / 64 * planes} channels in the 3x3 convolution.
   *
   * @param downsample the shortcut's projection, or null for the identity
   */
  public Bottleneck(
      long inPlanes,
      long planes,
      long stride,
      SequentialImpl downsample,
      long groups,
      long baseWidth) {
    long width = (long) (planes * (baseWidth / 64.0)) * groups;
    conv1 = register_module("conv1", Layers.conv(inPlanes, width, 1, 1, 0, 1, false));
    bn1 = register_module("bn1", Layers.batchNorm(width));
    conv2 = register_module("conv2", Layers.conv(width, width, 3, stride, 1, groups, false));
    bn2 = register_module("bn2", Layers.batchNorm(width));
    conv3 = register_module("conv3", Layers.conv(width, planes * EXPANSION, 1, 1, 0, 1, false));
    bn3 = register_module("bn3", Layers.batchNorm(planes * EXPANSION));
    relu = register_module("relu", new ReLUImpl());
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
    out = relu.forward(out);

    out = conv3.forward(out);
    out = bn3.forward(out);

    if (downsample != null) {
      identity = downsample.forward(x);
    }
    out = out.add(identity);
    return relu.forward(out);
  }
}
