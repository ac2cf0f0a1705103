#include "graph_profile.h"

#include "data/sample_source.h"
#include "runtime/session.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/workbench.h"

namespace qs::ui {

Result<Profile> profileOnRandomSample(const std::shared_ptr<const Model> &model,
                                      const quantscope::ImagePreprocessing &preprocessing,
                                      int threads, int iterations, Progress &progress)
{
    auto session = Session::create(model, sessionOptions(threads), progress);
    if (!session)
        return session.status();
    SampleSourceSettings settings;
    settings.maxSamples = 1;
    settings.seed = 1;
    settings.preprocessing = preprocessing;
    auto source = openSampleSource(inputSpecs(**session), settings);
    if (!source)
        return source.status();
    auto sample = (*source)->next();
    if (!sample)
        return sample.status();
    if (!sample->has_value())
        return invalidArgument("no random sample for the model's inputs");
    return profileSession(**session, (*sample)->inputs, /*warmup=*/1, iterations, progress);
}

ModelTimes modelTimes(const Profile &profile)
{
    ModelTimes times;
    times.totalMs = profile.totalMs;
    for (const NodeTime &node : profile.nodes)
        times.ms.insert(QString::fromStdString(node.name), node.ms);
    return times;
}

NodeTimer::NodeTimer(Workbench *workbench, QObject *parent)
    : QObject(parent)
    , m_workbench(workbench)
    , m_job(new JobController(workbench, this, JobController::Runs::OnEngineThread,
                              JobController::WhenBusy::Supersede))
{}

void NodeTimer::measure(std::shared_ptr<const Model> reference, std::shared_ptr<const Model> variant)
{
    if (!reference)
        return;
    const quantscope::ImagePreprocessing preprocessing = m_workbench->preprocessing();
    const int threads = settings::threads();
    m_job->run<NodeTimes>([] { return tr("Timing every node"); },
                          [=](Progress &progress) {
                              // Few runs: the overlay shows where time goes, not a benchmark (Compare is that).
                              constexpr int kIterations = 3;
                              NodeTimes times;
                              for (const auto &[model, out] :
                                   {std::pair{reference, &times.reference},
                                    std::pair{variant, &times.variant}}) {
                                  if (!model)
                                      continue;
                                  auto profile = profileOnRandomSample(model, preprocessing,
                                                                       threads, kIterations,
                                                                       progress);
                                  if (!profile) {
                                      times.error
                                          = QString::fromStdString(profile.status().message());
                                      break;
                                  }
                                  *out = modelTimes(*profile);
                              }
                              return times;
                          },
                          [this](NodeTimes times) { emit measured(times); });
}

} // namespace qs::ui
