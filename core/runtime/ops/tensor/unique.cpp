// Unique (opset 11): the distinct elements (or, with `axis`, the distinct slices along it) with
// the index of each one's first occurrence, each input's index into the result, and the counts.
// sorted=1 orders them ascending (slices lexicographically), sorted=0 by first occurrence.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <type_traits>

namespace qs::ops {

namespace {

// The input read as [outer, extent, inner]: slice i is every (o, i, j).
struct SliceView
{
    int64_t outer = 1, extent = 1, inner = 1;
};

// -1, 0 or 1 like a three-way compare; NaNs are equal to each other and after every number, so
// the sort below sees a strict weak order (and, as numpy does, all NaNs form one group).
template<typename T>
int compareValues(T a, T b)
{
    if constexpr (!std::is_integral_v<T>) {
        const bool nanA = a != a, nanB = b != b;
        if (nanA || nanB)
            return nanA == nanB ? 0 : (nanA ? 1 : -1);
    }
    return a < b ? -1 : (b < a ? 1 : 0);
}

template<typename T>
int compareSlices(const T *data, const SliceView &view, int64_t a, int64_t b)
{
    for (int64_t o = 0; o < view.outer; ++o) {
        const T *x = data + (o * view.extent + a) * view.inner;
        const T *y = data + (o * view.extent + b) * view.inner;
        for (int64_t j = 0; j < view.inner; ++j) {
            if (const int order = compareValues(x[j], y[j]))
                return order;
        }
    }
    return 0;
}

struct Groups
{
    std::vector<int64_t> first;   // per unique slice, its first index in the input
    std::vector<int64_t> inverse; // per input slice, its unique slice
    std::vector<int64_t> counts;
};

template<typename T>
Groups groupSlices(const T *data, const SliceView &view, bool sorted)
{
    // Stable sort of the slice indices groups equal slices with the first occurrence first.
    std::vector<int64_t> order(static_cast<size_t>(view.extent));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return compareSlices(data, view, a, b) < 0; });
    Groups groups;
    std::vector<int64_t> groupOf(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
        if (i == 0 || compareSlices(data, view, order[i - 1], order[i]) != 0) {
            groups.first.push_back(order[i]);
            groups.counts.push_back(0);
        }
        groupOf[static_cast<size_t>(order[i])] = static_cast<int64_t>(groups.first.size()) - 1;
        ++groups.counts.back();
    }
    // Renumber the groups by first occurrence when not sorting.
    std::vector<int64_t> rank(groups.first.size());
    std::iota(rank.begin(), rank.end(), int64_t{0});
    if (!sorted) {
        std::vector<int64_t> byFirst(groups.first.size());
        std::iota(byFirst.begin(), byFirst.end(), int64_t{0});
        std::sort(byFirst.begin(), byFirst.end(),
                  [&](int64_t a, int64_t b) { return groups.first[a] < groups.first[b]; });
        Groups reordered;
        for (size_t r = 0; r < byFirst.size(); ++r) {
            rank[static_cast<size_t>(byFirst[r])] = static_cast<int64_t>(r);
            reordered.first.push_back(groups.first[byFirst[r]]);
            reordered.counts.push_back(groups.counts[byFirst[r]]);
        }
        groups.first = std::move(reordered.first);
        groups.counts = std::move(reordered.counts);
    }
    for (int64_t g : groupOf)
        groups.inverse.push_back(rank[static_cast<size_t>(g)]);
    return groups;
}

void writeIndices(KernelContext &ctx, size_t index, const std::vector<int64_t> &values)
{
    if (ctx.outputCount() <= index)
        return;
    Tensor &out = ctx.allocateOutput(index, DType::Int64, {static_cast<int64_t>(values.size())});
    std::copy(values.begin(), values.end(), out.mutableData<int64_t>());
}

class UniqueKernel final : public Kernel
{
public:
    UniqueKernel(std::optional<int64_t> axis, bool sorted)
        : m_axis(axis)
        , m_sorted(sorted)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &input = ctx.input(0);
        const Tensor x = m_axis ? input : input.reshaped({input.elementCount()});
        int64_t axis = m_axis.value_or(0);
        QS_RETURN_IF_ERROR(resolveAxis(ctx, axis, x));
        SliceView view;
        view.extent = x.dim(axis);
        for (int64_t d = 0; d < axis; ++d)
            view.outer *= x.dim(d);
        for (int64_t d = axis + 1; d < x.rank(); ++d)
            view.inner *= x.dim(d);
        Groups groups;
        const bool handled = dispatchNumeric(x.dtype(), [&](auto tag) {
            groups = groupSlices(x.data<decltype(tag)>(), view, m_sorted);
        });
        if (!handled)
            return ctx.error("type " + dtypeName(x.dtype()) + " is not supported");
        Shape outShape = x.shape();
        outShape[static_cast<size_t>(axis)] = static_cast<int64_t>(groups.first.size());
        Tensor &y = ctx.allocateOutput(0, x.dtype(), outShape);
        const int64_t block = view.inner * dtypeSize(x.dtype());
        const auto *src = static_cast<const char *>(x.rawData());
        auto *dst = static_cast<char *>(y.mutableRawData());
        for (int64_t o = 0; o < view.outer; ++o) {
            for (int64_t first : groups.first) {
                std::memcpy(dst, src + (o * view.extent + first) * block,
                            static_cast<size_t>(block));
                dst += block;
            }
        }
        writeIndices(ctx, 1, groups.first);
        writeIndices(ctx, 2, groups.inverse);
        writeIndices(ctx, 3, groups.counts);
        return Status::ok();
    }

private:
    std::optional<int64_t> m_axis;
    bool m_sorted;
};

} // namespace

Result<std::unique_ptr<Kernel>> createUnique(const KernelInfo &info)
{
    std::optional<int64_t> axis;
    if (info.hasAttribute("axis")) {
        auto value = info.getInt("axis", 0);
        if (!value)
            return value.status();
        axis = *value;
    }
    auto sorted = info.getInt("sorted", 1);
    if (!sorted)
        return sorted.status();
    return makeKernel<UniqueKernel>(axis, *sorted != 0);
}

} // namespace qs::ops
