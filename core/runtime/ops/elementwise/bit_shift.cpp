// BitShift (opset 11): unsigned integers shifted left or right (the `direction` attribute) by the
// second input, with numpy broadcasting (binary_kernel.h). A shift by the type's width or more
// gives 0 rather than C++'s undefined behaviour; left shifts run in
// uint64 so that promoted uint8/uint16 values never overflow a signed int.
#include "runtime/ops/elementwise/binary_kernel.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

namespace qs::ops {

namespace {

struct BitShiftTraits : NoValueCheck
{
    template<typename T>
    static constexpr bool supports()
    {
        return std::is_integral_v<T> && std::is_unsigned_v<T> && !std::is_same_v<T, bool>;
    }
    template<typename T>
    using Output = T;
};

struct ShiftLeftTraits : BitShiftTraits
{
    static constexpr const char *kName = "BitShift";
    template<typename T>
    static auto op()
    {
        return
            [](T a, T b) { return b >= sizeof(T) * 8 ? T(0) : static_cast<T>(uint64_t{a} << b); };
    }
};

struct ShiftRightTraits : BitShiftTraits
{
    static constexpr const char *kName = "BitShift";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) { return b >= sizeof(T) * 8 ? T(0) : static_cast<T>(a >> b); };
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createBitShift(const KernelInfo &info)
{
    auto direction = info.getString("direction", "");
    if (!direction)
        return direction.status();
    if (*direction == "LEFT")
        return makeKernel<BinaryKernel<ShiftLeftTraits>>();
    if (*direction == "RIGHT")
        return makeKernel<BinaryKernel<ShiftRightTraits>>();
    return info.error("direction '" + *direction + "' is not LEFT or RIGHT");
}

} // namespace qs::ops
