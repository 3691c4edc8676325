"""Prints the per-op-type table of samples/bench/profile.sh from its CSV (issue 15).

Usage: /usr/bin/python3 profile_report.py PROFILE.csv

Lines: side,model,batch,threads,plan,rep,op,calls,milliseconds, one per op type and call; the lines
of one call are consecutive. For each plan (torchvision; featurex none, defaults, all) and op type:
the median over calls of the time that op type took in one call, and its calls per extraction. Op
types are matched by name across sides: a featurex "Conv2d+BatchNorm2d" step is a folded pair,
"(in place)" marks in-place variants, "(free)" the time featurex spends freeing values early.
"""

import csv
import statistics
import sys
from collections import defaultdict

NAMES = {"torchvision": "torchvision", "none": "featurex none", "defaults": "featurex defaults",
         "all": "featurex all"}


def main(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    calls = []  # (plan, {op: ms})
    counts = defaultdict(dict)
    last = None
    for side, model, batch, threads, plan, rep, op, n, ms in rows:
        if (side, plan, rep) != last:
            calls.append((plan, defaultdict(float)))
            last = (side, plan, rep)
        calls[-1][1][op] += float(ms)
        counts[plan][op] = int(n)
    by_plan = defaultdict(lambda: defaultdict(list))
    totals = defaultdict(list)
    for plan, ops in calls:
        totals[plan].append(sum(ops.values()))
        for op, ms in ops.items():
            by_plan[plan][op].append(ms)
    plans = [p for p in NAMES if p in by_plan]
    ops = []
    for plan in plans:
        ops += [op for op in by_plan[plan] if op not in ops]
    first = plans[0]
    ops.sort(key=lambda o: -(statistics.median(by_plan[first][o]) if o in by_plan[first] else 0.0))
    model, batch, threads = rows[0][1:4]
    print(f"\nms per extraction by op type (median over {len(totals[first])} calls), calls per"
          f" extraction in brackets; {model}, batch {batch}, torch threads {threads}")
    print(f"  {'op':28}" + "".join(f"{NAMES[p]:>22}" for p in plans))
    for op in ops:
        cells = []
        for plan in plans:
            xs = by_plan[plan].get(op)
            cells.append(f"{statistics.median(xs):9.2f} ({counts[plan][op]:3d}x)" if xs else "-")
        print(f"  {op:28}" + "".join(f"{c:>22}" for c in cells))
    print(f"  {'total (sum of the nodes)':28}"
          + "".join(f"{statistics.median(totals[p]):15.2f}       " for p in plans))


if __name__ == "__main__":
    main(sys.argv[1])
