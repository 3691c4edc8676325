package dev.featurex.spark;

import dev.featurex.images.BatchLoader;
import dev.featurex.images.ImageBatch;
import dev.featurex.images.ImageSource;
import dev.featurex.images.Preprocessing;
import dev.featurex.models.Zoo;
import dev.featurex.runtime.Natives;
import dev.featurex.runtime.Pooling;
import dev.featurex.runtime.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The throughput harness that {@code spark/bench/throughput.sh} runs, one measurement per JVM (not
 * part of {@code mvn verify}):
 *
 * <ul>
 *   <li>{@code prepare DIR COUNT MODEL WEIGHTS}: COUNT generated 640 x 480 JPEGs (q90) and the
 *       model's randomly initialised weights;
 *   <li>{@code spark CORES DIR WEIGHTS MODEL NODES BATCH POOL WORK [WARMUP [FORWARD]]}: the Spark
 *       job in {@code local[CORES]} with {@code --forward FORWARD} ({@code task}), once on WARMUP
 *       (2) batches per core (warm-up: JIT, model load), then timed on DIR; prints {@code
 *       spark-FORWARD CORES IMAGES SECONDS CPU_SECONDS READ DECODE PREPROCESS EXTRACT WRITE TASKS
 *       SPAN BUSY WAIT} (CPU: the whole process during the timed run; the stages in ms per image,
 *       task time; the extracting stage's task count, its span from first launch to last finish and
 *       its tasks' summed run time, in seconds: see {@code TaskTimeline}; WAIT: the tasks' wait for
 *       the executor's forward thread, ms per image);
 *   <li>{@code single CORES ...}: the single-JVM loop the command line runs (images module's {@link
 *       BatchLoader} with CORES decoding threads overlapping extraction with CORES torch threads,
 *       features copied out and written to a file), same warm-up; prints {@code single CORES IMAGES
 *       SECONDS CPU_SECONDS EXTRACT} (EXTRACT: the wall time of its forward calls, CORES threads,
 *       in ms per image), {@code threads single CORES NAME=SECONDS,...} and {@code memory single
 *       CORES MB}.
 *   <li>{@code parquet DIR ROWS FLOATS ROUNDS}: what Spark's Parquet writer alone costs per row of
 *       one {@code array<float>} of FLOATS random floats (ResNet-50's unpooled {@code layer4} is
 *       100,352), in {@code local[1]}: ROWS rows made in a task and only counted, then the same
 *       rows written with each writer setting of {@link #PARQUET_MODES}; prints {@code parquet MODE
 *       ROUND MS_PER_ROW} for each (the rows' making included; {@code count} is that alone).
 * </ul>
 */
public final class ThroughputBench {

  private ThroughputBench() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    Natives.extract();
    switch (args[0]) {
      case "prepare" ->
          prepare(Path.of(args[1]), Integer.parseInt(args[2]), args[3], Path.of(args[4]));
      case "spark" -> spark(args);
      case "single" -> single(args);
      case "parquet" ->
          parquet(
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void prepare(Path dir, int count, String model, Path weights) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(1);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    for (int i = 0; i < count; i++) {
      BufferedImage image = picture(640, 480, random);
      try (ImageOutputStream out =
          ImageIO.createImageOutputStream(dir.resolve(String.format("%05d.jpg", i)).toFile())) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
      }
    }
    writer.dispose();
    StateDict.save(Zoo.find(model).orElseThrow().build(), weights);
  }

  /** Smooth shapes, edges and mild noise: a JPEG that costs about what a photo costs. */
  private static BufferedImage picture(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int cx = random.nextInt(width);
    int cy = random.nextInt(height);
    int base = random.nextInt(1 << 24);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int d = (int) Math.hypot(x - cx, y - cy);
        int r = ((base >> 16) + d) & 0xff;
        int g = ((base >> 8) + 255 * y / height + (d % 40 < 20 ? 40 : 0)) & 0xff;
        int b = (base + 255 * x / width + random.nextInt(24)) & 0xff;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static void spark(String[] a) throws IOException, TimeoutException {
    int cores = Integer.parseInt(a[1]);
    Path dir = Path.of(a[2]);
    Path work = Path.of(a[8]);
    Path warmList = warmUpList(dir, work, Integer.parseInt(a[6]) * cores * warmUpBatches(a));
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + cores + "]")
            .appName("featurex-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      ExtractJob.run(spark, options(a, "--input-list", warmList, work.resolve("warm.parquet")));
      TaskTimeline timeline = new TaskTimeline();
      spark.sparkContext().addSparkListener(timeline);
      long cpu = cpuNanos();
      ThreadCpu.Snapshot threadsBefore = ThreadCpu.now();
      JobSummary s = ExtractJob.run(spark, options(a, "--input", dir, work.resolve("out.parquet")));
      cpu = cpuNanos() - cpu;
      String threads = ThreadCpu.between(threadsBefore, ThreadCpu.now());
      spark.sparkContext().listenerBus().waitUntilEmpty(); // every task's end event delivered
      TaskTimeline.Stage stage = timeline.busiest();
      long rows = Math.max(1, s.stages().images() + s.stages().failures());
      System.out.printf(
          Locale.ROOT,
          "spark-%s %d %d %.3f %.3f %.3f %.3f %.3f %.3f %.3f %d %.3f %.3f %.3f%n",
          forward(a),
          cores,
          rows,
          s.wallNanos() / 1e9,
          cpu / 1e9,
          s.stages().readNanos() / 1e6 / rows,
          s.stages().decodeNanos() / 1e6 / rows,
          s.stages().preprocessNanos() / 1e6 / rows,
          s.stages().extractNanos() / 1e6 / rows,
          s.stages().writeNanos() / 1e6 / rows,
          stage.tasks(),
          stage.spanMillis() / 1e3,
          stage.busyMillis() / 1e3,
          s.stages().waitNanos() / 1e6 / rows);
      System.out.printf("threads spark-%s %d %s%n", forward(a), cores, threads);
      System.out.printf("memory spark-%s %d %d%n", forward(a), cores, peakResidentMegabytes());
    } finally {
      spark.stop();
    }
  }

  /**
   * The tasks of each stage as Spark's scheduler saw them: how many, from the first launch to the
   * last finish (the span), and their summed run time (busy). At C cores, {@code C x span - busy}
   * is core time the stage left idle (its tail: the last tasks running while other cores wait), and
   * the job's wall time less the span is what ran outside the stage (listing, the driver's check,
   * the shuffle of paths, committing the output).
   */
  private static final class TaskTimeline extends SparkListener {

    record Stage(int tasks, long firstLaunch, long lastFinish, long busyMillis) {
      long spanMillis() {
        return lastFinish - firstLaunch;
      }
    }

    private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      TaskInfo info = end.taskInfo();
      stages.merge(
          end.stageId(),
          new Stage(1, info.launchTime(), info.finishTime(), info.duration()),
          (x, y) ->
              new Stage(
                  x.tasks() + y.tasks(),
                  Math.min(x.firstLaunch(), y.firstLaunch()),
                  Math.max(x.lastFinish(), y.lastFinish()),
                  x.busyMillis() + y.busyMillis()));
    }

    /** The stage with the most task time: the one that extracts and writes. */
    Stage busiest() {
      return stages.values().stream()
          .max(Comparator.comparingLong(Stage::busyMillis))
          .orElse(new Stage(0, 0, 0, 0));
    }
  }

  private static ExtractOptions options(String[] a, String inputOption, Path input, Path out) {
    return ExtractOptions.parse(
        "--model",
        a[4],
        "--weights",
        a[3],
        "--nodes",
        a[5],
        "--batch",
        a[6],
        "--pool",
        a[7],
        "--forward",
        forward(a),
        inputOption,
        input.toString(),
        "--output",
        out.toString(),
        "--overwrite");
  }

  /** The {@code --forward} of a {@code spark} measurement (its eleventh argument), {@code task}. */
  private static String forward(String[] a) {
    return a.length > 10 ? a[10] : "task";
  }

  private static Path warmUpList(Path dir, Path work, int count) throws IOException {
    Files.createDirectories(work);
    List<String> lines = new ArrayList<>();
    for (Path p : sortedImages(dir).subList(0, count)) {
      lines.add(p.toString());
    }
    return Files.write(work.resolve("warm.txt"), lines);
  }

  private static List<Path> sortedImages(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
  }

  private static void single(String[] a) throws IOException {
    int cores = Integer.parseInt(a[1]);
    List<Path> images = sortedImages(Path.of(a[2]));
    int batch = Integer.parseInt(a[6]);
    Path work = Files.createDirectories(Path.of(a[8]));
    SingleJvmLoop loop =
        new SingleJvmLoop(a[4], Path.of(a[3]), ExtractOptions.parseNodes(a[5]), a[7], batch, cores);
    loop.run(images.subList(0, batch * cores * warmUpBatches(a)), work.resolve("warm.bin"));
    long cpu = cpuNanos();
    ThreadCpu.Snapshot threadsBefore = ThreadCpu.now();
    long start = System.nanoTime();
    long extractBefore = loop.extractNanos;
    int n = loop.run(images, work.resolve("out.bin"));
    long wall = System.nanoTime() - start;
    cpu = cpuNanos() - cpu;
    String threads = ThreadCpu.between(threadsBefore, ThreadCpu.now());
    System.out.printf(
        Locale.ROOT,
        "single %d %d %.3f %.3f %.3f%n",
        cores,
        n,
        wall / 1e9,
        cpu / 1e9,
        (loop.extractNanos - extractBefore) / 1e6 / Math.max(1, n));
    System.out.printf("threads single %d %s%n", cores, threads);
    System.out.printf("memory single %d %d%n", cores, peakResidentMegabytes());
  }

  /** Warm-up batches per core before the timed run: the optional tenth argument, else 2. */
  private static int warmUpBatches(String[] a) {
    return a.length > 9 ? Integer.parseInt(a[9]) : 2;
  }

  /**
   * The process's peak resident memory so far, in MB ({@code VmHWM} of Linux's {@code
   * /proc/self/status}: heap, libtorch's tensors, the libraries); -1 where there is none.
   */
  private static long peakResidentMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The CPU time of the whole process so far: all its threads, Spark's and the JIT's included. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The command line's loop: a threaded loader overlapping an extractor, features to a file. */
  private static final class SingleJvmLoop {
    private final ModelCatalog.Spec spec;
    private final Map<String, String> nodes;
    private final Pooling pooling;
    private final int batch;
    private final int cores;
    private final Path weights;
    long extractNanos; // wall time in the forward calls and copying the features out

    SingleJvmLoop(
        String model, Path weights, Map<String, String> nodes, String pool, int batch, int cores) {
      this.spec = ModelCatalog.require(model);
      this.weights = weights;
      this.nodes = nodes;
      this.pooling = Pooling.parse(pool, "--pool");
      this.batch = batch;
      this.cores = cores;
    }

    int run(List<Path> images, Path out) throws IOException {
      Preprocessing preprocessing =
          Preprocessing.builder()
              .resize(spec.resize())
              .centerCrop(spec.crop())
              .interpolation(spec.interpolation())
              .build();
      ExtractorHolder.Loaded loaded = ExtractorHolder.get(spec.name(), weights, nodes);
      dev.featurex.runtime.Threads.set(cores); // libtorch's and OpenBLAS's threads
      int n = 0;
      try (FileChannel file =
              FileChannel.open(
                  out,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
          BatchLoader loader =
              BatchLoader.builder(preprocessing)
                  .batchSize(batch)
                  .threads(cores)
                  .open(images.stream().map(ImageSource::of).toList())) {
        while (loader.hasNext()) {
          ImageBatch b = loader.next();
          if (b.size() == 0) {
            continue;
          }
          long t0 = System.nanoTime();
          Map<String, BatchFeatures.Feature> features =
              BatchFeatures.run(
                  loaded.extractor(),
                  pooling,
                  b.data(),
                  b.size(),
                  preprocessing.height(),
                  preprocessing.width());
          extractNanos += System.nanoTime() - t0;
          for (BatchFeatures.Feature f : features.values()) {
            ByteBuffer bytes =
                ByteBuffer.allocate(f.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(f.values());
            while (bytes.hasRemaining()) {
              file.write(bytes);
            }
          }
          n += b.size();
        }
      }
      return n;
    }
  }

  private static final String NO_DICTIONARY = "parquet.enable.dictionary";

  /**
   * The writer settings {@code parquet} compares, by name: {@code count} only makes the rows; a
   * name starting with {@code two-level} writes two-level lists ({@link
   * ExtractJob#TWO_LEVEL_LISTS}, what the job writes), the others Spark's three-level default.
   * {@code lean} turns off what Parquet computes per value besides the encoding: column statistics
   * (min, max), size statistics (repetition and definition level histograms) and page checksums;
   * {@code byte-stream-split} encodes the floats byte plane by byte plane (Parquet's float
   * encoding) instead of trying a dictionary. {@code v2} writes Parquet's version 2 data pages
   * (Spark writes version 1 unless told).
   */
  private static final Map<String, Map<String, String>> PARQUET_MODES = parquetModes();

  private static Map<String, Map<String, String>> parquetModes() {
    Map<String, String> lean =
        Map.of(
            "parquet.column.statistics.enabled", "false",
            "parquet.size.statistics.enabled", "false",
            "parquet.page.write-checksum.enabled", "false");
    Map<String, Map<String, String>> modes = new LinkedHashMap<>();
    modes.put("count", Map.of());
    modes.put("default", Map.of());
    modes.put("no-dictionary", Map.of(NO_DICTIONARY, "false"));
    modes.put("no-compression", Map.of("compression", "none"));
    modes.put("neither", Map.of(NO_DICTIONARY, "false", "compression", "none"));
    modes.put("two-level", Map.of());
    modes.put("two-level-no-dictionary", Map.of(NO_DICTIONARY, "false"));
    modes.put("two-level-lean", lean);
    Map<String, String> split = new LinkedHashMap<>(lean);
    split.put(NO_DICTIONARY, "false");
    split.put("parquet.enable.bytestreamsplit", "true");
    modes.put("two-level-lean-byte-stream-split", split);
    modes.put("two-level-v2", Map.of("parquet.writer.version", "v2"));
    return Collections.unmodifiableMap(modes);
  }

  private static void parquet(Path dir, int rows, int floats, int rounds) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("featurex-parquet-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      StructType schema =
          new StructType()
              .add("path", DataTypes.StringType)
              .add("feature", DataTypes.createArrayType(DataTypes.FloatType, false));
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      for (int round = 1; round <= rounds; round++) {
        for (Map.Entry<String, Map<String, String>> mode : PARQUET_MODES.entrySet()) {
          spark
              .conf()
              .set(
                  ExtractJob.TWO_LEVEL_LISTS,
                  String.valueOf(mode.getKey().startsWith("two-level")));
          Dataset<Row> frame =
              spark.createDataFrame(
                  context.parallelize(List.of(0), 1).flatMap(seed -> randomRows(rows, floats)),
                  schema);
          long start = System.nanoTime();
          if (mode.getKey().equals("count")) {
            frame.foreach(row -> {});
          } else {
            frame
                .write()
                .mode(SaveMode.Overwrite)
                .options(mode.getValue())
                .parquet(dir.resolve(mode.getKey()).toString());
          }
          System.out.printf(
              Locale.ROOT,
              "parquet %s %d %.2f%n",
              mode.getKey(),
              round,
              (System.nanoTime() - start) / 1e6 / rows);
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static Iterator<Row> randomRows(int rows, int floats) {
    Random random = new Random(1);
    List<Row> made = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      float[] values = new float[floats];
      for (int j = 0; j < floats; j++) {
        values[j] = random.nextFloat() * 3;
      }
      made.add(RowFactory.create("image-" + i, values));
    }
    return made.iterator();
  }
}
