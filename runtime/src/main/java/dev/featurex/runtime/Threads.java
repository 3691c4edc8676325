package dev.featurex.runtime;

import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.global.torch;

/**
 * The number of threads this JVM computes with: call {@link #set(int)} where you would call {@code
 * torch.set_num_threads}. It sets libtorch's intra-op threads and the size of OpenBLAS's own thread
 * pool to the same count.
 *
 * <p>Why: the presets' libtorch does its BLAS work ({@code Linear} through {@code addmm}, {@code
 * gemv}, and at batch 1 some convolutions) with the presets' OpenBLAS, which runs its own pthread
 * pool sized to the CPU count whatever {@code torch.set_num_threads} says. So a JVM asked for one
 * thread still runs two BLAS threads on a two-core machine, and on a busy machine those wait on
 * each other: ResNet-50's {@code fc} at batch 1 took 30-70x longer than with one BLAS thread, and
 * the whole model 4x torchvision's time (docs/benchmarks.md). Measured on an idle two-core machine,
 * {@code torch.set_num_threads(1)} then {@code LinearImpl(2048, 1000)} on a {@code 1x2048} input:
 * 0.54 ms with OpenBLAS's default two threads, 0.98 ms after {@code Threads.set(1)}, the same as
 * with {@code OPENBLAS_NUM_THREADS=1} in the environment (0.95 ms): the setter reaches the very
 * OpenBLAS that libtorch calls, and one thread then really is one thread.
 *
 * <p>Both settings are global to the JVM (to the process): every extractor and every thread sees
 * them, so set them once, at start-up (the command line's {@code --threads} and the Spark job's
 * executor cores do it for you). OpenBLAS is reached through the OpenBLAS presets' {@code
 * blas_set_num_threads}, which the PyTorch presets depend on on every platform they build. If that
 * class or its native library is missing, or no BLAS thread setter is found in the process, {@code
 * set} bounds libtorch's threads only, says so once through {@link System.Logger} (logger named
 * after this class), and {@link #blas()} returns -1; it never fails for that reason.
 */
public final class Threads {

  private static final System.Logger LOGGER = System.getLogger(Threads.class.getName());

  /** Whether OpenBLAS's pool can be set; null until {@link #set} first tries. */
  private static Boolean blasReachable;

  private Threads() {}

  /**
   * Sets libtorch's intra-op threads ({@code torch.set_num_threads}) and OpenBLAS's thread pool to
   * {@code threads}, for the whole JVM; extracts the natives first if nothing has (see {@link
   * Natives}).
   *
   * @param threads the number of threads, at least 1 (the cores this JVM may use, or 1 per
   *     concurrent inference when several run side by side)
   * @throws IllegalArgumentException when {@code threads} is below 1
   */
  public static synchronized void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "threads must be at least 1, got "
              + threads
              + "; pass the number of cores this JVM may compute with (1 for one thread)");
    }
    Natives.extract();
    torch.set_num_threads(threads);
    setBlas(threads);
  }

  /** libtorch's intra-op thread count ({@code torch.get_num_threads}). */
  public static int torch() {
    Natives.extract();
    return torch.get_num_threads();
  }

  /**
   * The size of OpenBLAS's thread pool as last set by {@link #set}; -1 before the first {@code set}
   * (OpenBLAS then runs its default: {@code OPENBLAS_NUM_THREADS}, else the CPU count; the presets
   * cannot read it back) and where OpenBLAS cannot be reached.
   */
  public static synchronized int blas() {
    if (!Boolean.TRUE.equals(blasReachable)) {
      return -1;
    }
    return openblas_nolapack.blas_get_num_threads();
  }

  /** Sets OpenBLAS's pool, or notes once that it cannot be reached. Runs after libtorch loads. */
  private static void setBlas(int threads) {
    if (Boolean.FALSE.equals(blasReachable)) {
      return;
    }
    String problem;
    try {
      openblas_nolapack.blas_set_num_threads(threads);
      // The presets record the count only when they found a setter (vendor 0: none found).
      if (openblas_nolapack.blas_get_vendor() != 0) {
        blasReachable = true;
        return;
      }
      problem = "no BLAS thread setter (openblas_set_num_threads, MKL_Set_Num_Threads) is loaded";
    } catch (LinkageError e) {
      problem = "the OpenBLAS presets cannot be loaded (" + e + ")";
    }
    blasReachable = false;
    LOGGER.log(
        System.Logger.Level.WARNING,
        "featurex sets libtorch's threads only: "
            + problem
            + "; if libtorch uses a BLAS with its own thread pool, bound it in the environment"
            + " (OPENBLAS_NUM_THREADS, MKL_NUM_THREADS)");
  }
}
