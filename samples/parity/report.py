"""Prints the parity harness's tables from DIR/timings.csv (issues 6 and 15).

Usage: /usr/bin/python3 report.py DIR PARITY_STATUS

Lines: side,model,batch,threads,variant,round,wall ms,CPU ms. For each cell (model, batch, threads):
the median [p25-p75] wall-clock time of every variant on each side, and each featurex variant's
median over torchvision's (its extractor, create_feature_extractor; or its forward for the model's
forward), with a 95% bootstrap interval (the calls of both sides resampled 2,000 times, seed 0); the
same ratio of process CPU times beside it, which the time other processes held the CPUs does not
inflate. Goals (issue 15): featurex extractor / torchvision extractor <= 0.85 in every cell, wall
clock; features within 1e-4 of torchvision's range (PARITY_STATUS 0).
"""

import csv
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

GOAL = 0.85
JAVA_VARIANTS = [("extractor:none", "extractor, no optimization"),
                 ("extractor:defaults", "extractor, defaults (exact)"),
                 ("extractor:all", "extractor, all (+ folding, oneDNN conv)"),
                 ("forward", "model forward")]


def quartiles(xs):
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4)
    return q[0], statistics.median(xs), q[2]


def interval(a, b, rng):
    """median(a) / median(b) and its 95% bootstrap interval."""
    ratios = sorted(statistics.median(rng.choices(a, k=len(a)))
                    / statistics.median(rng.choices(b, k=len(b))) for _ in range(2000))
    return statistics.median(a) / statistics.median(b), ratios[50], ratios[1949]


def main(out: Path, parity_status: int) -> None:
    wall, cpu = defaultdict(list), defaultdict(list)
    sides, cells = [], []
    with open(out / "timings.csv") as f:
        for side, model, batch, n, variant, _round, ms, cpu_ms in csv.reader(f):
            cell = (model, int(batch), int(n))
            wall[(side, cell, variant)].append(float(ms))
            cpu[(side, cell, variant)].append(float(cpu_ms))
            if side not in sides:
                sides.append(side)
            if cell not in cells:
                cells.append(cell)
    javas = [s for s in sides if s != "torchvision"]
    rng = random.Random(0)
    verdicts = []
    for cell in sorted(cells):
        model, batch, n = cell
        tv = ("torchvision", cell, "extractor")
        if tv not in wall:
            continue
        print(f"\n{model}, batch {batch}, torch threads {n}: wall ms median [p25-p75], n calls;"
              f" ratio to torchvision [95% interval], wall clock and process CPU")
        for key, label in ((tv, "torchvision create_feature_extractor"),
                           (("torchvision", cell, "forward"), "torchvision model forward")):
            if key in wall:
                q1, m, q3 = quartiles(wall[key])
                print(f"  {label:46} {m:9.2f} [{q1:.1f}-{q3:.1f}] n={len(wall[key])}")
        for side in javas:
            for variant, label in JAVA_VARIANTS:
                key = (side, cell, variant)
                if key not in wall:
                    continue
                base = ("torchvision", cell, "forward" if variant == "forward" else "extractor")
                q1, m, q3 = quartiles(wall[key])
                r, low, high = interval(wall[key], wall[base], rng)
                rc, lowc, highc = interval(cpu[key], cpu[base], rng)
                print(f"  {side + ' ' + label:46} {m:9.2f} [{q1:.1f}-{q3:.1f}] n={len(wall[key])}"
                      f"  wall {r:.3f} [{low:.3f}, {high:.3f}]  cpu {rc:.3f} [{lowc:.3f}, {highc:.3f}]")
                if variant in ("extractor:defaults", "extractor:all"):
                    verdict = ("met" if high <= GOAL else "MISSED" if low > GOAL
                               else "within the interval of the goal")
                    verdicts.append((side, label, cell, r, low, high, rc, verdict))
        spread = [f"{s} {v}" for (s, c, v), xs in wall.items()
                  if c == cell and len(xs) >= 4 and quartiles(xs)[2] > 1.25 * quartiles(xs)[0]]
        if spread:
            print("  NOTE: p75 > 1.25 p25 for " + ", ".join(spread)
                  + ": another process was probably busy; the CPU-time ratios are the steadier.")

    print("\nGoals (issue 15)")
    print(f"  features within 1e-4 of torchvision's range, optimized within 1e-5 of unoptimized:"
          f" {'met' if parity_status == 0 else 'MISSED'}")
    for side, label, (model, batch, n), r, low, high, rc, verdict in verdicts:
        print(f"  {side} {label:30} {model} b{batch:<2} t{n}: wall {r:.3f} [{low:.3f}, {high:.3f}]"
              f" (cpu {rc:.3f})  <= {GOAL}: {verdict}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
