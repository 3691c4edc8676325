package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's ResNet (He et al., 2015; V1.5, the stride on the 3x3 convolution), ResNeXt (Xie et
 * al., 2016) and Wide ResNet (Zagoruyko and Komodakis, 2016).
 */
@Traceable(
    factories = {
      "resnet18",
      "resnet34",
      "resnet50",
      "resnet101",
      "resnet152",
      "resnext50_32x4d",
      "wide_resnet50_2"
    })
public class ResNet extends Module {

  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl bn1;
  private final ReLUImpl relu;
  private final MaxPool2dImpl maxpool;
  private final List<List<ResidualBlock>> layers = new ArrayList<>();
  private final AdaptiveAvgPool2dImpl avgpool;
  private final LinearImpl fc;

  /**
   * The modules held only by native containers (the shortcuts' convolution and batch norm): JavaCPP
   * frees a module whose Java object is collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final boolean bottleneck;
  private final long groups;
  private final long baseWidth;
  private long inPlanes = 64;

  /**
   * A ResNet of {@code blocks[i]} blocks in stage {@code i + 1}.
   *
   * @param bottleneck {@link Bottleneck} blocks (ResNet-50 and deeper), else {@link BasicBlock}
   * @param blocks the number of blocks of {@code layer1} to {@code layer4}
   * @param numClasses the outputs of {@code fc}
   * @param groups the groups of the bottlenecks' 3x3 convolutions (ResNeXt)
   * @param widthPerGroup the bottlenecks' width per group for 64 planes (64; Wide ResNet: 128)
   * @throws IllegalArgumentException for basic blocks with groups or another width, as torchvision
   */
  public ResNet(
      boolean bottleneck, int[] blocks, long numClasses, long groups, long widthPerGroup) {
    if (!bottleneck && (groups != 1 || widthPerGroup != 64)) {
      throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64");
    }
    this.bottleneck = bottleneck;
    this.groups = groups;
    this.baseWidth = widthPerGroup;
    conv1 = register_module("conv1", Layers.conv(3, inPlanes, 7, 2, 3, 1, false));
    bn1 = register_module("bn1", Layers.batchNorm(inPlanes));
    relu = register_module("relu", new ReLUImpl());
    maxpool = register_module("maxpool", Layers.maxPool(3, 2, 1, false));
    long planes = 64;
    for (int i = 0; i < 4; i++) {
      layers.add(makeLayer("layer" + (i + 1), planes, blocks[i], i == 0 ? 1 : 2));
      planes *= 2;
    }
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    fc = register_module("fc", new LinearImpl(512 * expansion(), numClasses));
  }

  /** ResNet-18. */
  public static ResNet resnet18() {
    return new ResNet(false, new int[] {2, 2, 2, 2}, 1000, 1, 64);
  }

  /** ResNet-34. */
  public static ResNet resnet34() {
    return new ResNet(false, new int[] {3, 4, 6, 3}, 1000, 1, 64);
  }

  /** ResNet-50. */
  public static ResNet resnet50() {
    return new ResNet(true, new int[] {3, 4, 6, 3}, 1000, 1, 64);
  }

  /** ResNet-101. */
  public static ResNet resnet101() {
    return new ResNet(true, new int[] {3, 4, 23, 3}, 1000, 1, 64);
  }

  /** ResNet-152. */
  public static ResNet resnet152() {
    return new ResNet(true, new int[] {3, 8, 36, 3}, 1000, 1, 64);
  }

  /** ResNeXt-50 32x4d: 32 groups of 4 channels (per 64 planes) in the bottlenecks. */
  public static ResNet resnext50_32x4d() {
    return new ResNet(true, new int[] {3, 4, 6, 3}, 1000, 32, 4);
  }

  /** Wide ResNet-50-2: bottlenecks twice as wide. */
  public static ResNet wide_resnet50_2() {
    return new ResNet(true, new int[] {3, 4, 6, 3}, 1000, 1, 64 * 2);
  }

  private int expansion() {
    return bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
  }

  private List<ResidualBlock> makeLayer(String name, long planes, int count, long stride) {
    ModuleListImpl list = register_module(name, new ModuleListImpl());
    SequentialImpl downsample = null;
    if (stride != 1 || inPlanes != planes * expansion()) {
      Conv2dImpl conv = Layers.conv(inPlanes, planes * expansion(), 1, stride, 0, 1, false);
      BatchNorm2dImpl norm = Layers.batchNorm(planes * expansion());
      owned.add(conv);
      owned.add(norm);
      downsample = new SequentialImpl();
      downsample.push_back(conv);
      downsample.push_back(norm);
    }
    List<ResidualBlock> result = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long blockStride = i == 0 ? stride : 1;
      SequentialImpl shortcut = i == 0 ? downsample : null;
      Module block =
          bottleneck
              ? new Bottleneck(inPlanes, planes, blockStride, shortcut, groups, baseWidth)
              : new BasicBlock(inPlanes, planes, blockStride, shortcut);
      list.push_back(block);
      result.add((ResidualBlock) block);
      inPlanes = planes * expansion();
    }
    return result;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = conv1.forward(x);
    x = bn1.forward(x);
    x = relu.forward(x);
    x = maxpool.forward(x);

    for (List<ResidualBlock> layer : layers) {
      for (ResidualBlock block : layer) {
        x = block.forward(x);
      }
    }

    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    return fc.forward(x);
  }
}
