package dev.featurex.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;

/**
 * Which of two ways of computing the same tensor is faster here, per input shape: how {@link
 * MaxPools} picks a layout and {@link OneDnnConvolutions} a kernel. A shape is timed on its first
 * call and again, for good, on its {@link #SETTLE_AT}th: the first calls of a process pay one-time
 * costs (memory touched for the first time, kernels built) that can hide the faster way for several
 * runs (a channels-last max pooling measured 8-16 ms over its first runs and 1 ms after). Each
 * timing runs both ways once untimed, then {@link #RUNS} times each, the order switching from run
 * to run, and compares the fastest runs.
 */
final class Faster {

  /** Timed runs of each way. */
  static final int RUNS = 3;

  /** The call of a shape on which its decision is made again, and kept. */
  static final int SETTLE_AT = 16;

  private Faster() {}

  /** What is known of one shape: the faster way so far, and its calls. */
  static final class Decision {
    private volatile boolean secondFaster;
    private final AtomicInteger calls = new AtomicInteger(1);

    private Decision(boolean secondFaster) {
      this.secondFaster = secondFaster;
    }

    /** A decision already made, as if settled ({@code secondFaster}: the second way). */
    static Decision settled(boolean secondFaster) {
      Decision d = new Decision(secondFaster);
      d.calls.set(SETTLE_AT);
      return d;
    }

    /** Whether the second way is the faster, as far as known. */
    boolean secondFaster() {
      return secondFaster;
    }
  }

  /**
   * {@code first}'s or {@code second}'s tensor, whichever way is faster for the shape of {@code
   * input} (4-d) as far as {@code decisions} know, timing both on the shape's first call and again
   * on its {@link #SETTLE_AT}th.
   */
  static Tensor ofShape(
      Map<List<Long>, Decision> decisions,
      Tensor input,
      Supplier<Tensor> first,
      Supplier<Tensor> second) {
    List<Long> shape = List.of(input.size(0), input.size(1), input.size(2), input.size(3));
    Decision decision = decisions.get(shape);
    if (decision == null) {
      decision = new Decision(secondIsFaster(first, second));
      decisions.put(shape, decision);
    } else if (decision.calls.get() < SETTLE_AT && decision.calls.incrementAndGet() == SETTLE_AT) {
      decision.secondFaster = secondIsFaster(first, second);
    }
    return decision.secondFaster ? second.get() : first.get();
  }

  /**
   * Whether {@code second}'s fastest run beats {@code first}'s: after one untimed run of each (so
   * that one-time costs, a kernel built or memory touched for the first time, decide nothing),
   * {@link #RUNS} timed runs of each, the order switching from run to run.
   */
  static boolean secondIsFaster(Supplier<Tensor> first, Supplier<Tensor> second) {
    first.get().deallocate();
    second.get().deallocate();
    long firstBest = Long.MAX_VALUE;
    long secondBest = Long.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      boolean firstFirst = run % 2 == 0;
      long a = time(firstFirst ? first : second);
      long b = time(firstFirst ? second : first);
      firstBest = Math.min(firstBest, firstFirst ? a : b);
      secondBest = Math.min(secondBest, firstFirst ? b : a);
    }
    return secondBest < firstBest;
  }

  private static long time(Supplier<Tensor> way) {
    long start = System.nanoTime();
    way.get().deallocate();
    return System.nanoTime() - start;
  }
}
