#!/usr/bin/env bash
# Resident memory over 2,000 ResNet-18 extractions (issue 4), from the repository root:
#
#   samples/bench/memory.sh                  # generated extractor, records closed
#   samples/bench/memory.sh dynamic          # createFeatureExtractor, tensors closed
#   samples/bench/memory.sh generated 5000 2 # calls, torch threads
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
exec java -cp "$cp" dev.featurex.samples.bench.MemoryHarness "$@"
