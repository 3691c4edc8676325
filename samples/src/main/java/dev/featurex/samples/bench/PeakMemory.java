package dev.featurex.samples.bench;

import dev.featurex.runtime.ExtractorOptions;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Optimization;
import dev.featurex.runtime.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Peak native memory of one extraction (issue 15): for each set of optimizations, the highest
 * resident set size during one call of a run-time extractor for {@code layer1..layer4}, above the
 * resident set size just before it. Linux only: the peak is the kernel's {@code VmHWM}, reset
 * before each call by writing {@code 5} to {@code /proc/self/clear_refs}.
 *
 * <p>Resident memory follows libtorch's live tensors only when freed memory goes back to the system
 * at once: {@code samples/bench/memory-peak.sh} fixes glibc's mmap threshold ({@code
 * MALLOC_MMAP_THRESHOLD_}), so that every tensor above it is its own mapping, unmapped when freed
 * (otherwise glibc raises the threshold as it frees and keeps freed tensors in its heap); and it
 * fixes and pre-touches the JVM heap, so that the heap does not grow during a call.
 *
 * <p>Usage: {@code PeakMemory MODEL BATCH [ROUNDS]}; one thread. Every plan is warmed up (two
 * calls, which also builds folded weights) before the rounds; each round measures each plan once,
 * in a rotating order; the medians are printed with the ratio to the unoptimized extractor.
 */
public final class PeakMemory {

  private static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4");

  private PeakMemory() {}

  /** Runs the measurement; see the class comment. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void main(String[] args) throws IOException {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    String name = args.length > 0 ? args[0] : "resnet50";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Threads.set(1); // libtorch and OpenBLAS (see Threads)
    torch.manual_seed(0);
    System.out.println(Environment.describe());
    System.out.printf(
        Locale.ROOT,
        "%s, %dx3x224x224, layer1..layer4, 1 thread, %d rounds; MALLOC_MMAP_THRESHOLD_=%s%n",
        name,
        batch,
        rounds,
        System.getenv().getOrDefault("MALLOC_MMAP_THRESHOLD_", "(unset: peaks not reliable)"));
    Module model = BenchModels.create(name).module();
    model.eval();
    Map<String, Set<Optimization>> plans = new LinkedHashMap<>();
    plans.put("none", Optimization.none());
    plans.put("defaults", Optimization.defaults());
    plans.put("all", Optimization.all());
    Map<String, FeatureExtractor> extractors = new LinkedHashMap<>();
    plans.forEach(
        (plan, o) ->
            extractors.put(
                plan,
                FeatureExtraction.createFeatureExtractor(
                    model,
                    ExtractorOptions.builder().returnNodes(LAYERS).optimizations(o).build())));
    List<String> names = List.copyOf(plans.keySet());
    Map<String, double[]> peaks = new LinkedHashMap<>();
    names.forEach(n -> peaks.put(n, new double[rounds]));
    try (NoGradGuard noGrad = new NoGradGuard()) {
      Tensor x = torch.randn(batch, 3, 224, 224);
      long beforeWarmUp = resident();
      for (String n : names) {
        for (int i = 0; i < 2; i++) {
          call(extractors.get(n), x);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "resident after the warm-up: %+.1f MiB (libtorch's and oneDNN's caches, folded weights:"
              + " %.1f MiB of convolution weights in the model)%n",
          mib(resident() - beforeWarmUp),
          mib(convolutionWeightBytes(model)));
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < names.size(); k++) {
          String n = names.get((r + k) % names.size());
          long before = resident();
          resetPeak();
          call(extractors.get(n), x);
          peaks.get(n)[r] = mib(peak() - before);
        }
      }
    }
    double none = median(peaks.get("none"));
    for (String n : names) {
      double[] p = peaks.get(n);
      System.out.printf(
          Locale.ROOT,
          "  %-9s peak above the resting set: median %8.1f MiB (rounds %s)  ratio to none %.3f%n",
          n,
          median(p),
          Arrays.toString(Arrays.stream(p).map(v -> Math.round(v * 10) / 10.0).toArray()),
          median(p) / none);
    }
  }

  /** One extraction in its own scope; the features are freed with it. */
  @SuppressWarnings("try") // a PointerScope works by being open, never named
  private static void call(FeatureExtractor extractor, Tensor x) {
    try (PointerScope scope = new PointerScope()) {
      extractor.forward(x);
    }
  }

  private static long convolutionWeightBytes(Module model) {
    long bytes = 0;
    StringTensorDict parameters = model.named_parameters(true);
    for (long i = 0; i < parameters.size(); i++) {
      Tensor p = parameters.get(i).value();
      if (p.dim() == 4) {
        bytes += p.numel() * p.element_size();
      }
    }
    return bytes;
  }

  private static void resetPeak() throws IOException {
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
  }

  private static long resident() throws IOException {
    return status("VmRSS:");
  }

  private static long peak() throws IOException {
    return status("VmHWM:");
  }

  private static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException(field + " not in /proc/self/status: Linux only");
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double mib(double bytes) {
    return bytes / 1024.0 / 1024.0;
  }
}
