package dev.featurex.spark;

import dev.featurex.images.Interpolation;
import dev.featurex.models.ResNet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Module;

/**
 * How the job turns a model name into a model and its default preprocessing: the one place that
 * knows where models come from.
 *
 * <p>Interim: a few of the zoo's builders, with torchvision's classification preset (resize 256,
 * crop 224, bilinear), until the zoo's own table ({@code dev.featurex.models.Zoo}) is merged; then
 * this class reads that table.
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

  private static final Map<String, Supplier<? extends Module>> BUILDERS =
      Map.of(
          "resnet18", ResNet::resnet18,
          "resnet34", ResNet::resnet34,
          "resnet50", ResNet::resnet50,
          "resnet101", ResNet::resnet101,
          "resnet152", ResNet::resnet152);

  private ModelCatalog() {}

  /** The names the job knows, sorted. */
  public static List<String> names() {
    return BUILDERS.keySet().stream().sorted().toList();
  }

  /** The model named {@code name}, if the job knows it. */
  public static Optional<Spec> find(String name) {
    Supplier<? extends Module> builder = BUILDERS.get(name);
    return builder == null
        ? Optional.empty()
        : Optional.of(new Spec(name, builder, 256, 224, Interpolation.BILINEAR));
  }

  /**
   * The model named {@code name}.
   *
   * @throws IllegalArgumentException naming the known models, when there is none of that name
   */
  public static Spec require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown --model \""
                        + name
                        + "\"; the models are: "
                        + String.join(", ", names())));
  }
}
