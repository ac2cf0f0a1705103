// Loop: runs `body` while the trip count and the condition allow; loop-carried values feed the
// next iteration (tensors, sequences or optionals), scan outputs are stacked along a new first
// axis.
#include "runtime/ops/control/control_kernels.h"

#include "runtime/graph_program.h"

#include <cstring>

namespace qs::ops {

namespace {

constexpr int64_t kScanPartOverheadBytes = 128;

// Stacks same-shaped tensors along a new axis 0.
Result<Tensor> stack(const std::vector<Tensor> &parts, const KernelContext &context, size_t index)
{
    const Tensor &first = parts.front();
    Shape shape = first.shape();
    shape.insert(shape.begin(), static_cast<int64_t>(parts.size()));
    Tensor stacked = Tensor::allocate(first.dtype(), shape);
    auto *out = static_cast<std::byte *>(stacked.mutableRawData());
    for (const Tensor &part : parts) {
        if (part.shape() != first.shape() || part.dtype() != first.dtype()) {
            return context.error("scan output " + std::to_string(index) + " changes from "
                                 + first.describe() + " to " + part.describe()
                                 + " between iterations");
        }
        std::memcpy(out, part.rawData(), static_cast<size_t>(part.byteSize()));
        out += part.byteSize();
    }
    return stacked;
}

class LoopKernel final : public Kernel
{
public:
    explicit LoopKernel(std::shared_ptr<const GraphProgram> body)
        : m_body(std::move(body))
    {}

    Status compute(KernelContext &context) const override
    {
        // One value each: a hostile model's empty trip count or condition would be read past
        // its end.
        for (int input = 0; input < 2; ++input) {
            if (context.hasInput(input) && context.input(input).elementCount() != 1)
                return context.error(std::string(input == 0 ? "trip count" : "condition")
                                     + " must be one value but is "
                                     + context.input(input).describe());
        }
        const bool hasTripCount = context.hasInput(0);
        const int64_t tripCount = hasTripCount ? context.input(0).intAt(0) : 0;
        bool condition = context.hasInput(1) ? context.input(1).doubleAt(0) != 0.0 : true;
        const size_t carried = context.inputCount() > 2 ? context.inputCount() - 2 : 0;
        if (m_body->inputs().size() != carried + 2) {
            return context.error("body takes " + std::to_string(m_body->inputs().size())
                                 + " inputs but the node passes " + std::to_string(carried)
                                 + " loop-carried values (+ iteration and condition)");
        }
        if (m_body->outputs().size() < carried + 1)
            return context.error("body gives " + std::to_string(m_body->outputs().size())
                                 + " outputs, fewer than the condition and the "
                                 + std::to_string(carried) + " loop-carried values");
        const size_t scans = m_body->outputs().size() - 1 - carried;
        if (context.outputCount() > carried + scans)
            return context.error("has " + std::to_string(context.outputCount())
                                 + " outputs but its body gives only " + std::to_string(carried)
                                 + " loop-carried values and " + std::to_string(scans)
                                 + " scan outputs");
        std::vector<Value> values;
        for (size_t i = 0; i < carried; ++i)
            values.push_back(context.value(i + 2));
        std::vector<std::vector<Tensor>> scanParts(scans);

        for (int64_t iteration = 0; (!hasTripCount || iteration < tripCount) && condition;
             ++iteration) {
            if (context.cancelled())
                return cancelled(context.label() + ": cancelled");
            std::vector<Value> bodyInputs;
            bodyInputs.push_back(Tensor::scalar<int64_t>(iteration));
            bodyInputs.push_back(Tensor::scalar<bool>(condition));
            bodyInputs.insert(bodyInputs.end(), values.begin(), values.end());
            Result<std::vector<Value>> outputs = context.runSubgraph(*m_body, bodyInputs);
            if (!outputs)
                return outputs.status();
            const Tensor &keepGoing = (*outputs)[0].tensor();
            if (keepGoing.elementCount() != 1)
                return context.error("body's condition output must be one value but is "
                                     + (*outputs)[0].describe());
            condition = keepGoing.doubleAt(0) != 0.0;
            for (size_t i = 0; i < carried; ++i)
                values[i] = std::move((*outputs)[1 + i]);
            for (size_t i = 0; i < scans; ++i) {
                if (!(*outputs)[1 + carried + i].isTensor())
                    return context.error("scan output " + std::to_string(i) + " is a "
                                         + (*outputs)[1 + carried + i].describe()
                                         + ", not a tensor");
                const Tensor &part = (*outputs)[1 + carried + i].tensor();
                // A loop of 2^40 iterations with a scan output would otherwise grow until the
                // machine runs out of memory: what the parts hold so far (with the Tensor kept
                // per part, which outweighs a scalar part) must stay allocatable.
                const int64_t partBytes = part.elementCount() * dtypeSize(part.dtype())
                                          + kScanPartOverheadBytes;
                if (Status fits = checkAllocatable(DType::UInt8, {iteration + 1, partBytes},
                                                   context.label() + ": scan output "
                                                       + std::to_string(i) + " parts");
                    !fits.isOk())
                    return fits;
                scanParts[i].push_back(std::move((*outputs)[1 + carried + i].tensor()));
            }
        }

        for (size_t i = 0; i < carried && i < context.outputCount(); ++i)
            context.setOutput(i, std::move(values[i]));
        for (size_t i = 0; i < scans && carried + i < context.outputCount(); ++i) {
            if (scanParts[i].empty()) {
                const DType type
                    = static_cast<DType>(m_body->outputs()[1 + carried + i].type.elementType);
                context.output(carried + i)
                    = Tensor::allocate(type == DType::Undefined ? DType::Float32 : type, {0});
                continue;
            }
            Result<Tensor> stacked = stack(scanParts[i], context, i);
            if (!stacked)
                return stacked.status();
            context.output(carried + i) = std::move(*stacked);
        }
        return Status::ok();
    }

private:
    std::shared_ptr<const GraphProgram> m_body;
};

} // namespace

Result<std::unique_ptr<Kernel>> createLoop(const KernelInfo &info)
{
    auto body = info.compileSubgraph("body");
    if (!body)
        return body.status();
    if ((*body)->inputs().size() < 2 || (*body)->outputs().empty())
        return info.error("body must take (iteration, condition, ...) and return (condition, ...)");
    return makeKernel<LoopKernel>(std::move(*body));
}

} // namespace qs::ops
