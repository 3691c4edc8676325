#!/usr/bin/env bash
# The processor's compile-time cost on the samples (issue 6), from the repository root:
#
#   samples/bench/compile-cost.sh [runs]        # default 5 runs of each, alternating
#
# Compiles the samples' model sources (src/main/java without bench/ and parity/, whose code uses
# the generated classes and so cannot compile without the processor) with javac, cold, the way a
# build does: with the featurex processor (which traces, validates and generates, and javac then
# compiles the generated sources) and with -proc:none, alternating, and prints the medians, the
# difference, and the processor's own per-model timing notes (-Afeaturex.timing=true).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
"$root/samples/bench/classpath.sh" >/dev/null
# The samples' dependencies without samples/target/classes, which holds classes generated earlier.
cp=$(cat "$root/samples/target/classpath.txt")
processorpath="$(ls "$root"/processor/target/featurex-processor-*.jar | head -1):$(cat "$root/processor/target/classpath.txt")"
work=$(mktemp -d -t featurex-compile.XXXXXX)
trap 'rm -rf "$work"' EXIT
find "$root/samples/src/main/java" -name '*.java' -not -path '*/bench/*' -not -path '*/parity/*' | sort >"$work/sources"
echo "$(wc -l <"$work/sources") model sources; javac $(javac -version 2>&1 | cut -d' ' -f2); $(lscpu | sed -n 's/^Model name: *//p') x$(nproc); $(date -I)"

compile() { # with|without, run -> milliseconds on stdout
  local out="$work/$1-$2"
  mkdir -p "$out/classes" "$out/generated"
  local proc=(-proc:none)
  [ "$1" = with ] && proc=(-processorpath "$processorpath" -Afeaturex.timing=true -s "$out/generated")
  local start end
  start=$(date +%s%N)
  javac --release 17 -Xlint:all,-processing,-serial -cp "$cp" "${proc[@]}" -d "$out/classes" \
    @"$work/sources" >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

with=(); without=()
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) = 1 ]; then
    with+=("$(compile with "$i")"); without+=("$(compile without "$i")")
  else
    without+=("$(compile without "$i")"); with+=("$(compile with "$i")")
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
echo "javac with the processor:    ${with[*]} ms  (median $mw ms)"
echo "javac with -proc:none:       ${without[*]} ms  (median $mo ms)"
awk -v w="$mw" -v o="$mo" 'BEGIN {printf "the processor adds %.0f ms (%.2fx the compile without it)\n", w - o, w / o}'
echo "generated: $(find "$work/with-1/generated" -name '*.java' | wc -l) sources, $(cat $(find "$work/with-1/generated" -name '*.java') | wc -l) lines"
echo "processor notes (each run):"
grep -h "featurex " "$work"/with-*/log | sed 's/^.*featurex /  featurex /'
