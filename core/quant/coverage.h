#pragma once
// What a quantization run did with the nodes its recipe made eligible (op type selected, node
// and op type not excluded, a float32 output): how many of each op type it quantized, and every
// one it left in float with the reason. Issue 16's ResNet-18 came out with "5 nodes quantized"
// and nothing about the 16 Convs it skipped; each writer now says why it skips a node, and the
// result carries the list to the CLI, the Diagnostics dock and the saved recipe.
//
// Vocabulary: nodes the user excluded are "kept in float" and are not eligible; eligible nodes a
// quantizer could not quantize are "left in float".
#include "util/diagnostic.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quantscope {
class Recipe;
}

namespace qs {

struct NodeLeftInFloat
{
    std::string node; // display name
    std::string opType;
    // "bias comes from node 'b_add' (Add), computed from the model's inputs..." (reasonText()),
    // coded so that the GUI words it in its own language.
    Message reason;
    // Warning when the node was meant to be quantized and something in the model stopped it;
    // Info when float is what the method does there (a pass-through op whose input is float).
    Severity severity = Severity::Warning;

    std::string reasonText() const { return englishText(reason); }
};

class QuantCoverage
{
public:
    void addQuantized(const std::string &opType);
    void addLeftInFloat(NodeLeftInFloat node);
    // A node counted as quantized that a later step left in float after all (the QOperator
    // writer, for ops ONNX has no QLinear form of).
    void moveToFloat(NodeLeftInFloat node);

    int64_t eligible() const;
    int64_t quantized() const;
    const std::vector<NodeLeftInFloat> &leftInFloat() const { return m_leftInFloat; }
    // Per op type, most eligible first.
    struct OpTypeCount
    {
        std::string opType;
        int64_t eligible = 0;
        int64_t quantized = 0;
    };
    std::vector<OpTypeCount> byOpType() const;

    // "21 of 21 eligible nodes quantized (Conv 20, Gemm 1)"; with nodes left in float
    // "5 of 21 eligible nodes quantized (Conv 4, Gemm 1); 16 left in float (Conv 16)".
    std::string summary(std::string_view verb = "quantized") const;
    // One diagnostic per node left in float, naming the node, for the CLI and the dock.
    std::vector<Diagnostic> diagnostics(std::string_view leftIn = "float") const;
    // The list as the saved recipe's left_in_float entries.
    void writeTo(quantscope::Recipe &recipe) const;

private:
    std::map<std::string, OpTypeCount> m_counts;
    std::vector<NodeLeftInFloat> m_leftInFloat;
};

// How a writer explains that an input it needs as a constant (a weight, a bias, a table) is not
// one, over whichever graph view it works on (core/graph's Graph or the model's GraphIndex).
struct ValueProducer
{
    std::string node; // display name
    std::string opType;
    std::vector<std::string> inputs;
};
struct ValueSources
{
    std::function<bool(const std::string &)> isConstant;
    // The node of the graph producing a value; nullopt for graph inputs and outer values.
    std::function<std::optional<ValueProducer>(const std::string &)> producer;
};

// Whether `value` depends on something known only at run time (a graph input, an outer value
// that is not a constant): an activation rather than a constant nobody folded.
bool dependsOnRunTimeValues(const std::string &value, const ValueSources &sources);

// "bias comes from node 'b_add' (Add), computed from the model's inputs, not a constant",
// "B is the graph input 'k', not a constant", "bias comes from node 'r' (RandomNormal), a
// computation on constants that Quantscope does not fold". `role` names the input ("bias").
Message nonConstantReason(std::string_view role, const std::string &value,
                          const ValueSources &sources);

} // namespace qs
