package dev.featurex.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
