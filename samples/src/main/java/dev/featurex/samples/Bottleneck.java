package dev.featurex.samples;

import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * ResNet-50's block: 1x1, 3x3 (with the stride, as torchvision's V1.5), 1x1 convolutions and a
 * shortcut, as torchvision's {@code Bottleneck}.
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
   * A block from {@code inPlanes} to {@code planes * 4} channels; {@code downsample} may be null.
   */
  public Bottleneck(long inPlanes, long planes, long stride, SequentialImpl downsample) {
    long width = planes;
    conv1 = register_module("conv1", Layers.conv1x1(inPlanes, width, 1));
    bn1 = register_module("bn1", Layers.batchNorm(width));
    conv2 = register_module("conv2", Layers.conv3x3(width, width, stride));
    bn2 = register_module("bn2", Layers.batchNorm(width));
    conv3 = register_module("conv3", Layers.conv1x1(width, planes * EXPANSION, 1));
    bn3 = register_module("bn3", Layers.batchNorm(planes * EXPANSION));
    relu = register_module("relu", new ReLUImpl());
    this.downsample = downsample == null ? null : register_module("downsample", downsample);
  }

  @Override
  public Tensor forward(Tensor x) {
    Tensor identity = x;

    Tensor out = relu.forward(bn1.forward(conv1.forward(x)));
    out = relu.forward(bn2.forward(conv2.forward(out)));
    out = bn3.forward(conv3.forward(out));

    if (downsample != null) {
      identity = downsample.forward(x);
    }
    out = out.add(identity);
    return relu.forward(out);
  }
}
