package dev.featurex.runtime.weights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Runs the reads of a load on several threads: the caller and helpers from a shared pool of daemon
 * threads (made when first needed, gone after a minute unused). Each thread takes the largest item
 * left, so the threads finish together. Reading a record is memory-bound (the kernel copies it out
 * of the page cache), so a second core reads about as fast again; {@code CheckpointIo} in the
 * samples measures it.
 */
final class ParallelReads {

  /**
   * Below this many bytes in all, one thread does everything: a handoff costs more than it saves.
   */
  static final long MIN_PARALLEL_BYTES = 4 << 20;

  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "featurex-checkpoint-reader");
            thread.setDaemon(true);
            return thread;
          });

  private ParallelReads() {}

  /** The work on one item, by the thread numbered {@code worker} (0 to threads - 1). */
  @FunctionalInterface
  interface Work<T> {
    void run(T item, int worker) throws Exception;
  }

  /** An item whose work threw. */
  record Failure<T>(T item, Exception error) {}

  /**
   * Runs {@code work} on every item, on at most {@code threads} threads, and returns when every
   * item is done (even when some failed, or the caller is interrupted: no read may still be writing
   * when this returns).
   *
   * @return the items whose work threw, with what it threw, in no particular order
   */
  static <T> List<Failure<T>> run(
      List<T> items, ToLongFunction<T> bytes, int threads, Work<T> work) {
    List<T> order = new ArrayList<>(items);
    order.sort(Comparator.comparingLong(bytes).reversed());
    long total = order.stream().mapToLong(bytes).sum();
    int helpers = total < MIN_PARALLEL_BYTES ? 0 : Math.min(threads, order.size()) - 1;
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Failure<T>> failures = new ConcurrentLinkedQueue<>();
    List<Future<?>> running = new ArrayList<>();
    for (int h = 1; h <= helpers; h++) {
      int worker = h;
      running.add(POOL.submit(() -> drain(order, next, worker, work, failures)));
    }
    try {
      drain(order, next, 0, work, failures);
    } finally {
      awaitAll(running);
    }
    return new ArrayList<>(failures);
  }

  private static <T> void drain(
      List<T> order,
      AtomicInteger next,
      int worker,
      Work<T> work,
      ConcurrentLinkedQueue<Failure<T>> failures) {
    for (int i = next.getAndIncrement(); i < order.size(); i = next.getAndIncrement()) {
      try {
        work.run(order.get(i), worker);
      } catch (Exception e) {
        failures.add(new Failure<>(order.get(i), e));
      }
    }
  }

  /**
   * Waits for every helper, interrupted or not, keeps the caller's interrupt, and rethrows an
   * {@link Error} a helper met (the work's exceptions are failures, caught by {@link #drain}).
   */
  private static void awaitAll(List<Future<?>> running) {
    boolean interrupted = false;
    Error error = null;
    for (Future<?> future : running) {
      while (true) {
        try {
          future.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          error = error != null ? error : e.getCause() instanceof Error err ? err : null;
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (error != null) {
      throw error;
    }
  }
}
