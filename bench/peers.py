"""Runs one model in our engine (build/bin/engine_bench) and in ONNX Runtime
(scripts/ort-peer.js, onnxruntime-node) with the same inputs and timing flags; both print one JSON
line (latency_ms, peak_rss_mb). Shared by engine_vs_ort.py and int8_figures.py."""
import argparse
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def argument_parser():
    """BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N]"""
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=20)
    return parser


class Peers:
    def __init__(self, args):
        self.engine_bench = os.path.join(args.build, "bin", "engine_bench")
        self.env = dict(os.environ, NODE_PATH=os.path.join(args.cache, "ort", "node_modules"))
        self.common = ["--threads", str(args.threads), "--warmup", "3",
                       "--iterations", str(args.iterations)]

    def engine(self, model, feeds, env=None):
        """Our engine's report for `model` with `feeds` ({input name: .npy path})."""
        return _report([self.engine_bench, model] + _input_flags(feeds) + self.common, env)

    def ort(self, model, feeds, env=None, optimization="all"):
        """ONNX Runtime's report for the same run (at graph optimization level `optimization`)."""
        return _report(["node", os.path.join(ROOT, "scripts", "ort-peer.js"), "--model", model,
                        "--optimization", optimization] + _input_flags(feeds) + self.common,
                       env or self.env)


def _input_flags(feeds):
    return [arg for name, path in feeds.items() for arg in ("--input", f"{name}={path}")]


def _report(command, env=None):
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])
