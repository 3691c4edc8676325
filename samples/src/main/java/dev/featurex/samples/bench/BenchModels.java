package dev.featurex.samples.bench;

import dev.featurex.models.ResNet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * The models the speed and memory harnesses run, by torchvision's name: one place to swap the
 * samples' ResNet for another traced model class (the models zoo's) without touching a harness.
 * Every model here is a traced class, so the harnesses build its extractors through the run-time
 * API ({@code FeatureExtraction.createFeatureExtractor}), which works for any of them.
 */
public final class BenchModels {

  /** The nodes every harness extracts: torchvision's {@code create_feature_extractor} list. */
  public static final List<String> STAGES = List.of("layer1", "layer2", "layer3", "layer4", "fc");

  /**
   * A model and its own {@code forward} ({@code forward} is not virtual on {@code Module}).
   *
   * @param module the model
   * @param forward the model's {@code forward}
   */
  public record BenchModel(Module module, UnaryOperator<Tensor> forward) {}

  private static final Map<String, Supplier<BenchModel>> MODELS =
      Map.of(
          "resnet18", () -> resnet(ResNet.resnet18()), "resnet50", () -> resnet(ResNet.resnet50()));

  private BenchModels() {}

  private static BenchModel resnet(ResNet model) {
    return new BenchModel(model, model::forward);
  }

  /**
   * A new model {@code name} ({@code resnet18}, {@code resnet50}), with the constructor's random
   * initialisation on the current seed, in training mode as constructed.
   *
   * @throws IllegalArgumentException naming the known models for any other name
   */
  public static BenchModel create(String name) {
    Supplier<BenchModel> factory = MODELS.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "no model \"" + name + "\" in the harness; known: " + MODELS.keySet());
    }
    return factory.get();
  }

  /**
   * The zoo's entry for torchvision's builder name {@code name}, for the harnesses that run any zoo
   * model.
   *
   * @throws IllegalArgumentException naming the model when the zoo has none by that name
   */
  public static dev.featurex.models.Zoo.Entry zoo(String name) {
    return dev.featurex.models.Zoo.find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no zoo model named \""
                        + name
                        + "\"; known: "
                        + dev.featurex.models.Zoo.names()));
  }
}
