#include "runtime/profile.h"

#include "runtime/session.h"

#include <algorithm>

namespace qs {

Profile summarizeProfile(const ProfileRecorder &recorder, int iterations)
{
    Profile profile;
    profile.iterations = iterations;
    const double perIteration = iterations > 0 ? 1.0 / iterations : 0.0;
    std::map<std::string, OpTypeTime> byOpType;
    for (const ProfileRecorder::StepTotal &step : recorder.steps()) {
        const double ms = std::chrono::duration<double, std::milli>(step.elapsed).count()
                          * perIteration;
        profile.nodes.push_back({step.nodeName, step.opType, ms, 0.0});
        OpTypeTime &opType = byOpType[step.opType];
        opType.opType = step.opType;
        opType.ms += ms;
        ++opType.nodes;
        profile.totalMs += ms;
    }
    for (auto &[name, opType] : byOpType)
        profile.opTypes.push_back(opType);

    const double total = profile.totalMs;
    auto shareOf = [total](double ms) { return total > 0.0 ? ms / total : 0.0; };
    for (NodeTime &node : profile.nodes)
        node.share = shareOf(node.ms);
    for (OpTypeTime &opType : profile.opTypes)
        opType.share = shareOf(opType.ms);
    // Stable: equal times keep execution order (nodes) and name order (op types, from the map).
    std::stable_sort(profile.nodes.begin(), profile.nodes.end(),
                     [](const NodeTime &a, const NodeTime &b) { return a.ms > b.ms; });
    std::stable_sort(profile.opTypes.begin(), profile.opTypes.end(),
                     [](const OpTypeTime &a, const OpTypeTime &b) { return a.ms > b.ms; });
    return profile;
}

Result<Profile> profileSession(const Session &session, const std::map<std::string, Tensor> &inputs,
                               int warmup, int iterations, Progress &progress)
{
    if (warmup < 0 || iterations < 1)
        return invalidArgument("profiling needs warmup >= 0 and iterations >= 1, got warmup "
                               + std::to_string(warmup) + " and iterations "
                               + std::to_string(iterations));
    ProfileRecorder recorder;
    RunOptions options;
    options.progress = &progress;
    const int totalRuns = warmup + iterations;
    for (int run = 0; run < totalRuns; ++run) {
        if (progress.cancelled())
            return cancelled("profiling cancelled");
        progress.reportStep(run, totalRuns,
                            makeMessage(run < warmup ? MessageId::StepWarmUpRuns
                                                     : MessageId::StepProfiledRuns));
        options.profile = run < warmup ? nullptr : &recorder;
        Result<NamedTensors> outputs = session.run(inputs, options);
        if (!outputs)
            return outputs.status();
    }
    progress.reportStep(totalRuns, totalRuns, makeMessage(MessageId::StepProfiledRuns));
    return summarizeProfile(recorder, iterations);
}

} // namespace qs
