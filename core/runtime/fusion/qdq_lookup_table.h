#pragma once
// The 256-entry tables of the QDQ table passes (qdq_tables.cpp) and of QLinearConcat's
// requantization (qdq_elementwise.cpp). Internal to those passes.
#include "runtime/fusion/qdq_support.h"

#include <algorithm>
#include <cmath>

namespace qs::qdq {

// y = Q(f(DQ(x))) for each of the 256 values of x, in y's type; index = x as uint8 (int8 x is
// offset by 128).
template<typename Transform>
Tensor lookupTable(const QdqParams &in, DType inType, const QdqParams &out,
                   const Transform &transform)
{
    float values[256];
    for (int i = 0; i < 256; ++i) {
        const int32_t q = inType == DType::Int8 ? i - 128 : i;
        values[i] = float(q - in.zeroPointAt(0)) * in.scaleAt(0);
    }
    transform(values);
    const DType outType = out.quantizedType();
    const float low = outType == DType::Int8 ? -128.0f : 0.0f;
    const float high = outType == DType::Int8 ? 127.0f : 255.0f;
    Tensor table = Tensor::allocate(outType, {256});
    for (int i = 0; i < 256; ++i) {
        // 0/0 from a Div by a constant zero has no 8-bit value; the zero point stands for it.
        const float scaled = std::isnan(values[i]) ? 0.0f
                                                   : std::nearbyint(values[i] / out.scaleAt(0));
        const float q = std::clamp(scaled + float(out.zeroPointAt(0)), low, high);
        if (outType == DType::Int8)
            table.mutableData<int8_t>()[i] = int8_t(q);
        else
            table.mutableData<uint8_t>()[i] = uint8_t(q);
    }
    return table;
}

} // namespace qs::qdq
