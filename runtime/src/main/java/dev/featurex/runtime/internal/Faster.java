package dev.featurex.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;

/**
 * Which of two ways of computing the same tensor is faster here: each is run {@link #RUNS} times,
 * alternating, its result freed at once, and the fastest run of each compares. How {@link MaxPools}
 * picks a layout and {@link OneDnnConvolutions} a kernel, once per input shape.
 */
final class Faster {

  /** Runs of each way. */
  static final int RUNS = 3;

  private Faster() {}

  /**
   * {@code first}'s or {@code second}'s tensor, whichever way {@code decisions} hold faster for the
   * shape of {@code input} (4-d), timing both first ({@link #secondIsFaster}) when they do not know
   * it yet.
   */
  static Tensor ofShape(
      Map<List<Long>, Boolean> decisions,
      Tensor input,
      Supplier<Tensor> first,
      Supplier<Tensor> second) {
    List<Long> shape = List.of(input.size(0), input.size(1), input.size(2), input.size(3));
    Boolean secondFaster = decisions.get(shape);
    if (secondFaster == null) {
      secondFaster = secondIsFaster(first, second);
      decisions.put(shape, secondFaster);
    }
    return secondFaster ? second.get() : first.get();
  }

  /** Whether {@code second}'s fastest run beats {@code first}'s. */
  static boolean secondIsFaster(Supplier<Tensor> first, Supplier<Tensor> second) {
    long firstBest = Long.MAX_VALUE;
    long secondBest = Long.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      long start = System.nanoTime();
      first.get().deallocate();
      long middle = System.nanoTime();
      second.get().deallocate();
      long end = System.nanoTime();
      firstBest = Math.min(firstBest, middle - start);
      secondBest = Math.min(secondBest, end - middle);
    }
    return secondBest < firstBest;
  }
}
