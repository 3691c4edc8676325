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
# Python and Java alternate round by round; the table gives each variant's median over the rounds
# of wall-clock images/s and of images per CPU-second (the process's CPU time, all its threads and
# worker processes: the figure that other load on the machine disturbs least), and the ratios
# featurex / torchvision. Knobs: COUNT=100 images, PASSES=2 per
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
    side, mode, threads, rate, cpu_rate = line.split()
    rows.setdefault((int(threads), side, mode), []).append((float(rate), float(cpu_rate)))
med = lambda values: statistics.median(values)
print("| threads | featurex | images/s (min-max) | images/CPU-s | torchvision | images/s (min-max)"
      " | images/CPU-s | ratio images/s | ratio images/CPU-s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (threads, side, mode), values in sorted(rows.items()):
    if side != "featurex":
        continue
    ref = rows[(threads, "torchvision", "direct" if threads == 1 else "dataloader")]
    walls, cpus = [v[0] for v in values], [v[1] for v in values]
    ref_walls, ref_cpus = [v[0] for v in ref], [v[1] for v in ref]
    print("| %d | %s | %.1f (%.1f-%.1f) | %.1f | %s | %.1f (%.1f-%.1f) | %.1f | %.2fx | %.2fx |" % (
        threads, mode, med(walls), min(walls), max(walls), med(cpus),
        "loop" if threads == 1 else "DataLoader", med(ref_walls), min(ref_walls), max(ref_walls),
        med(ref_cpus), med(walls) / med(ref_walls), med(cpus) / med(ref_cpus)))
PY
