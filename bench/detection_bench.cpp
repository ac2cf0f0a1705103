// Times the detector post-processing kernels at realistic sizes and prints the median of a few
// runs per op (figures only, never a timed test):
//   NonMaxSuppression  1 x 80 classes x 5000 boxes, max 100 per class, IoU 0.5, score > 0.05
//   RoiAlign           1000 RoIs, 7x7 bins, sampling_ratio 2, on a 1x256x50x50 feature map
//   GridSample         1x32x128x128, bilinear, zeros padding, a 128x128 grid
// Usage: detection_bench [threads]   (default 1)
#include "model/model.h"
#include "runtime/session.h"
#include "tests/support/model_builder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

namespace {

using namespace qs;

struct Case
{
    const char *name;
    onnx::ModelProto model;
    std::map<std::string, Tensor> inputs;
};

Tensor uniform(Shape shape, float low, float high, std::mt19937 &random)
{
    Tensor tensor = Tensor::allocate(DType::Float32, std::move(shape));
    std::uniform_real_distribution<float> distribution(low, high);
    for (float &value : tensor.mutableValues<float>())
        value = distribution(random);
    return tensor;
}

Case nmsCase(std::mt19937 &random)
{
    Case c{"NonMaxSuppression 1x80x5000", test::makeModel(13), {}};
    onnx::GraphProto &graph = *c.model.mutable_graph();
    test::addInput(graph, "boxes", {1, 5000, 4});
    test::addInput(graph, "scores", {1, 80, 5000});
    test::addInt64Initializer(graph, "max", {100});
    test::addFloatInitializer(graph, "iou", {1}, std::vector<float>{0.5f});
    test::addFloatInitializer(graph, "score", {1}, std::vector<float>{0.05f});
    test::addNode(graph, "NonMaxSuppression", {"boxes", "scores", "max", "iou", "score"}, {"y"});
    test::addOutput(graph, "y", {-1, 3}, onnx::TensorProto::INT64);
    // Corner boxes of 10..100 pixels in an 800x800 image: many overlap, as a detector's do.
    Tensor boxes = Tensor::allocate(DType::Float32, {1, 5000, 4});
    std::uniform_real_distribution<float> position(0.0f, 700.0f), size(10.0f, 100.0f);
    float *b = boxes.mutableData<float>();
    for (int i = 0; i < 5000; ++i, b += 4) {
        b[0] = position(random);
        b[1] = position(random);
        b[2] = b[0] + size(random);
        b[3] = b[1] + size(random);
    }
    c.inputs = {{"boxes", boxes}, {"scores", uniform({1, 80, 5000}, 0.0f, 1.0f, random)}};
    return c;
}

Case roiAlignCase(std::mt19937 &random)
{
    Case c{"RoiAlign 1000 RoIs 7x7 on 1x256x50x50", test::makeModel(16), {}};
    onnx::GraphProto &graph = *c.model.mutable_graph();
    test::addInput(graph, "x", {1, 256, 50, 50});
    test::addInput(graph, "rois", {1000, 4});
    test::addInput(graph, "batch", {1000}, onnx::TensorProto::INT64);
    onnx::NodeProto &node = test::addNode(graph, "RoiAlign", {"x", "rois", "batch"}, {"y"});
    test::setIntAttribute(node, "output_height", 7);
    test::setIntAttribute(node, "output_width", 7);
    test::setIntAttribute(node, "sampling_ratio", 2);
    test::setFloatAttribute(node, "spatial_scale", 1.0f / 16.0f);
    test::addOutput(graph, "y", {1000, 256, 7, 7});
    Tensor rois = Tensor::allocate(DType::Float32, {1000, 4});
    std::uniform_real_distribution<float> position(0.0f, 600.0f), size(16.0f, 200.0f);
    float *r = rois.mutableData<float>();
    for (int i = 0; i < 1000; ++i, r += 4) {
        r[0] = position(random);
        r[1] = position(random);
        r[2] = r[0] + size(random);
        r[3] = r[1] + size(random);
    }
    c.inputs = {{"x", uniform({1, 256, 50, 50}, -1.0f, 1.0f, random)},
                {"rois", rois},
                {"batch", Tensor::fromVector<int64_t>({1000}, std::vector<int64_t>(1000, 0))}};
    return c;
}

Case gridSampleCase(std::mt19937 &random)
{
    Case c{"GridSample 1x32x128x128 bilinear", test::makeModel(16), {}};
    onnx::GraphProto &graph = *c.model.mutable_graph();
    test::addInput(graph, "x", {1, 32, 128, 128});
    test::addInput(graph, "grid", {1, 128, 128, 2});
    test::addNode(graph, "GridSample", {"x", "grid"}, {"y"});
    test::addOutput(graph, "y", {1, 32, 128, 128});
    c.inputs = {{"x", uniform({1, 32, 128, 128}, -1.0f, 1.0f, random)},
                {"grid", uniform({1, 128, 128, 2}, -1.0f, 1.0f, random)}};
    return c;
}

} // namespace

int main(int argc, char **argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    std::mt19937 random(18);
    Case cases[] = {nmsCase(random), roiAlignCase(random), gridSampleCase(random)};
    std::printf("detection kernels, %d thread(s), median of 11 runs\n", threads);
    for (Case &c : cases) {
        auto model = Model::fromProto(std::move(c.model), {});
        if (!model) {
            std::printf("%-40s  model: %s\n", c.name, model.status().message().c_str());
            return 1;
        }
        auto session = Session::create(*model, sessionOptions(threads));
        if (!session) {
            std::printf("%-40s  session: %s\n", c.name, session.status().message().c_str());
            return 1;
        }
        std::vector<double> times;
        std::string shape;
        for (int run = 0; run < 12; ++run) {
            const auto start = std::chrono::steady_clock::now();
            auto outputs = (*session)->run(c.inputs);
            const auto end = std::chrono::steady_clock::now();
            if (!outputs) {
                std::printf("%-40s  run: %s\n", c.name, outputs.status().message().c_str());
                return 1;
            }
            shape = outputs->front().second.describe();
            if (run > 0) // the first run warms caches and the allocator
                times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
        std::sort(times.begin(), times.end());
        std::printf("%-40s  %8.2f ms  -> %s\n", c.name, times[times.size() / 2], shape.c_str());
    }
    return 0;
}
