#!/usr/bin/env python3
"""The Python side of cli/bench/throughput.sh: what a torchvision user writes for
"the layer4 and avgpool features of these images", and the files both sides share.

  throughput.py images DIR N            N generated JPEGs (500 x 375 ... 640 x 480, seeded)
  throughput.py parity-images DIR N     N generated 224 x 224 PNGs (lossless: the same decoded input)
  throughput.py weights FILE            resnet50 with seeded random weights and BN statistics,
                                        saved as torchvision saves its checkpoints (torch.save of
                                        the state dict)
  throughput.py extract --weights FILE --input DIR --output FILE.npz --threads N [--batch B]
                        [--resize R --crop C]
                                        PIL transforms, DataLoader(num_workers=N),
                                        create_feature_extractor(layer4, avgpool), numpy save;
                                        prints one JSON line with the timings
  throughput.py compare FEATUREX.safetensors PYTHON.npz
                                        the two sides' features, row by row (paths must agree)

Needs torch and torchvision (Debian's python3-torch 1.13.1 / python3-torchvision 0.14.1) and numpy.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

# One place for the thread setting of every Python harness (torch and OpenBLAS alike); it imports
# torch, so it is imported where torch is.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../samples/parity"))


def cmd_images(args):
    from PIL import Image

    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(20261201)
    sizes = [(500, 375), (375, 500), (640, 480), (480, 640), (512, 384)]
    for i in range(args.count):
        w, h = sizes[i % len(sizes)]
        # Smooth gradients plus blobs and noise: photo-like work for the JPEG coder and the resizer.
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        base = rng.uniform(0, 255, size=3)
        slope = rng.uniform(-0.4, 0.4, size=(3, 2))
        img = np.stack([base[c] + slope[c, 0] * x + slope[c, 1] * y for c in range(3)], axis=-1)
        for _ in range(8):
            cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(10, 120)
            mask = ((x - cx) ** 2 + (y - cy) ** 2) < r * r
            img[mask] = rng.uniform(0, 255, size=3)
        img += rng.normal(0, 12, size=img.shape)
        pixels = np.clip(img, 0, 255).astype(np.uint8)
        Image.fromarray(pixels, "RGB").save(
            os.path.join(args.dir, "img-%04d.jpg" % i), quality=90
        )


def cmd_parity_images(args):
    from PIL import Image

    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(7)
    for i in range(args.count):
        pixels = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
        Image.fromarray(pixels, "RGB").save(os.path.join(args.dir, "p-%02d.png" % i))


def cmd_weights(args):
    import torch
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet50()
    with torch.no_grad():
        # Statistics near trained ones (mean near 0, variance near 1), so that the features are
        # not all cut to 0 by the ReLUs and every tensor of the file matters.
        for name, buf in model.named_buffers():
            if name.endswith("running_mean"):
                buf.copy_((torch.rand_like(buf) - 0.5) * 0.2)
            elif name.endswith("running_var"):
                buf.copy_(torch.rand_like(buf) * 0.5 + 0.75)
    torch.save(model.state_dict(), args.file)


def list_images(folder):
    exts = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
    found = []
    for root, _, files in os.walk(folder):
        for f in files:
            if f.lower().endswith(exts):
                found.append(os.path.join(root, f))
    return sorted(found)


class Files:
    """A dataset of image paths: PIL's open + convert("RGB"), then the transforms."""

    def __init__(self, paths, transform):
        self.paths = paths
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        from PIL import Image

        with open(self.paths[i], "rb") as f:
            img = Image.open(f).convert("RGB")
        return self.transform(img)


def cmd_extract(args):
    start = time.perf_counter()
    import torch
    import torchvision
    from torchvision import transforms
    from torchvision.models.feature_extraction import create_feature_extractor

    from blas_threads import set_threads

    set_threads(args.threads)
    model = torchvision.models.resnet50()
    model.load_state_dict(torch.load(args.weights))
    model.eval()
    extractor = create_feature_extractor(model, {"layer4": "layer4", "avgpool": "avgpool"})
    # ResNet50_Weights.IMAGENET1K_V1.transforms(): Resize(256, bilinear, antialias), CenterCrop(224)
    preprocess = transforms.Compose(
        [
            transforms.Resize(args.resize),
            transforms.CenterCrop(args.crop),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ]
    )
    paths = list_images(args.input)
    loader = torch.utils.data.DataLoader(
        Files(paths, preprocess),
        batch_size=args.batch,
        num_workers=args.threads,
        shuffle=False,
    )
    ready = time.perf_counter()
    outputs = {"layer4": [], "avgpool": []}
    model_seconds = 0.0
    with torch.no_grad():
        for x in loader:
            t = time.perf_counter()
            out = extractor(x)
            model_seconds += time.perf_counter() - t
            for k in outputs:
                outputs[k].append(out[k].numpy())
    arrays = {k: np.concatenate(v) for k, v in outputs.items()}
    np.savez(args.output, paths=np.array(paths), **arrays)
    end = time.perf_counter()
    print(
        json.dumps(
            {
                "images": len(paths),
                "loop_seconds": end - ready,
                "total_seconds": end - start,
                "model_seconds": model_seconds,
                "images_per_second": len(paths) / (end - ready),
            }
        )
    )


def read_safetensors(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for key, spec in header.items():
        if key == "__metadata__":
            continue
        assert spec["dtype"] == "F32", spec
        begin, end = spec["data_offsets"]
        tensors[key] = np.frombuffer(data[begin:end], dtype="<f4").reshape(spec["shape"])
    return tensors


def cmd_compare(args):
    java = read_safetensors(args.featurex)
    with open(args.featurex + ".paths", encoding="utf-8") as f:
        java_paths = [line.rstrip("\n") for line in f]
    py = np.load(args.python)
    py_paths = [str(p) for p in py["paths"]]
    if [os.path.abspath(p) for p in java_paths] != [os.path.abspath(p) for p in py_paths]:
        sys.exit("the two sides listed different images")
    report = {}
    ok = True
    for key in ("layer4", "avgpool"):
        a = java[key].astype(np.float64)
        b = py[key].astype(np.float64)
        if a.shape != b.shape:
            sys.exit("%s: featurex %s, python %s" % (key, a.shape, b.shape))
        diff = np.abs(a - b)
        scale = np.abs(b).max()
        if scale == 0:
            sys.exit("%s: every feature is 0, a comparison that says nothing" % key)
        close = bool(np.allclose(a, b, rtol=args.rtol, atol=args.atol * scale))
        ok = ok and close
        report[key] = {
            "shape": list(a.shape),
            "max_abs_diff": float(diff.max()),
            "max_abs_value": float(scale),
            "max_rel_to_max": float(diff.max() / scale),
            "allclose": close,
        }
    report["rtol"] = args.rtol
    report["atol_of_max"] = args.atol
    print(json.dumps(report))
    if not ok:
        sys.exit(1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("images")
    s.add_argument("dir")
    s.add_argument("count", type=int)
    s.set_defaults(run=cmd_images)
    s = sub.add_parser("parity-images")
    s.add_argument("dir")
    s.add_argument("count", type=int)
    s.set_defaults(run=cmd_parity_images)
    s = sub.add_parser("weights")
    s.add_argument("file")
    s.set_defaults(run=cmd_weights)
    s = sub.add_parser("extract")
    s.add_argument("--weights", required=True)
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    s.add_argument("--threads", type=int, required=True)
    s.add_argument("--batch", type=int, default=32)
    s.add_argument("--resize", type=int, default=256)
    s.add_argument("--crop", type=int, default=224)
    s.set_defaults(run=cmd_extract)
    s = sub.add_parser("compare")
    s.add_argument("featurex")
    s.add_argument("python")
    s.add_argument("--rtol", type=float, default=1e-4)
    s.add_argument("--atol", type=float, default=1e-5, help="absolute tolerance, times max |value|")
    s.set_defaults(run=cmd_compare)
    args = p.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
