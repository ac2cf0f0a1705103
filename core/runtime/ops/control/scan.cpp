// Scan: runs `body` once per position along the scan axis of the scan inputs, threading state
// values through the iterations; each per-iteration scan output is stacked along its output
// axis (reversed for direction 1). Opset 8's form has a leading batch axis on every value (scan
// axis 1) and an optional sequence_lens input; it runs the same loop per batch item, with equal
// sequence lengths only.
#include "runtime/ops/control/control_kernels.h"

#include "runtime/graph_program.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <cstring>

namespace qs::ops {

namespace {

// The rows and bytes around `axis`: a tensor is outer x dim(axis) x inner elements.
struct AxisSplit
{
    int64_t outer = 1;
    int64_t innerBytes = 0;
};

AxisSplit splitAt(const Shape &shape, int64_t axis, DType type)
{
    AxisSplit split;
    int64_t inner = 1;
    for (int64_t d = 0; d < int64_t(shape.size()); ++d) {
        if (d < axis)
            split.outer *= shape[size_t(d)];
        else if (d > axis)
            inner *= shape[size_t(d)];
    }
    split.innerBytes = inner * dtypeSize(type);
    return split;
}

// Position `index` along `axis`, with the axis removed.
Tensor sliceAt(const Tensor &tensor, int64_t axis, int64_t index)
{
    Shape shape = tensor.shape();
    shape.erase(shape.begin() + axis);
    Tensor slice = Tensor::allocate(tensor.dtype(), shape);
    const AxisSplit split = splitAt(tensor.shape(), axis, tensor.dtype());
    const auto *src = static_cast<const std::byte *>(tensor.rawData());
    auto *dst = static_cast<std::byte *>(slice.mutableRawData());
    const int64_t length = tensor.dim(axis);
    for (int64_t o = 0; o < split.outer; ++o)
        std::memcpy(dst + o * split.innerBytes, src + (o * length + index) * split.innerBytes,
                    size_t(split.innerBytes));
    return slice;
}

// Same-shaped parts stacked along a new `axis`; false when they differ.
bool stackAt(const std::vector<Tensor> &parts, int64_t axis, Tensor &stacked)
{
    const Tensor &first = parts.front();
    Shape shape = first.shape();
    shape.insert(shape.begin() + axis, int64_t(parts.size()));
    stacked = Tensor::allocate(first.dtype(), shape);
    const AxisSplit split = splitAt(shape, axis, first.dtype());
    auto *dst = static_cast<std::byte *>(stacked.mutableRawData());
    const auto count = int64_t(parts.size());
    for (int64_t i = 0; i < count; ++i) {
        const Tensor &part = parts[size_t(i)];
        if (part.shape() != first.shape() || part.dtype() != first.dtype())
            return false;
        const auto *src = static_cast<const std::byte *>(part.rawData());
        for (int64_t o = 0; o < split.outer; ++o)
            std::memcpy(dst + (o * count + i) * split.innerBytes, src + o * split.innerBytes,
                        size_t(split.innerBytes));
    }
    return true;
}

struct ScanSettings
{
    size_t scanInputs = 0;
    std::vector<int64_t> inputAxes, inputDirections, outputAxes, outputDirections;
    bool batched = false; // opset 8
};

class ScanKernel final : public Kernel
{
public:
    ScanKernel(std::shared_ptr<const GraphProgram> body, ScanSettings settings)
        : m_body(std::move(body))
        , m_s(std::move(settings))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const size_t first = m_s.batched ? 1 : 0; // opset 8: sequence_lens comes first
        std::vector<Tensor> inputs;
        for (size_t i = first; i < ctx.inputCount(); ++i)
            inputs.push_back(ctx.input(i));
        const size_t states = inputs.size() - m_s.scanInputs;
        if (!m_s.batched) {
            std::vector<Tensor> outputs;
            QS_RETURN_IF_ERROR(scan(ctx, inputs, states, outputs));
            for (size_t i = 0; i < outputs.size() && i < ctx.outputCount(); ++i)
                ctx.output(i) = std::move(outputs[i]);
            return Status::ok();
        }
        if (inputs.empty() || inputs.front().rank() < 1)
            return ctx.error("opset 8 Scan needs batched inputs");
        const int64_t batches = inputs.front().dim(0);
        std::vector<std::vector<Tensor>> perBatch(ctx.outputCount());
        for (int64_t b = 0; b < batches; ++b) {
            std::vector<Tensor> item;
            for (const Tensor &input : inputs)
                item.push_back(sliceAt(input, 0, b));
            std::vector<Tensor> outputs;
            QS_RETURN_IF_ERROR(scan(ctx, item, states, outputs));
            for (size_t i = 0; i < outputs.size() && i < perBatch.size(); ++i)
                perBatch[i].push_back(std::move(outputs[i]));
        }
        for (size_t i = 0; i < perBatch.size(); ++i) {
            if (perBatch[i].empty() || !stackAt(perBatch[i], 0, ctx.output(i)))
                return ctx.error("output " + std::to_string(i) + " differs between batch items");
        }
        return Status::ok();
    }

private:
    Status scan(const KernelContext &ctx, const std::vector<Tensor> &inputs, size_t states,
                std::vector<Tensor> &outputs) const
    {
        if (m_body->inputs().size() != inputs.size())
            return ctx.error("body takes " + std::to_string(m_body->inputs().size())
                             + " inputs but the node passes " + std::to_string(inputs.size()));
        std::vector<int64_t> axes(m_s.scanInputs);
        int64_t length = -1;
        for (size_t i = 0; i < m_s.scanInputs; ++i) {
            const Tensor &input = inputs[states + i];
            int64_t axis = i < m_s.inputAxes.size() ? m_s.inputAxes[i] : 0;
            if (!normalizeAxis(axis, input.rank()))
                return ctx.error("scan input axis does not fit " + input.describe());
            axes[i] = axis;
            if (length >= 0 && input.dim(axis) != length)
                return ctx.error("scan inputs have different lengths");
            length = input.dim(axis);
        }
        std::vector<Value> carried(inputs.begin(), inputs.begin() + long(states));
        const size_t scanOutputs = m_body->outputs().size() - states;
        std::vector<std::vector<Tensor>> parts(scanOutputs);
        std::vector<Value> bodyInputs(inputs.size());
        for (int64_t t = 0; t < length; ++t) {
            if (ctx.cancelled())
                return cancelled(ctx.label() + ": cancelled");
            for (size_t i = 0; i < states; ++i)
                bodyInputs[i] = carried[i];
            for (size_t i = 0; i < m_s.scanInputs; ++i) {
                const bool reverse = i < m_s.inputDirections.size() && m_s.inputDirections[i];
                bodyInputs[states + i] = sliceAt(inputs[states + i], axes[i],
                                                 reverse ? length - 1 - t : t);
            }
            Result<std::vector<Value>> produced = ctx.runSubgraph(*m_body, bodyInputs);
            if (!produced)
                return produced.status();
            for (size_t i = 0; i < states; ++i)
                carried[i] = std::move((*produced)[i]);
            for (size_t i = 0; i < scanOutputs; ++i)
                parts[i].push_back(std::move((*produced)[states + i].tensor()));
        }
        outputs.clear();
        for (const Value &state : carried)
            outputs.push_back(state.tensor());
        for (size_t i = 0; i < scanOutputs; ++i) {
            if (parts[i].empty())
                return ctx.error("scan output " + std::to_string(i) + " of a zero-length scan");
            if (i < m_s.outputDirections.size() && m_s.outputDirections[i])
                std::reverse(parts[i].begin(), parts[i].end());
            int64_t axis = i < m_s.outputAxes.size() ? m_s.outputAxes[i] : 0;
            if (!normalizeAxis(axis, parts[i].front().rank() + 1))
                return ctx.error("scan output axis does not fit " + parts[i].front().describe());
            Tensor stacked;
            if (!stackAt(parts[i], axis, stacked))
                return ctx.error("scan output " + std::to_string(i) + " changes shape");
            outputs.push_back(std::move(stacked));
        }
        return Status::ok();
    }

    std::shared_ptr<const GraphProgram> m_body;
    ScanSettings m_s;
};

} // namespace

Result<std::unique_ptr<Kernel>> createScan(const KernelInfo &info)
{
    auto body = info.compileSubgraph("body");
    if (!body)
        return body.status();
    ScanSettings s;
    Result<int64_t> scanInputs = info.getInt("num_scan_inputs", -1);
    if (!scanInputs)
        return scanInputs.status();
    if (*scanInputs < 1)
        return info.error("attribute 'num_scan_inputs' must be >= 1");
    s.scanInputs = size_t(*scanInputs);
    s.batched = info.opsetVersion() < 9;
    const char *names[] = {"scan_input_axes", "scan_input_directions", "scan_output_axes",
                           "scan_output_directions"};
    std::vector<int64_t> *lists[] = {&s.inputAxes, &s.inputDirections, &s.outputAxes,
                                     &s.outputDirections};
    for (size_t i = 0; i < 4; ++i) {
        Result<std::vector<int64_t>> values = info.getInts(names[i]);
        if (!values)
            return values.status();
        *lists[i] = std::move(*values);
    }
    if (s.batched) {
        Result<std::vector<int64_t>> directions = info.getInts("directions"); // opset 8's name
        if (!directions)
            return directions.status();
        s.inputDirections = std::move(*directions);
        if (info.hasInput(0))
            return info.unsupportedError("sequence_lens (per-batch lengths) is not supported");
    }
    const size_t first = s.batched ? 1 : 0;
    if (info.inputCount() < first + s.scanInputs)
        return info.error("fewer inputs than num_scan_inputs");
    return makeKernel<ScanKernel>(std::move(*body), std::move(s));
}

} // namespace qs::ops
