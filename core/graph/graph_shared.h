#pragma once
// What every Graph of one model shares (internal to graph.cpp and graph_io.cpp): the model, its
// opsets, and the names in use anywhere in the model, so that a name made in a subgraph cannot
// collide with one in its parent.
#include "graph/graph.h"

#include <map>
#include <memory>
#include <string>
#include <unordered_set>

namespace qs {

struct Graph::Shared
{
    std::shared_ptr<const Model> model;
    std::map<std::string, int> opsets; // "" for ai.onnx
    std::unordered_set<std::string> valueNames;
    std::unordered_set<std::string> nodeNames;
};

} // namespace qs
