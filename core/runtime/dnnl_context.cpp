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

} // namespace qs::dnnl_support
