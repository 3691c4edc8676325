package dev.featurex.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.featurex.images.Preprocessing;
import dev.featurex.models.ResNet;
import dev.featurex.runtime.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.pytorch.LinearImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in {@code local[2]} on generated images, against the single-JVM extractor ({@link
 * SingleJvmReference}) with the same weights and preprocessing.
 */
class ExtractJobTest {

  private static final int IMAGES = 30;
  private static final float TOLERANCE = 1e-5f;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path images;
  private static List<Path> good;
  private static List<Path> broken;
  private static Path weights;

  @BeforeAll
  static void setUp() throws IOException {
    images = dir.resolve("images");
    good = TestImages.write(images, IMAGES, 42);
    broken = TestImages.writeBroken(images);
    Files.writeString(images.resolve("readme.txt"), "not matched by the glob\n");
    ResNet model = ResNet.resnet18(); // random initialisation, saved for the job to ship
    weights = dir.resolve("resnet18-random.safetensors");
    StateDict.save(model, weights);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("featurex-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void featuresEqualSingleJvmExtractorAndBadImagesAreErrorRows() throws IOException {
    Path out = dir.resolve("out-files");
    int loadsBefore = ExtractorHolder.loads();
    JobSummary summary =
        ExtractJob.run(
            spark,
            ExtractOptions.parse(
                "--model",
                "resnet18",
                "--weights",
                weights.toString(),
                "--nodes",
                "layer2,avgpool:embedding",
                "--batch",
                "8",
                "--resize",
                "72",
                "--crop",
                "64",
                "--partitions",
                "3",
                "--input",
                images.toString(),
                "--output",
                out.toString()));

    assertThat(summary.partitions()).isEqualTo(3);
    assertThat(summary.stages().images()).isEqualTo(IMAGES);
    assertThat(summary.stages().failures()).isEqualTo(broken.size());
    assertThat(summary.stages().extractNanos()).isGreaterThan(0L);
    assertThat(summary.stages().writeNanos()).isGreaterThan(0L); // the rows' Parquet encoding
    assertThat(summary.stages().waitNanos()).isEqualTo(0L); // --forward task: no shared thread
    // the driver's check and both task threads share one model: one load in this JVM
    assertThat(ExtractorHolder.loads() - loadsBefore).isEqualTo(1);

    Map<String, Row> rows = read(out);
    assertThat(rows).hasSize(IMAGES + broken.size());
    for (Path bad : broken) {
      Row row = rows.get(bad.toString());
      assertThat(row.<Object>getAs("embedding")).isNull();
      assertThat(row.<String>getAs("error"))
          .contains(
              bad.getFileName().toString().equals("empty.jpg")
                  ? "cannot read image file:" + bad + ": the file is empty (0 bytes)"
                  : "cannot decode image");
    }
    Map<String, Map<String, SingleJvmReference.Feature>> expected =
        SingleJvmReference.features(
            loaded(weights),
            ExtractOptions.parseNodes("layer2,avgpool:embedding"),
            preset(72, 64),
            false,
            good);
    assertThat(expected).hasSize(IMAGES);
    compare(rows, expected, List.of("layer2", "embedding"));
    assertThat(rows.get(good.get(0).toString()).<Object>getAs("layer2_shape").toString())
        .contains("128, 8, 8");
    // Written as two-level lists (the floats repeated right inside the list group), and the
    // session's own setting left as it was.
    GroupType layer2 = footerSchema(out).getType("layer2").asGroupType();
    assertThat(layer2.getFieldCount()).isEqualTo(1);
    assertThat(layer2.getType(0).isPrimitive()).isTrue();
    assertThat(layer2.getType(0).isRepetition(Type.Repetition.REPEATED)).isTrue();
    assertThat(spark.conf().contains(ExtractJob.TWO_LEVEL_LISTS)).isFalse();

    // The features depend on the shipped weights: a model with other weights differs.
    Map<String, Map<String, SingleJvmReference.Feature>> other =
        SingleJvmReference.features(
            ResNet.resnet18(), Map.of("avgpool", "embedding"), preset(72, 64), false, good);
    String first = good.get(0).toString();
    assertThat(
            maxDiff(
                floats(rows.get(first), "embedding"), other.get(first).get("embedding").values()))
        .isGreaterThan(1e-3f);
  }

  @Test
  void listInputWithRelativePathsAndPooling() throws IOException {
    Path list = images.resolve("list.txt");
    List<String> lines = new ArrayList<>();
    for (Path p : good.subList(0, 12)) {
      lines.add(images.relativize(p).toString());
    }
    lines.add("");
    lines.add("# a comment, skipped as the command line skips it");
    lines.add("missing.png");
    lines.add("empty.jpg");
    Files.write(list, lines);
    Path out = dir.resolve("out-list");
    JobSummary summary =
        ExtractJob.run(
            spark,
            ExtractOptions.parse(
                "--model=resnet18",
                "--weights=" + weights,
                "--nodes=layer3.1",
                "--pool=avg",
                "--forward=executor", // one forward at a time, on the executor's thread
                "--batch=5",
                "--resize=72",
                "--crop=64",
                "--input-list=" + list,
                "--output=" + out));
    assertThat(summary.stages().images()).isEqualTo(12);
    Map<String, Row> rows = read(out);
    assertThat(rows).hasSize(14);
    assertThat(rows.get("missing.png").<String>getAs("error"))
        .contains("cannot read image missing.png");
    assertThat(rows.get("empty.jpg").<String>getAs("error"))
        .isEqualTo("cannot read image empty.jpg: the file is empty (0 bytes)");

    Map<String, Row> byAbsolute = new HashMap<>();
    rows.forEach(
        (path, row) -> {
          if (row.getAs("error") == null) {
            byAbsolute.put(images.resolve(path).toString(), row);
          }
        });
    Map<String, Map<String, SingleJvmReference.Feature>> expected =
        SingleJvmReference.features(
            loaded(weights),
            Map.of("layer3.1", "layer3.1"),
            preset(72, 64),
            true,
            good.subList(0, 12));
    compare(byAbsolute, expected, List.of("layer3.1"));
    assertThat(byAbsolute.get(good.get(0).toString()).<Object>getAs("layer3_1_shape").toString())
        .contains("256");
  }

  @Test
  void badOptionsFailOnTheDriverWithTheFix() throws IOException {
    JobException node = refused("--nodes", "layer4.1.rleu");
    assertThat(node.kind()).isEqualTo(JobException.Kind.USAGE);
    assertThat(node)
        .hasMessageThat()
        .startsWith(
            "--nodes: \"layer4.1.rleu\" is not a node of resnet18, nor a module holding nodes;"
                + " did you mean \"layer4.1.relu\"");
    assertThat(node).hasMessageThat().doesNotContain("getGraphNodeNames");

    JobException model = refused("--model", "resnet19");
    assertThat(model.kind()).isEqualTo(JobException.Kind.USAGE);
    assertThat(model).hasMessageThat().contains("resnet18");

    Path existing = Files.createDirectories(dir.resolve("existing"));
    JobException output = refused("--output", existing.toString());
    assertThat(output.kind()).isEqualTo(JobException.Kind.OUTPUT);
    assertThat(output)
        .hasMessageThat()
        .isEqualTo(
            "--output "
                + existing
                + " exists, without a _SUCCESS file (a failed or unfinished job's output?); remove"
                + " it or add --overwrite to replace it");

    JobException missing = refused("--weights", dir.resolve("none.pth").toString());
    assertThat(missing.kind()).isEqualTo(JobException.Kind.WEIGHTS);
    assertThat(missing)
        .hasMessageThat()
        .startsWith("--weights " + dir.resolve("none.pth") + " does not exist");

    JobException other = refused("--weights", otherModelsWeights().toString());
    assertThat(other.kind()).isEqualTo(JobException.Kind.WEIGHTS);
    assertThat(other).hasMessageThat().contains("does not fit resnet18");
    assertThat(other).hasMessageThat().contains("Missing key(s) in state_dict: \"conv1.weight\"");
    assertThat(other.getMessage().lines().count()).isAtMost(DriverCheck.LINES_LIMIT + 1L);

    JobException glob = refused("--glob", "*.tiff");
    assertThat(glob.kind()).isEqualTo(JobException.Kind.INPUT);
    assertThat(glob).hasMessageThat().contains("has no file that --glob *.tiff matches");

    JobException table = refused("--input", "", "--input-table", "no_such_table");
    assertThat(table.kind()).isEqualTo(JobException.Kind.INPUT);
    assertThat(table).hasMessageThat().contains("no_such_table is not a table");
  }

  /**
   * What {@code main} prints and returns for a problem the user can fix: one message, its exit
   * code, nothing on standard output, and no Spark session started (the checks run before it).
   */
  @Test
  void mainPrintsOneMessageAndTheExitCodeBeforeSparkStarts() throws IOException {
    Path finished = Files.createDirectories(dir.resolve("finished"));
    Files.writeString(finished.resolve("_SUCCESS"), "");
    String noWeights = dir.resolve("no.pth").toString();
    String nowhere = dir.resolve("nowhere").toString();
    String in = images.toString();
    // exit code, what the message says, and the options changed (an empty value removes one)
    Object[][] cases = {
      {2, "--threads 10000 is more than the limit of 1024", "--threads", "10000"},
      {2, "--resize must be at least 1, got 0; leave --resize out", "--resize", "0"},
      {2, "unknown --model \"resnet19\"; did you mean resnet18", "--model", "resnet19"},
      {2, "--nodes: \"layr4\" is not a node of resnet18", "--nodes", "layr4"},
      {3, "--weights " + noWeights + " does not exist", "--weights", noWeights},
      {3, "does not fit resnet18", "--weights", otherModelsWeights().toString()},
      {4, "--input " + nowhere + " does not exist", "--input", nowhere},
      {4, "--input-list " + in + " is a directory", "--input", "", "--input-list", in},
      {5, "--output " + finished + " exists (a finished job's", "--output", finished.toString()},
    };
    for (Object[] c : cases) {
      String[] changes = new String[c.length - 2];
      for (int k = 2; k < c.length; k++) {
        changes[k - 2] = (String) c[k];
      }
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      int code =
          ExtractJob.execute(
              args(changes),
              new PrintStream(stdout, true, StandardCharsets.UTF_8),
              new PrintStream(stderr, true, StandardCharsets.UTF_8));
      String err = stderr.toString(StandardCharsets.UTF_8);
      assertThat(err).startsWith("featurex-spark: ");
      assertThat(err).contains((String) c[1]);
      assertThat(err).doesNotContain("\tat ");
      assertThat(err).doesNotContain("Exception");
      assertThat(code).isEqualTo(c[0]);
      assertThat(stdout.size()).isEqualTo(0);
    }
    assertThat(spark.sparkContext().isStopped()).isFalse(); // execute never reached getOrCreate
  }

  /**
   * A job on the test images ({@code resnet18}, {@code avgpool}, to an output that does not exist)
   * with {@code changes}: option, value, ...; an empty value removes the option.
   */
  private static String[] args(String... changes) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--model", "resnet18");
    options.put("--weights", weights.toString());
    options.put("--nodes", "avgpool");
    options.put("--input", images.toString());
    options.put("--output", dir.resolve("never").toString());
    for (int k = 0; k < changes.length; k += 2) {
      if (changes[k + 1].isEmpty()) {
        options.remove(changes[k]);
      } else {
        options.put(changes[k], changes[k + 1]);
      }
    }
    List<String> args = new ArrayList<>();
    options.forEach((name, value) -> args.add(name + "=" + value));
    return args.toArray(String[]::new);
  }

  /** The driver's refusal of the job of {@link #args} with {@code changes}. */
  private static JobException refused(String... changes) {
    return assertThrows(
        JobException.class, () -> ExtractJob.run(spark, ExtractOptions.parse(args(changes))));
  }

  /** A checkpoint of another model: a linear layer's weight and bias. */
  private static Path otherModelsWeights() throws IOException {
    Path file = dir.resolve("linear.safetensors");
    if (!Files.exists(file)) {
      StateDict.save(new LinearImpl(3, 2), file);
    }
    return file;
  }

  private static void compare(
      Map<String, Row> rows,
      Map<String, Map<String, SingleJvmReference.Feature>> expected,
      List<String> keys) {
    float worst = 0;
    for (Map.Entry<String, Map<String, SingleJvmReference.Feature>> e : expected.entrySet()) {
      Row row = rows.get(e.getKey());
      assertThat(row).isNotNull();
      assertThat(row.<Object>getAs("error")).isNull();
      for (String key : keys) {
        float[] actual = floats(row, OutputSchema.column(key));
        float[] want = e.getValue().get(key).values();
        assertThat(actual.length).isEqualTo(want.length);
        worst = Math.max(worst, maxDiff(actual, want));
      }
    }
    assertThat(worst).isAtMost(TOLERANCE);
  }

  private static float maxDiff(float[] a, float[] b) {
    float worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1f, Math.abs(b[i])));
    }
    return worst;
  }

  private static float[] floats(Row row, String column) {
    List<Object> list = row.getList(row.fieldIndex(column));
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (Float) list.get(i);
    }
    return values;
  }

  /** The schema in the footer of one of the job's Parquet files. */
  private static MessageType footerSchema(Path out) throws IOException {
    Path part;
    try (Stream<Path> files = Files.list(out)) {
      part =
          files
              .filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .findFirst()
              .orElseThrow();
    }
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
      return reader.getFileMetaData().getSchema();
    }
  }

  private static Map<String, Row> read(Path out) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
      String path = row.getAs("path");
      rows.put(
          path.startsWith("file:") ? Path.of(java.net.URI.create(path)).toString() : path, row);
    }
    return rows;
  }

  private static ResNet loaded(Path file) throws IOException {
    ResNet model = ResNet.resnet18();
    StateDict.load(model, file);
    return model;
  }

  private static Preprocessing preset(int resize, int crop) {
    return Preprocessing.builder().resize(resize).centerCrop(crop).build();
  }
}
