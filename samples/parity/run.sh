#!/usr/bin/env bash
# Parity and speed of the zoo's ResNets against torchvision (issue 6), one command from the
# repository root:
#
#   samples/parity/run.sh
#
# 1. installs Debian's python3-torchvision when /usr/bin/python3 cannot import torchvision (as root);
# 2. exports torchvision's resnet18/resnet50 (seed 0, eval) weights, an input, the node names and
#    create_feature_extractor's features (torchvision_export.py) into a temporary directory;
# 3. checks the Java ports against them (ParityHarness check): node names equal, features allclose;
# 4. times both sides at each thread count, alternating Python and Java processes round by round
#    (torchvision_timing.py, ParityHarness time), and prints one table (report.py).
#
# Knobs (environment): ROUNDS=4, REPS=10 calls per variant per round, WARMUP=3, THREADS="1,2",
# KEEP=1 keeps the temporary directory, and JAVA_ENVS: the environments the Java side is timed in,
# space-separated, each "plain" (the caller's environment) or comma-separated VAR=VALUE settings
# added to it; default "plain". Example: JAVA_ENVS="plain ATEN_CPU_CAPABILITY=avx2" times libtorch's
# default AVX-512 kernels against its AVX2 ones in the same run. The parity check runs in the first.
# Python runs in the caller's environment.
#
# With 2 threads on a 2-core machine, any other busy process slows both sides' OpenMP threads down
# several times over (docs/benchmarks.md): read the 2-thread rows only from a run on an idle
# machine; the p25-p75 columns show when a run was disturbed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/samples/parity"
py=/usr/bin/python3
ROUNDS=${ROUNDS:-4}
REPS=${REPS:-10}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-1,2}
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

echo "== environment"
lscpu | sed -n 's/^Model name: *//p; s/^CPU(s): */cpus: /p'
"$py" -c "import torch, torchvision; cap = [l.strip() for l in torch.__config__.show().splitlines() if 'CPU capability' in l]; print('torchvision', torchvision.__version__, 'torch', torch.__version__, *cap, '(ATEN_CPU_CAPABILITY=' + __import__('os').environ.get('ATEN_CPU_CAPABILITY', 'unset') + ')')"
echo
echo "== parity"
"$py" "$here/torchvision_export.py" "$work"
parity=0
java_side 0 check "$work" || parity=$?

echo
echo "== timing: $ROUNDS rounds x $REPS calls per variant, threads $THREADS, Python and Java alternating"
for i in "${!java_envs[@]}"; do echo "  $(label "$i"): Java with ${java_envs[$i]}"; done
for round in $(seq 1 "$ROUNDS"); do
  python_round() { "$py" "$here/torchvision_timing.py" "$work" "$THREADS" "$REPS" "$WARMUP" "$round"; }
  java_round() {
    for i in "${!java_envs[@]}"; do
      java_side "$i" time "$work" "$(label "$i")" "$THREADS" "$REPS" "$WARMUP" "$round"
    done
  }
  if [ $((round % 2)) = 1 ]; then python_round; java_round; else java_round; python_round; fi
  echo "  round $round done" >&2
done
"$py" "$here/report.py" "$work" "$parity"
exit "$parity"
