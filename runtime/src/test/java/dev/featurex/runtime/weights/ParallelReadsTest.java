package dev.featurex.runtime.weights;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The threads a load reads on: every item done once, failures reported, nothing left running. */
class ParallelReadsTest {

  private static final long BIG = ParallelReads.MIN_PARALLEL_BYTES;

  @Test
  void everyItemIsDoneOnceOnAtMostTheThreadsAsked() {
    List<Integer> items = IntStream.range(0, 50).boxed().toList();
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    Set<Integer> workers = ConcurrentHashMap.newKeySet();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    Thread caller = Thread.currentThread();
    CountDownLatch callerStarted = new CountDownLatch(1);
    var failures =
        ParallelReads.run(
            items,
            i -> BIG,
            3,
            (i, worker) -> {
              assertThat(done.add(i)).isTrue();
              workers.add(worker);
              threads.add(Thread.currentThread());
              if (Thread.currentThread() == caller) {
                callerStarted.countDown();
              } else { // helpers wait for the caller's first item: the caller works too
                assertThat(callerStarted.await(30, TimeUnit.SECONDS)).isTrue();
              }
              Thread.sleep(1);
            });
    assertThat(failures).isEmpty();
    assertThat(done).containsExactlyElementsIn(items);
    assertThat(workers.size()).isAtMost(3);
    assertThat(threads.size()).isEqualTo(workers.size());
    assertThat(threads).contains(caller);
  }

  @Test
  void smallWorkStaysOnTheCaller() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    ParallelReads.run(
        List.of(1, 2, 3), i -> 1L, 4, (i, worker) -> threads.add(Thread.currentThread()));
    assertThat(threads).containsExactly(Thread.currentThread());
  }

  @Test
  void failuresAreReportedAndTheOtherItemsStillDone() {
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    var failures =
        ParallelReads.run(
            IntStream.range(0, 20).boxed().toList(),
            i -> BIG,
            2,
            (i, worker) -> {
              if (i % 7 == 3) {
                throw new IOException("item " + i);
              }
              done.add(i);
            });
    assertThat(failures.stream().map(ParallelReads.Failure::item).toList())
        .containsExactly(3, 10, 17);
    assertThat(failures.stream().map(f -> f.error().getMessage()).toList())
        .containsExactly("item 3", "item 10", "item 17");
    assertThat(done).hasSize(17);
  }

  @Test
  void anInterruptedCallerStillWaitsForEveryItemAndKeepsItsInterrupt() {
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    Thread.currentThread().interrupt();
    try {
      ParallelReads.run(
          IntStream.range(0, 10).boxed().toList(),
          i -> BIG,
          2,
          (i, worker) -> {
            long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < until) {
              Thread.onSpinWait(); // busy, so the caller's interrupt does not end the work early
            }
            done.add(i);
          });
      assertThat(done).hasSize(10);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anErrorInAHelperIsRethrownAfterEveryItem() {
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    Thread caller = Thread.currentThread();
    CountDownLatch helperStarted = new CountDownLatch(1);
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                ParallelReads.run(
                    IntStream.range(0, 10).boxed().toList(),
                    i -> BIG,
                    2,
                    (i, worker) -> {
                      if (Thread.currentThread() != caller) {
                        helperStarted.countDown();
                        throw new AssertionError("helper broke");
                      }
                      // The caller waits for the helper's first item, so the helper gets one.
                      assertThat(helperStarted.await(30, TimeUnit.SECONDS)).isTrue();
                      done.add(i);
                    }));
    assertThat(e).hasMessageThat().isEqualTo("helper broke");
    assertThat(done).hasSize(9); // the caller did every item the broken helper left
  }
}
