package dev.featurex.images.harness;

import dev.featurex.images.BatchLoader;
import dev.featurex.images.ImageBatch;
import dev.featurex.images.ImageDecodeException;
import dev.featurex.images.ImageDecoder;
import dev.featurex.images.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The Java side of the throughput harness ({@code images/scripts/bench.sh}), not a test: decode +
 * ImageNet preprocessing of every {@code .jpg} in a folder, and prints one line {@code featurex
 * MODE THREADS IMAGES_PER_SECOND}.
 *
 * <ul>
 *   <li>{@code direct 1}: a plain loop on the calling thread (decode, then preprocess).
 *   <li>{@code loader N}: a {@link BatchLoader} with N threads and batches of 32, the caller taking
 *       each batch's tensor data as the CLI will.
 * </ul>
 *
 * Each measurement follows one unmeasured pass over the files (JIT warm-up).
 */
public final class ThroughputTool {

  private ThroughputTool() {}

  /** Usage: {@code ThroughputTool DIR direct|loader THREADS PASSES}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String mode = args[1];
    int threads = Integer.parseInt(args[2]);
    int passes = Integer.parseInt(args[3]);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    Preprocessing preprocessing = Preprocessing.imagenet();
    run(mode, threads, files, preprocessing);
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    long images = 0;
    double best = 0;
    for (int pass = 0; pass < passes; pass++) {
      long passStart = System.nanoTime();
      long n = run(mode, threads, files, preprocessing);
      best = Math.max(best, n / ((System.nanoTime() - passStart) / 1e9));
      images += n;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "featurex %s %d %.1f %.1f %.1f%n",
        mode,
        threads,
        images / seconds,
        images / cpuSeconds,
        best);
  }

  /** CPU time of the whole process (all threads: loading, GC, JIT). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long run(String mode, int threads, List<Path> files, Preprocessing p)
      throws IOException, ImageDecodeException {
    long count = 0;
    if (mode.equals("direct")) {
      ImageDecoder decoder = ImageDecoder.create();
      float[] out = new float[p.floatsPerImage()];
      for (Path file : files) {
        p.apply(decoder.decode(file), out, 0);
        count++;
      }
      return count;
    }
    try (BatchLoader loader =
        BatchLoader.builder(p).batchSize(32).threads(threads).openFiles(files)) {
      while (loader.hasNext()) {
        ImageBatch batch = loader.next();
        if (!batch.failures().isEmpty()) {
          throw new IOException(batch.failures().get(0).message());
        }
        count += batch.size();
      }
    }
    return count;
  }
}
