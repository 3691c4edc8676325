"""Python's side of the checkpoint harness (issue 13); run by checkpoints.sh, the Java side is
dev.featurex.samples.parity.CheckpointParity.

Usage:
  /usr/bin/python3 checkpoints_python.py export DIR
      For resnet18 and resnet50 (torch.manual_seed(0), torchvision's initialisation, eval):
        NAME_zip.pt          torch.save(model.state_dict()): an OrderedDict, the zip format
        NAME_legacy.pt       the same with _use_new_zipfile_serialization=False (pre-1.6 format)
        NAME.safetensors     the same tensors as safetensors, written by write_safetensors below:
                             the safetensors package is not installed here (and PyPI is not
                             reachable), and its format is an 8-byte little-endian header length,
                             a JSON header and the raw little-endian data
        NAME_features.pt     create_feature_extractor(model, layer1..4 + fc)(x), a plain dict
      and input.pt, {"x": randn(1, 3, 224, 224)} from a generator seeded with 1.
  /usr/bin/python3 checkpoints_python.py roundtrip DIR
      Loads what Java saved (NAME_java.pt with torch.load(weights_only=True), NAME_java.safetensors
      with read_safetensors) into torchvision's model, strictly, and checks every tensor equal to
      the exported state dict and the features equal to NAME_features.pt. Exit status 1 on a failure.
  /usr/bin/python3 checkpoints_python.py time DIR THREADS REPS WARMUP ROUND
      Times, per thread count, file and model, torch.load(file) + model.load_state_dict(...) (for
      safetensors, read_safetensors(file) + load_state_dict: the baseline we can run here in
      place of safetensors.torch.load_file); appends "python,model,format,threads,round,ms,cpu_ms"
      lines to DIR/checkpoint_timings.csv: wall time and the process's CPU time (all threads); the
      warm-up loads' "python,model,format,threads,round,index,ms" to DIR/checkpoint_warmup.csv.
"""

import collections
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision
from torchvision.models.feature_extraction import create_feature_extractor

from blas_threads import set_threads

MODELS = ("resnet18", "resnet50")
FORMATS = {"zip": "_zip.pt", "legacy": "_legacy.pt", "safetensors": ".safetensors"}
RETURN_NODES = ["layer1", "layer2", "layer3", "layer4", "fc"]
CODES = {torch.float32: "F32", torch.float16: "F16", torch.float64: "F64", torch.int64: "I64",
         torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}
NUMPY = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64,
         "I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def write_safetensors(tensors, path):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for key, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[key] = {"dtype": CODES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for raw in chunks:
            f.write(raw)


def read_safetensors(path):
    """Reads a safetensors file strictly (the format's rules), one bulk read, no copies per tensor."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    body = memoryview(data)[8 + length:]
    out, end = collections.OrderedDict(), 0
    for key, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{key}: the tensors do not tile the data"
        end = stop
        array = np.frombuffer(body[begin:stop], dtype=NUMPY[info["dtype"]])
        out[key] = torch.from_numpy(array.copy()).reshape(info["shape"])
    assert end == len(body), "data past the last tensor"
    return out


def load(path):
    return read_safetensors(path) if str(path).endswith(".safetensors") else torch.load(path)


def model_for(name):
    torch.manual_seed(0)
    return getattr(torchvision.models, name)().eval()


def features(model, x):
    with torch.no_grad():
        out = create_feature_extractor(model, return_nodes=RETURN_NODES).eval()(x)
    return {k: v.contiguous() for k, v in out.items()}


def export(out: Path):
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    torch.save({"x": x}, out / "input.pt")
    for name in MODELS:
        model = model_for(name)
        state = model.state_dict()
        torch.save(state, out / f"{name}_zip.pt")
        torch.save(state, out / f"{name}_legacy.pt", _use_new_zipfile_serialization=False)
        write_safetensors(state, out / f"{name}.safetensors")
        torch.save(features(model, x), out / f"{name}_features.pt")
        size = (out / f"{name}_zip.pt").stat().st_size
        print(f"torchvision {name}: {len(state)} tensors, zip archive {size / 1e6:.1f} MB")


def roundtrip(out: Path) -> bool:
    x = torch.load(out / "input.pt")["x"]
    ok = True
    for name in MODELS:
        expected = model_for(name).state_dict()
        reference = torch.load(out / f"{name}_features.pt")
        for suffix, read in ((".pt", lambda p: torch.load(p, weights_only=True)),
                             (".safetensors", read_safetensors)):
            path = out / f"{name}_java{suffix}"
            state = read(path)
            model = getattr(torchvision.models, name)().eval()
            model.load_state_dict(state)  # strict
            equal = all(torch.equal(state[k], v) for k, v in expected.items())
            got = features(model, x)
            same = all(torch.equal(got[k], reference[k]) for k in RETURN_NODES)
            ok &= equal and same
            loader = "torch.load(weights_only=True)" if suffix == ".pt" else "read_safetensors"
            print(f"python {loader} of Java's {path.name}: strict load_state_dict ok, "
                  f"{len(state)} tensors {'equal' if equal else 'DIFFER'}, "
                  f"features {'equal' if same else 'DIFFER'}")
    return ok


def time_loads(out: Path, threads: str, reps: int, warmup: int, round_: int):
    """Warms up on every file first (the allocator's state after a load of the larger model makes
    later loads several times faster, for both sides), then times. The warm-up loads go to
    checkpoint_warmup.csv, for the report's first load of each file in a process."""
    lines, warmups = [], []
    models = {name: getattr(torchvision.models, name)().eval() for name in MODELS}
    for n in (int(t) for t in threads.split(",")):
        set_threads(n)  # torch and OpenBLAS, as the Java side (blas_threads.py)
        for timed in (False, True):
            for name, model in models.items():
                for fmt, suffix in FORMATS.items():
                    path = out / f"{name}{suffix}"
                    for index in range(reps if timed else warmup):
                        start, cpu = time.perf_counter(), time.process_time()
                        model.load_state_dict(load(path))
                        ms = (time.perf_counter() - start) * 1000
                        cpu_ms = (time.process_time() - cpu) * 1000
                        cell = f"python,{name},{fmt},{n},{round_}"
                        if timed:
                            lines.append(f"{cell},{ms:.3f},{cpu_ms:.3f}\n")
                        else:
                            warmups.append(f"{cell},{index},{ms:.3f}\n")
    with open(out / "checkpoint_timings.csv", "a") as f:
        f.writelines(lines)
    with open(out / "checkpoint_warmup.csv", "a") as f:
        f.writelines(warmups)


if __name__ == "__main__":
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "export":
        export(directory)
    elif command == "roundtrip":
        sys.exit(0 if roundtrip(directory) else 1)
    elif command == "time":
        time_loads(directory, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit(f"unknown command {command}")
