#!/usr/bin/env bash
# Parity and speed of the zoo's ResNets against torchvision (issues 6 and 15), one command from
# the repository root:
#
#   samples/parity/run.sh
#
# 1. installs Debian's python3-torchvision when /usr/bin/python3 cannot import torchvision (as root);
# 2. exports torchvision's resnet18/resnet50 (seed 0, eval) weights, inputs of each batch size, the
#    node names and create_feature_extractor's features (torchvision_export.py) into a temporary
#    directory;
# 3. states the CPU capability each side uses (ATen's, and the ISA oneDNN picks, ONEDNN_VERBOSE);
# 4. checks the Java ports against them (ParityHarness check): node names equal, every feature of
#    every extractor (unoptimized, default optimizations, all optimizations) within 1e-4 of
#    torchvision's value range, optimized within 1e-5 of unoptimized;
# 5. times both sides for every model, batch and thread count, alternating Python and Java
#    processes round by round (torchvision_timing.py, ParityHarness time), and prints one table per
#    cell with ratios and their 95% intervals (report.py).
#
# Knobs (environment): MODELS="resnet18,resnet50", BATCHES="1,16", THREADS="1,2", ROUNDS=4,
# REPS="1:10,16:3" (calls per variant per round, per batch), WARMUP=2, KEEP=1 keeps the temporary
# directory, WAIT_IDLE=SECONDS waits before each round (at most that long) until the CPUs have been
# 90% idle for 5 s, and JAVA_ENVS: the environments the Java side is timed in, space-separated, each
# "plain" (the caller's environment) or comma-separated VAR=VALUE settings added to it; default
# "plain". Example: JAVA_ENVS="plain ATEN_CPU_CAPABILITY=avx2". The parity check runs in the first.
# Python runs in the caller's environment. LAUNCH_ENV=1 (the default) first adds the launch
# settings of bin/featurex-env.sh (OpenBLAS's thread timeout, glibc's malloc thresholds) to that
# environment, for both sides alike; LAUNCH_ENV=0 times both without them.
#
# With 2 threads on a 2-core machine, any other busy process slows both sides' OpenMP threads down
# several times over (docs/benchmarks.md): read the 2-thread rows only from a run on an idle
# machine; the report flags cells whose spread shows a disturbance.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/samples/parity"
py=/usr/bin/python3
if [ "${LAUNCH_ENV:-1}" = 1 ]; then
  # shellcheck source=bin/featurex-env.sh
  . "$root/bin/featurex-env.sh"
fi
MODELS=${MODELS:-resnet18,resnet50}
BATCHES=${BATCHES:-1,16}
THREADS=${THREADS:-1,2}
ROUNDS=${ROUNDS:-4}
REPS=${REPS:-1:10,16:3}
WARMUP=${WARMUP:-2}
JAVA_ENVS=${JAVA_ENVS:-plain}

if ! { [ -x "$py" ] && "$py" -c "import torchvision" 2>/dev/null; }; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "torchvision is missing: run 'apt-get install -y python3-torchvision' as root, then again" >&2
    exit 2
  fi
  echo "installing Debian's python3-torchvision ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torchvision >&2
fi

echo "building the samples ..." >&2
cp=$("$root/samples/bench/classpath.sh")
work=$(mktemp -d -t featurex-parity.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

read -r -a java_envs <<<"$JAVA_ENVS"
java_side() { # environment index, then ParityHarness arguments
  local setting=${java_envs[$1]}; shift
  local vars=()
  [ "$setting" = plain ] || IFS=, read -r -a vars <<<"$setting"
  env "${vars[@]}" java -cp "$cp" dev.featurex.samples.parity.ParityHarness "$@"
}
label() { if [ "${#java_envs[@]}" = 1 ]; then echo featurex; else echo "featurex ($(($1 + 1)))"; fi; }
isa() { grep -m1 -o 'isa:[^,]*' | sed 's/^isa://'; }

echo "== environment, $(date -u +%F)"
lscpu | sed -n 's/^Model name: *//p; s/^CPU(s): */cpus: /p'
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "launch settings, both sides: OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-unset} GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset}"
"$py" -c "import torch, torchvision; cap = [l.strip() for l in torch.__config__.show().splitlines() if 'CPU capability' in l]; print('torchvision', torchvision.__version__, 'torch', torch.__version__, *cap, '(ATEN_CPU_CAPABILITY=' + __import__('os').environ.get('ATEN_CPU_CAPABILITY', 'unset') + ')')"
echo "torchvision: oneDNN ISA: $(ONEDNN_VERBOSE=1 "$py" -c 'import torch; torch.nn.Conv2d(64, 64, 3)(torch.randn(1, 64, 56, 56))' 2>&1 | isa)"
for i in "${!java_envs[@]}"; do
  java_isa=$(ONEDNN_VERBOSE=1 java_side "$i" isa 2>&1)
  echo "$(label "$i") (${java_envs[$i]}): $(grep -m1 -o 'ATen CPU capability.*' <<<"$java_isa"), oneDNN ISA: $(isa <<<"$java_isa")"
done
echo
echo "== parity"
"$py" "$here/torchvision_export.py" "$work" "$BATCHES"
parity=0
java_side 0 check "$work" "$BATCHES" || parity=$?

echo
echo "== timing: models $MODELS, batches $BATCHES, threads $THREADS; $ROUNDS rounds x $REPS calls per variant, Python and Java alternating"
for i in "${!java_envs[@]}"; do echo "  $(label "$i"): Java with ${java_envs[$i]}"; done
for round in $(seq 1 "$ROUNDS"); do
  python_round() {
    "$root/samples/bench/wait-idle.sh" "${WAIT_IDLE:-0}"
    echo "round $round torchvision load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/load.txt"
    "$py" "$here/torchvision_timing.py" "$work" "$MODELS" "$BATCHES" "$THREADS" "$REPS" "$WARMUP" "$round"
  }
  java_round() {
    for i in "${!java_envs[@]}"; do
      "$root/samples/bench/wait-idle.sh" "${WAIT_IDLE:-0}"
      echo "round $round $(label "$i") load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/load.txt"
      java_side "$i" time "$work" "$(label "$i")" "$MODELS" "$BATCHES" "$THREADS" "$REPS" "$WARMUP" "$round"
    done
  }
  if [ $((round % 2)) = 1 ]; then python_round; java_round; else java_round; python_round; fi
  echo "  round $round done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "load average (1, 5, 15 min) before each process:"
sed 's/^/  /' "$work/load.txt"
"$py" "$here/report.py" "$work" "$parity"
exit "$parity"
