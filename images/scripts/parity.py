#!/usr/bin/env python3
"""The Python side of images/scripts/parity.sh (see there).

    parity.py prepare WORK   # the photos and their variants, PIL's decoding, torchvision's tensors
    parity.py report WORK    # compares with what ParityTool wrote in WORK/java and prints a table
"""
import os
import shutil
import sys

import numpy as np
import skimage.data
from PIL import Image
from torchvision import transforms as T

DATA = os.path.dirname(skimage.data.__file__)
PRESET = T.Compose([
    T.Resize(256),
    T.CenterCrop(224),
    T.ToTensor(),
    T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def variants(work):
    """(name, path): skimage's public-domain photos, re-encoded, and its own JPEG/GIF/PNG files."""
    out = []
    src = os.path.join(work, "images")
    os.makedirs(src, exist_ok=True)
    for photo in ("astronaut", "chelsea", "coffee"):
        original = os.path.join(DATA, photo + ".png")
        im = Image.open(original).convert("RGB")
        out.append((photo + "_png", original))
        for label, kwargs in (("q95", dict(quality=95)), ("q75", dict(quality=75)),
                              ("q90_444", dict(quality=90, subsampling=0)),
                              ("q85_progressive", dict(quality=85, progressive=True))):
            path = os.path.join(src, "%s_%s.jpg" % (photo, label))
            im.save(path, **kwargs)
            out.append((photo + "_" + label, path))
        gray = os.path.join(src, photo + "_gray_q90.jpg")
        im.convert("L").save(gray, quality=90)
        out.append((photo + "_gray_q90", gray))
        cmyk = os.path.join(src, photo + "_cmyk_q90.jpg")
        im.convert("CMYK").save(cmyk, quality=90)
        out.append((photo + "_cmyk_q90", cmyk))
    for extra in ("rocket.jpg", "retina.jpg", "hubble_deep_field.jpg", "motorcycle_left.png",
                  "logo.png", "palette_color.png", "no_time_for_that_tiny.gif", "truncated.jpg"):
        out.append((extra.replace(".", "_"), os.path.join(DATA, extra)))
    return out


def prepare(work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "pil"))
    os.makedirs(os.path.join(work, "torchvision"))
    lines = []
    for name, path in variants(work):
        try:
            with Image.open(path) as im:
                rgb = im.convert("RGB")
        except Exception as e:  # what PIL says about a bad file
            with open(os.path.join(work, "pil", name + ".error"), "w") as f:
                f.write("%s: %s" % (type(e).__name__, e))
            lines.append("\t".join([name, path, "0", "0"]))
            continue
        with open(os.path.join(work, "pil", name + ".rgb"), "wb") as f:
            f.write(np.asarray(rgb).tobytes())
        PRESET(rgb).numpy().astype("<f4").tofile(os.path.join(work, "torchvision", name + ".f32"))
        lines.append("\t".join([name, path, str(rgb.width), str(rgb.height)]))
    with open(os.path.join(work, "list.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def stats(a, b):
    d = np.abs(a.astype(np.float64) - b.astype(np.float64)).ravel()
    return d.max(), np.percentile(d, 99.9, method="higher")


def report(work):
    print("| image | decoded RGB vs PIL: max, pixels differing | decode+preprocess vs torchvision:"
          " max, p99.9 | resampling alone (PIL's pixels): max, p99.9 |")
    print("| --- | --- | --- | --- |")
    worst = 0.0
    failed = []
    for line in open(os.path.join(work, "list.txt")).read().split("\n"):
        if not line:
            continue
        name = line.split("\t")[0]
        j = lambda suffix: os.path.join(work, "java", name + suffix)
        p = os.path.join(work, "pil", name)
        if os.path.exists(p + ".error") or os.path.exists(j(".error")):
            pil = open(p + ".error").read() if os.path.exists(p + ".error") else "decodes"
            java = open(j(".error")).read() if os.path.exists(j(".error")) else "decodes"
            print("| %s | PIL: %s; featurex: %s | | |" % (name, pil, java))
            if (pil == "decodes") != (java == "decodes"):
                failed.append(name)
            continue
        mine = np.fromfile(j(".rgb"), np.uint8)
        theirs = np.fromfile(p + ".rgb", np.uint8)
        d = np.abs(mine.astype(int) - theirs.astype(int)).reshape(-1, 3).max(1)
        tv = np.fromfile(os.path.join(work, "torchvision", name + ".f32"), "<f4")
        full = stats(np.fromfile(j(".f32"), "<f4"), tv)
        resample = stats(np.fromfile(j(".resample.f32"), "<f4"), tv)
        worst = max(worst, full[1])
        if full[1] > 0.02:
            failed.append(name)
        print("| %s | %d, %.2f%% | %.3g, %.3g | %.3g, %.3g |" % (
            name, d.max(), 100.0 * (d > 0).mean(), full[0], full[1], resample[0], resample[1]))
    print()
    print("worst p99.9 |diff|: %.4f (goal: <= 0.02)%s" % (
        worst, "; FAILED: " + ", ".join(failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    else:
        sys.exit(report(sys.argv[2]))
