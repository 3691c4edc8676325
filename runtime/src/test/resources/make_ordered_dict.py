"""Writes ordered_dict.pt, the test resource for StateDictTest.orderedDictOfPythonLoads.

It is what `torch.save(model.state_dict(), path)` writes: an OrderedDict, which libtorch's
pickle_load cannot read and featurex's own reader does. Rerun with Debian's
python3-torch (1.13.1) from this directory: /usr/bin/python3 make_ordered_dict.py
"""
import collections

import torch

state = collections.OrderedDict(
    weight=torch.arange(4, dtype=torch.float32).reshape(2, 2),
    bias=torch.zeros(2),
)
torch.save(state, "ordered_dict.pt")
