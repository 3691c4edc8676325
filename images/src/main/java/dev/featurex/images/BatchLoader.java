package dev.featurex.images;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and preprocesses images on a pool of threads, and hands them out as {@link ImageBatch}es
 * in input order, while the caller works on the previous batch: torchvision's {@code DataLoader}
 * with {@code num_workers}, for the command-line tool and the Spark job.
 *
 * <pre>{@code
 * try (BatchLoader loader = BatchLoader.builder(Preprocessing.imagenet())
 *     .batchSize(32).threads(2).openFiles(paths)) {
 *   while (loader.hasNext()) {
 *     ImageBatch batch = loader.next();
 *     batch.failures().forEach(f -> log(f.message()));
 *     try (Tensor x = batch.toTensor()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Order</b>: batch {@code k} holds inputs {@code k * batchSize} to {@code (k + 1) *
 *       batchSize - 1}, less its failures, in input order, whatever the thread count.
 *   <li><b>Failures</b> are per image: an unreadable image is listed in its batch's {@link
 *       ImageBatch#failures()} and the batch goes on without it.
 *   <li><b>Memory</b> is bounded: at most {@code prefetch} batches are being loaded ahead of the
 *       caller (each one array of {@code batchSize x 3 x H x W} floats, plus the images being
 *       decoded, one per thread); the input is read lazily, so it can be a stream of millions.
 *   <li><b>Shutdown</b>: {@link #close()} stops the threads (an image being decoded is finished and
 *       dropped) and returns; the threads are daemons, so a forgotten loader does not keep the JVM
 *       alive. Interrupting the caller waiting in {@link #next()} closes the loader and throws
 *       {@link CancellationException}, with the interrupt flag set.
 * </ul>
 *
 * <p>One caller thread at a time: the loader's own methods are not thread-safe.
 */
public final class BatchLoader implements Iterator<ImageBatch>, AutoCloseable {

  private static final AtomicInteger LOADERS = new AtomicInteger();

  private final Preprocessing preprocessing;
  private final ImageDecoder decoder;
  private final int batchSize;
  private final int prefetch;
  private final Iterator<? extends ImageSource> input;
  private final ExecutorService pool;
  private final ArrayDeque<BatchJob> inFlight = new ArrayDeque<>();
  private long nextBatch;
  private long nextInput;
  private volatile boolean closed;

  /** The longest Java array: a few words less than {@code Integer.MAX_VALUE}, as the JDK's own. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * The largest batch of images of {@code preprocessing} a loader takes: a batch is one float array
   * of {@code batchSize x 3 x H x W}, which must fit in one Java array.
   */
  public static int maxBatchSize(Preprocessing preprocessing) {
    return MAX_ARRAY / preprocessing.floatsPerImage();
  }

  private BatchLoader(Builder b, Iterator<? extends ImageSource> input) {
    if (b.batchSize > maxBatchSize(b.preprocessing)) {
      throw new IllegalArgumentException(
          "a batch of "
              + b.batchSize
              + " images of "
              + b.preprocessing.floatsPerImage()
              + " floats does not fit in one Java array; use batches of at most "
              + maxBatchSize(b.preprocessing));
    }
    this.preprocessing = b.preprocessing;
    this.decoder = b.decoder;
    this.batchSize = b.batchSize;
    this.prefetch = b.prefetch;
    this.input = input;
    this.pool =
        new ThreadPoolExecutor(
            b.threads,
            b.threads,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemons("featurex-images-" + LOADERS.incrementAndGet() + "-"));
  }

  /** A builder for loaders that preprocess with {@code preprocessing}. */
  public static Builder builder(Preprocessing preprocessing) {
    return new Builder(preprocessing);
  }

  /** Whether another batch is coming (false once closed). */
  @Override
  public boolean hasNext() {
    return !closed && (!inFlight.isEmpty() || input.hasNext());
  }

  /**
   * The next batch, waiting for it if its images are still being loaded.
   *
   * @throws NoSuchElementException when there is none (see {@link #hasNext()})
   * @throws CancellationException when the calling thread is interrupted while waiting (the loader
   *     is then closed)
   * @throws IllegalStateException when a loading thread died of an error that is not about one
   *     image (a linkage error, for instance)
   */
  @Override
  public ImageBatch next() {
    if (closed) {
      throw new NoSuchElementException("the loader is closed");
    }
    fill();
    BatchJob job = inFlight.poll();
    if (job == null) {
      throw new NoSuchElementException("no more images");
    }
    try {
      job.await();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for batch " + job.index);
    }
    fill();
    return job.toBatch();
  }

  /** The number of batches being loaded ahead of the caller (for tests and monitoring). */
  int inFlight() {
    return inFlight.size();
  }

  /** Stops the loading threads and drops the batches not yet handed out. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.shutdownNow();
    inFlight.clear();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #close()} has run and every loading thread has ended. */
  public boolean isTerminated() {
    return closed && pool.isTerminated();
  }

  /** Starts loading batches until {@code prefetch} are under way or the input ends. */
  private void fill() {
    while (inFlight.size() < prefetch && input.hasNext()) {
      List<ImageSource> sources = new ArrayList<>(batchSize);
      while (sources.size() < batchSize && input.hasNext()) {
        sources.add(Objects.requireNonNull(input.next(), "null image source in the input"));
      }
      BatchJob job = new BatchJob(nextBatch++, nextInput, sources, preprocessing);
      nextInput += sources.size();
      inFlight.add(job);
      for (int slot = 0; slot < sources.size(); slot++) {
        int s = slot;
        pool.execute(() -> job.load(s, decoder, () -> closed));
      }
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Options of a {@link BatchLoader}. */
  public static final class Builder {
    private final Preprocessing preprocessing;
    private ImageDecoder decoder = ImageDecoder.create();
    private int batchSize = 32;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int prefetch = 2;

    private Builder(Preprocessing preprocessing) {
      this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
    }

    /** The decoder (default: {@link ImageDecoder#create()}). */
    public Builder decoder(ImageDecoder decoder) {
      this.decoder = Objects.requireNonNull(decoder, "decoder");
      return this;
    }

    /** Images per batch (default 32). */
    public Builder batchSize(int batchSize) {
      this.batchSize = atLeastOne("batchSize", batchSize);
      return this;
    }

    /** Decoding threads (default: the number of processors). */
    public Builder threads(int threads) {
      this.threads = atLeastOne("threads", threads);
      return this;
    }

    /**
     * Batches loaded ahead of the caller (default 2): the bound on memory, and how much slack the
     * loading has when the caller's pace varies.
     */
    public Builder prefetch(int batches) {
      this.prefetch = atLeastOne("prefetch", batches);
      return this;
    }

    /** A loader over {@code sources}, read lazily in order. */
    public BatchLoader open(Iterator<? extends ImageSource> sources) {
      return new BatchLoader(this, Objects.requireNonNull(sources, "sources"));
    }

    /** A loader over {@code sources}. */
    public BatchLoader open(Iterable<? extends ImageSource> sources) {
      return open(sources.iterator());
    }

    /** A loader over image files. */
    public BatchLoader openFiles(Collection<Path> files) {
      return open(files.stream().map(ImageSource::of).iterator());
    }

    private static int atLeastOne(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
