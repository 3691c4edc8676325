package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.Conv2dNormActivation;
import dev.featurex.models.ops.Hardswish;
import dev.featurex.models.ops.Norm;
import dev.featurex.models.ops.SqueezeExcitation;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's MobileNetV3 (Howard et al., 2019), small and large. torchvision's {@code features}
 * and {@code classifier} are {@code nn.Sequential}s holding modules written in Java here ({@link
 * InvertedResidual}, {@link Hardswish}); here {@code ModuleListImpl}s of the same modules.
 */
@Traceable(factories = {"mobilenet_v3_large", "mobilenet_v3_small"})
public class MobileNetV3 extends Module {

  private final Conv2dNormActivation stem;
  private final List<InvertedResidual> blocks = new ArrayList<>();
  private final Conv2dNormActivation lastConv;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final LinearImpl fc1;
  private final Hardswish hardswish;
  private final DropoutImpl dropout;
  private final LinearImpl fc2;

  /**
   * A MobileNetV3 of the given blocks.
   *
   * @param lastChannel the channels of the classifier's hidden layer
   * @param dropout the dropout probability of the classifier
   * @throws IllegalArgumentException if {@code invertedResidualSetting} is empty
   */
  public MobileNetV3(
      List<InvertedResidualConfig> invertedResidualSetting,
      long lastChannel,
      long numClasses,
      double dropout) {
    if (invertedResidualSetting.isEmpty()) {
      throw new IllegalArgumentException("The inverted_residual_setting should not be empty");
    }
    Norm norm = Norm.batchNorm2d(0.001, 0.01);
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    long firstconvOutputChannels = invertedResidualSetting.get(0).inputChannels;
    stem =
        new Conv2dNormActivation(3, firstconvOutputChannels, 3, 2, 1, norm, Activation.HARDSWISH);
    features.push_back(stem);
    for (InvertedResidualConfig cnf : invertedResidualSetting) {
      InvertedResidual block = new InvertedResidual(cnf, norm);
      features.push_back(block);
      blocks.add(block);
    }
    long lastconvInputChannels =
        invertedResidualSetting.get(invertedResidualSetting.size() - 1).outChannels;
    long lastconvOutputChannels = 6 * lastconvInputChannels;
    lastConv =
        new Conv2dNormActivation(
            lastconvInputChannels, lastconvOutputChannels, 1, 1, 1, norm, Activation.HARDSWISH);
    features.push_back(lastConv);
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    ModuleListImpl classifier = register_module("classifier", new ModuleListImpl());
    fc1 = new LinearImpl(lastconvOutputChannels, lastChannel);
    hardswish = new Hardswish();
    this.dropout = new DropoutImpl(dropout);
    fc2 = new LinearImpl(lastChannel, numClasses);
    classifier.push_back(fc1);
    classifier.push_back(hardswish);
    classifier.push_back(this.dropout);
    classifier.push_back(fc2);
  }

  /** MobileNetV3-Large. */
  public static MobileNetV3 mobilenet_v3_large() {
    double w = 1.0;
    List<InvertedResidualConfig> s = new ArrayList<>();
    s.add(new InvertedResidualConfig(16, 3, 16, 16, false, "RE", 1, 1, w));
    s.add(new InvertedResidualConfig(16, 3, 64, 24, false, "RE", 2, 1, w)); // C1
    s.add(new InvertedResidualConfig(24, 3, 72, 24, false, "RE", 1, 1, w));
    s.add(new InvertedResidualConfig(24, 5, 72, 40, true, "RE", 2, 1, w)); // C2
    s.add(new InvertedResidualConfig(40, 5, 120, 40, true, "RE", 1, 1, w));
    s.add(new InvertedResidualConfig(40, 5, 120, 40, true, "RE", 1, 1, w));
    s.add(new InvertedResidualConfig(40, 3, 240, 80, false, "HS", 2, 1, w)); // C3
    s.add(new InvertedResidualConfig(80, 3, 200, 80, false, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(80, 3, 184, 80, false, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(80, 3, 184, 80, false, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(80, 3, 480, 112, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(112, 3, 672, 112, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(112, 5, 672, 160, true, "HS", 2, 1, w)); // C4
    s.add(new InvertedResidualConfig(160, 5, 960, 160, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(160, 5, 960, 160, true, "HS", 1, 1, w));
    long lastChannel = InvertedResidualConfig.adjustChannels(1280, w); // C5
    return new MobileNetV3(s, lastChannel, 1000, 0.2);
  }

  /** MobileNetV3-Small. */
  public static MobileNetV3 mobilenet_v3_small() {
    double w = 1.0;
    List<InvertedResidualConfig> s = new ArrayList<>();
    s.add(new InvertedResidualConfig(16, 3, 16, 16, true, "RE", 2, 1, w)); // C1
    s.add(new InvertedResidualConfig(16, 3, 72, 24, false, "RE", 2, 1, w)); // C2
    s.add(new InvertedResidualConfig(24, 3, 88, 24, false, "RE", 1, 1, w));
    s.add(new InvertedResidualConfig(24, 5, 96, 40, true, "HS", 2, 1, w)); // C3
    s.add(new InvertedResidualConfig(40, 5, 240, 40, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(40, 5, 240, 40, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(40, 5, 120, 48, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(48, 5, 144, 48, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(48, 5, 288, 96, true, "HS", 2, 1, w)); // C4
    s.add(new InvertedResidualConfig(96, 5, 576, 96, true, "HS", 1, 1, w));
    s.add(new InvertedResidualConfig(96, 5, 576, 96, true, "HS", 1, 1, w));
    long lastChannel = InvertedResidualConfig.adjustChannels(1024, w); // C5
    return new MobileNetV3(s, lastChannel, 1000, 0.2);
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stem.forward(x);
    for (InvertedResidual block : blocks) {
      x = block.forward(x);
    }
    x = lastConv.forward(x);
    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    x = fc1.forward(x);
    x = hardswish.forward(x);
    x = dropout.forward(x);
    return fc2.forward(x);
  }

  /**
   * One row of MobileNetV3's architecture, torchvision's {@code InvertedResidualConfig}: channels
   * scaled by the width multiplier and rounded to multiples of 8.
   */
  public static final class InvertedResidualConfig {
    final long inputChannels;
    final long kernel;
    final long expandedChannels;
    final long outChannels;
    final boolean useSe;
    final boolean useHs;
    final long stride;
    final long dilation;

    /**
     * A block's configuration.
     *
     * @param activation {@code "HS"} for Hardswish, {@code "RE"} for ReLU
     */
    public InvertedResidualConfig(
        long inputChannels,
        long kernel,
        long expandedChannels,
        long outChannels,
        boolean useSe,
        String activation,
        long stride,
        long dilation,
        double widthMult) {
      this.inputChannels = adjustChannels(inputChannels, widthMult);
      this.kernel = kernel;
      this.expandedChannels = adjustChannels(expandedChannels, widthMult);
      this.outChannels = adjustChannels(outChannels, widthMult);
      this.useSe = useSe;
      this.useHs = activation.equals("HS");
      this.stride = stride;
      this.dilation = dilation;
    }

    /** {@code channels * widthMult}, rounded to a multiple of 8. */
    public static long adjustChannels(long channels, double widthMult) {
      return Channels.makeDivisible(channels * widthMult, 8);
    }
  }

  /**
   * MobileNetV3's block, torchvision's {@code mobilenetv3.InvertedResidual}: a 1x1 expansion (when
   * the channels grow), a depthwise convolution, squeeze-and-excitation (with a hard sigmoid) when
   * configured, a linear 1x1 projection, and a shortcut when the shapes allow. torchvision's {@code
   * block} is an {@code nn.Sequential} of these; here a {@code ModuleListImpl}.
   */
  public static class InvertedResidual extends Module {

    private final Conv2dNormActivation expand;
    private final Conv2dNormActivation depthwise;
    private final SqueezeExcitation se;
    private final Conv2dNormActivation project;
    private final boolean useResConnect;

    /**
     * A block for {@code cnf}, normalised by {@code norm}.
     *
     * @throws IllegalArgumentException if the stride is not 1 or 2
     */
    public InvertedResidual(InvertedResidualConfig cnf, Norm norm) {
      if (cnf.stride < 1 || cnf.stride > 2) {
        throw new IllegalArgumentException("illegal stride value " + cnf.stride);
      }
      useResConnect = cnf.stride == 1 && cnf.inputChannels == cnf.outChannels;
      Activation activation = cnf.useHs ? Activation.HARDSWISH : Activation.RELU;
      ModuleListImpl block = register_module("block", new ModuleListImpl());
      if (cnf.expandedChannels != cnf.inputChannels) {
        expand =
            new Conv2dNormActivation(
                cnf.inputChannels, cnf.expandedChannels, 1, 1, 1, norm, activation);
        block.push_back(expand);
      } else {
        expand = null;
      }
      long stride = cnf.dilation > 1 ? 1 : cnf.stride;
      depthwise =
          new Conv2dNormActivation(
              cnf.expandedChannels,
              cnf.expandedChannels,
              cnf.kernel,
              stride,
              cnf.expandedChannels,
              norm,
              activation,
              cnf.dilation);
      block.push_back(depthwise);
      if (cnf.useSe) {
        long squeezeChannels = Channels.makeDivisible(cnf.expandedChannels / 4, 8);
        se =
            new SqueezeExcitation(
                cnf.expandedChannels, squeezeChannels, Activation.RELU, Activation.HARDSIGMOID);
        block.push_back(se);
      } else {
        se = null;
      }
      project =
          new Conv2dNormActivation(cnf.expandedChannels, cnf.outChannels, 1, 1, 1, norm, null);
      block.push_back(project);
    }

    /** The block's output, plus {@code input} when the shapes allow. */
    public Tensor forward(Tensor input) {
      Tensor result = input;
      if (expand != null) {
        result = expand.forward(result);
      }
      result = depthwise.forward(result);
      if (se != null) {
        result = se.forward(result);
      }
      result = project.forward(result);
      if (useResConnect) {
        result = result.add(input);
      }
      return result;
    }
  }
}
