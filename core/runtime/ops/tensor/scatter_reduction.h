#pragma once
// The reduction attribute of ScatterND / ScatterElements (opset 16: add, mul; 18: max, min).

#include "runtime/kernel.h"

#include <algorithm>
#include <string>

namespace qs::ops {

enum class ScatterReduction { None, Add, Mul, Max, Min };

inline Result<ScatterReduction> parseScatterReduction(const KernelInfo &info)
{
    Result<std::string> name = info.getString("reduction", "none");
    if (!name)
        return name.status();
    if (*name == "none")
        return ScatterReduction::None;
    if (*name == "add")
        return ScatterReduction::Add;
    if (*name == "mul")
        return ScatterReduction::Mul;
    if (*name == "max")
        return ScatterReduction::Max;
    if (*name == "min")
        return ScatterReduction::Min;
    return info.error("reduction '" + *name + "' is not one of none, add, mul, max, min");
}

template<typename T>
void scatterReduce(ScatterReduction reduction, T &target, T value)
{
    if constexpr (std::is_same_v<T, bool>) {
        switch (reduction) {
        case ScatterReduction::Add:
        case ScatterReduction::Max: target = target || value; return;
        case ScatterReduction::Mul:
        case ScatterReduction::Min: target = target && value; return;
        default: target = value; return;
        }
    } else {
        switch (reduction) {
        case ScatterReduction::Add: target = static_cast<T>(target + value); return;
        case ScatterReduction::Mul: target = static_cast<T>(target * value); return;
        case ScatterReduction::Max: target = std::max(target, value); return;
        case ScatterReduction::Min: target = std::min(target, value); return;
        default: target = value; return;
        }
    }
}

} // namespace qs::ops
