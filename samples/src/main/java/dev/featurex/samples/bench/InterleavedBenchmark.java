package dev.featurex.samples.bench;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFcFeatureExtractor;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetLayer1FeatureExtractor;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The JMH benchmarks' ratios measured the other way: every variant runs once per cycle, in an order
 * that rotates each cycle, and each ratio is taken between two calls of the same cycle. A burst of
 * load from another process then slows both sides of a ratio alike, where JMH, which runs one
 * benchmark after the other, charges it to whichever benchmark was running. On a shared 2-core
 * machine this gives tighter ratios; JMH gives the absolute times.
 *
 * <p>Like JMH it runs in fresh JVMs (forks), so that effects that last a whole process (where
 * libtorch's buffers landed, which kernels it picked) spread over the result. Usage: {@code
 * InterleavedBenchmark [forks] [cycles per fork] [torch threads]}, defaults {@code 4 100 1};
 * through {@code samples/bench/run-interleaved.sh}.
 */
public final class InterleavedBenchmark {

  private static final int WARM_UP_CYCLES = 10;

  /** A ratio the issues set a goal for: {@code numerator / denominator} at most {@code limit}. */
  private record Goal(String label, String numerator, String denominator, double limit) {}

  private static final List<Goal> GOALS =
      List.of(
          new Goal("issue 4: extractor(fc) / forward", "extractFc", "forward", 1.02),
          new Goal("issue 4: extractor(layer1) / forward", "extractLayer1", "forward", 0.45),
          new Goal("issue 5: dynamic / generated (6 nodes)", "dynamic", "generated", 1.03),
          new Goal(
              "issue 5: dynamic / generated (layer1)", "dynamicLayer1", "extractLayer1", 1.03));

  private InterleavedBenchmark() {}

  /** Forks the measuring JVMs and prints the medians and ratios; see the class comment. */
  public static void main(String[] args) throws IOException, InterruptedException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    if (args.length > 0 && args[0].equals("--child")) {
      measure(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    System.out.println(Environment.describe());
    System.out.printf(
        Locale.ROOT,
        "torch threads %d, %d forks x %d cycles (after %d warm-up cycles)%n",
        threads,
        forks,
        cycles,
        WARM_UP_CYCLES);
    Map<String, List<Double>> times = new LinkedHashMap<>();
    for (int f = 0; f < forks; f++) {
      for (String line : fork(cycles, threads)) {
        String[] cells = line.split(",");
        times.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(Double.parseDouble(cells[1]));
      }
    }
    report(times);
  }

  private static List<String> fork(int cycles, int threads)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                InterleavedBenchmark.class.getName(),
                "--child",
                String.valueOf(cycles),
                String.valueOf(threads))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException("a fork failed with status " + process.exitValue());
    }
    return lines;
  }

  /** In the fork: prints {@code variant,milliseconds} per call, cycle by cycle. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private static void measure(int cycles, int threads) {
    Threads.set(threads); // libtorch and OpenBLAS (see Threads)
    torch.manual_seed(0);
    ResNet model = ResNet.resnet18();
    model.eval();
    Tensor x = torch.randn(1, 3, 224, 224);
    ResNetFcFeatureExtractor fc = new ResNetFcFeatureExtractor(model);
    ResNetLayer1FeatureExtractor layer1 = new ResNetLayer1FeatureExtractor(model);
    ResNetFeatureExtractor generated = new ResNetFeatureExtractor(model);
    Map<String, String> six = new LinkedHashMap<>();
    for (String layer : List.of("layer1", "layer2", "layer3", "layer4")) {
      six.put(layer, layer);
    }
    six.put("avgpool", "pooled");
    six.put("fc", "logits");
    FeatureExtractor dynamic = FeatureExtraction.createFeatureExtractor(model, six);
    FeatureExtractor dynamicLayer1 =
        FeatureExtraction.createFeatureExtractor(model, List.of("layer1"));
    Map<String, Runnable> variants = new LinkedHashMap<>();
    variants.put("forward", () -> model.forward(x));
    variants.put("extractFc", () -> fc.forward(x));
    variants.put("extractLayer1", () -> layer1.forward(x));
    variants.put("generated", () -> generated.forward(x));
    variants.put("dynamic", () -> dynamic.forward(x));
    variants.put("dynamicLayer1", () -> dynamicLayer1.forward(x));
    List<Map.Entry<String, Runnable>> order = new ArrayList<>(variants.entrySet());
    StringBuilder out = new StringBuilder();
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int c = -WARM_UP_CYCLES; c < cycles; c++) {
        for (int k = 0; k < order.size(); k++) {
          Map.Entry<String, Runnable> v = order.get(Math.floorMod(c + k, order.size()));
          long start = System.nanoTime();
          try (PointerScope scope = new PointerScope()) { // frees everything the call made
            v.getValue().run();
          }
          double ms = (System.nanoTime() - start) / 1e6;
          if (c >= 0) {
            out.append(v.getKey()).append(',').append(ms).append('\n');
          }
        }
      }
    }
    System.out.print(out);
  }

  private static void report(Map<String, List<Double>> times) {
    System.out.println("medians (p25-p75), ms:");
    times.forEach(
        (name, xs) ->
            System.out.printf(
                Locale.ROOT,
                "  %-14s %7.2f (%.2f-%.2f)  n=%d%n",
                name,
                quantile(xs, 0.5),
                quantile(xs, 0.25),
                quantile(xs, 0.75),
                xs.size()));
    System.out.println(
        "paired ratios: median of the per-cycle ratios, [95% interval of that median]:");
    for (Goal goal : GOALS) {
      List<Double> a = times.get(goal.numerator());
      List<Double> b = times.get(goal.denominator());
      double[] ratios = new double[a.size()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = a.get(i) / b.get(i); // the i-th call of each ran in the same cycle
      }
      Arrays.sort(ratios);
      int n = ratios.length;
      // Order statistics bounding the median with ~95% confidence (normal approximation).
      int half = (int) Math.ceil(1.96 * Math.sqrt(n) / 2);
      double low = ratios[Math.max(0, n / 2 - half)];
      double high = ratios[Math.min(n - 1, n / 2 + half)];
      double median = quantileSorted(ratios, 0.5);
      String verdict =
          high <= goal.limit() ? "met" : low > goal.limit() ? "MISSED" : "within error of the goal";
      System.out.printf(
          Locale.ROOT,
          "  %-40s %.3f [%.3f, %.3f]  (goal ≤ %.2f: %s)%n",
          goal.label(),
          median,
          low,
          high,
          goal.limit(),
          verdict);
    }
  }

  private static double quantile(List<Double> xs, double q) {
    return quantileSorted(xs.stream().mapToDouble(Double::doubleValue).sorted().toArray(), q);
  }

  /** The q-quantile of sorted values, interpolated linearly (also LaunchSettings'). */
  static double quantileSorted(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
