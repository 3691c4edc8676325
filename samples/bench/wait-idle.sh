#!/usr/bin/env bash
# Waits, at most $1 seconds (0: not at all), until the CPUs have been at least 90% idle for 5 s,
# reading /proc/stat; prints what it waited for. Used before each measurement on a shared machine.
set -euo pipefail
limit=${1:-0}
[ "$limit" = 0 ] && exit 0
deadline=$((SECONDS + limit))
idle() { # percent idle over 5 s
  read -r _ u n s i w q sq st _ </proc/stat
  local t0=$((u + n + s + i + w + q + sq + st)) i0=$i
  sleep 5
  read -r _ u n s i w q sq st _ </proc/stat
  local t1=$((u + n + s + i + w + q + sq + st))
  echo $(((i - i0) * 100 / (t1 - t0 + 1)))
}
start=$SECONDS
until [ "$(idle)" -ge 90 ]; do
  if [ $SECONDS -ge $deadline ]; then
    echo "  (not idle after ${limit}s; measuring anyway, load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    exit 0
  fi
done
echo "  (idle after $((SECONDS - start))s)" >&2
