#include "quant/opset_upgrade.h"

#include "model/attributes.h"

#include <onnx/defs/schema.h>
#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <exception>
#include <set>

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
    if (opset >= 19)
        return opset >= 21 ? 10 : 9;
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

// The newest ai.onnx opset the linked ONNX knows (and its version converter reaches): 17 for
// the 1.12 this project builds with.
int64_t convertibleOpset()
{
    const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    const auto it = ranges.find("");
    return it == ranges.end() ? 17 : it->second.second;
}

// Opsets 18 to 21 past what ONNX's converter knows here, by hand. Among the ops a model holds
// before quantization only these changed meaning or form between 17 and 21 (the rest gained
// types, or attributes whose defaults keep the old meaning):
//  - 18: the reductions other than ReduceSum take `axes` as an input instead of an attribute;
//        Split needs `num_outputs` when it has no `split` input;
//  - 20: GridSample's modes "bilinear" / "bicubic" are called "linear" / "cubic"; DFT's `axis`
//        became an input (refused: rare, and its `inverse`/onesided rewrite is not worth it here).
// GroupNormalization (18, changed at 21) cannot occur in a model of opset 17 or less.
Status raiseBeyondConverter(onnx::GraphProto &graph, int64_t from, int64_t target, int &counter)
{
    static const std::set<std::string> axesBecameInput
        = {"ReduceL1",   "ReduceL2",  "ReduceLogSum", "ReduceLogSumExp", "ReduceMax",
           "ReduceMean", "ReduceMin", "ReduceProd",   "ReduceSumSquare"};
    for (auto &node : *graph.mutable_node()) {
        for (auto &attribute : *node.mutable_attribute()) {
            if (attribute.has_g())
                QS_RETURN_IF_ERROR(
                    raiseBeyondConverter(*attribute.mutable_g(), from, target, counter));
            for (auto &subgraph : *attribute.mutable_graphs())
                QS_RETURN_IF_ERROR(raiseBeyondConverter(subgraph, from, target, counter));
        }
        if (!isDefaultDomain(node.domain()))
            continue;
        const std::string &op = node.op_type();
        if (from < 18 && target >= 18 && axesBecameInput.count(op)) {
            const std::vector<int64_t> axes = intsAttribute(node, "axes");
            auto &attributes = *node.mutable_attribute();
            attributes.erase(std::remove_if(attributes.begin(), attributes.end(),
                                            [](const auto &a) { return a.name() == "axes"; }),
                             attributes.end());
            if (!axes.empty()) {
                onnx::TensorProto &tensor = *graph.add_initializer();
                tensor.set_name(node.output(0) + "_axes_opset18_" + std::to_string(counter++));
                tensor.set_data_type(onnx::TensorProto::INT64);
                tensor.add_dims(int64_t(axes.size()));
                for (const int64_t axis : axes)
                    tensor.add_int64_data(axis);
                node.add_input(tensor.name());
            }
        } else if (from < 18 && target >= 18 && op == "Split"
                   && (node.input_size() < 2 || node.input(1).empty())
                   && !findAttribute(node, "num_outputs")) {
            setIntAttribute(node, "num_outputs", node.output_size());
        } else if (from < 20 && target >= 20 && op == "GridSample") {
            for (auto &attribute : *node.mutable_attribute())
                if (attribute.name() == "mode" && attribute.s() != "nearest")
                    attribute.set_s(attribute.s() == "bicubic" ? "cubic" : "linear");
        } else if (from < 20 && target >= 20 && op == "DFT") {
            return unsupported("cannot raise the opset to " + std::to_string(target)
                               + ": DFT node '" + node.name()
                               + "' would need its axis attribute turned into an input");
        }
    }
    return Status::ok();
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
    // ONNX's converter as far as it knows opsets, our own steps beyond.
    const int64_t converterTarget = std::min(target, convertibleOpset());
    try {
        onnx::ModelProto converted
            = current >= converterTarget
                  ? prepared
                  : onnx::version_conversion::ConvertVersion(prepared,
                                                             static_cast<int>(converterTarget));
        auto *infos = converted.mutable_graph()->mutable_value_info();
        for (int i = infos->size() - 1; i >= 0; --i)
            if (infos->Get(i).type().tensor_type().elem_type() == 0)
                infos->DeleteSubrange(i, 1);
        restoreNonTensorTypes(prepared.graph(), *converted.mutable_graph());
        if (target > converterTarget) {
            int counter = 0;
            QS_RETURN_IF_ERROR(raiseBeyondConverter(*converted.mutable_graph(),
                                                    std::max(current, converterTarget), target,
                                                    counter));
            for (auto &opset : *converted.mutable_opset_import())
                if (isDefaultDomain(opset.domain()))
                    opset.set_version(target);
        }
        converted.set_ir_version(std::max(converted.ir_version(), irVersionOfOpset(target)));
        return converted;
    } catch (const std::exception &error) {
        return unsupported("cannot convert the model from opset " + std::to_string(current) + " to "
                           + std::to_string(target) + " (needed for quantization): " + error.what());
    }
}

Status raiseOpset(onnx::ModelProto &model, int64_t target, MessageId why,
                  std::vector<Diagnostic> &diagnostics)
{
    const int64_t opset = defaultDomainOpset(model);
    if (opset >= target)
        return Status::ok();
    auto upgraded = upgradeOpset(model, target);
    if (!upgraded)
        return upgraded.status();
    model = std::move(*upgraded);
    diagnostics.push_back(
        diagnosticOf(Severity::Info, makeMessage(MessageId::OpsetRaised,
                                                 {std::to_string(opset), std::to_string(target)},
                                                 makeMessage(why))));
    return Status::ok();
}

} // namespace qs
