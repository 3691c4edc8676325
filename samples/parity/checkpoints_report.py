"""Prints the table of checkpoints.sh: median load time per side, model, format and thread count
(with the 25th-75th percentiles), and featurex's time over Python's.

Usage: /usr/bin/python3 checkpoints_report.py DIR
Reads DIR/checkpoint_timings.csv (side,model,format,threads,round,ms,cpu_ms).
"""

import collections
import statistics
import sys
from pathlib import Path


def main(out: Path) -> None:
    times = collections.defaultdict(list)
    cpu = collections.defaultdict(list)
    for line in (out / "checkpoint_timings.csv").read_text().splitlines():
        side, model, fmt, threads, _round, ms, cpu_ms = line.split(",")
        times[(side, model, fmt, int(threads))].append(float(ms))
        cpu[(side, model, fmt, int(threads))].append(float(cpu_ms))
    print()
    print("Wall time per load (median, p25-p75) and the ratio of medians; then the processes' CPU time")
    print("(all threads), which other processes on a shared machine disturb less.")
    print()
    print("| model | format | threads | Python ms | featurex ms | featurex / Python | Python CPU ms | featurex CPU ms | CPU ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    keys = sorted({k[1:] for k in times}, key=lambda k: (k[0], ["zip", "legacy", "safetensors"].index(k[1]), k[2]))
    for model, fmt, threads in keys:
        py = times[("python", model, fmt, threads)]
        java = times[("java", model, fmt, threads)]
        if not py or not java:
            continue
        ratio = statistics.median(java) / statistics.median(py)
        py_cpu = cpu[("python", model, fmt, threads)]
        java_cpu = cpu[("java", model, fmt, threads)]
        cpu_ratio = statistics.median(java_cpu) / statistics.median(py_cpu)
        print(f"| {model} | {fmt} | {threads} | {cell(py)} | {cell(java)} | {ratio:.2f} "
              f"| {cell(py_cpu)} | {cell(java_cpu)} | {cpu_ratio:.2f} |")


def cell(values):
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"{statistics.median(values):.1f} ({q[0]:.1f}-{q[2]:.1f})"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
