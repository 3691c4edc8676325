package dev.featurex.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * One line describing where a figure was measured: CPU model and count, JVM, libtorch's CPU
 * capability (which {@code ATEN_CPU_CAPABILITY} overrides) and the date, so every printed figure
 * can be recorded with its machine. Thread counts are printed by each measurement.
 */
public final class Environment {

  private Environment() {}

  /** The description, for example {@code cpu "Intel(R) Xeon(R) Processor" x2, java 17.0.15, ...}. */
  public static String describe() {
    return String.format(Locale.ROOT,
        "cpu \"%s\" x%d, java %s, libtorch cpu capability %s (ATEN_CPU_CAPABILITY=%s), %s",
        cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        torch.get_cpu_capability().getString(),
        System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "unset"), LocalDate.now());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
