#!/usr/bin/env python3
"""The Python ONNX Runtime runner (runners/quantscope-ort-runner.py) against a fake onnxruntime
module: its probe, a timed request, and the protocol errors. Debian packages no onnxruntime for
Python, so the real one cannot run here; the fake doubles its input and records the options.

usage: python_runner_test.py RUNNER"""
import json
import os
import subprocess
import sys
import tempfile

import numpy

FAKE = '''
__version__ = "0.0-fake"
class ExecutionMode:
    ORT_SEQUENTIAL = "sequential"
class GraphOptimizationLevel:
    ORT_DISABLE_ALL, ORT_ENABLE_BASIC, ORT_ENABLE_EXTENDED, ORT_ENABLE_ALL = range(4)
class SessionOptions:
    pass
class _Value:
    def __init__(self, name):
        self.name = name
class InferenceSession:
    def __init__(self, path, options, providers):
        if not path.endswith(".onnx"):
            raise RuntimeError("cannot load " + path)
        assert providers == ["CPUExecutionProvider"]
        with open(path + ".options", "w") as f:
            f.write("%d %d %s" % (options.intra_op_num_threads,
                                  options.graph_optimization_level, options.execution_mode))
    def get_outputs(self):
        return [_Value("y:0")]
    def run(self, names, feeds):
        return [feeds["x"] * 2]
'''


def run(runner, env, *args, stdin=None):
    done = subprocess.run([sys.executable, runner, *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, (done.stdout, done.stderr)
    return done.returncode, json.loads(lines[0])


def main(runner):
    failures = []

    def check(condition, what):
        if not condition:
            failures.append(what)

    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "fake", "onnxruntime"))
        with open(os.path.join(work, "fake", "onnxruntime", "__init__.py"), "w") as f:
            f.write(FAKE)
        env = dict(os.environ, PYTHONPATH=os.path.join(work, "fake"))

        code, answer = run(runner, env, "--probe")
        check(code == 0 and answer == {"protocol": 1, "runtime": "onnxruntime-python",
                                       "version": "0.0-fake"}, "probe: %s" % answer)

        x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
        numpy.save(os.path.join(work, "x.npy"), x)
        model = os.path.join(work, "m.onnx")
        request = {"protocol": 1, "model": model, "inputs": {"x": os.path.join(work, "x.npy")},
                   "threads": 3, "warmup": 2, "iterations": 5, "optimization": "basic",
                   "output_dir": os.path.join(work, "out")}
        with open(os.path.join(work, "request.json"), "w") as f:
            json.dump(request, f)
        code, answer = run(runner, env, os.path.join(work, "request.json"))
        check(code == 0, "run from a file: %s" % answer)
        latency = answer.get("latency_ms", {})
        check(len(latency.get("runs", [])) == 5, "five timed runs: %s" % latency)
        check(latency.get("min", -1) <= latency.get("median", -2) <= latency.get("max", -3),
              "ordered latency: %s" % latency)
        output = answer.get("outputs", {}).get("y:0", "")
        check(output.endswith("y_0.npy") and os.path.exists(output), "output file: %s" % answer)
        if os.path.exists(output):
            check(numpy.array_equal(numpy.load(output), x * 2), "output values")
        with open(model + ".options") as f:
            check(f.read() == "3 1 sequential", "session options")

        code, answer = run(runner, env, stdin=json.dumps(dict(request, output_dir=None)))
        check(code == 0 and answer.get("outputs") == {}, "run from stdin: %s" % answer)

        errors = [
            ("not json", "not JSON"),
            (json.dumps({"protocol": 2}), "protocol 2 is not supported"),
            (json.dumps({"protocol": 1}), '"model" is required'),
            (json.dumps(dict(request, iterations=0)), '"iterations" must be an integer >= 1'),
            (json.dumps(dict(request, optimization="max")), '"optimization" must be one of'),
            (json.dumps(dict(request, model=os.path.join(work, "m.bin"))), "cannot load"),
        ]
        for text, expected in errors:
            code, answer = run(runner, env, stdin=text)
            check(code == 2 and expected in answer.get("error", ""),
                  "error %r: %s" % (expected, answer))

        # Without the module: a protocol error that says what to install.
        code, answer = run(runner, dict(os.environ, PYTHONPATH=work), "--probe")
        check(code == 2 and "pip install onnxruntime" in answer.get("error", ""),
              "missing module: %s" % answer)

    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
