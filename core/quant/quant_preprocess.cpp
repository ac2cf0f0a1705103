#include "quant/quant_preprocess.h"

#include "graph/passes/fold_affine_into_conv.h"
#include "graph/passes/fold_constants.h"
#include "graph/passes/recognize_hardswish.h"
#include "model/model.h"
#include "quant/pass_runner.h"

namespace qs {

namespace {

// The order pins which pass gets a node that two of them could take:
//  - FoldConstants before everything: the other passes, like the writers after them, see a
//    weight or a BatchNorm parameter only as a constant, not through an Identity or a Reshape;
//  - FoldAffineIntoConv next: a Mul / Add between two convs belongs to the one before it, since
//    after a conv per-channel constants and shifts fold whatever the padding, in front of one
//    only scalars, and shifts only where it has no padding;
//  - RecognizeHardSwish before FoldInputScaleIntoConv: the Div by 6 (or Mul by 1/6) that ends
//    the pattern in front of a conv must not fold into that conv as an input scale, which would
//    leave Add, Clip and Mul behind and no HardSwish to quantize as one value.
PassPipeline preparationPipeline()
{
    PassPipeline pipeline;
    pipeline.add<FoldConstants>();
    pipeline.add<FoldAffineIntoConv>();
    pipeline.add<RecognizeHardSwish>();
    pipeline.add<FoldInputScaleIntoConv>();
    return pipeline;
}

// Nodes a pass removed over every graph it visited.
int removedBy(const std::vector<PassRecord> &records, std::string_view pass)
{
    size_t removed = 0;
    for (const PassRecord &record : records) {
        if (record.pass == pass)
            removed += record.nodesBefore - record.nodesAfter;
    }
    return int(removed);
}

} // namespace

Result<PreprocessResult> preprocessForQuantization(std::shared_ptr<const Model> model,
                                                   Progress &progress)
{
    PassContext context;
    context.progress = &progress;
    auto proto = runOnModel(preparationPipeline(), std::move(model), context);
    if (!proto)
        return proto.status();
    PreprocessResult result;
    result.foldedConstants = removedBy(context.records, FoldConstants().name());
    result.foldedIntoConv = removedBy(context.records, FoldAffineIntoConv().name())
                            + removedBy(context.records, FoldInputScaleIntoConv().name());
    // Add, Clip, Mul and the closing Div / Mul become one node.
    result.hardSwish = removedBy(context.records, RecognizeHardSwish().name()) / 3;
    if (result.changed())
        result.model = std::move(*proto);
    return result;
}

} // namespace qs
