#!/usr/bin/env bash
# Peak native memory of one extraction of layer1..layer4 (issue 15), per set of optimizations,
# from the repository root:
#
#   samples/bench/memory-peak.sh                   # resnet50, batch 16, 5 rounds
#   samples/bench/memory-peak.sh resnet18 1 9      # model, batch, rounds
#
# glibc's mmap threshold is fixed (MALLOC_MMAP_THRESHOLD_, 128 KiB), so that every tensor above it
# is a mapping of its own, unmapped when freed: the resident set then follows the live tensors. The
# JVM heap is fixed and pre-touched, so that it does not grow during a call; JavaCPP's limit on
# physical memory (4x the heap by default) is lifted: the unoptimized extraction needs more. See
# PeakMemory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cp=$("$root/samples/bench/classpath.sh")
"$root/samples/bench/wait-idle.sh" "${WAIT_IDLE:-0}"
MALLOC_MMAP_THRESHOLD_=131072 exec java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
  -cp "$cp" \
  dev.featurex.samples.bench.PeakMemory "$@"
