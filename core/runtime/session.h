#pragma once
// A model made runnable: built once (kernels resolved for the model's opsets, attributes
// validated, weights prepared, memory planned), then run any number of times, from any thread.
//
//   auto session = Session::create(model, sessionOptions(/*threads=*/2));
//   auto outputs = (*session)->run({{"x", tensor}});

#include "runtime/graph_program.h"
#include "runtime/tensor.h"
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
    int threads = 0;    // 0: all cores
    bool fuse = true;   // Conv+BatchNorm folding, activation fusion; off to observe every value
    // Values for symbolic input dims ("batch" -> 1), used when checking and generating inputs.
    std::map<std::string, int64_t> dimValues;
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
    ValueObserver observer;        // called with every produced value when set
};

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class Session
{
public:
    // Fails with one message listing every unsupported op type (with node names) if any.
    static Result<std::shared_ptr<const Session>> create(std::shared_ptr<const Model> model,
                                                         SessionOptions options = {},
                                                         Progress &progress = silentProgress());

    const std::vector<GraphProgram::Value> &inputs() const { return m_program->inputs(); }
    const std::vector<GraphProgram::Value> &outputs() const { return m_program->outputs(); }
    const std::shared_ptr<const Model> &model() const { return m_model; }
    const SessionOptions &options() const { return m_options; }
    int threads() const { return m_threads; }

    // Checks each input against the declared type and shape (message names the input, expected
    // and actual), runs, and returns the graph outputs in declaration order.
    Result<NamedTensors> run(const std::map<std::string, Tensor> &inputs,
                             const RunOptions &options = {}) const;

    // The declared shape of input `index` with symbolic dims replaced from dimValues (-1 when
    // still unknown).
    Shape concreteInputShape(size_t index) const;

private:
    Session() = default;
    Status checkInput(const GraphProgram::Value &declared, const Tensor &actual) const;

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const GraphProgram> m_program;
    SessionOptions m_options;
    int m_threads = 1;
};

} // namespace qs
