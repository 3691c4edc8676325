#!/usr/bin/env bash
# Throughput of decode + ImageNet preprocessing of 640x480 JPEGs: featurex's images module against
# PIL + torchvision transforms, on the same files, in one run (not part of CI):
#
#   images/scripts/bench.sh
#
# - 1 thread: a plain loop on one thread on each side (Python with torch.set_num_threads(1));
#   featurex also through its BatchLoader with 1 loading thread.
# - N threads: featurex's BatchLoader (N threads, batches of 32) against torch's DataLoader
#   (num_workers=N, batch_size=32).
# Python and Java alternate round by round. The table gives, per variant: the best pass over all
# rounds (wall-clock images/s of the least disturbed pass: on a shared machine, other processes
# only ever slow a pass down), the median over rounds of wall-clock images/s, and of images per
# CPU-second (the process's CPU time, all its threads and worker processes); and the ratios
# featurex / torchvision of each. WAIT_IDLE=SECONDS first waits, at most that long, until the CPUs
# have been 90% idle for 5 s. Knobs: COUNT=100 images, PASSES=2 per
# measurement (after one warm-up pass), ROUNDS=3, THREADS="1 2". KEEP=1 keeps the images.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
COUNT=${COUNT:-100}
PASSES=${PASSES:-2}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-1 2}
if ! "$py" -c "import torchvision, skimage" 2>/dev/null; then
  echo "needs python3-torchvision and python3-skimage" >&2
  exit 2
fi
echo "building the images module ..." >&2
cp=$("$here/classpath.sh")
work=$(mktemp -d -t featurex-images-bench.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
"$py" "$here/bench.py" make "$work/jpg" "$COUNT"
if [ "${WAIT_IDLE:-0}" != 0 ]; then
  deadline=$((SECONDS + WAIT_IDLE))
  idle() { # percent idle over 5 s, from /proc/stat
    read -r _ u n s i w q sq st _ </proc/stat; local t0=$((u + n + s + i + w + q + sq + st)) i0=$i
    sleep 5
    read -r _ u n s i w q sq st _ </proc/stat; local t1=$((u + n + s + i + w + q + sq + st))
    echo $(((i - i0) * 100 / (t1 - t0 + 1)))
  }
  until [ "$(idle)" -ge 90 ] || [ $SECONDS -ge $deadline ]; do :; done
fi
results="$work/results.txt"
: >"$results"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" -c "import torchvision, torch, PIL; print('== torchvision', torchvision.__version__, 'torch', torch.__version__, 'PIL', PIL.__version__)"
echo "== $(java -version 2>&1 | head -1); $COUNT JPEGs 640x480 q90 4:2:0, $PASSES passes per measurement, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    python_side() { "$py" "$here/bench.py" time "$work/jpg" "$t" "$PASSES" >>"$results"; }
    java_side() {
      if [ "$t" = 1 ]; then
        java -cp "$cp" dev.featurex.images.harness.ThroughputTool "$work/jpg" direct 1 "$PASSES" >>"$results"
      fi
      java -cp "$cp" dev.featurex.images.harness.ThroughputTool "$work/jpg" loader "$t" "$PASSES" >>"$results"
    }
    if [ $((round % 2)) = 1 ]; then python_side; java_side; else java_side; python_side; fi
  done
  echo "  round $round done" >&2
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$results" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    side, mode, threads, rate, cpu_rate, best = line.split()
    rows.setdefault((int(threads), side, mode), []).append(
        (float(best), float(rate), float(cpu_rate)))
def figures(values):
    return (max(v[0] for v in values), statistics.median(v[1] for v in values),
            statistics.median(v[2] for v in values))
print("| threads | featurex | best pass | median | per CPU-s | torchvision | best pass | median"
      " | per CPU-s | ratio best | ratio median | ratio per CPU-s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (threads, side, mode), values in sorted(rows.items()):
    if side != "featurex":
        continue
    mine = figures(values)
    theirs = figures(rows[(threads, "torchvision", "direct" if threads == 1 else "dataloader")])
    print("| %d | %s | %.1f | %.1f | %.1f | %s | %.1f | %.1f | %.1f | %.2fx | %.2fx | %.2fx |" % (
        (threads, mode) + mine + ("loop" if threads == 1 else "DataLoader",) + theirs
        + tuple(m / t for m, t in zip(mine, theirs))))
PY
