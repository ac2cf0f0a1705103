#pragma once
// Why a model answers differently at batch N than at batch 1: the nodes that write a shape
// which does not follow the batch. Part of the export check (compare/verify.h).

#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

// Runs the model unfused (every value as the model defines it) on `batchOne` and on
// `batchN` (the same samples at batch `batch`), observing each value's shape, and names the
// nodes of the main graph that lose the batch, one sentence each, most telling first:
//  - a Reshape, Expand, Tile, ConstantOfShape or Slice whose output had first dim 1 at batch 1
//    and does not have first dim `batch` at batch N ("Reshape 'r' writes [1,24] (a constant
//    shape with batch 1)" when its shape input is a constant whose first entry is 1);
//  - the node the batch-N run stopped at, when it failed, with the shapes it was given.
// Empty when nothing stands out. Errors: cancellation, or a session that cannot be built.
Result<std::vector<std::string>> findBatchCulprits(const std::shared_ptr<const Model> &model,
                                                   const std::map<std::string, Tensor> &batchOne,
                                                   const std::map<std::string, Tensor> &batchN,
                                                   int64_t batch, int threads, Progress &progress);

} // namespace qs
