#pragma once
// Internal to the FP16 converter: the plan, decided before anything is rewritten.
//
// Every float32 value gets a "natural" type, the type its producer writes after conversion
// (float16 for converted nodes, float32 for blocked ones), and the set of types its consumers
// demand. Each demanded type other than the natural one becomes one variant name, made once per
// (value, type): a Cast, a converted copy of a constant, or a second Cast from the input of an
// existing Cast (so that casts never read casts). Variants live in the graph that defines the
// value, so subgraph nodes reading outer values reuse them.

#include "quantscope.pb.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qs {

class Graph;
class Model;
struct NodeInfo;

namespace fp16 {

constexpr int32_t kFloat = 1;    // onnx::TensorProto::FLOAT
constexpr int32_t kHalf = 10;    // onnx::TensorProto::FLOAT16
constexpr int32_t kAnyType = -1; // a Cast's input: it reads whatever type the value has

enum class Source {
    NodeOutput,   // natural type: float32 if the node is blocked, float16 otherwise
    CastOutput,   // an existing Cast(to=FLOAT): writes whatever type its consumers want most
    ConstantNode, // a Constant node's value: converted unless float32 consumers need it
    Initializer,  // same rule as ConstantNode; variants are new initializers
    GraphInput,   // main graph: depends on keep_io_types; subgraph inputs stay float32
    FixedFloat,   // sparse initializers: left alone
};

struct ValuePlan
{
    int graph = 0;
    Source source = Source::NodeOutput;
    int producer = -1; // NodeInfo id for node outputs
    int32_t natural = kFloat;
    std::set<int32_t> demands; // kFloat / kHalf from consumers and subgraph outputs
    int32_t outputDemand = 0;  // the main graph output's type; 0 when not a main graph output
    std::map<int32_t, std::string> names; // type -> the name holding the value in that type
};

struct NodePlan
{
    bool blocked = false;     // computes in float32
    bool controlFlow = false; // blocked at its boundary, its subgraphs converted inside
    Message reason;           // why it is blocked, for the diagnostics (id None: not)
    bool touchesFloat = false;
    std::vector<int32_t> inputDemands; // per input slot: 0 (untracked), kAnyType, kFloat, kHalf
};

class Fp16Plan
{
public:
    Fp16Plan(const Model &model, const quantscope::Fp16Options &options);

    // Classifies every node, collects the demands, picks natural types and variant names, which
    // `names` (any Graph of the model: names are unique model-wide) makes unique.
    Status build(Progress &progress, Graph &names);

    // The plan of a float32 value as seen from `graph` (outer scopes searched); null otherwise.
    const ValuePlan *find(int graph, const std::string &name) const;
    // The plan of a value defined by `graph` itself.
    const ValuePlan *findLocal(int graph, const std::string &name) const;
    const std::map<std::string, ValuePlan> &values(int graph) const
    {
        return m_values[static_cast<size_t>(graph)];
    }
    const NodePlan &node(int nodeId) const { return m_nodes[static_cast<size_t>(nodeId)]; }
    // The name a consumer reads for `demand` (kAnyType: the natural name).
    static const std::string &nameFor(const ValuePlan &value, int32_t demand);

    bool keepIoTypes() const { return m_options.keep_io_types(); }

private:
    ValuePlan *findMutable(int graph, const std::string &name);
    void collectValues(int graph);
    void classifyNode(const NodeInfo &info);
    std::optional<Message> parametersOutOfRange(const NodeInfo &info) const;
    void addDemands(const NodeInfo &info);
    void decideNatural(ValuePlan &value) const;
    void nameVariants(const std::string &name, ValuePlan &value, Graph &names) const;

    const Model &m_model;
    const quantscope::Fp16Options &m_options;
    std::set<std::string> m_opBlockList;
    std::set<std::string> m_nodeBlockList;
    float m_maxFinite = 0.0f;
    std::vector<std::map<std::string, ValuePlan>> m_values; // per graph id, sorted: stable names
    std::vector<NodePlan> m_nodes;                          // per node id
};

} // namespace fp16
} // namespace qs
