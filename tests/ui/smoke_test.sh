#!/usr/bin/env bash
# Starts the real workbench under Xvfb on a model, waits for it to load, saves a screenshot and
# checks it: a window-sized picture with real content (not one flat colour).
#   smoke_test.sh QUANTSCOPE_BINARY MODEL.onnx SCREENSHOT.png
set -euo pipefail
binary=$1 model=$2 screenshot=$3
rm -f "$screenshot"
# A throw-away settings folder: the smoke test must not depend on (or change) the user's.
export XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
unset QT_QPA_PLATFORM
timeout 240 xvfb-run -a -s "-screen 0 1600x1000x24" "$binary" "$model" --screenshot "$screenshot"
/usr/bin/python3 - "$screenshot" <<'PY'
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
width, height = image.size
colours = len(set(image.resize((width // 4, height // 4)).getdata()))
print(f"screenshot {sys.argv[1]}: {width}x{height}, {colours} colours")
assert width >= 800 and height >= 500, "the window is too small"
assert colours >= 16, "the window looks empty"
PY
