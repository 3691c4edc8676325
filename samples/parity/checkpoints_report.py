"""Prints the table of checkpoints.sh: per side, model, format and thread count, the median load
time with its 95% confidence interval and the 25th percentile; featurex's time over Python's as the
ratio of medians (with a bootstrap 95% interval) and the ratio of 25th percentiles (each side at its
fast end, less disturbed by other processes); then the processes' CPU time; then the load average
seen before each process.

Usage: /usr/bin/python3 checkpoints_report.py DIR
Reads DIR/checkpoint_timings.csv (side,model,format,threads,round,ms,cpu_ms),
DIR/checkpoint_warmup.csv (side,model,format,threads,round,index,ms) and DIR/loads.csv
(round,side,load1,load5).
"""

import collections
import math
import random
import statistics
import sys
from pathlib import Path

FORMAT_ORDER = ["zip", "legacy", "safetensors"]


def main(out: Path) -> None:
    times = collections.defaultdict(list)
    cpu = collections.defaultdict(list)
    for line in (out / "checkpoint_timings.csv").read_text().splitlines():
        side, model, fmt, threads, _round, ms, cpu_ms = line.split(",")
        times[(side, model, fmt, int(threads))].append(float(ms))
        cpu[(side, model, fmt, int(threads))].append(float(cpu_ms))
    print()
    print("Wall time per load in ms: median [95% interval of the median] and p25; featurex / Python as")
    print("the ratio of medians [bootstrap 95% interval] and of p25s.")
    print()
    print("| model | format | threads | n | Python median | Python p25 | featurex median | featurex p25 "
          "| ratio of medians | ratio of p25s | CPU ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    keys = sorted({k[1:] for k in times}, key=lambda k: (k[0], FORMAT_ORDER.index(k[1]), k[2]))
    for model, fmt, threads in keys:
        py = times[("python", model, fmt, threads)]
        java = times[("java", model, fmt, threads)]
        if not py or not java:
            continue
        ratio = statistics.median(java) / statistics.median(py)
        low, high = ratio_interval(java, py)
        p25 = quartile(java) / quartile(py)
        cpu_ratio = (statistics.median(cpu[("java", model, fmt, threads)])
                     / statistics.median(cpu[("python", model, fmt, threads)]))
        print(f"| {model} | {fmt} | {threads} | {len(py)}/{len(java)} | {median_cell(py)} "
              f"| {quartile(py):.1f} | {median_cell(java)} | {quartile(java):.1f} "
              f"| {ratio:.2f} [{low:.2f}-{high:.2f}] | {p25:.2f} | {cpu_ratio:.2f} |")
    first_loads(out, keys)
    loads = out / "loads.csv"
    if loads.exists():
        seen = [float(line.split(",")[2]) for line in loads.read_text().splitlines()]
        print()
        print(f"1-minute load average before each of the {len(seen)} processes: "
              f"min {min(seen):.2f}, median {statistics.median(seen):.2f}, max {max(seen):.2f}")


def first_loads(out, keys):
    """The first (untimed) load of each file in each process: for Java, the JIT still compiling."""
    path = out / "checkpoint_warmup.csv"
    if not path.exists():
        return
    first = collections.defaultdict(list)
    for line in path.read_text().splitlines():
        side, model, fmt, threads, _round, index, ms = line.split(",")
        if index == "0":
            first[(side, model, fmt, int(threads))].append(float(ms))
    print()
    print("The first load of each file in each process (the first warm-up load; the files load in")
    print("the order below, so only the first row is a process's first load), median over processes:")
    print()
    print("| model | format | threads | Python ms | featurex ms |")
    print("| --- | --- | --- | --- | --- |")
    for model, fmt, threads in keys:
        py, java = first[("python", model, fmt, threads)], first[("java", model, fmt, threads)]
        if py and java:
            print(f"| {model} | {fmt} | {threads} | {statistics.median(py):.1f} "
                  f"| {statistics.median(java):.1f} |")


def quartile(values):
    return statistics.quantiles(values, n=4)[0] if len(values) > 1 else values[0]


def median_cell(values):
    low, high = median_interval(values)
    return f"{statistics.median(values):.1f} [{low:.1f}-{high:.1f}]"


def median_interval(values):
    """The distribution-free 95% interval of the median: the order statistics around it that the
    binomial(n, 1/2) distribution puts 95% between."""
    s = sorted(values)
    n = len(s)
    if n < 6:
        return s[0], s[-1]
    k = max(0, math.floor(n / 2 - 1.96 * math.sqrt(n) / 2))
    return s[k], s[min(n - 1, n - 1 - k)]


def ratio_interval(java, py, resamples=2000):
    """A percentile bootstrap of the ratio of medians, the two samples resampled independently
    (seeded, so a report is reproducible)."""
    rng = random.Random(13)
    ratios = sorted(
        statistics.median(rng.choices(java, k=len(java)))
        / statistics.median(rng.choices(py, k=len(py)))
        for _ in range(resamples))
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
