package dev.featurex.runtime.internal;

import java.util.Objects;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * What one extractor keeps to run its inference plan: its {@link Optimizations}, the folded weights
 * of its convolution + batch-norm pairs ({@link BatchNormFolds}), the layout decisions of its max
 * poolings ({@link MaxPools}) and the kernel decisions of its other convolutions ({@link
 * OneDnnConvolutions}), each bound to the model's modules. Generated typed extractors make one in
 * their constructor; run-time extractors get one from {@code GraphExecutor.bind}. Thread-safe.
 */
public final class InferenceState {

  private static final InferenceState NONE =
      new InferenceState(
          Optimizations.none(),
          new Conv2dImpl[0],
          new BatchNorm2dImpl[0],
          new MaxPool2dImpl[0],
          new Conv2dImpl[0]);

  private final Optimizations optimizations;
  private final BatchNormFolds folds;
  private final MaxPools pools;
  private final OneDnnConvolutions convolutions;

  /**
   * The state for {@code optimizations}, folding {@code (folded[i], norms[i])}, choosing the layout
   * of {@code pools[j]} and the kernel of {@code convolutions[c]} (the convolutions that are not
   * folded).
   *
   * @throws IllegalArgumentException when the pairs' arrays differ in length
   * @throws NullPointerException when a module is null
   */
  public InferenceState(
      Optimizations optimizations,
      Conv2dImpl[] folded,
      BatchNorm2dImpl[] norms,
      MaxPool2dImpl[] pools,
      Conv2dImpl[] convolutions) {
    this.optimizations = Objects.requireNonNull(optimizations, "optimizations");
    this.folds = new BatchNormFolds(optimizations, folded, norms);
    this.pools = new MaxPools(optimizations, pools);
    this.convolutions = new OneDnnConvolutions(optimizations, convolutions);
  }

  /** A state without optimizations, folds or poolings. */
  public static InferenceState none() {
    return NONE;
  }

  /** The optimizations. */
  public Optimizations optimizations() {
    return optimizations;
  }

  /** Whether a call in eval mode runs the inference plan now ({@link Optimizations#apply()}). */
  public boolean apply() {
    return optimizations.apply();
  }

  /** The number of folded pairs. */
  public int folds() {
    return folds.size();
  }

  /** The number of max poolings. */
  public int pools() {
    return pools.size();
  }

  /** The number of convolutions that are not folded. */
  public int convolutions() {
    return convolutions.size();
  }

  /**
   * Pair {@code fold}'s batch norm of its convolution of {@code input} ({@link BatchNormFolds}).
   */
  public Tensor folded(int fold, Tensor input) {
    return folds.forward(fold, input);
  }

  /** Max pooling {@code pool} of {@code input} ({@link MaxPools}). */
  public Tensor maxPool(int pool, Tensor input) {
    return pools.forward(pool, input);
  }

  /** Convolution {@code index} of {@code input} ({@link OneDnnConvolutions}). */
  public Tensor convolution(int index, Tensor input) {
    return convolutions.forward(index, input);
  }
}
