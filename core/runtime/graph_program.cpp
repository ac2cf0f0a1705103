#include "runtime/graph_program.h"

#include "graph/graph.h"
#include "model/attributes.h"
#include "model/model.h"
#include "runtime/fusion/fused_activation.h"
#include "runtime/fusion/fusion_pipeline.h"
#include "runtime/ops/registry.h"
#include "runtime/profile.h"

#include <onnx/onnx_pb.h>

#include <chrono>
#include <unordered_set>

namespace qs {

struct GraphProgram::Step
{
    std::unique_ptr<Kernel> kernel;
    std::shared_ptr<const onnx::NodeProto> proto; // KernelInfo refers to it; kept alive here
    std::string label;
    // The node as the engine runs it (a fused node keeps its own name and op type), apart from
    // the label so that a profile can group by op type.
    std::string nodeName;
    std::string opType;
    std::vector<int> inputs;  // slot per node input, -1 when omitted
    std::vector<int> outputs; // slot per node output, -1 when omitted
    std::vector<int> release; // slots whose last reader is this step
};

Frame::Frame(const GraphProgram &program, const Frame *parent)
    : program(program)
    , parent(parent)
{}

const Value *Frame::lookup(const std::string &name) const
{
    for (const Frame *frame = this; frame; frame = frame->parent) {
        const int slot = frame->program.slotOf(name);
        if (slot >= 0 && !frame->values[static_cast<size_t>(slot)].empty())
            return &frame->values[static_cast<size_t>(slot)];
    }
    return nullptr;
}

GraphProgram::~GraphProgram() = default;

int GraphProgram::slotOf(const std::string &name) const
{
    auto it = m_slotByName.find(name);
    return it == m_slotByName.end() ? -1 : it->second;
}

class GraphCompiler
{
public:
    GraphCompiler(Graph &graph, const CompileOptions &options,
                  std::vector<UnsupportedNode> &unsupported)
        : m_graph(graph)
        , m_options(options)
        , m_unsupported(unsupported)
        , m_program(std::make_shared<GraphProgram>())
    {
        m_program->m_model = graph.model();
    }

    Result<std::shared_ptr<const GraphProgram>> compile()
    {
        if (m_options.fuse) {
            PassContext context;
            context.allowInternalOps = true;
            Result<bool> fused = engineFusionPipeline().run(m_graph, context);
            if (!fused)
                return fused.status();
        }
        QS_RETURN_IF_ERROR(declareValues());
        for (const NodeId id : m_graph.nodeIds())
            QS_RETURN_IF_ERROR(addStep(m_graph.node(id)));
        planLifetimes();
        return std::shared_ptr<const GraphProgram>(std::move(m_program));
    }

private:
    int slotFor(const std::string &name)
    {
        auto [it, inserted] = m_program->m_slotByName.emplace(name, 0);
        if (inserted) {
            it->second = static_cast<int>(m_program->m_slotNames.size());
            m_program->m_slotNames.push_back(name);
            m_program->m_constants.emplace_back();
        }
        return it->second;
    }

    Status declareValues()
    {
        for (const GraphValue &input : m_graph.inputs())
            m_program->m_inputs.push_back({input.name, input.type, slotFor(input.name)});
        for (const std::string &name : m_graph.initializerNames()) {
            Result<const Tensor *> value = m_graph.constantValue(name);
            if (!value)
                return value.status();
            m_program->m_constants[static_cast<size_t>(slotFor(name))] = **value;
        }
        std::vector<std::string> reads;
        for (const NodeId id : m_graph.nodeIds()) {
            const GraphNode &node = m_graph.node(id);
            for (const auto &output : node.proto.output()) {
                if (!output.empty())
                    slotFor(output);
            }
            reads.insert(reads.end(), node.proto.input().begin(), node.proto.input().end());
            reads.insert(reads.end(), node.implicitInputs.begin(), node.implicitInputs.end());
        }
        for (const GraphValue &output : m_graph.outputs())
            reads.push_back(output.name);
        // Names read here but defined in an enclosing graph: filled from the parent's frame.
        std::unordered_set<std::string> outer;
        for (const auto &name : reads) {
            if (!name.empty() && !m_program->m_slotByName.count(name) && outer.insert(name).second)
                m_program->m_outerSlots.emplace_back(slotFor(name), name);
        }
        for (const GraphValue &output : m_graph.outputs())
            m_program->m_outputs.push_back({output.name, output.type, slotFor(output.name)});
        return Status::ok();
    }

    std::string labelOf(const GraphNode &node) const
    {
        std::string label = node.opType() + " '" + node.displayName + "'";
        if (!m_graph.path().empty())
            label += " in " + m_graph.path();
        if (!node.absorbed.empty()) {
            label += " (fused";
            for (const auto &absorbed : node.absorbed)
                label += " " + absorbed;
            label += ")";
        }
        return label;
    }

    Status addStep(GraphNode &node)
    {
        const std::string domain = isDefaultDomain(node.domain()) ? "" : node.domain();
        const KernelRegistration *registration = findKernel(domain, node.opType(),
                                                            node.opsetVersion);
        if (!registration) {
            m_unsupported.push_back(
                {node.opType(), domain, node.opsetVersion, node.displayName, {}});
            return Status::ok();
        }
        auto step = std::make_unique<GraphProgram::Step>();
        step->label = labelOf(node);
        step->nodeName = node.displayName;
        step->opType = node.opType();
        const std::optional<FusedActivation> activation = fusedActivationOf(node.proto);
        clearFusedActivation(node.proto);
        step->proto = std::make_shared<const onnx::NodeProto>(std::move(node.proto));
        KernelInfo kernelInfo(*step->proto, step->label, node.opsetVersion);
        kernelInfo.fusedActivationSetting = activation;
        bool allInputsConstant = true;
        for (const auto &input : step->proto->input()) {
            const Tensor *constant = nullptr;
            if (!input.empty()) {
                const int slot = m_program->slotOf(input);
                if (slot >= 0 && !m_program->m_constants[static_cast<size_t>(slot)].empty())
                    constant = &m_program->m_constants[static_cast<size_t>(slot)];
                allInputsConstant &= constant != nullptr;
            }
            step->inputs.push_back(input.empty() ? -1 : slotFor(input));
            kernelInfo.constantInputs.push_back(constant);
            kernelInfo.inputTypes.push_back(input.empty() ? TensorType{} : m_graph.valueType(input));
        }
        for (const auto &output : step->proto->output()) {
            step->outputs.push_back(output.empty() ? -1 : slotFor(output));
            kernelInfo.outputTypes.push_back(output.empty() ? TensorType{}
                                                            : m_graph.valueType(output));
        }
        kernelInfo.subgraphCompiler = [this, &node](std::string_view name) {
            return compileSubgraph(node, name);
        };
        Result<std::unique_ptr<Kernel>> kernel = registration->create(kernelInfo);
        if (!kernel) {
            if (kernel.status().code() == StatusCode::Unsupported) {
                // The kernel's message starts with the node's label, which the summary names.
                std::string reason = kernel.status().message();
                if (reason.starts_with(step->label + ": "))
                    reason.erase(0, step->label.size() + 2);
                m_unsupported.push_back(
                    {step->proto->op_type(), domain, node.opsetVersion, node.displayName, reason});
                return Status::ok();
            }
            return kernel.status();
        }
        step->kernel = std::move(*kernel);
        // Outer names its subgraphs read: appended for lifetimes only (planLifetimes trims them
        // again); the subgraph reads them through the frame.
        for (const auto &name : node.implicitInputs)
            step->inputs.push_back(slotFor(name));
        if (allInputsConstant && node.implicitInputs.empty() && foldConstantStep(*step))
            return Status::ok();
        m_program->m_steps.push_back(std::move(step));
        return Status::ok();
    }

    // Runs a node whose inputs are all constants now, once (Constant nodes, shape arithmetic
    // on weights). Keeps the step when the kernel fails, so the error surfaces on run.
    bool foldConstantStep(GraphProgram::Step &step)
    {
        RunState state(1, nullptr, nullptr);
        Frame frame(*m_program, nullptr);
        std::vector<Value> constants;
        constants.reserve(step.inputs.size());
        std::vector<const Value *> inputs;
        for (const int slot : step.inputs) {
            if (slot >= 0)
                constants.emplace_back(m_program->m_constants[static_cast<size_t>(slot)]);
            inputs.push_back(slot < 0 ? nullptr : &constants.back());
        }
        std::vector<Value> outputs(step.outputs.size());
        KernelContext context(step.label, inputs, outputs, state, frame);
        if (!step.kernel->compute(context).isOk())
            return false;
        // Constants are tensors; a node making a sequence or an optional (SequenceEmpty) runs.
        for (const Value &output : outputs) {
            if (!output.isTensor())
                return false;
        }
        for (size_t i = 0; i < outputs.size(); ++i) {
            if (step.outputs[i] >= 0)
                m_program->m_constants[static_cast<size_t>(step.outputs[i])]
                    = std::move(outputs[i].tensor());
        }
        return true;
    }

    Result<std::shared_ptr<const GraphProgram>> compileSubgraph(GraphNode &node,
                                                                std::string_view name)
    {
        for (auto &subgraph : node.subgraphs) {
            if (subgraph.attribute == name && subgraph.listIndex < 0)
                return GraphProgram::compile(*subgraph.graph, m_options, m_unsupported);
        }
        return invalidArgument(node.opType() + " '" + node.displayName + "': graph attribute '"
                               + std::string(name) + "' is missing");
    }

    void planLifetimes()
    {
        const size_t slotCount = m_program->m_slotNames.size();
        std::vector<int> lastReader(slotCount, -1);
        std::vector<bool> keep(slotCount, false);
        for (const auto &output : m_program->m_outputs)
            keep[static_cast<size_t>(output.slot)] = true;
        auto &steps = m_program->m_steps;
        for (size_t i = 0; i < steps.size(); ++i) {
            for (const int slot : steps[i]->inputs) {
                if (slot >= 0)
                    lastReader[static_cast<size_t>(slot)] = static_cast<int>(i);
            }
        }
        for (size_t i = 0; i < steps.size(); ++i) {
            for (const int slot : steps[i]->outputs) {
                if (slot >= 0 && lastReader[static_cast<size_t>(slot)] < 0
                    && !keep[static_cast<size_t>(slot)])
                    steps[i]->release.push_back(slot); // nobody reads it
            }
        }
        for (size_t slot = 0; slot < slotCount; ++slot) {
            if (lastReader[slot] >= 0 && !keep[slot])
                steps[static_cast<size_t>(lastReader[slot])]->release.push_back(
                    static_cast<int>(slot));
        }
        // Implicit inputs were appended for lifetimes only; kernels see explicit inputs.
        for (size_t i = 0; i < steps.size(); ++i)
            steps[i]->inputs.resize(steps[i]->proto->input_size());
    }

    Graph &m_graph;
    const CompileOptions &m_options;
    std::vector<UnsupportedNode> &m_unsupported;
    std::shared_ptr<GraphProgram> m_program;
};

Result<std::shared_ptr<const GraphProgram>> GraphProgram::compile(
    Graph &graph, const CompileOptions &options, std::vector<UnsupportedNode> &unsupported)
{
    GraphCompiler compiler(graph, options, unsupported);
    return compiler.compile();
}

Result<std::vector<qs::Value>> GraphProgram::run(std::span<const qs::Value> inputs, RunState &state,
                                                 const Frame *parent) const
{
    Frame frame(*this, parent);
    frame.values.assign(m_constants.begin(), m_constants.end());
    for (const auto &[slot, name] : m_outerSlots) {
        const qs::Value *value = parent ? parent->lookup(name) : nullptr;
        if (value)
            frame.values[static_cast<size_t>(slot)] = *value;
    }
    if (inputs.size() != m_inputs.size()) {
        return invalidArgument("graph expects " + std::to_string(m_inputs.size()) + " inputs, got "
                               + std::to_string(inputs.size()));
    }
    for (size_t i = 0; i < inputs.size(); ++i)
        frame.values[static_cast<size_t>(m_inputs[i].slot)] = inputs[i];

    // Subgraph runs are not recorded: their time is already in their If/Loop node's step.
    ProfileRecorder *const profile = parent ? nullptr : state.profile();
    using Clock = std::chrono::steady_clock;
    std::vector<const qs::Value *> stepInputs;
    std::vector<qs::Value> stepOutputs;
    for (size_t index = 0; index < m_steps.size(); ++index) {
        const Step *step = m_steps[index].get();
        if (state.cancelled())
            return cancelled("cancelled before " + step->label);
        const Clock::time_point start = profile ? Clock::now() : Clock::time_point();
        stepInputs.clear();
        for (const int slot : step->inputs) {
            const qs::Value *value = slot < 0 ? nullptr : &frame.values[static_cast<size_t>(slot)];
            if (value && value->empty()) {
                value = frame.lookup(m_slotNames[static_cast<size_t>(slot)]);
                if (!value) {
                    return invalidArgument(step->label + ": input '"
                                           + m_slotNames[static_cast<size_t>(slot)]
                                           + "' has no value (not produced by any node)");
                }
            }
            stepInputs.push_back(value);
        }
        stepOutputs.assign(step->outputs.size(), qs::Value());
        KernelContext context(step->label, stepInputs, stepOutputs, state, frame);
        try {
            QS_RETURN_IF_ERROR(step->kernel->compute(context));
        } catch (const AllocationError &error) {
            // A shape from a bad model or input (pads of 2^40, a declared [1e5, 1e5, 1e3]).
            return invalidArgument(step->label + ": " + error.message());
        }
        for (size_t i = 0; i < step->outputs.size(); ++i) {
            const int slot = step->outputs[i];
            if (slot < 0)
                continue;
            if (stepOutputs[i].empty())
                return internalError(step->label + ": produced no value for output "
                                     + std::to_string(i) + " '"
                                     + m_slotNames[static_cast<size_t>(slot)] + "'");
            if (state.observer() && stepOutputs[i].isTensor())
                (*state.observer())(m_slotNames[static_cast<size_t>(slot)], stepOutputs[i].tensor());
            frame.values[static_cast<size_t>(slot)] = std::move(stepOutputs[i]);
        }
        for (const int slot : step->release)
            frame.values[static_cast<size_t>(slot)] = qs::Value();
        // Freeing the step's dead inputs is part of its cost, so the step times add up to the run.
        if (profile)
            profile->record(index, step->nodeName, step->opType, Clock::now() - start);
    }

    std::vector<qs::Value> outputs;
    for (const GraphProgram::Value &output : m_outputs) {
        const qs::Value *value = frame.lookup(output.name);
        if (!value)
            return invalidArgument("graph output '" + output.name + "' has no value");
        outputs.push_back(*value);
    }
    return outputs;
}

} // namespace qs
