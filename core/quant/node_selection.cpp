#include "quant/node_selection.h"

#include "graph/graph.h"
#include "model/attributes.h"
#include "model/graph_index.h"

#include <onnx/defs/schema.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <optional>
#include <utility>

namespace qs {

NodeSelection::NodeSelection(std::set<std::string> opTypes, std::set<std::string> onlyNodes,
                             std::set<std::string> excludedNodes,
                             std::set<std::string> excludedOpTypes)
    : m_opTypes(std::move(opTypes))
    , m_onlyNodes(std::move(onlyNodes))
    , m_excludedNodes(std::move(excludedNodes))
    , m_excludedOpTypes(std::move(excludedOpTypes))
{}

bool NodeSelection::selects(std::string_view opType, std::string_view domain,
                            const std::string &displayName) const
{
    if (!isDefaultDomain(domain))
        return false;
    const std::string op(opType);
    if (!m_opTypes.count(op) || m_excludedOpTypes.count(op))
        return false;
    if (m_excludedNodes.count(displayName))
        return false;
    return m_onlyNodes.empty() || m_onlyNodes.count(displayName);
}

bool NodeSelection::selects(const NodeInfo &node) const
{
    return selects(node.opType, node.domain, node.displayName);
}

bool NodeSelection::selects(const GraphNode &node) const
{
    return selects(node.opType(), node.domain(), node.displayName);
}

namespace {

size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1]))
                              == std::tolower(static_cast<unsigned char>(b[j - 1]));
            current[j]
                = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string joined(const std::vector<std::string> &names)
{
    std::string text;
    for (const auto &name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

} // namespace

std::vector<std::string> closestNames(const std::string &name,
                                      const std::vector<std::string> &candidates, size_t count)
{
    std::vector<std::pair<size_t, std::string>> scored;
    scored.reserve(candidates.size());
    for (const auto &candidate : candidates)
        scored.emplace_back(editDistance(name, candidate), candidate);
    const size_t keep = std::min(count, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep),
                      scored.end());
    std::vector<std::string> result;
    for (size_t i = 0; i < keep; ++i)
        result.push_back(scored[i].second);
    return result;
}

Status validateNodeNames(const GraphIndex &index, const std::vector<std::string> &names,
                         const std::string &listName)
{
    std::vector<std::string> unknown;
    for (const auto &name : names)
        if (!index.findByDisplayName(name))
            unknown.push_back(name);
    if (unknown.empty())
        return Status::ok();
    std::vector<std::string> all;
    all.reserve(index.nodes().size());
    for (const auto &node : index.nodes())
        all.push_back(node.displayName);
    // "no node 'a' (closest: ...); no node 'b' (...)": each unknown name the cause of the one
    // before, built from the last.
    std::optional<Message> missing;
    for (size_t i = unknown.size(); i-- > 0;) {
        std::vector<std::string> args{unknown[i], joined(closestNames(unknown[i], all, 3))};
        missing = missing
                      ? makeMessage(MessageId::NoSuchNodeThen, std::move(args), std::move(*missing))
                      : makeMessage(MessageId::NoSuchNode, std::move(args));
    }
    return Status(StatusCode::NotFound,
                  makeMessage(MessageId::RecipeListProblem, {listName}, std::move(*missing)));
}

Status validateOpTypes(const std::vector<std::string> &opTypes, const std::string &listName)
{
    std::vector<std::string> known;
    for (const auto &schema : onnx::OpSchemaRegistry::get_all_schemas())
        if (isDefaultDomain(schema.domain()) || schema.domain() == "ai.onnx.ml")
            known.push_back(schema.Name());
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    for (const auto &opType : opTypes)
        if (!std::binary_search(known.begin(), known.end(), opType))
            return Status(StatusCode::NotFound,
                          makeMessage(MessageId::RecipeListProblem, {listName},
                                      makeMessage(MessageId::NotAnOpType,
                                                  {opType,
                                                   joined(closestNames(opType, known, 3))})));
    return Status::ok();
}

} // namespace qs
