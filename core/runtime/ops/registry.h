#pragma once
// The one table of every kernel the engine has, keyed by (domain, op type, since-version).

#include "runtime/kernel.h"

#include <span>
#include <string_view>

namespace qs {

std::span<const KernelRegistration> kernelRegistry();

// The registration for `opType` in `domain` ("" or "ai.onnx" for the default domain) that
// implements `opsetVersion`: the one with the highest since-version not above it. Null when the
// op is unknown or every registration is newer than the model's opset.
const KernelRegistration *findKernel(std::string_view domain, std::string_view opType,
                                     int opsetVersion);

} // namespace qs
