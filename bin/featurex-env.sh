# Launch settings for a JVM that runs libtorch through the JavaCPP presets. Sourced (". path") by
# bin/featurex and by the benchmark harnesses; source it in your own launcher, or give your JVM's
# environment the same variables (a Dockerfile's ENV, spark.executorEnv.*, a systemd unit).
# Each variable is set only when the environment does not have it already, so yours win.
# They must be in the environment when the JVM starts: neither library reads them later.
#
# OPENBLAS_THREAD_TIMEOUT=4
#   OpenBLAS's idle pool threads go to sleep at once instead of spinning for about 2^28 cycles
#   (~0.1 s) after each matrix product. Spinning, they took a core from libtorch's OpenMP threads
#   at every layer: on a 2-core machine, 2 threads ran ResNet-50 at batch 1 in 150-300 ms against
#   50-60 ms with this setting, and ViT-B/16 in 1,200 against 580 ms.
# GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
#   (Linux with glibc; ignored elsewhere) glibc's malloc keeps freed tensor memory for the next call
#   instead of returning it to the kernel and taking it back page by page: by default a JVM's
#   ResNet-50 forward at batch 1 took about 5,600 page faults (its Java threads allocate from
#   glibc's secondary arenas, which give memory back eagerly; Python's main thread does not). The
#   cost is a resident size that stays at its high-water mark between calls.
#
# Measurements and the profile behind them: docs/benchmarks.md, "Launch settings".
# shellcheck shell=sh
if [ -z "${OPENBLAS_THREAD_TIMEOUT:-}" ]; then
  OPENBLAS_THREAD_TIMEOUT=4
  export OPENBLAS_THREAD_TIMEOUT
fi
if [ -z "${GLIBC_TUNABLES:-}" ]; then
  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
  export GLIBC_TUNABLES
fi
