#pragma once
// A model made runnable: built once (kernels resolved for the model's opsets, attributes
// validated, weights prepared, memory planned), then run any number of times, from any thread.
//
//   auto session = Session::create(model, sessionOptions(/*threads=*/2));
//   auto outputs = (*session)->run({{"x", tensor}});

#include "runtime/graph_program.h"
#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace qs {

class Model;

struct SessionOptions
{
    int threads = 0;  // 0: all cores
    bool fuse = true; // Conv+BatchNorm folding, activation fusion; off to observe every value
    // Values for symbolic input dims ("batch" -> 1), used when checking and generating inputs.
    std::map<std::string, int64_t> dimValues;
    // Runs a model that uses float16 as float32 (runtime/float16_lowering.h): its weights are
    // widened once here instead of in every kernel call, which makes FP16 models about as fast
    // as FP32 ones. inputs()/outputs() and run() keep the model's declared float16 types (inputs
    // are widened, outputs narrowed per run), but RunOptions::observer sees the float32 values
    // the kernels computed. Off: the kernels take float16 operands (slower; true fp16 storage
    // of every intermediate value).
    bool float16InFloat32 = true;
};

// Shorthand for the common settings (designated initializers would warn about the rest).
inline SessionOptions sessionOptions(int threads, std::map<std::string, int64_t> dimValues = {},
                                     bool fuse = true)
{
    SessionOptions options;
    options.threads = threads;
    options.fuse = fuse;
    options.dimValues = std::move(dimValues);
    return options;
}

struct RunOptions
{
    Progress *progress = nullptr; // cancellation is checked before every node
    ValueObserver observer;       // called with every produced value when set
    // Collects the wall time of every step of the main graph (runtime/profile.h); one run at a
    // time per recorder. A step's time includes the observer's calls for its outputs.
    ProfileRecorder *profile = nullptr;
};

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using NamedValues = std::vector<std::pair<std::string, Value>>;

class Session
{
public:
    // Fails with one message listing every unsupported op type (with node names) if any.
    static Result<std::shared_ptr<const Session>> create(std::shared_ptr<const Model> model,
                                                         SessionOptions options = {},
                                                         Progress &progress = silentProgress());
    // Gives the tensor memory kept for the next run back to the system (tensor_memory.h).
    ~Session();

    // As the model declares them (float16 stays float16 when the session runs it in float32).
    const std::vector<GraphProgram::Value> &inputs() const { return m_inputs; }
    const std::vector<GraphProgram::Value> &outputs() const { return m_outputs; }
    const std::shared_ptr<const Model> &model() const { return m_model; }
    const SessionOptions &options() const { return m_options; }
    int threads() const { return m_threads; }

    // Checks each input against the declared type and shape (message names the input, expected
    // and actual), runs, and returns the graph outputs in declaration order.
    // Fails when an output is a sequence or an optional (use runValues for such models).
    Result<NamedTensors> run(const std::map<std::string, Tensor> &inputs,
                             const RunOptions &options = {}) const;
    // Like run, for models whose inputs or outputs may be sequences or optionals.
    Result<NamedValues> runValues(const std::map<std::string, Value> &inputs,
                                  const RunOptions &options = {}) const;
    Result<NamedValues> runValues(const std::map<std::string, Tensor> &inputs,
                                  const RunOptions &options = {}) const;

    // The declared shape of input `index` with symbolic dims replaced from dimValues (-1 when
    // still unknown).
    Shape concreteInputShape(size_t index) const;

private:
    Session() = default;
    Status checkInput(const GraphProgram::Value &declared, const qs::Value &actual) const;

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const GraphProgram> m_program;
    // The program's inputs and outputs with the types m_model declares.
    std::vector<GraphProgram::Value> m_inputs;
    std::vector<GraphProgram::Value> m_outputs;
    bool m_float16Lowered = false; // m_program runs a float32 copy of a float16 model
    SessionOptions m_options;
    int m_threads = 1;
};

} // namespace qs
