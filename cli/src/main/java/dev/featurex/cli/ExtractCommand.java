package dev.featurex.cli;

import dev.featurex.cli.extract.Extraction;
import dev.featurex.cli.extract.ExtractionException;
import dev.featurex.cli.extract.ExtractionSpec;
import dev.featurex.cli.output.FeatureFiles;
import dev.featurex.cli.output.OutputFormat;
import dev.featurex.runtime.Pooling;
import dev.featurex.runtime.Threads;
import dev.featurex.runtime.weights.SafetensorsHeader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code featurex extract MODEL --weights FILE --nodes ... --input ... --output FILE}: images in,
 * one tensor per requested node out, rows in input order (see {@link ExtractRun}).
 */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    header = "Extracts the features of images into safetensors or npy files.",
    sortOptions = false,
    description = {
      "Extracts the features of images. Decodes and preprocesses them as",
      "torchvision's weights.transforms() does (resize, centre crop, normalize) on a",
      "pool of threads, runs MODEL with its weights up to the requested nodes, and",
      "writes one tensor per node, images along the first dimension, and OUTPUT.paths",
      "listing each row's image. Unreadable images are reported and skipped. The",
      "output is written whole or not at all: temporary files are renamed at the end,",
      "and Ctrl-C leaves nothing.",
      ""
    })
final class ExtractCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model of `featurex models`.")
  private String model;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE",
      description = "The checkpoint: torchvision's .pth, a torch.save state dict, or .safetensors.")
  private Path weights;

  @Option(
      names = "--nodes",
      required = true,
      split = ",",
      paramLabel = "NODE[:KEY],...",
      hideParamSyntax = true,
      description =
          "Nodes to extract, names or prefixes (layer4 = the last node in layer4), each with"
              + " an optional key: layer4,avgpool:embedding. `featurex nodes MODEL` lists them.")
  private List<String> nodes;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR|FILE|LIST",
      description =
          "A folder (its .jpg/.jpeg/.png/.bmp/.gif files, recursively, sorted), one image, or"
              + " a text file listing image paths, one per line.")
  private Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The features file; OUTPUT.paths is written beside it.")
  private Path output;

  @Option(
      names = "--format",
      paramLabel = "safetensors|npy",
      description =
          "safetensors (one file, a tensor per key) or npy (OUTPUT for one key; for several,"
              + " <stem>.<key>.npy each). Default: npy when OUTPUT ends in .npy, else"
              + " safetensors; an OUTPUT ending in .npy or .safetensors must match.")
  private String format;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "Images per forward call (default: ${DEFAULT-VALUE}); batch x 3 x crop x crop must"
              + " fit in one Java array.")
  private int batch;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Torch's threads, and the decoding threads unless --decode-threads (default: the"
              + " number of processors; at most 1024).")
  private Integer threads;

  @Option(
      names = "--decode-threads",
      paramLabel = "N",
      description = "Threads decoding and preprocessing images (default: --threads).")
  private Integer decodeThreads;

  @Option(
      names = "--pool",
      paramLabel = "none|avg",
      defaultValue = "none",
      description =
          "avg: average each feature map over its spatial dimensions (N x C x H x W becomes"
              + " N x C). Default: ${DEFAULT-VALUE}.")
  private String pool;

  @Option(
      names = "--resize",
      paramLabel = "N",
      description = "Resize the shorter side to N (default: the model's, see `featurex models`).")
  private Integer resize;

  @Option(
      names = "--crop",
      paramLabel = "N",
      description = "Centre crop N x N (default: the model's).")
  private Integer crop;

  @Option(
      names = "--interpolation",
      paramLabel = "NAME",
      description = "bilinear, bicubic, nearest, lanczos, box or hamming (default: the model's).")
  private String interpolation;

  @Option(
      names = "--fail-fast",
      description = "Stop at the first unreadable image (exit code 1, nothing written).")
  private boolean failFast;

  @Option(names = "--no-progress", description = "No progress bar.")
  private boolean noProgress;

  @Override
  public Integer call() {
    int torchThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    int loaders = decodeThreads == null ? torchThreads : decodeThreads;
    atLeastOne("--batch", batch);
    threadCount("--threads", torchThreads);
    threadCount("--decode-threads", loaders);
    if (resize != null) {
      atLeastOne("--resize", resize, " (leave it out for the model's own size)");
    }
    if (crop != null) {
      atLeastOne("--crop", crop, " (leave it out for the model's own size)");
    }
    OutputFormat outputFormat = outputFormat();
    Pooling pooling;
    try {
      pooling = Pooling.parse(pool, "pooling");
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--pool: " + e.getMessage());
    }
    checkKeys(outputFormat);
    AtomicFile.checkWritable(output, "--output");
    AtomicFile.checkWritable(FeatureFiles.pathsFile(output), "--output's paths file");
    List<Path> images = InputFiles.resolve(input);
    ExtractionSpec request =
        new ExtractionSpec(
            model,
            weights.toString(),
            nodes,
            pooling,
            resize == null ? 0 : resize, // 0: the model's own
            crop == null ? 0 : crop,
            interpolation,
            batch,
            torchThreads);
    Extraction.setTorchThreads(torchThreads);
    Extraction extraction;
    try {
      extraction = Extraction.load(request);
    } catch (ExtractionException e) {
      int code = e.kind() == ExtractionException.Kind.WEIGHTS ? ExitCodes.WEIGHTS : ExitCodes.USAGE;
      throw new CliException(code, e.getMessage(), e);
    }
    ExtractRun run =
        new ExtractRun(
            extraction, request, images, output, outputFormat, loaders, failFast, !noProgress);
    return run.execute(spec.commandLine().getErr());
  }

  private OutputFormat outputFormat() {
    if (format == null) {
      return OutputFormat.forName(output);
    }
    for (OutputFormat f : OutputFormat.values()) {
      if (f.toString().equalsIgnoreCase(format.trim())) {
        OutputFormat named = OutputFormat.named(output);
        if (named != null && named != f) {
          String name = output.getFileName().toString();
          String renamed = name.substring(0, name.length() - named.toString().length()) + f;
          throw new CliException(
              ExitCodes.USAGE,
              "--format "
                  + f
                  + " does not match --output "
                  + output
                  + ", a ."
                  + named
                  + " name; name the output "
                  + renamed
                  + ", or leave --format out to write "
                  + named);
        }
        return f;
      }
    }
    throw new CliException(
        ExitCodes.USAGE, "--format \"" + format + "\" is not a format; use safetensors or npy");
  }

  /** The keys of --nodes as the format allows them (the rest is checked on the model's graph). */
  private void checkKeys(OutputFormat outputFormat) {
    Map<String, String> nodeToKey;
    try {
      nodeToKey = Extraction.parseNodes(nodes);
    } catch (ExtractionException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    if (outputFormat == OutputFormat.SAFETENSORS
        && nodeToKey.containsValue(SafetensorsHeader.METADATA)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--nodes: the key \""
              + SafetensorsHeader.METADATA
              + "\" is reserved by the safetensors format for its header; give another key"
              + " (node:key)");
    }
  }

  private static void threadCount(String option, int value) {
    atLeastOne(option, value);
    if (value > Threads.MAX) {
      throw new CliException(
          ExitCodes.USAGE,
          option
              + " must be at most "
              + Threads.MAX
              + ", got "
              + value
              + " (this machine has "
              + Runtime.getRuntime().availableProcessors()
              + " processors)");
    }
  }

  private static void atLeastOne(String option, int value) {
    atLeastOne(option, value, "");
  }

  /** Refuses {@code value} below 1, the message ending in {@code hint}. */
  private static void atLeastOne(String option, int value, String hint) {
    if (value < 1) {
      throw new CliException(ExitCodes.USAGE, option + " must be at least 1, got " + value + hint);
    }
  }
}
