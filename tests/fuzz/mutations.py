"""The structured mutations of tests/fuzz/mutate_models.py, and the named regression models.

Each mutation takes (model copy, rng) and changes the model the way a broken or hostile export
would, returning a description, or None when it does not apply to this model. The regression
models are the mutations that once crashed a command, rebuilt the same way from a named seed
model on every run (no binary models in the repository).
"""
import copy
import math

import onnx
from onnx import TensorProto, helper

# A placeholder that the caller replaces with bytes that are not UTF-8 once serialized (protobuf's
# Python API refuses such strings); the replacement has the same length, so the framing holds.
STRAY_NAME_PLACEHOLDER = b"qs_stray_name_placeholder"
STRAY_NAME_BYTES = b"bad\xff\xfe_name_with_stray_byt"


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
            name, helper.make_tensor("t", TensorProto.FLOAT, [1], [1.0])))
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
        model.graph.node.extend(copy.deepcopy(list(model.graph.node)))
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
        tensor = helper.make_tensor(name, TensorProto.FLOAT, [3], [1.0] * 3)
        tensor.dims[0] = 16
        model.graph.initializer.append(tensor)
        return f"initializer {name} 16 elements with 3 values"
    tensor = rng.choice(model.graph.initializer)
    if tensor.dims:
        tensor.dims[0] = tensor.dims[0] * 1000 + 1
    else:
        tensor.dims.append(1 << 40)
    return f"initializer {tensor.name} dims {list(tensor.dims)}"


def _free_inputs(model):
    initialized = {t.name for t in model.graph.initializer}
    return [i for i in model.graph.input if i.name not in initialized]


def huge_input(model, rng):
    inputs = _free_inputs(model)
    if not inputs:
        return None
    value = rng.choice(inputs)
    shape = value.type.tensor_type.shape
    del shape.dim[:]
    for d in rng.choice([[100000, 100000, 1000], [0, 3], [-5, 2], [1 << 62, 1 << 62]]):
        shape.dim.add().dim_value = d
    return f"input {value.name} shape {[d.dim_value for d in shape.dim]}"


def declared_shape(model, rng):
    """A declared shape that disagrees with the data: a graph input one dim off (the random
    inputs follow it), a value_info wrong for a node's output, or an initializer's graph input."""
    choice = rng.choice(["input", "value_info", "initializer input"])
    if choice == "input":
        inputs = [i for i in _free_inputs(model) if i.type.tensor_type.shape.dim]
        if not inputs:
            return None
        value = rng.choice(inputs)
        dims = value.type.tensor_type.shape.dim
        dim = dims[rng.randrange(len(dims))]
        dim.dim_value = dim.dim_value * 3 + 1 if dim.HasField("dim_value") else 7
        if rng.random() < 0.3:
            dims.add().dim_value = 2
        return f"input {value.name} declared {[d.dim_value for d in dims]}"
    if choice == "value_info":
        node = rng.choice(model.graph.node)
        if not node.output:
            return None
        model.graph.value_info.append(helper.make_tensor_value_info(
            node.output[0], TensorProto.INT8, [5, 0, 3]))
        return f"value_info {node.output[0]} int8[5,0,3]"
    if not model.graph.initializer:
        return None
    tensor = rng.choice(model.graph.initializer)
    model.graph.input.append(helper.make_tensor_value_info(
        tensor.name, TensorProto.DOUBLE, [len(tensor.dims) + 2, 9]))
    return f"initializer {tensor.name} declared as input double[{len(tensor.dims) + 2},9]"


def bad_names(model, rng):
    node = rng.choice(model.graph.node)
    node.name = STRAY_NAME_PLACEHOLDER.decode()
    return "node name with stray bytes"


def wrong_arity(model, rng):
    node = rng.choice(model.graph.node)
    if rng.random() < 0.5 and node.input:
        del node.input[:]
        return f"{node.op_type} with no inputs"
    if rng.random() < 0.5:
        node.output.extend(["y_extra_1", "y_extra_2", "y_extra_3", "y_extra_4"])
        return f"{node.op_type} with extra outputs"
    node.input.extend(["x_missing_1", "x_missing_2", "x_missing_3", "x_missing_4"])
    return f"{node.op_type} with extra unknown inputs"


def _append_to_output(model, rng, make):
    """Feeds the first graph output through nodes that `make(value, result)` returns (with their
    initializers), and makes their result the graph output. Half the time the declared type stays
    as it was, which then disagrees with what the new nodes give."""
    if not model.graph.output:
        return None
    output = model.graph.output[0]
    result = output.name + "_mutated"
    nodes, initializers, what = make(output.name, result)
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(initializers)
    output.name = result
    if rng.random() < 0.5:
        output.type.tensor_type.ClearField("shape")
    return what


def reshape_impossible(model, rng):
    shape = rng.choice([[7, -1, -1], [0, 5, 3], [-3], [1 << 40, 1 << 40], [5, 7, 11, 13], []])
    allowzero = rng.choice([0, 1])

    def make(value, result):
        target = helper.make_tensor(result + "_shape", TensorProto.INT64, [len(shape)], shape)
        node = helper.make_node("Reshape", [value, target.name], [result], allowzero=allowzero)
        return [node], [target], f"Reshape to {shape} (allowzero {allowzero})"
    return _append_to_output(model, rng, make)


def concat_impossible(model, rng):
    dims = rng.choice([[2, 3, 4, 5, 6], [1], [0, 9], [1 << 20, 1 << 20]])
    axis = rng.randrange(-7, 8)
    count = math.prod(dims)

    def make(value, result):
        # past 4096 values the initializer keeps none: its bytes then disagree with its dims too
        other = helper.make_tensor(result + "_other", TensorProto.FLOAT, [min(count, 4096)],
                                   [0.5] * min(count, 4096))
        other.ClearField("dims")
        other.dims.extend(dims)
        node = helper.make_node("Concat", [value, other.name], [result], axis=axis)
        return [node], [other], f"Concat with float{dims} on axis {axis}"
    return _append_to_output(model, rng, make)


def gather_impossible(model, rng):
    indices = rng.choice([[1000], [-1000], [0, 1 << 40], [-(1 << 62)]])
    axis = rng.randrange(-5, 6)
    index_type = rng.choice([TensorProto.INT64, TensorProto.INT32])
    if index_type == TensorProto.INT32:
        indices = [max(min(i, (1 << 31) - 1), -(1 << 31)) for i in indices]

    def make(value, result):
        table = helper.make_tensor(result + "_indices", index_type, [len(indices)], indices)
        node = helper.make_node("Gather", [value, table.name], [result], axis=axis)
        return [node], [table], f"Gather indices {indices} on axis {axis}"
    return _append_to_output(model, rng, make)


def huge_loop(model, rng):
    """A Loop of 2^40 iterations (condition always true) after the first output: commands that
    run the model must stay cancellable (SIGINT, exit 130); the rest answer at once."""
    with_scan = rng.random() < 0.5

    element_type = model.graph.output[0].type.tensor_type.elem_type if model.graph.output else 0

    def make(value, result):
        return huge_loop_nodes(value, result, with_scan, element_type) + (
            f"Loop of 2^40 iterations{' with a scan output' if with_scan else ''}",)
    return _append_to_output(model, rng, make)


def huge_loop_nodes(value, result, with_scan, element_type):
    body_outputs = [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
                    helper.make_tensor_value_info("carried_out", element_type, None)]
    body_nodes = [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
                  helper.make_node("Identity", ["carried_in"], ["carried_out"])]
    if with_scan:
        body_outputs.append(helper.make_tensor_value_info("scan_out", TensorProto.INT64, [1]))
        body_nodes.append(helper.make_node("Unsqueeze", ["iteration", "zero_axis"], ["scan_out"]))
    body = helper.make_graph(
        body_nodes, "body",
        [helper.make_tensor_value_info("iteration", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("carried_in", element_type, None)],
        body_outputs,
        [helper.make_tensor("zero_axis", TensorProto.INT64, [1], [0])])
    trip = helper.make_tensor(result + "_trip", TensorProto.INT64, [], [1 << 40])
    keep_going = helper.make_tensor(result + "_cond", TensorProto.BOOL, [], [True])
    outputs = [result] + ([result + "_scan"] if with_scan else [])
    loop = helper.make_node("Loop", [trip.name, keep_going.name, value], outputs, body=body)
    return [loop], [trip, keep_going]


STRUCTURED = [attribute_value, attribute_type, output_without_producer, unknown_op, cycle,
              duplicate_output, opset, initializer_dims, huge_input, bad_names, wrong_arity,
              declared_shape, reshape_impossible, concat_impossible, gather_impossible, huge_loop]


def mutate_bytes(data, rng):
    data = bytearray(data)
    if rng.random() < 0.3:
        return bytes(data[:rng.randrange(1, max(2, len(data)))]), "truncated"
    for _ in range(rng.randrange(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), "bytes flipped"


def serialize(model):
    return model.SerializeToString().replace(STRAY_NAME_PLACEHOLDER, STRAY_NAME_BYTES)


# --- named regression models: what once crashed, built again from the same seed model ---------

def _set_attribute(model, op_type, name, value):
    for node in model.graph.node:
        if node.op_type == op_type:
            for attr in list(node.attribute):
                if attr.name == name:
                    node.attribute.remove(attr)
            node.attribute.append(helper.make_attribute(name, value))
            return


def _strides_zero(model):
    _set_attribute(model, "Conv", "strides", [0, 0])


def _group_negative(model):
    _set_attribute(model, "Conv", "group", -7)


def _int_as_float(model):
    _set_attribute(model, "Conv", "group", 2.5)


def _output_without_producer(model):
    del model.graph.node[:]


def _transpose_weights_rank_2(model):
    for tensor in model.graph.input:
        if tensor.name == "W":
            del tensor.type.tensor_type.shape.dim[2:]


def _pool_without_input(model):
    del model.graph.node[0].input[:]


def _huge_input(model):
    dims = model.graph.input[0].type.tensor_type.shape.dim
    del dims[:]
    for d in [100000, 100000, 1000]:
        dims.add().dim_value = d


def _stray_bytes_name(model):
    model.graph.node[0].name = STRAY_NAME_PLACEHOLDER.decode()


def _unknown_op(model):
    model.graph.node[0].op_type = "NoSuchOp"


def _no_opset(model):
    del model.opset_import[:]


def _huge_loop(model):
    output = model.graph.output[0]
    nodes, initializers = huge_loop_nodes(output.name, output.name + "_looped", True,
                                          TensorProto.FLOAT)
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(initializers)
    output.name = output.name + "_looped"


def _reshape_to_terabytes(model):
    output = model.graph.output[0]
    target = helper.make_tensor("terabytes", TensorProto.INT64, [2], [1 << 40, 1 << 40])
    model.graph.initializer.append(target)
    model.graph.node.append(helper.make_node("Reshape", [output.name, "terabytes"], ["huge"]))
    output.name = "huge"


# name -> (seed model, how it is broken)
REGRESSIONS = {
    "conv_strides_zero": ("test_conv_with_strides_padding", _strides_zero),
    "conv_group_negative": ("test_conv_with_strides_padding", _group_negative),
    "conv_group_as_float": ("test_conv_with_strides_padding", _int_as_float),
    "output_without_producer": ("test_matmul_2d", _output_without_producer),
    "instancenorm_output_without_producer": ("test_instancenorm_example",
                                             _output_without_producer),
    "convtranspose_weights_rank_2": ("test_convtranspose", _transpose_weights_rank_2),
    "maxpool_without_input": ("test_maxpool_2d_pads", _pool_without_input),
    "input_of_terabytes": ("test_matmul_2d", _huge_input),
    "name_with_stray_bytes": ("test_matmul_2d", _stray_bytes_name),
    "unknown_op": ("test_matmul_2d", _unknown_op),
    "no_opset_import": ("test_matmul_2d", _no_opset),
    "loop_of_2_to_the_40": ("test_matmul_2d", _huge_loop),
    "reshape_to_terabytes": ("test_matmul_2d", _reshape_to_terabytes),
}
