#pragma once
// The facts about a whole model that the inspector prints first: header fields, signature,
// totals and the op-type histogram. A plain value computed once from a Model.

#include "model/graph_index.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qs {

class Model;

struct OpTypeStats
{
    std::string domain; // "" for the default ONNX domain
    std::string opType;
    int64_t count = 0;
    int64_t params = 0;
    int64_t macs = 0;
};

struct ModelSummary
{
    int64_t irVersion = 0;
    std::string producerName;
    std::string producerVersion;
    std::string domain;
    int64_t modelVersion = 0;
    std::vector<std::pair<std::string, int64_t>> opsets;       // (domain, version)
    std::vector<std::pair<std::string, std::string>> metadata; // metadata_props
    std::vector<ValueRef> inputs;                              // initializers excluded
    std::vector<ValueRef> outputs;

    int64_t nodeCount = 0;      // main graph
    int64_t nodeCountTotal = 0; // all graphs
    int64_t graphCount = 0;
    int64_t initializerCount = 0;
    int64_t parameterCount = 0; // elements of all initializers in all graphs, each counted once
    int64_t initializerBytes = 0;
    // Weights stored as Constant nodes instead of initializers (paddle2onnx does this).
    int64_t constantTensorCount = 0;
    int64_t constantParameterCount = 0;
    int64_t constantBytes = 0;
    int64_t totalMacs = 0;  // over the nodes whose MACs are known
    uint64_t fileBytes = 0; // model file plus external data

    std::vector<OpTypeStats> opTypes; // sorted by count, then name
};

ModelSummary summarize(const Model &model);

} // namespace qs
