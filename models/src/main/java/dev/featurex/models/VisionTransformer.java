package dev.featurex.models;

import dev.featurex.annotations.Traceable;
import dev.featurex.models.ops.Activation;
import dev.featurex.models.ops.MLP;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.MultiheadAttentionImpl;
import org.bytedeco.pytorch.MultiheadAttentionOptions;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's Vision Transformer (Dosovitskiy et al., 2020), ViT-B/16: 16x16 patches of a 224x224
 * image, a class token, 12 encoder layers of width 768.
 */
@Traceable(factories = "vit_b_16")
public class VisionTransformer extends Module {

  private final long imageSize;
  private final long patchSize;
  private final long hiddenDim;
  private final Conv2dImpl convProj;
  private final Tensor classToken;
  private final Encoder encoder;
  private final SequentialImpl heads;
  private final LinearImpl head;

  /**
   * A ViT for {@code imageSize} images in {@code patchSize} patches.
   *
   * @throws IllegalArgumentException if {@code patchSize} does not divide {@code imageSize}
   */
  public VisionTransformer(
      long imageSize,
      long patchSize,
      int numLayers,
      long numHeads,
      long hiddenDim,
      long mlpDim,
      double dropout,
      double attentionDropout,
      long numClasses) {
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException("Input shape indivisible by patch size!");
    }
    this.imageSize = imageSize;
    this.patchSize = patchSize;
    this.hiddenDim = hiddenDim;
    convProj = register_module("conv_proj", Layers.conv(3, hiddenDim, patchSize, patchSize, 0));
    long seqLength = (imageSize / patchSize) * (imageSize / patchSize) + 1;
    classToken = new Tensor(register_parameter("class_token", torch.zeros(1, 1, hiddenDim)));
    encoder =
        register_module(
            "encoder",
            new Encoder(
                seqLength, numLayers, numHeads, hiddenDim, mlpDim, dropout, attentionDropout));
    heads = new SequentialImpl();
    head = new LinearImpl(hiddenDim, numClasses);
    heads.push_back("head", head);
    register_module("heads", heads);
  }

  /** ViT-B/16. */
  public static VisionTransformer vit_b_16() {
    return new VisionTransformer(224, 16, 12, 12, 768, 3072, 0.0, 0.0, 1000);
  }

  private Tensor processInput(Tensor x) {
    long n = x.size(0);
    long h = x.size(2);
    long w = x.size(3);
    if (h != imageSize || w != imageSize) {
      throw new IllegalArgumentException(
          "Wrong image size! Expected " + imageSize + " but got " + h + "x" + w + "!");
    }
    long nH = h / patchSize;
    long nW = w / patchSize;
    x = convProj.forward(x);
    x = x.reshape(n, hiddenDim, nH * nW);
    x = x.permute(0, 2, 1);
    return x;
  }

  /** Logits for a batch of images {@code [N, 3, imageSize, imageSize]}. */
  public Tensor forward(Tensor x) {
    x = processInput(x);
    long n = x.size(0);
    Tensor batchClassToken = classToken.expand(n, -1, -1);
    x = torch.cat(new TensorVector(batchClassToken, x), 1);
    x = encoder.forward(x);
    x = x.select(1, 0); // the class token: x[:, 0]
    return heads.forward(x);
  }

  /** torchvision's {@code vision_transformer.Encoder}: position embedding and the layers. */
  public static class Encoder extends Module {

    private final Tensor posEmbedding;
    private final DropoutImpl dropout;
    private final Module layersModule;
    private final List<EncoderBlock> layers = new ArrayList<>();
    private final LayerNormImpl ln;

    /** An encoder of {@code numLayers} blocks over sequences of {@code seqLength}. */
    public Encoder(
        long seqLength,
        int numLayers,
        long numHeads,
        long hiddenDim,
        long mlpDim,
        double dropout,
        double attentionDropout) {
      posEmbedding =
          new Tensor(
              register_parameter(
                  "pos_embedding",
                  torch
                      .empty(1, seqLength, hiddenDim)
                      .normal_(0.0, 0.02, new GeneratorOptional())));
      this.dropout = register_module("dropout", new DropoutImpl(dropout));
      // Held in a field: see DenseNet.features.
      layersModule = register_module("layers", new Module());
      for (int i = 0; i < numLayers; i++) {
        layers.add(
            layersModule.register_module(
                "encoder_layer_" + i,
                new EncoderBlock(numHeads, hiddenDim, mlpDim, dropout, attentionDropout)));
      }
      ln = register_module("ln", layerNorm(hiddenDim));
    }

    /** The encoded sequence. */
    public Tensor forward(Tensor input) {
      if (input.dim() != 3) {
        throw new IllegalArgumentException(
            "Expected (batch_size, seq_length, hidden_dim), got " + input.dim() + " dimensions");
      }
      input = input.add(posEmbedding);
      Tensor x = dropout.forward(input);
      for (EncoderBlock layer : layers) {
        x = layer.forward(x);
      }
      return ln.forward(x);
    }
  }

  /** torchvision's {@code EncoderBlock}: self-attention and an MLP, each with a shortcut. */
  public static class EncoderBlock extends Module {

    private final LayerNormImpl ln1;
    private final MultiheadAttentionImpl selfAttention;
    private final DropoutImpl dropout;
    private final LayerNormImpl ln2;
    private final MLPBlock mlp;

    /** A block of {@code numHeads} heads over {@code hiddenDim} features. */
    public EncoderBlock(
        long numHeads, long hiddenDim, long mlpDim, double dropout, double attentionDropout) {
      ln1 = register_module("ln_1", layerNorm(hiddenDim));
      MultiheadAttentionOptions options = new MultiheadAttentionOptions(hiddenDim, numHeads);
      options.dropout().put(attentionDropout);
      selfAttention = register_module("self_attention", new MultiheadAttentionImpl(options));
      this.dropout = register_module("dropout", new DropoutImpl(dropout));
      ln2 = register_module("ln_2", layerNorm(hiddenDim));
      mlp = register_module("mlp", new MLPBlock(hiddenDim, mlpDim, dropout));
    }

    /** The block's output. */
    public Tensor forward(Tensor input) {
      if (input.dim() != 3) {
        throw new IllegalArgumentException(
            "Expected (batch_size, seq_length, hidden_dim), got " + input.dim() + " dimensions");
      }
      Tensor x = ln1.forward(input);
      // libtorch's MultiheadAttention takes (sequence, batch, features): torchvision's is
      // batch-first.
      Tensor sequenceFirst = x.transpose(0, 1);
      x =
          selfAttention
              .forward(
                  sequenceFirst,
                  sequenceFirst,
                  sequenceFirst,
                  new Tensor(),
                  false,
                  new Tensor(),
                  true)
              .get0()
              .transpose(0, 1);
      x = dropout.forward(x);
      x = x.add(input);
      Tensor y = ln2.forward(x);
      y = mlp.forward(y);
      return x.add(y);
    }
  }

  /**
   * torchvision's {@code MLPBlock}: {@code MLP(in, [mlp, in])} with GELU. A leaf, because it is an
   * {@code MLP}, whose {@code @LeafModule} its subclasses inherit, as torchvision's tracer makes
   * every instance of {@code torchvision.ops}' modules a leaf ({@code isinstance}).
   */
  public static class MLPBlock extends MLP {

    /** An MLP from {@code inDim} through {@code mlpDim} back to {@code inDim}. */
    public MLPBlock(long inDim, long mlpDim, double dropout) {
      super(inDim, new long[] {mlpDim, inDim}, Activation.GELU, true, dropout);
    }
  }

  private static LayerNormImpl layerNorm(long dim) {
    LayerNormOptions options = new LayerNormOptions(new LongVector(new long[] {dim}));
    options.eps().put(1e-6);
    return new LayerNormImpl(options);
  }
}
