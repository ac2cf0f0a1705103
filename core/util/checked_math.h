#pragma once
// Sums and products of counts read from a model file (elements, bytes, MACs). A hostile model's
// dims overflow int64 (undefined behaviour); pinned at the limit, a count still reads as huge,
// where a wrapped one would read as small or negative.

#include <cstdint>
#include <limits>

namespace qs {

inline int64_t saturatingAdd(int64_t a, int64_t b)
{
    int64_t result = 0;
    if (__builtin_add_overflow(a, b, &result))
        return b < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    return result;
}

inline int64_t saturatingMultiply(int64_t a, int64_t b)
{
    int64_t result = 0;
    if (__builtin_mul_overflow(a, b, &result))
        return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                                  : std::numeric_limits<int64_t>::max();
    return result;
}

} // namespace qs
