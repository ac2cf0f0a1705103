#include "quant/bias_correction.h"

#include "graph/graph.h"
#include "model/attributes.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/calibration/calibrator.h"
#include "runtime/session.h"

#include <cmath>
#include <cstdio>
#include <mutex>

namespace qs {

namespace {

struct ChannelSum
{
    std::vector<double> sums;
    int64_t perChannel = 0; // values added to each channel
};

void addToSum(ChannelSum &sum, const Tensor &value)
{
    if (value.dtype() != DType::Float32 || value.rank() < 2)
        return;
    const Shape &shape = value.shape();
    const int64_t channels = shape[1];
    int64_t inner = 1;
    for (size_t d = 2; d < shape.size(); ++d)
        inner *= shape[d];
    if (sum.sums.empty())
        sum.sums.assign(size_t(channels), 0.0);
    if (int64_t(sum.sums.size()) != channels)
        return;
    const float *data = value.data<float>();
    for (int64_t n = 0; n < shape[0]; ++n) {
        for (int64_t c = 0; c < channels; ++c) {
            const float *block = data + (n * channels + c) * inner;
            double total = 0;
            for (int64_t i = 0; i < inner; ++i)
                total += block[i];
            sum.sums[size_t(c)] += total;
        }
    }
    sum.perChannel += shape[0] * inner;
}

// The dequantized weight, as the writer's DequantizeLinear will give it.
std::vector<float> dequantized(const QuantizedTensor &q, const Shape &shape)
{
    const int64_t count = q.values.elementCount();
    int64_t stride = 1, channels = 1;
    if (q.axis >= 0) {
        channels = shape[size_t(q.axis)];
        for (size_t d = size_t(q.axis) + 1; d < shape.size(); ++d)
            stride *= shape[d];
    }
    std::vector<float> values(static_cast<size_t>(count));
    for (int64_t e = 0; e < count; ++e) {
        const size_t c = q.axis >= 0 ? size_t((e / stride) % channels) : 0;
        const int32_t level = q.values.dtype() == DType::UInt8
                                  ? int32_t(q.values.data<uint8_t>()[e])
                                  : int32_t(q.values.data<int8_t>()[e]);
        values[size_t(e)] = float(level - q.zeroPoints[c]) * q.scales[c];
    }
    return values;
}

// Planned Conv / Gemm nodes of the main graph whose weight is a float32 constant and whose
// input has channels on axis 1.
bool correctable(const NodeInfo &node, Graph &graph)
{
    const onnx::NodeProto &proto = *node.proto;
    if (node.graph != 0 || proto.input_size() < 2)
        return false;
    if (proto.op_type() == "Gemm") {
        if (intAttribute(proto, "transA", 0) != 0)
            return false;
    } else if (proto.op_type() != "Conv") {
        return false;
    }
    const Tensor *weight = graph.constant(proto.input(1));
    if (!weight || weight->dtype() != DType::Float32 || weight->rank() < 2)
        return false;
    if (proto.input_size() > 2 && !proto.input(2).empty()) {
        const Tensor *bias = graph.constant(proto.input(2));
        return bias && bias->dtype() == DType::Float32;
    }
    return true;
}

} // namespace

Result<std::map<std::string, std::vector<double>>> channelMeans(const Session &session,
                                                                SampleSource &source,
                                                                const std::set<std::string> &values,
                                                                Progress &progress)
{
    std::map<std::string, ChannelSum> sums;
    for (const std::string &value : values)
        sums.emplace(value, ChannelSum{});
    auto samples = observeSamples(
        session, source, values,
        [&](const std::string &name, const Tensor &value) { addToSum(sums.at(name), value); },
        makeMessage(MessageId::StepBiasCorrectionMeans, {}, source.description()), progress);
    if (!samples)
        return samples.status();
    std::map<std::string, std::vector<double>> means;
    for (auto &[name, sum] : sums) {
        if (sum.perChannel == 0)
            continue;
        for (double &value : sum.sums)
            value /= double(sum.perChannel);
        means.emplace(name, std::move(sum.sums));
    }
    return means;
}

std::vector<double> biasShift(const onnx::NodeProto &node, const Tensor &weight,
                              const std::vector<double> &inputMeans,
                              const StaticWriteOptions &options)
{
    const bool gemm = node.op_type() == "Gemm";
    const bool transB = gemm && intAttribute(node, "transB", 0) != 0;
    const Shape &shape = weight.shape();
    WeightQuantOptions quant;
    quant.type = options.weightType;
    quant.symmetric = options.symmetricWeights;
    quant.reduceRange = options.reduceRange;
    if (options.perChannel)
        quant.axis = weightLayout(node).channelAxis;
    const std::vector<float> rounded = dequantized(quantizeWeights(weight, quant), shape);
    const float *original = weight.data<float>();
    // Conv W [M, C/g, k...]: output row, input group(row) * C/g + column. Gemm B [K, N] or
    // [N, K] (transB).
    const int64_t outputs = gemm ? shape[transB ? 0 : 1] : shape[0];
    const int64_t columns = shape[1];
    int64_t inner = 1;
    for (size_t d = 2; d < shape.size(); ++d)
        inner *= shape[d];
    const int64_t group = gemm ? 1 : intAttribute(node, "group", 1);
    const int64_t perGroup = std::max<int64_t>(1, outputs / std::max<int64_t>(group, 1));
    std::vector<double> shift(size_t(outputs), 0.0);
    for (int64_t e = 0; e < weight.elementCount(); ++e) {
        int64_t out = 0, in = 0;
        if (gemm) {
            out = transB ? e / columns : e % columns;
            in = transB ? e % columns : e / columns;
        } else {
            out = e / (columns * inner);
            in = (out / perGroup) * columns + (e / inner) % columns;
        }
        if (size_t(in) >= inputMeans.size())
            return {};
        shift[size_t(out)] -= (double(rounded[size_t(e)]) - original[e]) * inputMeans[size_t(in)];
    }
    if (gemm) {
        // Y = alpha A B + beta C: the error is alpha's, and C is read through beta.
        const double beta = floatAttribute(node, "beta", 1.0f);
        if (beta == 0)
            return {};
        for (double &value : shift)
            value *= floatAttribute(node, "alpha", 1.0f) / beta;
    }
    return shift;
}

Message BiasCorrectionResult::note() const
{
    char shift[32];
    std::snprintf(shift, sizeof shift, "%.3g", meanAbsShift);
    return makeMessage(MessageId::BiasCorrected, {std::to_string(corrected), shift});
}

Result<BiasCorrectionResult> correctBiases(std::shared_ptr<const Model> model,
                                           const StaticPlan &plan,
                                           const StaticWriteOptions &options,
                                           const SampleSourceSettings &samples, int threads,
                                           Progress &progress)
{
    auto graph = Graph::fromModel(model);
    if (!graph)
        return graph.status();
    std::map<int, NodeId> bySource;
    for (const NodeId id : (*graph)->nodeIds())
        bySource.emplace((*graph)->node(id).sourceId, id);
    std::vector<int> layers;
    std::set<std::string> inputs;
    for (const int id : plan.quantizedNodes) {
        const NodeInfo &node = model->index().nodes()[size_t(id)];
        if (bySource.count(id) && correctable(node, **graph)) {
            layers.push_back(id);
            inputs.insert(node.proto->input(0));
        }
    }
    BiasCorrectionResult result;
    result.model = model;
    if (layers.empty())
        return result;
    auto session = Session::create(model, sessionOptions(threads, samples.dimValues, false),
                                   progress);
    if (!session)
        return session.status();
    auto source = openSampleSource(inputSpecs(**session), samples);
    if (!source)
        return source.status();
    auto means = channelMeans(**session, **source, inputs, progress);
    if (!means)
        return means.status();
    double totalShift = 0;
    int64_t shifted = 0;
    for (const int id : layers) {
        const NodeInfo &info = model->index().nodes()[size_t(id)];
        const NodeId node = bySource.at(id);
        const onnx::NodeProto proto = (*graph)->node(node).proto;
        auto mean = means->find(proto.input(0));
        if (mean == means->end())
            continue;
        const Tensor &weight = *(*graph)->constant(proto.input(1));
        const std::vector<double> shift = biasShift(proto, weight, mean->second, options);
        const bool hasBias = proto.input_size() > 2 && !proto.input(2).empty();
        const Tensor *bias = hasBias ? (*graph)->constant(proto.input(2)) : nullptr;
        if (shift.empty() || (bias && bias->elementCount() != int64_t(shift.size())))
            continue;
        Tensor corrected = bias ? bias->clone()
                                : Tensor::allocate(DType::Float32, {int64_t(shift.size())});
        float *values = corrected.mutableData<float>();
        for (size_t c = 0; c < shift.size(); ++c) {
            values[c] = float((bias ? values[c] : 0.0f) + shift[c]);
            totalShift += std::fabs(shift[c]);
        }
        shifted += int64_t(shift.size());
        const std::string name
            = (*graph)->addInitializer(hasBias ? proto.input(2) + "_corrected"
                                               : info.displayName + "_bias_corrected",
                                       std::move(corrected));
        if (hasBias)
            (*graph)->setInput(node, 2, name);
        else
            (*graph)->addInput(node, name);
        ++result.corrected;
    }
    result.meanAbsShift = shifted > 0 ? totalShift / double(shifted) : 0.0;
    (*graph)->removeUnusedConstants();
    auto proto = (*graph)->toModelProto();
    if (!proto)
        return proto.status();
    auto corrected = Model::fromProto(std::move(*proto), model->baseDir(), progress);
    if (!corrected)
        return corrected.status();
    result.model = *corrected;
    return result;
}

} // namespace qs
