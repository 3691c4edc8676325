package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's DenseNet (Huang et al., 2016). torchvision's {@code features} is an {@code
 * nn.Sequential} of the stem ({@code conv0}, {@code norm0}, {@code relu0}, {@code pool0}), dense
 * blocks ({@code denseblock1}, ...) with transitions between them ({@code transition1}, ...), and
 * {@code norm5}; here a plain module with the same children, which this class walks.
 */
@Traceable(factories = {"densenet121", "densenet161", "densenet169", "densenet201"})
public class DenseNet extends Module {

  /**
   * The modules held only by native containers (the transitions' layers): JavaCPP frees a module
   * whose Java object is collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final Module features;
  private final Conv2dImpl conv0;
  private final BatchNorm2dImpl norm0;
  private final ReLUImpl relu0;
  private final MaxPool2dImpl pool0;
  private final List<DenseBlock> blocks = new ArrayList<>();
  private final List<SequentialImpl> transitions = new ArrayList<>();
  private final BatchNorm2dImpl norm5;
  private final LinearImpl classifier;

  /**
   * A DenseNet.
   *
   * @param growthRate the channels each layer adds ({@code k} in the paper)
   * @param blockConfig the layers of each dense block
   * @param numInitFeatures the channels of the first convolution
   * @param bnSize the bottleneck's channels per {@code growthRate}
   * @param dropRate the dropout after each layer in training
   * @param numClasses the outputs of {@code classifier}
   */
  public DenseNet(
      long growthRate,
      int[] blockConfig,
      long numInitFeatures,
      long bnSize,
      double dropRate,
      long numClasses) {
    // Held here: JavaCPP calls back into the Java object of a plain new Module() (train(), ...),
    // which the collector would otherwise take while libtorch still holds the module.
    features = register_module("features", new Module());
    conv0 = features.register_module("conv0", Layers.conv(3, numInitFeatures, 7, 2, 3, 1, false));
    norm0 = features.register_module("norm0", Layers.batchNorm(numInitFeatures));
    relu0 = features.register_module("relu0", new ReLUImpl());
    pool0 = features.register_module("pool0", Layers.maxPool(3, 2, 1, false));
    long numFeatures = numInitFeatures;
    for (int i = 0; i < blockConfig.length; i++) {
      DenseBlock block = new DenseBlock(blockConfig[i], numFeatures, bnSize, growthRate, dropRate);
      blocks.add(features.register_module("denseblock" + (i + 1), block));
      numFeatures = numFeatures + blockConfig[i] * growthRate;
      if (i != blockConfig.length - 1) {
        SequentialImpl transition = transition(numFeatures, numFeatures / 2);
        transitions.add(features.register_module("transition" + (i + 1), transition));
        numFeatures = numFeatures / 2;
      }
    }
    norm5 = features.register_module("norm5", Layers.batchNorm(numFeatures));
    classifier = register_module("classifier", new LinearImpl(numFeatures, numClasses));
  }

  /** DenseNet-121: growth 32, blocks 6-12-24-16, 64 initial channels. */
  public static DenseNet densenet121() {
    return new DenseNet(32, new int[] {6, 12, 24, 16}, 64, 4, 0, 1000);
  }

  /** DenseNet-161: growth 48, blocks 6-12-36-24, 96 initial channels. */
  public static DenseNet densenet161() {
    return new DenseNet(48, new int[] {6, 12, 36, 24}, 96, 4, 0, 1000);
  }

  /** DenseNet-169: growth 32, blocks 6-12-32-32, 64 initial channels. */
  public static DenseNet densenet169() {
    return new DenseNet(32, new int[] {6, 12, 32, 32}, 64, 4, 0, 1000);
  }

  /** DenseNet-201: growth 32, blocks 6-12-48-32, 64 initial channels. */
  public static DenseNet densenet201() {
    return new DenseNet(32, new int[] {6, 12, 48, 32}, 64, 4, 0, 1000);
  }

  /** torchvision's {@code _Transition}: batch norm, ReLU, 1x1 convolution, 2x2 average pool. */
  private SequentialImpl transition(long numInputFeatures, long numOutputFeatures) {
    SequentialImpl transition = new SequentialImpl();
    transition.push_back("norm", own(Layers.batchNorm(numInputFeatures)));
    transition.push_back("relu", own(new ReLUImpl()));
    transition.push_back(
        "conv", own(Layers.conv(numInputFeatures, numOutputFeatures, 1, 1, 0, 1, false)));
    transition.push_back("pool", own(Layers.avgPool(2, 2)));
    return transition;
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    Tensor features = pool0.forward(relu0.forward(norm0.forward(conv0.forward(x))));
    for (int i = 0; i < blocks.size(); i++) {
      features = blocks.get(i).forward(features);
      if (i < transitions.size()) {
        features = transitions.get(i).forward(features);
      }
    }
    features = norm5.forward(features);
    Tensor out = torch.relu(features);
    out = torch.adaptive_avg_pool2d(out, 1, 1);
    out = torch.flatten(out, 1, -1);
    return classifier.forward(out);
  }
}
