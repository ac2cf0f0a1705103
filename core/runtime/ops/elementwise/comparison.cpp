// Equal, Less, LessOrEqual, Greater, GreaterOrEqual (bool outputs) and And, Or, Xor (bool
// inputs), with numpy broadcasting (binary_kernel.h).
#include "runtime/ops/elementwise/binary_kernel.h"
#include "runtime/ops/elementwise/elementwise_kernels.h"

namespace qs::ops {

namespace {

struct ComparisonTraits : NoValueCheck
{
    template<typename T>
    static constexpr bool supports()
    {
        return true;
    }
    template<typename T>
    using Output = bool;
};

#define QS_COMPARISON(Name, expression)                                                            \
    struct Name##Traits : ComparisonTraits                                                         \
    {                                                                                              \
        static constexpr const char *kName = #Name;                                                \
        template<typename T>                                                                       \
        static auto op()                                                                           \
        {                                                                                          \
            return [](T a, T b) { return bool(expression); };                                      \
        }                                                                                          \
    };
QS_COMPARISON(Equal, a == b)
QS_COMPARISON(Less, a < b)
QS_COMPARISON(LessOrEqual, a <= b)
QS_COMPARISON(Greater, a > b)
QS_COMPARISON(GreaterOrEqual, a >= b)
#undef QS_COMPARISON

struct LogicalTraits : NoValueCheck
{
    template<typename T>
    static constexpr bool supports()
    {
        return std::is_same_v<T, bool>;
    }
    template<typename T>
    using Output = bool;
};

struct AndTraits : LogicalTraits
{
    static constexpr const char *kName = "And";
    template<typename T>
    static auto op()
    {
        return [](bool a, bool b) { return a && b; };
    }
};

struct OrTraits : LogicalTraits
{
    static constexpr const char *kName = "Or";
    template<typename T>
    static auto op()
    {
        return [](bool a, bool b) { return a || b; };
    }
};

struct XorTraits : LogicalTraits
{
    static constexpr const char *kName = "Xor";
    template<typename T>
    static auto op()
    {
        return [](bool a, bool b) { return a != b; };
    }
};

} // namespace

Result<std::unique_ptr<Kernel>> createEqual(const KernelInfo &)
{
    return makeKernel<BinaryKernel<EqualTraits>>();
}
Result<std::unique_ptr<Kernel>> createLess(const KernelInfo &)
{
    return makeKernel<BinaryKernel<LessTraits>>();
}
Result<std::unique_ptr<Kernel>> createLessOrEqual(const KernelInfo &)
{
    return makeKernel<BinaryKernel<LessOrEqualTraits>>();
}
Result<std::unique_ptr<Kernel>> createGreater(const KernelInfo &)
{
    return makeKernel<BinaryKernel<GreaterTraits>>();
}
Result<std::unique_ptr<Kernel>> createGreaterOrEqual(const KernelInfo &)
{
    return makeKernel<BinaryKernel<GreaterOrEqualTraits>>();
}
Result<std::unique_ptr<Kernel>> createAnd(const KernelInfo &)
{
    return makeKernel<BinaryKernel<AndTraits>>();
}
Result<std::unique_ptr<Kernel>> createOr(const KernelInfo &)
{
    return makeKernel<BinaryKernel<OrTraits>>();
}
Result<std::unique_ptr<Kernel>> createXor(const KernelInfo &)
{
    return makeKernel<BinaryKernel<XorTraits>>();
}

} // namespace qs::ops
