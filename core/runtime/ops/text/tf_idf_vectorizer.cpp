// TfIdfVectorizer (integer tokens): counts, per row of the input, the n-grams of the pool that
// occur, with n in [min_gram_length, max_gram_length] and up to max_skip_count tokens skipped
// between consecutive items (unigrams are counted once, not once per skip). The pool lists
// n-grams grouped by n, ngram_counts giving where each group starts and ngram_indexes the output
// column of each n-gram. mode: TF (counts), IDF (weight if present) or TFIDF (count * weight).
#include "runtime/ops/text/text_kernels.h"

#include <map>

namespace qs::ops {

namespace {

enum class Weighting { Tf, Idf, TfIdf };

struct Pool
{
    int64_t minN = 1, maxN = 1, maxSkip = 0;
    Weighting weighting = Weighting::Tf;
    std::map<std::vector<int64_t>, int64_t> columns; // n-gram -> output column
    std::vector<float> weights;                      // by output column; empty: all 1
    int64_t width = 0;                               // output columns
};

class TfIdfVectorizerKernel final : public Kernel
{
public:
    explicit TfIdfVectorizerKernel(Pool pool)
        : m_pool(std::move(pool))
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &input = ctx.input(0);
        if (input.dtype() != DType::Int32 && input.dtype() != DType::Int64)
            return unsupported(ctx.label() + ": only int32/int64 tokens are supported, not "
                               + input.describe());
        if (input.rank() != 1 && input.rank() != 2)
            return ctx.error("input must be [C] or [N, C] but is " + input.describe());
        const int64_t rows = input.rank() == 2 ? input.dim(0) : 1;
        const int64_t length = input.rank() == 2 ? input.dim(1) : input.dim(0);
        Shape shape = input.rank() == 2 ? Shape{rows, m_pool.width} : Shape{m_pool.width};
        Tensor &out = ctx.allocateOutput(0, DType::Float32, shape, /*zero=*/true);
        float *dst = out.mutableData<float>();
        std::vector<int64_t> gram;
        for (int64_t r = 0; r < rows; ++r) {
            float *row = dst + r * m_pool.width;
            for (int64_t n = m_pool.minN; n <= m_pool.maxN; ++n) {
                const int64_t skips = n == 1 ? 0 : m_pool.maxSkip;
                for (int64_t skip = 0; skip <= skips; ++skip) {
                    const int64_t span = (n - 1) * (skip + 1);
                    for (int64_t start = 0; start + span < length; ++start) {
                        gram.clear();
                        for (int64_t k = 0; k < n; ++k)
                            gram.push_back(input.intAt(r * length + start + k * (skip + 1)));
                        auto it = m_pool.columns.find(gram);
                        if (it != m_pool.columns.end())
                            row[it->second] += 1.0f;
                    }
                }
            }
            for (int64_t c = 0; c < m_pool.width; ++c) {
                const float weight = m_pool.weights.empty() ? 1.0f : m_pool.weights[size_t(c)];
                if (m_pool.weighting == Weighting::Idf)
                    row[c] = row[c] > 0.0f ? weight : 0.0f;
                else if (m_pool.weighting == Weighting::TfIdf)
                    row[c] *= weight;
            }
        }
        return Status::ok();
    }

private:
    Pool m_pool;
};

} // namespace

Result<std::unique_ptr<Kernel>> createTfIdfVectorizer(const KernelInfo &info)
{
    Pool pool;
    Result<int64_t> minN = info.getInt("min_gram_length", 1);
    Result<int64_t> maxN = info.getInt("max_gram_length", 1);
    Result<int64_t> maxSkip = info.getInt("max_skip_count", 0);
    Result<std::string> mode = info.getString("mode", "TF");
    Result<std::vector<int64_t>> counts = info.getInts("ngram_counts");
    Result<std::vector<int64_t>> indexes = info.getInts("ngram_indexes");
    Result<std::vector<int64_t>> tokens = info.getInts("pool_int64s");
    Result<std::vector<float>> weights = info.getFloats("weights");
    for (const Status &status :
         {minN.status(), maxN.status(), maxSkip.status(), mode.status(), counts.status(),
          indexes.status(), tokens.status(), weights.status()})
        QS_RETURN_IF_ERROR(status);
    if (info.hasAttribute("pool_strings"))
        return info.unsupportedError("string pools (string tensors) are not supported");
    if (*minN < 1 || *maxN < *minN || *maxSkip < 0)
        return info.error("gram lengths must satisfy 1 <= min_gram_length <= max_gram_length");
    if (*mode == "TF")
        pool.weighting = Weighting::Tf;
    else if (*mode == "IDF")
        pool.weighting = Weighting::Idf;
    else if (*mode == "TFIDF")
        pool.weighting = Weighting::TfIdf;
    else
        return info.error("mode must be TF, IDF or TFIDF but is '" + *mode + "'");
    pool.minN = *minN;
    pool.maxN = *maxN;
    pool.maxSkip = *maxSkip;
    // Group g holds n-grams of n = g + 1 from counts[g] to the next group's start.
    size_t gramIndex = 0;
    for (size_t g = 0; g < counts->size(); ++g) {
        const auto n = int64_t(g + 1);
        const int64_t begin = (*counts)[g];
        const int64_t end = g + 1 < counts->size() ? (*counts)[g + 1] : int64_t(tokens->size());
        if (begin < 0 || end > int64_t(tokens->size()) || begin > end || (end - begin) % n != 0)
            return info.error("ngram_counts does not split pool_int64s into n-grams");
        for (int64_t at = begin; at < end; at += n, ++gramIndex) {
            if (gramIndex >= indexes->size())
                return info.error("ngram_indexes has fewer entries than the pool has n-grams");
            std::vector<int64_t> gram(tokens->begin() + at, tokens->begin() + at + n);
            const int64_t column = (*indexes)[gramIndex];
            if (column < 0)
                return info.error("ngram_indexes holds a negative column");
            pool.columns[gram] = column;
            pool.width = std::max(pool.width, column + 1);
        }
    }
    pool.weights = std::move(*weights);
    if (!pool.weights.empty() && int64_t(pool.weights.size()) < pool.width)
        return info.error("weights has fewer entries than output columns");
    return makeKernel<TfIdfVectorizerKernel>(std::move(pool));
}

} // namespace qs::ops
