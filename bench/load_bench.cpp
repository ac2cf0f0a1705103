// Load + index + summarize a large model and print wall time and peak memory. With --generate
// it first writes a ~200 MB model (a stack of MatMul layers) so the bench needs no download.
// run-benchmarks.sh prints these figures next to Python's onnx.load of the same file.
#include "model/model.h"
#include "model/model_summary.h"
#include "model/model_writer.h"

#include <onnx/onnx_pb.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/resource.h>

namespace {

onnx::ModelProto makeLargeModel(int layers, int width)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.set_producer_name("quantscope-bench");
    model.add_opset_import()->set_version(13);
    onnx::GraphProto &graph = *model.mutable_graph();
    auto addValue = [](onnx::ValueInfoProto &value, const std::string &name, int width) {
        value.set_name(name);
        auto *tensor = value.mutable_type()->mutable_tensor_type();
        tensor->set_elem_type(onnx::TensorProto::FLOAT);
        tensor->mutable_shape()->add_dim()->set_dim_param("batch");
        tensor->mutable_shape()->add_dim()->set_dim_value(width);
    };
    addValue(*graph.add_input(), "x", width);
    std::string previous = "x";
    for (int i = 0; i < layers; ++i) {
        const std::string weight = "w" + std::to_string(i);
        onnx::TensorProto &tensor = *graph.add_initializer();
        tensor.set_name(weight);
        tensor.set_data_type(onnx::TensorProto::FLOAT);
        tensor.add_dims(width);
        tensor.add_dims(width);
        std::string bytes(static_cast<size_t>(width) * width * sizeof(float), '\0');
        for (size_t b = 0; b < bytes.size(); b += 4)
            bytes[b + 1] = static_cast<char>(b * 31 + i);
        tensor.set_raw_data(std::move(bytes));
        onnx::NodeProto &matmul = *graph.add_node();
        matmul.set_op_type("MatMul");
        matmul.set_name("layer" + std::to_string(i) + "/matmul");
        matmul.add_input(previous);
        matmul.add_input(weight);
        matmul.add_output("h" + std::to_string(i));
        onnx::NodeProto &relu = *graph.add_node();
        relu.set_op_type("Relu");
        relu.add_input("h" + std::to_string(i));
        previous = "a" + std::to_string(i);
        relu.add_output(previous);
    }
    addValue(*graph.add_output(), previous, width);
    return model;
}

long peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--generate") == 0) {
        // 50 layers of 1024x1024 float32: 50 x 4 MiB = 210 MB.
        qs::Status saved = qs::saveModel(makeLargeModel(50, 1024), argv[2], {}, ".");
        if (!saved.isOk()) {
            std::fprintf(stderr, "error: %s\n", saved.message().c_str());
            return 2;
        }
        return 0;
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: load_bench MODEL | load_bench --generate OUT.onnx\n");
        return 2;
    }
    const long baselineKb = peakRssKb();
    const auto start = std::chrono::steady_clock::now();
    auto model = qs::Model::load(argv[1]);
    if (!model) {
        std::fprintf(stderr, "error: %s\n", model.status().message().c_str());
        return 2;
    }
    const qs::ModelSummary summary = qs::summarize(*model.value());
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("quantscope load+index+summarize: %.3f s, peak RSS %.1f MB (%.1f MB before "
                "loading), %lld nodes, %lld parameters\n",
                seconds, peakRssKb() / 1024.0, baselineKb / 1024.0,
                static_cast<long long>(summary.nodeCountTotal),
                static_cast<long long>(summary.parameterCount));
    return 0;
}
