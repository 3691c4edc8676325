#!/usr/bin/env python3
"""The Python side of images/scripts/bench.sh (see there).

    bench.py make DIR COUNT          # COUNT 640x480 JPEGs (q90, 4:2:0) cut from skimage's photos
    bench.py time DIR THREADS PASSES # prints "torchvision MODE THREADS IMAGES_PER_S IMAGES_PER_CPU_S BEST_PASS"

THREADS 1: a plain loop in this process, torch.set_num_threads(1). THREADS N > 1: a DataLoader with
num_workers=N and batch_size=32 (each worker with one torch thread, as DataLoader sets it). Each
measurement follows one unmeasured pass. CPU time: this process's and its finished children's
(the DataLoader's workers, which end with each pass), user + system.
"""
import os
import resource
import sys
import time

import numpy as np
import skimage.data
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

# One place for the thread setting of every Python harness (torch and OpenBLAS alike).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../samples/parity"))
from blas_threads import set_threads  # noqa: E402

PRESET = T.Compose([
    T.Resize(256),
    T.CenterCrop(224),
    T.ToTensor(),
    T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def make(folder, count):
    os.makedirs(folder, exist_ok=True)
    data = os.path.dirname(skimage.data.__file__)
    photos = [Image.open(os.path.join(data, p + ".png")).convert("RGB")
              for p in ("astronaut", "chelsea", "coffee", "motorcycle_left")]
    rng = np.random.default_rng(0)
    for i in range(count):
        im = photos[i % len(photos)]
        w, h = im.size
        scale = 0.6 + 0.4 * rng.random()
        cw, ch = int(w * scale), int(w * scale * 0.75)
        ch = min(ch, h)
        x, y = rng.integers(0, w - cw + 1), rng.integers(0, h - ch + 1)
        out = im.crop((x, y, x + cw, y + ch)).resize((640, 480), Image.BICUBIC)
        if i % 2:
            out = out.transpose(Image.FLIP_LEFT_RIGHT)
        out.save(os.path.join(folder, "img%04d.jpg" % i), quality=90)


class Files(Dataset):
    def __init__(self, files):
        self.files = files

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        with Image.open(self.files[i]) as im:
            return PRESET(im.convert("RGB"))


def run(files, threads):
    if threads == 1:
        for f in files:
            with Image.open(f) as im:
                PRESET(im.convert("RGB"))
        return len(files)
    n = 0
    for batch in DataLoader(Files(files), batch_size=32, num_workers=threads):
        n += batch.shape[0]
    return n


def timing(folder, threads, passes):
    set_threads(1)
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jpg"))
    run(files, threads)
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    n, best = 0, 0.0
    for _ in range(passes):
        pass_start = time.perf_counter()
        count = run(files, threads)
        best = max(best, count / (time.perf_counter() - pass_start))
        n += count
    wall = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_start
    mode = "direct" if threads == 1 else "dataloader"
    print("torchvision %s %d %.1f %.1f %.1f" % (mode, threads, n / wall, n / cpu, best))


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        timing(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
