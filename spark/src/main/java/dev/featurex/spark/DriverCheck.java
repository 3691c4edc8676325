package dev.featurex.spark;

import dev.featurex.runtime.execute.NodeExecutionException;
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

  private DriverCheck() {}

  /**
   * The extractor's keys, in execution order.
   *
   * @throws IllegalArgumentException for a bad model, weights or node, or a model that cannot run
   *     on {@code crop x crop} images
   */
  static List<String> check(ExtractOptions options, Path weights, int crop) {
    ExtractorHolder.Loaded loaded = ExtractorHolder.get(options.model(), weights, options.nodes());
    Map<String, BatchFeatures.Feature> probe;
    try {
      probe =
          BatchFeatures.run(
              loaded.extractor(), options.pooling(), new float[3 * crop * crop], 1, crop, crop);
    } catch (NodeExecutionException | IllegalStateException e) {
      throw new IllegalArgumentException(
          options.model()
              + " cannot run on "
              + crop
              + " x "
              + crop
              + " images (--crop): "
              + e.getMessage(),
          e);
    }
    return List.copyOf(probe.keySet());
  }
}
