"""Times torchvision's extractors for the parity harness (issues 6 and 15); ParityTiming is Java's.

Usage: /usr/bin/python3 torchvision_timing.py DIR MODELS BATCHES THREADS REPS WARMUP ROUND

For each model of MODELS (comma-separated: resnet18, resnet50), loaded from DIR/NAME.pt, in eval mode
under torch.no_grad(), for each batch of BATCHES (input DIR/input_bB.pt) and each thread count of
THREADS (torch.set_num_threads and OpenBLAS's pool, blas_threads.py): WARMUP calls of every
variant, then REPS rounds of every variant in an order that rotates each round. REPS is per batch when given as "B:REPS" pairs ("1:10,16:3").
Variants: the model's forward, and create_feature_extractor(layer1..4, fc). Appends one line per call
to DIR/timings.csv: side,model,batch,threads,variant,round,wall milliseconds,process CPU milliseconds.
"""

import sys
import time
from pathlib import Path

import torch
import torchvision
from torchvision.models.feature_extraction import create_feature_extractor

from blas_threads import set_threads

RETURN_NODES = ["layer1", "layer2", "layer3", "layer4", "fc"]


def reps_for(spec: str, batch: int) -> int:
    if ":" not in spec:
        return int(spec)
    pairs = dict(p.split(":") for p in spec.split(","))
    return int(pairs[str(batch)])


def main(out: Path, models: str, batches: str, threads: str, reps: str, warmup: int,
         round_: int) -> None:
    lines = []
    for name in models.split(","):
        model = getattr(torchvision.models, name)()
        model.load_state_dict(torch.load(out / f"{name}.pt"))
        model.eval()
        variants = [
            ("forward", model),
            ("extractor", create_feature_extractor(model, return_nodes=RETURN_NODES).eval()),
        ]
        for batch in (int(b) for b in batches.split(",")):
            x = torch.load(out / f"input_b{batch}.pt")["x"]
            with torch.no_grad():
                for n in (int(t) for t in threads.split(",")):
                    set_threads(n)  # torch and OpenBLAS, as the Java side (blas_threads.py)
                    for _ in range(warmup):
                        for _, f in variants:
                            f(x)
                    for r in range(reps_for(reps, batch)):
                        k = r % len(variants)
                        for variant, f in variants[k:] + variants[:k]:
                            cpu = time.process_time()
                            start = time.perf_counter()
                            f(x)
                            ms = (time.perf_counter() - start) * 1000
                            cpu_ms = (time.process_time() - cpu) * 1000
                            lines.append(f"torchvision,{name},{batch},{n},{variant},{round_},"
                                         f"{ms:.4f},{cpu_ms:.4f}\n")
    with open(out / "timings.csv", "a") as csv:
        csv.writelines(lines)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]),
         int(sys.argv[7]))
