package dev.featurex.spark;

import dev.featurex.images.Interpolation;
import dev.featurex.runtime.Natives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
   * java -cp ... dev.featurex.spark.ExtractJob --master local[2] OPTIONS}. Exit code 2 for bad
   * options (the message and the usage on standard error), 1 when the job fails.
   */
  public static void main(String[] args) {
    Natives.extract(); // first: see Natives
    ExtractOptions options;
    try {
      options = ExtractOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("featurex-spark: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession.Builder builder = SparkSession.builder().appName("featurex " + options.model());
    if (options.master() != null) {
      builder.master(options.master());
    }
    SparkSession spark = builder.getOrCreate();
    int exitCode = 0;
    try {
      JobSummary summary = run(spark, options);
      System.out.println("featurex-spark: " + summary);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("featurex-spark: " + e.getMessage());
      exitCode = 1;
    } finally {
      spark.stop();
    }
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * Runs the extraction in {@code spark} and writes its Parquet output.
   *
   * @throws IllegalArgumentException for an unknown model or node, weights that do not fit the
   *     model, an existing output without {@code --overwrite}, or an input that does not exist
   * @throws UncheckedIOException when the weights cannot be read
   */
  public static JobSummary run(SparkSession spark, ExtractOptions options) {
    long start = System.nanoTime();
    SparkContext sc = spark.sparkContext();
    ModelCatalog.Spec spec = ModelCatalog.require(options.model());
    int resize = options.resize() > 0 ? options.resize() : spec.resize();
    int crop = options.crop() > 0 ? options.crop() : spec.crop();
    Interpolation interpolation =
        options.interpolation() != null ? options.interpolation() : spec.interpolation();
    Configuration hadoop = sc.hadoopConfiguration();
    refuseExistingOutput(hadoop, options);

    String weightsName = new org.apache.hadoop.fs.Path(options.weights()).getName();
    sc.addFile(options.weights());
    Path driverWeights = Path.of(SparkFiles.get(weightsName));
    if (!Files.isRegularFile(driverWeights)) {
      driverWeights = Path.of(options.weights());
    }
    List<String> keys = DriverCheck.check(options, driverWeights, crop);
    OutputSchema schema = new OutputSchema(keys);

    Dataset<Row> listed = Inputs.paths(spark, options);
    int partitions =
        options.partitions() > 0 ? options.partitions() : partitions(sc, listed, options);
    JavaRDD<String> paths = listed.repartition(partitions).toJavaRDD().map(r -> r.getString(0));

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
  private static int partitions(SparkContext sc, Dataset<Row> paths, ExtractOptions options) {
    int cores = Math.max(1, sc.defaultParallelism());
    long count =
        options.input().kind() == ExtractOptions.InputKind.FILES
            ? paths.inputFiles().length
            : paths.count();
    long byBatches = Math.max(1, count / (2L * options.batch()));
    long bySize = (count + IMAGES_PER_TASK - 1) / IMAGES_PER_TASK;
    long tasks = Math.max(Math.min(4L * cores, byBatches), bySize);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, tasks));
  }

  private static void refuseExistingOutput(Configuration hadoop, ExtractOptions options) {
    if (options.overwrite()) {
      return;
    }
    org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(options.output());
    try {
      FileSystem fs = output.getFileSystem(hadoop);
      if (fs.exists(output)) {
        throw new IllegalArgumentException(
            "--output " + options.output() + " exists; remove it or add --overwrite");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot check --output " + options.output() + ": " + e.getMessage(), e);
    }
  }
}
