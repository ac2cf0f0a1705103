#pragma once
// Where a session's time goes, node by node. The engine fills a ProfileRecorder (given in
// RunOptions::profile) with the wall time of every step of the main graph; summarizeProfile turns
// it into an immutable Profile for the CLI and the GUI.
//
//   ProfileRecorder recorder;
//   RunOptions options;
//   options.profile = &recorder;
//   for (int i = 0; i < 10; ++i) session->run(inputs, options);
//   const Profile profile = summarizeProfile(recorder, 10);
//
// A step is a node as the engine runs it: after fusion, a Conv that absorbed its BatchNorm and
// Relu is one step, named after the Conv. If/Loop bodies are charged to their If/Loop node.

#include "tensor/tensor.h"
#include "util/progress.h"
#include "util/status.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qs {

class Session;

// Sums per step over any number of runs of ONE session. Not thread-safe: give each concurrent
// run its own recorder. After the first run, recording allocates nothing.
class ProfileRecorder
{
public:
    struct StepTotal
    {
        std::string nodeName;
        std::string opType;
        std::chrono::nanoseconds elapsed{0}; // summed over the runs
        int64_t calls = 0;
    };

    // Called by the engine after step `index` (execution order) of the main graph ran. Steps
    // arrive in order, so a new index is always the next one.
    void record(size_t index, const std::string &nodeName, const std::string &opType,
                std::chrono::nanoseconds elapsed)
    {
        if (index == m_steps.size())
            m_steps.push_back({nodeName, opType, {}, 0});
        StepTotal &step = m_steps[index];
        step.elapsed += elapsed;
        ++step.calls;
    }

    const std::vector<StepTotal> &steps() const { return m_steps; }
    void clear() { m_steps.clear(); }

private:
    std::vector<StepTotal> m_steps; // by step index
};

struct NodeTime
{
    std::string name;
    std::string opType;
    double ms = 0.0;    // per iteration
    double share = 0.0; // of Profile::totalMs, 0..1
};

struct OpTypeTime
{
    std::string opType;
    double ms = 0.0; // per iteration, summed over its nodes
    int nodes = 0;
    double share = 0.0;
};

struct Profile
{
    int iterations = 0;
    double totalMs = 0.0;            // per iteration: the sum of the steps (no input checks etc.)
    std::vector<NodeTime> nodes;     // every step, slowest first (ties: execution order)
    std::vector<OpTypeTime> opTypes; // slowest first (ties: by name)
};

// Per-iteration times of what `recorder` collected over `iterations` runs.
Profile summarizeProfile(const ProfileRecorder &recorder, int iterations);

// Runs `warmup` unprofiled iterations (first-run allocations and caches stay out of the figures),
// then `iterations` profiled ones. Cancelled through `progress`, checked before every node.
Result<Profile> profileSession(const Session &session, const std::map<std::string, Tensor> &inputs,
                               int warmup, int iterations, Progress &progress = silentProgress());

} // namespace qs
