package dev.featurex.samples.bench;

import dev.featurex.models.Zoo;
import dev.featurex.runtime.Natives;
import dev.featurex.runtime.Threads;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One JVM's timing of a zoo model's own {@code forward} in eval mode without gradients, for {@code
 * samples/bench/launch-settings.sh}, which starts it with and without the launch settings of {@code
 * bin/featurex-env.sh} and compares. Prints one line: {@code launch LABEL MODEL BATCH THREADS
 * median p25 p75 faults}, times in ms per call and the process's minor page faults per timed call
 * (from {@code /proc/self/stat}; -1 where there is none).
 *
 * <p>Arguments: {@code LABEL MODEL BATCH THREADS CALLS WARMUP}.
 */
public final class LaunchSettings {

  private LaunchSettings() {}

  public static void main(String[] args) throws Exception {
    Natives.extract();
    String label = args[0];
    String name = args[1];
    int batch = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    int calls = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    Threads.set(threads);
    Zoo.Entry entry = BenchModels.zoo(name);
    Module model = entry.build();
    model.eval();
    Method forward = entry.family().getMethod("forward", Tensor.class);
    Tensor input = torch.randn(batch, 3, 224, 224);
    double[] millis = new double[calls];
    long faults;
    try (NoGradGuard noGrad = new NoGradGuard()) {
      for (int i = 0; i < warmup; i++) {
        call(forward, model, input);
      }
      long faultsBefore = minorFaults();
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        call(forward, model, input);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      long faultsAfter = minorFaults();
      faults = faultsBefore < 0 ? -1 : (faultsAfter - faultsBefore) / calls;
    }
    Arrays.sort(millis);
    System.out.printf(
        Locale.ROOT,
        "launch %s %s %d %d %.2f %.2f %.2f %d%n",
        label,
        name,
        batch,
        threads,
        InterleavedBenchmark.quantileSorted(millis, 0.5),
        InterleavedBenchmark.quantileSorted(millis, 0.25),
        InterleavedBenchmark.quantileSorted(millis, 0.75),
        faults);
  }

  private static void call(Method forward, Module model, Tensor input) throws Exception {
    try (PointerScope scope = new PointerScope()) {
      forward.invoke(model, input);
    }
  }

  /** The process's minor page faults so far (field 10 of /proc/self/stat), or -1 without one. */
  private static long minorFaults() throws IOException {
    Path stat = Path.of("/proc/self/stat");
    if (!Files.isReadable(stat)) {
      return -1;
    }
    String line = Files.readString(stat);
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[7]);
  }
}
