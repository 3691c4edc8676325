package dev.featurex.samples.bench;

import dev.featurex.models.ResNet;
import dev.featurex.models.ResNetFeatureExtractor;
import dev.featurex.models.ResNetFeatures;
import dev.featurex.runtime.FeatureExtraction;
import dev.featurex.runtime.FeatureExtractor;
import dev.featurex.runtime.Threads;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Issue 4's memory check: runs 2,000 extractions of ResNet-18's six features (1x3x224x224, eval, no
 * grad) and prints the process's resident memory at the start, after a warm-up and every 250 calls,
 * then the growth from the warm-up to the end.
 *
 * <p>Each call closes what it gets: the generated extractor's record ({@code close()} frees the
 * features), or, with {@code dynamic}, every tensor of the run-time extractor's map. Flat resident
 * memory means the extractor frees its intermediates deterministically, not at the next garbage
 * collection.
 *
 * <p>The JVM heap is resident memory too: eden pages are touched as calls allocate their small Java
 * wrappers, so a growing heap looks like a leak until the first collections. {@code
 * samples/bench/memory.sh} therefore fixes the heap and touches it at start-up ({@code -Xms} =
 * {@code -Xmx}, {@code -XX:+AlwaysPreTouch}): what grows after the warm-up is native memory. The
 * heap in use and the collection count are printed beside each figure.
 *
 * <p>Usage: {@code MemoryHarness [generated|dynamic] [calls] [torch threads]}, defaults {@code
 * generated 2000 1}; run through {@code samples/bench/memory.sh}.
 */
public final class MemoryHarness {

  /** Enough calls for the JIT to compile the per-node code (its code is native memory too). */
  private static final int WARM_UP = 200;

  private static final int EVERY = 250;

  private MemoryHarness() {}

  /** Runs the harness; see the class comment for the arguments. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static void main(String[] args) {
    dev.featurex.runtime.Natives.extract(); // before libtorch loads (see Natives)
    String kind = args.length > 0 ? args[0] : "generated";
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    if (!List.of("generated", "dynamic").contains(kind)) {
      throw new IllegalArgumentException("the first argument is generated or dynamic, not " + kind);
    }
    Threads.set(threads); // libtorch and OpenBLAS (see Threads)
    torch.manual_seed(0);
    System.out.println(Environment.describe());
    System.out.printf(
        Locale.ROOT,
        "%s extractor, ResNet-18, 1x3x224x224, torch threads %d, %d calls%n",
        kind,
        threads,
        calls);
    ResNet model = ResNet.resnet18();
    model.eval();
    Runnable call = kind.equals("generated") ? generated(model) : dynamic(model);
    try (NoGradGuard noGrad = new NoGradGuard()) {
      report("start (libtorch loaded, model built)", residentBytes());
      for (int i = 0; i < WARM_UP; i++) {
        call.run();
      }
      long warm = residentBytes();
      report("after " + WARM_UP + " warm-up calls", warm);
      long peak = warm;
      long half = warm;
      for (int i = 1; i <= calls; i++) {
        call.run();
        if (i % EVERY == 0) {
          long now = residentBytes();
          peak = Math.max(peak, now);
          report("after " + i + " calls", now);
        }
        if (i == calls / 2) {
          half = residentBytes();
        }
      }
      long end = residentBytes();
      System.out.printf(
          Locale.ROOT,
          "growth after warm-up: %+.1f MiB over %d calls (%+.2f KiB per call), %+.1f MiB over the"
              + " last %d; peak %.1f MiB; live JavaCPP pointers %d, JavaCPP physicalBytes %.1f MiB%n",
          mib(end - warm),
          calls,
          (end - warm) / 1024.0 / calls,
          mib(end - half),
          calls - calls / 2,
          mib(peak),
          Pointer.totalCount(),
          mib(Pointer.physicalBytes()));
    }
  }

  private static Runnable generated(ResNet model) {
    ResNetFeatureExtractor extractor = new ResNetFeatureExtractor(model);
    Tensor x = torch.randn(1, 3, 224, 224);
    return () -> {
      try (ResNetFeatures features = extractor.forward(x)) {
        if (features.logits().size(1) != 1000) {
          throw new IllegalStateException("unexpected logits " + features.logits().size(1));
        }
      }
    };
  }

  private static Runnable dynamic(ResNet model) {
    FeatureExtractor extractor =
        FeatureExtraction.createFeatureExtractor(
            model, List.of("layer1", "layer2", "layer3", "layer4", "avgpool", "fc"));
    Tensor x = torch.randn(1, 3, 224, 224);
    return () -> {
      Map<String, Tensor> features = extractor.forward(x);
      if (features.get("fc").size(1) != 1000) {
        throw new IllegalStateException("unexpected logits " + features.get("fc").size(1));
      }
      features.values().forEach(Tensor::close);
    };
  }

  private static void report(String when, long bytes) {
    long gcs =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(GarbageCollectorMXBean::getCollectionCount)
            .sum();
    Runtime jvm = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "  %-38s resident %7.1f MiB   JVM heap used %6.1f of %6.1f MiB, %3d GCs%n",
        when,
        mib(bytes),
        mib(jvm.totalMemory() - jvm.freeMemory()),
        mib(jvm.totalMemory()),
        gcs);
  }

  /** VmRSS from /proc/self/status; JavaCPP's reading of the same figure elsewhere. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return Pointer.physicalBytes();
  }

  private static double mib(long bytes) {
    return bytes / 1024.0 / 1024.0;
  }
}
