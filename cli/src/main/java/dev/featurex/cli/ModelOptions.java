package dev.featurex.cli;

import dev.featurex.cli.extract.Extraction;
import dev.featurex.cli.extract.ExtractionException;
import dev.featurex.models.Zoo;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.GraphNodeNames;
import java.util.List;
import org.bytedeco.pytorch.Module;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model positional parameter and {@code --mode}, shared by {@code nodes} and {@code graph}. */
final class ModelOptions {

  /** torchvision's two tracing modes. */
  enum Mode {
    train,
    eval
  }

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model of `featurex models`.")
  String model;

  @Option(
      names = "--mode",
      paramLabel = "train|eval",
      defaultValue = "eval",
      description = "Which traced graph (default: ${DEFAULT-VALUE}, the one extract runs).")
  Mode mode;

  /** Whether the train graph is asked for. */
  boolean training() {
    return mode == Mode.train;
  }

  /** The zoo entry, or a usage error with the closest names. */
  Zoo.Entry entry() {
    try {
      return Extraction.zooEntry(model);
    } catch (ExtractionException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** A new model (default initialisation) in the chosen mode. */
  Module build() {
    Zoo.Entry entry = entry();
    Extraction.quietNnpack(); // nodes --shapes runs the model
    Module built = entry.build();
    built.train(training());
    return built;
  }

  /** The node names of the chosen mode. */
  static List<String> names(GraphNodeNames names, boolean training) {
    return training ? names.train() : names.eval();
  }

  /** The node names of {@code model} in the chosen mode. */
  List<String> nodeNames(Module built) {
    return names(FeatureExtraction.getGraphNodeNames(built, quiet()), training());
  }

  private static dev.featurex.runtime.ExtractorOptions quiet() {
    return dev.featurex.runtime.ExtractorOptions.builder().suppressDiffWarning(true).build();
  }
}
