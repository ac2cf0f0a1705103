#pragma once
// The contract between the session and an op's kernel (STYLE §2, after ONNX Runtime):
//  - a factory gets a KernelInfo once, when the session is built: it parses and validates the
//    attributes, may precompute from constant inputs (weight reorders, folded tables), and returns
//    the kernel or a Status naming the node and the problem;
//  - compute() is const and may run concurrently from several sessions' runs; it reads inputs from
//    the KernelContext, allocates and fills its outputs, and returns a Status.
// Kernels live in core/runtime/ops/<family>/<op>.cpp and are listed in ops/registry.cpp.

#include "model/tensor_type.h"
#include "runtime/value.h"
#include "tensor/tensor.h"
#include "util/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace onnx {
class NodeProto;
class AttributeProto;
class TensorProto;
} // namespace onnx

namespace qs {

class GraphProgram;
class Frame;
class RunState;

// An activation that the session fused into the producing Conv/ConvTranspose/Gemm/MatMul: the
// kernel applies it to its output (oneDNN post-op or an Eigen pass) instead of a separate node.
// After the activation an optional scalar affine step y = y * postScale + postShift absorbs a
// following Mul/Add by constants (PP-LCNet's learnable affine blocks); Kind::None means only
// that affine step.
struct FusedActivation
{
    enum class Kind {
        None,
        Relu,
        Clip,
        LeakyRelu,
        Sigmoid,
        HardSigmoid,
        HardSwish,
        Tanh,
        Gelu,
        Swish
    };
    Kind kind = Kind::Relu;
    float alpha = 0.0f; // Clip min, LeakyRelu slope, HardSigmoid alpha
    float beta = 0.0f;  // Clip max, HardSigmoid beta
    float postScale = 1.0f;
    float postShift = 0.0f;

    bool hasPostAffine() const { return postScale != 1.0f || postShift != 0.0f; }
};

// Applies `activation` in place to `count` floats.
void applyFusedActivation(const FusedActivation &activation, float *data, int64_t count);

class KernelInfo
{
public:
    KernelInfo(const onnx::NodeProto &node, std::string label, int opsetVersion);

    const onnx::NodeProto &node() const { return m_node; }
    // "Conv 'backbone.conv1' (node 12)": use it at the start of every error message.
    const std::string &label() const { return m_label; }
    const std::string &opType() const;
    int opsetVersion() const { return m_opsetVersion; }
    size_t inputCount() const; // as written in the node, omitted optional inputs included
    size_t outputCount() const;
    bool hasInput(size_t index) const; // present and not the empty name

    // The value of input `index` when it is known before running (an initializer or a Constant
    // node's output), else null. Kernels may precompute from it (weight reorders).
    const Tensor *constantInput(size_t index) const;
    // Declared or inferred type of input/output `index`; unknown dims have value -1.
    TensorType inputType(size_t index) const;
    TensorType outputType(size_t index) const;

    // Attributes. get* return the default when absent and fail (Status) on a wrong type.
    bool hasAttribute(std::string_view name) const;
    const onnx::AttributeProto *attribute(std::string_view name) const;
    Result<int64_t> getInt(std::string_view name, int64_t fallback) const;
    Result<float> getFloat(std::string_view name, float fallback) const;
    Result<std::string> getString(std::string_view name, std::string fallback) const;
    Result<std::vector<int64_t>> getInts(std::string_view name,
                                         std::vector<int64_t> fallback = {}) const;
    Result<std::vector<float>> getFloats(std::string_view name,
                                         std::vector<float> fallback = {}) const;
    Result<std::vector<std::string>> getStrings(std::string_view name) const;
    // A tensor attribute (Constant's value, ConstantOfShape's value); an error when absent.
    Result<Tensor> getTensor(std::string_view name) const;

    // Compiles the graph attribute `name` (If's branches, Loop's body) for running with
    // KernelContext::runSubgraph.
    Result<std::shared_ptr<const GraphProgram>> compileSubgraph(std::string_view name) const;

    // Set by the session when it fused the following activation into this node.
    const std::optional<FusedActivation> &fusedActivation() const { return fusedActivationSetting; }

    // invalidArgument("<label>: <message>")
    Status error(const std::string &message) const;
    Status unsupportedError(const std::string &message) const;

    // Filled by the session (GraphProgram) before calling the factory.
    std::vector<const Tensor *> constantInputs;
    std::vector<TensorType> inputTypes;
    std::vector<TensorType> outputTypes;
    std::optional<FusedActivation> fusedActivationSetting;
    std::function<Result<std::shared_ptr<const GraphProgram>>(std::string_view)> subgraphCompiler;

private:
    const onnx::NodeProto &m_node;
    std::string m_label;
    int m_opsetVersion = 0;
};

class KernelContext
{
public:
    KernelContext(const std::string &label, std::span<const Value *const> inputs,
                  std::span<Value> outputs, RunState &run, const Frame &frame);

    size_t inputCount() const { return m_inputs.size(); }
    // An empty Tensor when the input is omitted (optional), beyond the node's inputs, or not a
    // tensor (a sequence or an optional: read those with value()).
    const Tensor &input(size_t index) const
    {
        return index < m_inputs.size() && m_inputs[index] ? m_inputs[index]->tensor() : kNoTensor;
    }
    bool hasInput(size_t index) const { return !input(index).empty(); }
    // Input `index` whatever its kind; an empty Value when omitted.
    const Value &value(size_t index) const
    {
        return index < m_inputs.size() && m_inputs[index] ? *m_inputs[index] : kNoValue;
    }
    size_t outputCount() const { return m_outputs.size(); }
    Tensor &output(size_t index) { return m_outputs[index].tensor(); }
    // Sets output `index` to any kind of value (sequences, optionals, a subgraph's outputs).
    void setOutput(size_t index, Value value) { m_outputs[index] = std::move(value); }
    // Allocates output `index` and returns it for filling.
    Tensor &allocateOutput(size_t index, DType type, Shape shape, bool zero = false);

    int threads() const;
    bool cancelled() const;

    // Runs a compiled subgraph; names it does not define are looked up in this node's scope.
    Result<std::vector<Value>> runSubgraph(const GraphProgram &program,
                                           std::span<const Value> inputs) const;

    const std::string &label() const { return m_label; }
    Status error(const std::string &message) const; // invalidArgument("<label>: <message>")

private:
    static const Tensor kNoTensor;
    static const Value kNoValue;

    const std::string &m_label;
    std::span<const Value *const> m_inputs;
    std::span<Value> m_outputs;
    RunState &m_run;
    const Frame &m_frame;
};

class Kernel
{
public:
    virtual ~Kernel() = default;
    virtual Status compute(KernelContext &context) const = 0;
};

using KernelFactory = Result<std::unique_ptr<Kernel>> (*)(const KernelInfo &info);

struct KernelRegistration
{
    std::string_view domain; // "" for the default ONNX domain
    std::string_view opType;
    int sinceVersion; // first opset version this kernel implements
    KernelFactory create;
};

// Small helper for factories: wraps a kernel constructed from validated settings.
template<typename K, typename... Args>
Result<std::unique_ptr<Kernel>> makeKernel(Args &&...args)
{
    return std::unique_ptr<Kernel>(std::make_unique<K>(std::forward<Args>(args)...));
}

} // namespace qs
