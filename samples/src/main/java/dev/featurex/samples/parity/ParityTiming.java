package dev.featurex.samples.parity;

import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Optimization;
import dev.featurex.runtime.StateDict;
import dev.featurex.runtime.Threads;
import dev.featurex.samples.bench.BenchModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Times the samples' models with torchvision's weights the way {@code torchvision_timing.py} times
 * torchvision's: eval, no grad, the exported inputs, {@code Threads.set} (libtorch's and OpenBLAS's
 * threads, as the Python side bounds both) per thread count, warm-up calls, then rounds of every
 * variant in an order that rotates each round. Each call runs in its own {@link PointerScope}, so
 * everything it made is freed before the next, as Python frees a result when its last reference
 * goes. Each call's wall-clock and process CPU time are recorded.
 *
 * <p>Variants, all for {@code layer1..layer4} and {@code fc} (torchvision's extractor's nodes)
 * through the run-time API, which serves any traced model ({@link BenchModels}): {@code
 * extractor:none} (no optimization: what the model's {@code forward} computes, node by node, as
 * before issue 15), {@code extractor:defaults} (the exact optimizations, {@code
 * createFeatureExtractor}'s default), {@code extractor:all} (batch-norm folding too); and the
 * model's {@code forward}.
 */
final class ParityTiming {

  /** The optimization sets timed, by name. */
  static final Map<String, Set<Optimization>> PLANS = plans();

  private static Map<String, Set<Optimization>> plans() {
    Map<String, Set<Optimization>> plans = new LinkedHashMap<>();
    plans.put("none", Optimization.none());
    plans.put("defaults", Optimization.defaults());
    plans.put("all", Optimization.all());
    return plans;
  }

  /** A named call on the input. */
  private record Variant(String name, Consumer<Tensor> call) {}

  private final Path dir;
  private final String label;

  ParityTiming(Path dir, String label) {
    this.dir = dir;
    this.label = label;
  }

  /** The run-time extractor of {@link BenchModels#STAGES} with {@code optimizations}. */
  static FeatureExtractor extractor(Module model, Set<Optimization> optimizations) {
    return FeatureExtraction.createFeatureExtractor(
        model,
        ExtractorOptions.builder()
            .returnNodes(BenchModels.STAGES)
            .optimizations(optimizations)
            .build());
  }

  /**
   * Runs the rounds of every model, batch and thread count and appends one CSV line per call to
   * {@code dir/timings.csv}; {@code reps} gives the calls per variant for each batch.
   */
  @SuppressWarnings("try") // a NoGradGuard works by being open, never named
  void run(
      List<String> models,
      int[] batches,
      int[] threads,
      Map<Integer, Integer> reps,
      int warmup,
      int round)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (String name : models) {
      BenchModels.BenchModel bench = BenchModels.create(name);
      StateDict.load(bench.module(), dir.resolve(name + ".pt"));
      bench.module().eval();
      List<Variant> variants = new ArrayList<>();
      variants.add(new Variant("forward", x -> bench.forward().apply(x)));
      PLANS.forEach(
          (plan, o) -> {
            FeatureExtractor extractor = extractor(bench.module(), o);
            variants.add(new Variant("extractor:" + plan, extractor::forward));
          });
      for (int batch : batches) {
        Tensor x = StateDict.read(dir.resolve("input_b" + batch + ".pt")).get("x");
        try (NoGradGuard noGrad = new NoGradGuard()) {
          for (int n : threads) {
            Threads.set(n); // libtorch and OpenBLAS (see Threads)
            for (int w = 0; w < warmup; w++) {
              for (Variant v : variants) {
                time(v, x);
              }
            }
            for (int r = 0; r < reps.get(batch); r++) {
              for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((r + k) % variants.size());
                double[] ms = time(v, x);
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "%s,%s,%d,%d,%s,%d,%.4f,%.4f",
                        label,
                        name,
                        batch,
                        n,
                        v.name(),
                        round,
                        ms[0],
                        ms[1]));
              }
            }
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

  /**
   * One call in its own scope (freeing the call's tensors included): wall-clock and process CPU
   * milliseconds. CPU time does not count the time other processes held the CPUs, so it is the
   * steadier measure on a busy machine; it counts every thread of the process (libtorch's, and the
   * JVM's compiler and collector, idle once warmed up).
   */
  @SuppressWarnings("try") // a PointerScope works by being open, never named
  private static double[] time(Variant v, Tensor x) {
    long cpu = CPU.getProcessCpuTime();
    long start = System.nanoTime();
    try (PointerScope scope = new PointerScope()) {
      v.call().accept(x);
    }
    long wall = System.nanoTime() - start;
    return new double[] {wall / 1e6, (CPU.getProcessCpuTime() - cpu) / 1e6};
  }

  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
}
