// SequenceMap: runs `body` once per item of the input sequence; the body takes that item and,
// for each additional input, the same-position item of a sequence or the whole tensor. Each body
// output becomes one output sequence.
#include "runtime/ops/sequence/sequence_kernels.h"
#include "runtime/ops/sequence/sequence_util.h"

#include "runtime/graph_program.h"

namespace qs::ops {

namespace {

class SequenceMapKernel final : public Kernel
{
public:
    explicit SequenceMapKernel(std::shared_ptr<const GraphProgram> body)
        : m_body(std::move(body))
    {}

    Status compute(KernelContext &ctx) const override
    {
        Result<const Value *> sequence = sequenceInput(ctx, 0);
        if (!sequence)
            return sequence.status();
        const size_t count = (*sequence)->items().size();
        if (m_body->inputs().size() != ctx.inputCount())
            return ctx.error("body takes " + std::to_string(m_body->inputs().size())
                             + " inputs but the node has " + std::to_string(ctx.inputCount()));
        for (size_t i = 1; i < ctx.inputCount(); ++i) {
            const Value &extra = ctx.value(i);
            if (extra.isSequence() && extra.items().size() != count)
                return ctx.error("input " + std::to_string(i) + " is a " + extra.describe()
                                 + " but input 0 is a " + (*sequence)->describe());
            if (!extra.isSequence() && !extra.isTensor())
                return ctx.error("input " + std::to_string(i) + " must be a tensor or a sequence");
        }
        const size_t outputs = ctx.outputCount();
        std::vector<std::vector<Tensor>> results(outputs);
        std::vector<Value> bodyInputs(ctx.inputCount());
        for (size_t item = 0; item < count; ++item) {
            if (ctx.cancelled())
                return cancelled(ctx.label() + ": cancelled");
            for (size_t i = 0; i < ctx.inputCount(); ++i) {
                const Value &input = ctx.value(i);
                bodyInputs[i] = input.isSequence() ? Value(input.items()[item]) : input;
            }
            Result<std::vector<Value>> produced = ctx.runSubgraph(*m_body, bodyInputs);
            if (!produced)
                return produced.status();
            for (size_t o = 0; o < outputs && o < produced->size(); ++o) {
                if (!(*produced)[o].isTensor())
                    return ctx.error("body output " + std::to_string(o) + " is a "
                                     + (*produced)[o].describe() + ", not a tensor");
                results[o].push_back(std::move((*produced)[o].tensor()));
            }
        }
        for (size_t o = 0; o < outputs; ++o) {
            // The body's declared type names the element type of an empty result.
            DType type = static_cast<DType>(m_body->outputs()[o].type.elementType);
            if (!results[o].empty())
                type = results[o].front().dtype();
            ctx.setOutput(o, Value::sequence(type, std::move(results[o])));
        }
        return Status::ok();
    }

private:
    std::shared_ptr<const GraphProgram> m_body;
};

} // namespace

Result<std::unique_ptr<Kernel>> createSequenceMap(const KernelInfo &info)
{
    auto body = info.compileSubgraph("body");
    if (!body)
        return body.status();
    if ((*body)->outputs().size() < info.outputCount())
        return info.error("body returns fewer values than the node's outputs");
    return makeKernel<SequenceMapKernel>(std::move(*body));
}

} // namespace qs::ops
