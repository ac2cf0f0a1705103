#pragma once
// The main graph of a model as a picture's geometry: which boxes are drawn (nodes, or module
// groups when the graph is too large), where they stand and how their edges run. Computed by
// Graphviz's `dot` (cgraph/gvc) off the GUI thread and returned as an immutable value; the
// GUI only draws it. No Qt here.
//
// What is drawn: every main-graph node except Constant nodes (hidden by default), graph inputs
// and outputs as small boxes; initializers and hidden constants are folded into the node that
// reads them (listed on its box, as Netron does). Beyond LayoutOptions::maxBoxes, nodes are
// grouped by their module path (display name `/layer1/0/conv1/Conv` -> layer1 > 0 > conv1) at
// the deepest level that keeps the picture under the limit; a group the user expands shows its
// members one level deeper. When even the top level has too many boxes (a flat graph without
// module paths), a simple layered placement replaces dot, so no model can hang the layout.
//
// Subgraphs: an If, Loop or Scan node is one box; named in LayoutOptions::expandedSubgraphs,
// its box grows to hold its graphs (If: then and else branch side by side; Loop, Scan: body),
// each laid out on its own first (nested expansions inside out) and placed in a section of the
// box. Their boxes and edges follow the main graph's in the layout, with `container` naming
// the box that holds them. Nodes of subgraphs not drawn map to their owner's box.

#include "util/progress.h"
#include "util/status.h"

#include <set>
#include <string>
#include <vector>

namespace qs {

class GraphIndex;

struct LayoutOptions
{
    bool showConstants = false;
    // Most boxes laid out without grouping, and the bound grouping keeps to. dot's time grows
    // faster than the box count (bench/graph_view_bench: 958 boxes of a branchy chain 0.5 s,
    // 3,640 boxes 2.5 s, 4,780 boxes 39 s), so the bound keeps a layout near a second.
    int maxBoxes = 1500;
    // Module paths ("layer1/0") whose members are drawn one level deeper.
    std::set<std::string> expanded;
    // Display names of If/Loop/Scan nodes whose subgraphs are drawn inside their box.
    std::set<std::string> expandedSubgraphs;
    // Per GraphIndex node id: the node whose box draws it (NodeMatching::foldedInto: a
    // variant's Q/DQ plumbing inside the op it wraps), -1 or absent: drawn as itself.
    std::vector<int> foldInto;
};

struct LayoutPoint
{
    double x = 0;
    double y = 0;
};

// A subgraph drawn inside an expanded node's box: its frame and title ("then_branch").
struct LayoutSection
{
    std::string title;
    double x = 0; // top-left corner, points
    double y = 0;
    double width = 0;
    double height = 0;
};

struct LayoutBox
{
    enum class Kind { Node, Group, Input, Output };
    Kind kind = Kind::Node;
    int nodeId = -1;          // Kind::Node: GraphIndex node id
    std::string group;        // Kind::Group: its module path, "layer1/0"; Kind::Node: its own
    std::string title;        // op type, group name ("layer1 > 0") or value name
    std::string subtitle;     // display name, "24 ops" or the value's shape
    std::string detail;       // folded initializers "W [64,3,3,3]", or a group's op counts
    std::vector<int> members; // Kind::Group: node ids, in topological order
    std::vector<int> folded;  // Kind::Node: nodes drawn inside it (LayoutOptions::foldInto)
    // Kind::Group: how many other groups hold the same op types with the same shapes in the
    // same order (repeated blocks); drawn as a mark on the box.
    int identicalGroups = 0;
    // Kind::Node of an If/Loop/Scan in LayoutOptions::expandedSubgraphs: the subgraphs drawn
    // inside it, one section each.
    bool expanded = false;
    std::vector<LayoutSection> sections;
    int container = -1; // the expanded box this one is drawn in (a subgraph's), else -1
    int depth = 0;      // how many containers hold it
    // Centre and size in points (1/72 in), y growing downwards.
    double x = 0;
    double y = 0;
    double width = 0;
    double height = 0;
};

struct LayoutEdge
{
    int from = -1; // box indices
    int to = -1;
    std::string tensor; // the first value it carries
    std::string label;  // its shape, "[1,64,56,56]", or "3 tensors" between groups
    // A cubic Bezier spline: p0, then (control, control, end) triples; ends at the arrow's base.
    std::vector<LayoutPoint> path;
    LayoutPoint arrowTip; // where the arrow points (the target box's border)
};

struct GraphLayout
{
    std::vector<LayoutBox> boxes;
    std::vector<LayoutEdge> edges;
    std::vector<int> boxOfNode; // per GraphIndex node id: its box (or its group's), else -1
    double width = 0;
    double height = 0;
    int collapseDepth = 0;   // 0: not grouped; d: groups are module paths of d components
    int hiddenConstants = 0; // Constant nodes folded into their readers
    bool layered = false;    // the simple placement replaced dot (too many boxes)
    double layoutSeconds = 0;
};

// The module path of a display name: "/layer1/0/conv1/Conv" -> {"layer1", "0", "conv1"}; empty
// for names without '/' components.
std::vector<std::string> modulePath(const std::string &displayName);

// Lays out the main graph of `index`. Reports its phases on `progress`; cancellation is seen
// between phases (dot itself cannot be interrupted, which is why its input is kept bounded).
// Thread-safe: Graphviz's global state is guarded, so concurrent calls run one after another.
Result<GraphLayout> layoutGraph(const GraphIndex &index, const LayoutOptions &options,
                                Progress &progress = silentProgress());

} // namespace qs
