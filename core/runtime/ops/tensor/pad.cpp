// Pad: constant / reflect / edge padding (negative pads crop). Pads come from an attribute up
// to opset 10 and from inputs (pads, constant_value) from 11. The output is built row by row:
// a row whose outer coordinates fall in constant padding is a fill; otherwise the source row's
// valid span is one memcpy and only the padded ends are filled or mapped.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <cstring>

namespace qs::ops {

namespace {

enum class PadMode { Constant, Reflect, Edge };

// Maps an output coordinate to a source coordinate in [0, n), or -1 for constant padding.
int64_t sourceIndex(int64_t x, int64_t n, PadMode mode)
{
    if (x >= 0 && x < n)
        return x;
    if (mode == PadMode::Constant)
        return -1;
    if (mode == PadMode::Edge || n == 1)
        return x < 0 ? 0 : n - 1;
    const int64_t period = 2 * (n - 1);
    x %= period;
    if (x < 0)
        x += period;
    return x < n ? x : period - x;
}

void fillElements(char *dst, const char *value, int64_t count, int64_t es)
{
    for (int64_t i = 0; i < count; ++i)
        std::memcpy(dst + i * es, value, static_cast<size_t>(es));
}

class PadKernel final : public Kernel
{
public:
    PadKernel(PadMode mode, IntListParam pads, std::optional<double> attributeValue)
        : m_mode(mode)
        , m_pads(std::move(pads))
        , m_attributeValue(attributeValue)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        Result<std::optional<std::vector<int64_t>>> pads = m_pads.get(ctx, "pads");
        if (!pads)
            return pads.status();
        const int64_t rank = data.rank();
        if (!*pads || static_cast<int64_t>((*pads)->size()) != 2 * rank)
            return ctx.error("pads should have " + std::to_string(2 * rank) + " values for input "
                             + data.describe());
        const std::vector<int64_t> &p = **pads;
        Shape outShape(static_cast<size_t>(rank));
        for (int64_t d = 0; d < rank; ++d) {
            outShape[static_cast<size_t>(d)] = data.dim(d) + p[static_cast<size_t>(d)]
                                               + p[static_cast<size_t>(d + rank)];
            if (outShape[static_cast<size_t>(d)] < 0)
                return ctx.error("pads " + intsToString(p) + " crop more than input "
                                 + data.describe() + " has");
            if (m_mode != PadMode::Constant && data.dim(d) == 0
                && outShape[static_cast<size_t>(d)] > 0)
                return ctx.error("cannot reflect or edge-pad the empty dim " + std::to_string(d)
                                 + " of input " + data.describe());
        }
        Tensor value = scalarOfType(data.dtype(), m_attributeValue.value_or(0.0));
        const Tensor &valueInput = ctx.input(2);
        if (!m_attributeValue && !valueInput.empty()) {
            if (valueInput.dtype() != data.dtype() || valueInput.elementCount() != 1)
                return ctx.error("constant_value " + valueInput.describe() + " should be one "
                                 + dtypeName(data.dtype()) + " value");
            value = valueInput;
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        if (out.elementCount() == 0)
            return Status::ok();
        const int64_t es = dtypeSize(data.dtype());
        if (rank == 0) {
            copyElements(out.mutableRawData(), data.rawData(), 1, es);
            return Status::ok();
        }
        padRows(data, out, p, static_cast<const char *>(value.rawData()), es, ctx.threads());
        return Status::ok();
    }

private:
    void padRows(const Tensor &data, Tensor &out, const std::vector<int64_t> &p, const char *value,
                 int64_t es, int threads) const
    {
        const int64_t rank = data.rank();
        const Shape &outShape = out.shape();
        const std::vector<int64_t> inStrides = contiguousStrides(data.shape());
        const int64_t width = outShape.back();
        const int64_t inWidth = data.shape().back();
        const int64_t before = p[static_cast<size_t>(rank - 1)];
        const int64_t rows = out.elementCount() / width;
        const auto *src = static_cast<const char *>(data.rawData());
        auto *dst = static_cast<char *>(out.mutableRawData());
        // The valid span of the innermost dim: output [lo, hi) copies input [lo-before, ...).
        const int64_t lo = std::clamp<int64_t>(before, 0, width);
        const int64_t hi = std::clamp<int64_t>(before + inWidth, lo, width);
#pragma omp parallel for num_threads(threads) if (out.byteSize() > (1 << 18))
        for (int64_t row = 0; row < rows; ++row) {
            char *line = dst + row * width * es;
            int64_t offset = 0;
            bool inside = true;
            int64_t rest = row;
            for (int64_t d = rank - 2; d >= 0; --d) {
                const int64_t o = rest % outShape[static_cast<size_t>(d)];
                rest /= outShape[static_cast<size_t>(d)];
                const int64_t s = sourceIndex(o - p[static_cast<size_t>(d)], data.dim(d), m_mode);
                if (s < 0) {
                    inside = false;
                    break;
                }
                offset += s * inStrides[static_cast<size_t>(d)];
            }
            if (!inside) {
                fillElements(line, value, width, es);
                continue;
            }
            const char *srcLine = src + offset * es;
            if (hi > lo)
                std::memcpy(line + lo * es, srcLine + (lo - before) * es,
                            static_cast<size_t>((hi - lo) * es));
            for (int64_t x = 0; x < width; ++x) {
                if (x == lo && hi > lo)
                    x = hi;
                if (x >= width)
                    break;
                const int64_t s = sourceIndex(x - before, inWidth, m_mode);
                if (s < 0)
                    std::memcpy(line + x * es, value, static_cast<size_t>(es));
                else
                    std::memcpy(line + x * es, srcLine + s * es, static_cast<size_t>(es));
            }
        }
    }

    PadMode m_mode;
    IntListParam m_pads;
    std::optional<double> m_attributeValue; // opset < 11
};

} // namespace

Result<std::unique_ptr<Kernel>> createPad(const KernelInfo &info)
{
    Result<std::string> modeName = info.getString("mode", "constant");
    if (!modeName)
        return modeName.status();
    PadMode mode;
    if (*modeName == "constant")
        mode = PadMode::Constant;
    else if (*modeName == "reflect")
        mode = PadMode::Reflect;
    else if (*modeName == "edge")
        mode = PadMode::Edge;
    else
        return info.unsupportedError("mode '" + *modeName + "' is not supported");
    if (info.opsetVersion() >= 18 && info.hasInput(3))
        return info.unsupportedError("the 'axes' input (opset 18) is not supported");
    IntListParam pads;
    QS_RETURN_IF_ERROR(pads.init(info, "pads", 1, 11));
    std::optional<double> value;
    if (info.opsetVersion() < 11) {
        Result<float> v = info.getFloat("value", 0.0f);
        if (!v)
            return v.status();
        value = *v;
    }
    return makeKernel<PadKernel>(mode, std::move(pads), value);
}

} // namespace qs::ops
