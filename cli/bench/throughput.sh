#!/bin/sh
# Throughput of `featurex extract resnet50 --nodes layer4,avgpool` against the same work in Python
# (PIL transforms, DataLoader(num_workers=N), create_feature_extractor, numpy save), at 1 and 2
# threads, side by side in one run; then whether the two give the same features for the same decoded
# input. Prints a Markdown table (kept in docs/cli.md).
#
#   cli/bench/throughput.sh [WORKDIR]     (default: a new temporary folder, deleted at the end)
#
# Environment: IMAGES (default 500), THREADS (default "1 2"), BATCH (default 32), PYTHON (default
# python3, with torch and torchvision), FEATUREX_JAVA_OPTS (passed on to the JVM).
# It builds cli/target/featurex.jar through bin/featurex when needed. Nothing else may run on the
# machine meanwhile if the figures are to mean anything: the load average is printed with them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-python3}
images=${IMAGES:-500}
threads=${THREADS:-1 2}
batch=${BATCH:-32}
if [ $# -ge 1 ]; then
  work=$1
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

"$root/bin/featurex" --version >/dev/null # builds the jar first, outside the timings

echo "setup: $images JPEGs, 8 PNGs for parity, resnet50 random weights in $work" >&2
[ -f "$work/jpegs/img-0000.jpg" ] || "$py" "$here/throughput.py" images "$work/jpegs" "$images"
[ -f "$work/png/p-00.png" ] || "$py" "$here/throughput.py" parity-images "$work/png" 8
[ -f "$work/resnet50-random.pth" ] || "$py" "$here/throughput.py" weights "$work/resnet50-random.pth"

seconds() { # the wall time of a command, in seconds, its output sent to $log
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

rows=""
for n in $threads; do
  log="$work/featurex-$n.log"
  echo "featurex, $n thread(s)..." >&2
  fx_wall=$(seconds "$root/bin/featurex" extract resnet50 --weights "$work/resnet50-random.pth" \
    --nodes layer4,avgpool --input "$work/jpegs" --output "$work/featurex-$n.safetensors" \
    --threads "$n" --batch "$batch" --no-progress)
  # "... 500 image(s) in 61.2 s (8.2 images/s; ..." : the extraction loop, model loaded
  fx_loop=$(sed -n 's/.* image(s) in \([0-9.]*\) s (.*/\1/p' "$log" | tail -n 1)

  log="$work/python-$n.log"
  echo "python, $n thread(s)..." >&2
  py_wall=$(seconds "$py" "$here/throughput.py" extract --weights "$work/resnet50-random.pth" \
    --input "$work/jpegs" --output "$work/python-$n.npz" --threads "$n" --batch "$batch")
  py_loop=$("$py" -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["loop_seconds"])' "$log")

  row=$(echo "$images $n $fx_loop $py_loop $fx_wall $py_wall" | awk '{
    printf "| %d | %.2f | %.2f | **%.2fx** | %.2f | %.2f | %.2fx |",
      $2, $1 / $3, $1 / $4, ($1 / $3) / ($1 / $4), $1 / $5, $1 / $6, ($1 / $5) / ($1 / $6) }')
  echo "$row" >&2
  rows="$rows$row
"
done

echo "parity: same decoded input (224 x 224 PNGs, no resize, no crop), same weights..." >&2
"$root/bin/featurex" extract resnet50 --weights "$work/resnet50-random.pth" --nodes layer4,avgpool \
  --input "$work/png" --output "$work/parity.safetensors" --resize 224 --crop 224 --threads 2 \
  --no-progress >"$work/parity-featurex.log" 2>&1 || { cat "$work/parity-featurex.log" >&2; exit 1; }
"$py" "$here/throughput.py" extract --weights "$work/resnet50-random.pth" --input "$work/png" \
  --output "$work/parity.npz" --threads 2 --resize 224 --crop 224 >/dev/null
parity=$("$py" "$here/throughput.py" compare "$work/parity.safetensors" "$work/parity.npz") || {
  echo "parity FAILED: $parity" >&2
  exit 1
}
echo "features on 500 JPEGs (each side decoding and preprocessing its own way):" >&2
far=$("$py" "$here/throughput.py" compare "$work/featurex-$n.safetensors" "$work/python-$n.npz" \
  --rtol 1 --atol 1 || true)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cat <<EOF

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($cpu), $images JPEGs (500 x 375 to 640 x 480),
resnet50 layer4 + avgpool, batch $batch; featurex $(java -version 2>&1 | head -n 1 | tr -d '"'),
libtorch 2.10 (JavaCPP presets 1.5.13); Python: torch $("$py" -c 'import torch; print(torch.__version__)'),
torchvision $("$py" -c 'import torchvision; print(torchvision.__version__)'). Load average after the runs: $(cut -d ' ' -f 1-3 /proc/loadavg).

| threads | featurex images/s | Python images/s | ratio | featurex end to end | Python end to end | ratio |
| --- | --- | --- | --- | --- | --- | --- |
$rows
Same decoded input: $parity

Own decoding each (PIL vs featurex's Java preprocessing): $far
EOF
