package dev.featurex.spark;

import dev.featurex.images.Interpolation;
import dev.featurex.runtime.Natives;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Feature extraction as a Spark job: image paths in (Spark's {@code binaryFile} listing of a
 * folder, a text file of paths, or a table), decoding and preprocessing by featurex's {@code
 * images} module, one featurex extractor per executor JVM, Parquet out (see {@link OutputSchema}).
 *
 * <pre>
 * spark-submit --class dev.featurex.spark.ExtractJob featurex-spark-all.jar \
 *   --model resnet50 --weights resnet50-0676ba61.pth --nodes layer4,avgpool:embedding \
 *   --input hdfs:///photos --output hdfs:///features/photos.parquet
 * </pre>
 *
 * <p>Before any task runs, the driver loads the model with its weights, builds the extractor
 * (checking the node names, with the closest names when one is wrong) and runs it once on a blank
 * image, so a wrong option fails the job at once, not in every task.
 */
public final class ExtractJob {

  /**
   * The Spark setting that writes arrays in Parquet's two-level list layout, set for the job's
   * write and restored after it. An {@code array<float>} column is then {@code repeated float
   * array} inside its list group, one value after the other, where the default three-level layout
   * wraps every element in a group of its own; readers see the same {@code array<float>} (Parquet's
   * backward-compatibility rules for lists define this layout, and Spark, Hive and Arrow read it).
   * Measured: Spark's writer takes about a third less time per unpooled ResNet-50 {@code layer4}
   * row (docs/spark.md). It also writes decimals the old way, which the job's columns never hold.
   */
  static final String TWO_LEVEL_LISTS = "spark.sql.parquet.writeLegacyFormat";

  /** Images per task when {@code --partitions} is not given (at least one task per core). */
  static final int IMAGES_PER_TASK = 2000;

  private ExtractJob() {}

  /**
   * Runs the job: {@code spark-submit --class dev.featurex.spark.ExtractJob JAR OPTIONS}, or {@code
   * java -cp ... dev.featurex.spark.ExtractJob --master local[2] OPTIONS}. A problem the user can
   * fix is one message on standard error and an exit code per kind ({@link JobException.Kind}: 2
   * for bad options, 3 for the weights, 4 for the input, 5 for the output); a failure while the job
   * runs exits with 1 and its stack trace.
   */
  public static void main(String[] args) {
    int exitCode = execute(args, System.out, System.err);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * {@link #main} without {@code System.exit}: the exit code. The options, the model, the local
   * files and, when the weights are local, the weights and the nodes are checked before Spark
   * starts; the rest in {@link #run}.
   */
  static int execute(String[] args, PrintStream out, PrintStream err) {
    Natives.extract(); // first: see Natives
    ExtractOptions options;
    try {
      options = ExtractOptions.parse(args);
      beforeSpark(options);
    } catch (JobException e) {
      return refused(err, e.getMessage(), e.exitCode());
    } catch (IllegalArgumentException e) { // the options' own checks
      return refused(err, e.getMessage(), JobException.Kind.USAGE.exitCode());
    }
    SparkSession.Builder builder = SparkSession.builder().appName("featurex " + options.model());
    if (options.master() != null) {
      builder.master(options.master());
    }
    SparkSession spark = builder.getOrCreate();
    try {
      JobSummary summary = run(spark, options);
      out.println("featurex-spark: " + summary);
      return 0;
    } catch (JobException e) {
      return refused(err, e.getMessage(), e.exitCode());
    } finally {
      spark.stop();
    }
  }

  private static int refused(PrintStream err, String message, int exitCode) {
    err.println("featurex-spark: " + message);
    return exitCode;
  }

  /**
   * The checks that need no Spark: the model, the files on the local file system, and, when the
   * weights are local, the weights and nodes themselves (the extractor is then kept for {@link
   * #run}'s check and the local tasks: {@link ExtractorHolder}).
   */
  private static void beforeSpark(ExtractOptions options) {
    ModelCatalog.Spec spec = ModelCatalog.require(options.model());
    Configuration hadoop = new Configuration();
    JobChecks.files(hadoop, options, true);
    org.apache.hadoop.fs.Path weights = new org.apache.hadoop.fs.Path(options.weights());
    if (JobChecks.isLocal(hadoop, weights)) {
      DriverCheck.check(options, Path.of(weights.toUri().getPath()), crop(options, spec));
    }
  }

  /**
   * Runs the extraction in {@code spark} and writes its Parquet output.
   *
   * @throws JobException for an unknown model or node, weights that are missing or do not fit the
   *     model, an input that does not exist or lists no image, or an existing output without {@code
   *     --overwrite}: the message names the option and the fix
   */
  public static JobSummary run(SparkSession spark, ExtractOptions options) {
    long start = System.nanoTime();
    SparkContext sc = spark.sparkContext();
    ModelCatalog.Spec spec = ModelCatalog.require(options.model());
    int resize = options.resize() > 0 ? options.resize() : spec.resize();
    int crop = crop(options, spec);
    Interpolation interpolation =
        options.interpolation() != null ? options.interpolation() : spec.interpolation();
    Configuration hadoop = sc.hadoopConfiguration();
    JobChecks.files(hadoop, options, false);

    String weightsName = new org.apache.hadoop.fs.Path(options.weights()).getName();
    sc.addFile(options.weights());
    Path driverWeights = Path.of(SparkFiles.get(weightsName));
    if (!Files.isRegularFile(driverWeights)) {
      driverWeights = Path.of(options.weights());
    }
    OutputSchema schema = DriverCheck.check(options, driverWeights, crop);

    Inputs.Listed listed = Inputs.paths(spark, options);
    int partitions =
        options.partitions() > 0
            ? options.partitions()
            : partitions(sc, listed.count(), options.batch());
    JavaRDD<String> paths = listed.spread(spark, partitions);

    StageMetrics metrics = new StageMetrics(sc);
    PartitionTask task =
        new PartitionTask(
            options,
            weightsName,
            resize,
            crop,
            interpolation,
            schema,
            new ImageFiles(hadoop, Inputs.base(hadoop, options)),
            metrics);
    Dataset<Row> rows = spark.createDataFrame(paths.mapPartitions(task), schema.structType());
    RuntimeConfig conf = spark.conf();
    String layout = conf.contains(TWO_LEVEL_LISTS) ? conf.get(TWO_LEVEL_LISTS) : null;
    conf.set(TWO_LEVEL_LISTS, "true");
    try {
      rows.write()
          .mode(options.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
          .parquet(options.output());
    } finally {
      if (layout != null) {
        conf.set(TWO_LEVEL_LISTS, layout);
      } else {
        conf.unset(TWO_LEVEL_LISTS);
      }
    }
    return new JobSummary(partitions, System.nanoTime() - start, metrics.totals());
  }

  /**
   * About four tasks per core, so that a core slowed by something else does not hold the job (the
   * others take the remaining tasks), but no task under two batches, and no task over {@link
   * #IMAGES_PER_TASK} images. A folder's files are counted from Spark's listing on the driver (no
   * job); a list or a table is counted.
   */
  private static int partitions(SparkContext sc, long count, int batch) {
    int cores = Math.max(1, sc.defaultParallelism());
    long byBatches = Math.max(1, count / (2L * batch));
    long bySize = (count + IMAGES_PER_TASK - 1) / IMAGES_PER_TASK;
    long tasks = Math.max(Math.min(4L * cores, byBatches), bySize);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, tasks));
  }

  /** The side of the centre crop: {@code --crop}, or the model's. */
  private static int crop(ExtractOptions options, ModelCatalog.Spec spec) {
    return options.crop() > 0 ? options.crop() : spec.crop();
  }
}
