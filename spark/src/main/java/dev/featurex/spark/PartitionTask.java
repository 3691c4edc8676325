package dev.featurex.spark;

import dev.featurex.images.Preprocessing;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * What each task runs on its partition of image paths: it takes the executor's extractor from
 * {@link ExtractorHolder} (loading it on the executor's first task, from the weights shipped with
 * {@code SparkContext.addFile}), chooses where its forward calls run ({@code --forward}, {@link
 * ForwardLane}) and with how many torch threads ({@code --threads}, else the task's CPUs, {@code
 * spark.task.cpus}, for {@code task}, and the executor's cores for {@code executor}), and returns
 * the partition's rows.
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
    ForwardLane lane =
        switch (options.forward()) {
          case TASK -> ForwardLane.task(taskThreads());
          case EXECUTOR -> ForwardLane.executor(executorThreads());
        };
    Preprocessing preprocessing =
        Preprocessing.builder()
            .resize(resize)
            .centerCrop(crop)
            .interpolation(interpolation)
            .build();
    return new PartitionExtractor(
        paths,
        loaded.extractor(),
        lane,
        preprocessing,
        files,
        schema,
        options.pooling(),
        metrics,
        options.batch());
  }

  private int taskThreads() {
    if (options.threads() > 0) {
      return options.threads();
    }
    TaskContext task = TaskContext.get();
    return task == null ? 1 : Math.max(1, task.cpus());
  }

  private int executorThreads() {
    if (options.threads() > 0) {
      return options.threads();
    }
    SparkConf conf = SparkEnv.get().conf();
    return executorCores(
        conf.get("spark.master", "local[*]"),
        conf.contains("spark.executor.cores") ? conf.get("spark.executor.cores") : null,
        Runtime.getRuntime().availableProcessors());
  }

  private static final Pattern LOCAL = Pattern.compile("local\\[\\s*(\\*|\\d+)\\s*(,[^]]*)?]");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*(\\d+)\\s*,[^]]*]");

  /**
   * The cores of an executor: {@code spark.executor.cores} when set; else, in local mode, the
   * master's thread count ({@code local} 1, {@code local[N]} and {@code local[N,F]} N, {@code
   * local[*]} the JVM's processors; {@code local-cluster[W,C,M]} C); else the JVM's processors
   * (standalone executors take every core of their worker by default, and a container's JVM sees
   * its CPU limit).
   *
   * @param master {@code spark.master}
   * @param executorCores {@code spark.executor.cores}, or null when not set
   * @param processors {@link Runtime#availableProcessors()}
   */
  static int executorCores(String master, String executorCores, int processors) {
    if (executorCores != null) {
      try {
        return Math.max(1, Integer.parseInt(executorCores.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "spark.executor.cores is \"" + executorCores + "\", not a whole number", e);
      }
    }
    String m = master.trim();
    if (m.equals("local")) {
      return 1;
    }
    Matcher local = LOCAL.matcher(m);
    if (local.matches()) {
      return local.group(1).equals("*")
          ? processors
          : Math.max(1, Integer.parseInt(local.group(1)));
    }
    Matcher cluster = LOCAL_CLUSTER.matcher(m);
    if (cluster.matches()) {
      return Math.max(1, Integer.parseInt(cluster.group(1)));
    }
    return processors;
  }
}
