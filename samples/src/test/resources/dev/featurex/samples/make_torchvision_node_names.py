"""Regenerates torchvision_node_names.json, the node lists the samples tests compare with.

Usage, from this directory:

    /usr/bin/python3 make_torchvision_node_names.py > torchvision_node_names.json

Needs Debian's python3-torchvision 0.14.1 (with python3-torch 1.13.1). For each model, the
lists are torchvision's own get_graph_node_names(model) on the default constructor: the train
list first, then the eval list. The file is committed, so the tests need no Python.
"""

import json
import subprocess
import sys

import torch
import torchvision
from torchvision.models.feature_extraction import get_graph_node_names

MODELS = ("resnet18", "resnet50")


def node_names() -> dict:
    lists = {}
    for name in MODELS:
        train, evaluation = get_graph_node_names(getattr(torchvision.models, name)())
        lists[name] = {"train": train, "eval": evaluation}
    lists["_source"] = (
        f"get_graph_node_names(model) for the default constructor of each model, by torchvision "
        f"{torchvision.__version__} on torch {torch.__version__} ({debian_packages()}); "
        "regenerate with make_torchvision_node_names.py beside this file."
    )
    return lists


def debian_packages() -> str:
    """The Debian package versions (Debian's torch 1.13.1 calls itself 1.13.0a0)."""
    try:
        return subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${Version}, ", "python3-torchvision", "python3-torch"],
            capture_output=True, text=True, check=True).stdout.rstrip(", ")
    except (OSError, subprocess.CalledProcessError):
        return "not installed from Debian packages"


if __name__ == "__main__":
    json.dump(node_names(), sys.stdout, indent=1)
    sys.stdout.write("\n")
