#include "quant/coverage.h"

#include "quantscope.pb.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

namespace qs {

void QuantCoverage::addQuantized(const std::string &opType)
{
    OpTypeCount &count = m_counts[opType];
    count.opType = opType;
    ++count.eligible;
    ++count.quantized;
}

void QuantCoverage::addLeftInFloat(NodeLeftInFloat node)
{
    OpTypeCount &count = m_counts[node.opType];
    count.opType = node.opType;
    ++count.eligible;
    m_leftInFloat.push_back(std::move(node));
}

void QuantCoverage::moveToFloat(NodeLeftInFloat node)
{
    OpTypeCount &count = m_counts[node.opType];
    if (count.quantized > 0)
        --count.quantized;
    m_leftInFloat.push_back(std::move(node));
}

int64_t QuantCoverage::eligible() const
{
    int64_t total = 0;
    for (const auto &[opType, count] : m_counts)
        total += count.eligible;
    return total;
}

int64_t QuantCoverage::quantized() const
{
    int64_t total = 0;
    for (const auto &[opType, count] : m_counts)
        total += count.quantized;
    return total;
}

std::vector<QuantCoverage::OpTypeCount> QuantCoverage::byOpType() const
{
    std::vector<OpTypeCount> counts;
    for (const auto &[opType, count] : m_counts)
        counts.push_back(count);
    std::stable_sort(counts.begin(), counts.end(), [](const OpTypeCount &a, const OpTypeCount &b) {
        return a.eligible > b.eligible;
    });
    return counts;
}

namespace {

// "Conv 20, Gemm 1" from the counts `field` picks, op types with none left out; long lists end
// in "..." so that the summary stays one line.
template<typename Field>
std::string opTypeList(const std::vector<QuantCoverage::OpTypeCount> &counts, Field field)
{
    constexpr size_t kShown = 6;
    std::string text;
    size_t shown = 0;
    for (const auto &count : counts) {
        const int64_t value = field(count);
        if (value == 0)
            continue;
        if (shown++ == kShown) {
            text += ", ...";
            break;
        }
        text += (text.empty() ? "" : ", ") + count.opType + " " + std::to_string(value);
    }
    return text;
}

} // namespace

std::string QuantCoverage::summary(std::string_view verb) const
{
    const std::vector<OpTypeCount> counts = byOpType();
    std::string text = std::to_string(quantized()) + " of " + std::to_string(eligible())
                       + " eligible nodes " + std::string(verb);
    const std::string done = opTypeList(counts, [](const OpTypeCount &c) { return c.quantized; });
    if (!done.empty())
        text += " (" + done + ")";
    if (!m_leftInFloat.empty()) {
        text += "; " + std::to_string(m_leftInFloat.size()) + " left in float ("
                + opTypeList(counts, [](const OpTypeCount &c) { return c.eligible - c.quantized; })
                + ")";
    }
    return text;
}

std::vector<Diagnostic> QuantCoverage::diagnostics(std::string_view leftIn) const
{
    std::vector<Diagnostic> diagnostics;
    for (const NodeLeftInFloat &node : m_leftInFloat)
        diagnostics.push_back(
            diagnosticOf(node.severity,
                         makeMessage(MessageId::LeftInFloat, {node.opType, std::string(leftIn)},
                                     node.reason),
                         node.node));
    return diagnostics;
}

void QuantCoverage::writeTo(quantscope::Recipe &recipe) const
{
    recipe.clear_left_in_float();
    for (const NodeLeftInFloat &node : m_leftInFloat) {
        quantscope::NodeLeftInFloat &entry = *recipe.add_left_in_float();
        entry.set_node(node.node);
        entry.set_op_type(node.opType);
        entry.set_reason(node.reasonText());
    }
}

// The producers are searched back through at most kLimit values; a longer chain is taken as
// computed from inputs: constant chains are short.
bool dependsOnRunTimeValues(const std::string &value, const ValueSources &sources)
{
    constexpr size_t kLimit = 512;
    std::deque<std::string> pending{value};
    std::unordered_set<std::string> seen{value};
    while (!pending.empty()) {
        if (seen.size() > kLimit)
            return true;
        const std::string current = pending.front();
        pending.pop_front();
        if (sources.isConstant(current))
            continue;
        const std::optional<ValueProducer> producer = sources.producer(current);
        if (!producer)
            return true;
        for (const std::string &input : producer->inputs) {
            if (!input.empty() && seen.insert(input).second)
                pending.push_back(input);
        }
    }
    return false;
}

Message nonConstantReason(std::string_view role, const std::string &value,
                          const ValueSources &sources)
{
    const std::string subject(role);
    const std::optional<ValueProducer> producer = sources.producer(value);
    if (!producer)
        return makeMessage(MessageId::ValueIsGraphInput, {subject, value});
    return makeMessage(dependsOnRunTimeValues(value, sources)
                           ? MessageId::ValueComputedFromInputs
                           : MessageId::ValueFromUnfoldedConstant,
                       {subject, producer->node, producer->opType});
}

} // namespace qs
