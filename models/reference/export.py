"""Writes torchvision's reference data for the zoo's tests (issue 12).

Usage, from the repository root, with Debian's python3-torchvision 0.14.1 (python3-torch 1.13.1):

    /usr/bin/python3 models/reference/export.py models/src/test/resources/reference

For every model of the zoo, one file NAME.json:

  torchvision   the torchvision and torch versions that produced it
  parameters    sum(p.numel() for p in model.parameters())
  state_dict    [key, shape] for every entry of model.state_dict(), in order
  train, eval   get_graph_node_names(model), or null when torchvision cannot trace the model
  trace_error   torchvision's exception when it cannot (null otherwise)
  train_py311_unpacking, eval_py311_unpacking
                only when torchvision cannot trace the model: the names its tracer gives once
                torch.fx's Proxy.__iter__ finds tuple unpacking on Python 3.11. torch 1.13 looks the
                calling instruction up at f_lasti // 2, which Python 3.11's inline caches break, so
                `a, b = proxy` raises "Proxy object cannot be iterated" (ShuffleNet V2's
                `x.chunk(2, dim=1)` and `x.size()`, ViT's `x.shape`); torch 2.0 finds the
                instruction by its offset, which is what unpacking_iter below does.

Each model is torchvision's builder without weights (torchvision.models.NAME()), as the Java
builders of the same name. Nothing here is random: names, counts and shapes do not depend on the
initialisation.
"""

import dis
import inspect
import json
import sys
from bisect import bisect_left
from pathlib import Path

import torch
import torchvision
from torchvision.models.feature_extraction import get_graph_node_names

MODELS = [
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "wide_resnet50_2",
    "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "alexnet",
    "squeezenet1_0", "squeezenet1_1",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
    "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
    "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf",
    "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf",
    "googlenet", "inception_v3",
    "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0",
    "mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3",
    "convnext_tiny", "convnext_small",
    "vit_b_16",
    "swin_t",
]


def unpacking_iter(self):
    """torch.fx.Proxy.__iter__ as torch 2.0 writes it for Python 3.11: the calling instruction by
    its offset, so `a, b = proxy` becomes getitem nodes."""
    calling_frame = inspect.currentframe().f_back
    instructions = list(dis.get_instructions(calling_frame.f_code))
    inst = instructions[bisect_left(instructions, calling_frame.f_lasti, key=lambda i: i.offset)]
    if inst.opname == "UNPACK_SEQUENCE":
        return (self[i] for i in range(inst.argval))
    return self.tracer.iter(self)


def describe(name: str) -> dict:
    model = getattr(torchvision.models, name)()
    entry = {
        "model": name,
        "torchvision": f"torchvision {torchvision.__version__}, torch {torch.__version__}",
        "parameters": sum(p.numel() for p in model.parameters()),
        "state_dict": [[k, list(v.shape)] for k, v in model.state_dict().items()],
        "train": None,
        "eval": None,
        "trace_error": None,
    }
    try:
        train, eval_ = get_graph_node_names(model, suppress_diff_warning=True)
        entry["train"], entry["eval"] = train, eval_
    except Exception as e:  # torchvision 0.14 cannot trace some models; record why
        entry["trace_error"] = f"{type(e).__name__}: {e}"
        original = torch.fx.Proxy.__iter__
        torch.fx.Proxy.__iter__ = unpacking_iter
        try:
            train, eval_ = get_graph_node_names(model, suppress_diff_warning=True)
            entry["train_py311_unpacking"], entry["eval_py311_unpacking"] = train, eval_
        finally:
            torch.fx.Proxy.__iter__ = original
    return entry


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[2:])
    for name in MODELS:
        if only and name not in only:
            continue
        entry = describe(name)
        with open(out / f"{name}.json", "w") as f:
            json.dump(entry, f, indent=1)
            f.write("\n")
        if entry["train"] is not None:
            nodes = f"{len(entry['train'])} train / {len(entry['eval'])} eval nodes"
        else:
            nodes = (f"not traced ({entry['trace_error'][:40]}...); with unpacking fixed "
                     f"{len(entry['train_py311_unpacking'])} train / "
                     f"{len(entry['eval_py311_unpacking'])} eval nodes")
        print(f"{name}: {entry['parameters']} parameters, {nodes}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
