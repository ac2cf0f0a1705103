#include "quant/opset_upgrade.h"

#include "model/attributes.h"

#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <exception>

namespace qs {

int64_t defaultDomainOpset(const onnx::ModelProto &model)
{
    for (const auto &opset : model.opset_import())
        if (isDefaultDomain(opset.domain()))
            return opset.version();
    return 0;
}

namespace {

// The IR version that came with an opset of the default domain (ONNX's versioning table). A
// model raised to a new opset keeps its old IR version otherwise, and at IR 3 every initializer
// must also be a graph input: the quantizer's scales and zero points then fail the checker.
int64_t irVersionOfOpset(int64_t opset)
{
    return opset >= 15 ? 8 : opset >= 12 ? 7 : opset == 11 ? 6 : opset == 10 ? 5 : 3;
}

// Softmax, LogSoftmax and Hardmax before opset 13 flatten their input to 2-D at `axis`; from 13
// they work along `axis` alone. ONNX's converter adapts them only when it knows the input's
// rank, which shape inference often cannot tell (rank after a computed Reshape). Spelling the
// old meaning out as Flatten -> op(axis=1) -> Reshape(Shape(x)) is exact at every opset and
// leaves the converter an input of known rank 2.
void spellOutCoercedSoftmax(onnx::GraphProto &graph)
{
    google::protobuf::RepeatedPtrField<onnx::NodeProto> rewritten;
    int counter = 0;
    for (auto &node : *graph.mutable_node()) {
        for (auto &attribute : *node.mutable_attribute()) {
            if (attribute.has_g())
                spellOutCoercedSoftmax(*attribute.mutable_g());
            for (auto &subgraph : *attribute.mutable_graphs())
                spellOutCoercedSoftmax(subgraph);
        }
        const bool coerced = isDefaultOp(node, "Softmax") || isDefaultOp(node, "LogSoftmax")
                             || isDefaultOp(node, "Hardmax");
        if (!coerced || node.input_size() != 1 || node.output_size() != 1) {
            *rewritten.Add() = node;
            continue;
        }
        const int64_t axis = intAttribute(node, "axis", 1);
        const std::string input = node.input(0);
        const std::string output = node.output(0);
        const std::string tag = output + "_opset13_" + std::to_string(counter++);

        onnx::NodeProto &flatten = *rewritten.Add();
        flatten.set_op_type("Flatten");
        flatten.set_name(tag + "_flatten");
        flatten.add_input(input);
        flatten.add_output(tag + "_2d");
        setIntAttribute(flatten, "axis", axis);

        onnx::NodeProto &softmax = *rewritten.Add();
        softmax = node; // keeps the user's node name
        softmax.set_input(0, tag + "_2d");
        softmax.set_output(0, tag + "_2d_out");
        softmax.clear_attribute();
        setIntAttribute(softmax, "axis", 1);

        onnx::NodeProto &shape = *rewritten.Add();
        shape.set_op_type("Shape");
        shape.set_name(tag + "_shape");
        shape.add_input(input);
        shape.add_output(tag + "_shape");

        onnx::NodeProto &reshape = *rewritten.Add();
        reshape.set_op_type("Reshape");
        reshape.set_name(tag + "_reshape");
        reshape.add_input(tag + "_2d_out");
        reshape.add_input(tag + "_shape");
        reshape.add_output(output);

        // The converter reads ranks from value_info: rank 2, dims unknown.
        auto *info = graph.add_value_info();
        info->set_name(tag + "_2d");
        auto *shapeProto = info->mutable_type()->mutable_tensor_type()->mutable_shape();
        shapeProto->add_dim()->set_dim_param(tag + "_rows");
        shapeProto->add_dim()->set_dim_param(tag + "_cols");
    }
    graph.mutable_node()->Swap(&rewritten);
}

// The version converter writes graph inputs and outputs back with tensor types only: a
// sequence or optional output comes out with no type at all, which the checker refuses. The
// conversion renames nothing, so the source's types are put back by name.
void restoreNonTensorTypes(const onnx::GraphProto &source, onnx::GraphProto &converted)
{
    auto restore = [](const auto &from, auto &to) {
        for (auto &value : to) {
            if (value.has_type() && value.type().value_case() != onnx::TypeProto::VALUE_NOT_SET)
                continue;
            for (const auto &original : from) {
                if (original.name() == value.name())
                    *value.mutable_type() = original.type();
            }
        }
    };
    restore(source.input(), *converted.mutable_input());
    restore(source.output(), *converted.mutable_output());
}

} // namespace

Result<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model, int64_t target)
{
    const int64_t current = defaultDomainOpset(model);
    if (current >= target)
        return model;
    onnx::ModelProto prepared = model;
    if (current < 13 && target >= 13)
        spellOutCoercedSoftmax(*prepared.mutable_graph());
    // The rank-only value_info added above has no element type; the converter needs none, and
    // it is dropped again below so the checker does not see half-typed entries.
    try {
        onnx::ModelProto converted
            = onnx::version_conversion::ConvertVersion(prepared, static_cast<int>(target));
        auto *infos = converted.mutable_graph()->mutable_value_info();
        for (int i = infos->size() - 1; i >= 0; --i)
            if (infos->Get(i).type().tensor_type().elem_type() == 0)
                infos->DeleteSubrange(i, 1);
        restoreNonTensorTypes(prepared.graph(), *converted.mutable_graph());
        converted.set_ir_version(std::max(converted.ir_version(), irVersionOfOpset(target)));
        return converted;
    } catch (const std::exception &error) {
        return unsupported("cannot convert the model from opset " + std::to_string(current) + " to "
                           + std::to_string(target) + " (needed for quantization): " + error.what());
    }
}

} // namespace qs
