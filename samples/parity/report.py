"""Prints the parity harness's one table from DIR/timings.csv (issue 6).

Usage: /usr/bin/python3 report.py DIR PARITY_STATUS

Medians per side, thread count and variant over every round; ratios Java / Python at equal
threads, and layer1 / full forward; the goals: Java extractor <= 1.0x torchvision's,
layer1 alone <= 0.45x the full forward, features allclose (PARITY_STATUS 0).
"""

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

VARIANTS = [("forward", "full forward"),
            ("extractor", "extractor (layer1..4 + fc)"),
            ("layer1", "extractor (layer1 alone)"),
            ("dynamic extractor", "run-time extractor (layer1..4 + fc)")]


def quartiles(xs):
    q = statistics.quantiles(xs, n=4)
    return q[0], statistics.median(xs), q[2]


def main(out: Path, parity_status: int) -> None:
    samples = defaultdict(list)
    sides, threads = [], []
    with open(out / "timings.csv") as f:
        for side, n, variant, _round, ms in csv.reader(f):
            samples[(side, int(n), variant)].append(float(ms))
            if side not in sides:
                sides.append(side)
            if int(n) not in threads:
                threads.append(int(n))
    python = "torchvision"
    javas = [s for s in sides if s != python]
    med = {k: statistics.median(v) for k, v in samples.items()}

    print()
    print("Medians in ms (p25-p75), ResNet-18, 1x3x224x224, eval, no grad; n = calls per cell")
    for n in sorted(threads):
        print(f"\n  torch threads {n}")
        header = f"  {'':38}" + "".join(f"{s:>26}" for s in sides) + "".join(
            f"{(s + ' / torchvision'):>28}" for s in javas)
        print(header)
        for key, label in VARIANTS:
            cells, ratios = [], []
            for s in sides:
                xs = samples.get((s, n, key))
                if xs:
                    q1, m, q3 = quartiles(xs)
                    cells.append(f"{m:8.2f} ({q1:.1f}-{q3:.1f}) n={len(xs)}")
                else:
                    cells.append("-")
            base = key if key != "dynamic extractor" else "extractor"
            for s in javas:
                if (s, n, key) in med and (python, n, base) in med:
                    ratios.append(f"{med[(s, n, key)] / med[(python, n, base)]:.3f}")
                else:
                    ratios.append("-")
            print(f"  {label:38}" + "".join(f"{c:>26}" for c in cells) + "".join(f"{r:>28}" for r in ratios))
        for key, label in (("extractor", "extractor / full forward"), ("layer1", "layer1 alone / full forward")):
            row = []
            for s in sides:
                if (s, n, key) in med and (s, n, "forward") in med:
                    row.append(f"{med[(s, n, key)] / med[(s, n, 'forward')]:.3f}")
                else:
                    row.append("-")
            print(f"  {label:38}" + "".join(f"{c:>26}" for c in row))
    spread = [k for k, xs in samples.items() if len(xs) >= 4 and quartiles(xs)[2] > 1.25 * quartiles(xs)[0]]
    if spread:
        print("\n  NOTE: in " + ", ".join(f"{s} {v} ({n} threads)" for s, n, v in spread)
              + " the p75 exceeds the p25 by more than 25%: another process was probably busy;"
              + " rerun on an idle machine before trusting those rows.")

    print("\nGoals")
    print(f"  features allclose (atol 1e-4) to torchvision's:           {'met' if parity_status == 0 else 'MISSED'}")
    for s in javas:
        for n in sorted(threads):
            r = med[(s, n, "extractor")] / med[(python, n, "extractor")]
            verdict = "met" if r <= 1.0 else "MISSED"
            print(f"  {s} extractor <= 1.0x torchvision's, {n} thread(s):   {r:.3f}  {verdict}")
        for n in sorted(threads):
            r = med[(s, n, "layer1")] / med[(s, n, "forward")]
            verdict = "met" if r <= 0.45 else "MISSED"
            print(f"  {s} layer1 alone <= 0.45x full forward, {n} thread(s): {r:.3f}  {verdict}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
