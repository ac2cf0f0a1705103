#pragma once
// Factories of the tensor kernels (shape and data movement), listed in ops/registry.cpp. One
// kernel per file pair here; tensor_util.h holds the shared strided copy and axis helpers.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createCompress(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createConcat(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createConstantOfShape(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDepthToSpace(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createExpand(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createEyeLike(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createFlatten(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGather(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGatherElements(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGatherNd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createNonZero(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createOneHot(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createPad(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createRange(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReshape(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createResize(const KernelInfo &info); // Resize and Upsample
Result<std::unique_ptr<Kernel>> createReverseSequence(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createScatterElements(const KernelInfo &info); // and Scatter
Result<std::unique_ptr<Kernel>> createScatterNd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createShape(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSize(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSlice(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSpaceToDepth(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSplit(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSqueeze(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTile(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTranspose(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTrilu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createUnique(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createUnsqueeze(const KernelInfo &info);

} // namespace qs::ops
