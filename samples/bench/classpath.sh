#!/usr/bin/env bash
# Builds the samples from the reactor (no install) and prints their run-time classpath:
# samples/target/classes plus the runtime jar and the dependencies. Used by run-jmh.sh,
# memory.sh and ../parity/run.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
log=$(mktemp)
if ! mvn -B -q -pl samples -am -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "$root/samples/target/classes:$(cat "$root/samples/target/classpath.txt")"
