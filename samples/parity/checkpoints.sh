#!/usr/bin/env bash
# Checkpoint parity and load speed against Python (issue 13), one command from the repository root:
#
#   samples/parity/checkpoints.sh
#
# 1. exports torchvision's resnet18/resnet50 state dicts (seed 0) as a zip archive (OrderedDict),
#    in the legacy format and as safetensors, with torchvision's features (checkpoints_python.py);
# 2. loads every file into the samples' ResNet in Java, strictly, and checks the tensors and the
#    features against torchvision's; saves the model from Java as .pt and .safetensors
#    (CheckpointParity check);
# 3. reads Java's files back in Python: torch.load(weights_only=True) and a strict safetensors
#    reader, strict load_state_dict, tensors and features equal (checkpoints_python.py roundtrip);
# 4. times file-to-weights loads on both sides, alternating Python and Java processes round by
#    round: Python's torch.load + load_state_dict (for safetensors, its numpy reader + load_state_dict,
#    as the safetensors package is not installed), Java's StateDict.load; prints medians and
#    featurex / Python ratios (checkpoints_report.py).
#
# Needs Debian's python3-torchvision (torch 1.13). Knobs (environment): ROUNDS=4, REPS=8 loads per
# file per round, WARMUP=5 loads of every file before timing any (both sides: the JIT, and the
# allocator, whose state after the larger model makes later loads several times faster), THREADS="1,2",
# KEEP=1 keeps the temporary directory. Files come from the
# page cache after the first round on both sides. On a machine shared with other busy processes,
# read the p25-p75 columns: a wide spread means a disturbed run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/samples/parity"
py=/usr/bin/python3
ROUNDS=${ROUNDS:-4}
REPS=${REPS:-8}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-1,2}

if ! { [ -x "$py" ] && "$py" -c "import torchvision" 2>/dev/null; }; then
  echo "torchvision is missing: run 'apt-get install -y python3-torchvision' as root, then again" >&2
  exit 2
fi

echo "building the samples ..." >&2
cp=$("$root/samples/bench/classpath.sh")
work=$(mktemp -d -t featurex-checkpoints.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
java_side() { java -cp "$cp" dev.featurex.samples.parity.CheckpointParity "$@"; }

echo "== environment"
lscpu | sed -n 's/^Model name: *//p; s/^CPU(s): */cpus: /p'
"$py" -c "import torch, torchvision; print('torchvision', torchvision.__version__, 'torch', torch.__version__)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== parity"
"$py" "$here/checkpoints_python.py" export "$work"
status=0
java_side check "$work" || status=$?
"$py" "$here/checkpoints_python.py" roundtrip "$work" || status=$?

echo
echo "== load time: $ROUNDS rounds x $REPS loads per file, threads $THREADS, Python and Java alternating"
for round in $(seq 1 "$ROUNDS"); do
  python_round() { "$py" "$here/checkpoints_python.py" time "$work" "$THREADS" "$REPS" "$WARMUP" "$round"; }
  java_round() { java_side time "$work" "$THREADS" "$REPS" "$WARMUP" "$round"; }
  if [ $((round % 2)) = 1 ]; then python_round; java_round; else java_round; python_round; fi
  echo "  round $round done" >&2
done
"$py" "$here/checkpoints_report.py" "$work"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
