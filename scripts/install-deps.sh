#!/usr/bin/env bash
# Installs, on Debian 12, exactly the packages Quantscope needs that are missing.
# Idempotent: a machine that has everything is left untouched (no apt-get update either).
set -euo pipefail

packages=(
    build-essential cmake pkg-config ccache git clang-format
    # The sanitizer build (make build-asan, make fuzz) is clang's: libFuzzer and the ASan/UBSan
    # runtimes, and OpenMP for clang, which the configure step looks for.
    clang-14 libclang-rt-14-dev libomp-14-dev
    qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools qt6-svg-dev qt6-translations-l10n libgl-dev
    # The Graph page lays out with Graphviz dot (cgraph/gvc).
    libgraphviz-dev
    libprotobuf-dev protobuf-compiler
    libonnx-dev libonnx-testdata python3-onnx python3-numpy python3-pil
    # The model zoo (scripts/export-zoo.py) is exported the way users do it, with PyTorch.
    python3-torch python3-torchvision
    libeigen3-dev
    libdnnl-dev ocl-icd-opencl-dev
    libqcustomplot-dev
    libgtest-dev libgmock-dev
    xvfb xauth
    # make package: dpkg-shlibdeps computes the package's Depends; make package-test validates
    # the desktop entry.
    dpkg-dev desktop-file-utils
    # A CJK font, so the Simplified Chinese interface renders on minimal systems (and under Xvfb).
    fonts-wqy-microhei
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Node.js: some images ship a nodejs package that bundles npm and conflicts with Debian's npm
# package, so ask for the commands, not the package names.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
