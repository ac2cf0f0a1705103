#!/usr/bin/python3
"""Memory and start-up on large models, our engine against ONNX Runtime in the same run: peak RSS
of a process that loads the model and runs it once, against the model's weight bytes, and the
wall time of that load + first run. Models: the generated 2.7 GB MatMul chain
(make_large_matmul.py, external data; made once into CACHE/bench) and the zoo's largest files.
Targets (issue 15): peak RSS <= 1.3x the weights; load + first run within 1.5x of ORT's.

usage: memory_figures.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N]
"""
import os
import subprocess
import sys
import time

import numpy as np

from peers import Peers, argument_parser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "models"))
import zoo  # noqa: E402


def weight_bytes(model):
    """Bytes of the model's initializers (external data included), without loading them."""
    import onnx
    proto = onnx.load(model, load_external_data=False)
    total = 0
    for tensor in proto.graph.initializer:
        count = int(np.prod(tensor.dims)) if tensor.dims else 1
        total += count * np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[tensor.data_type]).itemsize
    return total


def timed(run):
    start = time.perf_counter()
    report = run()
    return time.perf_counter() - start, report["peak_rss_mb"]


def main():
    args = argument_parser().parse_args()
    args.iterations = 1
    peers = Peers(args)
    peers.common = ["--threads", str(args.threads), "--warmup", "0", "--iterations", "1"]
    bench = os.path.join(args.cache, "bench")
    os.makedirs(bench, exist_ok=True)
    large = os.path.join(bench, "large-matmul-2.7gb.onnx")
    if not os.path.exists(large):
        subprocess.run([sys.executable, os.path.join(HERE, "make_large_matmul.py"), large],
                       check=True)
    large_x = os.path.join(bench, "large_x.npy")
    np.save(large_x, np.random.default_rng(1).standard_normal((1, 8192)).astype(np.float32))
    cases = [("large MatMul chain 2.7 GB", large, {"x": large_x})]
    manifest = zoo.load_manifest(args.cache)
    work = os.path.join(bench, "zoo-forms")
    os.makedirs(work, exist_ok=True)
    for name in ("resnet50", "convnext_tiny"):
        entry = next(e for e in manifest["models"] if e["name"] == name)
        cases.append((name, entry["model"],
                      zoo.feeds(entry, manifest, os.path.join(args.cache, "photos"), work)))

    print(f"load + first run, {args.threads} threads, best of {args.rounds} interleaved rounds")
    print(f"{'model':28}{'weights MB':>11}{'ours RSS MB':>12}{'x weights':>10}{'ORT RSS MB':>11}"
          f"{'x weights':>10}{'ours s':>8}{'ORT s':>8}{'ours/ORT':>9}")
    for label, model, feeds in cases:
        best = {"ours": (float("inf"), 0.0), "ort": (float("inf"), 0.0)}
        for _ in range(args.rounds):
            for peer, run in (("ours", lambda: peers.engine(model, feeds)),
                              ("ort", lambda: peers.ort(model, feeds))):
                seconds, rss = timed(run)
                if seconds < best[peer][0]:
                    best[peer] = (seconds, rss)
        weights = weight_bytes(model) / 1e6
        ours_s, ours_rss = best["ours"]
        ort_s, ort_rss = best["ort"]
        print(f"{label:28}{weights:11.0f}{ours_rss:12.0f}{ours_rss / weights:10.2f}"
              f"{ort_rss:11.0f}{ort_rss / weights:10.2f}{ours_s:8.2f}{ort_s:8.2f}"
              f"{ours_s / ort_s:9.2f}")


if __name__ == "__main__":
    main()
