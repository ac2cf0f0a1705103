#!/usr/bin/python3
"""Structured mutations of real models, replayed through every CLI command: every corrupted model
must give a clean answer (exit 0, or exit 2 with one line on stderr naming the file), never a
signal, a sanitizer report, an internal error (exit 1), a hang or a file left behind.

The mutations (tests/fuzz/mutations.py) are the classes hostile or broken exports produce:
attributes zero, negative, huge or of the wrong type; graph outputs produced by no node; unknown
ops and domains; cycles and duplicate outputs; wrong arities; missing or absurd opset imports;
initializers whose bytes disagree with their dims; declared shapes that disagree with the data;
Reshape/Concat/Gather with impossible shapes; Loops of 2^40 iterations; input shapes that would
need terabytes; names with bytes that are not UTF-8; truncated files and random byte flips. Each
is seeded, so a failure replays; the named regression models (mutations.REGRESSIONS) are the ones
that once crashed, and always run.

A run still going after --timeout seconds gets SIGINT, as a user's Ctrl-C: it must then stop
within --grace seconds with exit 130 (cancelled) and leave no file; only a run that ignores it
is a hang. That is how a model that would compute for days (a Loop of 2^40 iterations) passes.

usage: mutate_models.py CLI_BINARY [--seeds N] [--commands inspect,run,...] [--jobs N]
                        [--keep DIR] [--verbose]
"""
import argparse
import concurrent.futures
import copy
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx  # noqa: E402

import mutations  # noqa: E402

TESTDATA = "/usr/share/libonnx-testdata/data/node"
# Small real models of the families whose attributes the summary and the engine read (window
# ops divide by strides and group; Reshape/Concat/Gather compute shapes; Loop and If run
# subgraphs).
SEED_MODELS = [
    "test_conv_with_strides_padding", "test_convtranspose", "test_maxpool_2d_pads",
    "test_averagepool_2d_strides", "test_gemm_all_attributes", "test_reshape_reordered_all_dims",
    "test_concat_2d_axis_0", "test_gather_0", "test_batchnorm_example", "test_lstm_defaults",
    "test_resize_upsample_scales_nearest", "test_split_equal_parts_1d", "test_slice",
    "test_depthtospace_example", "test_lrn", "test_instancenorm_example", "test_matmul_2d",
    "test_globalaveragepool", "test_transpose_default", "test_einsum_batch_matmul",
    "test_loop11", "test_if",
]
COMMANDS = ["inspect", "run", "quantize-dynamic", "quantize-fp16", "quantize-static"]
# Sanitizer reports exit with this code (and leaks at exit too), so they cannot pass as exit 1/2.
SANITIZER_EXIT = 86
SANITIZER_OPTIONS = {
    "ASAN_OPTIONS": f"exitcode={SANITIZER_EXIT}:detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": f"exitcode={SANITIZER_EXIT}:print_stacktrace=1:halt_on_error=1",
    "LSAN_OPTIONS": f"exitcode={SANITIZER_EXIT}",
}


def load_model(name):
    path = os.path.join(TESTDATA, name, "model.onnx")
    if not os.path.exists(path):
        sys.exit(f"mutate_models: {path} is missing (is libonnx-testdata installed?)")
    return onnx.load(path)


def cases(seeds, count, rng):
    for index in range(count):
        name, base = seeds[index % len(seeds)]
        model = copy.deepcopy(base)
        if rng.random() < 0.8:
            mutation = mutations.STRUCTURED[index % len(mutations.STRUCTURED)]
            what = mutation(model, rng)
            if what is None:
                continue
            data = mutations.serialize(model)
        else:
            data, what = mutations.mutate_bytes(mutations.serialize(model), rng)
        yield f"{index:04d}-{name}", what, data


def regression_cases():
    for name, (seed, breaks) in mutations.REGRESSIONS.items():
        model = load_model(seed)
        breaks(model)
        yield f"regression-{name}", name.replace("_", " "), mutations.serialize(model)


def command_line(cli, command, model, out_dir):
    output = os.path.join(out_dir, "q.onnx")
    if command == "inspect":
        return [cli, "inspect", "--json", model]
    if command == "run":
        return [cli, "run", model, "--random", "--warmup", "0", "--iterations", "1",
                "--output-dir", os.path.join(out_dir, "outputs")]
    if command == "quantize-dynamic":
        return [cli, "quantize", model, "-o", output, "--mode", "dynamic"]
    if command == "quantize-fp16":
        return [cli, "quantize", model, "-o", output, "--mode", "fp16"]
    if command == "quantize-static":
        # no --calib-dir: calibrated on random inputs
        return [cli, "quantize", model, "-o", output, "--mode", "static", "--calib-samples", "2"]
    raise ValueError(command)


def run_once(args, timeout, grace):
    """(exit code, stderr, interrupted); exit code "hang" when SIGINT did not stop it."""
    env = dict(os.environ, **SANITIZER_OPTIONS)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        _, stderr = process.communicate(timeout=timeout)
        return process.returncode, stderr, False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=grace)
        return process.returncode, stderr, True
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return "hang", b"", True


# The CLI's progress lines ("[3/16] calibrating"), printed every 5 s of a long job when stderr is
# not a terminal; a slow sanitizer build prints them before its one error line.
PROGRESS_LINE = re.compile(r"^\[\d+/\d+\] ")


def judge(path, out_dir, code, stderr, interrupted):
    text = stderr.decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if not PROGRESS_LINE.match(line)]
    if code == "hang":
        return "hang: still running after SIGINT"
    if "Sanitizer" in text or "runtime error:" in text or code == SANITIZER_EXIT:
        return "sanitizer report: " + next((l for l in lines if "ERROR" in l or "runtime error"
                                            in l), lines[-1] if lines else "")
    # After SIGINT, 130 (cancelled), SIGINT's default action (a run still starting up had no
    # handler yet) or the answer it was about to give anyway (0, or 2 with its one line; a slow
    # machine's run may be past its last cancellation point) all mean it did not hang.
    stopped_by_sigint = interrupted and code == -signal.SIGINT
    if code < 0 and not stopped_by_sigint:
        return f"signal {signal.Signals(-code).name}"
    if code == 1:
        return "internal error"
    if code not in (0, 2, 130) and not stopped_by_sigint:
        return f"exit {code}"
    if code == 2 and len(lines) != 1:
        return f"{len(lines)} lines on stderr"
    if code == 2 and os.path.basename(path) not in text:
        return "the message does not name the file"
    if code != 0:
        left = [f for f in os.listdir(out_dir) if f != "outputs" or os.listdir(
            os.path.join(out_dir, "outputs"))]
        if left:
            return f"left behind {left}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--seeds", type=int, default=220, help="number of mutated models")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--no-regressions", action="store_true")
    parser.add_argument("--timeout", type=float, default=20,
                        help="seconds before a run gets SIGINT")
    parser.add_argument("--grace", type=float, default=60,
                        help="seconds a run may take to stop after SIGINT")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", help="copy failing models here")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = [(name, load_model(name)) for name in SEED_MODELS]
    commands = args.commands.split(",")
    failures = []
    with tempfile.TemporaryDirectory(prefix="quantscope-fuzz-") as work:
        jobs = []
        all_cases = [] if args.no_regressions else list(regression_cases())
        all_cases += list(cases(seeds, args.seeds, rng))
        for case, what, data in all_cases:
            path = os.path.join(work, case + ".onnx")
            with open(path, "wb") as out:
                out.write(data)
            for command in commands:
                out_dir = os.path.join(work, case + "-" + command)
                os.makedirs(out_dir)
                jobs.append((case, what, command, path, out_dir))

        def replay(job):
            case, what, command, path, out_dir = job
            code, stderr, interrupted = run_once(
                command_line(args.cli, command, path, out_dir), args.timeout, args.grace)
            return job, code, stderr, judge(path, out_dir, code, stderr, interrupted)

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for job, code, stderr, problem in pool.map(replay, jobs):
                case, what, command, path, _ = job
                if problem:
                    last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                    failures.append((case, what, command, problem, last))
                    if args.keep:
                        os.makedirs(args.keep, exist_ok=True)
                        shutil.copy(path, args.keep)
                if args.verbose:
                    print(f"{case} {command:16} {what:50} -> {code} {problem or ''}", flush=True)
    for case, what, command, problem, last in failures:
        print(f"FAIL {case} [{what}] {command}: {problem}: {last}")
    print(f"{len(jobs)} runs of {len(all_cases)} models, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
