#pragma once
// The Tune page (issue 17): the target (metric and threshold), the evaluation folder, the budget
// (trials, seconds), Start/Cancel with progress and ETA; while a run goes on, the trials appear in
// a live scatter chart (accuracy against latency, size as the disc's area, the Pareto frontier,
// the target line), the per-node sensitivity in a bar chart (a click selects the node in the
// Inspector) and a table. Apply hands a trial's recipe to whoever shows recipes (the main window
// gives it to the Quantize page) and adds the trial's model, when it was saved, as a variant.

#include "quantscope.pb.h"

#include <QWidget>

#include <functional>
#include <memory>

class QDoubleSpinBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace qs::ui {

class JobController;
class SensitivityChart;
class TrialScatterChart;
class TrialTableModel;
class TuneRunner;
class Workbench;

class TunePage : public QWidget
{
    Q_OBJECT

public:
    explicit TunePage(Workbench *workbench, QWidget *parent = nullptr);
    ~TunePage() override;

    JobController *job() const;
    // The run behind Start; null: Start is disabled and its tooltip says so.
    void setRunner(std::shared_ptr<const TuneRunner> runner);
    // Where the starting recipe comes from (the Quantize page's form); default: an empty recipe.
    void setStartRecipe(std::function<quantscope::Recipe()> startRecipe);

    void setEvaluationFolder(const QString &folder);
    // "cosine", "sqnr", "top1", "iou@0.3"
    void setTarget(const QString &metric, double threshold);
    void setBudget(int trials, int seconds);

    TrialTableModel *trials() const;
    TrialScatterChart *scatterChart() const;
    SensitivityChart *sensitivityChart() const;
    QPushButton *startButton() const;
    QPushButton *applyButton() const;
    QTableView *trialTable() const;

public slots:
    void startTune();
    // Applies the trial in `row` of trials(); the selected row when -1.
    void applyTrial(int row = -1);

signals:
    void applyRecipeRequested(const quantscope::Recipe &recipe);
    void showNodeRequested(int nodeId);
    void tuneFinished(bool met);
    void failed(const QString &message);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace qs::ui
