#include "layout/graph_layout.h"

#include "layout/layout_boxes.h"
#include "model/graph_index.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>

namespace qs {

namespace {

using layout_detail::BoxGraph;

constexpr double kPointsPerInch = 72.0;

// Graphviz keeps global state (cgraph's dictionaries, the layout engines' statics): one layout
// at a time in the whole process.
std::mutex &graphvizMutex()
{
    static std::mutex mutex;
    return mutex;
}

GVC_t *graphvizContext()
{
    // Created once and kept: loading the plugin configuration costs more than a small layout.
    static GVC_t *context = gvContext();
    return context;
}

void set(void *object, const char *name, const std::string &value)
{
    agsafeset(object, const_cast<char *>(name), const_cast<char *>(value.c_str()),
              const_cast<char *>(""));
}

LayoutPoint borderPoint(const LayoutBox &box, LayoutPoint towards)
{
    const double dx = towards.x - box.x;
    const double dy = towards.y - box.y;
    if (dx == 0 && dy == 0)
        return {box.x, box.y};
    const double sx = dx != 0 ? (box.width / 2) / std::abs(dx) : 1e300;
    const double sy = dy != 0 ? (box.height / 2) / std::abs(dy) : 1e300;
    const double s = std::min(sx, sy);
    return {box.x + dx * s, box.y + dy * s};
}

Status placeWithDot(BoxGraph &graph, double &width, double &height)
{
    std::lock_guard lock(graphvizMutex());
    GVC_t *gvc = graphvizContext();
    Agraph_t *g = agopen(const_cast<char *>("model"), Agdirected, nullptr);
    if (!g)
        return internalError("Graphviz could not create a graph");
    set(g, "rankdir", "TB");
    set(g, "nodesep", "0.25");
    set(g, "ranksep", "0.45");
    // Beyond a few hundred boxes, fewer crossing-minimization rounds: a picture a little less
    // tidy in a fraction of the time (mclimit scales dot's mincross iterations).
    if (graph.boxes.size() > 400u)
        set(g, "mclimit", "0.3");

    std::vector<Agnode_t *> nodes(graph.boxes.size());
    for (size_t i = 0; i < graph.boxes.size(); ++i) {
        const LayoutBox &box = graph.boxes[i];
        std::string name = std::to_string(i);
        name.insert(name.begin(), 'b');
        nodes[i] = agnode(g, name.data(), 1);
        set(nodes[i], "shape", "box");
        set(nodes[i], "fixedsize", "true");
        set(nodes[i], "label", "");
        set(nodes[i], "width", std::to_string(box.width / kPointsPerInch));
        set(nodes[i], "height", std::to_string(box.height / kPointsPerInch));
    }
    std::vector<Agedge_t *> edges(graph.edges.size());
    for (size_t i = 0; i < graph.edges.size(); ++i)
        edges[i] = agedge(g, nodes[graph.edges[i].from], nodes[graph.edges[i].to], nullptr, 1);

    if (gvLayout(gvc, g, "dot") != 0) {
        agclose(g);
        return internalError("Graphviz's dot layout failed");
    }
    const boxf bb = GD_bb(g);
    const double top = bb.UR.y;
    auto flip = [&](pointf p) { return LayoutPoint{p.x - bb.LL.x, top - p.y}; };
    for (size_t i = 0; i < graph.boxes.size(); ++i) {
        const LayoutPoint centre = flip(ND_coord(nodes[i]));
        graph.boxes[i].x = centre.x;
        graph.boxes[i].y = centre.y;
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        LayoutEdge &edge = graph.edges[i];
        const splines *spl = ED_spl(edges[i]);
        if (spl && spl->size > 0 && spl->list[0].size >= 4) {
            const bezier &bz = spl->list[0];
            for (int k = 0; k < bz.size; ++k)
                edge.path.push_back(flip(bz.list[k]));
            edge.arrowTip = bz.eflag ? flip(bz.ep) : edge.path.back();
        } else {
            const LayoutBox &a = graph.boxes[edge.from];
            const LayoutBox &b = graph.boxes[edge.to];
            const LayoutPoint p0 = borderPoint(a, {b.x, b.y});
            const LayoutPoint p1 = borderPoint(b, {a.x, a.y});
            edge.path = {p0, p0, p1, p1};
            edge.arrowTip = p1;
        }
    }
    width = bb.UR.x - bb.LL.x;
    height = bb.UR.y - bb.LL.y;
    gvFreeLayout(gvc, g);
    agclose(g);
    return {};
}

// Longest-path layering in topological order (cycles between groups broken by box order),
// boxes side by side within a layer, straight edges: linear time for any size.
void placeInLayers(BoxGraph &graph, double &width, double &height)
{
    const size_t n = graph.boxes.size();
    std::vector<std::vector<int>> out(n);
    std::vector<int> indegree(n, 0);
    for (const LayoutEdge &e : graph.edges) {
        out[e.from].push_back(e.to);
        ++indegree[e.to];
    }
    std::vector<int> layer(n, 0);
    std::vector<bool> done(n, false);
    std::deque<int> ready;
    for (size_t i = 0; i < n; ++i)
        if (indegree[i] == 0)
            ready.push_back(static_cast<int>(i));
    size_t next = 0; // lowest box not yet placed, for breaking cycles
    for (size_t placed = 0; placed < n; ++placed) {
        if (ready.empty()) {
            while (done[next])
                ++next;
            ready.push_back(static_cast<int>(next));
        }
        const int b = ready.front();
        ready.pop_front();
        if (done[b]) {
            --placed;
            continue;
        }
        done[b] = true;
        for (int t : out[b]) {
            if (done[t])
                continue;
            layer[t] = std::max(layer[t], layer[b] + 1);
            if (--indegree[t] == 0)
                ready.push_back(t);
        }
    }
    const int layers = n ? *std::max_element(layer.begin(), layer.end()) + 1 : 0;
    std::vector<double> rowWidth(layers, 0), rowHeight(layers, 0);
    for (size_t i = 0; i < n; ++i) {
        LayoutBox &box = graph.boxes[i];
        box.x = rowWidth[layer[i]] + box.width / 2;
        rowWidth[layer[i]] += box.width + 18;
        rowHeight[layer[i]] = std::max(rowHeight[layer[i]], box.height);
    }
    width = rowWidth.empty() ? 0 : *std::max_element(rowWidth.begin(), rowWidth.end());
    std::vector<double> rowTop(layers, 0);
    double y = 0;
    for (int l = 0; l < layers; ++l) {
        rowTop[l] = y;
        y += rowHeight[l] + 32;
    }
    height = y;
    for (size_t i = 0; i < n; ++i) {
        LayoutBox &box = graph.boxes[i];
        box.x += (width - rowWidth[layer[i]]) / 2; // centre each layer
        box.y = rowTop[layer[i]] + rowHeight[layer[i]] / 2;
    }
    for (LayoutEdge &edge : graph.edges) {
        const LayoutBox &a = graph.boxes[edge.from];
        const LayoutBox &b = graph.boxes[edge.to];
        const LayoutPoint p0 = borderPoint(a, {b.x, b.y});
        const LayoutPoint p1 = borderPoint(b, {a.x, a.y});
        edge.path = {p0, p0, p1, p1};
        edge.arrowTip = p1;
    }
}

// A graph's boxes placed on their own, with the subgraphs of its expanded nodes merged in.
struct PlacedScope
{
    BoxGraph graph;
    double width = 0;
    double height = 0;
    bool layered = false;
};

// Space around the subgraphs inside an expanded box: its title above, each section's title
// and margins.
constexpr double kExpandedHeader = 40;
constexpr double kSectionTitle = 18;
constexpr double kSectionMargin = 12;
constexpr double kSectionGap = 16;
// Nesting beyond this is drawn as a closed box (a guard against pathological models).
constexpr int kMaxSubgraphDepth = 8;

std::string sectionTitle(const GraphInfo &graph)
{
    const size_t slash = graph.path.rfind('/');
    return slash == std::string::npos ? graph.path : graph.path.substr(slash + 1);
}

Status placeScope(const GraphIndex &index, int graphId, const LayoutOptions &options, int depth,
                  PlacedScope &out, Progress &progress)
{
    out.graph = layout_detail::buildBoxGraph(index, options, graphId);
    BoxGraph &graph = out.graph;
    if (depth == 0)
        progress.reportStep(1, 3,
                            makeMessage(MessageId::StepLayingOutBoxes,
                                        {std::to_string(graph.boxes.size())}));
    for (LayoutBox &box : graph.boxes)
        box.depth = depth;

    // The subgraphs of expanded nodes are placed first: their extent is their host box's size.
    struct Expansion
    {
        int box = -1;
        std::vector<PlacedScope> parts;
        std::vector<int> graphs;
    };
    std::vector<Expansion> expansions;
    if (depth < kMaxSubgraphDepth) {
        for (size_t b = 0; b < graph.boxes.size(); ++b) {
            LayoutBox &box = graph.boxes[b];
            if (box.kind != LayoutBox::Kind::Node)
                continue;
            const NodeInfo &node = index.nodes()[box.nodeId];
            if (node.subgraphs.empty() || !options.expandedSubgraphs.count(node.displayName))
                continue;
            Expansion expansion;
            expansion.box = static_cast<int>(b);
            double width = 0, height = 0;
            for (int sub : node.subgraphs) {
                PlacedScope part;
                if (Status status = placeScope(index, sub, options, depth + 1, part, progress);
                    !status.isOk())
                    return status;
                width += part.width + 2 * kSectionMargin
                         + (expansion.parts.empty() ? 0 : kSectionGap);
                height = std::max(height, part.height);
                expansion.parts.push_back(std::move(part));
                expansion.graphs.push_back(sub);
            }
            box.expanded = true;
            box.width = std::max(box.width, width + 2 * kSectionMargin);
            box.height = kExpandedHeader + kSectionTitle + height + 2 * kSectionMargin
                         + kSectionMargin;
            expansions.push_back(std::move(expansion));
        }
    }

    out.layered = graph.tooManyBoxes
                  || graph.boxes.size() > 2 * static_cast<size_t>(options.maxBoxes);
    if (out.layered)
        placeInLayers(graph, out.width, out.height);
    else if (Status status = placeWithDot(graph, out.width, out.height); !status.isOk())
        return status;

    // Each part into its section of the host box, shifted to where dot put the host.
    for (Expansion &expansion : expansions) {
        const int host = expansion.box;
        LayoutBox &hostBox = graph.boxes[host];
        double tallest = 0;
        for (const PlacedScope &part : expansion.parts)
            tallest = std::max(tallest, part.height);
        double left = hostBox.x - hostBox.width / 2 + kSectionMargin;
        const double top = hostBox.y - hostBox.height / 2 + kExpandedHeader;
        for (size_t k = 0; k < expansion.parts.size(); ++k) {
            PlacedScope &part = expansion.parts[k];
            LayoutSection section;
            section.title = sectionTitle(index.graphs()[expansion.graphs[k]]);
            section.x = left;
            section.y = top;
            section.width = part.width + 2 * kSectionMargin;
            section.height = kSectionTitle + tallest + 2 * kSectionMargin;
            graph.boxes[host].sections.push_back(section);
            // Boxes, their sections and edge points all move by the section's offset.
            const auto shift = [dx = left + kSectionMargin,
                                dy = top + kSectionTitle + kSectionMargin](auto &at) {
                at.x += dx;
                at.y += dy;
            };
            const int base = static_cast<int>(graph.boxes.size());
            for (LayoutBox &box : part.graph.boxes) {
                shift(box);
                for (LayoutSection &inner : box.sections)
                    shift(inner);
                box.container = box.container >= 0 ? box.container + base : host;
                graph.boxes.push_back(std::move(box));
            }
            for (LayoutEdge &edge : part.graph.edges) {
                edge.from += base;
                edge.to += base;
                for (LayoutPoint &p : edge.path)
                    shift(p);
                shift(edge.arrowTip);
                graph.edges.push_back(std::move(edge));
            }
            for (size_t id = 0; id < part.graph.boxOfNode.size(); ++id)
                if (part.graph.boxOfNode[id] >= 0)
                    graph.boxOfNode[id] = part.graph.boxOfNode[id] + base;
            graph.hiddenConstants += part.graph.hiddenConstants;
            left += section.width + kSectionGap;
        }
    }
    return {};
}

} // namespace

Result<GraphLayout> layoutGraph(const GraphIndex &index, const LayoutOptions &options,
                                Progress &progress)
{
    const auto start = std::chrono::steady_clock::now();
    progress.reportStep(0, 3, makeMessage(MessageId::StepGroupingNodes));
    PlacedScope placed;
    if (Status status = placeScope(index, index.mainGraph().id, options, 0, placed, progress);
        !status.isOk())
        return status;
    if (progress.cancelled())
        return cancelled();
    progress.reportStep(3, 3, makeMessage(MessageId::StepDone));

    GraphLayout layout;
    BoxGraph &graph = placed.graph;
    layout.layered = placed.layered;
    layout.width = placed.width;
    layout.height = placed.height;
    // Nodes of subgraphs that are not drawn stand in their owner's box (a node selected in
    // the table inside a closed If centres the If). Graph ids grow with nesting.
    for (const GraphInfo &g : index.graphs()) {
        if (g.ownerNode < 0)
            continue;
        const int owner = graph.boxOfNode[g.ownerNode];
        for (int id : g.nodes)
            if (graph.boxOfNode[id] < 0 && index.nodes()[id].opType != "Constant")
                graph.boxOfNode[id] = owner;
    }
    layout.boxes = std::move(graph.boxes);
    layout.edges = std::move(graph.edges);
    layout.boxOfNode = std::move(graph.boxOfNode);
    layout.collapseDepth = graph.collapseDepth;
    layout.hiddenConstants = graph.hiddenConstants;
    layout.layoutSeconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return layout;
}

} // namespace qs
