#!/usr/bin/python3
"""Latency of Quantscope's engine against ONNX Runtime (onnxruntime-node), same model, same
inputs, same thread count, measured in the same run. Prints per case the best-of-rounds median of
each engine, the ratio engine / ORT (target <= 1.2, aim <= 1.0) and the engine's peak RSS.

usage: engine_vs_ort.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N] [CASE...]
CASE: det, rec, bert (default: all).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

from peers import Peers, argument_parser


def cases(build, cache, work):
    ocr = os.path.join(cache, "ocr-models", "assets")
    rng = np.random.default_rng(7)

    def save(name, array):
        path = os.path.join(work, name + ".npy")
        np.save(path, array)
        return path

    bert = os.path.join(work, "bert_encoder.onnx")
    subprocess.run([os.path.join(build, "bin", "engine_bench"), "--write-bert", bert], check=True)
    return {
        "det": ("PaddleOCR det 1x3x640x640", os.path.join(ocr, "ch_PP-OCRv4_det_infer.onnx"),
                {"x": save("det_x", rng.random((1, 3, 640, 640), dtype=np.float32))}),
        "rec": ("PaddleOCR rec 1x3x48x320", os.path.join(ocr, "ch_PP-OCRv4_rec_infer.onnx"),
                {"x": save("rec_x", rng.random((1, 3, 48, 320), dtype=np.float32))}),
        "bert": ("BERT-style encoder 4x256, seq 128", bert,
                 {"input_ids": save("ids", rng.integers(0, 1000, (1, 128), dtype=np.int64)),
                  "attention_mask": save("mask", np.ones((1, 128), np.int64))}),
    }


def main():
    parser = argument_parser()
    parser.add_argument("cases", nargs="*", default=["det", "rec", "bert"])
    args = parser.parse_args()
    peers = Peers(args)
    print(f"engine vs ONNX Runtime (onnxruntime-node), {args.threads} threads each, "
          f"best median of {args.rounds} interleaved rounds x {args.iterations} iterations")
    print(f"{'case':36} {'engine ms':>10} {'ORT ms':>10} {'ratio':>7} {'engine peak RSS':>16} "
          f"{'ORT peak RSS':>13}")
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="quantscope-bench-") as work:
        table = cases(args.build, args.cache, work)
        for key in args.cases:
            title, model, feeds = table[key]
            ours, theirs = [], []
            for _ in range(args.rounds):  # interleaved, so drift in machine load hits both
                ours.append(peers.engine(model, feeds))
                theirs.append(peers.ort(model, feeds))
            ours_ms = min(r["latency_ms"]["median"] for r in ours)
            ort_ms = min(r["latency_ms"]["median"] for r in theirs)
            ratio = ours_ms / ort_ms
            worst = max(worst, ratio)
            print(f"{title:36} {ours_ms:10.2f} {ort_ms:10.2f} {ratio:7.2f} "
                  f"{max(r['peak_rss_mb'] for r in ours):13.1f} MB "
                  f"{max(r['peak_rss_mb'] for r in theirs):10.1f} MB", flush=True)
    print(f"worst ratio {worst:.2f} (target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
