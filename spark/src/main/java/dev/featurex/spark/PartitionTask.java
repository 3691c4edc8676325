package dev.featurex.spark;

import dev.featurex.images.Preprocessing;
import dev.featurex.runtime.Threads;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * What each task runs on its partition of image paths: it takes the executor's extractor from
 * {@link ExtractorHolder} (loading it on the executor's first task, from the weights shipped with
 * {@code SparkContext.addFile}), sets torch's intra-op threads of the task's thread to the task's
 * CPUs ({@code spark.task.cpus}, or {@code --threads}), and returns the partition's rows.
 *
 * @param options the job's options
 * @param weightsName the weights file's name among the job's files ({@link SparkFiles#get})
 * @param resize the resolved shorter side after resizing
 * @param crop the resolved crop side
 * @param interpolation the resolved resampling filter
 * @param schema the rows to make
 * @param files how to read the images
 * @param metrics the accumulators
 */
record PartitionTask(
    ExtractOptions options,
    String weightsName,
    int resize,
    int crop,
    dev.featurex.images.Interpolation interpolation,
    OutputSchema schema,
    ImageFiles files,
    StageMetrics metrics)
    implements FlatMapFunction<Iterator<String>, Row> {

  private static final long serialVersionUID = 1L;

  @Override
  public Iterator<Row> call(Iterator<String> paths) {
    ExtractorHolder.Loaded loaded =
        ExtractorHolder.get(options.model(), Path.of(SparkFiles.get(weightsName)), options.nodes());
    Threads.set(threads()); // libtorch's and OpenBLAS's threads (see Threads)
    Preprocessing preprocessing =
        Preprocessing.builder()
            .resize(resize)
            .centerCrop(crop)
            .interpolation(interpolation)
            .build();
    return new PartitionExtractor(
        paths,
        loaded.extractor(),
        preprocessing,
        files,
        schema,
        options.pooling(),
        metrics,
        options.batch());
  }

  private int threads() {
    if (options.threads() > 0) {
      return options.threads();
    }
    TaskContext task = TaskContext.get();
    return task == null ? 1 : Math.max(1, task.cpus());
  }
}
