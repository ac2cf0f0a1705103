#include "layout/layout_boxes.h"

#include "model/graph_index.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace qs {

std::vector<std::string> modulePath(const std::string &displayName)
{
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= displayName.size()) {
        size_t slash = displayName.find('/', start);
        if (slash == std::string::npos)
            slash = displayName.size();
        if (slash > start)
            parts.push_back(displayName.substr(start, slash - start));
        start = slash + 1;
    }
    if (displayName.find('/') == std::string::npos || parts.empty())
        return {};
    parts.pop_back(); // the node's own name: "/layer1/0/conv1/Conv" -> layer1, 0, conv1
    return parts;
}

namespace layout_detail {

namespace {

// Rough text extents in points of the fonts the GUI draws boxes with; dot only needs sizes
// close enough that boxes do not overlap.
double boxWidth(const LayoutBox &box)
{
    const double text
        = std::max({box.title.size() * 7.5, box.subtitle.size() * 6.0, box.detail.size() * 5.5});
    return std::clamp(text + 20.0, 80.0, 240.0);
}

void sizeBox(LayoutBox &box)
{
    box.width = boxWidth(box);
    if (box.kind == LayoutBox::Kind::Input || box.kind == LayoutBox::Kind::Output)
        box.height = 34;
    else
        box.height = box.detail.empty() ? 38 : 52;
}

std::string joined(const std::vector<std::string> &parts, size_t count, std::string_view sep)
{
    std::string out;
    for (size_t i = 0; i < count && i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

// The group key of every visible node at `depth`: the first prefix (from min(depth, length)
// components on) the user has not expanded; "" when the node is drawn as its own box.
std::vector<std::string> groupKeys(const std::vector<std::vector<std::string>> &paths,
                                   const std::vector<int> &visible, int depth,
                                   const std::set<std::string> &expanded)
{
    std::vector<std::string> keys(paths.size());
    if (depth == 0)
        return keys;
    for (int id : visible) {
        const auto &path = paths[id];
        for (size_t k = std::min<size_t>(depth, path.size()); k >= 1 && k <= path.size(); ++k) {
            std::string prefix = joined(path, k, "/");
            if (!expanded.count(prefix)) {
                keys[id] = std::move(prefix);
                break;
            }
        }
    }
    return keys;
}

size_t countBoxes(const std::vector<std::string> &keys, const std::vector<int> &visible)
{
    std::set<std::string_view> groups;
    size_t singles = 0;
    for (int id : visible) {
        if (keys[id].empty())
            ++singles;
        else
            groups.insert(keys[id]);
    }
    return singles + groups.size();
}

// A shape for an edge label: exporters' generated symbols ("p2o.DynamicDimension.0",
// "unk__28") would make labels longer than the boxes; short symbols ("batch", "N") stay.
std::string shortShape(const TensorType &type)
{
    if (!type.hasShape)
        return "?";
    std::string out = "[";
    for (size_t i = 0; i < type.dims.size(); ++i) {
        const Dim &dim = type.dims[i];
        if (i)
            out += ',';
        if (dim.isKnown())
            out += std::to_string(dim.value);
        else if (!dim.symbol.empty() && dim.symbol.size() <= 6)
            out += dim.symbol;
        else
            out += '?';
    }
    out += ']';
    return out;
}

std::string opCounts(const GraphIndex &index, const std::vector<int> &members)
{
    std::map<std::string, int> counts;
    for (int id : members)
        ++counts[index.nodes()[id].opType];
    std::vector<std::pair<int, std::string>> sorted;
    for (const auto &[op, n] : counts)
        sorted.emplace_back(-n, op);
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (size_t i = 0; i < sorted.size() && i < 3; ++i)
        out += (i ? ", " : "") + sorted[i].second + " " + std::to_string(-sorted[i].first);
    if (sorted.size() > 3)
        out += ", ...";
    return out;
}

bool carriesItsInput(const NodeInfo &node)
{
    return !node.inputs.empty()
           && (node.opType == "QuantizeLinear" || node.opType == "DequantizeLinear"
               || node.opType == "DynamicQuantizeLinear" || node.opType == "Cast");
}

// A box with folded quantization plumbing: its detail names the weight the plumbing
// dequantizes (the host itself reads only the dequantized value) and how many nodes it holds.
void describeFolded(const GraphIndex &index, LayoutBox &box)
{
    const GraphInfo &main = index.mainGraph();
    std::string weights;
    for (int id : box.folded) {
        const NodeInfo &node = index.nodes()[id];
        if (node.opType == "DequantizeLinear" && !node.inputs.empty()
            && index.initializer(main.id, node.inputs[0].name)) {
            weights += (weights.empty() ? "" : " ") + shortShape(node.inputs[0].type);
        }
    }
    std::string &detail = box.detail;
    if (!weights.empty())
        detail += (detail.empty() ? "" : " ") + weights;
    detail += (detail.empty() ? "+" : " +") + std::to_string(box.folded.size()) + " folded";
    if (detail.size() > 40)
        detail = detail.substr(0, 37) + "...";
    sizeBox(box);
}

} // namespace

BoxGraph buildBoxGraph(const GraphIndex &index, const LayoutOptions &options, int graphId)
{
    BoxGraph out;
    const GraphInfo &scope = index.graphs()[graphId];
    const auto &nodes = index.nodes();
    out.boxOfNode.assign(nodes.size(), -1);

    std::vector<int> visible;
    std::vector<int> folded;                            // drawn inside another node's box
    std::unordered_map<std::string, bool> hiddenValues; // outputs of hidden Constant nodes
    auto hostOf = [&](int id) {
        return id < static_cast<int>(options.foldInto.size()) ? options.foldInto[id] : -1;
    };
    for (int id : scope.nodes) {
        const NodeInfo &node = nodes[id];
        if (hostOf(id) >= 0) {
            folded.push_back(id);
            continue;
        }
        if (!options.showConstants && node.opType == "Constant" && node.domain.empty()) {
            ++out.hiddenConstants;
            for (const ValueRef &v : node.outputs)
                hiddenValues[v.name] = true;
            continue;
        }
        visible.push_back(id);
    }

    // Grouping: none when the nodes fit, else the deepest module level that fits.
    std::vector<std::vector<std::string>> paths(nodes.size());
    size_t maxDepth = 0;
    for (int id : visible) {
        paths[id] = modulePath(nodes[id].displayName);
        maxDepth = std::max(maxDepth, paths[id].size());
    }
    const size_t ioBoxes = scope.inputs.size() + scope.outputs.size();
    const size_t limit = static_cast<size_t>(std::max(options.maxBoxes, 1));
    std::vector<std::string> keys(nodes.size());
    if (visible.size() + ioBoxes > limit && maxDepth > 0) {
        int depth = static_cast<int>(maxDepth);
        for (; depth >= 1; --depth) {
            keys = groupKeys(paths, visible, depth, options.expanded);
            if (countBoxes(keys, visible) + ioBoxes <= limit)
                break;
        }
        if (depth == 0) {
            depth = 1;
            keys = groupKeys(paths, visible, depth, options.expanded);
            out.tooManyBoxes = true;
        }
        out.collapseDepth = depth;
    } else if (visible.size() + ioBoxes > limit) {
        out.tooManyBoxes = true;
    }

    std::unordered_map<std::string, int> valueBox;
    for (const ValueRef &input : scope.inputs) {
        LayoutBox box;
        box.kind = LayoutBox::Kind::Input;
        box.title = input.name;
        box.subtitle = shortShape(input.type);
        sizeBox(box);
        valueBox[input.name] = static_cast<int>(out.boxes.size());
        out.boxes.push_back(std::move(box));
    }

    std::unordered_map<std::string, int> groupBox;
    for (int id : visible) {
        const NodeInfo &node = nodes[id];
        int boxIndex;
        if (!keys[id].empty()) {
            auto [it, added] = groupBox.try_emplace(keys[id], static_cast<int>(out.boxes.size()));
            if (added) {
                LayoutBox box;
                box.kind = LayoutBox::Kind::Group;
                box.group = keys[id];
                const size_t depth = std::count(keys[id].begin(), keys[id].end(), '/') + 1;
                box.title = joined(paths[id], depth, " > ");
                out.boxes.push_back(std::move(box));
            }
            boxIndex = it->second;
            out.boxes[boxIndex].members.push_back(id);
        } else {
            LayoutBox box;
            box.kind = LayoutBox::Kind::Node;
            box.nodeId = id;
            box.group = joined(paths[id], paths[id].size(), "/");
            box.title = node.opType;
            box.subtitle = node.displayName;
            for (const ValueRef &v : node.inputs) {
                if (v.name.empty())
                    continue;
                if (!index.initializer(scope.id, v.name) && !hiddenValues.count(v.name))
                    continue;
                if (!box.detail.empty())
                    box.detail += ' ';
                box.detail += shortShape(v.type);
            }
            if (box.detail.size() > 40)
                box.detail = box.detail.substr(0, 37) + "...";
            sizeBox(box);
            boxIndex = static_cast<int>(out.boxes.size());
            out.boxes.push_back(std::move(box));
        }
        out.boxOfNode[id] = boxIndex;
        for (const ValueRef &v : node.outputs)
            if (!v.name.empty())
                valueBox[v.name] = boxIndex;
    }
    for (int id : folded) {
        const int boxIndex = out.boxOfNode[hostOf(id)];
        if (boxIndex < 0)
            continue; // its host is not drawn either (a hidden Constant)
        out.boxOfNode[id] = boxIndex;
        // Q, DQ and Cast carry their input on in another type: readers of their result are
        // drawn reading the box that made the data, so a pair shared by two readers still
        // shows both edges; a helper's result comes from its host.
        int source = boxIndex;
        if (carriesItsInput(nodes[id]))
            if (auto it = valueBox.find(nodes[id].inputs[0].name); it != valueBox.end())
                source = it->second;
        for (const ValueRef &v : nodes[id].outputs)
            if (!v.name.empty())
                valueBox[v.name] = source;
        LayoutBox &host = out.boxes[boxIndex];
        if (host.kind == LayoutBox::Kind::Node)
            host.folded.push_back(id);
    }
    for (LayoutBox &box : out.boxes)
        if (!box.folded.empty())
            describeFolded(index, box);
    // Identical groups (repeated blocks): the same op types with the same input and output
    // shapes in the same order, whatever their names.
    std::unordered_map<std::string, int> signatures;
    std::vector<std::string> signatureOf(out.boxes.size());
    for (size_t b = 0; b < out.boxes.size(); ++b) {
        if (out.boxes[b].kind != LayoutBox::Kind::Group)
            continue;
        std::string &signature = signatureOf[b];
        for (int id : out.boxes[b].members) {
            signature += nodes[id].opType;
            for (const ValueRef &v : nodes[id].inputs)
                signature += shortShape(v.type);
            signature += '>';
            for (const ValueRef &v : nodes[id].outputs)
                signature += shortShape(v.type);
            signature += ';';
        }
        ++signatures[signature];
    }
    for (size_t b = 0; b < out.boxes.size(); ++b) {
        LayoutBox &box = out.boxes[b];
        if (box.kind != LayoutBox::Kind::Group)
            continue;
        box.identicalGroups = signatures[signatureOf[b]] - 1;
        box.subtitle = std::to_string(box.members.size()) + " ops";
        if (box.identicalGroups > 0)
            box.subtitle += ", 1 of " + std::to_string(box.identicalGroups + 1) + " identical";
        box.detail = opCounts(index, box.members);
        sizeBox(box);
    }

    // One edge per pair of boxes; its label is the first value's shape and "+N" for the other
    // distinct values it carries (a value read twice by one group counts once).
    std::map<std::pair<int, int>, int> edgeOf;
    std::vector<std::set<std::string>> edgeValues;
    auto addEdge = [&](int from, int to, const ValueRef &value) {
        if (from == to)
            return;
        auto [it, added] = edgeOf.try_emplace({from, to}, static_cast<int>(out.edges.size()));
        if (added) {
            LayoutEdge edge;
            edge.from = from;
            edge.to = to;
            edge.tensor = value.name;
            edge.label = shortShape(value.type);
            out.edges.push_back(std::move(edge));
            edgeValues.push_back({value.name});
            return;
        }
        std::set<std::string> &values = edgeValues[it->second];
        if (!values.insert(value.name).second)
            return;
        LayoutEdge &edge = out.edges[it->second];
        edge.label = edge.label.substr(0, edge.label.find(" +")) + " +"
                     + std::to_string(values.size() - 1);
    };
    std::vector<int> drawn = visible;
    for (int id : folded)
        if (out.boxOfNode[id] >= 0)
            drawn.push_back(id);
    for (int id : drawn) {
        for (const ValueRef &v : nodes[id].inputs) {
            auto it = valueBox.find(v.name);
            if (!v.name.empty() && it != valueBox.end())
                addEdge(it->second, out.boxOfNode[id], v);
        }
        // Values its subgraphs read from this scope are inputs too.
        if (nodes[id].proto && !nodes[id].subgraphs.empty()) {
            std::unordered_set<std::string> reads;
            collectSubgraphReads(*nodes[id].proto, reads);
            for (const std::string &name : reads) {
                auto it = valueBox.find(name);
                if (it != valueBox.end())
                    addEdge(it->second, out.boxOfNode[id],
                            ValueRef{name, index.valueType(scope.id, name)});
            }
        }
    }
    for (const ValueRef &output : scope.outputs) {
        LayoutBox box;
        box.kind = LayoutBox::Kind::Output;
        box.title = output.name;
        box.subtitle = shortShape(output.type);
        sizeBox(box);
        const int boxIndex = static_cast<int>(out.boxes.size());
        out.boxes.push_back(std::move(box));
        auto it = valueBox.find(output.name);
        if (it != valueBox.end())
            addEdge(it->second, boxIndex, output);
    }
    return out;
}

} // namespace layout_detail
} // namespace qs
