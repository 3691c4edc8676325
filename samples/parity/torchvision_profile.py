"""Where torchvision's extractor spends its time, per op type (issue 15); OpProfile is the Java side.

Usage: /usr/bin/python3 torchvision_profile.py MODEL BATCH THREADS REPS OUT.csv [PROFILER.txt]

Builds torchvision's MODEL (resnet18, resnet50; seed 0, eval) and create_feature_extractor(layer1..4,
fc), an input randn(BATCH, 3, 224, 224) on seed 0, and, under torch.no_grad() with
torch.set_num_threads(THREADS) and OpenBLAS's pool bounded to THREADS (blas_threads.py), runs the
extractor's GraphModule node by node (a torch.fx Interpreter), timing each node, after 3 warm-up
calls. Appends side,model,batch,threads,plan,rep,op,calls,milliseconds to OUT.csv: per call, the
sum per op type (the module's class for call_module nodes, the function's or method's name
otherwise), as OpProfile writes them. With PROFILER.txt, also writes torch.profiler's table of the same extractor's calls
(self CPU time per aten op), the other view of the same time.
"""

import sys
import time
from collections import defaultdict
from pathlib import Path

import torch
import torchvision
from torch.fx import Interpreter
from torchvision.models.feature_extraction import create_feature_extractor

from blas_threads import set_threads

RETURN_NODES = ["layer1", "layer2", "layer3", "layer4", "fc"]


class TimingInterpreter(Interpreter):
    """Runs a GraphModule node by node and sums each node's time by op type."""

    def __init__(self, module):
        super().__init__(module)
        self.ops = None

    def run_node(self, n):
        start = time.perf_counter()
        result = super().run_node(n)
        ms = (time.perf_counter() - start) * 1000
        if n.op in ("placeholder", "output"):
            return result
        if n.op == "call_module":
            module = self.module.get_submodule(n.target)
            op = type(module).__name__ + (" (in place)" if getattr(module, "inplace", False) else "")
        elif n.op == "call_function":
            op = getattr(n.target, "__name__", str(n.target))
        else:
            op = str(n.target)
        entry = self.ops[op]
        entry[0] += 1
        entry[1] += ms
        return result


def main(name, batch, threads, reps, out, profiler_out=None):
    set_threads(threads)  # torch and OpenBLAS, as the Java side (blas_threads.py)
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().eval()
    extractor = create_feature_extractor(model, return_nodes=RETURN_NODES).eval()
    x = torch.randn(batch, 3, 224, 224, generator=torch.Generator().manual_seed(0))
    interpreter = TimingInterpreter(extractor)
    lines = []
    with torch.no_grad():
        for rep in range(-3, reps):
            interpreter.ops = defaultdict(lambda: [0, 0.0])
            interpreter.run(x)
            if rep < 0:
                continue
            for op, (calls, ms) in interpreter.ops.items():
                lines.append(f"torchvision,{name},{batch},{threads},torchvision,{rep},{op},{calls},{ms:.4f}\n")
        if profiler_out:
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
                for _ in range(reps):
                    extractor(x)
            Path(profiler_out).write_text(
                f"torch.profiler, torchvision {name}, batch {batch}, threads {threads}, {reps} calls\n"
                + prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=20))
    with open(out, "a") as csv:
        csv.writelines(lines)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
         sys.argv[6] if len(sys.argv) > 6 else None)
