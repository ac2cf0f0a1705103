// Add, Sub, Mul, Div, Mod, PRelu: two-input arithmetic with numpy broadcasting (binary_kernel.h).
#include "runtime/ops/elementwise/binary_kernel.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

#include <cmath>

namespace qs::ops {

namespace {

template<typename T>
constexpr bool isArithmetic = !std::is_same_v<T, bool>;

struct ArithmeticTraits : NoValueCheck
{
    template<typename T>
    static constexpr bool supports()
    {
        return isArithmetic<T>;
    }
    template<typename T>
    using Output = T;
};

struct AddTraits : ArithmeticTraits
{
    static constexpr const char *kName = "Add";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) { return T(a + b); };
    }
};

struct SubTraits : ArithmeticTraits
{
    static constexpr const char *kName = "Sub";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) { return T(a - b); };
    }
};

struct MulTraits : ArithmeticTraits
{
    static constexpr const char *kName = "Mul";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) { return T(a * b); };
    }
};

// Div and Mod: integer division by zero is undefined behaviour in C++, so it is refused with
// a message instead.
struct DivisionTraits : ArithmeticTraits
{
    template<typename T>
    static Status check(const KernelContext &ctx, const Tensor &, const Tensor &divisor)
    {
        if constexpr (std::is_integral_v<T>) {
            for (const T value : divisor.values<T>()) {
                if (value == 0)
                    return ctx.error("integer division by zero (input 'B' holds a 0)");
            }
        }
        return Status::ok();
    }
};

struct DivTraits : DivisionTraits
{
    static constexpr const char *kName = "Div";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) { return T(a / b); };
    }
};

// Mod with fmod=0: integer remainder with the sign of the divisor (Python's %); fmod=1: C fmod
// (sign of the dividend), required for floating types.
template<bool kFmod>
struct ModTraits : DivisionTraits
{
    static constexpr const char *kName = "Mod";
    template<typename T>
    static auto op()
    {
        return [](T a, T b) {
            if constexpr (std::is_same_v<T, double>) {
                return std::fmod(a, b);
            } else if constexpr (!std::is_integral_v<T>) {
                return T(std::fmod(float(a), float(b)));
            } else if constexpr (kFmod) {
                return T(a % b);
            } else {
                T r = T(a % b);
                if constexpr (std::is_signed_v<T>) {
                    if (r != 0 && ((r < 0) != (b < 0)))
                        r = T(r + b);
                }
                return r;
            }
        };
    }
};

struct PReluTraits : NoValueCheck
{
    static constexpr const char *kName = "PRelu";
    template<typename T>
    static constexpr bool supports()
    {
        return isArithmetic<T> && !std::is_unsigned_v<T>;
    }
    template<typename T>
    using Output = T;
    template<typename T>
    static auto op()
    {
        return [](T x, T slope) { return x < T(0) ? T(x * slope) : x; };
    }
};

} // namespace

template<typename Traits>
Result<std::unique_ptr<Kernel>> createArithmetic(const KernelInfo &info)
{
    auto legacy = legacyBroadcast(info);
    if (!legacy)
        return legacy.status();
    return makeKernel<BinaryKernel<Traits>>(*legacy);
}

Result<std::unique_ptr<Kernel>> createAdd(const KernelInfo &info)
{
    return createArithmetic<AddTraits>(info);
}
Result<std::unique_ptr<Kernel>> createSub(const KernelInfo &info)
{
    return createArithmetic<SubTraits>(info);
}
Result<std::unique_ptr<Kernel>> createMul(const KernelInfo &info)
{
    return createArithmetic<MulTraits>(info);
}
Result<std::unique_ptr<Kernel>> createDiv(const KernelInfo &info)
{
    return createArithmetic<DivTraits>(info);
}
Result<std::unique_ptr<Kernel>> createPRelu(const KernelInfo &info)
{
    // Before opset 7 a 1-D slope holds one value per channel (axis 1), not per last-dim element
    // as numpy broadcasting would read it (PyTorch's exported PReLU with num_parameters = C).
    const TensorType x = info.inputType(0), slope = info.inputType(1);
    if (info.opsetVersion() < 7 && slope.hasShape && slope.dims.size() == 1 && x.hasShape
        && x.dims.size() >= 2) {
        LegacyBroadcast channelwise;
        channelwise.enabled = true;
        channelwise.axis = 1;
        return makeKernel<BinaryKernel<PReluTraits>>(channelwise);
    }
    return makeKernel<BinaryKernel<PReluTraits>>();
}

Result<std::unique_ptr<Kernel>> createMod(const KernelInfo &info)
{
    auto fmod = info.getInt("fmod", 0);
    if (!fmod)
        return fmod.status();
    if (*fmod != 0 && *fmod != 1)
        return info.error("attribute fmod must be 0 or 1, got " + std::to_string(*fmod));
    if (*fmod == 0 && isFloatingDType(static_cast<DType>(info.inputType(0).elementType)))
        return info.error("fmod=0 is only defined for integer inputs; floating inputs need fmod=1");
    if (*fmod)
        return makeKernel<BinaryKernel<ModTraits<true>>>();
    return makeKernel<BinaryKernel<ModTraits<false>>>();
}

} // namespace qs::ops
