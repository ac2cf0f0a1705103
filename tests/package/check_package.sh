#!/usr/bin/env bash
# Checks that the Debian package is complete, without installing it or starting a container:
# its Depends names Debian packages, and every library the two programs link comes from one of
# them; unpacked into a scratch root, both programs find their libraries, quantscope-cli runs a
# model, the GUI opens it under Xvfb and saves a screenshot, and the desktop entry, the icon and
# the Chinese translation are in place.
#   check_package.sh quantscope_VERSION_ARCH.deb [MODEL.onnx]
# MODEL defaults to the PaddleOCR det model that scripts/fetch-test-assets.sh fetches.
set -euo pipefail

deb=$(realpath "$1")
model=${2:-${QS_CACHE_DIR:-$HOME/.cache/quantscope}/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$model" ]; then
    echo "check_package: no model at $model (make assets fetches it)" >&2
    exit 2
fi

failures=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

root=$(mktemp -d)
# A throw-away settings folder: the language preference of the user's settings must not count.
export XDG_CONFIG_HOME=$root/config
trap 'rm -rf "$root"' EXIT
unset LD_LIBRARY_PATH QT_QPA_PLATFORM

echo "== $deb"
dpkg-deb -f "$deb" Package Version Architecture Installed-Size Depends Recommends
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
# "libqt6core6 (>= 6.4.2), libc6 (>= 2.34) | foo" -> one package name per line
depends_names=$(tr ',|' '\n\n' <<<"$depends" | sed -E 's/\(.*\)//; s/^ +//; s/ +$//' | sed '/^$/d')

echo "== Depends"
for wanted in libqt6core6 libqt6gui6 libqt6widgets6 libdnnl libprotobuf libonnx libgomp1; do
    if grep -q "^$wanted" <<<"$depends_names"; then
        pass "Depends has $(grep "^$wanted" <<<"$depends_names" | head -1)"
    else
        fail "Depends has no $wanted*"
    fi
done

dpkg -x "$deb" "$root"
bin=$root/usr/bin

# Which package owns a library ldd resolved; with merged /usr, dpkg may know it under /lib or
# /usr/lib, and by its symlink or its target.
owner_of() {
    local path=$1 candidate
    for candidate in "$path" "$(realpath "$path")" "/usr${path#/usr}" "${path#/usr}"; do
        dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 && return 0
    done
    return 1
}

echo "== Libraries"
for program in quantscope quantscope-cli; do
    [ -x "$bin/$program" ] || { fail "usr/bin/$program is missing"; continue; }
    libraries=$(ldd "$bin/$program")
    if grep -q "not found" <<<"$libraries"; then
        fail "$program: $(grep "not found" <<<"$libraries" | tr -s ' \t' ' ')"
    else
        pass "$program: ldd finds all $(wc -l <<<"$libraries") libraries"
    fi
    # Every library the program links directly must come from a package Depends names.
    needed_all=$(readelf -d "$bin/$program" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p')
    unlisted=0
    for needed in $needed_all; do
        path=$(awk -v lib="$needed" '$1 == lib { print $3 }' <<<"$libraries")
        [ -n "$path" ] && [ "$path" != "not" ] || continue # reported above
        package=$(owner_of "$path" || echo "?")
        if ! grep -qx "$package" <<<"$depends_names"; then
            fail "$program needs $needed ($path, package $package), which Depends does not list"
            unlisted=$((unlisted + 1))
        fi
    done
    [ "$unlisted" -gt 0 ] \
        || pass "$program: the $(wc -w <<<"$needed_all") libraries it links come from Depends"
done

echo "== quantscope-cli"
first_line=$("$bin/quantscope-cli" --version | head -1) || first_line="(exit code $?)"
if [ "$first_line" = "quantscope-cli $version" ]; then
    pass "quantscope-cli --version: $first_line"
else
    fail "quantscope-cli --version printed '$first_line', expected 'quantscope-cli $version'"
fi
if "$bin/quantscope-cli" run "$model" --random --shape x=1x3x640x640 --warmup 0 --iterations 1 \
    --output-dir "$root/run" >"$root/run.log" 2>&1 && ls "$root/run"/*.npy >/dev/null 2>&1; then
    pass "quantscope-cli run $(basename "$model"): $(ls "$root/run" | tr '\n' ' ')"
else
    fail "quantscope-cli run $(basename "$model"): $(tail -3 "$root/run.log")"
fi

echo "== Desktop integration"
desktop=$root/usr/share/applications/quantscope.desktop
icon=$root/usr/share/icons/hicolor/scalable/apps/quantscope.svg
[ -f "$desktop" ] && pass "usr/share/applications/quantscope.desktop" || fail "no desktop entry"
[ -s "$icon" ] && pass "usr/share/icons/hicolor/scalable/apps/quantscope.svg" || fail "no icon"
if [ -f "$desktop" ]; then
    grep -qx "Icon=quantscope" "$desktop" || fail "the desktop entry names another icon"
    exec_program=$(sed -nE 's/^Exec=([^ ]+).*/\1/p' "$desktop")
    [ -x "$bin/$exec_program" ] || fail "the desktop entry runs '$exec_program', not in usr/bin"
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$desktop" && pass "desktop-file-validate" \
            || fail "desktop-file-validate"
    else
        echo "skip  desktop-file-validate (desktop-file-utils not installed)"
    fi
fi

echo "== ONNX Runtime runners"
# Found by the binaries in ../share/quantscope/runners from usr/bin (core/compare/external_runtime).
for runner in quantscope-ort-runner.js quantscope-ort-runner.py; do
    [ -x "$root/usr/share/quantscope/runners/$runner" ] \
        && pass "usr/share/quantscope/runners/$runner" \
        || fail "usr/share/quantscope/runners/$runner is missing or not executable"
done

# The translations are compiled into the binary (:/i18n/quantscope_zh_CN.qm), so there is no .qm
# file to find in the package: ask the installed program for its Chinese help text instead.
echo "== Translations"
help_zh=$(LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN QT_QPA_PLATFORM=offscreen \
    "$bin/quantscope" --help 2>&1 || true)
if grep -q "检查并量化 ONNX 模型" <<<"$help_zh"; then
    pass "quantscope --help in zh_CN is Chinese ($(grep -m1 "检查并量化" <<<"$help_zh"))"
else
    fail "quantscope --help in zh_CN is not translated: $(head -2 <<<"$help_zh")"
fi

echo "== GUI under Xvfb"
if bash "$here/../ui/smoke_test.sh" "$bin/quantscope" "$model" "$root/screenshot.png"; then
    pass "quantscope --screenshot: $(stat -c %s "$root/screenshot.png") bytes of PNG"
else
    fail "quantscope --screenshot"
fi

if [ "$failures" -gt 0 ]; then
    echo "check_package: $failures problem(s) in $(basename "$deb")"
    exit 1
fi
echo "check_package: $(basename "$deb") is complete"
