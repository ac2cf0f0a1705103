#pragma once
// The time overlay's measurement: every node of the FP32 model, and of the variant beside it,
// timed by the engine's profile (runtime/profile.h's profileSession, as `quantscope-cli run
// --profile` does) on one random sample sized by the model's shared preprocessing (its image
// size), in the background. The overlay paints each node's milliseconds as a share of the FP32
// model's total, on both panes.

#include "quantscope.pb.h"
#include "runtime/profile.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace qs {
class Model;
}

namespace qs::ui {

class JobController;
class Workbench;

struct ModelTimes
{
    QHash<QString, double> ms; // display name -> milliseconds per run
    double totalMs = 0;        // per run, the sum of the steps
};

struct NodeTimes
{
    ModelTimes reference;
    ModelTimes variant; // empty when no variant was shown
    QString error;      // why a model could not be timed
};

// One random sample (seed 1; dynamic dims by openSampleSource's rule), one warm-up run, then
// `iterations` profiled runs. No Qt.
Result<Profile> profileOnRandomSample(const std::shared_ptr<const Model> &model,
                                      const quantscope::ImagePreprocessing &preprocessing,
                                      int threads, int iterations, Progress &progress);

ModelTimes modelTimes(const Profile &profile);

class NodeTimer : public QObject
{
    Q_OBJECT

public:
    explicit NodeTimer(Workbench *workbench, QObject *parent = nullptr);

    JobController *job() const { return m_job; }
    // Times `reference` and, when given, `variant`; a running measurement is superseded.
    void measure(std::shared_ptr<const Model> reference, std::shared_ptr<const Model> variant);

signals:
    void measured(const qs::ui::NodeTimes &times);

private:
    Workbench *m_workbench;
    JobController *m_job;
};

} // namespace qs::ui
