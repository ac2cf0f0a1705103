#!/usr/bin/python3
"""Writes the smallest model we found that crashes ONNX Runtime 1.30 (onnxruntime-node, CPU) at
graph optimization level ALL: an fp16 embedding Gather -> Transpose(perm 1,0,2) -> fp16 MatMul.
The model passes onnx.checker's full check and ORT runs it at EXTENDED; at ALL the process dies
with SIGSEGV. Found by bisecting our FP16 (--keep-io-types) export of nn.TransformerEncoder
(opset 13), whose attention block starts with exactly these three ops, so the fault is ORT's, not
the file's; the zoo cross-check runs that file at EXTENDED.

usage: ort_fp16_crash_repro.py OUT.onnx OUT_ids.npy
then:  NODE_PATH=~/.cache/quantscope/ort/node_modules node scripts/ort-peer.js \
           --model OUT.onnx --input ids=OUT_ids.npy --optimization all      # exit 139
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    model_path, ids_path = sys.argv[1:3]
    rng = np.random.default_rng(0)
    initializers = [
        numpy_helper.from_array(rng.standard_normal((8000, 256)).astype(np.float16), "E"),
        numpy_helper.from_array(rng.standard_normal((256, 768)).astype(np.float16), "W"),
    ]
    nodes = [helper.make_node("Gather", ["E", "ids"], ["x"]),
             helper.make_node("Transpose", ["x"], ["t"], perm=[1, 0, 2]),
             helper.make_node("MatMul", ["t", "W"], ["y"])]
    graph = helper.make_graph(
        nodes, "ort_fp16_crash", [helper.make_tensor_value_info("ids", TensorProto.INT64,
                                                                 ["b", "s"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["s", "b", 768])], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, model_path)
    np.save(ids_path, rng.integers(0, 8000, (4, 100)).astype(np.int64))


if __name__ == "__main__":
    main()
