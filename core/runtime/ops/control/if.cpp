// If: runs then_branch or else_branch; names the branches read from outside come from the
// enclosing frame (KernelContext::runSubgraph).
#include "runtime/ops/control/control_kernels.h"

#include "runtime/graph_program.h"

namespace qs::ops {

namespace {

class IfKernel final : public Kernel
{
public:
    IfKernel(std::shared_ptr<const GraphProgram> thenBranch,
             std::shared_ptr<const GraphProgram> elseBranch)
        : m_then(std::move(thenBranch))
        , m_else(std::move(elseBranch))
    {}

    Status compute(KernelContext &context) const override
    {
        const Tensor &cond = context.input(0);
        if (cond.elementCount() != 1)
            return context.error("condition must hold one value but is " + cond.describe());
        const bool takeThen = cond.doubleAt(0) != 0.0;
        Result<std::vector<Value>> outputs = context.runSubgraph(takeThen ? *m_then : *m_else, {});
        if (!outputs)
            return outputs.status();
        if (outputs->size() != context.outputCount()) {
            return context.error(std::string(takeThen ? "then" : "else") + "_branch produced "
                                 + std::to_string(outputs->size()) + " outputs but the node has "
                                 + std::to_string(context.outputCount()));
        }
        for (size_t i = 0; i < outputs->size(); ++i)
            context.setOutput(i, std::move((*outputs)[i]));
        return Status::ok();
    }

private:
    std::shared_ptr<const GraphProgram> m_then;
    std::shared_ptr<const GraphProgram> m_else;
};

} // namespace

Result<std::unique_ptr<Kernel>> createIf(const KernelInfo &info)
{
    auto thenBranch = info.compileSubgraph("then_branch");
    if (!thenBranch)
        return thenBranch.status();
    auto elseBranch = info.compileSubgraph("else_branch");
    if (!elseBranch)
        return elseBranch.status();
    if (!(*thenBranch)->inputs().empty() || !(*elseBranch)->inputs().empty())
        return info.error("If branches must not declare inputs");
    return makeKernel<IfKernel>(std::move(*thenBranch), std::move(*elseBranch));
}

} // namespace qs::ops
