#!/usr/bin/python3
"""Quantization figures, each measured in one run on this machine:
  1. ONNX Runtime latency of our static QDQ (per-channel, int8) PaddleOCR det model against the
     FP32 model it came from: the QDQ output must be the standard pattern ORT fuses into int8
     kernels, so it has to run faster, not slower.
  2. Dynamic INT8 and FP16 quantization time of a ~165 MB BERT-style model (target < 2 s each).
  3. Calibration peak memory with 500 samples against 10 samples (target ratio <= 1.2).

usage: quant_figures.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELD_OUT = {"page.png", "text.png"}


def ort_median(model, feeds, env, threads, iterations):
    command = ["node", os.path.join(ROOT, "scripts", "ort-peer.js"), "--model", model,
               "--threads", str(threads), "--warmup", "3", "--iterations", str(iterations)]
    for name, path in feeds.items():
        command += ["--input", f"{name}={path}"]
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])["latency_ms"]["median"]


def qdq_speed(args, work, env):
    cli = os.path.join(args.build, "bin", "quantscope-cli")
    det = os.path.join(args.cache, "ocr-models", "assets", "ch_PP-OCRv4_det_infer.onnx")
    photos = os.path.join(args.cache, "photos")
    calib = os.path.join(work, "calibration")
    os.makedirs(calib)
    for name in sorted(os.listdir(photos)):
        if name not in HELD_OUT:
            os.symlink(os.path.join(photos, name), os.path.join(calib, name))
    common = [cli, "quantize", det, "--mode", "static", "--format", "qdq", "--per-channel",
              "--calib-dir", calib, "--image-size", "640x640", "--bgr",
              "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225"]
    variants = {
        "default recipe": [],
        # The recipe the accuracy test uses (cosine 0.994 on page.png): Conv only, the int8-
        # sensitive stem and last Conv kept float, percentile calibration.
        "accuracy recipe": ["--op-types", "Conv,ConvTranspose", "--exclude-nodes",
                            ",".join(f"p2o.Conv.{i}" for i in (0, 1, 2, 3, 4, 6, 10, 61)),
                            "--calib-method", "percentile", "--percentile", "99.99"],
    }
    models = {}
    for name, flags in variants.items():
        models[name] = os.path.join(work, name.replace(" ", "_") + ".onnx")
        subprocess.run(common + ["-o", models[name]] + flags, check=True, capture_output=True)
    x = os.path.join(work, "det_x.npy")
    np.save(x, np.random.default_rng(7).standard_normal((1, 3, 640, 640), dtype=np.float32))
    times = {"FP32": [], **{name: [] for name in models}}
    for _ in range(args.rounds):  # interleaved, so drift in machine load hits all
        times["FP32"].append(ort_median(det, {"x": x}, env, args.threads, args.iterations))
        for name, model in models.items():
            times[name].append(ort_median(model, {"x": x}, env, args.threads, args.iterations))
    fp32 = min(times["FP32"])
    print(f"ONNX Runtime, PaddleOCR det 1x3x640x640, {args.threads} threads, best median of "
          f"{args.rounds} rounds x {args.iterations}:")
    print(f"  FP32 {fp32:.2f} ms")
    for name in models:
        best = min(times[name])
        print(f"  static QDQ int8 per-channel, {name}: {best:.2f} ms, speed-up "
              f"{fp32 / best:.2f}x (must be > 1)")


def quantize_speed(args, work):
    model = os.path.join(args.cache, "bench", "bert-165mb.onnx")
    os.makedirs(os.path.dirname(model), exist_ok=True)
    result = subprocess.run([os.path.join(args.build, "bin", "quant_bench"), "speed", model],
                            check=True, capture_output=True, text=True)
    print("quantization time (quant_bench speed, best of 3, target < 2 s each):")
    for line in result.stdout.strip().splitlines():
        print("  " + line)


def calibration_memory(args):
    det = os.path.join(args.cache, "ocr-models", "assets", "ch_PP-OCRv4_det_infer.onnx")
    rss = {}
    print("calibration peak memory (entropy histograms, det model, random 1x3x160x160):")
    for samples in (10, 500):
        out = subprocess.run([os.path.join(args.build, "bin", "quant_bench"), "calibrate", det,
                              str(samples), "160x160"], check=True, capture_output=True,
                             text=True).stdout.strip()
        print("  " + out)
        rss[samples] = float(re.search(r"peak RSS ([0-9.]+) MB", out).group(1))
    print(f"  peak RSS 500 / 10 samples: {rss[500] / rss[10]:.3f} (target <= 1.2)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    env = dict(os.environ, NODE_PATH=os.path.join(args.cache, "ort", "node_modules"))
    with tempfile.TemporaryDirectory(prefix="quantscope-quant-bench-") as work:
        qdq_speed(args, work, env)
        quantize_speed(args, work)
        calibration_memory(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
