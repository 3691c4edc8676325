"""Prints the parity harness's tables from DIR/timings.csv (issues 6 and 15).

Usage: /usr/bin/python3 report.py DIR PARITY_STATUS

Lines: side,model,batch,threads,variant,round,milliseconds. For each cell (model, batch, threads):
the median [p25-p75] of every variant on each side, and each featurex extractor's median over
torchvision's create_feature_extractor median, with a 95% bootstrap interval (the calls of both
sides resampled 2,000 times, seed 0). Goals (issue 15): featurex extractor / torchvision extractor
<= 0.85 in every cell; features within 1e-4 of torchvision's range (PARITY_STATUS 0).
"""

import csv
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

GOAL = 0.85
JAVA_VARIANTS = [("extractor:none", "extractor, no optimization"),
                 ("extractor:defaults", "extractor, default (exact)"),
                 ("extractor:all", "extractor, all (+ folding)"),
                 ("forward", "model forward")]


def quartiles(xs):
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4)
    return q[0], statistics.median(xs), q[2]


def ratio_interval(a, b, rng):
    """95% bootstrap interval of median(a) / median(b)."""
    ratios = []
    for _ in range(2000):
        ra = statistics.median(rng.choices(a, k=len(a)))
        rb = statistics.median(rng.choices(b, k=len(b)))
        ratios.append(ra / rb)
    ratios.sort()
    return ratios[int(0.025 * len(ratios))], ratios[int(0.975 * len(ratios)) - 1]


def main(out: Path, parity_status: int) -> None:
    samples = defaultdict(list)
    sides, cells = [], []
    with open(out / "timings.csv") as f:
        for side, model, batch, n, variant, _round, ms in csv.reader(f):
            cell = (model, int(batch), int(n))
            samples[(side, cell, variant)].append(float(ms))
            if side not in sides:
                sides.append(side)
            if cell not in cells:
                cells.append(cell)
    javas = [s for s in sides if s != "torchvision"]
    rng = random.Random(0)
    verdicts = []
    for cell in sorted(cells):
        model, batch, n = cell
        tv = samples.get(("torchvision", cell, "extractor"))
        tv_forward = samples.get(("torchvision", cell, "forward"))
        if not tv:
            continue
        print(f"\n{model}, batch {batch}, torch threads {n}: median ms [p25-p75], n calls;"
              f" ratio to torchvision's extractor [95% interval]")
        q1, m, q3 = quartiles(tv)
        print(f"  {'torchvision create_feature_extractor':44} {m:9.2f} [{q1:.1f}-{q3:.1f}] n={len(tv)}")
        if tv_forward:
            q1, m, q3 = quartiles(tv_forward)
            print(f"  {'torchvision model forward':44} {m:9.2f} [{q1:.1f}-{q3:.1f}] n={len(tv_forward)}")
        for side in javas:
            for variant, label in JAVA_VARIANTS:
                xs = samples.get((side, cell, variant))
                if not xs:
                    continue
                q1, m, q3 = quartiles(xs)
                base = tv_forward if variant == "forward" and tv_forward else tv
                low, high = ratio_interval(xs, base, rng)
                r = m / statistics.median(base)
                what = "torchvision forward" if base is tv_forward else "torchvision extractor"
                print(f"  {side + ' ' + label:44} {m:9.2f} [{q1:.1f}-{q3:.1f}] n={len(xs)}"
                      f"   {r:.3f} [{low:.3f}, {high:.3f}] of {what}")
                if variant in ("extractor:defaults", "extractor:all"):
                    verdict = ("met" if high <= GOAL else "MISSED" if low > GOAL
                               else "within the interval of the goal")
                    verdicts.append((side, label, cell, r, low, high, verdict))
        spread = [f"{s} {v}" for s in sides for v in ("extractor", *dict(JAVA_VARIANTS))
                  if (xs := samples.get((s, cell, v))) and len(xs) >= 4
                  and quartiles(xs)[2] > 1.25 * quartiles(xs)[0]]
        if spread:
            print("  NOTE: p75 > 1.25 p25 for " + ", ".join(spread)
                  + ": another process was probably busy; rerun on an idle machine to trust them.")

    print("\nGoals (issue 15)")
    print(f"  features within 1e-4 of torchvision's range, optimized within 1e-5 of unoptimized:"
          f" {'met' if parity_status == 0 else 'MISSED'}")
    for side, label, (model, batch, n), r, low, high, verdict in verdicts:
        print(f"  {side} {label:28} {model} b{batch:<2} t{n}: {r:.3f} [{low:.3f}, {high:.3f}]"
              f"  <= {GOAL}: {verdict}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
