#!/usr/bin/python3
"""Structured mutations of real models, replayed through the CLI: every corrupted model must give
a clean answer (exit 0, or exit 2 with one line on stderr naming the file), never a signal, an
internal error (exit 1), a hang or a file left behind.

The mutations are the classes hostile or broken exports produce: attributes zero, negative, huge
or of the wrong type; graph outputs produced by no node; unknown ops and domains; cycles and
duplicate outputs; missing or absurd opset imports; initializers whose bytes disagree with their
dims; input shapes that would need terabytes; names with bytes that are not UTF-8; truncated files
and random byte flips. Each is seeded, so a failure replays.

usage: mutate_models.py CLI_BINARY [--seeds N] [--commands inspect,run] [--keep DIR] [--verbose]
"""
import argparse
import copy
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile

import onnx
from onnx import helper

TESTDATA = "/usr/share/libonnx-testdata/data/node"
# Small real models of the families whose attributes the summary and the engine read (window
# ops divide by strides and group; Reshape/Concat/Gather compute shapes).
SEED_MODELS = [
    "test_conv_with_strides_padding", "test_convtranspose", "test_maxpool_2d_pads",
    "test_averagepool_2d_strides", "test_gemm_all_attributes", "test_reshape_reordered_all_dims",
    "test_concat_2d_axis_0", "test_gather_0", "test_batchnorm_example", "test_lstm_defaults",
    "test_resize_upsample_scales_nearest", "test_split_equal_parts_1d", "test_slice",
    "test_depthtospace_example", "test_lrn", "test_instancenorm_example", "test_matmul_2d",
    "test_global_average_pool", "test_transpose_default", "test_einsum_batch_matmul",
]


def load_seeds(extra):
    models = []
    for name in SEED_MODELS:
        path = os.path.join(TESTDATA, name, "model.onnx")
        if os.path.exists(path):
            models.append((name, onnx.load(path)))
    for path in extra:
        if os.path.exists(path):
            models.append((os.path.basename(path), onnx.load(path)))
    if not models:
        sys.exit("mutate_models: no seed models (libonnx-testdata missing?)")
    return models


# --- mutations: each takes (model copy, rng) and returns a description, or None when it does
# not apply to this model.

def _int_attributes(model):
    return [(n, a) for n in model.graph.node for a in n.attribute
            if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.INTS)]


def attribute_value(model, rng):
    found = _int_attributes(model)
    if not found:
        return None
    node, attr = rng.choice(found)
    value = rng.choice([0, -1, -7, 1 << 40, -(1 << 40)])
    if attr.type == onnx.AttributeProto.INT:
        attr.i = value
    elif attr.ints:
        attr.ints[rng.randrange(len(attr.ints))] = value
    else:
        attr.ints.append(value)
    return f"{node.op_type}.{attr.name} = {value}"


def attribute_type(model, rng):
    found = _int_attributes(model)
    if not found:
        return None
    node, attr = rng.choice(found)
    name = attr.name
    node.attribute.remove(attr)
    choice = rng.choice(["float", "string", "floats", "tensor"])
    if choice == "float":
        node.attribute.append(helper.make_attribute(name, 2.5))
    elif choice == "string":
        node.attribute.append(helper.make_attribute(name, b"seven"))
    elif choice == "floats":
        node.attribute.append(helper.make_attribute(name, [1.0, 2.0]))
    else:
        node.attribute.append(helper.make_attribute(
            name, helper.make_tensor("t", onnx.TensorProto.FLOAT, [1], [1.0])))
    return f"{node.op_type}.{name} as {choice}"


def output_without_producer(model, rng):
    if not model.graph.output:
        return None
    name = rng.choice(model.graph.output).name
    for node in list(model.graph.node):
        if name in node.output:
            model.graph.node.remove(node)
    return f"graph output {name} produced by no node"


def unknown_op(model, rng):
    node = rng.choice(model.graph.node)
    old = node.op_type
    if rng.random() < 0.5:
        node.op_type = "NoSuchOp"
    else:
        node.domain = "com.example.unknown"
    return f"{old} -> {node.op_type} in '{node.domain}'"


def cycle(model, rng):
    node = rng.choice(model.graph.node)
    if not node.input or not node.output:
        return None
    node.input[0] = node.output[0]
    return f"{node.op_type} reads its own output"


def duplicate_output(model, rng):
    if len(model.graph.node) < 2:
        nodes = list(model.graph.node)
        model.graph.node.extend(copy.deepcopy(nodes))
        return "node duplicated"
    a, b = rng.sample(list(model.graph.node), 2)
    if not a.output or not b.output:
        return None
    b.output[0] = a.output[0]
    return f"{b.op_type} writes {a.output[0]} too"


def opset(model, rng):
    choice = rng.choice(["none", "zero", "huge"])
    if choice == "none":
        del model.opset_import[:]
    else:
        for entry in model.opset_import:
            entry.version = 0 if choice == "zero" else 9999
    return f"opset import {choice}"


def initializer_dims(model, rng):
    if not model.graph.initializer:
        # give a graph input an initializer whose bytes disagree with its dims
        if not model.graph.input:
            return None
        name = model.graph.input[0].name
        tensor = helper.make_tensor(name, onnx.TensorProto.FLOAT, [3], [1.0] * 3)
        tensor.dims[0] = 16
        model.graph.initializer.append(tensor)
        return f"initializer {name} 16 elements with 3 values"
    tensor = rng.choice(model.graph.initializer)
    if tensor.dims:
        tensor.dims[0] = tensor.dims[0] * 1000 + 1
    else:
        tensor.dims.append(1 << 40)
    return f"initializer {tensor.name} dims {list(tensor.dims)}"


def huge_input(model, rng):
    inputs = [i for i in model.graph.input
              if i.name not in {t.name for t in model.graph.initializer}]
    if not inputs:
        return None
    value = rng.choice(inputs)
    shape = value.type.tensor_type.shape
    del shape.dim[:]
    for d in rng.choice([[100000, 100000, 1000], [0, 3], [-5, 2], [1 << 62, 1 << 62]]):
        shape.dim.add().dim_value = d
    return f"input {value.name} shape {[d.dim_value for d in shape.dim]}"


def bad_names(model, rng):
    # a placeholder that cases() replaces with bytes that are not UTF-8 once serialized
    node = rng.choice(model.graph.node)
    node.name = STRAY_NAME_PLACEHOLDER
    return "node name with stray bytes"


def wrong_arity(model, rng):
    node = rng.choice(model.graph.node)
    if rng.random() < 0.5 and node.input:
        del node.input[:]
        return f"{node.op_type} with no inputs"
    node.input.extend(["x_missing_1", "x_missing_2", "x_missing_3", "x_missing_4"])
    return f"{node.op_type} with extra unknown inputs"


STRUCTURED = [attribute_value, attribute_type, output_without_producer, unknown_op, cycle,
              duplicate_output, opset, initializer_dims, huge_input, bad_names, wrong_arity]


def serialize(model):
    data = model.SerializeToString()
    return data


def write_bytes(path, data):
    with open(path, "wb") as out:
        out.write(data)


def mutate_bytes(data, rng):
    data = bytearray(data)
    if rng.random() < 0.3:
        return bytes(data[:rng.randrange(1, max(2, len(data)))]), "truncated"
    for _ in range(rng.randrange(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), "bytes flipped"


STRAY_NAME_PLACEHOLDER = "qs_stray_name_placeholder"


def cases(seeds, count, rng):
    for index in range(count):
        name, base = seeds[index % len(seeds)]
        model = copy.deepcopy(base)
        if rng.random() < 0.8:
            mutation = STRUCTURED[index % len(STRUCTURED)]
            what = mutation(model, rng)
            if what is None:
                continue
            # protobuf's Python API refuses such bytes; the same length keeps the framing
            data = serialize(model).replace(STRAY_NAME_PLACEHOLDER.encode(),
                                            b"bad\xff\xfe_name_with_stray_byt")
        else:
            data, what = mutate_bytes(serialize(model), rng)
        yield f"{index:04d}-{name}", what, data


def run(cli, command, model, out_dir, timeout):
    if command == "inspect":
        args = [cli, "inspect", "--json", model]
    elif command == "run":
        args = [cli, "run", model, "--random", "--warmup", "0", "--iterations", "1"]
    elif command == "quantize-dynamic":
        args = [cli, "quantize", model, "-o", os.path.join(out_dir, "q.onnx"), "--mode", "dynamic"]
    elif command == "quantize-fp16":
        args = [cli, "quantize", model, "-o", os.path.join(out_dir, "q.onnx"), "--mode", "fp16"]
    else:
        raise ValueError(command)
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", b""
    return result.returncode, result.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--seeds", type=int, default=220, help="number of mutated models")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--commands", default="inspect,run")
    parser.add_argument("--extra-model", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--keep", help="copy failing models here")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = load_seeds(args.extra_model)
    commands = args.commands.split(",")
    failures = []
    total = 0
    with tempfile.TemporaryDirectory() as work:
        for case, what, data in cases(seeds, args.seeds, rng):
            path = os.path.join(work, case + ".onnx")
            write_bytes(path, data)
            for command in commands:
                out_dir = os.path.join(work, case + "-" + command)
                os.makedirs(out_dir)
                total += 1
                code, stderr = run(args.cli, command, path, out_dir, args.timeout)
                text = stderr.decode("utf-8", "replace").strip()
                problem = None
                if code == "hang":
                    problem = "hang"
                elif code < 0 or code >= 128:
                    name = signal.Signals(-code).name if code < 0 else str(code)
                    problem = f"signal {name}"
                elif code == 1:
                    problem = "internal error"
                elif code not in (0, 2):
                    problem = f"exit {code}"
                elif code == 2 and len(text.splitlines()) != 1:
                    problem = f"{len(text.splitlines())} lines on stderr"
                elif code == 2 and os.path.basename(path) not in text:
                    problem = "the message does not name the file"
                elif code != 0 and os.listdir(out_dir):
                    problem = f"left behind {os.listdir(out_dir)}"
                if problem:
                    failures.append((case, what, command, problem, text.splitlines()[-1:]))
                    if args.keep:
                        os.makedirs(args.keep, exist_ok=True)
                        shutil.copy(path, args.keep)
                if args.verbose:
                    print(f"{case} {command:18} {what:50} -> {code} {problem or ''}")
    for case, what, command, problem, last in failures:
        print(f"FAIL {case} [{what}] {command}: {problem}: {last}")
    print(f"{total} runs, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
