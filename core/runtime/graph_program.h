#pragma once
// One graph (the main graph or an If/Loop body) compiled for running: every value gets a slot,
// every node a kernel, in topological order, with the slots to free after each step (a value
// lives until its last use, subgraph uses included). Constants (initializers, Constant nodes,
// folded weights) are decoded once and shared by all runs.

#include "model/tensor_type.h"
#include "runtime/kernel.h"
#include "runtime/value.h"
#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

class Graph;
class Model;
class ProfileRecorder;

// Called with every tensor a node produces (subgraphs included), in execution order. Sequences
// and optionals are not passed: everything that observes (calibration, per-node error, dumps)
// measures tensors, so they skip non-tensor values here, at the one place that produces them.
using ValueObserver = std::function<void(const std::string &name, const Tensor &value)>;

// What one call of Session::run shares with every kernel and subgraph it runs.
class RunState
{
public:
    RunState(int threads, Progress *progress, const ValueObserver *observer,
             ProfileRecorder *profile = nullptr)
        : m_threads(threads)
        , m_progress(progress)
        , m_observer(observer)
        , m_profile(profile)
    {}
    int threads() const { return m_threads; }
    bool cancelled() const { return m_progress && m_progress->cancelled(); }
    const ValueObserver *observer() const { return m_observer; }
    // Times the main graph's steps only: a subgraph's time is its If/Loop node's.
    ProfileRecorder *profile() const { return m_profile; }

private:
    int m_threads;
    Progress *m_progress;
    const ValueObserver *m_observer;
    ProfileRecorder *m_profile;
};

// The live values of one running graph; subgraphs see their parent's frame for outer names.
class Frame
{
public:
    Frame(const GraphProgram &program, const Frame *parent);
    const Value *lookup(const std::string &name) const;

    const GraphProgram &program;
    const Frame *parent;
    std::vector<Value> values; // by slot
};

struct CompileOptions
{
    bool fuse = true; // run the engine's fusion passes (runtime/fusion/fusion_pipeline.cpp)
};

// Nodes whose op has no kernel, collected over the whole model before failing.
struct UnsupportedNode
{
    std::string opType;
    std::string domain;
    int opsetVersion = 0;
    std::string nodeName;
    std::string reason; // empty: no kernel at all; else why the kernel refused this node
};

class GraphProgram
{
public:
    struct Value
    {
        std::string name;
        TensorType type;
        int slot = -1;
    };

    // Fuses `graph` (when asked) and compiles it; its subgraphs are compiled when the kernels of
    // their nodes ask for them. Nodes without a kernel are appended to `unsupported`
    // (compilation goes on so that all of them are listed); other problems fail.
    static Result<std::shared_ptr<const GraphProgram>> compile(
        Graph &graph, const CompileOptions &options, std::vector<UnsupportedNode> &unsupported);

    ~GraphProgram();

    const std::vector<Value> &inputs() const { return m_inputs; }
    const std::vector<Value> &outputs() const { return m_outputs; }
    size_t nodeCount() const { return m_steps.size(); }

    // Runs with `inputs` in the order of inputs(); `parent` resolves outer-scope names.
    // (qs::Value: inside this class, Value names the declaration above.)
    Result<std::vector<qs::Value>> run(std::span<const qs::Value> inputs, RunState &state,
                                       const Frame *parent) const;

    int slotOf(const std::string &name) const; // -1 when the graph does not define it

private:
    friend class GraphCompiler;
    friend class Frame;
    struct Step;

    std::vector<Value> m_inputs;
    std::vector<Value> m_outputs;
    std::vector<std::string> m_slotNames;
    std::unordered_map<std::string, int> m_slotByName;
    // By slot; empty for non-constants. A deque, so that adding a slot (fusion passes add
    // constants) never moves the constants whose addresses passes and KernelInfo already hold.
    std::deque<Tensor> m_constants;
    std::vector<std::pair<int, std::string>> m_outerSlots; // filled from the parent frame
    std::vector<std::unique_ptr<Step>> m_steps;
    std::vector<int> m_releaseUnused;     // values nobody reads, freed as produced
    std::shared_ptr<const Model> m_model; // keeps viewed initializer bytes alive
};

} // namespace qs
