package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's MNASNet (Tan et al., 2018; the B1 variant), at depth multipliers 0.5, 0.75, 1.0 and
 * 1.3. torchvision's {@code layers} is an {@code nn.Sequential} of the stem's modules, six stacks
 * of {@link InvertedResidual} blocks and the head's modules; here a {@code ModuleListImpl} of the
 * same modules.
 */
@Traceable(factories = {"mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3"})
public class MNASNet extends Module {

  /** The batch norm momentum of TensorFlow's MNASNet, as torchvision's {@code _BN_MOMENTUM}. */
  static final double BN_MOMENTUM = 1 - 0.9997;

  /** The stacks: kernel, stride, expansion factor, repeats. */
  private static final int[][] STACKS = {
    {3, 2, 3, 3}, {5, 2, 3, 3}, {5, 2, 6, 3}, {3, 1, 6, 2}, {5, 2, 6, 4}, {3, 1, 6, 1}
  };

  /**
   * The modules held only by native containers: JavaCPP frees a module whose Java object is
   * collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final ModuleListImpl layers;
  private final Conv2dImpl stemConv;
  private final BatchNorm2dImpl stemBn;
  private final ReLUImpl stemRelu;
  private final Conv2dImpl depthwiseConv;
  private final BatchNorm2dImpl depthwiseBn;
  private final ReLUImpl depthwiseRelu;
  private final Conv2dImpl pointwiseConv;
  private final BatchNorm2dImpl pointwiseBn;
  private final List<List<InvertedResidual>> stacks = new ArrayList<>();
  private final Conv2dImpl headConv;
  private final BatchNorm2dImpl headBn;
  private final ReLUImpl headRelu;
  private final SequentialImpl classifier;

  /**
   * An MNASNet whose depths are scaled by {@code alpha}.
   *
   * @param dropout the dropout probability of the classifier
   * @throws IllegalArgumentException if {@code alpha} is not positive
   */
  public MNASNet(double alpha, long numClasses, double dropout) {
    if (alpha <= 0.0) {
      throw new IllegalArgumentException("alpha should be greater than 0.0 instead of " + alpha);
    }
    long[] depths = getDepths(alpha);
    layers = register_module("layers", new ModuleListImpl());
    stemConv = add(Layers.conv(3, depths[0], 3, 2, 1, 1, false));
    stemBn = add(Layers.batchNorm(depths[0], 1e-5, BN_MOMENTUM));
    stemRelu = add(new ReLUImpl());
    depthwiseConv = add(Layers.conv(depths[0], depths[0], 3, 1, 1, depths[0], false));
    depthwiseBn = add(Layers.batchNorm(depths[0], 1e-5, BN_MOMENTUM));
    depthwiseRelu = add(new ReLUImpl());
    pointwiseConv = add(Layers.conv(depths[0], depths[1], 1, 1, 0, 1, false));
    pointwiseBn = add(Layers.batchNorm(depths[1], 1e-5, BN_MOMENTUM));
    for (int i = 0; i < STACKS.length; i++) {
      int[] s = STACKS[i];
      stacks.add(stack(depths[i + 1], depths[i + 2], s[0], s[1], s[2], s[3]));
    }
    headConv = add(Layers.conv(depths[7], 1280, 1, 1, 0, 1, false));
    headBn = add(Layers.batchNorm(1280, 1e-5, BN_MOMENTUM));
    headRelu = add(new ReLUImpl());
    SequentialImpl head = new SequentialImpl();
    head.push_back(own(new DropoutImpl(dropout)));
    head.push_back(own(new LinearImpl(1280, numClasses)));
    classifier = register_module("classifier", head);
  }

  /** MNASNet with depth multiplier 0.5. */
  public static MNASNet mnasnet0_5() {
    return new MNASNet(0.5, 1000, 0.2);
  }

  /** MNASNet with depth multiplier 0.75. */
  public static MNASNet mnasnet0_75() {
    return new MNASNet(0.75, 1000, 0.2);
  }

  /** MNASNet with depth multiplier 1.0. */
  public static MNASNet mnasnet1_0() {
    return new MNASNet(1.0, 1000, 0.2);
  }

  /** MNASNet with depth multiplier 1.3. */
  public static MNASNet mnasnet1_3() {
    return new MNASNet(1.3, 1000, 0.2);
  }

  /**
   * torchvision's {@code _round_to_multiple_of} with its bias of 0.9: rounds up unless {@code val}
   * is at most 10% above the multiple below ((83, 8) gives 80, (84, 8) gives 88).
   */
  static long roundToMultipleOf(double val, long divisor) {
    long newVal = Math.max(divisor, (long) (val + divisor / 2.0) / divisor * divisor);
    return newVal >= 0.9 * val ? newVal : newVal + divisor;
  }

  /** torchvision's {@code _get_depths}: the stem's and stacks' widths scaled by {@code alpha}. */
  static long[] getDepths(double alpha) {
    long[] depths = {32, 16, 24, 40, 80, 96, 192, 320};
    long[] scaled = new long[depths.length];
    for (int i = 0; i < depths.length; i++) {
      scaled[i] = roundToMultipleOf(depths[i] * alpha, 8);
    }
    return scaled;
  }

  /** torchvision's {@code _stack}: {@code repeats} blocks, the first changing width and stride. */
  private List<InvertedResidual> stack(
      long inCh, long outCh, int kernelSize, int stride, int expFactor, int repeats) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats should be >= 1, instead got " + repeats);
    }
    ModuleListImpl modules = own(new ModuleListImpl());
    List<InvertedResidual> blocks = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      InvertedResidual block =
          new InvertedResidual(
              i == 0 ? inCh : outCh,
              outCh,
              kernelSize,
              i == 0 ? stride : 1,
              expFactor,
              BN_MOMENTUM);
      modules.push_back(block);
      blocks.add(block);
    }
    layers.push_back(modules);
    return blocks;
  }

  private <T extends Module> T add(T module) {
    layers.push_back(own(module));
    return module;
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = stemRelu.forward(stemBn.forward(stemConv.forward(x)));
    x = depthwiseRelu.forward(depthwiseBn.forward(depthwiseConv.forward(x)));
    x = pointwiseBn.forward(pointwiseConv.forward(x));
    for (List<InvertedResidual> stack : stacks) {
      for (InvertedResidual block : stack) {
        x = block.forward(x);
      }
    }
    x = headRelu.forward(headBn.forward(headConv.forward(x)));
    x = x.mean(new long[] {2, 3});
    return classifier.forward(x);
  }

  /**
   * MNASNet's block, torchvision's {@code mnasnet._InvertedResidual}: 1x1 expansion, depthwise
   * convolution, linear 1x1 projection ({@code layers}), and a shortcut when the shapes allow.
   */
  public static class InvertedResidual extends Module {

    private final List<Module> owned = new ArrayList<>();
    private final SequentialImpl layers;
    private final boolean applyResidual;

    /**
     * A block from {@code inCh} to {@code outCh} channels, expanded {@code expansionFactor} times.
     *
     * @throws IllegalArgumentException if {@code stride} is not 1 or 2, or {@code kernelSize} not 3
     *     or 5
     */
    public InvertedResidual(
        long inCh,
        long outCh,
        long kernelSize,
        long stride,
        long expansionFactor,
        double bnMomentum) {
      if (stride != 1 && stride != 2) {
        throw new IllegalArgumentException("stride should be 1 or 2 instead of " + stride);
      }
      if (kernelSize != 3 && kernelSize != 5) {
        throw new IllegalArgumentException("kernel_size should be 3 or 5 instead of " + kernelSize);
      }
      long midCh = inCh * expansionFactor;
      applyResidual = inCh == outCh && stride == 1;
      SequentialImpl s = new SequentialImpl();
      s.push_back(own(Layers.conv(inCh, midCh, 1, 1, 0, 1, false)));
      s.push_back(own(Layers.batchNorm(midCh, 1e-5, bnMomentum)));
      s.push_back(own(new ReLUImpl()));
      s.push_back(own(Layers.conv(midCh, midCh, kernelSize, stride, kernelSize / 2, midCh, false)));
      s.push_back(own(Layers.batchNorm(midCh, 1e-5, bnMomentum)));
      s.push_back(own(new ReLUImpl()));
      s.push_back(own(Layers.conv(midCh, outCh, 1, 1, 0, 1, false)));
      s.push_back(own(Layers.batchNorm(outCh, 1e-5, bnMomentum)));
      layers = register_module("layers", s);
    }

    private <T extends Module> T own(T module) {
      owned.add(module);
      return module;
    }

    /** The block's output, plus {@code input} when the shapes allow. */
    public Tensor forward(Tensor input) {
      if (applyResidual) {
        return layers.forward(input).add(input);
      } else {
        return layers.forward(input);
      }
    }
  }
}
