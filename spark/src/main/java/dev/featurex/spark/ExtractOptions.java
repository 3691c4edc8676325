package dev.featurex.spark;

import dev.featurex.graph.ReturnNodes;
import dev.featurex.images.Interpolation;
import dev.featurex.runtime.Pooling;
import dev.featurex.runtime.Threads;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The job's options, as the command line's {@code featurex extract} names them ({@code --model},
 * {@code --weights}, {@code --nodes}, {@code --batch}, {@code --resize}, {@code --crop}, {@code
 * --interpolation}, {@code --pool}, {@code --threads}, {@code --input}, {@code --output}), plus the
 * Spark-only ones ({@code --forward}, {@code --input-list}, {@code --input-table}, {@code
 * --path-column}, {@code --glob}, {@code --partitions}, {@code --overwrite}, {@code --master}).
 * Parsed once on the driver and shipped to the executors with the tasks.
 *
 * @param model the zoo's name of the model ({@code resnet50})
 * @param weights the checkpoint, a path or URI the driver can read; shipped to the executors
 * @param nodes each requested node (a name or a prefix) with its key, in the order given
 * @param batch images per forward call
 * @param threads torch's intra-op threads per forward call, at most {@link #MAX_THREADS}; 0 for the
 *     default of {@code forward}
 * @param forward where the forward calls run
 * @param pooling what is done to each feature before it is written
 * @param resize the shorter side after resizing; 0 for the model's default
 * @param crop the side of the centre crop; 0 for the model's default
 * @param interpolation the resampling filter; null for the model's default
 * @param input where the image paths come from
 * @param pathColumn the column of paths of an {@link InputKind#TABLE} input
 * @param glob the file-name filter of an {@link InputKind#FILES} input ({@code pathGlobFilter})
 * @param output the Parquet directory
 * @param partitions the number of partitions (tasks); 0 to choose from the number of images
 * @param overwrite whether an existing output is replaced
 * @param master the Spark master when not given by {@code spark-submit}; null otherwise
 */
public record ExtractOptions(
    String model,
    String weights,
    Map<String, String> nodes,
    int batch,
    int threads,
    Forward forward,
    Pooling pooling,
    int resize,
    int crop,
    Interpolation interpolation,
    Input input,
    String pathColumn,
    String glob,
    String output,
    int partitions,
    boolean overwrite,
    String master)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The most {@code --threads} the job takes: {@link Threads#MAX}, as the command line. */
  public static final int MAX_THREADS = Threads.MAX;

  /** The file names {@link InputKind#FILES} takes by default: the formats the decoder reads. */
  public static final String DEFAULT_GLOB = "*.{jpg,jpeg,png,bmp,gif,JPG,JPEG,PNG,BMP,GIF}";

  /** Where an executor's forward calls run ({@code --forward}; see {@link ForwardLane}). */
  public enum Forward {
    /**
     * On each task's thread, with the task's CPUs ({@code spark.task.cpus}) as torch threads: an
     * executor's tasks compute side by side.
     */
    TASK,
    /**
     * On one thread per executor, one forward at a time with all the executor's cores as torch
     * threads, while its tasks read, decode, preprocess and write.
     */
    EXECUTOR
  }

  /** How the job finds its images. */
  public enum InputKind {
    /** A folder (read recursively), a file or a glob, listed by Spark's {@code binaryFile}. */
    FILES,
    /**
     * A text file of image paths, one per line (blank lines and lines starting with {@code #}
     * skipped); relative paths are taken from its folder, not from the current directory.
     */
    LIST,
    /** A table of the session's catalog, with a column of image paths. */
    TABLE
  }

  /**
   * Where the image paths come from.
   *
   * @param kind how to read {@code location}
   * @param location the folder, list file or table name
   */
  public record Input(InputKind kind, String location) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks that neither is null. */
    public Input {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(location, "location");
    }
  }

  /** Checks the values; the node map is copied, in order. */
  public ExtractOptions {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(forward, "forward");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no node requested (--nodes layer4,avgpool:embedding)");
    }
    nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    atLeast("--batch", batch, 1);
    atLeast("--threads", threads, 0);
    atLeast("--resize", resize, 0);
    atLeast("--crop", crop, 0);
    atLeast("--partitions", partitions, 0);
    if (threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "--threads "
              + threads
              + " is more than the limit of "
              + MAX_THREADS
              + " torch threads per forward call; give at most the cores of an executor, or leave"
              + " --threads out for "
              + THREADS_DEFAULT);
    }
  }

  private static final String THREADS_DEFAULT =
      "spark.task.cpus (--forward task) or the executor's cores (--forward executor)";

  private static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          option + " must be at least " + Math.max(min, 1) + ", got " + value);
    }
  }

  /** The usage text that {@code --help} and every parse error print. */
  public static final String USAGE =
      String.join(
          "\n",
          "usage: spark-submit --class dev.featurex.spark.ExtractJob featurex-spark-all.jar",
          "         --model NAME --weights FILE --nodes NODE[:KEY],... --output DIR",
          "         (--input DIR|FILE|GLOB | --input-list FILE | --input-table NAME)",
          "         [--batch 32] [--threads N] [--forward task|executor] [--pool none|avg]",
          "         [--resize N] [--crop N] [--interpolation NAME] [--glob PATTERN]",
          "         [--path-column path] [--partitions N] [--overwrite] [--master local[2]]");

  /**
   * Parses the job's arguments ({@code --name value} or {@code --name=value}).
   *
   * @throws IllegalArgumentException naming the option and the fix, for an unknown option, a
   *     missing or malformed value, or a missing required option
   */
  public static ExtractOptions parse(String... args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument \"" + arg + "\"\n" + USAGE);
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (name.equals("--overwrite")) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
      }
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return fromValues(values);
  }

  private static final List<String> OPTIONS =
      List.of(
          "--model",
          "--weights",
          "--nodes",
          "--batch",
          "--threads",
          "--forward",
          "--pool",
          "--resize",
          "--crop",
          "--interpolation",
          "--input",
          "--input-list",
          "--input-table",
          "--path-column",
          "--glob",
          "--output",
          "--partitions",
          "--overwrite",
          "--master");

  private static ExtractOptions fromValues(Map<String, String> v) {
    return new ExtractOptions(
        required(v, "--model"),
        required(v, "--weights"),
        parseNodes(required(v, "--nodes")),
        integer(v, "--batch", 32),
        optional(v, "--threads", THREADS_DEFAULT),
        choice(
            Forward.class,
            "--forward",
            v.getOrDefault("--forward", "task"),
            "task (each task computes on its own CPUs) or executor (one forward at a time per"
                + " executor, on all its cores)"),
        Pooling.parse(v.getOrDefault("--pool", "none"), "--pool"),
        optional(v, "--resize", "the model's resize"),
        optional(v, "--crop", "the model's crop"),
        v.containsKey("--interpolation")
            ? choice(
                Interpolation.class,
                "--interpolation",
                v.get("--interpolation"),
                "bilinear, bicubic, nearest, lanczos, box or hamming")
            : null,
        input(v),
        v.getOrDefault("--path-column", "path"),
        v.getOrDefault("--glob", DEFAULT_GLOB),
        required(v, "--output"),
        optional(v, "--partitions", "a count chosen from the number of images"),
        Boolean.parseBoolean(v.getOrDefault("--overwrite", "false")),
        v.get("--master"));
  }

  private static Input input(Map<String, String> v) {
    List<Input> given = new ArrayList<>();
    if (v.containsKey("--input")) {
      given.add(new Input(InputKind.FILES, v.get("--input")));
    }
    if (v.containsKey("--input-list")) {
      given.add(new Input(InputKind.LIST, v.get("--input-list")));
    }
    if (v.containsKey("--input-table")) {
      given.add(new Input(InputKind.TABLE, v.get("--input-table")));
    }
    if (given.size() != 1) {
      throw new IllegalArgumentException(
          "give exactly one of --input DIR, --input-list FILE or --input-table NAME, got "
              + given.size()
              + "\n"
              + USAGE);
    }
    return given.get(0);
  }

  /**
   * {@code layer4,avgpool:embedding} as {@code {layer4=layer4, avgpool=embedding}}: each node with
   * its key, the node's own name when no key is given.
   *
   * @throws IllegalArgumentException for an empty name or key, white space around {@code ':'}, more
   *     than one {@code ':'}, or a node or key given twice
   */
  public static Map<String, String> parseNodes(String spec) {
    Map<String, String> nodes = new LinkedHashMap<>();
    for (String item : spec.split(",", -1)) {
      ReturnNodes.Request request;
      try {
        // The command line's rules, as @ExtractFeatures's: no white space around ':'.
        request = ReturnNodes.parse(item.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--nodes \""
                + spec
                + "\": "
                + e.getMessage()
                + "; write NODE or NODE:KEY, comma-separated",
            e);
      }
      String node = request.node();
      String key = request.key();
      if (nodes.containsKey(node)) {
        throw new IllegalArgumentException("--nodes names \"" + node + "\" twice");
      }
      if (nodes.containsValue(key)) {
        throw new IllegalArgumentException("--nodes uses the key \"" + key + "\" twice");
      }
      nodes.put(node, key);
    }
    return nodes;
  }

  /**
   * The constant of {@code type} named {@code name} (any case), the value of {@code option}.
   *
   * @throws IllegalArgumentException for another name, with {@code choices}
   */
  private static <E extends Enum<E>> E choice(
      Class<E> type, String option, String name, String choices) {
    try {
      return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown " + option + " \"" + name + "\"; use " + choices);
    }
  }

  private static String required(Map<String, String> v, String name) {
    String value = v.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required\n" + USAGE);
    }
    return value;
  }

  /**
   * The value of an option whose absence means a default (returned as 0): given, it must be at
   * least 1.
   */
  private static int optional(Map<String, String> v, String name, String absent) {
    int value = integer(v, name, 0);
    if (v.containsKey(name) && value < 1) {
      throw new IllegalArgumentException(
          name + " must be at least 1, got " + value + "; leave " + name + " out for " + absent);
    }
    return value;
  }

  private static int integer(Map<String, String> v, String name, int otherwise) {
    String value = v.get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes a whole number, got \"" + value + "\"");
    }
  }
}
