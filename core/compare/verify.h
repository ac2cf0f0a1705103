#pragma once
// Export check (issue 16): the model's outputs against outputs saved elsewhere (PyTorch's, ONNX
// Runtime's), with numpy's allclose rule, and the batch check: does the model give each sample
// the same answer at batch N as at batch 1? A Reshape with a hard-coded batch is the classic
// export bug this finds, and names.
//
//   VerifyRequest request{model, inputs, expected};
//   request.batches = {1, 3, 8};
//   auto report = verifyModel(request, progress); // an error only for bad input
//   if (report && !report->passed()) ...

#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Model;

// numpy.testing.assert_allclose's defaults are rtol=1e-7, atol=0; these are what export guides
// use (torch.onnx docs, ONNX Runtime tutorials) for float32 models run by another engine.
struct Tolerance
{
    double rtol = 1e-3;
    double atol = 1e-5;
};

// One tensor against its expected value. numpy's rule, elementwise:
// |actual - expected| <= atol + rtol * |expected|; a NaN on either side is a mismatch
// (equal_nan=False); infinities match only the same infinity.
struct TensorCheck
{
    std::string name;
    bool passed = false;
    // Set when the two cannot be compared element by element (shape or dtype differ); the
    // figures below are then zero.
    std::string problem;
    DType dtype = DType::Undefined; // the actual tensor's
    Shape shape;                    // the actual tensor's
    int64_t elements = 0;
    int64_t mismatches = 0;
    double maxAbsError = 0; // over elements finite on both sides
    double maxRelError = 0; // |a - e| / |e| over finite non-zero expected values (numpy's)
    // The element furthest beyond its tolerance (a NaN or infinity mismatch first); when all
    // match, the one with the largest absolute error. Empty index: no elements.
    Shape worstIndex;
    double worstActual = 0;
    double worstExpected = 0;

    double mismatchShare() const { return elements ? double(mismatches) / double(elements) : 0; }
};

// Compares `actual` with `expected` under `tolerance`; `expectedWhat` names the expected side in
// a shape or dtype problem ("the expected value", "the stack of its batch-1 runs").
TensorCheck compareTensors(const std::string &name, const Tensor &actual, const Tensor &expected,
                           const Tolerance &tolerance,
                           const std::string &expectedWhat = "the expected value");

// One batch size of the batch check.
struct BatchCheck
{
    int64_t batch = 0;
    bool passed = false;
    std::string engineError; // the run at this batch failed: the engine's message
    // Per output: the batch-N output against the batch-1 outputs of the same samples, stacked
    // along the output's batch axis (the one its declared shape names with the inputs' batch
    // symbol, else the first).
    std::vector<TensorCheck> outputs;
    // The likely causes of a failure, one sentence each:
    // "Reshape '/model/Reshape_2' writes [1,512] (a constant shape with batch 1)".
    std::vector<std::string> culprits;
};

struct VerifyReport
{
    Tolerance tolerance;
    std::vector<TensorCheck> outputs;   // one per --expected value, in the model's output order
    std::vector<std::string> unchecked; // model outputs no expected value was given for
    std::vector<BatchCheck> batches;
    // Why the batch check did not run though batch sizes were asked for (no input has a
    // symbolic first dim); empty otherwise.
    std::string batchNotApplicable;

    bool outputsPassed() const;
    bool batchesPassed() const;
    bool passed() const { return outputsPassed() && batchesPassed(); }
};

struct VerifyRequest
{
    std::shared_ptr<const Model> model;
    std::map<std::string, Tensor> inputs;
    std::map<std::string, Tensor> expected; // by output name
    Tolerance tolerance;
    std::vector<int64_t> batches; // batch sizes to check; empty: no batch check
    int threads = 0;              // 0: all cores
};

// The file a value is saved to in a folder of .npy files: "<name>.npy" with characters outside
// [A-Za-z0-9_.-] as '_' (what `quantscope-cli run --output-dir` writes).
std::string npyFileName(const std::string &valueName);

// A folder of saved values, as the GUI's "against saved outputs" takes it: every model input
// as <input>.npy (an error names the first one missing), and the expected outputs as
// <output>.npy (at least one). The rest of the request keeps its defaults.
Result<VerifyRequest> requestFromFolder(std::shared_ptr<const Model> model,
                                        const std::string &folder);

// Runs the model on the inputs, compares its outputs with the expected ones and runs the batch
// check. Errors are bad input only (an expected name that is no output, an input the session
// refuses, a batch size < 1) or cancellation; mismatches are in the report.
Result<VerifyReport> verifyModel(const VerifyRequest &request, Progress &progress);

} // namespace qs
