package dev.featurex.spark;

import dev.featurex.runtime.StateDictFormatException;
import dev.featurex.runtime.StateDictMismatchException;
import dev.featurex.runtime.execute.NodeExecutionException;
import dev.featurex.runtime.execute.NotATensorException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the driver checks before any task runs: the model name, the weights (a strict load), the
 * node names (with the closest names when one is wrong), and that the model runs on an image of the
 * crop size. Its one forward call also gives the keys in the extractor's order, which are the
 * output's columns.
 */
final class DriverCheck {

  /** The lines of a long mismatch message shown (one per kind of problem, and the first sizes). */
  static final int LINES_LIMIT = 6;

  /** The characters of one line shown (a list of unexpected keys is one long line). */
  static final int LINE_LIMIT = 300;

  private DriverCheck() {}

  /**
   * The output's schema: the extractor's keys, in execution order.
   *
   * @param weights the driver's copy of the checkpoint
   * @throws JobException for a bad model, weights or node, a model that cannot run on {@code crop x
   *     crop} images, or keys whose column names clash
   */
  static OutputSchema check(ExtractOptions options, Path weights, int crop) {
    ExtractorHolder.Loaded loaded;
    try {
      loaded = ExtractorHolder.get(options.model(), weights, options.nodes());
    } catch (StateDictMismatchException e) {
      throw new JobException(
          JobException.Kind.WEIGHTS,
          "--weights "
              + options.weights()
              + " does not fit "
              + options.model()
              + " (is it another model's checkpoint?): "
              + e.abbreviatedMessage(LINES_LIMIT, LINE_LIMIT),
          e);
    } catch (UncheckedIOException e) {
      String why =
          e.getCause() instanceof StateDictFormatException format
              ? format.getMessage()
              : e.getMessage();
      throw new JobException(
          JobException.Kind.WEIGHTS, "cannot load --weights " + options.weights() + ": " + why, e);
    }
    Map<String, BatchFeatures.Feature> probe;
    try {
      probe =
          BatchFeatures.run(
              loaded.extractor(), options.pooling(), new float[3 * crop * crop], 1, crop, crop);
    } catch (NotATensorException e) {
      throw new JobException(JobException.Kind.USAGE, "--nodes: " + e.getMessage(), e);
    } catch (NodeExecutionException | IllegalStateException e) {
      throw new JobException(
          JobException.Kind.USAGE,
          options.model()
              + " cannot run on "
              + crop
              + " x "
              + crop
              + " images; give a larger --crop: "
              + e.getMessage(),
          e);
    }
    try {
      return new OutputSchema(List.copyOf(probe.keySet()));
    } catch (IllegalArgumentException e) {
      throw new JobException(JobException.Kind.USAGE, e.getMessage(), e);
    }
  }
}
