package dev.featurex.samples.parity;

import dev.featurex.models.ResNet;
import dev.featurex.runtime.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.bytedeco.javacpp.PointerScope;

/**
 * The {@code profile} step of {@code samples/parity/checkpoints.sh}: where the time of {@link
 * StateDict#load} goes. A Java Flight Recorder recording samples the loading thread every
 * millisecond, in Java code ({@code jdk.ExecutionSample}) and in native calls such as the file
 * reads ({@code jdk.NativeMethodSample}); each sample whose stack holds {@code StateDict.load}
 * counts for the step of the load named by its innermost frame that names one ({@link #STEPS}).
 * Sampling costs time of its own, so the load times printed here are above the harness's.
 */
final class CheckpointProfile {

  /** Steps of a load, by the method (or class) a sample's innermost matching frame is in. */
  private static final Map<String, String> STEPS = new LinkedHashMap<>();

  static {
    STEPS.put("dev.featurex.runtime.weights.CheckpointFile.verify", "CRC-32 pass");
    STEPS.put("dev.featurex.runtime.weights.CheckpointFile.readInto", "read into the model");
    STEPS.put("dev.featurex.runtime.weights.CheckpointFile.tensors", "staged read");
    STEPS.put("dev.featurex.runtime.weights.CheckpointFile.stateDict", "structure");
    STEPS.put("dev.featurex.runtime.weights.CheckpointFile.open", "structure");
    STEPS.put("dev.featurex.runtime.StateDictTargets", "model's tensors, matching");
    STEPS.put("dev.featurex.runtime.StateDictLoader.match", "model's tensors, matching");
    STEPS.put("dev.featurex.runtime.StateDict.load", "other");
  }

  private static final List<String> COLUMNS =
      List.of(
          "structure",
          "model's tensors, matching",
          "CRC-32 pass",
          "read into the model",
          "staged read",
          "other");

  private CheckpointProfile() {}

  /** Profiles {@code reps} loads of each model's file in each format, after {@code warmup}. */
  static void run(
      Path dir, Map<String, Supplier<ResNet>> models, List<String> formats, int reps, int warmup)
      throws IOException {
    System.out.println(
        "| model | format | ms per load (sampled) | samples | "
            + String.join(" | ", COLUMNS)
            + " |");
    System.out.println("|" + " --- |".repeat(4 + COLUMNS.size()));
    for (Map.Entry<String, Supplier<ResNet>> m : models.entrySet()) {
      ResNet model = m.getValue().get();
      for (String format : formats) {
        Path file = dir.resolve(m.getKey() + CheckpointParity.FORMATS.get(format));
        for (int i = 0; i < warmup; i++) {
          load(model, file);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        COLUMNS.forEach(c -> counts.put(c, 0));
        double ms = profile(model, file, reps, counts);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder row =
            new StringBuilder(
                String.format(
                    Locale.ROOT, "| %s | %s | %.1f | %d |", m.getKey(), format, ms, total));
        for (String column : COLUMNS) {
          row.append(String.format(Locale.ROOT, " %.0f%% |", 100.0 * counts.get(column) / total));
        }
        System.out.println(row);
      }
    }
  }

  /** Loads {@code reps} times under a recording; returns the mean wall time per load. */
  private static double profile(ResNet model, Path file, int reps, Map<String, Integer> counts)
      throws IOException {
    Path out = Files.createTempFile("featurex-load", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
      recording.start();
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        load(model, file);
      }
      double ms = (System.nanoTime() - start) / 1e6 / reps;
      recording.stop();
      recording.dump(out);
      long thread = Thread.currentThread().getId();
      for (RecordedEvent event : RecordingFile.readAllEvents(out)) {
        RecordedThread sampled = event.getThread("sampledThread");
        String step = sampled != null && sampled.getJavaThreadId() == thread ? step(event) : null;
        if (step != null) {
          counts.merge(step, 1, Integer::sum);
        }
      }
      return ms;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The step of the load that a sample falls in, or null for a sample outside any load. */
  private static String step(RecordedEvent event) {
    RecordedStackTrace stack = event.getStackTrace();
    if (stack == null) {
      return null;
    }
    for (RecordedFrame frame : stack.getFrames()) {
      if (frame.getMethod() == null) {
        continue;
      }
      String type = frame.getMethod().getType().getName();
      String method = type + "." + frame.getMethod().getName();
      String step = STEPS.getOrDefault(method, STEPS.get(type));
      if (step != null) {
        return step;
      }
    }
    return null;
  }

  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  private static void load(ResNet model, Path file) throws IOException {
    try (PointerScope scope = new PointerScope()) {
      StateDict.load(model, file);
    }
  }
}
