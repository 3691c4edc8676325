package dev.featurex.spark;

import java.util.Locale;

/**
 * What a run of the job did: its partitions, its wall time, and the tasks' time per stage.
 *
 * @param partitions the number of tasks that extracted
 * @param wallNanos the whole run on the driver: listing, the tasks, writing Parquet
 * @param stages the tasks' totals
 */
public record JobSummary(int partitions, long wallNanos, Stages stages) {

  /**
   * The tasks' totals, summed over all tasks.
   *
   * @param images images with features
   * @param failures images that could not be read or decoded (error rows)
   * @param batches forward calls
   * @param readNanos reading the files' bytes
   * @param decodeNanos decoding them to RGB
   * @param preprocessNanos resizing, cropping and normalizing
   * @param extractNanos the forward calls and copying the features out of libtorch
   * @param waitNanos waiting for the executor's forward thread while it computed other tasks'
   *     batches ({@code --forward executor}; 0 with {@code task})
   * @param writeNanos the rows downstream of the task's iterator: Spark's conversion and Parquet's
   *     encoding
   */
  public record Stages(
      long images,
      long failures,
      long batches,
      long readNanos,
      long decodeNanos,
      long preprocessNanos,
      long extractNanos,
      long waitNanos,
      long writeNanos) {}

  /** Images (with features or errors) per second of wall time. */
  public double imagesPerSecond() {
    return (stages.images() + stages.failures()) / (wallNanos / 1e9);
  }

  /** One line for logs: counts, images/s and the milliseconds per image of each stage. */
  @Override
  public String toString() {
    long rows = Math.max(1, stages.images() + stages.failures());
    return String.format(
        Locale.ROOT,
        "%d images, %d errors, %d partitions, %.2f s, %.1f images/s; per image: read %.2f ms,"
            + " decode %.2f ms, preprocess %.2f ms, extract %.2f ms, wait %.2f ms, write %.2f ms"
            + " (task time)",
        stages.images(),
        stages.failures(),
        partitions,
        wallNanos / 1e9,
        imagesPerSecond(),
        stages.readNanos() / 1e6 / rows,
        stages.decodeNanos() / 1e6 / rows,
        stages.preprocessNanos() / 1e6 / rows,
        stages.extractNanos() / 1e6 / Math.max(1, stages.images()),
        stages.waitNanos() / 1e6 / Math.max(1, stages.images()),
        stages.writeNanos() / 1e6 / rows);
  }
}
