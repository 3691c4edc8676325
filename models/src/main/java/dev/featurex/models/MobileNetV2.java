package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.Conv2dNormActivation;
import dev.featurex.models.ops.Norm;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's MobileNetV2 (Sandler et al., 2018). torchvision's {@code features} is an {@code
 * nn.Sequential} of a {@link Conv2dNormActivation} stem, the {@link InvertedResidual} blocks and a
 * last {@link Conv2dNormActivation}; here a {@code ModuleListImpl} of the same modules.
 */
@Traceable(factories = "mobilenet_v2")
public class MobileNetV2 extends Module {

  /** torchvision's default blocks: expansion t, channels c, repeats n, first stride s. */
  private static final int[][] INVERTED_RESIDUAL_SETTING = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  /**
   * The modules held only by native containers: JavaCPP frees a module whose Java object is
   * collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final Conv2dNormActivation stem;
  private final List<InvertedResidual> blocks = new ArrayList<>();
  private final Conv2dNormActivation lastConv;
  private final SequentialImpl classifier;

  /**
   * A MobileNetV2.
   *
   * @param numClasses the outputs of the classifier
   * @param widthMult the width multiplier of every layer
   * @param invertedResidualSetting rows of expansion, channels, repeats and first stride
   * @param roundNearest channels are rounded to multiples of this (1: no rounding)
   * @param dropout the dropout probability of the classifier
   * @throws IllegalArgumentException if a row of {@code invertedResidualSetting} is not 4 numbers
   */
  public MobileNetV2(
      long numClasses,
      double widthMult,
      int[][] invertedResidualSetting,
      long roundNearest,
      double dropout) {
    if (invertedResidualSetting.length == 0 || invertedResidualSetting[0].length != 4) {
      throw new IllegalArgumentException(
          "inverted_residual_setting should be non-empty and its rows 4 numbers (t, c, n, s)");
    }
    Norm norm = Norm.batchNorm2d();
    long inputChannel = Channels.makeDivisible(32 * widthMult, roundNearest);
    long lastChannel = Channels.makeDivisible(1280 * Math.max(1.0, widthMult), roundNearest);
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    stem = new Conv2dNormActivation(3, inputChannel, 3, 2, 1, norm, Activation.RELU6);
    features.push_back(stem);
    for (int[] row : invertedResidualSetting) {
      int t = row[0];
      long outputChannel = Channels.makeDivisible(row[1] * widthMult, roundNearest);
      for (int i = 0; i < row[2]; i++) {
        long stride = i == 0 ? row[3] : 1;
        InvertedResidual block = new InvertedResidual(inputChannel, outputChannel, stride, t, norm);
        features.push_back(block);
        blocks.add(block);
        inputChannel = outputChannel;
      }
    }
    lastConv = new Conv2dNormActivation(inputChannel, lastChannel, 1, 1, 1, norm, Activation.RELU6);
    features.push_back(lastConv);
    SequentialImpl head = new SequentialImpl();
    head.push_back(own(new DropoutImpl(dropout)));
    head.push_back(own(new LinearImpl(lastChannel, numClasses)));
    classifier = register_module("classifier", head);
  }

  /** MobileNetV2 with torchvision's defaults: width 1.0, 1000 classes. */
  public static MobileNetV2 mobilenet_v2() {
    return new MobileNetV2(1000, 1.0, INVERTED_RESIDUAL_SETTING, 8, 0.2);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stem.forward(x);
    for (InvertedResidual block : blocks) {
      x = block.forward(x);
    }
    x = lastConv.forward(x);
    x = torch.adaptive_avg_pool2d(x, 1, 1);
    x = torch.flatten(x, 1, -1);
    return classifier.forward(x);
  }

  /**
   * MobileNetV2's block, torchvision's {@code mobilenetv2.InvertedResidual}: a 1x1 expansion (when
   * {@code expandRatio != 1}), a depthwise 3x3 convolution, a linear 1x1 projection, and a shortcut
   * when the shapes allow. torchvision's {@code conv} is an {@code nn.Sequential} of these; here a
   * {@code ModuleListImpl}.
   */
  public static class InvertedResidual extends Module {

    private final List<Conv2dNormActivation> convNormActivations = new ArrayList<>();
    private final Conv2dImpl project;
    private final BatchNorm2dImpl projectNorm;
    private final boolean useResConnect;

    /**
     * A block from {@code inp} to {@code oup} channels, expanded {@code expandRatio} times inside.
     *
     * @throws IllegalArgumentException if {@code stride} is not 1 or 2
     */
    public InvertedResidual(long inp, long oup, long stride, int expandRatio, Norm norm) {
      if (stride != 1 && stride != 2) {
        throw new IllegalArgumentException("stride should be 1 or 2 instead of " + stride);
      }
      long hiddenDim = Math.round(inp * (double) expandRatio);
      this.useResConnect = stride == 1 && inp == oup;
      ModuleListImpl conv = register_module("conv", new ModuleListImpl());
      if (expandRatio != 1) {
        convNormActivations.add(
            new Conv2dNormActivation(inp, hiddenDim, 1, 1, 1, norm, Activation.RELU6));
      }
      convNormActivations.add(
          new Conv2dNormActivation(
              hiddenDim, hiddenDim, 3, stride, hiddenDim, norm, Activation.RELU6));
      for (Conv2dNormActivation layer : convNormActivations) {
        conv.push_back(layer);
      }
      project = Layers.conv(hiddenDim, oup, 1, 1, 0, 1, false);
      projectNorm = Layers.batchNorm(oup);
      conv.push_back(project);
      conv.push_back(projectNorm);
    }

    private Tensor conv(Tensor x) {
      for (Conv2dNormActivation layer : convNormActivations) {
        x = layer.forward(x);
      }
      return projectNorm.forward(project.forward(x));
    }

    /** The block's output, plus {@code x} when the shapes allow. */
    public Tensor forward(Tensor x) {
      if (useResConnect) {
        return x.add(conv(x));
      } else {
        return conv(x);
      }
    }
  }
}
