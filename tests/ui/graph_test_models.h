#pragma once
// Generated models for the graph view's tests and bench (bench/graph_view_bench.cpp): a chain
// of residual blocks with module-path names ("/stage3/block7/conv1/Conv"), a side branch
// (Constant scale + Mul) in every fourth block, 1x1 convolutions with small weights so that
// 20,000 nodes load in seconds. And the loader both graph tests use.
#include "model/model.h"
#include "tests/support/model_builder.h"

#include <onnx/onnx_pb.h>

#include <QString>
#include <QtGlobal>

#include <memory>
#include <string>

namespace qs::test {

// A fetched or generated model file the graph tests cannot do without.
inline std::shared_ptr<const Model> loadModelOrDie(const QString &path)
{
    Result<std::shared_ptr<const Model>> model = Model::load(path.toStdString());
    if (!model)
        qFatal("cannot load %s: %s", qPrintable(path), model.status().message().c_str());
    return *model;
}

inline onnx::ModelProto makeBlockChainModel(int nodeCount, int blocksPerStage = 25)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    g.set_name("block_chain");
    const std::vector<int64_t> shape{1, 4, 8, 8};
    addInput(g, "x", shape);
    std::string h = "x";
    int nodes = 0;
    for (int block = 0; nodes < nodeCount; ++block) {
        const std::string prefix = "/stage" + std::to_string(block / blocksPerStage) + "/block"
                                   + std::to_string(block % blocksPerStage) + "/";
        auto name = [&](const std::string &module, const std::string &op) {
            return prefix + module + "/" + op;
        };
        auto value = [&](const std::string &what) { return prefix + what; };
        addInitializer(g, value("w1"), {4, 4, 1, 1});
        addInitializer(g, value("w2"), {4, 4, 1, 1});
        addNode(g, "Conv", {h, value("w1")}, {value("c1")}, name("conv1", "Conv"));
        addNode(g, "Relu", {value("c1")}, {value("r1")}, name("relu1", "Relu"));
        addNode(g, "Conv", {value("r1"), value("w2")}, {value("c2")}, name("conv2", "Conv"));
        addNode(g, "Add", {h, value("c2")}, {value("a")}, name("add", "Add"));
        addNode(g, "Relu", {value("a")}, {value("out")}, name("relu2", "Relu"));
        nodes += 5;
        h = value("out");
        if (block % 4 == 3) {
            onnx::NodeProto &constant = addNode(g, "Constant", {}, {value("k")},
                                                name("scale", "Constant"));
            onnx::AttributeProto &attr = *constant.add_attribute();
            attr.set_name("value");
            attr.set_type(onnx::AttributeProto::TENSOR);
            attr.mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
            attr.mutable_t()->add_float_data(0.5f);
            addNode(g, "Mul", {h, value("k")}, {value("scaled")}, name("scale", "Mul"));
            nodes += 2;
            h = value("scaled");
        }
    }
    addNode(g, "Identity", {h}, {"y"}, "/head/Identity");
    addOutput(g, "y", shape);
    return model;
}

} // namespace qs::test
