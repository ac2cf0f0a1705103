#include "runtime/fusion/fusion_pipeline.h"

#include "graph/passes/fold_affine_into_conv.h"
#include "graph/passes/recognize_hardswish.h"
#include "runtime/fusion/fusion_passes.h"

namespace qs {

PassPipeline engineFusionPipeline()
{
    PassPipeline pipeline;
    // 0. Constants seen through the Identity nodes torch writes for shared parameters, so that
    //    the int8 passes find a constant bias (SqueezeNet's convolutions all have one); Pads by
    //    zero dropped, so that they split no region.
    pipeline.add<ReadThroughNoOps>();
    // 1. Int8 groups first, so that no float pass splits a DequantizeLinear -> op ->
    //    QuantizeLinear group: a Conv inside one must not take a BatchNorm or a Relu that the
    //    group's output range already accounts for. A Relu/Clip between the op and its
    //    QuantizeLinear becomes the int8 kernel's clamp here.
    pipeline.add<FuseQdqConvAndMatMul>();
    // 2. Elementwise steps between DQ and Q become tables, after (1) so that
    // 3. a table right after a QLinearConv can move into it.
    pipeline.add<FuseQdqLookupTables>();
    pipeline.add<FuseLookupIntoConv>();
    // 4. The remaining int8 ops of a region (Add, Mul, pooling, data movement, Concat).
    pipeline.add<FuseQdqBinary>();
    pipeline.add<DropQdqAroundDataMovement>();
    //    x * table(x) (HardSwish, SiLU spelled through a HardSigmoid/Sigmoid table) becomes one
    //    table after (4) made the QLinearMul, and the Conv before it takes that table.
    pipeline.add<FuseGatedTables>();
    pipeline.add<FuseLookupIntoConv>();
    //    A matmul whose int8 output only goes back to float writes the floats itself, after the
    //    passes above took every int8 reader they could.
    pipeline.add<FuseDequantizedMatMulOutput>();
    // 5. Layout last of the int8 passes: it needs every int8 producer and reader in place.
    pipeline.add<KeepInt8ActivationsChannelsLast>();
    // 6. The dynamic-quantization MatMul spelling; independent of the QDQ passes.
    pipeline.add<FuseIntegerMatMulToFloat>();
    //    The dynamic-quantization Conv spelling becomes a float Conv before (7), which folds
    //    its bias Add into it, and (10) and (12), which give it its activation and layout.
    pipeline.add<RunDynamicConvInFloat>();
    // 7. BatchNorm/affine folding before activation fusion (10), so that Conv -> BN -> Relu ends
    //    as one Conv with its Relu (the fold refuses a conv that already carries an activation).
    pipeline.add<FoldAffineIntoConv>();
    // 8. Decomposed activations become single nodes before (10) looks for activations to fuse.
    pipeline.add<RecognizeHardSwish>();
    pipeline.add<RecognizeGelu>();
    pipeline.add<RecognizeLayerNorm>();
    pipeline.add<RecognizeSwish>();
    // 9. MatMul + bias before (10): MatMul -> Add -> Relu becomes one MatMul.
    pipeline.add<FuseMatMulBias>();
    // 10. Activations into their Conv / ConvTranspose / Gemm / MatMul.
    pipeline.add<FuseActivations>();
    // 11. A scalar affine step after the (possibly fused) activation, last: it extends the
    //     fused activation that (10) set.
    pipeline.add<FusePostAffine>();
    // 12. Float layout last: it needs every Conv with what it absorbed, and every elementwise
    //     op that remains, in place (like (5) for int8).
    pipeline.add<KeepFloatActivationsBlocked>();
    return pipeline;
}

} // namespace qs
