#pragma once
// Tiny models for the export check (compare/verify.h): x float32[batch,2,4] -> Reshape with a
// constant shape -> Add 1 -> y float32[batch,8]. The shape decides whether the batch survives:
// [-1,8] and [0,-1] keep it, [1,-1] folds the batch into the row (the classic export bug: right
// at batch 1, wrong shape at batch 3), [1,8] fails at any batch but 1.
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <string>
#include <vector>

namespace qs::test {

inline std::string writeReshapeModel(const TempDir &dir, const std::string &file,
                                     const std::vector<int64_t> &shape)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {-1, 2, 4});
    addOutput(graph, "y", {-1, 8});
    addInt64Initializer(graph, "shape", shape);
    addFloatInitializer(graph, "one", {1}, std::vector<float>{1.0f});
    addNode(graph, "Reshape", {"x", "shape"}, {"flat"}, "/model/Reshape_2");
    addNode(graph, "Add", {"flat", "one"}, {"y"}, "add_one");
    dir.write(file, proto.SerializeAsString());
    return dir.file(file);
}

// The same computation with a fixed batch of 1 on the input: the batch check does not apply.
inline std::string writeFixedBatchModel(const TempDir &dir)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 2, 4});
    addOutput(graph, "y", {1, 8});
    addInt64Initializer(graph, "shape", {1, 8});
    addFloatInitializer(graph, "one", {1}, std::vector<float>{1.0f});
    addNode(graph, "Reshape", {"x", "shape"}, {"flat"}, "reshape");
    addNode(graph, "Add", {"flat", "one"}, {"y"}, "add_one");
    dir.write("fixed.onnx", proto.SerializeAsString());
    return dir.file("fixed.onnx");
}

// x float32[batch,2,4] -> Transpose -> y float32[2,batch,4]: the batch on axis 1 of the output,
// as a sequence-first RNN writes it.
inline std::string writeBatchSecondModel(const TempDir &dir)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {-1, 2, 4});
    setSymbolicTensorType(*graph.add_output(), "y", {"2", "batch", "4"});
    setIntsAttribute(addNode(graph, "Transpose", {"x"}, {"y"}, "transpose"), "perm", {1, 0, 2});
    dir.write("second.onnx", proto.SerializeAsString());
    return dir.file("second.onnx");
}

// x for the models above: batch `batch`, values i * 0.25 - 1 (distinct per sample).
inline std::vector<float> batchInputValues(int64_t batch)
{
    std::vector<float> values(size_t(batch * 8));
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = float(i) * 0.25f - 1.0f;
    return values;
}

} // namespace qs::test
