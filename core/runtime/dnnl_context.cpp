#include "runtime/dnnl_context.h"

namespace qs::dnnl_support {

const dnnl::engine &cpuEngine()
{
    // Function-local static: constructed once, thread-safe since C++11.
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

dnnl::stream makeStream()
{
    return dnnl::stream(cpuEngine());
}

dnnl::memory::dims toDnnlDims(const std::vector<int64_t> &dims)
{
    return dnnl::memory::dims(dims.begin(), dims.end());
}

} // namespace qs::dnnl_support
