package dev.featurex.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Where the tasks' time goes, summed over all tasks with Spark accumulators: reading the file,
 * decoding it, preprocessing it (resize, crop, normalize), extracting (the forward call and copying
 * its tensors out, per batch), waiting for the executor's forward thread ({@code --forward
 * executor}: while another task's batch computes), and writing: the time the task spends downstream
 * of its iterator, between handing over a batch's rows and asking for the next batch (Spark's
 * conversion to its internal rows and Parquet's encoding of them).
 */
final class StageMetrics implements Serializable {

  private static final long serialVersionUID = 1L;

  final LongAccumulator images;
  final LongAccumulator failures;
  final LongAccumulator batches;
  final LongAccumulator readNanos;
  final LongAccumulator decodeNanos;
  final LongAccumulator preprocessNanos;
  final LongAccumulator extractNanos;
  final LongAccumulator waitNanos;
  final LongAccumulator writeNanos;

  /** New accumulators, registered with {@code sc}. */
  StageMetrics(SparkContext sc) {
    images = sc.longAccumulator("featurex.images");
    failures = sc.longAccumulator("featurex.failures");
    batches = sc.longAccumulator("featurex.batches");
    readNanos = sc.longAccumulator("featurex.read.nanos");
    decodeNanos = sc.longAccumulator("featurex.decode.nanos");
    preprocessNanos = sc.longAccumulator("featurex.preprocess.nanos");
    extractNanos = sc.longAccumulator("featurex.extract.nanos");
    waitNanos = sc.longAccumulator("featurex.wait.nanos");
    writeNanos = sc.longAccumulator("featurex.write.nanos");
  }

  /** The totals, read on the driver after the job. */
  JobSummary.Stages totals() {
    return new JobSummary.Stages(
        images.value(),
        failures.value(),
        batches.value(),
        readNanos.value(),
        decodeNanos.value(),
        preprocessNanos.value(),
        extractNanos.value(),
        waitNanos.value(),
        writeNanos.value());
  }
}
