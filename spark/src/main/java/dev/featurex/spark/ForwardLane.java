package dev.featurex.spark;

import dev.featurex.runtime.Threads;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where a task's forward calls run ({@code --forward}).
 *
 * <ul>
 *   <li>{@link #task(int)}: on the task's own thread, with the task's torch threads: an executor
 *       with C one-CPU tasks runs C forwards side by side, each on one core.
 *   <li>{@link #executor(int)}: on one thread per executor JVM, shared by its tasks, one forward at
 *       a time on all the executor's cores; while it computes, the other tasks read, decode,
 *       preprocess and write. This is what the single-JVM command line does (its loader decodes on
 *       other threads while one forward uses every core).
 * </ul>
 *
 * <p>The shared thread is one JVM-wide daemon thread, started at first use; libtorch's intra-op
 * thread count is per calling thread (OpenMP's), so it is set on that thread, and only one OpenMP
 * team ever computes in the executor.
 */
abstract sealed class ForwardLane {

  /**
   * A result, the time its computation took on the lane, and the time it waited for the lane before
   * (0 on the task's own thread).
   */
  record Timed<T>(T value, long nanos, long waitNanos) {}

  private ForwardLane() {}

  /** Forward calls on the calling task's thread, with {@code threads} torch threads. */
  static ForwardLane task(int threads) {
    return new OnTaskThread(threads);
  }

  /** Forward calls on the executor's one shared thread, with {@code threads} torch threads. */
  static ForwardLane executor(int threads) {
    return new Shared(threads);
  }

  /**
   * Runs {@code work} on this lane and returns its result, with the time it ran and the time it
   * waited for the lane. An exception of {@code work} is thrown as it is (an {@link Exception} that
   * is not a {@link RuntimeException}, wrapped in one).
   *
   * @throws IllegalStateException when the calling thread is interrupted while it waits (Spark
   *     kills a task that way); its work is cancelled unless it already started
   */
  abstract <T> Timed<T> run(Callable<T> work);

  /** Runs {@code work} and times it; {@code waitNanos} is how long it waited before. */
  private static <T> Timed<T> timed(Callable<T> work, long waitNanos) throws Exception {
    long start = System.nanoTime();
    T value = work.call();
    return new Timed<>(value, System.nanoTime() - start, waitNanos);
  }

  private static final class OnTaskThread extends ForwardLane {
    OnTaskThread(int threads) {
      Threads.set(threads); // this thread's torch threads and OpenBLAS's pool (see Threads)
    }

    @Override
    <T> Timed<T> run(Callable<T> work) {
      try {
        return timed(work, 0);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }
  }

  private static final class Shared extends ForwardLane {
    /** The JVM's one forward thread; created at first use, never stopped (a daemon). */
    private static ExecutorService thread;

    /** The torch threads last set on the shared thread (only that thread reads and writes it). */
    private static int threadsSet;

    private final int threads;

    Shared(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
    }

    private static synchronized ExecutorService thread() {
      if (thread == null) {
        thread =
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "featurex-forward");
                  t.setDaemon(true);
                  return t;
                });
      }
      return thread;
    }

    @Override
    <T> Timed<T> run(Callable<T> work) {
      long submitted = System.nanoTime();
      Future<Timed<T>> result =
          thread()
              .submit(
                  () -> {
                    if (threadsSet != threads) {
                      Threads.set(threads);
                      threadsSet = threads;
                    }
                    return timed(work, System.nanoTime() - submitted);
                  });
      try {
        return result.get();
      } catch (InterruptedException e) {
        result.cancel(false);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the executor's forward", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause.getMessage(), cause);
      }
    }
  }
}
