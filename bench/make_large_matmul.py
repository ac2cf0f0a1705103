#!/usr/bin/python3
"""Writes the memory benchmark's large model: LAYERS x (MatMul by a constant SIZE x SIZE float
weight + Relu), batch 1, the weights as external data beside the file (2.7 GB at the default
10 x 8192 x 8192). Weights come from a fixed seed, scaled so activations stay finite.

usage: make_large_matmul.py OUT.onnx [--layers N] [--size N]
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--size", type=int, default=8192)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    nodes, initializers = [], []
    value = "x"
    for layer in range(args.layers):
        weight = f"w{layer}"
        initializers.append(numpy_helper.from_array(
            (rng.standard_normal((args.size, args.size), dtype=np.float32)
             / np.sqrt(args.size)).astype(np.float32), weight))
        nodes.append(helper.make_node("MatMul", [value, weight], [f"m{layer}"]))
        nodes.append(helper.make_node("Relu", [f"m{layer}"], [f"r{layer}"]))
        value = f"r{layer}"
    graph = helper.make_graph(
        nodes, "large_matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, args.size])],
        [helper.make_tensor_value_info(value, TensorProto.FLOAT, [1, args.size])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    data = os.path.basename(args.out) + ".data"
    tmp = args.out + ".tmp"
    onnx.save_model(model, tmp, save_as_external_data=True, all_tensors_to_one_file=True,
                    location=data, size_threshold=1024)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
