package dev.featurex.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.runtime.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Where the forward calls run ({@code --forward}), and how many cores an executor has. */
class ForwardLaneTest {

  @Test
  void executorLaneRunsOneCallAtATimeOnItsOwnThreadWithItsThreads() throws Exception {
    ForwardLane lane = ForwardLane.executor(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService tasks = Executors.newFixedThreadPool(4);
    try {
      List<Future<ForwardLane.Timed<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            tasks.submit(
                () -> {
                  start.await();
                  return lane.run(
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(5);
                        running.decrementAndGet();
                        return Thread.currentThread().getName() + " " + Threads.torch();
                      });
                }));
      }
      start.countDown();
      long waited = 0;
      for (Future<ForwardLane.Timed<String>> call : calls) {
        ForwardLane.Timed<String> result = call.get(30, TimeUnit.SECONDS);
        assertThat(result.value()).isEqualTo("featurex-forward 2");
        assertThat(result.nanos()).isAtLeast(TimeUnit.MILLISECONDS.toNanos(5));
        waited += result.waitNanos();
      }
      // four callers, one lane: the calls queued behind each other
      assertThat(waited).isAtLeast(TimeUnit.MILLISECONDS.toNanos(5));
    } finally {
      tasks.shutdownNow();
    }
    assertThat(most.get()).isEqualTo(1);
    // Another thread count for the same thread is set before the next call.
    assertThat(ForwardLane.executor(1).run(Threads::torch).value()).isEqualTo(1);
  }

  @Test
  void failuresReachTheTaskAsTheyAre() {
    IllegalArgumentException thrown = new IllegalArgumentException("node layer9 not found");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    ForwardLane.executor(1)
                        .run(
                            () -> {
                              throw thrown;
                            })))
        .isSameInstanceAs(thrown);
    assertThat(
            assertThrows(
                IllegalStateException.class,
                () ->
                    ForwardLane.task(1)
                        .run(
                            () -> {
                              throw new java.io.IOException("disk gone");
                            })))
        .hasMessageThat()
        .isEqualTo("disk gone");
    // The shared thread survives a failed call.
    assertThat(ForwardLane.executor(1).run(() -> "next").value()).isEqualTo("next");
  }

  @Test
  void aTaskInterruptedWhileWaitingGivesUpAndItsWorkNeverRuns() throws Exception {
    ForwardLane lane = ForwardLane.executor(1);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first =
        new Thread(
            () ->
                lane.run(
                    () -> {
                      busy.countDown();
                      return release.await(30, TimeUnit.SECONDS);
                    }));
    first.start();
    assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean ran = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread second =
        new Thread(
            () -> {
              try {
                lane.run(() -> ran.getAndSet(true));
              } catch (RuntimeException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    second.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (second.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1); // until it waits for the lane
    }
    second.interrupt();
    second.join(30_000);
    release.countDown();
    first.join(30_000);

    assertThat(lane.run(() -> "after").value()).isEqualTo("after"); // the lane goes on
    assertThat(ran.get()).isFalse(); // the interrupted task's work was cancelled
    assertThat(failure.get())
        .hasMessageThat()
        .isEqualTo("interrupted while waiting for the executor's forward");
    assertThat(stillInterrupted.get()).isTrue();
  }

  @Test
  void taskLaneRunsOnTheCallersThread() {
    ForwardLane lane = ForwardLane.task(1);
    ForwardLane.Timed<Thread> result = lane.run(Thread::currentThread);
    assertThat(result.value()).isSameInstanceAs(Thread.currentThread());
    assertThat(result.waitNanos()).isEqualTo(0L);
    assertThat(Threads.torch()).isEqualTo(1);
  }

  @Test
  void executorCoresFromTheConfOrTheMaster() {
    assertThat(PartitionTask.executorCores("yarn", "4", 16)).isEqualTo(4);
    assertThat(PartitionTask.executorCores("local[8]", "3", 16)).isEqualTo(3);
    assertThat(PartitionTask.executorCores("local", null, 16)).isEqualTo(1);
    assertThat(PartitionTask.executorCores("local[2]", null, 16)).isEqualTo(2);
    assertThat(PartitionTask.executorCores("local[ 3 , 4]", null, 16)).isEqualTo(3);
    assertThat(PartitionTask.executorCores("local[*]", null, 16)).isEqualTo(16);
    assertThat(PartitionTask.executorCores("local[*,2]", null, 16)).isEqualTo(16);
    assertThat(PartitionTask.executorCores("local-cluster[2, 3, 1024]", null, 16)).isEqualTo(3);
    assertThat(PartitionTask.executorCores("k8s://https://h:443", null, 6)).isEqualTo(6);
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> PartitionTask.executorCores("yarn", "four", 16)))
        .hasMessageThat()
        .contains("spark.executor.cores is \"four\", not a whole number");
  }
}
