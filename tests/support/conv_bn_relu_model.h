#pragma once
// Two Conv -> BatchNormalization -> Relu blocks and a GlobalAveragePool: the engine runs it as
// three steps when fused (each Conv absorbs its BatchNorm and Relu) and seven when not, so tests
// of profiles and of --no-fusion see the difference.
#include "support/model_builder.h"
#include "support/random_data.h"

#include <string>

namespace qs::test {

// x[1,3,8,8] -> conv (4 out, 3x3 pad 1) -> bn -> relu -> conv2 (4 out, 1x1) -> bn2 -> relu2
// -> pool -> y[1,4,1,1]. Weights from fixed seeds; variances in [0.5, 1.5).
inline onnx::ModelProto convBnReluModel()
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 3, 8, 8});
    addOutput(graph, "y", {1, 4, 1, 1});
    auto addBlock = [&](const std::string &suffix, const std::string &input, int64_t inChannels,
                        int64_t kernel, unsigned seed) {
        const std::string conv = "conv" + suffix, bn = "bn" + suffix, relu = "relu" + suffix;
        addFloatInitializer(graph, conv + ".w", {4, inChannels, kernel, kernel},
                            randomNormal(size_t(4 * inChannels * kernel * kernel), seed, 0.3f));
        addFloatInitializer(graph, conv + ".b", {4}, randomNormal(4, seed + 1));
        addFloatInitializer(graph, bn + ".scale", {4}, randomNormal(4, seed + 2));
        addFloatInitializer(graph, bn + ".bias", {4}, randomNormal(4, seed + 3));
        addFloatInitializer(graph, bn + ".mean", {4}, randomNormal(4, seed + 4));
        addFloatInitializer(graph, bn + ".var", {4}, randomUniform(4, seed + 5, 0.5f, 1.5f));
        onnx::NodeProto &node = addNode(graph, "Conv", {input, conv + ".w", conv + ".b"},
                                        {conv + ".out"}, conv);
        if (kernel > 1)
            setIntsAttribute(node, "pads", {1, 1, 1, 1});
        addNode(graph, "BatchNormalization",
                {conv + ".out", bn + ".scale", bn + ".bias", bn + ".mean", bn + ".var"},
                {bn + ".out"}, bn);
        addNode(graph, "Relu", {bn + ".out"}, {relu + ".out"}, relu);
        return relu + ".out";
    };
    const std::string first = addBlock("", "x", 3, 3, 1);
    const std::string second = addBlock("2", first, 4, 1, 11);
    addNode(graph, "GlobalAveragePool", {second}, {"y"}, "pool");
    return proto;
}

} // namespace qs::test
