"""Exports what the zoo's parity harness compares against (issue 12).

Usage: /usr/bin/python3 models/parity/torchvision_export.py DIR NAME [NAME ...]

For each torchvision builder NAME, built without weights (torchvision's random initialisation,
torch.manual_seed(0)), its parameters that torchvision initialises to zeros (biases, ViT's head and
class token) drawn from N(0, 0.02) and its batch norms' running statistics computed on two random
batches (so that every tensor of the state dict matters, and activations stay in a realistic range
through deep random networks), in eval mode, writes into DIR:
  NAME.pt      the state dict as a plain dict (what dev.featurex.runtime.StateDict.load reads)
  NAME_io.pt   {"x": the input, "logits": the model's output on it}; the input is
               randn(1, 3, S, S) from a generator seeded with 1, S = 299 for inception_v3, else 224
"""

import sys
from pathlib import Path

import torch
import torchvision


def export(out: Path, name: str) -> None:
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)()
    with torch.no_grad():
        for p in model.parameters():
            if not p.any():
                p.normal_(0.0, 0.02)
    size = 299 if name == "inception_v3" else 224
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches below
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(4, 3, size, size))
    for m in norms:
        m.momentum = 0.1
    model.eval()
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        logits = model(x)
    torch.save(dict(model.state_dict()), out / f"{name}.pt")
    torch.save({"x": x, "logits": logits.contiguous()}, out / f"{name}_io.pt")
    print(f"torchvision {name}: {sum(p.numel() for p in model.parameters())} parameters, "
          f"logits {list(logits.shape)}", flush=True)


if __name__ == "__main__":
    directory = Path(sys.argv[1])
    for model_name in sys.argv[2:]:
        export(directory, model_name)
