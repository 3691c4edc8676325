#!/usr/bin/env bash
# Builds the images module from the reactor (no install) and prints a classpath with its main and
# test classes and all its dependencies. Used by parity.sh and bench.sh beside this file.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
log=$(mktemp)
if ! mvn -B -q -pl images -am -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "$root/images/target/classes:$root/images/target/test-classes:$(cat "$root/images/target/classpath.txt")"
