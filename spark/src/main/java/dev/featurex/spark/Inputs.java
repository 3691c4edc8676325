package dev.featurex.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The job's image paths, from each kind of input. */
final class Inputs {

  private Inputs() {}

  /**
   * The listed paths: a folder's files as a list on the driver (Spark's listing), or a list file's
   * or a table's paths as a one-column ({@code path}) dataset.
   *
   * @param files the files of an {@link ExtractOptions.InputKind#FILES} input; null otherwise
   * @param rows the paths of the other inputs; null for files
   */
  record Listed(List<String> files, Dataset<Row> rows) {

    /** How many paths there are (a job for a list or a table). */
    long count() {
      return files != null ? files.size() : rows.count();
    }

    /** The paths spread evenly over {@code partitions} partitions. */
    JavaRDD<String> spread(SparkSession spark, int partitions) {
      if (files != null) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(files, partitions);
      }
      return rows.repartition(partitions).toJavaRDD().map(r -> r.getString(0));
    }
  }

  /**
   * The paths of {@code options}' input: the files of Spark's {@code binaryFile} listing of a
   * folder, file or glob ({@code recursiveFileLookup}, {@code pathGlobFilter}), taken from its file
   * index: no file is read, and an empty file is listed too (Spark's scan of the files would leave
   * it out); the lines of a text file but blank ones and those starting with {@code #}, as the
   * command line reads a list; or a table's column.
   *
   * @throws JobException when a folder has no file that {@code --glob} matches, or the table or its
   *     column does not exist
   */
  static Listed paths(SparkSession spark, ExtractOptions options) {
    String location = options.input().location();
    return switch (options.input().kind()) {
      case FILES -> {
        String[] files =
            spark
                .read()
                .format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", options.glob())
                .load(location)
                .inputFiles();
        if (files.length == 0) {
          throw new JobException(
              JobException.Kind.INPUT,
              "--input "
                  + location
                  + " has no file that --glob "
                  + options.glob()
                  + " matches; give the folder of the images, or a --glob that matches them");
        }
        // the index gives URIs (file:///photos/a%20b.jpg); the rows keep the listing's paths, as
        // the binaryFile source's path column writes them (file:/photos/a b.jpg)
        yield new Listed(
            Arrays.stream(files).map(f -> new Path(URI.create(f)).toString()).toList(), null);
      }
      case LIST ->
          new Listed(
              null,
              spark
                  .read()
                  .text(location)
                  .select(trim(col("value")).as("path"))
                  .filter(col("path").notEqual("").and(not(col("path").startsWith("#")))));
      case TABLE -> new Listed(null, table(spark, location, options.pathColumn()));
    };
  }

  private static Dataset<Row> table(SparkSession spark, String name, String column) {
    if (!spark.catalog().tableExists(name)) {
      throw new JobException(
          JobException.Kind.INPUT,
          "--input-table "
              + name
              + " is not a table of the session's catalog; give a table's name");
    }
    Dataset<Row> table = spark.table(name);
    List<String> columns = Arrays.asList(table.columns());
    if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
      throw new JobException(
          JobException.Kind.INPUT,
          "--input-table "
              + name
              + " has no column \""
              + column
              + "\"; name its column of image paths with --path-column (its columns: "
              + String.join(", ", columns)
              + ")");
    }
    return table.select(col(column).cast("string").as("path")).filter(col("path").isNotNull());
  }

  /**
   * The directory that relative paths are taken from: a list file's own folder, qualified (so
   * executors, whose working directory is another, find the same files); none for the other inputs.
   */
  static String base(Configuration hadoop, ExtractOptions options) {
    if (options.input().kind() != ExtractOptions.InputKind.LIST) {
      return null;
    }
    Path list = new Path(options.input().location());
    try {
      return list.getFileSystem(hadoop).makeQualified(list).getParent().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --input-list " + list + ": " + e.getMessage(), e);
    }
  }
}
