#!/usr/bin/env bash
# Resident memory over 2,000 ResNet-18 extractions (issue 4), from the repository root:
#
#   samples/bench/memory.sh                  # generated extractor, records closed
#   samples/bench/memory.sh dynamic          # createFeatureExtractor, tensors closed
#   samples/bench/memory.sh generated 5000 2 # calls, torch threads
#
# The heap is fixed and pre-touched (JVM_HEAP, default 512m), so that resident growth after the
# warm-up is native memory, not eden pages being touched for the first time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
heap=${JVM_HEAP:-512m}
exec java -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch -cp "$cp" dev.featurex.samples.bench.MemoryHarness "$@"
