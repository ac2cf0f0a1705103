#!/bin/bash
# Runs the libFuzzer target the way ctest's fuzz.libfuzzer does: first every committed regression
# input once, then fuzzing for SECONDS from the ONNX backend-test models (each model.onnx up to
# 64 KB, copied into a scratch corpus). A crash, sanitizer report, leak or 20-second input fails
# it; the input that did it is kept in ARTIFACTS (make it a regression input: see README).
# RUNS > 0 (ctest's default) replaces SECONDS with that many inputs from seed SEED (default 1),
# so a faster machine does not reach further than CI did: two 2-minute CI runs from seed 1 found
# different crashes. libFuzzer is still not bit-exact between runs (two runs of 100,000 added 411
# and 433 corpus entries), so a new find stays possible. A new seed explores new ground.
#   usage: run_fuzzer.sh FUZZER SECONDS REGRESSIONS_DIR ARTIFACTS_DIR [SEED] [RUNS]
set -euo pipefail
fuzzer=$1 seconds=$2 regressions=$3 artifacts=$4 seed=${5:-1} runs=${6:-0}
testdata=/usr/share/libonnx-testdata/data
if [ ! -d "$testdata" ]; then
    echo "run_fuzzer: $testdata is missing (is libonnx-testdata installed?)" >&2
    exit 1
fi
mkdir -p "$artifacts"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
options=(-timeout=20 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1
         -artifact_prefix="$artifacts/")

mapfile -t replays < <(find "$regressions" -type f ! -name '*.md' | sort)
if [ ${#replays[@]} -gt 0 ]; then
    "$fuzzer" "${options[@]}" "${replays[@]}"
fi

corpus=$(mktemp -d /tmp/quantscope-fuzz-corpus.XXXXXX)
trap 'rm -rf "$corpus"' EXIT
while IFS= read -r model; do
    name=${model#"$testdata"/}
    cp "$model" "$corpus/${name//\//_}"
done < <(find "$testdata" -name model.onnx -size -64k)
if [ "$runs" -gt 0 ]; then
    bound=(-runs="$runs")
    echo "run_fuzzer: $(ls "$corpus" | wc -l) seed models, $runs inputs from seed $seed"
else
    bound=(-max_total_time="$seconds")
    echo "run_fuzzer: $(ls "$corpus" | wc -l) seed models, fuzzing for $seconds s from seed $seed"
fi
"$fuzzer" "${options[@]}" -seed="$seed" "${bound[@]}" "$corpus"
