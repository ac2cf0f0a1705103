#!/usr/bin/python3
"""Compares `quantscope-cli inspect --json` with Python's onnx (Debian's python3-onnx) on real models.

Usage: check_inspect_paddleocr.py CLI MODEL [MODEL...]

For each model it checks what issue 2 promises to be exact: IR version, producer, opset imports,
graph inputs (initializers excluded) and outputs with dtype and shape, node counts (top graph and
all graphs), op histogram over all graphs, parameter count and initializer bytes, and the weights
stored as Constant nodes (how paddle2onnx exports them). It prints one
line per mismatch and a final `N passed, M failed`; the exit code is 0 only if nothing failed.
"""
import json
import subprocess
import sys

import numpy as np
import onnx
from onnx import mapping, numpy_helper


def subgraphs(node):
    for attr in node.attribute:
        if attr.type == onnx.AttributeProto.GRAPH:
            yield attr.g
        elif attr.type == onnx.AttributeProto.GRAPHS:
            yield from attr.graphs


def all_graphs(graph):
    yield graph
    for node in graph.node:
        for sub in subgraphs(node):
            yield from all_graphs(sub)


def dims(value_info):
    shape = value_info.type.tensor_type.shape
    out = []
    for d in shape.dim:
        if d.HasField("dim_value"):
            out.append(d.dim_value)
        elif d.HasField("dim_param"):
            out.append(d.dim_param)
        else:
            out.append("?")
    return out


def np_name(value_info):
    # onnx 1.12 (Debian 12) has the mapping table; helper.tensor_dtype_to_np_dtype came later.
    return mapping.TENSOR_TYPE_TO_NP_TYPE[value_info.type.tensor_type.elem_type].name


def expected_summary(model):
    graphs = list(all_graphs(model.graph))
    histogram = {}
    for g in graphs:
        for node in g.node:
            key = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}:{node.op_type}"
            histogram[key] = histogram.get(key, 0) + 1
    initializers = [t for g in graphs for t in g.initializer]
    constants = [a.t for g in graphs for n in g.node if n.op_type == "Constant" and n.domain == ""
                 for a in n.attribute if a.name == "value"]
    initializer_names = {t.name for t in model.graph.initializer}
    return {
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "opset_import": sorted((o.domain, o.version) for o in model.opset_import),
        "inputs": [(v.name, np_name(v),
                    dims(v)) for v in model.graph.input if v.name not in initializer_names],
        "outputs": [(v.name, np_name(v),
                     dims(v)) for v in model.graph.output],
        "node_count": len(model.graph.node),
        "node_count_total": sum(len(g.node) for g in graphs),
        "op_histogram": histogram,
        "parameter_count": sum(int(np.prod(t.dims, dtype=np.int64)) for t in initializers),
        "initializer_bytes": sum(numpy_helper.to_array(t).nbytes for t in initializers),
        "constant_parameter_count": sum(int(np.prod(t.dims, dtype=np.int64)) for t in constants),
        "constant_bytes": sum(numpy_helper.to_array(t).nbytes for t in constants),
    }


NUMPY_NAMES = {"float32": "float32", "float": "float32", "float16": "float16", "int64": "int64",
               "int32": "int32", "int8": "int8", "uint8": "uint8", "bool": "bool", "double": "float64"}


def actual_summary(report):
    def io(values):
        return [(v["name"], NUMPY_NAMES.get(v["dtype"], v["dtype"]),
                 [d if isinstance(d, int) else str(d) for d in v["shape"]]) for v in values]
    histogram = report["op_histogram"]
    if isinstance(histogram, list):
        histogram = {entry["op_type"]: entry["count"] for entry in histogram}
    else:
        histogram = {k: (v["count"] if isinstance(v, dict) else v) for k, v in histogram.items()}
    return {
        "ir_version": report["ir_version"],
        "producer_name": report["producer_name"],
        "opset_import": sorted((o["domain"], o["version"]) for o in report["opset_import"]),
        "inputs": io(report["inputs"]),
        "outputs": io(report["outputs"]),
        "node_count": report["node_count"],
        "node_count_total": report["node_count_total"],
        "op_histogram": histogram,
        "parameter_count": report["parameter_count"],
        "initializer_bytes": report["initializer_bytes"],
        "constant_parameter_count": report["constant_parameter_count"],
        "constant_bytes": report["constant_bytes"],
    }


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cli, models = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for path in models:
        run = subprocess.run([cli, "inspect", "--json", path], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {path}: inspect exited {run.returncode}: {run.stderr.strip()}")
            failed += 1
            continue
        actual = actual_summary(json.loads(run.stdout))
        expected = expected_summary(onnx.load(path))
        mismatches = [key for key in expected if expected[key] != actual[key]]
        for key in mismatches:
            print(f"FAIL {path}: {key}: quantscope {actual[key]!r} != onnx {expected[key]!r}")
        if mismatches:
            failed += 1
        else:
            passed += 1
            print(f"ok   {path}: {expected['node_count_total']} nodes, "
                  f"{len(expected['op_histogram'])} op types, {expected['parameter_count']} params, "
                  f"{expected['constant_parameter_count']} in Constant nodes")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
