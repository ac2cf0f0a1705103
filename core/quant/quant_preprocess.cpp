#include "quant/quant_preprocess.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "quant/graph_rewrite.h"

#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

bool hasPadding(const onnx::NodeProto &conv)
{
    for (const auto &attribute : conv.attribute()) {
        if (attribute.name() == "pads")
            for (const int64_t pad : attribute.ints())
                if (pad != 0)
                    return true;
        if (attribute.name() == "auto_pad" && attribute.s().rfind("SAME", 0) == 0)
            return true;
    }
    return false;
}

bool near(float value, float expected)
{
    return std::fabs(value - expected) <= 1e-6f * std::max(1.0f, std::fabs(expected));
}

// y -> y * scale[c] + shift[c], per output channel of a conv.
struct ChannelAffine
{
    std::vector<double> scale;
    std::vector<double> shift;
};

// What happens to one conv: the nodes folded after it (in order) and the affine step in front.
struct ConvFold
{
    std::vector<const NodeInfo *> after;
    ChannelAffine affine;
    std::vector<const NodeInfo *> before; // from the conv's input backwards
    double inputScale = 1.0;
    double inputShift = 0.0;
    std::string input;  // what the conv reads once `before` is folded
    std::string output; // what the conv writes once `after` is folded
};

struct HardSwishMatch
{
    std::string input;
    std::vector<int> absorbed; // Add, Clip, Mul (the Div/Mul ending it is the anchor)
};

class Preprocessor : public NodeRewrite
{
public:
    explicit Preprocessor(std::shared_ptr<const Model> model)
        : m_model(std::move(model))
        , m_index(m_model->index())
        , m_names(m_model->proto())
    {}

    Status plan()
    {
        // Post-conv folds first: a Mul/Add between two convs belongs to the one before it.
        for (const NodeInfo &node : m_index.nodes()) {
            if ((node.opType != "Conv" && node.opType != "ConvTranspose") || !node.domain.empty()
                || node.outputs.size() != 1 || node.proto->input_size() < 2)
                continue;
            auto weight = constant(node, 1);
            if (!weight)
                return weight.status();
            if (weight->empty() || weight->rank() < 3)
                continue;
            ConvFold fold;
            fold.input = node.proto->input(0);
            fold.output = node.outputs[0].name;
            const int64_t channels = outputChannels(node, *weight);
            fold.affine = {std::vector<double>(size_t(channels), 1.0),
                           std::vector<double>(size_t(channels), 0.0)};
            QS_RETURN_IF_ERROR(planAfter(node, weight->rank(), fold));
            if (!fold.after.empty()) {
                for (const NodeInfo *absorbed : fold.after)
                    m_absorbed.insert(absorbed->id);
                m_folds.emplace(node.id, std::move(fold));
            }
        }
        // HardSwish before pre-conv folds: its closing Div by 6 must not be taken as a scale.
        if (m_model->opsetVersion("") >= 14)
            planHardSwish();
        for (const NodeInfo &node : m_index.nodes()) {
            if (node.opType != "Conv" || !node.domain.empty() || node.outputs.size() != 1
                || node.proto->input_size() < 2
                || !m_index.constantTensor(node.graph, node.proto->input(1)))
                continue;
            auto it = m_folds.find(node.id);
            ConvFold candidate;
            ConvFold &fold = it != m_folds.end() ? it->second : candidate;
            if (fold.input.empty()) {
                fold.input = node.proto->input(0);
                fold.output = node.outputs[0].name;
            }
            QS_RETURN_IF_ERROR(planBefore(node, fold));
            if (!fold.before.empty()) {
                for (const NodeInfo *absorbed : fold.before)
                    m_absorbed.insert(absorbed->id);
                if (it == m_folds.end()) {
                    auto weight = constant(node, 1);
                    if (!weight)
                        return weight.status();
                    const auto channels = size_t(outputChannels(node, *weight));
                    fold.affine = {std::vector<double>(channels, 1.0),
                                   std::vector<double>(channels, 0.0)};
                    m_folds.emplace(node.id, std::move(fold));
                }
            }
        }
        return Status::ok();
    }

    int foldedIntoConv() const
    {
        int count = 0;
        for (const auto &[id, fold] : m_folds)
            count += int(fold.after.size() + fold.before.size());
        return count;
    }
    int hardSwish() const { return int(m_hardSwish.size()); }

    Status rewriteNode(const NodeInfo &info, onnx::NodeProto node, onnx::GraphProto &graph,
                       std::vector<onnx::NodeProto> &out) override
    {
        if (m_absorbed.count(info.id))
            return Status::ok();
        if (auto hs = m_hardSwish.find(info.id); hs != m_hardSwish.end()) {
            onnx::NodeProto hardSwish = GraphRewriter::makeNode(
                "HardSwish", {hs->second.input}, {info.outputs[0].name}, node.name());
            out.push_back(std::move(hardSwish));
            return Status::ok();
        }
        if (auto fold = m_folds.find(info.id); fold != m_folds.end())
            QS_RETURN_IF_ERROR(applyFold(info, fold->second, node, graph));
        out.push_back(std::move(node));
        return Status::ok();
    }

private:
    Result<Tensor> constant(const NodeInfo &node, int input) const
    {
        return floatConstantInput(m_model, node, input);
    }

    static int64_t outputChannels(const NodeInfo &conv, const Tensor &weight)
    {
        if (conv.opType == "ConvTranspose")
            return weight.dim(1) * intAttribute(*conv.proto, "group", 1);
        return weight.dim(0);
    }

    // The only reader of `value` (same graph, first input), when it is not a graph output.
    const NodeInfo *soleReader(int graph, const std::string &value) const
    {
        for (const auto &output : m_index.graphs()[size_t(graph)].outputs)
            if (output.name == value)
                return nullptr;
        const auto readers = m_index.consumers(graph, value);
        if (readers.size() != 1 || readers[0]->graph != graph)
            return nullptr;
        return readers[0];
    }

    // Per-channel values of a constant broadcast against [N, C, spatial...] of `rank` dims:
    // a scalar, or [C, 1, ...] / [1, C, 1, ...]. nullopt otherwise.
    static std::optional<std::vector<double>> perChannel(const Tensor &t, int64_t channels,
                                                         int64_t rank)
    {
        if (t.empty())
            return std::nullopt;
        const auto values = t.values<float>();
        if (t.elementCount() == 1)
            return std::vector<double>(size_t(channels), double(values[0]));
        Shape dims = t.shape();
        if (int64_t(dims.size()) > rank)
            return std::nullopt;
        while (int64_t(dims.size()) < rank)
            dims.insert(dims.begin(), 1);
        if (dims[0] != 1 || dims[1] != channels)
            return std::nullopt;
        for (size_t d = 2; d < dims.size(); ++d)
            if (dims[d] != 1)
                return std::nullopt;
        return std::vector<double>(values.begin(), values.end());
    }

    // The constant operand of a binary node whose other operand is `value`, and whether the
    // constant is the second input. Empty when neither applies.
    Result<std::pair<Tensor, bool>> constantOperand(const NodeInfo &node,
                                                    const std::string &value) const
    {
        if (node.proto->input_size() != 2)
            return std::make_pair(Tensor(), false);
        const int other = node.proto->input(0) == value ? 1 : node.proto->input(1) == value ? 0 : -1;
        if (other < 0 || node.proto->input(0) == node.proto->input(1))
            return std::make_pair(Tensor(), false);
        auto tensor = constant(node, other);
        if (!tensor)
            return tensor.status();
        return std::make_pair(*tensor, other == 1);
    }

    Status planAfter(const NodeInfo &conv, int64_t rank, ConvFold &fold)
    {
        ChannelAffine &a = fold.affine;
        const int64_t channels = int64_t(a.scale.size());
        std::string current = fold.output;
        while (const NodeInfo *next = soleReader(conv.graph, current)) {
            if (!next->domain.empty() || next->outputs.size() != 1)
                break;
            if (next->opType == "BatchNormalization" && next->proto->input_size() == 5
                && next->proto->input(0) == current) {
                std::vector<std::vector<double>> p;
                for (int i = 1; i < 5; ++i) {
                    auto t = constant(*next, i);
                    if (!t)
                        return t.status();
                    auto v = perChannel(*t, channels, 2);
                    if (!v || t->rank() != 1)
                        break;
                    p.push_back(*v);
                }
                if (p.size() != 4)
                    break;
                const double epsilon = floatAttribute(*next->proto, "epsilon", 1e-5f);
                for (int64_t c = 0; c < channels; ++c) {
                    const size_t i = size_t(c);
                    const double s = p[0][i] / std::sqrt(p[3][i] + epsilon);
                    a.scale[i] *= s;
                    a.shift[i] = (a.shift[i] - p[2][i]) * s + p[1][i];
                }
            } else if (next->opType == "Mul" || next->opType == "Add" || next->opType == "Sub"
                       || next->opType == "Div") {
                auto operand = constantOperand(*next, current);
                if (!operand)
                    return operand.status();
                const auto v = perChannel(operand->first, channels, rank);
                const bool second = operand->second;
                if (!v || ((next->opType == "Sub" || next->opType == "Div") && !second))
                    break;
                for (int64_t c = 0; c < channels; ++c) {
                    const size_t i = size_t(c);
                    const double k = (*v)[i];
                    if (next->opType == "Mul") {
                        a.scale[i] *= k;
                        a.shift[i] *= k;
                    } else if (next->opType == "Div") {
                        a.scale[i] /= k;
                        a.shift[i] /= k;
                    } else {
                        a.shift[i] += next->opType == "Add" ? k : -k;
                    }
                }
            } else {
                break;
            }
            fold.after.push_back(next);
            current = next->outputs[0].name;
        }
        fold.output = current;
        return Status::ok();
    }

    // Walks back from the conv's input through scalar Mul/Add/Sub/Div whose only reader is the
    // next step, composing input = inputScale * t + inputShift.
    Status planBefore(const NodeInfo &conv, ConvFold &fold)
    {
        const bool padded = hasPadding(*conv.proto);
        double scale = 1.0, shift = 0.0;
        std::string value = conv.proto->input(0);
        std::vector<const NodeInfo *> chain;
        while (true) {
            const NodeInfo *producer = m_index.producer(conv.graph, value);
            if (!producer || producer->graph != conv.graph || m_absorbed.count(producer->id)
                || m_hardSwish.count(producer->id) || !producer->domain.empty()
                || producer->outputs.size() != 1)
                break;
            const NodeInfo *reader = soleReader(conv.graph, value);
            if (!reader || (reader != &conv && (chain.empty() || reader != chain.back())))
                break;
            const std::string &op = producer->opType;
            if (op != "Mul" && op != "Add" && op != "Sub" && op != "Div")
                break;
            // The data operand is whichever input is not a constant.
            std::string data;
            Tensor k;
            bool second = false;
            for (int i = 0; i < 2 && i < producer->proto->input_size(); ++i) {
                auto t = constant(*producer, i);
                if (!t)
                    return t.status();
                if (!t->empty() && t->elementCount() == 1) {
                    k = *t;
                    second = i == 1;
                } else {
                    data = producer->proto->input(i);
                }
            }
            if (k.empty() || data.empty() || ((op == "Sub" || op == "Div") && !second))
                break;
            const double c = k.values<float>()[0];
            double nextScale = scale, nextShift = shift;
            if (op == "Mul")
                nextScale *= c;
            else if (op == "Div")
                nextScale /= c;
            else
                nextShift += scale * (op == "Add" ? c : -c);
            if (padded && nextShift != 0.0)
                break; // a shift of zero-padded input is not a bias
            scale = nextScale;
            shift = nextShift;
            chain.push_back(producer);
            value = data;
        }
        if (chain.empty())
            return Status::ok();
        fold.before = std::move(chain);
        fold.inputScale = scale;
        fold.inputShift = shift;
        fold.input = value;
        return Status::ok();
    }

    void planHardSwish()
    {
        for (const NodeInfo &add : m_index.nodes()) {
            if (add.opType != "Add" || !add.domain.empty() || m_absorbed.count(add.id)
                || add.proto->input_size() != 2)
                continue;
            std::string x;
            for (int i = 0; i < 2 && x.empty(); ++i) {
                auto t = constant(add, i);
                if (t && !t->empty() && t->elementCount() == 1 && near(t->values<float>()[0], 3))
                    x = add.proto->input(1 - i);
            }
            if (x.empty() || m_index.constantTensor(add.graph, x))
                continue;
            const NodeInfo *clip = soleReader(add.graph, add.outputs[0].name);
            if (!clip || clip->opType != "Clip" || !clipsTo(*clip, 0, 6))
                continue;
            const NodeInfo *mul = soleReader(add.graph, clip->outputs[0].name);
            if (!mul || mul->opType != "Mul" || mul->proto->input_size() != 2)
                continue;
            const std::string &a = mul->proto->input(0), &b = mul->proto->input(1);
            if (!((a == x && b == clip->outputs[0].name) || (b == x && a == clip->outputs[0].name)))
                continue;
            const NodeInfo *last = soleReader(add.graph, mul->outputs[0].name);
            if (!last || (last->opType != "Div" && last->opType != "Mul")
                || last->proto->input_size() != 2 || last->proto->input(0) != mul->outputs[0].name)
                continue;
            auto k = constant(*last, 1);
            if (!k || k->empty() || k->elementCount() != 1)
                continue;
            const float divisor = last->opType == "Div" ? k->values<float>()[0]
                                                        : 1.0f / k->values<float>()[0];
            if (!near(divisor, 6.0f) || m_absorbed.count(last->id))
                continue;
            m_hardSwish.emplace(last->id, HardSwishMatch{x, {add.id, clip->id, mul->id}});
            for (const int id : {add.id, clip->id, mul->id})
                m_absorbed.insert(id);
        }
    }

    bool clipsTo(const NodeInfo &clip, float low, float high) const
    {
        float lo = floatAttribute(*clip.proto, "min", -INFINITY);
        float hi = floatAttribute(*clip.proto, "max", INFINITY);
        for (int i = 1; i <= 2 && i < clip.proto->input_size(); ++i) {
            auto t = constant(clip, i);
            if (!t || t->empty() || t->elementCount() != 1)
                return false;
            (i == 1 ? lo : hi) = t->values<float>()[0];
        }
        return near(lo, low) && near(hi, high);
    }

    Status applyFold(const NodeInfo &info, const ConvFold &fold, onnx::NodeProto &conv,
                     onnx::GraphProto &graph)
    {
        auto weight = constant(info, 1);
        if (!weight)
            return weight.status();
        Tensor w = weight->clone();
        const Shape &shape = w.shape();
        const bool transposed = info.opType == "ConvTranspose";
        const int64_t group = intAttribute(conv, "group", 1);
        const auto channels = int64_t(fold.affine.scale.size());
        int64_t inner = 1;
        for (size_t d = 2; d < shape.size(); ++d)
            inner *= shape[d];
        auto outputChannel = [&](int64_t row, int64_t column) {
            // Conv: W[oc, ic/g, k]; ConvTranspose: W[ic, oc/g, k] with ic in group ic/(C_in/g).
            return transposed ? (row / (shape[0] / group)) * shape[1] + column : row;
        };

        std::vector<double> bias(size_t(channels), 0.0);
        auto b = constant(info, 2);
        if (!b)
            return b.status();
        if (!b->empty())
            for (int64_t c = 0; c < channels; ++c)
                bias[size_t(c)] = b->values<float>()[size_t(c)];

        float *values = w.mutableData<float>();
        // In front: conv(W, s*x + t) = conv(W*s, x) + t * sum(W[oc]).
        if (!fold.before.empty()) {
            for (int64_t row = 0; row < shape[0]; ++row)
                for (int64_t column = 0; column < shape[1]; ++column) {
                    float *block = values + (row * shape[1] + column) * inner;
                    double sum = 0;
                    for (int64_t i = 0; i < inner; ++i) {
                        sum += block[i];
                        block[i] = float(block[i] * fold.inputScale);
                    }
                    bias[size_t(outputChannel(row, column))] += fold.inputShift * sum;
                }
        }
        // After: y * scale[oc] + shift[oc].
        for (int64_t row = 0; row < shape[0]; ++row)
            for (int64_t column = 0; column < shape[1]; ++column) {
                const double s = fold.affine.scale[size_t(outputChannel(row, column))];
                float *block = values + (row * shape[1] + column) * inner;
                for (int64_t i = 0; i < inner; ++i)
                    block[i] = float(block[i] * s);
            }
        std::vector<float> folded(static_cast<size_t>(channels));
        for (int64_t c = 0; c < channels; ++c) {
            const size_t i = size_t(c);
            folded[i] = float(bias[i] * fold.affine.scale[i] + fold.affine.shift[i]);
        }
        const std::string &weightName = conv.input(1);
        conv.set_input(0, fold.input);
        conv.set_input(1, m_names.addInitializer(graph, weightName + "_folded", w));
        const std::string biasName = m_names.addInitializer(graph, info.displayName + "_bias_folded",
                                                            Tensor::fromVector<float>({channels}, folded));
        if (conv.input_size() > 2)
            conv.set_input(2, biasName);
        else
            conv.add_input(biasName);
        conv.set_output(0, fold.output);
        return Status::ok();
    }

    std::shared_ptr<const Model> m_model;
    const GraphIndex &m_index;
    GraphRewriter m_names;
    std::unordered_map<int, ConvFold> m_folds;
    std::unordered_map<int, HardSwishMatch> m_hardSwish; // keyed by the pattern's last node
    std::unordered_set<int> m_absorbed;
};

} // namespace

Result<PreprocessResult> preprocessForQuantization(std::shared_ptr<const Model> model,
                                                   Progress &progress)
{
    Preprocessor preprocessor(model);
    QS_RETURN_IF_ERROR(preprocessor.plan());
    PreprocessResult result;
    result.foldedIntoConv = preprocessor.foldedIntoConv();
    result.hardSwish = preprocessor.hardSwish();
    if (!result.changed())
        return result;
    auto proto = rewriteModel(*model, preprocessor, progress, "preparing the graph");
    if (!proto)
        return proto.status();
    result.model = std::move(*proto);
    return result;
}

} // namespace qs
