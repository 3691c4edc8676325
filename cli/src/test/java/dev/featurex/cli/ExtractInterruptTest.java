package dev.featurex.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.featurex.cli.support.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code featurex extract} in its own JVM, stopped by a signal in the middle of the run, as Ctrl-C
 * or {@code kill} would: the shutdown hook removes every temporary file, and the output and {@code
 * OUTPUT.paths} are not created. And stopped by running out of memory (a small heap): one line, no
 * file either.
 */
class ExtractInterruptTest {

  @TempDir Path dir;

  @Test
  void signalInTheMiddleLeavesNoFile() throws IOException, InterruptedException {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "POSIX signals");
    Path images = Files.createDirectory(dir.resolve("photos"));
    Fixtures.images(images, 120, 3);
    Path out = Files.createDirectory(dir.resolve("out"));
    Path output = out.resolve("features.safetensors");
    Path log = dir.resolve("stderr.txt");
    Process process =
        extract(
                List.of(),
                "layer4,avgpool",
                images,
                output,
                "--batch",
                "2",
                "--resize",
                "224",
                "--crop",
                "224")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!Files.readString(log).contains("featurex extract: resnet18")) {
        assertWithMessage(Files.readString(log)).that(process.isAlive()).isTrue();
        assertWithMessage("no start after 90 s").that(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(1500); // a few batches in: the spools hold rows
      assertWithMessage(Files.readString(log)).that(process.isAlive()).isTrue();
      assertThat(temporaries(out)).isNotEmpty();
      process.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C's SIGINT
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    String text = Files.readString(log);
    assertWithMessage(text).that(process.exitValue()).isEqualTo(128 + 15);
    assertWithMessage(text).that(text).doesNotContain("wrote ");
    try (Stream<Path> left = Files.list(out)) {
      assertWithMessage(text).that(left.map(Path::toString).toList()).isEmpty();
    }
  }

  @Test
  void aBatchTooLargeForTheHeapIsOneLineAndLeavesNoFile() throws IOException, InterruptedException {
    Path image = Fixtures.images(Files.createDirectory(dir.resolve("one")), 1, 5).get(0);
    Path list = dir.resolve("list.txt");
    Files.writeString(list, (image + "\n").repeat(3000)); // one batch of 3000 x 3 x 224 x 224
    Path out = Files.createDirectory(dir.resolve("out"));
    Process process =
        extract(
                List.of("-Xmx256m"),
                "avgpool",
                list,
                out.resolve("f.npy"),
                "--batch",
                "3000",
                "--no-progress")
            .redirectErrorStream(true)
            .start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertWithMessage(text).that(process.exitValue()).isEqualTo(ExitCodes.FAILED);
    List<String> lines = text.lines().filter(l -> !l.startsWith("[W")).toList(); // libtorch's own
    assertWithMessage(text).that(lines).hasSize(2); // the header, then the error
    assertWithMessage(text)
        .that(lines.get(1))
        .startsWith("featurex extract: out of memory with --batch 3000 (Java heap space); use a");
    try (Stream<Path> left = Files.list(out)) {
      assertWithMessage(text).that(left.map(Path::toString).toList()).isEmpty();
    }
  }

  /**
   * {@code featurex extract resnet18} in a new JVM with {@code jvmOptions}: of {@code nodes}, from
   * {@code input} to {@code output}, on one thread, then {@code extra}.
   */
  private static ProcessBuilder extract(
      List<String> jvmOptions, String nodes, Path input, Path output, String... extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Featurex.class.getName()));
    command.addAll(
        List.of("extract", "resnet18", "--weights", Fixtures.resnet18Weights().toString()));
    command.addAll(List.of("--nodes", nodes, "--input", input.toString()));
    command.addAll(List.of("--output", output.toString(), "--threads", "1"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command);
  }

  private static List<String> temporaries(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
    }
  }
}
