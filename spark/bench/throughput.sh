#!/usr/bin/env bash
# Throughput of the Spark job in local mode against the single-JVM extractor on the same images, at
# equal cores, in one run (not part of CI; needs only the JDK and Maven):
#
#   spark/bench/throughput.sh
#
# For each core count C (CORES="1 2"), each round runs, in fresh JVMs pinned to C CPUs (taskset):
# - spark:  ExtractJob in local[C], Parquet out, once per --forward mode in FORWARD ("task": C tasks
#   each computing with 1 torch thread, spark.task.cpus; "executor": one forward at a time on C
#   threads while the tasks read, decode and write; FORWARD="task executor" runs both);
# - single: the command line's loop in one JVM: the images module's BatchLoader with C decoding
#   threads overlapping a run-time extractor with C torch threads, features written to a file.
# Each first runs a warm-up on WARMUP x C batches (JIT, model load), then times all COUNT images: Spark
# from ExtractJob.run's start (listing, driver check, tasks, Parquet) to its end, the single JVM
# from its loop's start to its end. The two alternate order round by round. The first table gives
# the median images/s of each side (wall clock, and per CPU-second of the whole process: on a
# machine shared with other work the second is the steadier), their ratios, and each round's own
# ratio (its two runs ran back to back, so a slow spell of the machine weighs on both). The second
# gives the Spark tasks' time per image in read, decode, preprocess, extract and write (accumulators;
# write is the time downstream of the task's iterator: Spark's rows and Parquet's encoding; summed
# over tasks, so at C cores they add up to about C x the wall time per image, less what Spark itself
# costs), the single JVM's forward calls (wall per image), and, from Spark's scheduler, the extracting
# stage's tasks, the share of its cores' time left idle (C x span from the first task's launch to
# the last one's finish, less the tasks' run time: the stage's tail) and the job's wall time outside
# that span (listing, the driver's check, the shuffle of paths, committing the output). The raw
# lines end with each timed run's CPU seconds by thread name ("threads" lines, from /proc: the
# forward's threads and the OpenMP workers they start, the JVM's GC and compilers, Spark's tasks)
# and each JVM's peak resident memory in MB ("memory" lines, VmHWM: warm-up and timed run).
# Knobs: MODEL=resnet50 NODES=layer4,avgpool POOL=none BATCH=16 COUNT=200 ROUNDS=2 CORES="1 2"
# WARMUP=4 FORWARD=task.
# KEEP=1 keeps the work directory. PARQUET=1 measures only Spark's Parquet writer, one core, per
# row of one array<float> of ResNet-50's unpooled layer4 size, with and without dictionary
# encoding and compression, as three-level (Spark's default) and two-level lists (what the job
# writes), and two-level without Parquet's statistics and checksums, with and without its
# byte-stream-split float encoding, and with Parquet's version 2 data pages (ThroughputBench
# parquet; ROWS=150 rows, ROUNDS rounds). LAUNCH_ENV=1 (the default) runs both sides with the launch
# settings of bin/featurex-env.sh (OpenBLAS's thread timeout, glibc's malloc thresholds);
# LAUNCH_ENV=0 without them.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${LAUNCH_ENV:-1}" = 1 ]; then
  # shellcheck source=bin/featurex-env.sh
  . "$root/bin/featurex-env.sh"
fi
MODEL=${MODEL:-resnet50}
NODES=${NODES:-layer4,avgpool}
POOL=${POOL:-none}
BATCH=${BATCH:-16}
COUNT=${COUNT:-200}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-4}
CORES=${CORES:-1 2}
FORWARD=${FORWARD:-task}
OFFLINE=${OFFLINE:--o}
opens=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.configurationFile=log4j2-test.properties)

echo "building the spark module and its classpath ..." >&2
cd "$root"
log=$(mktemp)
if ! mvn -B -q $OFFLINE -pl spark -am test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
cp="$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$root/spark/target/classpath.txt")"
work=$(mktemp -d -t featurex-spark-bench.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
bench() { # CPUS MODE ARGS...
  local cpus=$1
  shift
  taskset -c "$cpus" java "${opens[@]}" -cp "$cp" dev.featurex.spark.ThroughputBench "$@"
}
if [ "${PARQUET:-0}" = 1 ]; then
  echo "== $(date -u +%F\ %H:%M) UTC, $(lscpu | sed -n 's/^Model name: *//p'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== Spark's Parquet writer, local[1]: ms per row of 100,352 floats (the row's making included; count: that alone)"
  bench 0 parquet "$work/parquet" "${ROWS:-150}" 100352 "$ROUNDS" | grep '^parquet '
  exit 0
fi
bench 0-1 prepare "$work/images" "$COUNT" "$MODEL" "$work/$MODEL.safetensors"
results="$work/results.txt"
: >"$results"
echo "== $(date -u +%F\ %H:%M) UTC, $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== launch settings, both sides: OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-unset} GLIBC_TUNABLES=${GLIBC_TUNABLES:-unset}"
echo "== $(java -version 2>&1 | head -1); $MODEL --nodes $NODES --pool $POOL --batch $BATCH; Spark --forward $FORWARD; $COUNT JPEGs 640x480 q90; $ROUNDS rounds; warm-up $WARMUP batches per core"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CORES; do
    cpus=$(seq -s, 0 $((c - 1)))
    args=("$work/images" "$work/$MODEL.safetensors" "$MODEL" "$NODES" "$BATCH" "$POOL")
    run_spark() {
      local modes=$FORWARD # reversed in even rounds, so that no mode always runs first
      if [ $((round % 2)) = 0 ]; then modes=$(printf '%s\n' $FORWARD | tac | paste -sd' '); fi
      for f in $modes; do
        bench "$cpus" spark "$c" "${args[@]}" "$work/spark-$c" "$WARMUP" "$f" | grep -E '^(spark-|threads |memory )' | sed "s/\$/ r$round/" >>"$results"
      done
    }
    run_single() { bench "$cpus" single "$c" "${args[@]}" "$work/single-$c" "$WARMUP" | grep -E '^(single|threads|memory) ' | sed "s/\$/ r$round/" >>"$results"; }
    if [ $((round % 2)) = 1 ]; then run_spark; run_single; else run_single; run_spark; fi
  done
  echo "  round $round done" >&2
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| cores | Spark --forward | Spark local[C] images/s | single JVM images/s | Spark / single | round by round | Spark images per CPU-s | single images per CPU-s | Spark / single per CPU-s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# pick MODE EXPR: the median over rounds of EXPR on MODE's lines for the loop's core count $c
pick() { awk -v c="$c" -v m="$1" "\$1==m && \$2==c {print $2}" "$results" | median; }
for c in $CORES; do
  for f in $FORWARD; do
    spark=$(pick "spark-$f" '$3/$4')
    single=$(pick single '$3/$4')
    spark_cpu=$(pick "spark-$f" '$3/$5')
    single_cpu=$(pick single '$3/$5')
    # each round's Spark run against the same round's single-JVM run (they ran back to back)
    paired=$(awk -v c="$c" -v m="spark-$f" '$2==c {v[$1, $NF]=$3/$4; r[$NF]=1} END {for (k in r) if (((m, k) in v) && (("single", k) in v)) printf "%.2f\n", v[m, k]/v["single", k]}' "$results" | sort -g | paste -sd' ')
    awk -v c="$c" -v f="$f" -v s="$spark" -v j="$single" -v sc="$spark_cpu" -v jc="$single_cpu" -v p="$paired" 'BEGIN {
      printf "| %d | %s | %.2f | %.2f | **%.2fx** | %s | %.2f | %.2f | **%.2fx** |\n", c, f, s, j, s / j, p, sc, jc, sc / jc }'
  done
done
echo
echo "Per image, medians over rounds: the Spark tasks' time in each stage (summed over the C tasks, which run side by side; wait: for the executor's forward thread), the extracting stage's tasks, the share of its cores' time left idle, the job's time outside that stage, and the single JVM's forward calls (wall, on C threads: compare C times it with Spark's extract with --forward task, and 1 time it with --forward executor)."
echo
echo "| cores | Spark --forward | read ms | decode ms | preprocess ms | extract ms | wait ms | write ms | tasks | stage idle | outside the stage, s | single JVM's forward, ms |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for c in $CORES; do
  for f in $FORWARD; do
    m="spark-$f"
    stages="$(pick "$m" '$6') $(pick "$m" '$7') $(pick "$m" '$8') $(pick "$m" '$9') $(pick "$m" '$14') $(pick "$m" '$10')"
    stage="$(pick "$m" '$11') $(pick "$m" "1 - \$13 / (\$2 * \$12)") $(pick "$m" '$4 - $12') $(pick single '$6')"
    awk -v c="$c" -v f="$f" -v st="$stages" -v sg="$stage" 'BEGIN {
      split(st, m, " "); split(sg, g, " ");
      printf "| %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %.1f%% | %.1f | %.1f |\n", c, f, m[1], m[2], m[3], m[4], m[5], m[6], g[1], 100 * g[2], g[3], g[4] }'
  done
done
echo
echo "raw (spark-FORWARD cores images seconds cpu-seconds read decode preprocess extract write [ms/image] tasks span busy [s] wait [ms/image] round; single cores images seconds cpu-seconds forward [ms/image] round):"
cat "$results"
