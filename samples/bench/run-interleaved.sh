#!/usr/bin/env bash
# The JMH benchmarks' ratios, measured interleaved (InterleavedBenchmark), from the repository root:
#
#   samples/bench/run-interleaved.sh            # 4 forks x 100 cycles, torch threads 1
#   samples/bench/run-interleaved.sh 4 100 2    # forks, cycles, torch threads
#
# OPENBLAS_NUM_THREADS defaults to 1, as in run-jmh.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
exec java -cp "$cp" dev.featurex.samples.bench.InterleavedBenchmark "$@"
