package dev.featurex.samples;

import dev.featurex.annotations.ExtractFeatures;
import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongOptionalVector;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's ResNet (V1.5: the stride on the 3x3 convolution) for JavaCPP, with the same module
 * names, so the node names and state-dict keys line up with torchvision's.
 */
@Traceable(factories = {"resnet18", "resnet34", "resnet50"})
@ExtractFeatures(
    factory = "resnet18",
    value = {"layer1", "layer2", "layer3", "layer4", "avgpool:pooled", "fc:logits"})
// For the benchmarks and the torchvision harness (docs/benchmarks.md): the last node alone, the
// first stage alone, and the node set the harness asks torchvision's create_feature_extractor for.
@ExtractFeatures(factory = "resnet18", name = "Fc", value = "fc")
@ExtractFeatures(factory = "resnet18", name = "Layer1", value = "layer1")
@ExtractFeatures(
    factory = "resnet18",
    name = "Stages",
    value = {"layer1", "layer2", "layer3", "layer4", "fc"})
public class ResNet extends Module {

  private final Conv2dImpl conv1;
  private final BatchNorm2dImpl bn1;
  private final ReLUImpl relu;
  private final MaxPool2dImpl maxpool;
  private final ResidualBlock[][] layers = new ResidualBlock[4][];
  private final AdaptiveAvgPool2dImpl avgpool;
  private final LinearImpl fc;

  /**
   * Modules held only by a native container (the downsample's convolution and batch norm). JavaCPP
   * frees a module whose Java object is collected even when a container holds it, so the model
   * keeps them reachable.
   */
  private final List<Module> owned = new ArrayList<>();

  private final boolean bottleneck;
  private long inPlanes = 64;

  /**
   * A ResNet of {@code blocks[i]} blocks in stage {@code i + 1}.
   *
   * @param bottleneck {@link Bottleneck} blocks (ResNet-50 and deeper), else {@link BasicBlock}
   * @param blocks the number of blocks of {@code layer1} to {@code layer4}
   * @param numClasses the outputs of {@code fc}
   */
  public ResNet(boolean bottleneck, int[] blocks, long numClasses) {
    this.bottleneck = bottleneck;
    conv1 = register_module("conv1", Layers.conv(3, inPlanes, 7, 2, 3));
    bn1 = register_module("bn1", Layers.batchNorm(inPlanes));
    relu = register_module("relu", new ReLUImpl());
    MaxPool2dOptions pool = new MaxPool2dOptions(new LongPointer(3L, 3L));
    pool.stride().put(new long[] {2, 2});
    pool.padding().put(new long[] {1, 1});
    maxpool = register_module("maxpool", new MaxPool2dImpl(pool));

    long planes = 64;
    for (int i = 0; i < 4; i++) {
      layers[i] = makeLayer("layer" + (i + 1), planes, blocks[i], i == 0 ? 1 : 2);
      planes *= 2;
    }

    // Two consecutive optionals: the constructor reads an ExpandingArray<2> through the pointer.
    avgpool =
        register_module(
            "avgpool",
            new AdaptiveAvgPool2dImpl(
                new LongOptionalVector(new LongOptional(1), new LongOptional(1)).get(0)));
    fc = register_module("fc", new LinearImpl(512 * expansion(), numClasses));
  }

  /** ResNet-18: basic blocks, 2-2-2-2, 1000 classes. */
  public static ResNet resnet18() {
    return new ResNet(false, new int[] {2, 2, 2, 2}, 1000);
  }

  /** ResNet-34: basic blocks, 3-4-6-3, 1000 classes. */
  public static ResNet resnet34() {
    return new ResNet(false, new int[] {3, 4, 6, 3}, 1000);
  }

  /** ResNet-50: bottleneck blocks, 3-4-6-3, 1000 classes. */
  public static ResNet resnet50() {
    return new ResNet(true, new int[] {3, 4, 6, 3}, 1000);
  }

  private int expansion() {
    return bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
  }

  private ResidualBlock[] makeLayer(String name, long planes, int count, long stride) {
    ModuleListImpl list = register_module(name, new ModuleListImpl());
    SequentialImpl downsample = null;
    if (stride != 1 || inPlanes != planes * expansion()) {
      Conv2dImpl conv = Layers.conv1x1(inPlanes, planes * expansion(), stride);
      BatchNorm2dImpl norm = Layers.batchNorm(planes * expansion());
      owned.add(conv);
      owned.add(norm);
      downsample = new SequentialImpl();
      downsample.push_back(conv);
      downsample.push_back(norm);
    }
    ResidualBlock[] result = new ResidualBlock[count];
    for (int i = 0; i < count; i++) {
      Module block =
          bottleneck
              ? new Bottleneck(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null)
              : new BasicBlock(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null);
      list.push_back(block);
      result[i] = (ResidualBlock) block;
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

    for (ResidualBlock[] layer : layers) {
      for (ResidualBlock block : layer) {
        x = block.forward(x);
      }
    }

    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    return fc.forward(x);
  }
}
