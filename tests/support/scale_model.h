#pragma once
// The smallest float model the bench tests compare: x[1,10] -> Mul 'scale' (k) -> y[1,10],
// written into a TempDir; variants differ by k.
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <string>

namespace qs::test {

inline std::string writeScaleModel(const TempDir &dir, const std::string &file, float k)
{
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    addInput(g, "x", {1, 10});
    onnx::TensorProto &t = *g.add_initializer();
    t.set_name("k");
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.add_float_data(k);
    addNode(g, "Mul", {"x", "k"}, {"y"}, "scale");
    addOutput(g, "y", {1, 10});
    dir.write(file, model.SerializeAsString());
    return dir.file(file);
}

} // namespace qs::test
