package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.Conv2dNormActivation;
import dev.featurex.models.ops.Norm;
import dev.featurex.models.ops.SqueezeExcitation;
import dev.featurex.models.ops.StochasticDepth;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's EfficientNet B0 to B7 (Tan and Le, 2019). torchvision's {@code features} is an
 * {@code nn.Sequential} of a {@link Conv2dNormActivation} stem, one {@code nn.Sequential} of {@link
 * MBConv} blocks per stage, and a last {@link Conv2dNormActivation}; here {@code ModuleListImpl}s
 * of the same modules.
 */
@Traceable(
    factories = {
      "efficientnet_b0",
      "efficientnet_b1",
      "efficientnet_b2",
      "efficientnet_b3",
      "efficientnet_b4",
      "efficientnet_b5",
      "efficientnet_b6",
      "efficientnet_b7"
    })
public class EfficientNet extends Module {

  /**
   * The modules held only by native containers: JavaCPP frees a module whose Java object is
   * collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final Conv2dNormActivation stem;
  private final List<List<MBConv>> stages = new ArrayList<>();
  private final Conv2dNormActivation lastConv;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final SequentialImpl classifier;

  /**
   * An EfficientNet of the given stages.
   *
   * @param dropout the dropout probability of the classifier
   * @param stochasticDepthProb the stochastic depth of the last block (it grows linearly from 0)
   * @param norm the normalisation after each convolution
   * @throws IllegalArgumentException if {@code invertedResidualSetting} is empty
   */
  public EfficientNet(
      List<MBConvConfig> invertedResidualSetting,
      double dropout,
      double stochasticDepthProb,
      long numClasses,
      Norm norm) {
    if (invertedResidualSetting.isEmpty()) {
      throw new IllegalArgumentException("The inverted_residual_setting should not be empty");
    }
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    long firstconvOutputChannels = invertedResidualSetting.get(0).inputChannels;
    stem = new Conv2dNormActivation(3, firstconvOutputChannels, 3, 2, 1, norm, Activation.SILU);
    features.push_back(stem);

    int totalStageBlocks = 0;
    for (MBConvConfig cnf : invertedResidualSetting) {
      totalStageBlocks += cnf.numLayers;
    }
    int stageBlockId = 0;
    for (MBConvConfig cnf : invertedResidualSetting) {
      ModuleListImpl stageModules = own(new ModuleListImpl());
      List<MBConv> stage = new ArrayList<>();
      for (int i = 0; i < cnf.numLayers; i++) {
        MBConvConfig blockCnf = stage.isEmpty() ? cnf : cnf.repeated();
        double sdProb = stochasticDepthProb * stageBlockId / totalStageBlocks;
        MBConv block = new MBConv(blockCnf, sdProb, norm);
        stageModules.push_back(block);
        stage.add(block);
        stageBlockId++;
      }
      features.push_back(stageModules);
      stages.add(stage);
    }

    long lastconvInputChannels =
        invertedResidualSetting.get(invertedResidualSetting.size() - 1).outChannels;
    long lastconvOutputChannels = 4 * lastconvInputChannels;
    lastConv =
        new Conv2dNormActivation(
            lastconvInputChannels, lastconvOutputChannels, 1, 1, 1, norm, Activation.SILU);
    features.push_back(lastConv);
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    SequentialImpl head = new SequentialImpl();
    head.push_back(own(new DropoutImpl(dropout)));
    head.push_back(own(new LinearImpl(lastconvOutputChannels, numClasses)));
    classifier = register_module("classifier", head);
  }

  /** EfficientNet-B0. */
  public static EfficientNet efficientnet_b0() {
    return new EfficientNet(config(1.0, 1.0), 0.2, 0.2, 1000, Norm.batchNorm2d());
  }

  /** EfficientNet-B1. */
  public static EfficientNet efficientnet_b1() {
    return new EfficientNet(config(1.0, 1.1), 0.2, 0.2, 1000, Norm.batchNorm2d());
  }

  /** EfficientNet-B2. */
  public static EfficientNet efficientnet_b2() {
    return new EfficientNet(config(1.1, 1.2), 0.3, 0.2, 1000, Norm.batchNorm2d());
  }

  /** EfficientNet-B3. */
  public static EfficientNet efficientnet_b3() {
    return new EfficientNet(config(1.2, 1.4), 0.3, 0.2, 1000, Norm.batchNorm2d());
  }

  /** EfficientNet-B4. */
  public static EfficientNet efficientnet_b4() {
    return new EfficientNet(config(1.4, 1.8), 0.4, 0.2, 1000, Norm.batchNorm2d());
  }

  /** EfficientNet-B5 (batch norm with eps 0.001 and momentum 0.01, as torchvision's). */
  public static EfficientNet efficientnet_b5() {
    return new EfficientNet(config(1.6, 2.2), 0.4, 0.2, 1000, Norm.batchNorm2d(0.001, 0.01));
  }

  /** EfficientNet-B6 (batch norm with eps 0.001 and momentum 0.01, as torchvision's). */
  public static EfficientNet efficientnet_b6() {
    return new EfficientNet(config(1.8, 2.6), 0.5, 0.2, 1000, Norm.batchNorm2d(0.001, 0.01));
  }

  /** EfficientNet-B7 (batch norm with eps 0.001 and momentum 0.01, as torchvision's). */
  public static EfficientNet efficientnet_b7() {
    return new EfficientNet(config(2.0, 3.1), 0.5, 0.2, 1000, Norm.batchNorm2d(0.001, 0.01));
  }

  /** EfficientNet-B0's stages, scaled in width and depth ({@code _efficientnet_conf}). */
  private static List<MBConvConfig> config(double widthMult, double depthMult) {
    List<MBConvConfig> s = new ArrayList<>();
    s.add(new MBConvConfig(1, 3, 1, 32, 16, 1, widthMult, depthMult));
    s.add(new MBConvConfig(6, 3, 2, 16, 24, 2, widthMult, depthMult));
    s.add(new MBConvConfig(6, 5, 2, 24, 40, 2, widthMult, depthMult));
    s.add(new MBConvConfig(6, 3, 2, 40, 80, 3, widthMult, depthMult));
    s.add(new MBConvConfig(6, 5, 1, 80, 112, 3, widthMult, depthMult));
    s.add(new MBConvConfig(6, 5, 2, 112, 192, 4, widthMult, depthMult));
    s.add(new MBConvConfig(6, 3, 1, 192, 320, 1, widthMult, depthMult));
    return s;
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stem.forward(x);
    for (List<MBConv> stage : stages) {
      for (MBConv block : stage) {
        x = block.forward(x);
      }
    }
    x = lastConv.forward(x);
    x = avgpool.forward(x);
    x = torch.flatten(x, 1, -1);
    return classifier.forward(x);
  }

  /**
   * One stage of EfficientNet, torchvision's {@code MBConvConfig}: channels scaled by the width
   * multiplier (rounded to multiples of 8), layers by the depth multiplier (rounded up).
   */
  public static final class MBConvConfig {
    final double expandRatio;
    final long kernel;
    final long stride;
    final long inputChannels;
    final long outChannels;
    final int numLayers;

    /** A stage's configuration before scaling by {@code widthMult} and {@code depthMult}. */
    public MBConvConfig(
        double expandRatio,
        long kernel,
        long stride,
        long inputChannels,
        long outChannels,
        int numLayers,
        double widthMult,
        double depthMult) {
      this(
          expandRatio,
          kernel,
          stride,
          adjustChannels(inputChannels, widthMult),
          adjustChannels(outChannels, widthMult),
          (int) Math.ceil(numLayers * depthMult));
    }

    private MBConvConfig(
        double expandRatio,
        long kernel,
        long stride,
        long inputChannels,
        long outChannels,
        int numLayers) {
      this.expandRatio = expandRatio;
      this.kernel = kernel;
      this.stride = stride;
      this.inputChannels = inputChannels;
      this.outChannels = outChannels;
      this.numLayers = numLayers;
    }

    /** The configuration of the stage's later blocks: from the output width, stride 1. */
    MBConvConfig repeated() {
      return new MBConvConfig(expandRatio, kernel, 1, outChannels, outChannels, numLayers);
    }

    /** {@code channels * widthMult}, rounded to a multiple of 8. */
    public static long adjustChannels(long channels, double widthMult) {
      return Channels.makeDivisible(channels * widthMult, 8);
    }
  }

  /**
   * EfficientNet's block, torchvision's {@code MBConv}: a 1x1 expansion (when the channels grow), a
   * depthwise convolution, squeeze-and-excitation, a linear 1x1 projection, and a shortcut with
   * stochastic depth when the shapes allow. torchvision's {@code block} is an {@code nn.Sequential}
   * of these; here a {@code ModuleListImpl}.
   */
  public static class MBConv extends Module {

    private final Conv2dNormActivation expand;
    private final Conv2dNormActivation depthwise;
    private final SqueezeExcitation se;
    private final Conv2dNormActivation project;
    private final StochasticDepth stochasticDepth;
    private final boolean useResConnect;

    /**
     * A block for {@code cnf}, dropped with probability {@code stochasticDepthProb} in training.
     *
     * @throws IllegalArgumentException if the stride is not 1 or 2
     */
    public MBConv(MBConvConfig cnf, double stochasticDepthProb, Norm norm) {
      if (cnf.stride < 1 || cnf.stride > 2) {
        throw new IllegalArgumentException("illegal stride value " + cnf.stride);
      }
      useResConnect = cnf.stride == 1 && cnf.inputChannels == cnf.outChannels;
      ModuleListImpl block = register_module("block", new ModuleListImpl());
      long expandedChannels = MBConvConfig.adjustChannels(cnf.inputChannels, cnf.expandRatio);
      if (expandedChannels != cnf.inputChannels) {
        expand =
            new Conv2dNormActivation(
                cnf.inputChannels, expandedChannels, 1, 1, 1, norm, Activation.SILU);
        block.push_back(expand);
      } else {
        expand = null;
      }
      depthwise =
          new Conv2dNormActivation(
              expandedChannels,
              expandedChannels,
              cnf.kernel,
              cnf.stride,
              expandedChannels,
              norm,
              Activation.SILU);
      block.push_back(depthwise);
      long squeezeChannels = Math.max(1, cnf.inputChannels / 4);
      se =
          new SqueezeExcitation(
              expandedChannels, squeezeChannels, Activation.SILU, Activation.SIGMOID);
      block.push_back(se);
      project = new Conv2dNormActivation(expandedChannels, cnf.outChannels, 1, 1, 1, norm, null);
      block.push_back(project);
      stochasticDepth =
          register_module("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
    }

    /** The block's output, plus {@code input} when the shapes allow. */
    public Tensor forward(Tensor input) {
      Tensor result = input;
      if (expand != null) {
        result = expand.forward(result);
      }
      result = depthwise.forward(result);
      result = se.forward(result);
      result = project.forward(result);
      if (useResConnect) {
        result = stochasticDepth.forward(result);
        result = result.add(input);
      }
      return result;
    }
  }
}
