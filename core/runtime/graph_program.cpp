#include "runtime/graph_program.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "runtime/graph_fusion.h"
#include "runtime/ops/registry.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>

#include <unordered_set>

namespace qs {

struct GraphProgram::Step
{
    std::unique_ptr<Kernel> kernel;
    std::shared_ptr<const onnx::NodeProto> proto; // KernelInfo refers to it; kept alive here
    std::string label;
    std::vector<int> inputs;  // slot per node input, -1 when omitted
    std::vector<int> outputs; // slot per node output, -1 when omitted
    std::vector<int> release; // slots whose last reader is this step
};

Frame::Frame(const GraphProgram &program, const Frame *parent)
    : program(program)
    , parent(parent)
{}

const Tensor *Frame::lookup(const std::string &name) const
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

namespace {

std::vector<std::string> implicitInputsOf(const onnx::NodeProto &node)
{
    std::unordered_set<std::string> names;
    for (const auto &attr : node.attribute()) {
        if (attr.has_g())
            collectOuterReferences(attr.g(), names);
        for (const auto &g : attr.graphs())
            collectOuterReferences(g, names);
    }
    return {names.begin(), names.end()};
}

} // namespace

class GraphCompiler
{
public:
    GraphCompiler(const std::shared_ptr<const Model> &model, int graphId,
                  const CompileOptions &options, std::vector<UnsupportedNode> &unsupported)
        : m_model(model)
        , m_index(model->index())
        , m_graph(m_index.graphs()[static_cast<size_t>(graphId)])
        , m_options(options)
        , m_unsupported(unsupported)
        , m_program(std::make_shared<GraphProgram>())
    {
        m_program->m_model = model;
    }

    Result<std::shared_ptr<const GraphProgram>> compile()
    {
        QS_RETURN_IF_ERROR(declareValues());
        planNodes();
        if (m_options.fuse) {
            FusionContext context = fusionContext();
            QS_RETURN_IF_ERROR(fuseQdqConvAndMatMul(m_planned, context));
            QS_RETURN_IF_ERROR(fuseQdqLookupTables(m_planned, context));
            QS_RETURN_IF_ERROR(fuseLookupIntoConv(m_planned, context));
            QS_RETURN_IF_ERROR(fuseQdqBinary(m_planned, context));
            QS_RETURN_IF_ERROR(dropQdqAroundDataMovement(m_planned, context));
            QS_RETURN_IF_ERROR(keepInt8ActivationsChannelsLast(m_planned, context));
            QS_RETURN_IF_ERROR(fuseIntegerMatMulToFloat(m_planned, context));
            QS_RETURN_IF_ERROR(foldBatchNormIntoConv(m_planned, context));
            QS_RETURN_IF_ERROR(foldAffineIntoConv(m_planned, context));
            QS_RETURN_IF_ERROR(recognizeHardSwish(m_planned, context));
            QS_RETURN_IF_ERROR(recognizeGelu(m_planned, context));
            QS_RETURN_IF_ERROR(fuseMatMulBias(m_planned, context));
            QS_RETURN_IF_ERROR(fuseActivations(m_planned, context));
            QS_RETURN_IF_ERROR(fusePostAffine(m_planned, context));
        }
        for (PlannedNode &node : m_planned) {
            if (!node.removed)
                QS_RETURN_IF_ERROR(addStep(node));
        }
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
        const onnx::GraphProto &graph = *m_graph.proto;
        for (const ValueRef &input : m_graph.inputs)
            m_program->m_inputs.push_back({input.name, input.type, slotFor(input.name)});
        for (const auto &tensor : graph.initializer()) {
            Result<Tensor> value = tensorFromProto(tensor, m_model);
            if (!value)
                return value.status().withContext("initializer '" + tensor.name() + "'");
            const int slot = slotFor(tensor.name());
            m_program->m_constants[static_cast<size_t>(slot)] = std::move(*value);
        }
        for (const int id : m_graph.nodes) {
            for (const auto &output : m_index.nodes()[static_cast<size_t>(id)].outputs) {
                if (!output.name.empty())
                    slotFor(output.name);
            }
        }
        std::unordered_set<std::string> outer;
        collectOuterReferences(graph, outer);
        for (const auto &name : outer) {
            if (!m_program->m_slotByName.count(name))
                m_program->m_outerSlots.emplace_back(slotFor(name), name);
        }
        for (const ValueRef &output : m_graph.outputs)
            m_program->m_outputs.push_back({output.name, output.type, slotFor(output.name)});
        return Status::ok();
    }

    void planNodes()
    {
        for (const int id : m_graph.nodes) {
            const NodeInfo &info = m_index.nodes()[static_cast<size_t>(id)];
            PlannedNode planned;
            planned.info = &info;
            planned.proto = *info.proto;
            planned.implicitInputs = implicitInputsOf(*info.proto);
            m_planned.push_back(std::move(planned));
        }
    }

    FusionContext fusionContext()
    {
        FusionContext context;
        context.constant = [this](const std::string &name) -> const Tensor * {
            const int slot = m_program->slotOf(name);
            if (slot < 0 || m_program->m_constants[static_cast<size_t>(slot)].empty())
                return constantOfConstantNode(name);
            return &m_program->m_constants[static_cast<size_t>(slot)];
        };
        context.addConstant = [this](const std::string &name, Tensor value) {
            const int slot = slotFor(name);
            m_program->m_constants[static_cast<size_t>(slot)] = std::move(value);
        };
        for (size_t i = 0; i < m_planned.size(); ++i) {
            for (const auto &input : m_planned[i].proto.input())
                context.readers[input] += 1;
            for (const auto &input : m_planned[i].implicitInputs)
                context.readers[input] += 1;
            for (const auto &output : m_planned[i].proto.output())
                context.producerOf[output] = i;
        }
        for (const auto &output : m_program->m_outputs)
            context.readers[output.name] += 1;
        context.elementType = [this](const std::string &name) {
            return m_index.valueType(m_graph.id, name).elementType;
        };
        context.valueType = [this](const std::string &name) {
            return m_index.valueType(m_graph.id, name);
        };
        return context;
    }

    // Constant nodes are folded in addStep; fusion runs before that, so it decodes them here.
    const Tensor *constantOfConstantNode(const std::string &name)
    {
        auto cached = m_decodedConstants.find(name);
        if (cached != m_decodedConstants.end())
            return &cached->second;
        const onnx::TensorProto *proto = m_index.constantTensor(m_graph.id, name);
        if (!proto)
            return nullptr;
        Result<Tensor> value = tensorFromProto(*proto, m_model);
        if (!value)
            return nullptr;
        return &m_decodedConstants.emplace(name, std::move(*value)).first->second;
    }

    std::string labelOf(const PlannedNode &node) const
    {
        std::string label = node.proto.op_type() + " '" + node.info->displayName + "'";
        if (!m_graph.path.empty())
            label += " in " + m_graph.path;
        if (!node.fusedNames.empty())
            label += " (fused " + node.fusedNames + ")";
        return label;
    }

    Status addStep(PlannedNode &node)
    {
        const NodeInfo &info = *node.info;
        // The proto's domain, not the NodeInfo's: fusion may have rewritten the op.
        const std::string domain = node.proto.domain() == "ai.onnx" ? "" : node.proto.domain();
        const KernelRegistration *registration =
            findKernel(domain, node.proto.op_type(), info.opsetVersion);
        if (!registration) {
            m_unsupported.push_back({node.proto.op_type(), domain, info.opsetVersion,
                                     info.displayName, {}});
            return Status::ok();
        }
        auto step = std::make_unique<GraphProgram::Step>();
        step->label = labelOf(node); // before the move: the label reads node.proto's op type
        step->proto = std::make_shared<const onnx::NodeProto>(std::move(node.proto));
        KernelInfo kernelInfo(*step->proto, step->label, info.opsetVersion);
        kernelInfo.fusedActivationSetting = node.activation;
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
            kernelInfo.inputTypes.push_back(input.empty() ? TensorType{}
                                                          : m_index.valueType(m_graph.id, input));
        }
        for (const auto &output : step->proto->output()) {
            step->outputs.push_back(output.empty() ? -1 : slotFor(output));
            kernelInfo.outputTypes.push_back(output.empty() ? TensorType{}
                                                            : m_index.valueType(m_graph.id, output));
        }
        kernelInfo.subgraphCompiler = [this, &info](std::string_view name) {
            return compileSubgraph(info, name);
        };
        Result<std::unique_ptr<Kernel>> kernel = registration->create(kernelInfo);
        if (!kernel) {
            if (kernel.status().code() == StatusCode::Unsupported) {
                // node.proto was moved into the step above; the kernel's message starts with the
                // node's label, which the summary already names.
                std::string reason = kernel.status().message();
                if (reason.starts_with(step->label + ": "))
                    reason.erase(0, step->label.size() + 2);
                m_unsupported.push_back({step->proto->op_type(), domain, info.opsetVersion,
                                         info.displayName, reason});
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
        std::vector<const Tensor *> inputs;
        for (const int slot : step.inputs)
            inputs.push_back(slot < 0 ? nullptr : &m_program->m_constants[static_cast<size_t>(slot)]);
        std::vector<Tensor> outputs(step.outputs.size());
        KernelContext context(step.label, inputs, outputs, state, frame);
        if (!step.kernel->compute(context).isOk())
            return false;
        for (size_t i = 0; i < outputs.size(); ++i) {
            if (step.outputs[i] >= 0)
                m_program->m_constants[static_cast<size_t>(step.outputs[i])] = std::move(outputs[i]);
        }
        return true;
    }

    Result<std::shared_ptr<const GraphProgram>> compileSubgraph(const NodeInfo &info,
                                                                std::string_view name)
    {
        for (const auto &attr : info.proto->attribute()) {
            if (attr.name() != name || !attr.has_g())
                continue;
            for (const int graphId : info.subgraphs) {
                if (m_index.graphs()[static_cast<size_t>(graphId)].proto == &attr.g())
                    return GraphProgram::compile(m_model, graphId, m_options, m_unsupported);
            }
        }
        return invalidArgument(info.opType + " '" + info.displayName + "': graph attribute '"
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
                if (slot >= 0 && lastReader[static_cast<size_t>(slot)] < 0 && !keep[static_cast<size_t>(slot)])
                    steps[i]->release.push_back(slot); // nobody reads it
            }
        }
        for (size_t slot = 0; slot < slotCount; ++slot) {
            if (lastReader[slot] >= 0 && !keep[slot])
                steps[static_cast<size_t>(lastReader[slot])]->release.push_back(static_cast<int>(slot));
        }
        // Implicit inputs were appended for lifetimes only; kernels see explicit inputs.
        for (size_t i = 0; i < steps.size(); ++i)
            steps[i]->inputs.resize(steps[i]->proto->input_size());
    }

    std::shared_ptr<const Model> m_model;
    const GraphIndex &m_index;
    const GraphInfo &m_graph;
    const CompileOptions &m_options;
    std::vector<UnsupportedNode> &m_unsupported;
    std::shared_ptr<GraphProgram> m_program;
    std::vector<PlannedNode> m_planned;
    std::unordered_map<std::string, Tensor> m_decodedConstants;
};

Result<std::shared_ptr<const GraphProgram>>
GraphProgram::compile(const std::shared_ptr<const Model> &model, int graphId,
                      const CompileOptions &options, std::vector<UnsupportedNode> &unsupported)
{
    GraphCompiler compiler(model, graphId, options, unsupported);
    return compiler.compile();
}

Result<std::vector<Tensor>> GraphProgram::run(std::span<const Tensor> inputs, RunState &state,
                                              const Frame *parent) const
{
    Frame frame(*this, parent);
    frame.values.assign(m_constants.begin(), m_constants.end());
    for (const auto &[slot, name] : m_outerSlots) {
        const Tensor *value = parent ? parent->lookup(name) : nullptr;
        if (value)
            frame.values[static_cast<size_t>(slot)] = *value;
    }
    if (inputs.size() != m_inputs.size()) {
        return invalidArgument("graph expects " + std::to_string(m_inputs.size()) + " inputs, got "
                               + std::to_string(inputs.size()));
    }
    for (size_t i = 0; i < inputs.size(); ++i)
        frame.values[static_cast<size_t>(m_inputs[i].slot)] = inputs[i];

    std::vector<const Tensor *> stepInputs;
    std::vector<Tensor> stepOutputs;
    for (const auto &step : m_steps) {
        if (state.cancelled())
            return cancelled("cancelled before " + step->label);
        stepInputs.clear();
        for (const int slot : step->inputs) {
            const Tensor *value = slot < 0 ? nullptr : &frame.values[static_cast<size_t>(slot)];
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
        stepOutputs.assign(step->outputs.size(), Tensor());
        KernelContext context(step->label, stepInputs, stepOutputs, state, frame);
        QS_RETURN_IF_ERROR(step->kernel->compute(context));
        for (size_t i = 0; i < step->outputs.size(); ++i) {
            const int slot = step->outputs[i];
            if (slot < 0)
                continue;
            if (stepOutputs[i].empty())
                return internalError(step->label + ": produced no value for output "
                                     + std::to_string(i) + " '" + m_slotNames[static_cast<size_t>(slot)] + "'");
            if (state.observer())
                (*state.observer())(m_slotNames[static_cast<size_t>(slot)], stepOutputs[i]);
            frame.values[static_cast<size_t>(slot)] = std::move(stepOutputs[i]);
        }
        for (const int slot : step->release)
            frame.values[static_cast<size_t>(slot)] = Tensor();
    }

    std::vector<Tensor> outputs;
    for (const Value &output : m_outputs) {
        const Tensor *value = frame.lookup(output.name);
        if (!value)
            return invalidArgument("graph output '" + output.name + "' has no value");
        outputs.push_back(*value);
    }
    return outputs;
}

} // namespace qs
