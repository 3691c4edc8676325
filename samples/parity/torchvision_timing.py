"""Times torchvision's ResNet-18 for the parity harness (issue 6); the Java side is ParityTiming.

Usage: /usr/bin/python3 torchvision_timing.py DIR THREADS REPS WARMUP ROUND

Loads DIR/resnet18.pt and DIR/input.pt (from torchvision_export.py) and, under torch.no_grad()
in eval mode, for each thread count in THREADS (comma-separated; torch.set_num_threads) runs
WARMUP rounds of every variant, then REPS rounds, rotating the variants' order each round so that
none always runs first. Appends one line per call to DIR/timings.csv:
side,threads,variant,round,milliseconds.
"""

import sys
import time
from pathlib import Path

import torch
import torchvision
from torchvision.models.feature_extraction import create_feature_extractor


def main(out: Path, threads: str, reps: int, warmup: int, round_: int) -> None:
    model = torchvision.models.resnet18()
    model.load_state_dict(torch.load(out / "resnet18.pt"))
    model.eval()
    x = torch.load(out / "input.pt")["x"]
    variants = [
        ("forward", model),
        ("extractor", create_feature_extractor(
            model, return_nodes=["layer1", "layer2", "layer3", "layer4", "fc"]).eval()),
        ("layer1", create_feature_extractor(model, return_nodes=["layer1"]).eval()),
    ]
    lines = []
    with torch.no_grad():
        for n in (int(t) for t in threads.split(",")):
            torch.set_num_threads(n)
            for _ in range(warmup):
                for _, f in variants:
                    f(x)
            for r in range(reps):
                k = r % len(variants)
                for name, f in variants[k:] + variants[:k]:
                    start = time.perf_counter()
                    f(x)
                    ms = (time.perf_counter() - start) * 1000
                    lines.append(f"torchvision,{n},{name},{round_},{ms:.4f}\n")
    with open(out / "timings.csv", "a") as csv:
        csv.writelines(lines)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
