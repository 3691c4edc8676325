package dev.featurex.spark;

import dev.featurex.graph.Suggestions;
import dev.featurex.images.Interpolation;
import dev.featurex.models.Zoo;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Module;

/**
 * How the job turns a model name into a model and its default preprocessing: the zoo's table
 * ({@link Zoo}), as the command line reads it, so that {@code --model} takes the same names with
 * the same defaults ({@code resnet50}: resize 256, crop 224, bilinear).
 */
public final class ModelCatalog {

  /**
   * A model the job can run.
   *
   * @param name torchvision's name of the builder
   * @param builder a new model with libtorch's default initialisation
   * @param resize the shorter side after resizing, in torchvision's weights transforms
   * @param crop the side of the centre crop, in those transforms
   * @param interpolation the resampling filter of those transforms
   */
  public record Spec(
      String name,
      Supplier<? extends Module> builder,
      int resize,
      int crop,
      Interpolation interpolation) {}

  private ModelCatalog() {}

  /** The names the job knows, in the zoo's order. */
  public static List<String> names() {
    return Zoo.names();
  }

  /** The model named {@code name} (torchvision's name), if the zoo has it. */
  public static Optional<Spec> find(String name) {
    return Zoo.find(name)
        .map(
            e ->
                new Spec(
                    e.name(),
                    e::build,
                    e.resizeSize(),
                    e.cropSize(),
                    Interpolation.valueOf(e.interpolation().toUpperCase(Locale.ROOT))));
  }

  /**
   * The model named {@code name}.
   *
   * @throws JobException ({@link JobException.Kind#USAGE}) with the closest names, when the zoo has
   *     none of that name
   */
  public static Spec require(String name) {
    return find(name)
        .orElseThrow(
            () -> {
              List<String> closest = Suggestions.closest(name, names());
              return new JobException(
                  JobException.Kind.USAGE,
                  "unknown --model \""
                      + name
                      + "\""
                      + (closest.isEmpty()
                          ? ""
                          : "; did you mean " + String.join(", ", closest) + "?")
                      + " (the zoo's models: "
                      + String.join(", ", names())
                      + ")");
            });
  }
}
