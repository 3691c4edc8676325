package dev.featurex.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Renders DOT text with Graphviz's {@code dot} command. */
final class Graphviz {

  private static final long TIMEOUT_SECONDS = 120;

  private Graphviz() {}

  /**
   * The bytes of {@code dot} rendered in {@code format} ({@code svg}, {@code png}) by {@code
   * command}.
   *
   * @throws CliException with {@link ExitCodes#GRAPHVIZ} when the command cannot be run, fails or
   *     does not finish in two minutes
   */
  static byte[] render(String command, String dot, String format) {
    Process process;
    try {
      process =
          new ProcessBuilder(List.of(command, "-T" + format)).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.GRAPHVIZ,
          "--format "
              + format
              + " needs Graphviz's dot, and \""
              + command
              + "\" could not be run ("
              + e.getMessage()
              + "): install Graphviz (apt-get install graphviz, brew install graphviz,"
              + " https://graphviz.org/download), name it with --graphviz PATH, or write"
              + " --format dot and render that elsewhere");
    }
    try {
      CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
      CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
      // A dot that stops early (bad input, a crash) closes its input: what it says on its way out
      // and its exit code explain more than the broken pipe, so the write's failure comes last.
      IOException writeFailure = null;
      try (OutputStream in = process.getOutputStream()) {
        in.write(dot.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        writeFailure = e;
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CliException(
            ExitCodes.GRAPHVIZ, command + " -T" + format + " did not finish in 2 minutes");
      }
      if (process.exitValue() != 0) {
        throw new CliException(
            ExitCodes.GRAPHVIZ,
            command
                + " -T"
                + format
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + new String(stderr.join(), StandardCharsets.UTF_8).trim());
      }
      if (writeFailure != null) {
        throw writeFailure;
      }
      return stdout.join();
    } catch (IOException e) {
      process.destroyForcibly();
      throw new CliException(ExitCodes.GRAPHVIZ, command + " -T" + format + " failed: " + e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.INTERRUPTED, "interrupted while running " + command);
    }
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toByteArray();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }
}
