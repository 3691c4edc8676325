#!/usr/bin/env bash
# The JMH benchmarks of issues 4 and 5, in one command from the repository root:
#
#   samples/bench/run-jmh.sh                      # all, torch threads 1, JMH's settings from the annotations
#   samples/bench/run-jmh.sh -p threads=1,2       # also with 2 intra-op threads
#   ATEN_CPU_CAPABILITY=avx2 samples/bench/run-jmh.sh
#   samples/bench/run-jmh.sh ExtractorOverhead    # one class (any JMH option or regexp works)
#
# One caller thread (-t 1); the intra-op threads are the 'threads' parameter, 1 unless -p says
# otherwise (torch.set_num_threads in @Setup). Prints the ratios with their errors at the end; the JSON lands in
# samples/target/jmh-result.json. Not part of mvn verify.
#
# The forks inherit the environment (ATEN_CPU_CAPABILITY, OMP_*, ...). With threads=2 on a 2-core
# machine, any other busy process slows libtorch's OpenMP threads down several times over: measure
# 2 threads only on an otherwise idle machine (docs/benchmarks.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
cd "$root"
exec java -cp "$cp" dev.featurex.samples.bench.BenchmarkMain \
  -t 1 -rf json -rff samples/target/jmh-result.json "$@"
