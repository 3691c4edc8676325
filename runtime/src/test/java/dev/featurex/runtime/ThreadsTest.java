package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Threads} sets libtorch's and OpenBLAS's thread counts together. */
class ThreadsTest {

  private int torchBefore;
  private int blasBefore;

  @BeforeEach
  void remember() {
    torchBefore = Threads.torch();
    blasBefore = Threads.blas();
  }

  /** Puts back what the other tests of this fork ran with. */
  @AfterEach
  void restore() {
    Threads.set(torchBefore);
    // Before any set, OpenBLAS ran its own default pool (the CPU count here, no variable is set).
    openblas_nolapack.blas_set_num_threads(
        blasBefore > 0 ? blasBefore : Runtime.getRuntime().availableProcessors());
  }

  @Test
  void setsTorchAndOpenBlasToTheSameCount() {
    Threads.set(1);
    assertThat(Threads.torch()).isEqualTo(1);
    assertThat(Threads.blas()).isEqualTo(1);

    Threads.set(2);
    assertThat(Threads.torch()).isEqualTo(2);
    assertThat(Threads.blas()).isEqualTo(2);
  }

  @Test
  void rejectsZeroThreadsNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
    assertThat(e).hasMessageThat().contains("threads must be at least 1, got 0");
    assertThat(Threads.torch()).isEqualTo(torchBefore);
  }

  @Test
  void rejectsMoreThreadsThanTheBoundNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Threads.set(10_000));
    assertThat(e).hasMessageThat().contains("threads must be at most 1024, got 10000");
    assertThat(Threads.torch()).isEqualTo(torchBefore);
    assertThrows(IllegalArgumentException.class, () -> Threads.set(Threads.MAX + 1));
  }

  @Test
  void hintsAtTheLaunchSettingsForSeveralThreadsWithoutThem() {
    assertThat(Threads.launchHint(1, Map.of())).isEmpty();
    assertThat(Threads.launchHint(2, Map.of("OPENBLAS_THREAD_TIMEOUT", "4"))).isEmpty();
    String hint = Threads.launchHint(2, Map.of("PATH", "/usr/bin")).orElseThrow();
    assertThat(hint).contains("computes with 2 threads");
    assertThat(hint).contains("OPENBLAS_THREAD_TIMEOUT=4");
    assertThat(hint).contains("GLIBC_TUNABLES=" + Threads.LAUNCH_TUNABLES);
    assertThat(hint).contains("bin/featurex-env.sh");
  }

  /**
   * The launcher's settings are the ones the hint quotes, and a caller's own values win over them.
   */
  @Test
  void theLauncherSettingsAreTheHintsAndKeepTheCallersOwn() throws Exception {
    assertThat(sourced(Map.of())).isEqualTo("4|" + Threads.LAUNCH_TUNABLES);
    assertThat(
            sourced(
                Map.of(
                    "OPENBLAS_THREAD_TIMEOUT", "8", "GLIBC_TUNABLES", "glibc.malloc.arena_max=2")))
        .isEqualTo("8|glibc.malloc.arena_max=2");
  }

  /** The two variables after sourcing bin/featurex-env.sh in {@code environment}. */
  private static String sourced(Map<String, String> environment) throws Exception {
    ProcessBuilder shell =
        new ProcessBuilder(
            "sh",
            "-c",
            ". ../bin/featurex-env.sh && printf '%s|%s' \"$OPENBLAS_THREAD_TIMEOUT\""
                + " \"$GLIBC_TUNABLES\"");
    shell.environment().remove("OPENBLAS_THREAD_TIMEOUT");
    shell.environment().remove("GLIBC_TUNABLES");
    shell.environment().putAll(environment);
    shell.redirectErrorStream(true);
    Process process = shell.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isEqualTo(0);
    return output;
  }
}
