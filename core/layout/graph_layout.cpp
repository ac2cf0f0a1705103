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

} // namespace

Result<GraphLayout> layoutGraph(const GraphIndex &index, const LayoutOptions &options,
                                Progress &progress)
{
    const auto start = std::chrono::steady_clock::now();
    progress.report(0, 3, "Grouping nodes");
    BoxGraph graph = layout_detail::buildBoxGraph(index, options);
    if (progress.cancelled())
        return cancelled();

    GraphLayout layout;
    // Expanded groups can push a grouped picture past the bound; dot stays usable up to about
    // twice of it, beyond that the layered placement answers at once.
    layout.layered = graph.tooManyBoxes
                     || graph.boxes.size() > 2 * static_cast<size_t>(options.maxBoxes);
    progress.report(1, 3,
                    layout.layered ? "Placing " + std::to_string(graph.boxes.size()) + " boxes"
                                   : "Laying out " + std::to_string(graph.boxes.size())
                                         + " boxes (Graphviz dot)");
    if (layout.layered) {
        placeInLayers(graph, layout.width, layout.height);
    } else if (Status status = placeWithDot(graph, layout.width, layout.height); !status.isOk()) {
        return status;
    }
    if (progress.cancelled())
        return cancelled();
    progress.report(3, 3, "Done");

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
