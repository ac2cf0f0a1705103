#pragma once
// Which nodes a quantizer touches: op types to quantize, nodes to quantize (when given, only
// those), nodes and op types to exclude. Names are display names (graph_index.h): the file's
// name, or "<OpType>_<id>" for unnamed nodes, as the inspector and `inspect` show them.
#include "util/status.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

class GraphIndex;
struct GraphNode;
struct NodeInfo;

class NodeSelection
{
public:
    NodeSelection(std::set<std::string> opTypes, std::set<std::string> onlyNodes,
                  std::set<std::string> excludedNodes, std::set<std::string> excludedOpTypes);
    bool selects(std::string_view opType, std::string_view domain,
                 const std::string &displayName) const;
    bool selects(const NodeInfo &node) const;  // a node of the model's GraphIndex
    bool selects(const GraphNode &node) const; // a node of a Graph being rewritten
    bool excludes(const std::string &displayName) const
    {
        return m_excludedNodes.count(displayName);
    }

private:
    std::set<std::string> m_opTypes;
    std::set<std::string> m_onlyNodes;
    std::set<std::string> m_excludedNodes;
    std::set<std::string> m_excludedOpTypes;
};

// Every name must be a node of the graph; an unknown name is an error listing the closest
// existing names ("nodes_to_exclude: no node 'conv_1'; closest: conv1, conv_10, conv2").
Status validateNodeNames(const GraphIndex &index, const std::vector<std::string> &names,
                         const std::string &listName);

// Op types are checked against ONNX's schemas (a typo such as "Matmul" would silently select
// nothing): an unknown type is an error naming the closest known type.
Status validateOpTypes(const std::vector<std::string> &opTypes, const std::string &listName);

// The closest of `candidates` to `name` by edit distance (case-insensitive), at most `count`.
std::vector<std::string> closestNames(const std::string &name,
                                      const std::vector<std::string> &candidates, size_t count);

} // namespace qs
