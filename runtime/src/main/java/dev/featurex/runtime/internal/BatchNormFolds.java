package dev.featurex.runtime.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * The convolution + batch-norm pairs an extractor folds ({@link
 * dev.featurex.runtime.Optimization#FOLD_BATCH_NORM}), each computed as one convolution with folded
 * weights that this table holds ({@link FoldedConvolution}).
 *
 * <p>Folded weights are made on first use and made again when one of the tensors they come from
 * changes: in place (its version counter moved: {@code copy_}, an optimizer step, {@code
 * StateDict.load}), by being replaced in the module, or, for the running statistics, by a forward
 * in training mode (which moves no version counter: their values are compared). A pair runs
 * unfolded, as {@code forward} runs it, while folding is off, while its batch norm is in training
 * mode, or when it cannot be folded at all ({@link FoldedConvolution#make}).
 *
 * <p>Thread-safe: folded weights are immutable and published atomically; two threads that find them
 * stale at once may both rebuild them, with the same result.
 */
final class BatchNormFolds {

  private final Optimizations optimizations;
  private final Conv2dImpl[] convolutions;
  private final BatchNorm2dImpl[] norms;
  private final Tensor[][] watched;
  private final AtomicReferenceArray<FoldedConvolution> folded;
  private final OneDnnConvolutions kernels;

  /**
   * The pairs {@code (convolutions[i], norms[i])}, folded when {@code optimizations} say so.
   *
   * @throws IllegalArgumentException when the arrays differ in length or hold a null
   */
  BatchNormFolds(Optimizations optimizations, Conv2dImpl[] convolutions, BatchNorm2dImpl[] norms) {
    this.optimizations = Objects.requireNonNull(optimizations, "optimizations");
    if (convolutions.length != norms.length) {
      throw new IllegalArgumentException(
          convolutions.length + " convolutions for " + norms.length + " batch norms");
    }
    this.convolutions = convolutions.clone();
    this.norms = norms.clone();
    this.watched = new Tensor[convolutions.length][];
    for (int i = 0; i < convolutions.length; i++) {
      if (convolutions[i] == null || norms[i] == null) {
        throw new IllegalArgumentException("fold " + i + " has no module");
      }
      watched[i] = FoldedConvolution.sources(convolutions[i], norms[i]);
    }
    this.folded = new AtomicReferenceArray<>(convolutions.length);
    this.kernels = new OneDnnConvolutions(optimizations, convolutions);
  }

  /** The number of pairs. */
  int size() {
    return convolutions.length;
  }

  /**
   * The batch norm of pair {@code fold} applied to its convolution of {@code input}: folded when
   * folding is on and the batch norm is in eval mode, else the two modules' {@code forward} (the
   * convolution's output freed at once when freeing after the last use is on). Either convolution
   * may take oneDNN's kernel ({@link OneDnnConvolutions}); both share the pair's decisions.
   */
  Tensor forward(int fold, Tensor input) {
    BatchNorm2dImpl norm = norms[fold];
    if (optimizations.foldBatchNorm() && !norm.is_training()) {
      FoldedConvolution f = current(fold);
      if (f.foldable()) {
        return optimizations.oneDnnConvolution()
            ? f.forward(input, kernels.decisions(fold))
            : f.forward(input);
      }
    }
    Tensor convolved = kernels.forward(fold, input);
    Tensor normalized = norm.forward(convolved);
    if (optimizations.freeAfterLastUse()) {
      convolved.deallocate();
    }
    return normalized;
  }

  /** The folded convolution of pair {@code fold}, made again when its sources changed. */
  @SuppressWarnings("try") // a PointerScope works by being open, never named
  FoldedConvolution current(int fold) {
    FoldedConvolution f = folded.get(fold);
    if (f != null && !f.stale(watched[fold])) {
      return f;
    }
    // Made outside the caller's scope: the folded weights outlive this call.
    try (PointerScope scope = new PointerScope()) {
      f = FoldedConvolution.make(convolutions[fold], norms[fold], watched[fold]);
    }
    folded.set(fold, f);
    return f;
  }
}
