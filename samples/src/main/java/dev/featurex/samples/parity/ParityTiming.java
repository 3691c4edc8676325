package dev.featurex.samples.parity;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetLayer1FeatureExtractor;
import dev.featurex.models.ResNetStagesFeatureExtractor;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.StateDict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Times the zoo's ResNet-18 with torchvision's weights the way {@code torchvision_timing.py} times
 * torchvision's: eval, no grad, the exported input, {@code torch.set_num_threads} per thread count,
 * warm-up rounds, then rounds of every variant in an order that rotates each round. Each call runs
 * in its own {@link PointerScope}, so everything it made is freed before the next, as Python frees
 * a result when its last reference goes.
 *
 * <p>Variants: the model's {@code forward}; the generated extractor for {@code layer1..layer4} and
 * {@code fc} (torchvision's extractor's nodes); the generated extractor for {@code layer1}; the
 * run-time extractor for the same five nodes.
 */
final class ParityTiming {

  /** A named call. */
  private record Variant(String name, Runnable call) {}

  private final Path dir;
  private final String label;

  ParityTiming(Path dir, String label) {
    this.dir = dir;
    this.label = label;
  }

  /** Runs the rounds and appends one CSV line per call to {@code dir/timings.csv}. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  void run(int[] threads, int reps, int warmup, int round) throws IOException {
    ResNet model = ResNet.resnet18();
    StateDict.load(model, dir.resolve("resnet18.pt"));
    model.eval();
    Tensor x = StateDict.read(dir.resolve("input.pt")).get("x");
    ResNetStagesFeatureExtractor stages = new ResNetStagesFeatureExtractor(model);
    ResNetLayer1FeatureExtractor layer1 = new ResNetLayer1FeatureExtractor(model);
    FeatureExtractor dynamic =
        FeatureExtraction.createFeatureExtractor(model, ParityCheck.RETURN_NODES);
    List<Variant> variants =
        List.of(
            new Variant("forward", () -> model.forward(x)),
            new Variant("extractor", () -> stages.forward(x)),
            new Variant("layer1", () -> layer1.forward(x)),
            new Variant("dynamic extractor", () -> dynamic.forward(x)));
    List<String> lines = new ArrayList<>();
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int n : threads) {
        torch.set_num_threads(n);
        for (int w = 0; w < warmup; w++) {
          for (Variant v : variants) {
            time(v);
          }
        }
        for (int r = 0; r < reps; r++) {
          for (int k = 0; k < variants.size(); k++) {
            Variant v = variants.get((r + k) % variants.size());
            lines.add(
                String.format(Locale.ROOT, "%s,%d,%s,%d,%.4f", label, n, v.name(), round, time(v)));
          }
        }
      }
    }
    Files.write(
        dir.resolve("timings.csv"),
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** One call in its own scope, in milliseconds (freeing the call's tensors included). */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private static double time(Variant v) {
    long start = System.nanoTime();
    try (PointerScope scope = new PointerScope()) {
      v.call().run();
    }
    return (System.nanoTime() - start) / 1e6;
  }
}
