#include "compare/batch_culprits.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/session.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>

#include <optional>
#include <unordered_map>

namespace qs {

namespace {

// A long list would bury the cause: a failing batch usually has one or two.
constexpr size_t kMaxCulprits = 5;

// What one run produced: every value's shape, and the contents of small integer values (the
// shapes, repeats and ends that Reshape, Tile and Slice read, when computed at run time).
struct Observed
{
    std::unordered_map<std::string, Shape> shapes;
    std::unordered_map<std::string, std::vector<int64_t>> integers;
};

Status observe(const Session &session, const std::map<std::string, Tensor> &inputs,
               Observed &observed, Progress &progress)
{
    for (const auto &[name, tensor] : inputs)
        observed.shapes[name] = tensor.shape();
    RunOptions options;
    options.progress = &progress;
    options.observer = [&observed](const std::string &name, const Tensor &value) {
        observed.shapes[name] = value.shape();
        if ((value.dtype() == DType::Int64 || value.dtype() == DType::Int32)
            && value.elementCount() <= 16)
            observed.integers[name] = value.toInt64Vector();
    };
    auto outputs = session.run(inputs, options);
    return outputs ? Status::ok() : outputs.status();
}

// The input of each op that sets the first dim of its output, and what the op calls it.
struct ShapeInput
{
    int index;
    const char *noun;
};

std::optional<ShapeInput> shapeInputOf(const std::string &opType)
{
    if (opType == "Reshape" || opType == "Expand")
        return ShapeInput{1, "shape"};
    if (opType == "ConstantOfShape")
        return ShapeInput{0, "shape"};
    if (opType == "Tile")
        return ShapeInput{1, "repeats"};
    if (opType == "Slice")
        return ShapeInput{2, "ends"};
    return std::nullopt;
}

std::string listToString(const std::vector<int64_t> &values)
{
    return shapeToString(values);
}

class CulpritFinder
{
public:
    CulpritFinder(const Model &model, std::shared_ptr<const Model> owner, const Observed &one,
                  const Observed &many, int64_t batch)
        : m_model(model)
        , m_owner(std::move(owner))
        , m_one(one)
        , m_many(many)
        , m_batch(batch)
    {}

    // Why the shape input of `node` may hold the batch-1 size; empty when it does not.
    std::string shapeInputReason(const NodeInfo &node) const
    {
        const auto input = shapeInputOf(node.opType);
        if (!input || int(node.inputs.size()) <= input->index
            || node.inputs[size_t(input->index)].name.empty())
            return {};
        const std::string &name = node.inputs[size_t(input->index)].name;
        if (const auto *proto = m_model.index().constantTensor(node.graph, name)) {
            auto tensor = tensorFromProto(*proto, m_owner);
            if (!tensor || tensor->elementCount() == 0
                || (tensor->dtype() != DType::Int64 && tensor->dtype() != DType::Int32))
                return {};
            const std::vector<int64_t> values = tensor->toInt64Vector();
            if (values[0] != 1)
                return {};
            return "a constant " + std::string(input->noun) + " " + listToString(values)
                   + " with batch 1";
        }
        // Computed at run time, but the same at every batch: as good as a constant.
        const auto one = m_one.integers.find(name);
        const auto many = m_many.integers.find(name);
        if (one == m_one.integers.end() || many == m_many.integers.end()
            || one->second != many->second || one->second.empty() || one->second[0] != 1)
            return {};
        return "its " + std::string(input->noun) + " " + listToString(one->second)
               + " is the same at batch 1 and " + std::to_string(m_batch);
    }

    // A node whose output followed the batch at batch 1 (first dim 1) and does not at batch N.
    std::optional<std::string> losesBatch(const NodeInfo &node) const
    {
        if (!shapeInputOf(node.opType) || node.outputs.empty())
            return std::nullopt;
        const Shape *one = shape(m_one, node.outputs[0].name);
        const Shape *many = shape(m_many, node.outputs[0].name);
        if (!one || !many || one->empty() || (*one)[0] != 1
            || (!many->empty() && (*many)[0] == m_batch))
            return std::nullopt;
        std::string reason = shapeInputReason(node);
        if (reason.empty())
            reason = many->empty() ? "a scalar where the batch should be"
                                   : "first dim " + std::to_string((*many)[0]) + " at batch "
                                         + std::to_string(m_batch);
        return describe(node) + " writes " + shapeToString(*many) + " (" + reason + ")";
    }

    // The node a failed batch-N run stopped at: the first (in graph order) that produced its
    // output at batch 1 but not at batch N.
    std::optional<std::string> stoppedAt(const NodeInfo &node) const
    {
        if (node.outputs.empty() || !shape(m_one, node.outputs[0].name)
            || shape(m_many, node.outputs[0].name))
            return std::nullopt;
        std::string given;
        for (const ValueRef &input : node.inputs) {
            const Shape *seen = input.name.empty() ? nullptr : shape(m_many, input.name);
            if (seen)
                given += (given.empty() ? "" : ", ") + shapeToString(*seen);
        }
        std::string sentence = describe(node) + " fails at batch " + std::to_string(m_batch);
        if (!given.empty())
            sentence += " on " + given;
        if (const std::string reason = shapeInputReason(node); !reason.empty())
            sentence += " (" + reason + ")";
        return sentence;
    }

private:
    static const Shape *shape(const Observed &observed, const std::string &name)
    {
        const auto found = observed.shapes.find(name);
        return found == observed.shapes.end() ? nullptr : &found->second;
    }
    static std::string describe(const NodeInfo &node)
    {
        return node.opType + " '" + node.displayName + "'";
    }

    const Model &m_model;
    std::shared_ptr<const Model> m_owner;
    const Observed &m_one;
    const Observed &m_many;
    int64_t m_batch;
};

} // namespace

Result<std::vector<std::string>> findBatchCulprits(const std::shared_ptr<const Model> &model,
                                                   const std::map<std::string, Tensor> &batchOne,
                                                   const std::map<std::string, Tensor> &batchN,
                                                   int64_t batch, int threads, Progress &progress)
{
    // Unfused, so that every value the model defines is observed under its own name and shape.
    auto session = Session::create(model, sessionOptions(threads, {}, /*fuse=*/false), progress);
    if (!session)
        return session.status();
    Observed one, many;
    if (const Status ran = observe(**session, batchOne, one, progress); !ran) {
        if (ran.code() == StatusCode::Cancelled)
            return ran;
        return std::vector<std::string>{}; // nothing to compare against
    }
    const Status ranMany = observe(**session, batchN, many, progress);
    if (ranMany.code() == StatusCode::Cancelled)
        return ranMany;

    const CulpritFinder finder(*model, model, one, many, batch);
    std::vector<std::string> culprits;
    bool stopFound = ranMany.isOk();
    for (const int id : model->index().mainGraph().nodes) {
        const NodeInfo &node = model->index().nodes()[size_t(id)];
        if (!stopFound) {
            if (auto stopped = finder.stoppedAt(node)) {
                culprits.push_back(std::move(*stopped));
                stopFound = true;
                break; // nothing after it ran
            }
        }
        if (auto lost = finder.losesBatch(node))
            culprits.push_back(std::move(*lost));
        if (culprits.size() == kMaxCulprits)
            break;
    }
    return culprits;
}

} // namespace qs
