package dev.featurex.models;

import dev.featurex.annotations.LeafFunction;
import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.MLP;
import dev.featurex.models.ops.Permute;
import dev.featurex.models.ops.StochasticDepth;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.FlattenImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's Swin Transformer (Liu et al., 2021), Swin-T. torchvision's {@code features} is an
 * {@code nn.Sequential} of the patch embedding, stages of {@link SwinTransformerBlock}s and {@link
 * PatchMerging} layers; here {@code ModuleListImpl}s of the same modules.
 */
@Traceable(factories = "swin_t")
public class SwinTransformer extends Module {

  private final Conv2dImpl patchEmbedding;
  private final Permute toChannelsLast;
  private final LayerNormImpl patchNorm;
  private final List<List<SwinTransformerBlock>> stages = new ArrayList<>();
  private final List<PatchMerging> merges = new ArrayList<>();
  private final LayerNormImpl norm;
  private final Permute permute;
  private final AdaptiveAvgPool2dImpl avgpool;
  private final FlattenImpl flatten;
  private final LinearImpl head;
  private final List<Module> owned = new ArrayList<>();

  /**
   * A Swin Transformer.
   *
   * @param patchSize the side of the square patches
   * @param embedDim the width of the first stage (doubling at each stage)
   * @param depths the blocks of each stage
   * @param numHeads the attention heads of each stage
   * @param windowSize the side of the square attention windows
   * @param stochasticDepthProb the stochastic depth of the last block (it grows linearly from 0)
   */
  public SwinTransformer(
      long patchSize,
      long embedDim,
      int[] depths,
      long[] numHeads,
      long windowSize,
      double mlpRatio,
      double stochasticDepthProb,
      long numClasses) {
    ModuleListImpl features = register_module("features", new ModuleListImpl());
    ModuleListImpl stem = own(new ModuleListImpl());
    patchEmbedding = own(Layers.conv(3, embedDim, patchSize, patchSize, 0));
    toChannelsLast = new Permute(0, 2, 3, 1);
    patchNorm = own(layerNorm(embedDim));
    stem.push_back(patchEmbedding);
    stem.push_back(toChannelsLast);
    stem.push_back(patchNorm);
    features.push_back(stem);
    int totalStageBlocks = 0;
    for (int d : depths) {
      totalStageBlocks += d;
    }
    int stageBlockId = 0;
    for (int s = 0; s < depths.length; s++) {
      long dim = embedDim << s;
      ModuleListImpl stageModules = own(new ModuleListImpl());
      List<SwinTransformerBlock> stage = new ArrayList<>();
      for (int i = 0; i < depths[s]; i++) {
        double sdProb = stochasticDepthProb * stageBlockId / (totalStageBlocks - 1.0);
        long shift = i % 2 == 0 ? 0 : windowSize / 2;
        SwinTransformerBlock block =
            new SwinTransformerBlock(dim, numHeads[s], windowSize, shift, mlpRatio, sdProb);
        stageModules.push_back(block);
        stage.add(block);
        stageBlockId++;
      }
      features.push_back(stageModules);
      stages.add(stage);
      if (s < depths.length - 1) {
        PatchMerging merge = new PatchMerging(dim);
        features.push_back(merge);
        merges.add(merge);
      }
    }
    long numFeatures = embedDim << (depths.length - 1);
    norm = register_module("norm", layerNorm(numFeatures));
    permute = register_module("permute", new Permute(0, 3, 1, 2));
    avgpool = register_module("avgpool", Layers.adaptiveAvgPool(1, 1));
    flatten = register_module("flatten", new FlattenImpl());
    head = register_module("head", new LinearImpl(numFeatures, numClasses));
  }

  /** Swin-T. */
  public static SwinTransformer swin_t() {
    return new SwinTransformer(
        4, 96, new int[] {2, 2, 6, 2}, new long[] {3, 6, 12, 24}, 7, 4.0, 0.2, 1000);
  }

  private <T extends Module> T own(T module) {
    owned.add(module);
    return module;
  }

  static LayerNormImpl layerNorm(long dim) {
    return new LayerNormImpl(new LayerNormOptions(new LongVector(new long[] {dim})));
  }

  /** Logits for a batch of images {@code [N, 3, H, W]}. */
  public Tensor forward(Tensor x) {
    x = patchNorm.forward(toChannelsLast.forward(patchEmbedding.forward(x)));
    for (int s = 0; s < stages.size(); s++) {
      for (SwinTransformerBlock block : stages.get(s)) {
        x = block.forward(x);
      }
      if (s < merges.size()) {
        x = merges.get(s).forward(x);
      }
    }
    x = norm.forward(x);
    x = permute.forward(x);
    x = avgpool.forward(x);
    x = flatten.forward(x);
    return head.forward(x);
  }

  /**
   * torchvision's {@code _patch_merging_pad}: pads {@code [..., H, W, C]} to even sides and puts
   * each 2x2 neighbourhood's four pixels side by side, {@code [..., H/2, W/2, 4C]}.
   */
  @LeafFunction // torch.fx.wrap in torchvision; named as there, so the node names match
  static Tensor _patch_merging_pad(Tensor x) {
    long h = x.size(-3);
    long w = x.size(-2);
    x = torch.pad(x, 0, 0, 0, w % 2, 0, h % 2);
    Tensor x0 = everyOther(everyOther(x, -3, 0), -2, 0);
    Tensor x1 = everyOther(everyOther(x, -3, 1), -2, 0);
    Tensor x2 = everyOther(everyOther(x, -3, 0), -2, 1);
    Tensor x3 = everyOther(everyOther(x, -3, 1), -2, 1);
    return torch.cat(new TensorVector(x0, x1, x2, x3), -1);
  }

  /** {@code x[..., start::2, ...]} along {@code dim}. */
  private static Tensor everyOther(Tensor x, long dim, long start) {
    return x.slice(dim, new LongOptional(start), new LongOptional(), 2);
  }

  /**
   * torchvision's {@code _get_relative_position_bias}: the bias of each pair of window positions,
   * {@code [1, heads, N, N]}.
   */
  @LeafFunction // torch.fx.wrap in torchvision; named as there, so the node names match
  static Tensor _get_relative_position_bias(Tensor table, Tensor index, long windowSize) {
    long n = windowSize * windowSize;
    Tensor bias = table.index_select(0, index);
    bias = bias.view(n, n, -1);
    return bias.permute(2, 0, 1).contiguous().unsqueeze(0);
  }

  /**
   * torchvision's {@code shifted_window_attention}: multi-head self-attention within windows of
   * {@code windowSize x windowSize}, shifted by {@code shiftSize} (with the mask that keeps shifted
   * windows from attending across the image's edges), with relative position bias.
   */
  @LeafFunction // torch.fx.wrap in torchvision; named as there, so the node names match
  static Tensor shifted_window_attention(
      Tensor input,
      Tensor qkvWeight,
      Tensor projWeight,
      Tensor relativePositionBias,
      long windowSize,
      long numHeads,
      long shiftSize,
      double attentionDropout,
      double dropout,
      Tensor qkvBias,
      Tensor projBias) {
    long b = input.size(0);
    long h = input.size(1);
    long w = input.size(2);
    long c = input.size(3);
    long padR = (windowSize - w % windowSize) % windowSize;
    long padB = (windowSize - h % windowSize) % windowSize;
    Tensor x = torch.pad(input, 0, 0, 0, padR, 0, padB);
    long padH = x.size(1);
    long padW = x.size(2);
    long shiftH = windowSize >= padH ? 0 : shiftSize;
    long shiftW = windowSize >= padW ? 0 : shiftSize;
    if (shiftH + shiftW > 0) {
      x = torch.roll(x, new long[] {-shiftH, -shiftW}, 1, 2);
    }
    long numWindows = (padH / windowSize) * (padW / windowSize);
    x = x.view(b, padH / windowSize, windowSize, padW / windowSize, windowSize, c);
    x = x.permute(0, 1, 3, 2, 4, 5).reshape(b * numWindows, windowSize * windowSize, c);
    Tensor qkv = torch.linear(x, qkvWeight, new TensorOptional(qkvBias));
    qkv = qkv.reshape(x.size(0), x.size(1), 3, numHeads, c / numHeads).permute(2, 0, 3, 1, 4);
    Tensor q = qkv.select(0, 0);
    Tensor k = qkv.select(0, 1);
    Tensor v = qkv.select(0, 2);
    q = q.mul(new Scalar(Math.pow(c / numHeads, -0.5)));
    Tensor attn = q.matmul(k.transpose(-2, -1));
    attn = attn.add(relativePositionBias);
    if (shiftH + shiftW > 0) {
      Tensor attnMask = attentionMask(x, padH, padW, windowSize, shiftH, shiftW, numWindows);
      attn = attn.view(x.size(0) / numWindows, numWindows, numHeads, x.size(1), x.size(1));
      attn = attn.add(attnMask.unsqueeze(1).unsqueeze(0));
      attn = attn.view(-1, numHeads, x.size(1), x.size(1));
    }
    attn = torch.softmax(attn, -1);
    attn = torch.dropout(attn, attentionDropout, true); // F.dropout's default training=True
    x = attn.matmul(v).transpose(1, 2).reshape(x.size(0), x.size(1), c);
    x = torch.linear(x, projWeight, new TensorOptional(projBias));
    x = torch.dropout(x, dropout, true);
    x = x.view(b, padH / windowSize, padW / windowSize, windowSize, windowSize, c);
    x = x.permute(0, 1, 3, 2, 4, 5).reshape(b, padH, padW, c);
    if (shiftH + shiftW > 0) {
      x = torch.roll(x, new long[] {shiftH, shiftW}, 1, 2);
    }
    return x.slice(1, new LongOptional(0), new LongOptional(h), 1)
        .slice(2, new LongOptional(0), new LongOptional(w), 1)
        .contiguous();
  }

  /** The mask of the shifted windows: 0 within a region of the image, -100 across regions. */
  private static Tensor attentionMask(
      Tensor x, long padH, long padW, long windowSize, long shiftH, long shiftW, long numWindows) {
    Tensor attnMask = x.new_zeros(padH, padW);
    long[][] hSlices = {
      {0, padH - windowSize}, {padH - windowSize, padH - shiftH}, {padH - shiftH, padH}
    };
    long[][] wSlices = {
      {0, padW - windowSize}, {padW - windowSize, padW - shiftW}, {padW - shiftW, padW}
    };
    int count = 0;
    for (long[] hs : hSlices) {
      for (long[] ws : wSlices) {
        attnMask
            .slice(0, new LongOptional(hs[0]), new LongOptional(hs[1]), 1)
            .slice(1, new LongOptional(ws[0]), new LongOptional(ws[1]), 1)
            .fill_(new Scalar(count));
        count++;
      }
    }
    attnMask = attnMask.view(padH / windowSize, windowSize, padW / windowSize, windowSize);
    attnMask = attnMask.permute(0, 2, 1, 3).reshape(numWindows, windowSize * windowSize);
    attnMask = attnMask.unsqueeze(1).sub(attnMask.unsqueeze(2));
    return attnMask
        .masked_fill(attnMask.ne(new Scalar(0)), new Scalar(-100.0))
        .masked_fill(attnMask.eq(new Scalar(0)), new Scalar(0.0));
  }

  /** torchvision's {@code ShiftedWindowAttention}: the module holding the attention's weights. */
  public static class ShiftedWindowAttention extends Module {

    private final long windowSize;
    private final long shiftSize;
    private final long numHeads;
    private final LinearImpl qkv;
    private final LinearImpl proj;
    private final Tensor relativePositionBiasTable;
    private final Tensor relativePositionIndex;

    /** Attention over {@code dim} features in {@code numHeads} heads. */
    public ShiftedWindowAttention(long dim, long windowSize, long shiftSize, long numHeads) {
      this.windowSize = windowSize;
      this.shiftSize = shiftSize;
      this.numHeads = numHeads;
      qkv = register_module("qkv", new LinearImpl(dim, dim * 3));
      proj = register_module("proj", new LinearImpl(dim, dim));
      relativePositionBiasTable =
          new Tensor(
              register_parameter(
                  "relative_position_bias_table",
                  torch
                      .zeros((2 * windowSize - 1) * (2 * windowSize - 1), numHeads)
                      .normal_(0.0, 0.02, new GeneratorOptional())));
      relativePositionIndex =
          new Tensor(register_buffer("relative_position_index", relativePositionIndex(windowSize)));
    }

    /** Each pair of window positions' index in the bias table, {@code [N * N]}. */
    private static Tensor relativePositionIndex(long windowSize) {
      Tensor coordsH = torch.arange(new Scalar(windowSize));
      Tensor coordsW = torch.arange(new Scalar(windowSize));
      Tensor coords = torch.stack(torch.meshgrid(new TensorVector(coordsH, coordsW), "ij"));
      Tensor coordsFlatten = torch.flatten(coords, 1, -1);
      Tensor relativeCoords = coordsFlatten.unsqueeze(2).sub(coordsFlatten.unsqueeze(1));
      relativeCoords = relativeCoords.permute(1, 2, 0).contiguous();
      relativeCoords.select(2, 0).add_(new Scalar(windowSize - 1));
      relativeCoords.select(2, 1).add_(new Scalar(windowSize - 1));
      relativeCoords.select(2, 0).mul_(new Scalar(2 * windowSize - 1));
      return relativeCoords.sum(new long[] {-1}, false, new ScalarTypeOptional()).flatten();
    }

    /** Attention over {@code x}, {@code [B, H, W, C]}. */
    public Tensor forward(Tensor x) {
      Tensor relativePositionBias =
          _get_relative_position_bias(relativePositionBiasTable, relativePositionIndex, windowSize);
      return shifted_window_attention(
          x,
          qkv.weight(),
          proj.weight(),
          relativePositionBias,
          windowSize,
          numHeads,
          shiftSize,
          0.0,
          0.0,
          qkv.bias(),
          proj.bias());
    }
  }

  /** torchvision's {@code SwinTransformerBlock}: window attention and an MLP, with shortcuts. */
  public static class SwinTransformerBlock extends Module {

    private final LayerNormImpl norm1;
    private final ShiftedWindowAttention attn;
    private final StochasticDepth stochasticDepth;
    private final LayerNormImpl norm2;
    private final MLP mlp;

    /** A block of {@code dim} features, its windows shifted by {@code shiftSize}. */
    public SwinTransformerBlock(
        long dim,
        long numHeads,
        long windowSize,
        long shiftSize,
        double mlpRatio,
        double stochasticDepthProb) {
      norm1 = register_module("norm1", layerNorm(dim));
      attn =
          register_module("attn", new ShiftedWindowAttention(dim, windowSize, shiftSize, numHeads));
      stochasticDepth =
          register_module("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
      norm2 = register_module("norm2", layerNorm(dim));
      mlp =
          register_module(
              "mlp",
              new MLP(dim, new long[] {(long) (dim * mlpRatio), dim}, Activation.GELU, true, 0.0));
    }

    /** The block's output. */
    public Tensor forward(Tensor x) {
      x = x.add(stochasticDepth.forward(attn.forward(norm1.forward(x))));
      x = x.add(stochasticDepth.forward(mlp.forward(norm2.forward(x))));
      return x;
    }
  }

  /** torchvision's {@code PatchMerging}: halves the resolution and doubles the features. */
  public static class PatchMerging extends Module {

    private final LinearImpl reduction;
    private final LayerNormImpl norm;

    /** Merging of {@code dim}-feature patches. */
    public PatchMerging(long dim) {
      LinearOptions options = new LinearOptions(4 * dim, 2 * dim);
      options.bias().put(false);
      reduction = register_module("reduction", new LinearImpl(options));
      norm = register_module("norm", layerNorm(4 * dim));
    }

    /** {@code [..., H, W, C]} to {@code [..., H/2, W/2, 2C]}. */
    public Tensor forward(Tensor x) {
      x = _patch_merging_pad(x);
      x = norm.forward(x);
      return reduction.forward(x);
    }
  }
}
