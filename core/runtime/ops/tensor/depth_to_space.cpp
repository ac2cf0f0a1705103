// DepthToSpace (DCR / CRD) and SpaceToDepth: a 6-D reshape of the NCHW input and a permutation.
#include "runtime/ops/tensor/tensor_kernels.h"
#include "runtime/ops/tensor/tensor_util.h"
#include "runtime/ops/tensor/transpose.h"

namespace qs::ops {

namespace {

class DepthToSpaceKernel final : public Kernel
{
public:
    DepthToSpaceKernel(int64_t blockSize, bool crd, bool toDepth)
        : m_blockSize(blockSize)
        , m_crd(crd)
        , m_toDepth(toDepth)
    {}

    Status compute(KernelContext &ctx) const override
    {
        const Tensor &data = ctx.input(0);
        const int64_t b = m_blockSize;
        if (data.rank() != 4)
            return ctx.error("input " + data.describe() + " should be 4-D NCHW");
        const int64_t n = data.dim(0), c = data.dim(1), h = data.dim(2), w = data.dim(3);
        Shape shape6;
        std::vector<int64_t> perm;
        Shape outShape;
        if (m_toDepth) {
            if (h % b != 0 || w % b != 0)
                return ctx.error("input " + data.describe()
                                 + " height and width should be "
                                   "multiples of blocksize "
                                 + std::to_string(b));
            shape6 = {n, c, h / b, b, w / b, b};
            perm = {0, 3, 5, 1, 2, 4};
            outShape = {n, c * b * b, h / b, w / b};
        } else {
            if (c % (b * b) != 0)
                return ctx.error("input " + data.describe()
                                 + " channels should be a multiple of "
                                   "blocksize^2 = "
                                 + std::to_string(b * b));
            if (m_crd) {
                shape6 = {n, c / (b * b), b, b, h, w};
                perm = {0, 1, 4, 2, 5, 3};
            } else {
                shape6 = {n, b, b, c / (b * b), h, w};
                perm = {0, 3, 4, 1, 5, 2};
            }
            outShape = {n, c / (b * b), h * b, w * b};
        }
        Tensor &out = ctx.allocateOutput(0, data.dtype(), outShape);
        permuteElements(out.mutableRawData(), data.rawData(), shape6, perm, dtypeSize(data.dtype()),
                        ctx.threads());
        return Status::ok();
    }

private:
    int64_t m_blockSize;
    bool m_crd;
    bool m_toDepth;
};

Result<int64_t> readBlockSize(const KernelInfo &info)
{
    Result<int64_t> blockSize = info.getInt("blocksize", 0);
    if (!blockSize)
        return blockSize.status();
    if (*blockSize < 1)
        return info.error("attribute 'blocksize' should be >= 1, not " + std::to_string(*blockSize));
    return blockSize;
}

} // namespace

Result<std::unique_ptr<Kernel>> createDepthToSpace(const KernelInfo &info)
{
    Result<int64_t> blockSize = readBlockSize(info);
    if (!blockSize)
        return blockSize.status();
    Result<std::string> mode = info.getString("mode", "DCR");
    if (!mode)
        return mode.status();
    if (*mode != "DCR" && *mode != "CRD")
        return info.error("mode '" + *mode + "' should be DCR or CRD");
    return makeKernel<DepthToSpaceKernel>(*blockSize, *mode == "CRD", false);
}

Result<std::unique_ptr<Kernel>> createSpaceToDepth(const KernelInfo &info)
{
    Result<int64_t> blockSize = readBlockSize(info);
    if (!blockSize)
        return blockSize.status();
    return makeKernel<DepthToSpaceKernel>(*blockSize, false, true);
}

} // namespace qs::ops
