#pragma once
// Factories of the reduce kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createArgMax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createArgMin(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCumSum(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDet(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createEinsum(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createHardmax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createInstanceNormalization(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLayerNormalization(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLogSoftmax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMeanVarianceNormalization(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createNegativeLogLikelihoodLoss(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceL1(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceL2(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceLogSum(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceLogSumExp(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceMax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceMean(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceMin(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceProd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceSum(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReduceSumSquare(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSoftmax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSoftmaxCrossEntropyLoss(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTopK(const KernelInfo &info);

} // namespace qs::ops
