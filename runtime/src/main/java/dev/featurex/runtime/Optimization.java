package dev.featurex.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an extractor may do better than the model's {@code forward} when it runs for inference: eval
 * mode ({@code is_training()} false) with gradients off ({@code NoGradGuard}, {@code
 * InferenceMode}). None applies in training mode or while gradients are recorded: then an extractor
 * computes exactly what {@code forward} computes, node by node. They are decided from the traced
 * graph and the requested nodes, at compile time for typed extractors and when a run-time extractor
 * is made, and none changes a requested feature's value or a tensor the caller owns.
 *
 * <p>{@link #defaults()}, what extractors apply unless told otherwise, are the exact ones: {@link
 * #IN_PLACE}, {@link #FREE_AFTER_LAST_USE} and {@link #CHANNELS_LAST_MAX_POOL} return the same
 * features as {@code forward}, bit for bit. {@link #FOLD_BATCH_NORM} and {@link
 * #ONEDNN_CONVOLUTION} are faster still but round differently (within {@code 1e-5} of the value
 * range in float32), so they are applied only when asked for: {@link #all()}, in a typed
 * extractor's constructor ({@code new NetFeatureExtractor(model, Optimization.all())}) or in {@link
 * ExtractorOptions.Builder#optimizations}.
 */
public enum Optimization {

  /**
   * A 2-d batch norm right after a 2-d convolution runs as one convolution with folded weights
   * ({@code w * gamma / sqrt(var + eps)}, {@code (b - mean) * gamma / sqrt(var + eps) + beta},
   * computed in float64), unless the convolution's own output is requested or read elsewhere. The
   * extractor holds the folded weights and rebuilds them when the model's weights or statistics
   * change (tensor version counters, and the running statistics' values, which a forward in
   * training mode updates without moving their version), or when one is replaced by another tensor.
   * A batch norm in training mode, without running statistics, or after a convolution whose padding
   * mode is not zeros runs unfolded. Not among the {@link #defaults()}: the features differ from
   * {@code forward}'s by rounding.
   */
  FOLD_BATCH_NORM,

  /**
   * An activation ({@code relu}, {@code ReLUImpl}, {@code SiLUImpl}, ...) or a residual {@code add}
   * writes its result into its input, where that input is not requested, no other node reads it,
   * and its storage is new (a convolution's or a batch norm's output, never a view, an input or a
   * parameter). An {@code add} whose operands differ in shape or type runs out of place. Exact.
   */
  IN_PLACE,

  /**
   * Each intermediate tensor is freed right after the last node that reads it, so that the native
   * memory of one call follows the values alive at each step rather than the whole graph's. The
   * requested features and the caller's inputs are never freed. Exact.
   */
  FREE_AFTER_LAST_USE,

  /**
   * A 2-d max pooling of a contiguous 4-d tensor runs on a channels-last copy of it, its result
   * copied back to contiguous, where that measures faster on the machine it runs on: both ways are
   * timed on the first call of each input shape and again, for good, on its 16th, when one-time
   * costs no longer weigh (three runs each, the fastest of each kept). The first calls of a process
   * can hide the faster way: channels-last took 8-16 ms over its first runs and 1 ms after.
   * libtorch 2.10's kernel for contiguous tensors is several times slower than its channels-last
   * one on the machines measured (docs/benchmarks.md). Exact: a maximum is the same in any memory
   * order.
   */
  CHANNELS_LAST_MAX_POOL,

  /**
   * A 2-d convolution of a contiguous 4-d float32 tensor (zeros padding mode, numeric padding) runs
   * through oneDNN's kernel ({@code mkldnn_convolution}) instead of the one libtorch picks, where
   * that measures faster on the machine it runs on: both are timed on the first call of each input
   * shape and again, for good, on its 16th, when one-time costs no longer weigh (three runs each,
   * the fastest of each kept). libtorch 2.10 runs a 1x1, stride-1 convolution of fewer than 16
   * images on one thread as a plain matrix product, which measured slower than oneDNN's kernel
   * (docs/benchmarks.md). Applies to folded convolutions too. The timing makes the first call of
   * each input shape several times slower (ResNet-50: 1.6 s against 0.3 s at batch 1), and its 16th
   * call too: warm the extractor up on the shapes it will see, 16 calls each. Not among the {@link
   * #defaults()}: where libtorch would have picked another kernel, the features differ from {@code
   * forward}'s by float32 rounding.
   */
  ONEDNN_CONVOLUTION;

  /**
   * The exact optimizations, all but {@link #FOLD_BATCH_NORM} and {@link #ONEDNN_CONVOLUTION}: the
   * default.
   */
  public static Set<Optimization> defaults() {
    return Collections.unmodifiableSet(
        EnumSet.of(IN_PLACE, FREE_AFTER_LAST_USE, CHANNELS_LAST_MAX_POOL));
  }

  /** Every optimization, batch-norm folding and oneDNN's convolutions included. */
  public static Set<Optimization> all() {
    return Collections.unmodifiableSet(EnumSet.allOf(Optimization.class));
  }

  /** No optimization: extractors compute what {@code forward} computes, in every mode. */
  public static Set<Optimization> none() {
    return Collections.unmodifiableSet(EnumSet.noneOf(Optimization.class));
  }
}
