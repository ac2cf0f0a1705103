#pragma once
// Factories of the elementwise kernels, listed in ops/registry.cpp. One kernel per file pair here.

#include "runtime/kernel.h"

namespace qs::ops {

Result<std::unique_ptr<Kernel>> createAbs(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAcos(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAcosh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAdd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAnd(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAsin(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAsinh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAtan(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createAtanh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createBitShift(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCast(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCastLike(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCeil(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createClip(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCos(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createCosh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDiv(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createDropout(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createElu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createEqual(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createErf(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createExp(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createFloor(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGreater(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createGreaterOrEqual(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createHardSigmoid(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createHardSwish(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createIdentity(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createIsInf(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createIsNaN(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLeakyRelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLess(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLessOrEqual(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createLog(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMax(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMean(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMin(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMod(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createMul(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createNeg(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createNot(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createOr(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createPRelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createPow(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createReciprocal(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createRelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createRound(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createShrink(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSigmoid(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSign(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSin(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSinh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSoftplus(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSoftsign(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSqrt(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSub(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createSum(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTan(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createTanh(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createThresholdedRelu(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createWhere(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createXor(const KernelInfo &info);
Result<std::unique_ptr<Kernel>> createFusedGelu(const KernelInfo &info);  // com.quantscope.fused
Result<std::unique_ptr<Kernel>> createFusedSwish(const KernelInfo &info); // com.quantscope.fused

} // namespace qs::ops
