#!/usr/bin/env bash
# The zoo against torchvision's own models (issue 12), from the repository root; not part of CI:
#
#   models/parity/run.sh [NAME ...]        # default: every model of the zoo
#
# 1. exports, with Debian's python3-torchvision 0.14.1, each model's state dict (random weights,
#    batch norm statistics from random batches), an input and torchvision's logits
#    (torchvision_export.py);
# 2. loads each state dict into the Java model of the same name, strictly (every key, every shape:
#    dev.featurex.runtime.StateDict.load), and checks that the Java model's logits on the same input
#    are allclose to torchvision's (ZooParity: rtol 1e-4, atol 1e-4 x the largest logit).
#
# Needs /usr/bin/python3 with torchvision (apt-get install python3-torchvision). KEEP=1 keeps the
# temporary directory (about 2 GB for every model). Exit status 0 when every model passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
if ! "$py" -c "import torchvision" 2>/dev/null; then
  echo "torchvision is missing: apt-get install -y python3-torchvision, then run again" >&2
  exit 2
fi

cd "$root"
echo "building the zoo ..." >&2
log=$(mktemp)
if ! mvn -B -q -pl models -am -DskipTests test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
cp="$root/models/target/test-classes:$root/models/target/classes:$(cat "$root/models/target/classpath.txt")"

models=("$@")
if [ ${#models[@]} = 0 ]; then
  read -r -a models <<<"$(java -cp "$cp" dev.featurex.models.parity.ZooParity --list)"
fi

work=$(mktemp -d -t featurex-zoo-parity.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

status=0
for model in "${models[@]}"; do
  # One model at a time: the exported files of every model together take gigabytes.
  "$py" "$root/models/parity/torchvision_export.py" "$work" "$model" 2>&1 | grep -v -i warn || true
  java -cp "$cp" dev.featurex.models.parity.ZooParity "$work" "$model" || status=1
  [ "${KEEP:-0}" = 1 ] || rm -f "$work/$model.pt" "$work/${model}_io.pt"
done
if [ "$status" = 0 ]; then echo "parity: every model PASSED"; else echo "parity: FAILED (see above)"; fi
exit "$status"
