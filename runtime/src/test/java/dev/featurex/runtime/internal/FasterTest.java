package dev.featurex.runtime.internal;

import static com.google.common.truth.Truth.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** A shape's two ways are timed on its first call and on its settling call, and only then. */
class FasterTest {

  /** A way that counts its runs. */
  private static Supplier<Tensor> counted(AtomicInteger runs) {
    return () -> {
      runs.incrementAndGet();
      return torch.zeros(1, 1, 2, 2);
    };
  }

  @Test
  void bothWaysAreTimedOnTheFirstAndTheSettlingCallOnly() {
    Map<List<Long>, Faster.Decision> decisions = new HashMap<>();
    Tensor input = torch.zeros(1, 1, 2, 2);
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    int timedRuns = 1 + Faster.RUNS; // untimed, then timed
    for (int call = 1; call <= Faster.SETTLE_AT + 4; call++) {
      int before = first.get() + second.get();
      Faster.ofShape(decisions, input, counted(first), counted(second));
      int runs = first.get() + second.get() - before;
      boolean timed = call == 1 || call == Faster.SETTLE_AT;
      assertThat(runs).isEqualTo(timed ? 2 * timedRuns + 1 : 1);
    }
    assertThat(decisions).containsKey(List.of(1L, 1L, 2L, 2L));
    // A settled decision is kept: no more timing for that shape.
    Map<List<Long>, Faster.Decision> settled = new HashMap<>();
    settled.put(List.of(1L, 1L, 2L, 2L), Faster.Decision.settled(true));
    int before = first.get() + second.get();
    int secondBefore = second.get();
    Faster.ofShape(settled, input, counted(first), counted(second));
    assertThat(first.get() + second.get() - before).isEqualTo(1);
    assertThat(second.get() - secondBefore).isEqualTo(1);
  }
}
