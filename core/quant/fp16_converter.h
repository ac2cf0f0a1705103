#pragma once
// Float32 -> float16 conversion of a whole model (weights, activations, graph signature), after
// onnxconverter-common's convert_float_to_float16 without its known bugs: existing Cast(to=FLOAT)
// nodes in the converted region become Cast(to=FLOAT16), casts are shared per (value, type) and
// never chained, and ops whose schema has no float16 form at the model's opset stay float32.

#include "graph/pass.h"
#include "quant/pass_runner.h"
#include "util/diagnostic.h"
#include "util/progress.h"
#include "util/status.h"

#include "quantscope.pb.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

class Model;
struct NodeInfo;
struct ValueRef;

namespace fp16 {
class Fp16Plan;
struct ValuePlan;
} // namespace fp16

// What the conversion did with one node that computes on float values (control flow aside: its
// subgraphs' nodes are counted instead).
struct Fp16NodeOutcome
{
    std::string node; // display name
    std::string opType;
    bool converted = false;
    Message reason; // why it stays float32, when it does (id None when converted)
};

struct Fp16Counts
{
    int64_t convertedTensors = 0; // initializers/Constant values turned into float16
    int64_t clampedValues = 0;    // values moved into [min_positive, max_finite]
    int64_t insertedCasts = 0;
};

// The conversion as a pass over each graph of a model. The plan (fp16_plan.h) covers the whole
// model, so it is made from the Graph's model when the first graph arrives. Variants of a value
// (its Casts or converted copies) live in the graph that defines it: a graph's pass also points
// its subgraphs' reads of its values at the variants they need, so subgraphs must be visited
// first (PassPipeline::Scope::WithSubgraphs). Diagnostics (clamped weights) are added to the
// context with the main graph; what happened to each node is in nodeOutcomes().
class Fp16ConvertPass : public GraphPass
{
public:
    explicit Fp16ConvertPass(const quantscope::Fp16Options &options);
    ~Fp16ConvertPass() override;
    std::string_view name() const override { return "Fp16Convert"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;

    const Fp16Counts &counts() const { return m_counts; }
    const std::vector<Fp16NodeOutcome> &nodeOutcomes() const { return m_nodeOutcomes; }

private:
    Status plan(Graph &graph, PassContext &context);
    Status convertInitializers(Graph &graph, int graphId);
    Status rewriteNode(Graph &graph, NodeId id, const NodeInfo &info);
    Status retypeProducer(Graph &graph, NodeId id, const NodeInfo &info);
    Status emitVariants(Graph &graph, const fp16::ValuePlan &value,
                        const std::string &producerInput, NodeCursor &cursor);
    bool pointReadsAtVariants(Graph &subgraph, int definingGraph);
    void retypeSignature(Graph &graph, int graphId);
    void addDiagnostics(std::vector<Diagnostic> &diagnostics) const;
    void collectNodeOutcomes();
    onnx::NodeProto makeCast(Graph &graph, const std::string &input, const std::string &output,
                             int32_t to);
    // `source` (a float32 tensor of the model) as a new, unnamed tensor of `type`: float16, or a
    // self-contained float32 copy.
    Result<onnx::TensorProto> convertedConstant(const onnx::TensorProto &source, int32_t type);
    int graphId(const Graph &graph) const;

    quantscope::Fp16Options m_options;
    std::unique_ptr<fp16::Fp16Plan> m_plan;
    std::shared_ptr<const Model> m_model;            // the model the plan was made for
    std::unordered_map<std::string, int> m_graphIds; // GraphIndex graph id by path
    Fp16Counts m_counts;
    std::vector<Fp16NodeOutcome> m_nodeOutcomes;
    NodeProgress m_progress{MessageId::StepConvertingToFloat16};
};

struct Fp16Result
{
    onnx::ModelProto model;       // the converted model (not yet saved)
    int64_t convertedTensors = 0; // initializers/Constant values turned into float16
    int64_t clampedValues = 0;    // values moved into [min_positive, max_finite]
    int64_t insertedCasts = 0;
    std::vector<Diagnostic> diagnostics; // clamped weights
    std::vector<Fp16NodeOutcome> nodes;  // each node on float values: converted, or why not
};

// `options.node_block_list` holds display names the caller has already validated. Converted
// tensors are written as raw_data; tensors left float32 keep their storage (external data too).
Result<Fp16Result> convertToFloat16(std::shared_ptr<const Model> model,
                                    const quantscope::Fp16Options &options, Progress &progress);
// The same for a model the caller owns otherwise; it only has to outlive the call.
Result<Fp16Result> convertToFloat16(const Model &model, const quantscope::Fp16Options &options,
                                    Progress &progress);

// onnxconverter-common's DEFAULT_OP_BLOCK_LIST: ML-domain ops, and ops whose float16 kernels are
// missing or lose too much (TopK, Range, CumSum, Resize...).
std::vector<std::string> defaultFp16OpBlockList();

} // namespace qs
