package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.Conv2dNormActivation;
import dev.featurex.models.ops.Norm;
import dev.featurex.models.ops.SqueezeExcitation;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's RegNet (Radosavovic et al., 2020), X (no squeeze-and-excitation) and Y. The stages'
 * widths and depths follow from the design space's parameters ({@link BlockParams}). torchvision's
 * {@code trunk_output} is an {@code nn.Sequential} naming its stages {@code block1}, {@code
 * block2}, ...; here a plain module holding the same children, which this class walks.
 */
@Traceable(
    factories = {
      "regnet_y_400mf",
      "regnet_y_800mf",
      "regnet_y_1_6gf",
      "regnet_y_3_2gf",
      "regnet_x_400mf",
      "regnet_x_800mf",
      "regnet_x_1_6gf",
      "regnet_x_3_2gf"
    })
public class RegNet extends Module {

  private final SimpleStemIN stem;
  private final Module trunkOutput;
  private final List<AnyStage> stages = new ArrayList<>();
  private final AdaptiveAvgPool2dImpl avgpool;
  private final LinearImpl fc;

  /**
   * A RegNet of the stages {@code blockParams} gives, after a stem of {@code stemWidth} channels.
   */
  public RegNet(BlockParams blockParams, long numClasses, long stemWidth) {
    Norm norm = Norm.batchNorm2d();
    stem = register_module("stem", new SimpleStemIN(3, stemWidth, norm, Activation.RELU));
    long currentWidth = stemWidth;
    // Held in a field: see DenseNet.features.
    trunkOutput = register_module("trunk_output", new Module());
    for (int i = 0; i < blockParams.widths.size(); i++) {
      long widthOut = blockParams.widths.get(i);
      AnyStage stage =
          new AnyStage(
              currentWidth,
              widthOut,
              blockParams.strides.get(i),
              blockParams.depths.get(i),
              norm,
              blockParams.groupWidths.get(i),
              blockParams.bottleneckMultipliers.get(i),
              blockParams.seRatio,
              i + 1);
      stages.add(trunkOutput.register_module("block" + (i + 1), stage));
      currentWidth = widthOut;
    }
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    fc = register_module("fc", new LinearImpl(currentWidth, numClasses));
  }

  /** RegNetY-400MF. */
  public static RegNet regnet_y_400mf() {
    return regnet(BlockParams.fromInitParams(16, 48, 27.89, 2.09, 8, 1.0, 0.25));
  }

  /** RegNetY-800MF. */
  public static RegNet regnet_y_800mf() {
    return regnet(BlockParams.fromInitParams(14, 56, 38.84, 2.4, 16, 1.0, 0.25));
  }

  /** RegNetY-1.6GF. */
  public static RegNet regnet_y_1_6gf() {
    return regnet(BlockParams.fromInitParams(27, 48, 20.71, 2.65, 24, 1.0, 0.25));
  }

  /** RegNetY-3.2GF. */
  public static RegNet regnet_y_3_2gf() {
    return regnet(BlockParams.fromInitParams(21, 80, 42.63, 2.66, 24, 1.0, 0.25));
  }

  /** RegNetX-400MF. */
  public static RegNet regnet_x_400mf() {
    return regnet(BlockParams.fromInitParams(22, 24, 24.48, 2.54, 16, 1.0, 0.0));
  }

  /** RegNetX-800MF. */
  public static RegNet regnet_x_800mf() {
    return regnet(BlockParams.fromInitParams(16, 56, 35.73, 2.28, 16, 1.0, 0.0));
  }

  /** RegNetX-1.6GF. */
  public static RegNet regnet_x_1_6gf() {
    return regnet(BlockParams.fromInitParams(18, 80, 34.01, 2.25, 24, 1.0, 0.0));
  }

  /** RegNetX-3.2GF. */
  public static RegNet regnet_x_3_2gf() {
    return regnet(BlockParams.fromInitParams(25, 88, 26.31, 2.25, 48, 1.0, 0.0));
  }

  private static RegNet regnet(BlockParams params) {
    return new RegNet(params, 1000, 32);
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stem.forward(x);
    for (AnyStage stage : stages) {
      x = stage.forward(x);
    }
    x = avgpool.forward(x);
    x = x.flatten(1, -1);
    return fc.forward(x);
  }

  /**
   * torchvision's {@code SimpleStemIN}: a 3x3 convolution with stride 2, batch norm and the
   * activation. A leaf because it is a {@link Conv2dNormActivation}, whose {@code @LeafModule} its
   * subclasses inherit, as torchvision's tracer makes every instance of {@code torchvision.ops}'
   * modules a leaf ({@code isinstance}).
   */
  public static class SimpleStemIN extends Conv2dNormActivation {

    /** A stem from {@code widthIn} to {@code widthOut} channels. */
    public SimpleStemIN(long widthIn, long widthOut, Norm norm, Activation activation) {
      super(widthIn, widthOut, 3, 2, 1, norm, activation);
    }
  }

  /**
   * torchvision's {@code BottleneckTransform}: 1x1 ({@code a}), grouped 3x3 ({@code b}),
   * squeeze-and-excitation ({@code se}, RegNetY only) and 1x1 ({@code c}).
   */
  public static class BottleneckTransform extends Module {

    private final Conv2dNormActivation a;
    private final Conv2dNormActivation b;
    private final SqueezeExcitation se;
    private final Conv2dNormActivation c;

    /**
     * A transform from {@code widthIn} to {@code widthOut} channels through a bottleneck of {@code
     * widthOut * bottleneckMultiplier}, in groups of {@code groupWidth}.
     *
     * @param seRatio the squeeze-and-excitation's width per input channel, or 0 for none
     */
    public BottleneckTransform(
        long widthIn,
        long widthOut,
        long stride,
        Norm norm,
        long groupWidth,
        double bottleneckMultiplier,
        double seRatio) {
      long wB = Math.round(widthOut * bottleneckMultiplier);
      long g = wB / groupWidth;
      a =
          register_module(
              "a", new Conv2dNormActivation(widthIn, wB, 1, 1, 1, norm, Activation.RELU));
      b =
          register_module(
              "b", new Conv2dNormActivation(wB, wB, 3, stride, g, norm, Activation.RELU));
      if (seRatio > 0) {
        long widthSeOut = Math.round(seRatio * widthIn);
        se = register_module("se", new SqueezeExcitation(wB, widthSeOut));
      } else {
        se = null;
      }
      c = register_module("c", new Conv2dNormActivation(wB, widthOut, 1, 1, 1, norm, null));
    }

    /** The transform of {@code x}. */
    public Tensor forward(Tensor x) {
      x = a.forward(x);
      x = b.forward(x);
      if (se != null) {
        x = se.forward(x);
      }
      return c.forward(x);
    }
  }

  /**
   * torchvision's {@code ResBottleneckBlock}: {@code activation(x + f(x))}, the shortcut projected
   * ({@code proj}) when the shape changes.
   */
  public static class ResBottleneckBlock extends Module {

    private final Conv2dNormActivation proj;
    private final BottleneckTransform f;
    private final ReLUImpl activation;

    /**
     * A block from {@code widthIn} to {@code widthOut} channels; see {@link BottleneckTransform}.
     */
    public ResBottleneckBlock(
        long widthIn,
        long widthOut,
        long stride,
        Norm norm,
        long groupWidth,
        double bottleneckMultiplier,
        double seRatio) {
      boolean shouldProj = widthIn != widthOut || stride != 1;
      proj =
          shouldProj
              ? register_module(
                  "proj", new Conv2dNormActivation(widthIn, widthOut, 1, stride, 1, norm, null))
              : null;
      f =
          register_module(
              "f",
              new BottleneckTransform(
                  widthIn, widthOut, stride, norm, groupWidth, bottleneckMultiplier, seRatio));
      activation = register_module("activation", new ReLUImpl());
    }

    /** The block's output. */
    public Tensor forward(Tensor x) {
      if (proj != null) {
        x = proj.forward(x).add(f.forward(x));
      } else {
        x = x.add(f.forward(x));
      }
      return activation.forward(x);
    }
  }

  /**
   * torchvision's {@code AnyStage}: {@code depth} blocks named {@code block<stage>-<i>}, the first
   * one changing the width and the resolution.
   */
  public static class AnyStage extends Module {

    private final List<ResBottleneckBlock> blocks = new ArrayList<>();

    /** Stage number {@code stageIndex} (from 1), from {@code widthIn} to {@code widthOut}. */
    public AnyStage(
        long widthIn,
        long widthOut,
        long stride,
        int depth,
        Norm norm,
        long groupWidth,
        double bottleneckMultiplier,
        double seRatio,
        int stageIndex) {
      for (int i = 0; i < depth; i++) {
        ResBottleneckBlock block =
            new ResBottleneckBlock(
                i == 0 ? widthIn : widthOut,
                widthOut,
                i == 0 ? stride : 1,
                norm,
                groupWidth,
                bottleneckMultiplier,
                seRatio);
        blocks.add(register_module("block" + stageIndex + "-" + i, block));
      }
    }

    /** The blocks in order. */
    public Tensor forward(Tensor x) {
      for (ResBottleneckBlock block : blocks) {
        x = block.forward(x);
      }
      return x;
    }
  }

  /**
   * The widths, depths, groups and strides of RegNet's stages, torchvision's {@code BlockParams}.
   */
  public static final class BlockParams {
    final List<Integer> depths;
    final List<Long> widths;
    final List<Long> groupWidths;
    final List<Double> bottleneckMultipliers;
    final List<Long> strides;
    final double seRatio;

    BlockParams(
        List<Integer> depths,
        List<Long> widths,
        List<Long> groupWidths,
        List<Double> bottleneckMultipliers,
        List<Long> strides,
        double seRatio) {
      this.depths = depths;
      this.widths = widths;
      this.groupWidths = groupWidths;
      this.bottleneckMultipliers = bottleneckMultipliers;
      this.strides = strides;
      this.seRatio = seRatio;
    }

    /**
     * The stages of the design space's member: block widths grow linearly from {@code w0} by {@code
     * wA} per block, are quantized in log space with step {@code wM} and rounded to multiples of 8;
     * a stage is a run of equal widths. Computed in float32, as torchvision computes it with
     * tensors, so the roundings agree.
     *
     * @param seRatio the squeeze-and-excitation ratio, 0 for none (RegNetX)
     * @throws IllegalArgumentException for invalid settings, as torchvision
     */
    public static BlockParams fromInitParams(
        int depth,
        long w0,
        double wA,
        double wM,
        long groupWidth,
        double bottleneckMultiplier,
        double seRatio) {
      int quant = 8;
      long stride = 2;
      if (wA < 0 || w0 <= 0 || wM <= 1 || w0 % 8 != 0) {
        throw new IllegalArgumentException("Invalid RegNet settings");
      }
      long[] blockWidths = new long[depth];
      for (int i = 0; i < depth; i++) {
        float widthCont = (float) i * (float) wA + (float) w0;
        float logWidth = (float) Math.log(widthCont / (float) w0);
        float blockCapacity = (float) Math.rint(logWidth / (float) Math.log(wM));
        float width = (float) w0 * (float) Math.pow((float) wM, blockCapacity);
        blockWidths[i] = (long) Math.rint(width / quant) * quant;
      }
      List<Long> stageWidths = new ArrayList<>();
      List<Integer> stageDepths = new ArrayList<>();
      for (int i = 0; i < depth; i++) {
        if (i == 0 || blockWidths[i] != blockWidths[i - 1]) {
          stageWidths.add(blockWidths[i]);
          stageDepths.add(1);
        } else {
          int last = stageDepths.size() - 1;
          stageDepths.set(last, stageDepths.get(last) + 1);
        }
      }
      List<Long> widths = new ArrayList<>();
      List<Long> groupWidths = new ArrayList<>();
      List<Double> bottleneckMultipliers = new ArrayList<>();
      List<Long> strides = new ArrayList<>();
      for (int s = 0; s < stageWidths.size(); s++) {
        // torchvision's _adjust_widths_groups_compatibilty: the bottleneck width a multiple of the
        // group width, which is at most the bottleneck width.
        long wBot = (long) (stageWidths.get(s) * bottleneckMultiplier);
        long g = Math.min(groupWidth, wBot);
        long wBotAdjusted = Channels.makeDivisible(wBot, g);
        widths.add((long) (wBotAdjusted / bottleneckMultiplier));
        groupWidths.add(g);
        bottleneckMultipliers.add(bottleneckMultiplier);
        strides.add(stride);
      }
      return new BlockParams(
          stageDepths, widths, groupWidths, bottleneckMultipliers, strides, seRatio);
    }
  }
}
