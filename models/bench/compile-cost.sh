#!/usr/bin/env bash
# The processor's compile-time cost on the zoo (issue 12), from the repository root:
#
#   models/bench/compile-cost.sh [runs]        # default 3 runs of each, alternating
#
# Compiles the zoo's sources (models/src/main/java) with javac, cold, the way a build does: with
# the featurex processor (which traces every @Traceable factory in train and eval, validates and
# generates, and javac then compiles the generated sources) and with -proc:none, alternating, and
# prints the medians, their ratio, and the processor's own per-model timing notes
# (-Afeaturex.timing=true). Single-threaded javac; the machine's other load shows in both columns.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
cd "$root"
log=$(mktemp)
if ! mvn -B -q -pl models -am -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
# The zoo's dependencies without models/target/classes, which holds classes generated earlier.
cp=$(cat "$root/models/target/classpath.txt")
processorpath="$(ls "$root"/processor/target/featurex-processor-*.jar | head -1):$(cat "$root/processor/target/classpath.txt")"
work=$(mktemp -d -t featurex-zoo-compile.XXXXXX)
trap 'rm -rf "$work"' EXIT
find "$root/models/src/main/java" -name '*.java' | sort >"$work/sources"
echo "$(wc -l <"$work/sources") model sources ($(cat $(cat "$work/sources") | wc -l) lines); javac $(javac -version 2>&1 | cut -d' ' -f2); $(lscpu | sed -n 's/^Model name: *//p') x$(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -I)"

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
awk -v w="$mw" -v o="$mo" 'BEGIN {printf "the processor adds %.0f ms: %.2fx the compile without it (goal: under 2x)\n", w - o, w / o}'
echo "generated: $(find "$work/with-1/generated" -name '*.java' | wc -l) sources, $(cat $(find "$work/with-1/generated" -name '*.java') | wc -l) lines"
echo "processor notes (first run):"
grep -h "featurex " "$work"/with-1/log | sed 's/^.*featurex /  featurex /'
