// A model whose middle and outputs are sequences goes through static calibration and INT8
// quantization: calibration observes only tensors (the sequence values are never offered to it),
// the convolutions around the sequence ops are still quantized, and the result runs.
#include "quant/quantizer.h"
#include "quant_test_models.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

// x[1,3,8,8] -> Conv 'conv1' -> SplitToSequence (channels) -> ConcatFromSequence -> Conv 'conv2'
//   -> y; the split sequence is also a graph output.
onnx::ModelProto sequenceModel()
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 3, 8, 8});
    randomInitializer(g, "w1", {4, 3, 3, 3}, 1);
    randomInitializer(g, "w2", {2, 4, 1, 1}, 2);
    setIntsAttribute(addNode(g, "Conv", {"x", "w1"}, {"c1"}, "conv1"), "pads", {1, 1, 1, 1});
    setIntAttribute(addNode(g, "SplitToSequence", {"c1"}, {"parts"}, "split"), "axis", 1);
    setIntAttribute(addNode(g, "ConcatFromSequence", {"parts"}, {"joined"}, "concat"), "axis", 1);
    addNode(g, "Conv", {"joined", "w2"}, {"y"}, "conv2");
    addOutput(g, "y", {1, 2, 8, 8});
    onnx::ValueInfoProto &parts = *g.add_output();
    parts.set_name("parts");
    parts.mutable_type()
        ->mutable_sequence_type()
        ->mutable_elem_type()
        ->mutable_tensor_type()
        ->set_elem_type(onnx::TensorProto::FLOAT);
    return model;
}

TEST(SequenceQuantization, CalibratesAndQuantizesAroundSequenceValues)
{
    for (const auto format : {quantscope::QUANT_FORMAT_QDQ, quantscope::QUANT_FORMAT_QOPERATOR}) {
        SCOPED_TRACE(quantscope::QuantFormat_Name(format));
        quantscope::Recipe recipe;
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.set_format(format);
        recipe.mutable_calibration()->set_max_samples(4);
        auto result = quantizeModel(loadProto(sequenceModel()), recipe, QuantizeSettings{},
                                    silentProgress());
        ASSERT_TRUE(result) << result.status().message();
        EXPECT_EQ(result->calibrationSamples, 4);
        const auto &graph = result->model.graph();
        EXPECT_EQ(countOps(graph, "SplitToSequence"), 1);
        EXPECT_EQ(countOps(graph, "ConcatFromSequence"), 1);
        EXPECT_GT(countOps(graph, "QuantizeLinear"), 0);

        auto quantized = loadProto(result->model);
        ASSERT_TRUE(quantized);
        auto session = Session::create(quantized, sessionOptions(1));
        ASSERT_TRUE(session) << session.status().message();
        const std::map<std::string, Tensor> inputs{{"x", uniformTensor({1, 3, 8, 8}, 7)}};
        auto outputs = (*session)->runValues(inputs);
        ASSERT_TRUE(outputs) << outputs.status().message();
        ASSERT_EQ(outputs->size(), 2u);
        EXPECT_EQ((*outputs)[0].second.tensor().describe(), "float32[1,2,8,8]");
        ASSERT_TRUE((*outputs)[1].second.isSequence());
        EXPECT_EQ((*outputs)[1].second.items().size(), 4u);
    }
}

} // namespace
} // namespace qs
