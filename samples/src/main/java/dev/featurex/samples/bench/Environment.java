package dev.featurex.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * One line describing where a figure was measured: CPU model and count, JVM, libtorch's CPU
 * capability, the environment variables that change libtorch's speed ({@code ATEN_CPU_CAPABILITY},
 * {@code OPENBLAS_NUM_THREADS}, {@code OMP_NUM_THREADS}, {@code OMP_WAIT_POLICY}) and the date, so
 * every printed figure can be recorded with its machine. Thread counts are printed by each
 * measurement.
 */
public final class Environment {

  private static final List<String> VARIABLES =
      List.of("ATEN_CPU_CAPABILITY", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OMP_WAIT_POLICY");

  private Environment() {}

  /**
   * The description, for example {@code cpu "Intel(R) Xeon(R) Processor" x2, java 17.0.15, ...}.
   */
  public static String describe() {
    return String.format(
        Locale.ROOT,
        "cpu \"%s\" x%d, java %s, libtorch cpu capability %s, env %s, %s",
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        torch.get_cpu_capability().getString(),
        variables(),
        LocalDate.now());
  }

  private static String variables() {
    StringBuilder set = new StringBuilder();
    for (String name : VARIABLES) {
      String value = System.getenv(name);
      if (value != null) {
        set.append(set.length() == 0 ? "" : " ").append(name).append('=').append(value);
      }
    }
    return set.length() == 0 ? "(none of " + String.join(", ", VARIABLES) + ")" : set.toString();
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
