// Einsum (opset 12) on float32 and float64, one or two operands. Each operand becomes a strided view whose
// axes are labelled by letters ("..." expands to placeholder labels, aligned from the right):
// repeated labels take the diagonal (strides add up), labels used by nobody else are summed out
// first, and two operands meet in one batched GEMM (Eigen) over
//   A[batch, a-only, contracted] x B[batch, contracted, b-only]
// before the result is permuted into the output's order. Size-1 dims broadcast.
#include "runtime/ops/reduce/reduce_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"

#include <Eigen/Core>
#include <algorithm>
#include <map>

namespace qs::ops {

namespace {

template<typename T>
struct View
{
    std::string labels;
    Shape dims;
    std::vector<int64_t> strides;
    Tensor storage; // keeps the data alive
    const T *data = nullptr;
};

template<typename T>
View<T> viewOf(const Tensor &tensor, std::string labels)
{
    return {std::move(labels), tensor.shape(), contiguousStrides(tensor.shape()), tensor,
            tensor.data<T>()};
}

// A contiguous copy of `view` with its axes in `order` (labels of view, each once); `sizes` gives
// the size of every label (a view's size-1 axis broadcasts to it with stride 0).
template<typename T>
View<T> materialize(const View<T> &view, const std::string &order,
                    const std::map<char, int64_t> &sizes, int threads)
{
    Shape dims;
    std::vector<int64_t> strides;
    for (const char label : order) {
        const size_t at = view.labels.find(label);
        dims.push_back(sizes.at(label));
        strides.push_back(at == std::string::npos || view.dims[at] == 1 ? 0 : view.strides[at]);
    }
    Tensor out = Tensor::allocate(DTypeOf<T>::value, dims);
    stridedCopy(out.mutableRawData(), view.data, dims, strides, sizeof(T), threads);
    return {order, dims, contiguousStrides(dims), out, out.template data<T>()};
}

// Merges repeated labels into one axis (the diagonal).
template<typename T>
View<T> takeDiagonals(View<T> view)
{
    View<T> result{{}, {}, {}, view.storage, view.data};
    for (size_t i = 0; i < view.labels.size(); ++i) {
        const size_t seen = result.labels.find(view.labels[i]);
        if (seen != std::string::npos) {
            result.strides[seen] += view.strides[i];
            continue;
        }
        result.labels += view.labels[i];
        result.dims.push_back(view.dims[i]);
        result.strides.push_back(view.strides[i]);
    }
    return result;
}

// Sums out the labels not in `keep`.
template<typename T>
View<T> sumOut(const View<T> &view, const std::string &keep, const std::map<char, int64_t> &sizes,
               int threads)
{
    std::string kept, summed;
    for (const char label : view.labels)
        (keep.find(label) != std::string::npos ? kept : summed) += label;
    if (summed.empty())
        return view;
    View<T> laid = materialize(view, kept + summed, sizes, threads);
    int64_t rows = 1, cols = 1;
    for (const char label : kept)
        rows *= sizes.at(label);
    for (const char label : summed)
        cols *= sizes.at(label);
    Shape dims;
    for (const char label : kept)
        dims.push_back(sizes.at(label));
    Tensor out = Tensor::allocate(DTypeOf<T>::value, dims);
    using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>(out.template mutableData<T>(), rows)
        = Eigen::Map<const RowMatrix>(laid.data, rows, cols).rowwise().sum();
    return {kept, dims, contiguousStrides(dims), out, out.template data<T>()};
}

class EinsumKernel : public Kernel
{
public:
    explicit EinsumKernel(std::string equation)
        : m_equation(std::move(equation))
    {}

    Status compute(KernelContext &ctx) const override
    {
        std::vector<const Tensor *> inputs;
        for (size_t i = 0; i < ctx.inputCount(); ++i)
            inputs.push_back(&ctx.input(i));
        if (inputs.empty() || inputs.size() > 2)
            return ctx.error("only one or two operands are supported, got "
                             + std::to_string(inputs.size()));
        for (const Tensor *t : inputs) {
            if (t->dtype() != inputs[0]->dtype())
                return ctx.error("operands must have one type, got " + t->describe());
        }
        if (inputs[0]->dtype() == DType::Float32)
            return run<float>(ctx, inputs);
        if (inputs[0]->dtype() == DType::Float64)
            return run<double>(ctx, inputs);
        return ctx.error("only float32 and float64 operands are supported, got "
                         + inputs[0]->describe());
    }

private:
    template<typename T>
    Status run(KernelContext &ctx, const std::vector<const Tensor *> &inputs) const
    {
        auto bad = [&](const std::string &why) {
            return ctx.error("equation '" + m_equation + "': " + why);
        };
        // Parse "ab,bc->ac" (or the implicit form without "->").
        const size_t arrow = m_equation.find("->");
        std::string lhs = m_equation.substr(0, arrow);
        std::vector<std::string> terms;
        for (size_t start = 0;;) {
            const size_t comma = lhs.find(',', start);
            terms.push_back(lhs.substr(start, comma == std::string::npos ? comma : comma - start));
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        if (terms.size() != inputs.size())
            return bad("has " + std::to_string(terms.size()) + " operand terms for "
                       + std::to_string(inputs.size()) + " inputs");
        // Expand "..." into placeholder labels aligned from the right.
        std::vector<size_t> ellipsisRanks(terms.size(), 0);
        size_t maxEllipsis = 0;
        for (size_t i = 0; i < terms.size(); ++i) {
            const size_t dots = terms[i].find("...");
            const size_t letters = terms[i].size() - (dots == std::string::npos ? 0 : 3);
            if (dots == std::string::npos && letters != size_t(inputs[i]->rank()))
                return bad("term '" + terms[i] + "' has " + std::to_string(letters)
                           + " labels for input " + inputs[i]->describe());
            if (dots != std::string::npos) {
                if (size_t(inputs[i]->rank()) < letters)
                    return bad("term '" + terms[i] + "' has more labels than input "
                               + inputs[i]->describe());
                ellipsisRanks[i] = inputs[i]->rank() - letters;
                maxEllipsis = std::max(maxEllipsis, ellipsisRanks[i]);
            }
        }
        auto placeholders = [&](size_t count) {
            std::string labels;
            for (size_t j = maxEllipsis - count; j < maxEllipsis; ++j)
                labels += char(0x80 + j);
            return labels;
        };
        for (size_t i = 0; i < terms.size(); ++i) {
            const size_t dots = terms[i].find("...");
            if (dots != std::string::npos)
                terms[i].replace(dots, 3, placeholders(ellipsisRanks[i]));
        }
        std::string output;
        if (arrow != std::string::npos) {
            output = m_equation.substr(arrow + 2);
            const size_t dots = output.find("...");
            if (dots != std::string::npos)
                output.replace(dots, 3, placeholders(maxEllipsis));
        } else {
            std::map<char, int> counts;
            for (const auto &term : terms)
                for (const char c : term)
                    counts[c]++;
            output = placeholders(maxEllipsis);
            for (const auto &[c, n] : counts)
                if (n == 1 && static_cast<unsigned char>(c) < 0x80)
                    output += c;
        }
        // Sizes per label; size 1 broadcasts.
        std::map<char, int64_t> sizes;
        for (size_t i = 0; i < terms.size(); ++i) {
            for (size_t d = 0; d < terms[i].size(); ++d) {
                const char c = terms[i][d];
                const int64_t size = inputs[i]->dim(int64_t(d));
                auto [it, added] = sizes.emplace(c, size);
                if (!added && it->second != size) {
                    if (it->second != 1 && size != 1)
                        return bad("label sizes disagree (" + std::to_string(it->second) + " vs "
                                   + std::to_string(size) + ")");
                    it->second = std::max(it->second, size);
                }
            }
        }
        for (const char c : output) {
            if (!sizes.count(c))
                return bad("output label '" + std::string(1, c) + "' is in no operand");
        }
        const int threads = ctx.threads();
        std::vector<View<T>> views;
        for (size_t i = 0; i < terms.size(); ++i) {
            // Labels anyone else needs: the output's and the other operand's.
            std::string needed = output;
            for (size_t j = 0; j < terms.size(); ++j)
                if (j != i)
                    needed += terms[j];
            views.push_back(
                sumOut(takeDiagonals(viewOf<T>(*inputs[i], terms[i])), needed, sizes, threads));
        }
        View<T> result;
        if (views.size() == 1) {
            result = views[0];
        } else {
            const View<T> &a = views[0], &b = views[1];
            std::string batch, contracted, aOnly, bOnly;
            for (const char c : a.labels) {
                const bool inB = b.labels.find(c) != std::string::npos;
                const bool inOut = output.find(c) != std::string::npos;
                (inB ? (inOut ? batch : contracted) : aOnly) += c;
            }
            for (const char c : b.labels)
                if (a.labels.find(c) == std::string::npos)
                    bOnly += c;
            auto product = [&](const std::string &labels) {
                int64_t p = 1;
                for (const char c : labels)
                    p *= sizes.at(c);
                return p;
            };
            const int64_t nb = product(batch), m = product(aOnly), k = product(contracted),
                          n = product(bOnly);
            const View<T> la = materialize(a, batch + aOnly + contracted, sizes, threads);
            const View<T> lb = materialize(b, batch + contracted + bOnly, sizes, threads);
            Shape dims;
            for (const char c : batch + aOnly + bOnly)
                dims.push_back(sizes.at(c));
            Tensor out = Tensor::allocate(DTypeOf<T>::value, dims);
            using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
            for (int64_t i = 0; i < nb; ++i)
                Eigen::Map<RowMatrix>(out.template mutableData<T>() + i * m * n, m, n).noalias()
                    = Eigen::Map<const RowMatrix>(la.data + i * m * k, m, k)
                      * Eigen::Map<const RowMatrix>(lb.data + i * k * n, k, n);
            result = {batch + aOnly + bOnly, dims, contiguousStrides(dims), out,
                      out.template data<T>()};
        }
        result = sumOut(result, output, sizes, threads);
        ctx.output(0) = materialize(result, output, sizes, threads).storage;
        return Status::ok();
    }

    std::string m_equation;
};

} // namespace

Result<std::unique_ptr<Kernel>> createEinsum(const KernelInfo &info)
{
    auto equation = info.getString("equation", "");
    if (!equation)
        return equation.status();
    std::string compact;
    for (const char c : *equation)
        if (c != ' ')
            compact += c;
    if (compact.empty())
        return info.error("attribute 'equation' is missing");
    return makeKernel<EinsumKernel>(compact);
}

} // namespace qs::ops
