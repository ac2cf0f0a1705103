#pragma once
// The one oneDNN CPU engine of the process, shared by every kernel that uses oneDNN primitives
// (nn and quant families). Creating an engine per kernel would duplicate oneDNN's internal
// caches; streams are cheap and made per compute call because compute() may run concurrently.

#include <dnnl.hpp>

#include <vector>

namespace qs::dnnl_support {

const dnnl::engine &cpuEngine();

// A fresh in-order stream on cpuEngine(); oneDNN runs primitives with the OpenMP thread count
// the session set for this run.
dnnl::stream makeStream();

} // namespace qs::dnnl_support
