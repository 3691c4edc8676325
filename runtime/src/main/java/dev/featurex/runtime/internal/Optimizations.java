package dev.featurex.runtime.internal;

import dev.featurex.graph.InferencePlan;
import dev.featurex.runtime.Optimization;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.pytorch.GradMode;

/**
 * The optimizations an extractor was made with ({@link Optimization}), and the rule that decides,
 * per call, whether they apply: the extractor is in eval mode, at least one is on, and gradients
 * are not recorded ({@code GradMode.is_enabled()} false, as under {@code NoGradGuard} or {@code
 * InferenceMode}). Immutable.
 */
public final class Optimizations {

  private static final Optimizations NONE = new Optimizations(EnumSet.noneOf(Optimization.class));

  private final boolean fold;
  private final boolean inPlace;
  private final boolean free;
  private final boolean maxPool;
  private final boolean oneDnn;

  private Optimizations(Set<Optimization> on) {
    this.fold = on.contains(Optimization.FOLD_BATCH_NORM);
    this.inPlace = on.contains(Optimization.IN_PLACE);
    this.free = on.contains(Optimization.FREE_AFTER_LAST_USE);
    this.maxPool = on.contains(Optimization.CHANNELS_LAST_MAX_POOL);
    this.oneDnn = on.contains(Optimization.ONEDNN_CONVOLUTION);
  }

  /**
   * The switches for {@code optimizations}.
   *
   * @throws NullPointerException when the set or an element is null
   */
  public static Optimizations of(Set<Optimization> optimizations) {
    Objects.requireNonNull(optimizations, "optimizations must not be null (Optimization.none())");
    for (Optimization o : optimizations) {
      Objects.requireNonNull(o, "optimizations must not contain null");
    }
    return optimizations.isEmpty() ? NONE : new Optimizations(optimizations);
  }

  /** No optimization. */
  public static Optimizations none() {
    return NONE;
  }

  /**
   * Whether a call of an extractor in eval mode runs its inference plan now: an optimization is on
   * and gradients are off.
   */
  public boolean apply() {
    return any() && !GradMode.is_enabled();
  }

  /** Whether batch norms are folded into convolutions. */
  public boolean foldBatchNorm() {
    return fold;
  }

  /** Whether activations and adds write into inputs that are not used again. */
  public boolean inPlace() {
    return inPlace;
  }

  /** Whether intermediates are freed after their last use. */
  public boolean freeAfterLastUse() {
    return free;
  }

  /** Whether 2-d max pooling may run channels-last where that measures faster. */
  public boolean channelsLastMaxPool() {
    return maxPool;
  }

  /** Whether 2-d convolutions may run through oneDNN's kernel where that measures faster. */
  public boolean oneDnnConvolution() {
    return oneDnn;
  }

  /** Whether any optimization is on. */
  public boolean any() {
    return fold || inPlace || free || maxPool || oneDnn;
  }

  /** The plan options of the graph module for these switches. */
  public InferencePlan.Options planOptions() {
    return new InferencePlan.Options(fold, inPlace, free);
  }
}
