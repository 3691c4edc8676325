package dev.featurex.samples;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first run cannot crash: {@link FirstRun} (the README's first program) runs five times, each in
 * a fresh JVM on an empty JavaCPP cache, and must finish with the right features every time.
 *
 * <p>The crash it guards against needs another libtorch on the dynamic linker's path (see {@code
 * Natives}), which a CI machine may not have; so besides the outcome, each run checks the property
 * that makes the program safe on any machine: JavaCPP's debug log shows libtorch loaded from the
 * fresh cache, and no PyTorch library extracted after {@code Natives.extract()} returned, so the
 * presets' load order no longer matters. (OpenBLAS's preset still copies {@code libopenblas.so.0}
 * to {@code libopenblas_nolapack.so.0} when it loads; nothing of libtorch's needs that name.) Two
 * JVMs run at a time: loading libtorch is single-threaded, and each run extracts about 400 MB.
 */
class FirstRunTest {

  private static final int RUNS = 5;

  @Test
  void fiveFirstRunsOnEmptyCachesFinishWithEverythingExtractedUpFront(@TempDir Path dir)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 1; i <= RUNS; i++) {
        Path run = Files.createDirectory(dir.resolve("run" + i));
        runs.add(pool.submit(() -> firstRun(run)));
      }
      for (int i = 0; i < RUNS; i++) {
        String log = runs.get(i).get();
        assertWithMessage("run %s\n%s", i + 1, log).that(log).contains(FirstRun.DONE);
        String afterExtract = log.substring(log.indexOf(FirstRun.EXTRACTED));
        assertWithMessage(
                "run %s extracted a PyTorch library after Natives.extract()\n%s", i + 1, log)
            .that(afterExtract)
            .doesNotContainMatch("Debug: Extracting \\S*/org/bytedeco/pytorch/");
        assertWithMessage("run %s did not load libtorch from its fresh cache\n%s", i + 1, log)
            .that(afterExtract)
            .containsMatch("Debug: Loading \\S*javacpp-cache/pytorch-\\S*/libtorch_cpu\\.so");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs {@link FirstRun} in a new JVM with an empty cache under {@code dir}; its whole output. */
  private static String firstRun(Path dir) throws IOException, InterruptedException {
    Path cache = dir.resolve("javacpp-cache");
    Path output = dir.resolve("output.txt");
    String classpath = System.getProperty("surefire.test.class.path");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.bytedeco.javacpp.cachedir=" + cache,
            "-Dorg.bytedeco.javacpp.logger.debug=true",
            "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
            "-cp",
            classpath != null ? classpath : System.getProperty("java.class.path"),
            FirstRun.class.getName());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(3, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    deleteTree(cache);
    if (!finished || process.exitValue() != 0) {
      throw new AssertionError(
          (finished ? "exit code " + process.exitValue() : "timed out after 3 minutes")
              + " on an empty cache; output:\n"
              + log);
    }
    return log;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
