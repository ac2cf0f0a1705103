#pragma once
// A model whose inputs have a named dim that is not the batch, so that random data cannot size
// it without `--dim seq=N`: the case the run, quantize and bench tests share.
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <string>

namespace qs::test {

// x[batch,seq,8] -> MatMul 'fc' (8x4 weights of 0.5) -> Mul 'gate' by mask[batch,seq,1]
// -> y[batch,seq,4]. Both ops are quantizable by static INT8.
inline std::string writeSequenceModel(const TempDir &dir)
{
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    setSymbolicTensorType(*graph.add_input(), "x", {"batch", "seq", "8"});
    setSymbolicTensorType(*graph.add_input(), "mask", {"batch", "seq", "1"});
    addInitializer(graph, "w", {8, 4});
    addNode(graph, "MatMul", {"x", "w"}, {"h"}, "fc");
    addNode(graph, "Mul", {"h", "mask"}, {"y"}, "gate");
    setSymbolicTensorType(*graph.add_output(), "y", {"batch", "seq", "4"});
    dir.write("sequence.onnx", proto.SerializeAsString());
    return dir.file("sequence.onnx");
}

} // namespace qs::test
