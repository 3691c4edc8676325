package dev.featurex.runtime.execute;

import dev.featurex.graph.ModuleTypes;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * How to call a built-in libtorch module as a leaf of a run-time traced graph: a table from the
 * module's C++ type name to its one-tensor {@code forward}, reached through the typed views of
 * {@link Module} ({@code asConv2d()}, ...), since {@code forward} is not virtual on {@code Module}.
 *
 * <p>It covers every built-in module whose {@code forward} takes one tensor and returns one tensor:
 * convolutions and transposed convolutions, norms, linear, identity, flatten and unflatten,
 * dropouts, single-input activations, pools, padding, upsample, pixel (un)shuffle, fold, embedding,
 * single-input recurrent cells, transformer encoders, and {@code SequentialImpl} (when a caller
 * makes one a leaf). Modules that take several inputs or return tuples (bilinear, losses, RNN,
 * LSTM, GRU, multi-head attention, max-unpool) have no entry.
 */
public final class NativeLeaves {

  private static final Map<String, Function<Module, UnaryOperator<Tensor>>> TABLE = table();

  private NativeLeaves() {}

  /** The C++ type names ({@code torch::nn::Conv2dImpl}) that have an entry, sorted. */
  public static Set<String> types() {
    return Collections.unmodifiableSet(TABLE.keySet());
  }

  /**
   * {@code module}'s one-tensor {@code forward}, bound once (calling the result allocates no view),
   * or empty when its type has no entry.
   */
  public static Optional<UnaryOperator<Tensor>> forward(Module module) {
    Function<Module, UnaryOperator<Tensor>> binder = TABLE.get(module.name().getString());
    return binder == null ? Optional.empty() : Optional.of(binder.apply(module));
  }

  private static Map<String, Function<Module, UnaryOperator<Tensor>>> table() {
    Map<String, Function<Module, UnaryOperator<Tensor>>> t = new TreeMap<>();
    convolutionsAndNorms(t);
    activations(t);
    poolsAndPadding(t);
    others(t);
    Map<String, Function<Module, UnaryOperator<Tensor>>> named = new TreeMap<>();
    t.forEach((simple, binder) -> named.put(ModuleTypes.nativeName(simple + "Impl"), binder));
    return Collections.unmodifiableMap(named);
  }

  private static void convolutionsAndNorms(Map<String, Function<Module, UnaryOperator<Tensor>>> t) {
    t.put("Conv1d", m -> m.asConv1d()::forward);
    t.put("Conv2d", m -> m.asConv2d()::forward);
    t.put("Conv3d", m -> m.asConv3d()::forward);
    t.put("ConvTranspose1d", m -> m.asConvTranspose1d()::forward);
    t.put("ConvTranspose2d", m -> m.asConvTranspose2d()::forward);
    t.put("ConvTranspose3d", m -> m.asConvTranspose3d()::forward);
    t.put("BatchNorm1d", m -> m.asBatchNorm1d()::forward);
    t.put("BatchNorm2d", m -> m.asBatchNorm2d()::forward);
    t.put("BatchNorm3d", m -> m.asBatchNorm3d()::forward);
    t.put("InstanceNorm1d", m -> m.asInstanceNorm1d()::forward);
    t.put("InstanceNorm2d", m -> m.asInstanceNorm2d()::forward);
    t.put("InstanceNorm3d", m -> m.asInstanceNorm3d()::forward);
    t.put("LayerNorm", m -> m.asLayerNorm()::forward);
    t.put("GroupNorm", m -> m.asGroupNorm()::forward);
    t.put("LocalResponseNorm", m -> m.asLocalResponseNorm()::forward);
    t.put("CrossMapLRN2d", m -> m.asCrossMapLRN2d()::forward);
  }

  private static void activations(Map<String, Function<Module, UnaryOperator<Tensor>>> t) {
    t.put("ReLU", m -> m.asReLU()::forward);
    t.put("ReLU6", m -> m.asReLU6()::forward);
    t.put("RReLU", m -> m.asRReLU()::forward);
    t.put("PReLU", m -> m.asPReLU()::forward);
    t.put("LeakyReLU", m -> m.asLeakyReLU()::forward);
    t.put("ELU", m -> m.asELU()::forward);
    t.put("SELU", m -> m.asSELU()::forward);
    t.put("CELU", m -> m.asCELU()::forward);
    t.put("GELU", m -> m.asGELU()::forward);
    t.put("GLU", m -> m.asGLU()::forward);
    t.put("SiLU", m -> m.asSiLU()::forward);
    t.put("Mish", m -> m.asMish()::forward);
    t.put("Sigmoid", m -> m.asSigmoid()::forward);
    t.put("LogSigmoid", m -> m.asLogSigmoid()::forward);
    t.put("Tanh", m -> m.asTanh()::forward);
    t.put("Tanhshrink", m -> m.asTanhshrink()::forward);
    t.put("Hardtanh", m -> m.asHardtanh()::forward);
    t.put("Hardshrink", m -> m.asHardshrink()::forward);
    t.put("Softshrink", m -> m.asSoftshrink()::forward);
    t.put("Softsign", m -> m.asSoftsign()::forward);
    t.put("Softplus", m -> m.asSoftplus()::forward);
    t.put("Softmax", m -> m.asSoftmax()::forward);
    t.put("Softmin", m -> m.asSoftmin()::forward);
    t.put("LogSoftmax", m -> m.asLogSoftmax()::forward);
    t.put("Softmax2d", m -> m.asSoftmax2d()::forward);
    t.put("Threshold", m -> m.asThreshold()::forward);
  }

  private static void poolsAndPadding(Map<String, Function<Module, UnaryOperator<Tensor>>> t) {
    t.put("MaxPool1d", m -> m.asMaxPool1d()::forward);
    t.put("MaxPool2d", m -> m.asMaxPool2d()::forward);
    t.put("MaxPool3d", m -> m.asMaxPool3d()::forward);
    t.put("AvgPool1d", m -> m.asAvgPool1d()::forward);
    t.put("AvgPool2d", m -> m.asAvgPool2d()::forward);
    t.put("AvgPool3d", m -> m.asAvgPool3d()::forward);
    t.put("AdaptiveMaxPool1d", m -> m.asAdaptiveMaxPool1d()::forward);
    t.put("AdaptiveMaxPool2d", m -> m.asAdaptiveMaxPool2d()::forward);
    t.put("AdaptiveMaxPool3d", m -> m.asAdaptiveMaxPool3d()::forward);
    t.put("AdaptiveAvgPool1d", m -> m.asAdaptiveAvgPool1d()::forward);
    t.put("AdaptiveAvgPool2d", m -> m.asAdaptiveAvgPool2d()::forward);
    t.put("AdaptiveAvgPool3d", m -> m.asAdaptiveAvgPool3d()::forward);
    t.put("LPPool1d", m -> m.asLPPool1d()::forward);
    t.put("LPPool2d", m -> m.asLPPool2d()::forward);
    t.put("LPPool3d", m -> m.asLPPool3d()::forward);
    t.put("FractionalMaxPool2d", m -> m.asFractionalMaxPool2d()::forward);
    t.put("FractionalMaxPool3d", m -> m.asFractionalMaxPool3d()::forward);
    t.put("ReflectionPad1d", m -> m.asReflectionPad1d()::forward);
    t.put("ReflectionPad2d", m -> m.asReflectionPad2d()::forward);
    t.put("ReflectionPad3d", m -> m.asReflectionPad3d()::forward);
    t.put("ReplicationPad1d", m -> m.asReplicationPad1d()::forward);
    t.put("ReplicationPad2d", m -> m.asReplicationPad2d()::forward);
    t.put("ReplicationPad3d", m -> m.asReplicationPad3d()::forward);
    t.put("ConstantPad1d", m -> m.asConstantPad1d()::forward);
    t.put("ConstantPad2d", m -> m.asConstantPad2d()::forward);
    t.put("ConstantPad3d", m -> m.asConstantPad3d()::forward);
    t.put("ZeroPad1d", m -> m.asZeroPad1d()::forward);
    t.put("ZeroPad2d", m -> m.asZeroPad2d()::forward);
    t.put("ZeroPad3d", m -> m.asZeroPad3d()::forward);
  }

  private static void others(Map<String, Function<Module, UnaryOperator<Tensor>>> t) {
    t.put("Linear", m -> m.asLinear()::forward);
    t.put("Identity", m -> m.asIdentity()::forward);
    t.put("Flatten", m -> m.asFlatten()::forward);
    t.put("Unflatten", m -> m.asUnflatten()::forward);
    t.put("Dropout", m -> m.asDropout()::forward);
    t.put("Dropout2d", m -> m.asDropout2d()::forward);
    t.put("Dropout3d", m -> m.asDropout3d()::forward);
    t.put("AlphaDropout", m -> m.asAlphaDropout()::forward);
    t.put("FeatureAlphaDropout", m -> m.asFeatureAlphaDropout()::forward);
    t.put("Upsample", m -> m.asUpsample()::forward);
    t.put("PixelShuffle", m -> m.asPixelShuffle()::forward);
    t.put("PixelUnshuffle", m -> m.asPixelUnshuffle()::forward);
    t.put("Fold", m -> m.asFold()::forward);
    t.put("Unfold", m -> m.asUnfold()::forward);
    t.put("Embedding", m -> m.asEmbedding()::forward);
    t.put("EmbeddingBag", m -> m.asEmbeddingBag()::forward);
    t.put("RNNCell", m -> m.asRNNCell()::forward);
    t.put("GRUCell", m -> m.asGRUCell()::forward);
    t.put("TransformerEncoderLayer", m -> m.asTransformerEncoderLayer()::forward);
    t.put("TransformerEncoder", m -> m.asTransformerEncoder()::forward);
    t.put("Sequential", m -> m.asSequential()::forward);
  }
}
