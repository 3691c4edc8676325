package dev.featurex.runtime;

import java.util.Map;
import java.util.Optional;
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
 * each other: ResNet-50's {@code fc} at batch 1 took 49-116 ms against 1.1 ms with one BLAS thread,
 * and the whole model 4x torchvision's time (docs/benchmarks.md). That {@code set} reaches the very
 * OpenBLAS libtorch calls was measured on an idle two-core machine, {@code
 * torch.set_num_threads(1)} then {@code LinearImpl(2048, 1000)} on a {@code 1x2048} input: 0.54 ms
 * with OpenBLAS's default two threads, 0.98 ms after also bounding OpenBLAS to one, the same as
 * with {@code OPENBLAS_NUM_THREADS=1} in the environment (0.95 ms). Slower on an idle machine, as
 * one thread should be; on a shared one it no longer takes cores it was not given.
 *
 * <p>OpenBLAS's count is global to the process. libtorch's is OpenMP's: the calling thread's count
 * from now on, and the starting count of every thread that computes for the first time afterwards,
 * but a thread that already computed keeps its own until it calls {@code set} itself (as with
 * {@code torch.set_num_threads}). So call {@code set} once at start-up, before the threads that run
 * models start, or on each such thread (the command line's {@code --threads} and the Spark job's
 * task cores do it for you). OpenBLAS is reached through the OpenBLAS presets' {@code
 * blas_set_num_threads}, which the PyTorch presets depend on on every platform they build. If that
 * class or its native library is missing, or no BLAS thread setter is found in the process, {@code
 * set} bounds libtorch's threads only, says so once through {@link System.Logger} (logger named
 * after this class), and {@link #blas()} returns -1; it never fails for that reason.
 *
 * <p>Two settings only the JVM's environment can give, at its start, matter as much when more than
 * one thread computes: {@code OPENBLAS_THREAD_TIMEOUT=4}, without which OpenBLAS's idle threads
 * spin for about 0.1 s after each matrix product and take cores from libtorch's threads, and, on
 * Linux, glibc's malloc thresholds in {@code GLIBC_TUNABLES}. {@code bin/featurex-env.sh} sets both
 * (the command line's launcher sources it). When {@code set} is given more than one thread in a JVM
 * started without {@code OPENBLAS_THREAD_TIMEOUT}, it says so once, through the same logger, at
 * {@code INFO} (see {@link #launchHint}).
 */
public final class Threads {

  /**
   * The most threads {@link #set} takes. libtorch's OpenMP pool starts every thread it is given,
   * each with its own stack and scratch buffers: 10,000 crashed the JVM with a segmentation fault
   * (exit 139) on a 2-core Linux machine where 4,000 still ran, so the bound stays well below where
   * it breaks and well above any machine's cores (more threads than cores only slow down).
   */
  public static final int MAX = 1024;

  private static final System.Logger LOGGER = System.getLogger(Threads.class.getName());

  /** Whether OpenBLAS's pool can be set; null until {@link #set} first tries. */
  private static Boolean blasReachable;

  /** Whether {@link #launchHint} was logged already. */
  private static boolean hinted;

  private Threads() {}

  /**
   * Sets libtorch's intra-op threads ({@code torch.set_num_threads}: this thread's, and the default
   * of threads yet to compute) and OpenBLAS's thread pool (the whole process's) to {@code threads};
   * extracts the natives first if nothing has (see {@link Natives}).
   *
   * @param threads the number of threads, from 1 to {@link #MAX} (the cores this JVM may use, or 1
   *     per concurrent inference when several run side by side)
   * @throws IllegalArgumentException when {@code threads} is below 1 or above {@link #MAX}
   */
  public static synchronized void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "threads must be at least 1, got "
              + threads
              + "; pass the number of cores this JVM may compute with (1 for one thread)");
    }
    if (threads > MAX) {
      throw new IllegalArgumentException(
          "threads must be at most "
              + MAX
              + ", got "
              + threads
              + "; pass the number of cores this JVM may compute with (this machine has "
              + Runtime.getRuntime().availableProcessors()
              + ")");
    }
    Natives.extract();
    torch.set_num_threads(threads);
    setBlas(threads);
    if (!hinted) {
      launchHint(threads, System.getenv())
          .ifPresent(
              hint -> {
                hinted = true;
                LOGGER.log(System.Logger.Level.INFO, hint);
              });
    }
  }

  /**
   * What to add to the JVM's environment for {@code threads} computing threads, or empty when
   * nothing: with more than one thread and no {@code OPENBLAS_THREAD_TIMEOUT}, OpenBLAS's idle pool
   * threads spin after each matrix product and slow libtorch's threads down (measured on a 2-core
   * machine at 2 threads: ResNet-50 at batch 1 in 150-300 ms against 50-60 ms with the launch
   * settings, ViT-B/16 in 1,200 against 580 ms; docs/benchmarks.md, "Launch settings").
   *
   * @param threads the count given to {@link #set}
   * @param environment the JVM's environment ({@link System#getenv()})
   */
  static Optional<String> launchHint(int threads, Map<String, String> environment) {
    if (threads < 2 || environment.containsKey("OPENBLAS_THREAD_TIMEOUT")) {
      return Optional.empty();
    }
    return Optional.of(
        "featurex computes with "
            + threads
            + " threads, but this JVM started without OPENBLAS_THREAD_TIMEOUT: OpenBLAS's idle"
            + " threads will spin for about 0.1 s after each matrix product and take cores from"
            + " libtorch's threads (2 threads then ran 2-3x slower than 1 on a 2-core machine)."
            + " Start the JVM with OPENBLAS_THREAD_TIMEOUT=4 and, on Linux, GLIBC_TUNABLES="
            + LAUNCH_TUNABLES
            + " in its environment; bin/featurex-env.sh sets both (README, Troubleshooting)");
  }

  /** glibc's malloc settings of {@code bin/featurex-env.sh}, quoted by {@link #launchHint}. */
  static final String LAUNCH_TUNABLES =
      "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
          + ":glibc.malloc.arena_max=1";

  /** libtorch's intra-op thread count for the calling thread ({@code torch.get_num_threads}). */
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
