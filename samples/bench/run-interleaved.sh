#!/usr/bin/env bash
# The JMH benchmarks' ratios, measured interleaved (InterleavedBenchmark), from the repository root:
#
#   samples/bench/run-interleaved.sh            # 4 forks x 100 cycles, torch threads 1
#   samples/bench/run-interleaved.sh 4 100 2    # forks, cycles, torch threads
#
# 2 threads on a 2-core machine: only on an otherwise idle machine (see run-jmh.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
exec java -cp "$cp" dev.featurex.samples.bench.InterleavedBenchmark "$@"
