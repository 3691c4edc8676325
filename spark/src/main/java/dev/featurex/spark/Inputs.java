package dev.featurex.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The job's image paths, one string column {@code path}, from each kind of input. */
final class Inputs {

  private Inputs() {}

  /**
   * The paths of {@code options}' input: Spark's {@code binaryFile} listing of a folder, file or
   * glob ({@code recursiveFileLookup}, {@code pathGlobFilter}: only the listing, the {@code
   * content} column is not read here), the non-blank lines of a text file, or a table's column.
   */
  static Dataset<Row> paths(SparkSession spark, ExtractOptions options) {
    String location = options.input().location();
    return switch (options.input().kind()) {
      case FILES ->
          spark
              .read()
              .format("binaryFile")
              .option("recursiveFileLookup", "true")
              .option("pathGlobFilter", options.glob())
              .load(location)
              .select(col("path"));
      case LIST ->
          spark
              .read()
              .text(location)
              .select(trim(col("value")).as("path"))
              .filter(col("path").notEqual(""));
      case TABLE ->
          spark
              .table(location)
              .select(col(options.pathColumn()).cast("string").as("path"))
              .filter(col("path").isNotNull());
    };
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
