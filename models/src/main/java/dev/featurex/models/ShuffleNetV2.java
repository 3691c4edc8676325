package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.ReLUImpl;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's ShuffleNet V2 (Ma et al., 2018) at widths 0.5, 1.0, 1.5 and 2.0. torchvision's
 * {@code stage2} to {@code stage4} are {@code nn.Sequential}s of {@link InvertedResidual} blocks;
 * here {@code ModuleListImpl}s of the same blocks.
 */
@Traceable(
    factories = {
      "shufflenet_v2_x0_5",
      "shufflenet_v2_x1_0",
      "shufflenet_v2_x1_5",
      "shufflenet_v2_x2_0"
    })
public class ShuffleNetV2 extends Module {

  /**
   * The modules held only by native containers: JavaCPP frees a module whose Java object is
   * collected even when a container holds it.
   */
  private final List<Module> owned = new ArrayList<>();

  private final SequentialImpl conv1;
  private final MaxPool2dImpl maxpool;
  private final List<List<InvertedResidual>> stages = new ArrayList<>();
  private final SequentialImpl conv5;
  private final LinearImpl fc;

  /**
   * A ShuffleNet V2.
   *
   * @param stagesRepeats the blocks of {@code stage2}, {@code stage3}, {@code stage4}
   * @param stagesOutChannels the channels of {@code conv1}, the three stages and {@code conv5}
   * @throws IllegalArgumentException if the arrays do not have 3 and 5 entries
   */
  public ShuffleNetV2(int[] stagesRepeats, long[] stagesOutChannels, long numClasses) {
    if (stagesRepeats.length != 3) {
      throw new IllegalArgumentException("expected stages_repeats as list of 3 positive ints");
    }
    if (stagesOutChannels.length != 5) {
      throw new IllegalArgumentException("expected stages_out_channels as list of 5 positive ints");
    }
    long inputChannels = 3;
    long outputChannels = stagesOutChannels[0];
    conv1 = register_module("conv1", convBnRelu(inputChannels, outputChannels, 3, 2, 1));
    inputChannels = outputChannels;
    maxpool = register_module("maxpool", Layers.maxPool(3, 2, 1, false));
    for (int s = 0; s < 3; s++) {
      outputChannels = stagesOutChannels[s + 1];
      ModuleListImpl seq = register_module("stage" + (s + 2), new ModuleListImpl());
      List<InvertedResidual> blocks = new ArrayList<>();
      blocks.add(new InvertedResidual(inputChannels, outputChannels, 2));
      for (int i = 0; i < stagesRepeats[s] - 1; i++) {
        blocks.add(new InvertedResidual(outputChannels, outputChannels, 1));
      }
      for (InvertedResidual block : blocks) {
        seq.push_back(block);
      }
      stages.add(blocks);
      inputChannels = outputChannels;
    }
    outputChannels = stagesOutChannels[4];
    conv5 = register_module("conv5", convBnRelu(inputChannels, outputChannels, 1, 1, 0));
    fc = register_module("fc", new LinearImpl(outputChannels, numClasses));
  }

  /** ShuffleNet V2 with 0.5x output channels. */
  public static ShuffleNetV2 shufflenet_v2_x0_5() {
    return new ShuffleNetV2(new int[] {4, 8, 4}, new long[] {24, 48, 96, 192, 1024}, 1000);
  }

  /** ShuffleNet V2 with 1.0x output channels. */
  public static ShuffleNetV2 shufflenet_v2_x1_0() {
    return new ShuffleNetV2(new int[] {4, 8, 4}, new long[] {24, 116, 232, 464, 1024}, 1000);
  }

  /** ShuffleNet V2 with 1.5x output channels. */
  public static ShuffleNetV2 shufflenet_v2_x1_5() {
    return new ShuffleNetV2(new int[] {4, 8, 4}, new long[] {24, 176, 352, 704, 1024}, 1000);
  }

  /** ShuffleNet V2 with 2.0x output channels. */
  public static ShuffleNetV2 shufflenet_v2_x2_0() {
    return new ShuffleNetV2(new int[] {4, 8, 4}, new long[] {24, 244, 488, 976, 2048}, 1000);
  }

  private SequentialImpl convBnRelu(long in, long out, long kernel, long stride, long padding) {
    SequentialImpl s = new SequentialImpl();
    s.push_back(own(Layers.conv(in, out, kernel, stride, padding, 1, false)));
    s.push_back(own(Layers.batchNorm(out)));
    s.push_back(own(new ReLUImpl()));
    return s;
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = conv1.forward(x);
    x = maxpool.forward(x);
    for (List<InvertedResidual> stage : stages) {
      for (InvertedResidual block : stage) {
        x = block.forward(x);
      }
    }
    x = conv5.forward(x);
    x = x.mean(new long[] {2, 3}); // global pool
    return fc.forward(x);
  }

  /**
   * torchvision's {@code channel_shuffle}: interleaves the channels of {@code groups} groups.
   * torchvision unpacks {@code x.size()}; Java reads each dimension.
   */
  static Tensor channelShuffle(Tensor x, long groups) {
    long batchsize = x.size(0);
    long numChannels = x.size(1);
    long height = x.size(2);
    long width = x.size(3);
    long channelsPerGroup = numChannels / groups;
    x = x.view(batchsize, groups, channelsPerGroup, height, width);
    x = torch.transpose(x, 1, 2).contiguous();
    x = x.view(batchsize, -1, height, width);
    return x;
  }

  /**
   * ShuffleNet V2's block, torchvision's {@code shufflenetv2.InvertedResidual}: with stride 1, half
   * the channels pass through and the other half go through {@code branch2}; with stride 2, both
   * {@code branch1} and {@code branch2} read the whole input; then the channels are shuffled.
   */
  public static class InvertedResidual extends Module {

    private final List<Module> owned = new ArrayList<>();
    private final long stride;
    private final SequentialImpl branch1;
    private final SequentialImpl branch2;

    /**
     * A block from {@code inp} to {@code oup} channels.
     *
     * @throws IllegalArgumentException if {@code stride} is not 1 to 3, or is 1 while {@code inp}
     *     is not {@code oup}
     */
    public InvertedResidual(long inp, long oup, long stride) {
      if (stride < 1 || stride > 3) {
        throw new IllegalArgumentException("illegal stride value " + stride);
      }
      this.stride = stride;
      long branchFeatures = oup / 2;
      if (stride == 1 && inp != branchFeatures << 1) {
        throw new IllegalArgumentException(
            "Invalid combination of stride "
                + stride
                + ", inp "
                + inp
                + " and oup "
                + oup
                + " values. If stride == 1 then inp should be equal to oup / 2 << 1.");
      }
      SequentialImpl b1 = new SequentialImpl();
      if (stride > 1) {
        b1.push_back(own(depthwiseConv(inp, inp, 3, stride, 1)));
        b1.push_back(own(Layers.batchNorm(inp)));
        b1.push_back(own(Layers.conv(inp, branchFeatures, 1, 1, 0, 1, false)));
        b1.push_back(own(Layers.batchNorm(branchFeatures)));
        b1.push_back(own(new ReLUImpl()));
      }
      branch1 = register_module("branch1", b1);
      SequentialImpl b2 = new SequentialImpl();
      b2.push_back(
          own(Layers.conv(stride > 1 ? inp : branchFeatures, branchFeatures, 1, 1, 0, 1, false)));
      b2.push_back(own(Layers.batchNorm(branchFeatures)));
      b2.push_back(own(new ReLUImpl()));
      b2.push_back(own(depthwiseConv(branchFeatures, branchFeatures, 3, stride, 1)));
      b2.push_back(own(Layers.batchNorm(branchFeatures)));
      b2.push_back(own(Layers.conv(branchFeatures, branchFeatures, 1, 1, 0, 1, false)));
      b2.push_back(own(Layers.batchNorm(branchFeatures)));
      b2.push_back(own(new ReLUImpl()));
      branch2 = register_module("branch2", b2);
    }

    private static org.bytedeco.pytorch.Conv2dImpl depthwiseConv(
        long i, long o, long kernelSize, long stride, long padding) {
      return Layers.conv(i, o, kernelSize, stride, padding, i, false);
    }

    private <T extends Module> T own(T module) {
      owned.add(module);
      return module;
    }

    /** The block's output, its channels shuffled. */
    public Tensor forward(Tensor x) {
      Tensor out;
      if (stride == 1) {
        TensorVector halves = x.chunk(2, 1);
        // get() refers into the vector, which the collector may free once it is no longer read:
        // each half gets a handle of its own.
        Tensor x1 = new Tensor(halves.get(0));
        Tensor x2 = new Tensor(halves.get(1));
        out = torch.cat(new TensorVector(x1, branch2.forward(x2)), 1);
      } else {
        out = torch.cat(new TensorVector(branch1.forward(x), branch2.forward(x)), 1);
      }
      out = channelShuffle(out, 2);
      return out;
    }
  }
}
