#include "layout/node_matching.h"

#include "model/graph_index.h"

#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

constexpr int kMainGraph = 0;

bool isPlumbingOp(const std::string &opType)
{
    return opType == "QuantizeLinear" || opType == "DequantizeLinear"
           || opType == "DynamicQuantizeLinear" || opType == "Cast";
}

bool isMatMulFamily(const std::string &opType)
{
    return opType == "MatMul" || opType == "Gemm";
}

bool compatibleOps(const std::string &referenceOp, const std::string &variantOp)
{
    const std::string asFloat = floatOpType(variantOp);
    // A Gemm quantized dynamically becomes a MatMulInteger and an Add of its bias.
    return asFloat == referenceOp || (isMatMulFamily(asFloat) && isMatMulFamily(referenceOp));
}

// The names a renamed node's output may have had in the float model.
std::vector<std::string> formerTensorNames(const GraphIndex &variant, const NodeInfo &node)
{
    static const char *const kWriterSuffixes[] = {"_quantized", "_int32", "_QuantizeLinear_Input"};
    std::vector<std::string> names;
    for (const ValueRef &output : node.outputs) {
        if (output.name.empty())
            continue;
        names.push_back(output.name);
        for (const char *suffix : kWriterSuffixes) {
            const std::string_view s(suffix);
            if (output.name.size() > s.size() && output.name.ends_with(s))
                names.push_back(output.name.substr(0, output.name.size() - s.size()));
        }
        for (const NodeInfo *reader : variant.consumers(kMainGraph, output.name))
            if (reader->opType == "DequantizeLinear")
                for (const ValueRef &restored : reader->outputs)
                    names.push_back(restored.name);
    }
    return names;
}

class Matcher
{
public:
    Matcher(const GraphIndex &reference, const GraphIndex &variant)
        : m_reference(reference)
        , m_variant(variant)
    {
        m_out.variantOf.assign(reference.nodes().size(), -1);
        m_out.referenceOf.assign(variant.nodes().size(), -1);
        m_out.foldedInto.assign(variant.nodes().size(), -1);
    }

    NodeMatching run()
    {
        const std::vector<int> &nodes = m_variant.mainGraph().nodes;
        for (int id : nodes)
            matchByName(id, m_variant.nodes()[id].displayName);
        for (int id : nodes)
            if (m_out.referenceOf[id] < 0 && !isPlumbing(id))
                matchByShortenedName(id);
        for (int id : nodes)
            if (m_out.referenceOf[id] < 0 && !isPlumbing(id))
                matchByTensor(id);
        for (int id : nodes)
            if (m_out.referenceOf[id] < 0 && !isPlumbing(id))
                matchByName(id, m_variant.nodes()[id].displayName, AnyOpType::Yes);
        for (int id : nodes)
            if (isPlumbing(id))
                m_out.foldedInto[id] = plumbingHost(id);
        for (int id : nodes)
            if (m_out.referenceOf[id] < 0 && !isPlumbing(id) && !isConstant(m_variant, id))
                m_out.foldedInto[id] = helperHost(id);
        for (int id : nodes)
            if (m_out.foldedInto[id] >= 0)
                m_out.foldedInto[id] = finalHost(id);
        listUnmatched();
        return std::move(m_out);
    }

private:
    static bool isConstant(const GraphIndex &index, int id)
    {
        return index.nodes()[id].opType == "Constant";
    }

    // Unmatched quantization plumbing, drawn inside the op it wraps.
    bool isPlumbing(int id) const
    {
        return m_out.referenceOf[id] < 0 && isPlumbingOp(m_variant.nodes()[id].opType);
    }

    // AnyOpType::Yes: a rewrite that kept the name of the node it replaced (the quantizer's
    // preparation turns Add/Clip/Div/Mul into a HardSwish named after the Div).
    enum class AnyOpType { No, Yes };

    bool matchByName(int variantId, const std::string &name, AnyOpType anyOpType = AnyOpType::No)
    {
        const NodeInfo *ref = m_reference.findByDisplayName(name);
        if (!ref || ref->graph != kMainGraph || m_out.variantOf[ref->id] >= 0)
            return false;
        if (anyOpType == AnyOpType::No
            && !compatibleOps(ref->opType, m_variant.nodes()[variantId].opType))
            return false;
        m_out.variantOf[ref->id] = variantId;
        m_out.referenceOf[variantId] = ref->id;
        ++m_out.matched;
        return true;
    }

    // "conv1_quant" -> "conv1": the longest prefix before a '_' that names a compatible node.
    void matchByShortenedName(int id)
    {
        std::string name = m_variant.nodes()[id].displayName;
        for (size_t cut = name.rfind('_'); cut != std::string::npos && cut > 0;
             cut = name.rfind('_', cut - 1)) {
            if (matchByName(id, name.substr(0, cut)))
                return;
        }
    }

    void matchByTensor(int id)
    {
        const NodeInfo &node = m_variant.nodes()[id];
        for (const std::string &tensor : formerTensorNames(m_variant, node)) {
            const NodeInfo *ref = m_reference.producer(kMainGraph, tensor);
            if (ref && ref->graph == kMainGraph && m_out.variantOf[ref->id] < 0
                && compatibleOps(ref->opType, node.opType)) {
                m_out.variantOf[ref->id] = id;
                m_out.referenceOf[id] = ref->id;
                ++m_out.matched;
                return;
            }
        }
    }

    // A Q/DQ/Cast is part of the op reading its result (the input it quantizes); a
    // DequantizeLinear of an op's integer output (QOperator) is part of that op; plumbing that
    // only feeds graph outputs belongs to the op before it.
    int plumbingHost(int id) const
    {
        const NodeInfo &node = m_variant.nodes()[id];
        const NodeInfo *producer
            = node.inputs.empty() ? nullptr : m_variant.producer(kMainGraph, node.inputs[0].name);
        if (node.opType == "DequantizeLinear" && producer && !isPlumbing(producer->id)
            && !isConstant(m_variant, producer->id))
            return producer->id;
        if (int reader = firstComputingReader(id); reader >= 0)
            return reader;
        while (producer && isPlumbing(producer->id))
            producer = producer->inputs.empty()
                           ? nullptr
                           : m_variant.producer(kMainGraph, producer->inputs[0].name);
        return producer && !isConstant(m_variant, producer->id) ? producer->id : -1;
    }

    // The first node downstream of `id`, through other plumbing, that computes.
    int firstComputingReader(int id) const
    {
        std::deque<int> queue{id};
        std::unordered_set<int> seen{id};
        while (!queue.empty()) {
            const NodeInfo &node = m_variant.nodes()[queue.front()];
            queue.pop_front();
            for (const ValueRef &output : node.outputs) {
                for (const NodeInfo *reader : m_variant.consumers(kMainGraph, output.name)) {
                    if (reader->graph != kMainGraph || !seen.insert(reader->id).second)
                        continue;
                    if (!isPlumbing(reader->id))
                        return reader->id;
                    queue.push_back(reader->id);
                }
            }
        }
        return -1;
    }

    // "fc_cast", "fc_output_mul": a helper named after a matched op and connected to it (or to
    // something folded into it) belongs to that op.
    int helperHost(int id) const
    {
        const NodeInfo &node = m_variant.nodes()[id];
        const std::string &name = node.displayName;
        for (size_t cut = name.rfind('_'); cut != std::string::npos && cut > 0;
             cut = name.rfind('_', cut - 1)) {
            const NodeInfo *host = m_variant.findByDisplayName(name.substr(0, cut));
            if (host && host->graph == kMainGraph && m_out.referenceOf[host->id] >= 0
                && touches(node, host->id))
                return host->id;
        }
        return -1;
    }

    bool touches(const NodeInfo &node, int host) const
    {
        auto belongs = [&](const NodeInfo *other) {
            return other
                   && (other->id == host
                       || (m_out.foldedInto[other->id] >= 0 && finalHost(other->id) == host));
        };
        for (const ValueRef &input : node.inputs)
            if (!input.name.empty() && belongs(m_variant.producer(kMainGraph, input.name)))
                return true;
        for (const ValueRef &output : node.outputs)
            for (const NodeInfo *reader : m_variant.consumers(kMainGraph, output.name))
                if (belongs(reader))
                    return true;
        return false;
    }

    int finalHost(int id) const
    {
        // Bounded: a chain of folds cannot be longer than the graph.
        for (size_t steps = 0; m_out.foldedInto[id] >= 0 && steps < m_out.foldedInto.size(); ++steps)
            id = m_out.foldedInto[id];
        return id;
    }

    void listUnmatched()
    {
        for (int id : m_reference.mainGraph().nodes)
            if (m_out.variantOf[id] < 0 && !isConstant(m_reference, id))
                m_out.unmatchedReference.push_back(id);
        for (int id : m_variant.mainGraph().nodes)
            if (m_out.referenceOf[id] < 0 && m_out.foldedInto[id] < 0 && !isConstant(m_variant, id))
                m_out.unmatchedVariant.push_back(id);
    }

    const GraphIndex &m_reference;
    const GraphIndex &m_variant;
    NodeMatching m_out;
};

} // namespace

int NodeMatching::variantNodeFor(int referenceId) const
{
    return referenceId >= 0 && referenceId < static_cast<int>(variantOf.size())
               ? variantOf[referenceId]
               : -1;
}

int NodeMatching::referenceNodeFor(int variantId) const
{
    if (variantId < 0 || variantId >= static_cast<int>(referenceOf.size()))
        return -1;
    const int host = foldedInto[variantId] >= 0 ? foldedInto[variantId] : variantId;
    return referenceOf[host];
}

std::string floatOpType(std::string_view opType)
{
    static const std::unordered_map<std::string_view, std::string_view> kFloatOf{
        {"ConvInteger", "Conv"},
        {"MatMulInteger", "MatMul"},
        {"MatMulIntegerToFloat", "MatMul"},
        {"DynamicQuantizeMatMul", "MatMul"},
        {"QGemm", "Gemm"},
        {"QAttention", "Attention"},
    };
    if (auto it = kFloatOf.find(opType); it != kFloatOf.end())
        return std::string(it->second);
    constexpr std::string_view kQLinear = "QLinear";
    if (opType.size() > kQLinear.size() && opType.starts_with(kQLinear))
        return std::string(opType.substr(kQLinear.size()));
    return std::string(opType);
}

NodeMatching matchVariantNodes(const GraphIndex &reference, const GraphIndex &variant)
{
    return Matcher(reference, variant).run();
}

} // namespace qs
