#!/usr/bin/env python3
"""Generates the CI parity data of the images module: small images in every format and pixel layout
the decoder reads, and torchvision's preprocessed tensors for them, stored once as test resources.

    python3 images/scripts/make_test_images.py    # from the repository root; rewrites the directory

Needs Debian's python3-torchvision 0.14.1 and python3-pil 9.4.0 (the versions the expected values
were made with). Output: images/src/test/resources/dev/featurex/images/reference/
  - the images (deterministic: seeded noise on gradients and shapes);
  - cases.txt: one case per line, tab-separated: name, image, resize ("S" for the shorter side or
    "HxW"), crop ("HxW"), interpolation, mean (3 comma-separated), std, lossless (1 when the image
    decodes exactly the same in any correct decoder: PNG, BMP, GIF), expected file;
  - one .f32.gz per case: torchvision's output (3 x H x W float32, little-endian, gzip), computed as
    T.Compose([T.Resize(...), T.CenterCrop(...), T.ToTensor(), T.Normalize(...)]) on
    Image.open(path).convert("RGB"), torchvision's ImageFolder loader.
"""
import gzip
import os
import struct
import zlib

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src/test/resources/dev/featurex/images/reference")
IMAGENET = ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
MODES = {
    "NEAREST": T.InterpolationMode.NEAREST,
    "BILINEAR": T.InterpolationMode.BILINEAR,
    "BICUBIC": T.InterpolationMode.BICUBIC,
    "BOX": T.InterpolationMode.BOX,
    "HAMMING": T.InterpolationMode.HAMMING,
    "LANCZOS": T.InterpolationMode.LANCZOS,
}


def photo(width, height, seed):
    """A photo-like RGB array: gradients, a disc, stripes, a sharp edge, and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 255 * x / (width - 1)
    g = 255 * y / (height - 1)
    b = 128 + 100 * np.sin(x / 3.0) * np.cos(y / 5.0)
    disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (min(width, height) * 0.3) ** 2
    r = np.where(disc, 250, r)
    g = np.where(disc, 30, g)
    b = np.where(x < width // 5, 0, b)
    arr = np.stack([r, g, b], -1) + rng.normal(0, 6, (height, width, 3))
    return np.clip(np.round(arr), 0, 255).astype(np.uint8)


def png16(path, a16, color):
    """Writes a 16-bit PNG (gray when color is False) by hand: PIL cannot write 16-bit RGB."""
    h, w = a16.shape[:2]
    rows = a16.reshape(h, -1).astype(">u2")
    raw = b"".join(b"\x00" + rows[r].tobytes() for r in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2 if color else 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


def icc_profile():
    """A small ICC v2 RGB display profile, not sRGB (Display-P3-like primaries, gamma 2.2): the
    kind phones embed. PIL ignores embedded profiles; ImageIO's JPEG readers convert to sRGB."""
    def s15(v):
        return struct.pack(">i", int(round(v * 65536)))

    def xyz(x, y, z):
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    def curve(gamma):
        return b"curv" + bytes(4) + struct.pack(">IH", 1, int(round(gamma * 256))) + bytes(2)

    text = b"featurex test profile\0"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve(2.2)), (b"gTRC", curve(2.2)), (b"bTRC", curve(2.2)),
        (b"cprt", b"text" + bytes(4) + b"public domain\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        data += bytes(-(offset + len(data)) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    body = struct.pack(">I", len(tags)) + table + data
    header = (struct.pack(">I", 128 + len(body)) + b"none" + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + bytes(12) + b"acspAPPL" + bytes(24) + bytes(4)
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"none" + bytes(44))
    return header + body


def gif_on_larger_screen(path, image, transparency):
    """A GIF whose first frame covers part of its logical screen only (PIL writes full frames, so
    the screen size and the frame's offset are patched in)."""
    kwargs = {} if transparency is None else {"transparency": transparency}
    image.save(path, background=3, **kwargs)
    data = bytearray(open(path, "rb").read())
    data[6:10] = struct.pack("<HH", image.width + 9, image.height + 6)
    flags = data[10]
    i = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while data[i] != 0x2C:  # skip extension blocks up to the image descriptor
        i += 2
        while data[i]:
            i += data[i] + 1
        i += 1
    data[i + 1:i + 5] = struct.pack("<HH", 5, 2)
    open(path, "wb").write(bytes(data))


def make_images():
    base = Image.fromarray(photo(60, 40, 1))
    base.save(os.path.join(OUT, "photo.png"), optimize=True)
    base.save(os.path.join(OUT, "photo_q90.jpg"), quality=90)
    base.save(os.path.join(OUT, "photo_q75_progressive.jpg"), quality=75, progressive=True)
    base.save(os.path.join(OUT, "photo_q95_444.jpg"), quality=95, subsampling=0)
    base.save(os.path.join(OUT, "photo_icc.jpg"), quality=90, icc_profile=icc_profile())
    Image.fromarray(photo(30, 22, 5)).save(os.path.join(OUT, "photo.bmp"))
    tall = Image.fromarray(photo(31, 45, 2))
    tall.convert("L").save(os.path.join(OUT, "gray.jpg"), quality=90)
    tall.convert("CMYK").save(os.path.join(OUT, "cmyk.jpg"), quality=90)
    pal = base.convert("P", palette=Image.ADAPTIVE, colors=24)
    pal.save(os.path.join(OUT, "palette_transparent.png"), transparency=3)
    pal.save(os.path.join(OUT, "palette.gif"))
    pal.save(os.path.join(OUT, "palette.bmp"))
    part = Image.fromarray(photo(20, 14, 6)).convert("P", palette=Image.ADAPTIVE, colors=16)
    gif_on_larger_screen(os.path.join(OUT, "gif_offset.gif"), part, None)
    gif_on_larger_screen(os.path.join(OUT, "gif_offset_transparent.gif"), part, 5)
    rgba = tall.copy()
    rgba.putalpha(Image.fromarray(photo(31, 45, 3)[..., 1]))
    rgba.save(os.path.join(OUT, "rgba.png"))
    small = photo(30, 22, 4).astype(np.uint16)
    png16(os.path.join(OUT, "rgb16.png"), small * 257 + 129, True)
    png16(os.path.join(OUT, "gray16.png"), small[..., 1] * 2, False)  # PIL clips mode I at 255
    base.convert("1").save(os.path.join(OUT, "bilevel.png"))


def cases():
    """(name, image, resize, crop, interpolation, mean, std)."""
    small = ("18", "16x16")
    out = [
        ("photo_png_bilinear", "photo.png", "32", "24x26", "BILINEAR"),
        ("photo_png_upscale", "photo.png", "60", "16x20", "BILINEAR"),
        ("photo_png_pad", "photo.png", "12x40", "16x36", "BILINEAR"),
        ("photo_png_exact_size", "photo.png", "50", "12x31", "BILINEAR"),
        ("photo_png_height_only", "photo.png", "30x60", "12x41", "BILINEAR"),
        ("photo_png_imagenet", "photo.png", "256", "224x224", "BILINEAR"),
    ]
    for mode in ("NEAREST", "BICUBIC", "BOX", "HAMMING", "LANCZOS"):
        out.append(("photo_png_" + mode.lower(), "photo.png", "19", "15x17", mode))
    for image in ("photo_q90.jpg", "photo_q75_progressive.jpg", "photo_q95_444.jpg",
                  "photo_icc.jpg", "photo.bmp",
                  "gray.jpg", "cmyk.jpg", "palette_transparent.png", "palette.gif", "palette.bmp",
                  "gif_offset.gif", "gif_offset_transparent.gif",
                  "rgba.png", "rgb16.png", "gray16.png", "bilevel.png"):
        name = image.replace(".", "_")
        out.append((name, image) + small + ("BILINEAR",))
    result = [c + IMAGENET for c in out]
    result.append(("photo_png_custom_norm", "photo.png", "36", "16x16", "BILINEAR",
                   (0.5, 0.25, 0.125), (0.5, 0.125, 0.0625)))
    return result


def size(text):
    return [int(v) for v in text.split("x")]


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    make_images()
    lines = []
    for name, image, resize, crop, mode, mean, std in cases():
        transform = T.Compose([
            T.Resize(size(resize), interpolation=MODES[mode]),
            T.CenterCrop(size(crop)),
            T.ToTensor(),
            T.Normalize(mean, std),
        ])
        with Image.open(os.path.join(OUT, image)) as im:
            tensor = transform(im.convert("RGB"))
        step = 16 if crop == "224x224" else 1
        tensor = tensor[:, ::step, ::step].contiguous()
        expected = name + ".f32.gz"
        with gzip.GzipFile(os.path.join(OUT, expected), "wb", mtime=0) as f:
            f.write(tensor.numpy().astype("<f4").tobytes())
        lossless = 0 if image.endswith(".jpg") else 1
        lines.append("\t".join([name, image, resize, crop, mode, ",".join(map(repr, mean)),
                                ",".join(map(repr, std)), str(lossless), expected, str(step)]))
    with open(os.path.join(OUT, "cases.txt"), "w") as f:
        f.write("# made by images/scripts/make_test_images.py with torchvision %s, torch %s, PIL %s\n"
                % (torchvision.__version__, torch.__version__, Image.__version__))
        f.write("\n".join(lines) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("%d cases, %d files, %d bytes in %s" % (len(lines), len(os.listdir(OUT)), total, OUT))


if __name__ == "__main__":
    main()
