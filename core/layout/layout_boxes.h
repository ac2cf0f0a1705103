#pragma once
// Internal to core/layout: what graph_layout.cpp hands to a placement engine. The boxes and
// edges of the picture before placement (positions zero), with grouping decided.

#include "layout/graph_layout.h"

namespace qs::layout_detail {

struct BoxGraph
{
    std::vector<LayoutBox> boxes;  // sizes set, positions not
    std::vector<LayoutEdge> edges; // endpoints and labels set, paths not
    std::vector<int> boxOfNode;
    int collapseDepth = 0;
    int hiddenConstants = 0;
    bool tooManyBoxes = false; // over options.maxBoxes even at the coarsest grouping
};

// The boxes of graph `graphId` of `index` (GraphInfo id; 0: the main graph).
BoxGraph buildBoxGraph(const GraphIndex &index, const LayoutOptions &options, int graphId = 0);

} // namespace qs::layout_detail
