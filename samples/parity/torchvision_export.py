"""Exports what the parity harness compares against, from torchvision (issues 6 and 15).

Usage: /usr/bin/python3 torchvision_export.py DIR [BATCHES]

Writes into DIR, for resnet18 and resnet50 (torch.manual_seed(0), weights from the constructor,
i.e. torchvision's random initialisation, eval mode):
  NAME.pt                 the state dict, saved as a plain dict (what StateDict.load reads)
  NAME_nodes_train.txt    get_graph_node_names(model)[0], one name per line
  NAME_nodes_eval.txt     get_graph_node_names(model)[1]
and for each batch size B of BATCHES (comma-separated, default 1):
  input_bB.pt             {"x": randn(B, 3, 224, 224)} from a generator seeded with 1
  NAME_features_bB.pt     create_feature_extractor(model, layer1..layer4, fc) on that input
  NAME_features64_bB.pt   the same computed in float64: the reference that tells rounding
                          (float32 kernels summing in another order) from a real difference
"""

import copy
import sys
from pathlib import Path

import torch
import torchvision
from torchvision.models.feature_extraction import create_feature_extractor, get_graph_node_names

RETURN_NODES = ["layer1", "layer2", "layer3", "layer4", "fc"]


def export(out: Path, batches) -> None:
    inputs = {}
    for b in batches:
        inputs[b] = torch.randn(b, 3, 224, 224, generator=torch.Generator().manual_seed(1))
        torch.save({"x": inputs[b]}, out / f"input_b{b}.pt")
    for name in ("resnet18", "resnet50"):
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)().eval()
        torch.save(dict(model.state_dict()), out / f"{name}.pt")
        train_nodes, eval_nodes = get_graph_node_names(model)
        (out / f"{name}_nodes_train.txt").write_text("\n".join(train_nodes) + "\n")
        (out / f"{name}_nodes_eval.txt").write_text("\n".join(eval_nodes) + "\n")
        extractor = create_feature_extractor(model, return_nodes=RETURN_NODES).eval()
        extractor64 = create_feature_extractor(copy.deepcopy(model).double(), RETURN_NODES).eval()
        for b, x in inputs.items():
            with torch.no_grad():
                features = extractor(x)
                features64 = extractor64(x.double())
            torch.save({k: v.contiguous() for k, v in features.items()},
                       out / f"{name}_features_b{b}.pt")
            torch.save({k: v.contiguous() for k, v in features64.items()},
                       out / f"{name}_features64_b{b}.pt")
        print(f"torchvision {name}: {len(eval_nodes)} eval nodes, features "
              + ", ".join(f"{k} {list(v.shape[1:])}" for k, v in features.items())
              + f", batches {', '.join(map(str, batches))}")


if __name__ == "__main__":
    export(Path(sys.argv[1]),
           [int(b) for b in (sys.argv[2] if len(sys.argv) > 2 else "1").split(",")])
