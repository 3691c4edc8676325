#!/usr/bin/env bash
# What the launch settings of bin/featurex-env.sh (OPENBLAS_THREAD_TIMEOUT, GLIBC_TUNABLES) change:
# a zoo model's own forward timed in fresh JVMs started without them ("plain": both variables
# removed from the environment) and with them ("launch"), alternating which goes first round by
# round, for every model and thread count; then one table of medians over the rounds, their ratio,
# and the minor page faults per call (samples/bench/LaunchSettings.java).
#
#   samples/bench/launch-settings.sh
#
# Knobs: MODELS="resnet50 vit_b_16" BATCH=1 THREADS="1 2" ROUNDS=3 CALLS=10 WARMUP=3.
# With more threads than idle cores the figures mean nothing: run it on an idle machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
MODELS=${MODELS:-resnet50 vit_b_16}
BATCH=${BATCH:-1}
THREADS=${THREADS:-1 2}
ROUNDS=${ROUNDS:-3}
CALLS=${CALLS:-10}
WARMUP=${WARMUP:-3}

echo "building the samples ..." >&2
cp=$("$root/samples/bench/classpath.sh")
results=$(mktemp)
trap 'rm -f "$results"' EXIT

run() { # LABEL MODEL THREADS
  if [ "$1" = plain ]; then
    env -u OPENBLAS_THREAD_TIMEOUT -u GLIBC_TUNABLES \
      java -cp "$cp" dev.featurex.samples.bench.LaunchSettings "$1" "$2" "$BATCH" "$3" "$CALLS" "$WARMUP"
  else
    # shellcheck source=bin/featurex-env.sh
    (unset OPENBLAS_THREAD_TIMEOUT GLIBC_TUNABLES && . "$root/bin/featurex-env.sh" &&
      java -cp "$cp" dev.featurex.samples.bench.LaunchSettings "$1" "$2" "$BATCH" "$3" "$CALLS" "$WARMUP")
  fi 2>/dev/null | grep '^launch ' >>"$results"
}

echo "== $(date -u +%F\ %H:%M) UTC, $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(java -version 2>&1 | head -1); batch $BATCH; $ROUNDS rounds of $CALLS calls after $WARMUP warm-up calls, one JVM each"
(unset OPENBLAS_THREAD_TIMEOUT GLIBC_TUNABLES && . "$root/bin/featurex-env.sh" &&
  echo "== launch: OPENBLAS_THREAD_TIMEOUT=$OPENBLAS_THREAD_TIMEOUT GLIBC_TUNABLES=$GLIBC_TUNABLES")
for round in $(seq 1 "$ROUNDS"); do
  for model in $MODELS; do
    for t in $THREADS; do
      if [ $((round % 2)) = 1 ]; then run plain "$model" "$t"; run launch "$model" "$t"; else
        run launch "$model" "$t"; run plain "$model" "$t"; fi
    done
  done
  echo "  round $round done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| model, threads | plain ms (median of the rounds' medians) | launch ms | launch / plain | page faults per call: plain | launch |"
echo "| --- | --- | --- | --- | --- | --- |"
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
for model in $MODELS; do
  for t in $THREADS; do
    pick() { awk -v l="$1" -v m="$model" -v t="$t" '$2==l && $3==m && $5==t {print $'"$2"'}' "$results" | median; }
    plain=$(pick plain 6)
    launch=$(pick launch 6)
    printf '| %s, %s | %.1f | %.1f | %.3f | %s | %s |\n' "$model" "$t" "$plain" "$launch" \
      "$(echo "$launch / $plain" | bc -l)" "$(pick plain 9)" "$(pick launch 9)"
  done
done
