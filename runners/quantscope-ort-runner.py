#!/usr/bin/env python3
"""Quantscope's ONNX Runtime runner for Python's onnxruntime (pip install onnxruntime numpy).

Speaks the same protocol, version 1, as quantscope-ort-runner.js (its header comment is the
reference; core/compare/external_runtime.h is the C++ side):

  quantscope-ort-runner.py [REQUEST.json]   request from the file, else from stdin
  quantscope-ort-runner.py --probe          {"protocol": 1, "runtime": ..., "version": ...}

One JSON line on stdout; an error is {"protocol": 1, "error": "..."} with exit code 2.
"""
import json
import os
import re
import sys
import time

PROTOCOL = 1
LEVELS = {"disabled": "ORT_DISABLE_ALL", "basic": "ORT_ENABLE_BASIC",
          "extended": "ORT_ENABLE_EXTENDED", "all": "ORT_ENABLE_ALL"}


class RequestError(Exception):
    pass


def load_runtime():
    # Imported here so that a missing module becomes a protocol error that says what to install.
    try:
        import numpy
        import onnxruntime
    except ImportError as error:
        raise RequestError("onnxruntime for Python is not installed (pip install onnxruntime "
                           "numpy): %s" % error)
    return numpy, onnxruntime


def count(request, key, fallback, minimum):
    value = request.get(key, fallback)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RequestError('"%s" must be an integer >= %d, not %s'
                           % (key, minimum, json.dumps(value)))
    return value


def parse_request(text):
    try:
        request = json.loads(text)
    except ValueError as error:
        raise RequestError("the request is not JSON: %s" % error)
    if not isinstance(request, dict):
        raise RequestError("the request is not an object")
    if request.get("protocol") != PROTOCOL:
        raise RequestError("protocol %s is not supported (this runner speaks %d)"
                           % (json.dumps(request.get("protocol")), PROTOCOL))
    if request.get("probe"):
        return {"probe": True}
    if not isinstance(request.get("model"), str) or not request["model"]:
        raise RequestError('"model" is required')
    inputs = request.get("inputs") or {}
    if not isinstance(inputs, dict) or not all(isinstance(f, str) for f in inputs.values()):
        raise RequestError('"inputs" must map input names to .npy paths')
    optimization = request.get("optimization") or "all"
    if optimization not in LEVELS:
        raise RequestError('"optimization" must be one of %s' % ", ".join(LEVELS))
    return {"model": request["model"], "inputs": inputs,
            "threads": count(request, "threads", 0, 0),
            "warmup": count(request, "warmup", 1, 0),
            "iterations": count(request, "iterations", 10, 1),
            "optimization": optimization, "output_dir": request.get("output_dir") or None}


def summarize(samples):
    ordered = sorted(samples)
    n = len(ordered)
    median = ordered[(n - 1) // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    # The same nearest-rank p90 as the node runner, so both report the same figure.
    p90 = ordered[min(n, max(1, -(-9 * n // 10))) - 1]
    return {"median": median, "p90": p90, "min": ordered[0], "max": ordered[-1], "runs": samples}


def output_file_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".npy"


def run(request, numpy, onnxruntime):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = request["threads"]
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = getattr(onnxruntime.GraphOptimizationLevel,
                                               LEVELS[request["optimization"]])
    session = onnxruntime.InferenceSession(request["model"], options,
                                           providers=["CPUExecutionProvider"])
    feeds = {name: numpy.load(path) for name, path in request["inputs"].items()}
    names = [output.name for output in session.get_outputs()]
    samples = []
    results = None
    for index in range(request["warmup"] + request["iterations"]):
        start = time.perf_counter()
        results = session.run(names, feeds)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        if index >= request["warmup"]:
            samples.append(elapsed_ms)
    files = {}
    if request["output_dir"]:
        os.makedirs(request["output_dir"], exist_ok=True)
        for name, value in zip(names, results):
            files[name] = os.path.join(request["output_dir"], output_file_name(name))
            numpy.save(files[name], numpy.ascontiguousarray(value))
    return {"latency_ms": summarize(samples), "outputs": files}


def serve(text):
    request = parse_request(text)
    numpy, onnxruntime = load_runtime()
    response = {"protocol": PROTOCOL, "runtime": "onnxruntime-python",
                "version": getattr(onnxruntime, "__version__", "unknown")}
    if not request.get("probe"):
        response.update(run(request, numpy, onnxruntime))
    return response


def main(argv):
    try:
        if len(argv) > 1:
            raise RequestError("usage: quantscope-ort-runner.py [REQUEST.json | --probe]")
        if argv and argv[0] == "--probe":
            text = json.dumps({"protocol": PROTOCOL, "probe": True})
        elif argv:
            with open(argv[0], encoding="utf-8") as request_file:
                text = request_file.read()
        else:
            text = sys.stdin.read()
        response = serve(text)
    except Exception as error:  # every failure is a protocol answer, never a traceback alone
        print(json.dumps({"protocol": PROTOCOL, "error": str(error)}))
        return 2
    print(json.dumps(response))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
