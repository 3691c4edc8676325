#!/usr/bin/env bash
# Where the time of one extraction goes, per op type, featurex against torchvision (issue 15), from
# the repository root:
#
#   samples/bench/profile.sh                      # resnet18, batch 1, 1 thread
#   samples/bench/profile.sh resnet50 16 2        # model, batch, torch threads
#
# Both sides run their extractor for layer1..4 + fc node by node and time each node
# (OpProfile, samples/parity/torchvision_profile.py); featurex runs its unoptimized plan ("none",
# what forward computes), its default plan and the plan with every optimization. Python and Java
# processes alternate round by round. Prints one table of medians per op type, and torch.profiler's
# table of the same torchvision calls. Knobs: ROUNDS=2, REPS=10 calls per process, WAIT_IDLE=SECONDS
# to first wait (at most that long) until the CPUs have been 90% idle for 5 s, KEEP=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
MODEL=${1:-resnet18}
BATCH=${2:-1}
THREADS=${3:-1}
ROUNDS=${ROUNDS:-2}
REPS=${REPS:-10}
cp=$("$root/samples/bench/classpath.sh")
work=$(mktemp -d -t featurex-profile.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
"$root/samples/bench/wait-idle.sh" "${WAIT_IDLE:-0}"
echo "== $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
echo "== $MODEL, batch $BATCH, torch threads $THREADS, $ROUNDS rounds x $REPS calls per side and plan"
for round in $(seq 1 "$ROUNDS"); do
  python_side() {
    "$py" "$root/samples/parity/torchvision_profile.py" "$MODEL" "$BATCH" "$THREADS" "$REPS" \
      "$work/profile.csv" "$([ "$round" = 1 ] && echo "$work/torch_profiler.txt")"
  }
  java_side() {
    for plan in none defaults all; do
      java -cp "$cp" dev.featurex.samples.bench.OpProfile "$MODEL" "$BATCH" "$THREADS" "$REPS" \
        "$plan" "$work/profile.csv"
    done
  }
  if [ $((round % 2)) = 1 ]; then python_side; java_side; else java_side; python_side; fi
  echo "  round $round done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
"$py" "$root/samples/parity/profile_report.py" "$work/profile.csv"
echo
cat "$work/torch_profiler.txt"
