#!/usr/bin/python3
"""Quantization figures, each measured in one run on this machine:
  1. Dynamic INT8 and FP16 quantization time of a ~165 MB BERT-style model (target < 2 s each).
  2. Calibration peak memory with 500 samples against 10 samples (target ratio <= 1.2).
The latency of the quantized models, in our engine and in ONNX Runtime, is int8_figures.py's.

usage: quant_figures.py BUILD_DIR CACHE_DIR
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quantscope-quant-bench-") as work:
        quantize_speed(args, work)
        calibration_memory(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
