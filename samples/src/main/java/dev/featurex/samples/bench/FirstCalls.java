package dev.featurex.samples.bench;

import dev.featurex.models.Zoo;
import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Natives;
import dev.featurex.runtime.Optimization;
import dev.featurex.runtime.Threads;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What the first call of an extractor costs against the calls after it, per optimization plan: the
 * plans that time alternatives on the first input of each shape ({@code CHANNELS_LAST_MAX_POOL},
 * {@code ONEDNN_CONVOLUTION}) pay for it there. For each plan, a fresh model and a run-time
 * extractor of {@code layer1..layer4}, then CALLS calls on one input; prints {@code first PLAN
 * MODEL BATCH THREADS ms...}, one time per call.
 *
 * <pre>{@code
 * java -cp "$(samples/bench/classpath.sh)" dev.featurex.samples.bench.FirstCalls resnet50 16 1 4
 * }</pre>
 *
 * <p>Arguments: {@code MODEL BATCH THREADS CALLS}.
 */
public final class FirstCalls {

  private static final Map<String, Set<Optimization>> PLANS =
      Map.of("defaults", Optimization.defaults(), "all", Optimization.all());

  private FirstCalls() {}

  @SuppressWarnings("try") // a NoGradGuard or PointerScope works by being open, never named
  public static void main(String[] args) {
    Natives.extract();
    String name = args[0];
    int batch = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    Threads.set(threads);
    Zoo.Entry entry = BenchModels.zoo(name);
    for (String plan : List.of("defaults", "all")) {
      Module model = entry.build();
      model.eval();
      FeatureExtractor extractor =
          FeatureExtraction.createFeatureExtractor(
              model,
              ExtractorOptions.builder()
                  .returnNodes(List.of("layer1", "layer2", "layer3", "layer4"))
                  .optimizations(PLANS.get(plan))
                  .build());
      Tensor input = torch.randn(batch, 3, 224, 224);
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "first %s %s %d %d", plan, name, batch, threads));
      try (NoGradGuard noGrad = new NoGradGuard()) {
        for (int i = 0; i < calls; i++) {
          long start = System.nanoTime();
          try (PointerScope scope = new PointerScope()) {
            extractor.forward(input);
          }
          line.append(String.format(Locale.ROOT, " %.0f", (System.nanoTime() - start) / 1e6));
        }
      }
      System.out.println(line);
    }
  }
}
