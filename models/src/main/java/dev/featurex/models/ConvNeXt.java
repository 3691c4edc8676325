package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Conv2dNormActivation;
import dev.featurex.models.ops.LayerNorm2d;
import dev.featurex.models.ops.Norm;
import dev.featurex.models.ops.Permute;
import dev.featurex.models.ops.StochasticDepth;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.FlattenImpl;
import org.bytedeco.pytorch.GELUImpl;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's ConvNeXt (Liu et al., 2022), tiny and small. torchvision's {@code features} is an
 * {@code nn.Sequential} of a stem, stages of {@link CNBlock}s and downsampling layers; here {@code
 * ModuleListImpl}s of the same modules.
 */
@Traceable(factories = {"convnext_tiny", "convnext_small"})
public class ConvNeXt extends Module {

  private final Conv2dNormActivation stem;
  private final List<List<CNBlock>> stages = new ArrayList<>();
  private final List<LayerNorm2d> downsampleNorms = new ArrayList<>();
  private final List<Conv2dImpl> downsampleConvs = new ArrayList<>();
  private final AdaptiveAvgPool2dImpl avgpool;
  private final LayerNorm2d classifierNorm;
  private final FlattenImpl flatten;
  private final LinearImpl head;
  private final List<Module> owned = new ArrayList<>();

  /**
   * A ConvNeXt of stages of {@code numLayers[i]} blocks of {@code channels[i]} channels, each but
   * the last followed by a downsampling to {@code channels[i + 1]}.
   *
   * @param stochasticDepthProb the stochastic depth of the last block (it grows linearly from 0)
   * @param layerScale the initial value of each block's layer scale
   */
  public ConvNeXt(
      long[] channels,
      int[] numLayers,
      double stochasticDepthProb,
      double layerScale,
      long numClasses) {
    Norm norm = Norm.layerNorm2d(1e-6);
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    stem = new Conv2dNormActivation(3, channels[0], 4, 4, 1, norm, null, 1, 0, true);
    features.push_back(stem);
    int totalStageBlocks = 0;
    for (int n : numLayers) {
      totalStageBlocks += n;
    }
    int stageBlockId = 0;
    for (int s = 0; s < channels.length; s++) {
      ModuleListImpl stageModules = own(new ModuleListImpl());
      List<CNBlock> stage = new ArrayList<>();
      for (int i = 0; i < numLayers[s]; i++) {
        double sdProb = stochasticDepthProb * stageBlockId / (totalStageBlocks - 1.0);
        CNBlock block = new CNBlock(channels[s], layerScale, sdProb);
        stageModules.push_back(block);
        stage.add(block);
        stageBlockId++;
      }
      features.push_back(stageModules);
      stages.add(stage);
      if (s + 1 < channels.length) {
        ModuleListImpl downsample = own(new ModuleListImpl());
        LayerNorm2d downsampleNorm = new LayerNorm2d(channels[s], 1e-6);
        Conv2dImpl downsampleConv = Layers.conv(channels[s], channels[s + 1], 2, 2, 0);
        downsample.push_back(downsampleNorm);
        downsample.push_back(own(downsampleConv));
        features.push_back(downsample);
        downsampleNorms.add(downsampleNorm);
        downsampleConvs.add(downsampleConv);
      }
    }
    long lastChannels = channels[channels.length - 1];
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    ModuleListImpl classifier = register_module("classifier", new ModuleListImpl());
    classifierNorm = new LayerNorm2d(lastChannels, 1e-6);
    flatten = own(new FlattenImpl());
    head = own(new LinearImpl(lastChannels, numClasses));
    classifier.push_back(classifierNorm);
    classifier.push_back(flatten);
    classifier.push_back(head);
  }

  /** ConvNeXt-Tiny. */
  public static ConvNeXt convnext_tiny() {
    return new ConvNeXt(new long[] {96, 192, 384, 768}, new int[] {3, 3, 9, 3}, 0.1, 1e-6, 1000);
  }

  /** ConvNeXt-Small. */
  public static ConvNeXt convnext_small() {
    return new ConvNeXt(new long[] {96, 192, 384, 768}, new int[] {3, 3, 27, 3}, 0.4, 1e-6, 1000);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stem.forward(x);
    for (int s = 0; s < stages.size(); s++) {
      for (CNBlock block : stages.get(s)) {
        x = block.forward(x);
      }
      if (s < downsampleConvs.size()) {
        x = downsampleConvs.get(s).forward(downsampleNorms.get(s).forward(x));
      }
    }
    x = avgpool.forward(x);
    x = classifierNorm.forward(x);
    x = flatten.forward(x);
    return head.forward(x);
  }

  /**
   * ConvNeXt's block, torchvision's {@code CNBlock}: depthwise 7x7 convolution, layer norm, an MLP
   * with GELU, scaled by a learned per-channel {@code layer_scale}, stochastic depth, and the
   * shortcut. torchvision's {@code block} is an {@code nn.Sequential}; here a {@code
   * ModuleListImpl} of the same modules.
   */
  public static class CNBlock extends Module {

    private final Conv2dImpl dwconv;
    private final Permute toChannelsLast;
    private final LayerNormImpl norm;
    private final LinearImpl pwconv1;
    private final GELUImpl act;
    private final LinearImpl pwconv2;
    private final Permute toChannelsFirst;
    private final Tensor layerScale;
    private final StochasticDepth stochasticDepth;

    /** A block of {@code dim} channels. */
    public CNBlock(long dim, double layerScale, double stochasticDepthProb) {
      ModuleListImpl block = register_module("block", new ModuleListImpl());
      dwconv = Layers.conv(dim, dim, 7, 1, 3, dim, true);
      toChannelsLast = new Permute(0, 2, 3, 1);
      LayerNormOptions normOptions = new LayerNormOptions(new LongVector(new long[] {dim}));
      normOptions.eps().put(1e-6);
      norm = new LayerNormImpl(normOptions);
      pwconv1 = new LinearImpl(dim, 4 * dim);
      act = new GELUImpl();
      pwconv2 = new LinearImpl(4 * dim, dim);
      toChannelsFirst = new Permute(0, 3, 1, 2);
      block.push_back(dwconv);
      block.push_back(toChannelsLast);
      block.push_back(norm);
      block.push_back(pwconv1);
      block.push_back(act);
      block.push_back(pwconv2);
      block.push_back(toChannelsFirst);
      this.layerScale =
          new Tensor(
              register_parameter(
                  "layer_scale",
                  torch.ones(dim, 1, 1).mul_(new org.bytedeco.pytorch.Scalar(layerScale))));
      stochasticDepth =
          register_module("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
    }

    private Tensor block(Tensor x) {
      x = dwconv.forward(x);
      x = toChannelsLast.forward(x);
      x = norm.forward(x);
      x = pwconv1.forward(x);
      x = act.forward(x);
      x = pwconv2.forward(x);
      return toChannelsFirst.forward(x);
    }

    /** {@code input} plus the scaled, randomly dropped block output. */
    public Tensor forward(Tensor input) {
      Tensor result = layerScale.mul(block(input));
      result = stochasticDepth.forward(result);
      result = result.add(input);
      return result;
    }
  }
}
