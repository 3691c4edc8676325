"""Writes the checkpoint files that dev.featurex.runtime.CheckpointFormatsTest reads (no test runs Python).

Rerun from this directory with Debian's python3-torch 1.13.1 (no other package needed):

    /usr/bin/python3 make_checkpoints.py

and commit the files it writes. Each is a few kilobytes. What each holds:

  net_zip.pt             torch.save(net.state_dict()): an OrderedDict with _metadata, the zip format
  net_legacy.pt          the same, _use_new_zipfile_serialization=False (the pre-1.6 format)
  net.safetensors        the same tensors as safetensors, written by hand below (the safetensors
                         package is not installed): 8-byte little-endian header length, JSON, data
  net_expected.txt       every tensor of net as "key dtype shape values...", what Java must read
  dtypes_zip.pt          one tensor per dtype, views sharing one storage (slices, a transpose, a
                         column), a 0-d tensor, an empty one, an nn.Parameter
  dtypes_legacy.pt       the same in the legacy format
  dtypes_big_endian.pt   dtypes_zip.pt's tensors with byteorder "big" and every element byte-swapped
  dtypes.safetensors     the tensors of dtypes_zip.pt made contiguous, as safetensors
  dtypes_expected.txt    every tensor of dtypes_zip.pt, as for net
  training_checkpoint.pt {"epoch", "arch", "state_dict" (keys prefixed "module." as DataParallel
                         saves them), "best_acc1", "optimizer", "scheduler"}: the ImageNet example's
  two_state_dicts.pt     {"model": ..., "model_state_dict": ...}: which one is ambiguous
  whole_model.pt         torch.save(net): a pickled module, which must be refused
"""
import collections
import copy
import json
import os
import struct
import zipfile

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 5)
        self.norm = nn.BatchNorm1d(5)


class Net(nn.Module):
    """StateDictTest.Net: bn, block.proj, block.norm, fc."""

    def __init__(self, classes=4):
        super().__init__()
        self.bn = nn.BatchNorm2d(3)
        self.block = Block()
        self.fc = nn.Linear(5, classes)


def trained_net():
    torch.manual_seed(0)
    net = Net()
    net.train()
    for _ in range(3):
        net.bn(torch.randn(4, 3, 2, 2) * 2)
        net.block.norm(torch.randn(4, 5) + 1)
    return net.eval()


def dtype_tensors():
    torch.manual_seed(1)
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 4
    return collections.OrderedDict(
        [
            ("float32", torch.randn(2, 3)),
            ("float16", torch.randn(3, 2).half()),
            ("bfloat16", torch.randn(4).bfloat16()),
            ("float64", torch.randn(2, 2).double()),
            ("int64", torch.tensor([-(2**40), -1, 0, 7, 2**62])),
            ("int32", torch.tensor([[-5, 6], [2**30, -(2**31)]], dtype=torch.int32)),
            ("int16", torch.tensor([-300, 300, 7], dtype=torch.int16)),
            ("int8", torch.tensor([-128, 0, 127], dtype=torch.int8)),
            ("uint8", torch.tensor([0, 128, 255], dtype=torch.uint8)),
            ("bool", torch.tensor([True, False, True])),
            ("base", base),
            ("rows", base[1:3]),
            ("transposed", base.t()),
            ("column", base[:, 2]),
            ("scalar", torch.tensor(2.5)),
            ("empty", torch.zeros(0, 3)),
            ("parameter", nn.Parameter(torch.ones(2, 2) * 3)),
        ]
    )


SAFETENSORS_DTYPES = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def tensor_bytes(t):
    """The little-endian bytes of t, contiguous (bfloat16 through its int16 view)."""
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(tensors, path):
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for key, t in tensors.items():
        raw = tensor_bytes(t)
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def write_expected(tensors, path):
    with open(path, "w") as f:
        for key, t in tensors.items():
            values = " ".join(repr(v) for v in t.detach().double().flatten().tolist())
            f.write(f"{key} {str(t.dtype)[6:]} {list(t.shape)} {values}".rstrip() + "\n")


def write_big_endian(source, tensors, path):
    """source with byteorder "big" and each storage record byte-swapped (one storage per key)."""
    sizes = {}
    for i, t in enumerate(tensors.values()):
        sizes[str(i)] = t.element_size()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            prefix, _, name = info.filename.partition("/")
            if name == "data.pkl":  # torch 1.13 writes no byteorder record; later versions do
                zout.writestr(prefix + "/byteorder", b"big")
            if name.startswith("data/"):
                size = sizes[name[5:]]
                data = b"".join(data[i:i + size][::-1] for i in range(0, len(data), size))
            zout.writestr(info.filename, data)


def main():
    net = trained_net()
    state = net.state_dict()
    torch.save(state, "net_zip.pt")
    torch.save(state, "net_legacy.pt", _use_new_zipfile_serialization=False)
    write_safetensors(state, "net.safetensors")
    write_expected(state, "net_expected.txt")

    tensors = dtype_tensors()
    torch.save(tensors, "dtypes_zip.pt")
    torch.save(tensors, "dtypes_legacy.pt", _use_new_zipfile_serialization=False)
    write_safetensors(tensors, "dtypes.safetensors")
    write_expected(tensors, "dtypes_expected.txt")
    own = collections.OrderedDict((k, v.detach().clone()) for k, v in tensors.items())
    torch.save(own, "own_storages.pt")
    write_big_endian("own_storages.pt", own, "dtypes_big_endian.pt")
    os.remove("own_storages.pt")
    # torch 1.13 neither writes nor reads the byteorder record (later versions do): the Java test
    # checks this file against dtypes_expected.txt.

    parallel = collections.OrderedDict(("module." + k, v) for k, v in state.items())
    trained = copy.deepcopy(net)  # the optimizer's step must not change state's tensors
    optimizer = torch.optim.SGD(trained.parameters(), lr=0.1, momentum=0.9)
    for p in trained.parameters():
        p.grad = torch.ones_like(p)
    optimizer.step()  # momentum buffers: the optimizer state gets int keys and tensors
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30)
    torch.save({"epoch": 3, "arch": "net", "state_dict": parallel, "best_acc1": torch.tensor(0.5),
                "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
               "training_checkpoint.pt")
    torch.save({"model": state, "model_state_dict": state}, "two_state_dicts.pt")
    torch.save(net, "whole_model.pt")


if __name__ == "__main__":
    main()
