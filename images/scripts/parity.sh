#!/usr/bin/env bash
# Parity of the images module with torchvision's preprocessing on real photos (not part of CI):
#
#   images/scripts/parity.sh          # from anywhere; prints a table (docs/images.md has one)
#
# Needs Debian's python3-torchvision and python3-skimage (skimage ships the public-domain photos).
# For each photo (astronaut, chelsea, coffee as PNG, re-encoded as JPEG q95, q75, q90 4:4:4, q85
# progressive, grayscale and CMYK JPEG; and skimage's own JPEG, PNG and GIF files), compares:
#   - the decoded RGB with PIL's Image.open(f).convert("RGB");
#   - decode + ImageNet preprocessing with torchvision's Resize(256), CenterCrop(224), ToTensor,
#     Normalize on PIL (goal: p99.9 |diff| <= 0.02);
#   - the preprocessing alone, run on PIL's decoded pixels (so decoding differences drop out).
# KEEP=1 keeps the working directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c "import torchvision, skimage" 2>/dev/null; then
  echo "needs python3-torchvision and python3-skimage (apt-get install -y python3-torchvision python3-skimage)" >&2
  exit 2
fi
echo "building the images module ..." >&2
cp=$("$here/classpath.sh")
work=$(mktemp -d -t featurex-images-parity.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then echo "files in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
"$py" "$here/parity.py" prepare "$work"
java -cp "$cp" dev.featurex.images.harness.ParityTool "$work"
"$py" -c "import torchvision, PIL; print('torchvision', torchvision.__version__, 'PIL', PIL.__version__)"
java -version 2>&1 | head -1
"$py" "$here/parity.py" report "$work"
