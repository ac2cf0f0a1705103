// The Tune page with synthetic runs: the trials model (under QAbstractItemModelTester), the
// Pareto frontier, both charts, Start's state, a run's trials and sensitivity arriving live from
// the worker thread, Apply, a sensitivity click selecting the node, and the page in the window.
#include "main_window.h"
#include "quantize/quantize_page.h"
#include "support/model_builder.h"
#include "tune/core_tune_runner.h"
#include "tune/fp16_tune_runner.h"
#include "tune/tune_charts.h"
#include "tune/tune_page.h"
#include "tune/tune_runner.h"
#include "tune/tune_test_models.h"
#include "tune/tune_trials.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include "model/model.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace qs;
using namespace qs::ui;

namespace {

// x -> Relu "first" -> Sigmoid "second" -> Tanh "third" -> y
std::shared_ptr<const Model> smallModel()
{
    using namespace qs::test;
    onnx::ModelProto proto = makeModel(13);
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4});
    addOutput(graph, "y", {1, 4});
    addNode(graph, "Relu", {"x"}, {"a"}, "first");
    addNode(graph, "Sigmoid", {"a"}, {"b"}, "second");
    addNode(graph, "Tanh", {"b"}, {"y"}, "third");
    auto model = Model::fromProto(std::move(proto), ".");
    if (!model)
        qFatal("cannot build the model: %s", model.status().message().c_str());
    return *model;
}

// The tune tests' model whose middle activation overflows float16 (tune_test_models.h).
std::shared_ptr<const Model> overflowModel()
{
    auto model = Model::fromProto(qs::test::fp16OverflowModel(), ".");
    if (!model)
        qFatal("cannot build the model: %s", model.status().message().c_str());
    return *model;
}

TrialPoint trial(int number, double accuracy, double latencyMs, qint64 size, bool meets)
{
    TrialPoint point;
    point.number = number;
    point.description = QStringLiteral("trial %1").arg(number);
    point.accuracy = accuracy;
    point.latencyMs = latencyMs;
    point.sizeBytes = size;
    point.meets = meets;
    point.recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    point.recipe.add_nodes_to_exclude("second");
    return point;
}

// Reports the given trials and one sensitivity figure per node, then says the last meeting
// trial is the best; waits for `release` when given, so a test can cancel mid-run.
class SyntheticRunner : public TuneRunner
{
public:
    QList<TrialPoint> trials;
    std::atomic<bool> *release = nullptr;
    bool withSensitivity = true;

    TuneRunOutcome run(const TuneRequest &request, const TuneRunCallbacks &callbacks,
                       Progress &progress) const override
    {
        for (const QString &node :
             {QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("third")}) {
            if (withSensitivity)
                callbacks.sensitivity({node, node == QLatin1String("second") ? 0.2 : 0.01});
        }
        TuneRunOutcome outcome;
        for (int i = 0; i < trials.size(); ++i) {
            while (release && !*release && !progress.cancelled())
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            if (progress.cancelled()) {
                outcome.cancelled = true;
                return outcome;
            }
            progress.report(i, trials.size(), "trials");
            callbacks.trial(trials[i]);
            if (trials[i].meets && trials[i].accuracy >= request.threshold) {
                outcome.met = true;
                outcome.bestTrial = i;
            }
        }
        outcome.summary = QStringLiteral("done");
        return outcome;
    }
};

} // namespace

class TuneTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qs::ui::test::isolateSettings(); }

    void trialModelPassesTheTesterAndFindsTheBest()
    {
        TrialTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.bestRow(), -1);
        model.addTrial(trial(1, 0.95, 3.0, 1000, false));
        model.addTrial(trial(2, 0.995, 5.0, 2000, true));
        model.addTrial(trial(3, 0.992, 4.0, 1500, true));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(TrialTableModel::ColumnCount));
        QCOMPARE(model.bestRow(), 2); // the faster of the two meeting the target
        QCOMPARE(model.index(1, TrialTableModel::LatencyColumn)
                     .data(TrialTableModel::SortRole)
                     .toDouble(),
                 5.0);
        QCOMPARE(model.index(0, TrialTableModel::MeetsColumn).data().toString(),
                 QStringLiteral("no"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void paretoFrontierKeepsTheUnbeatenTrials()
    {
        const QList<TrialPoint> points = {
            trial(1, 0.90, 2.0, 1, false), // fastest
            trial(2, 0.95, 3.0, 1, true),  // slower, more accurate: on the frontier
            trial(3, 0.93, 4.0, 1, true),  // beaten by 2 on both
            trial(4, 0.99, 6.0, 1, true),  // most accurate
            trial(5, 0.99, 7.0, 1, true),  // as accurate as 4 but slower
        };
        QCOMPARE(paretoFrontier(points), (QList<int>{0, 1, 3}));
        QVERIFY(paretoFrontier({}).isEmpty());
    }

    void scatterChartDrawsTrialsFrontierAndTarget()
    {
        TrialScatterChart chart;
        chart.setTarget(0.95);
        chart.setTrials({trial(1, 0.90, 2.0, 1000, false), trial(2, 0.97, 3.0, 4000, true),
                         trial(3, 0.93, 4.0, 2000, false)});
        QCOMPARE(chart.trialCount(), 3);
        QCOMPARE(chart.frontier(), (QList<int>{0, 1}));
        QCOMPARE(chart.graphCount(), 3 + 1); // one disc per trial, and the frontier line
        QCOMPARE(chart.graph(1)->data()->size(), 1);
        QCOMPARE(chart.graph(1)->data()->begin()->value, 0.97);
        QCOMPARE(chart.graph(3)->data()->size(), 2);
        // Area grows with size: the largest model has the largest disc.
        QVERIFY(chart.graph(1)->scatterStyle().size() > chart.graph(2)->scatterStyle().size());
        QVERIFY(chart.graph(2)->scatterStyle().size() > chart.graph(0)->scatterStyle().size());
        QVERIFY(chart.yAxis->range().contains(0.95));
        QCOMPARE(chart.target(), 0.95);
        // An untimed trial (core/tune's sensitivity trials) stays in the table, not on the chart.
        chart.setTrials({trial(1, 0.90, 0.0, 1000, false), trial(2, 0.97, 3.0, 4000, true)});
        QCOMPARE(chart.graphCount(), 1);
        QCOMPARE(chart.graph(0)->property("trial").toInt(), 1);
        QCOMPARE(chart.frontier(), QList<int>{1});
        chart.setTrials({});
        QCOMPARE(chart.graphCount(), 0);
    }

    void sensitivityBarsEmitTheClickedNode()
    {
        SensitivityChart chart;
        chart.setPoints({{QStringLiteral("first"), 0.01}, {QStringLiteral("second"), 0.3}});
        chart.addPoint({QStringLiteral("third"), 0.02});
        QCOMPARE(chart.points().size(), 3);
        auto *bars = qobject_cast<QCPBars *>(chart.plottable(0));
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), 3);
        QSignalSpy selected(&chart, &SensitivityChart::nodeSelected);
        chart.selectBar(1);
        chart.selectBar(7); // no bar there
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().front().toString(), QStringLiteral("second"));
    }

    void startNeedsAModelAndARunner()
    {
        Workbench workbench;
        TunePage page(&workbench);
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(!page.startButton()->toolTip().isEmpty());
        page.setRunner(std::make_shared<SyntheticRunner>());
        QVERIFY(!page.startButton()->isEnabled()); // still no model
        workbench.setModel(smallModel(), QStringLiteral("small.onnx"));
        QVERIFY(page.startButton()->isEnabled());
        QVERIFY(!page.applyButton()->isEnabled()); // nothing selected
    }

    void runFillsTableAndChartsLiveAndAppliesTheBest()
    {
        Workbench workbench;
        workbench.setModel(smallModel(), QStringLiteral("small.onnx"));
        TunePage page(&workbench);
        QAbstractItemModelTester tester(page.trials(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto runner = std::make_shared<SyntheticRunner>();
        runner->trials = {trial(1, 0.93, 2.0, 1000, false), trial(2, 0.991, 3.0, 1200, true),
                          trial(3, 0.995, 5.0, 1500, true)};
        page.setRunner(runner);
        page.setTarget(QStringLiteral("cosine"), 0.99);
        QSignalSpy finished(&page, &TunePage::tuneFinished);
        page.startTune();
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().front().toBool(), true);
        QCOMPARE(page.trials()->rowCount(), 3);
        QCOMPARE(page.scatterChart()->trialCount(), 3);
        QCOMPARE(page.scatterChart()->target(), 0.99);
        QCOMPARE(page.sensitivityChart()->points().size(), 3);
        QVERIFY(page.sensitivityChart()->message().isEmpty());
        QVERIFY(page.startButton()->isEnabled());
        // The run's best (the last meeting trial) is selected, so Apply takes it.
        QVERIFY(page.applyButton()->isEnabled());
        QSignalSpy applied(&page, &TunePage::applyRecipeRequested);
        page.applyButton()->click();
        QCOMPARE(applied.size(), 1);
        const auto recipe = applied.front().front().value<quantscope::Recipe>();
        QCOMPARE(recipe.nodes_to_exclude_size(), 1);

        // A click on the "second" bar selects that node for the Inspector.
        QSignalSpy shown(&page, &TunePage::showNodeRequested);
        page.sensitivityChart()->selectBar(1);
        QCOMPARE(workbench.selectedNode(), workbench.nodeIdByName(QStringLiteral("second")));
        QCOMPARE(shown.size(), 1);
    }

    void cancelKeepsTheTrialsSoFarAndAnotherModelClearsThem()
    {
        Workbench workbench;
        workbench.setModel(smallModel(), QStringLiteral("small.onnx"));
        TunePage page(&workbench);
        std::atomic<bool> release{false};
        auto runner = std::make_shared<SyntheticRunner>();
        runner->trials = {trial(1, 0.9, 2.0, 1000, false), trial(2, 0.95, 3.0, 1000, false)};
        runner->release = &release;
        page.setRunner(runner);
        QSignalSpy finished(&page, &TunePage::tuneFinished);
        page.startTune();
        QTRY_COMPARE(page.sensitivityChart()->points().size(), 3);
        page.job()->cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.front().front().toBool(), false);
        QCOMPARE(page.trials()->rowCount(), 0);
        QCOMPARE(page.sensitivityChart()->points().size(), 3);
        workbench.setModel(smallModel(), QStringLiteral("other.onnx"));
        QCOMPARE(page.sensitivityChart()->points().size(), 0);
    }

    void fp16RunnerReportsMeasuredTrialsAndTheMinimalList()
    {
        TuneRequest request;
        request.model = overflowModel();
        request.start.set_mode(quantscope::QUANT_MODE_FP16);
        request.metric = QStringLiteral("cosine");
        request.threshold = 0.999;
        QList<TrialPoint> trials;
        TuneRunCallbacks callbacks;
        callbacks.trial = [&](const TrialPoint &point) { trials.append(point); };
        const TuneRunOutcome outcome = Fp16TuneRunner().run(request, callbacks, silentProgress());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(outcome.met);
        QVERIFY(trials.size() > 2);
        QVERIFY(outcome.bestTrial >= 0 && outcome.bestTrial < trials.size());
        const TrialPoint &best = trials.at(outcome.bestTrial);
        QVERIFY(best.meets);
        QVERIFY(best.accuracy >= 0.999);
        QVERIFY(best.latencyMs > 0);
        QVERIFY(best.sizeBytes > 0);
        QCOMPARE(best.keptFloat, 3);
        QCOMPARE(best.recipe.mode(), quantscope::QUANT_MODE_FP16);
        QCOMPARE(best.recipe.fp16().node_block_list_size(), 3);
        QCOMPARE(best.recipe.fp16().node_block_list(2), std::string("down1"));
        QVERIFY(!trials.front().meets); // up2 and relu alone: down1 overflows

        request.start.set_mode(quantscope::QUANT_MODE_STATIC);
        QVERIFY(!Fp16TuneRunner().run(request, callbacks, silentProgress()).error.isEmpty());
    }

    void coreRunnerSavesBesideTheModel()
    {
        QCOMPARE(CoreTuneRunner::tunedModelPath(QStringLiteral("/data/det.onnx")),
                 QStringLiteral("/data/det_tuned.onnx"));
        // A metric core/tune does not know is an error the page shows, not a crash.
        TuneRequest request;
        request.model = smallModel();
        request.start.set_mode(quantscope::QUANT_MODE_STATIC);
        request.metric = QStringLiteral("bogus");
        const TuneRunOutcome outcome = TuneRouter().run(request, {}, silentProgress());
        QVERIFY(!outcome.error.isEmpty());
    }

    // A real INT8 run through the page: core/tune's MLP whose fc2 breaks cosine when quantized.
    void int8RunThroughRunTuneStreamsTrialsAndSavesTheBest()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Workbench workbench;
        workbench.setModel(qs::test::sensitiveMlpModel(), dir.filePath(QStringLiteral("mlp.onnx")));
        TunePage page(&workbench);
        page.setRunner(std::make_shared<TuneRouter>());
        page.setStartRecipe([] {
            quantscope::Recipe recipe;
            recipe.set_mode(quantscope::QUANT_MODE_STATIC);
            return recipe;
        });
        page.setTarget(QStringLiteral("cosine"), 0.99);
        QSignalSpy finished(&page, &TunePage::tuneFinished);
        QSignalSpy failed(&page, &TunePage::failed);
        page.startTune();
        QVERIFY(finished.wait(120000) || !failed.isEmpty());
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.front().front().toString()));
        QCOMPARE(finished.front().front().toBool(), true);
        QVERIFY(page.trials()->rowCount() >= 3);
        QVERIFY(!page.sensitivityChart()->points().isEmpty());
        QVERIFY(page.scatterChart()->graphCount() >= 1);
        const QString tuned = dir.filePath(QStringLiteral("mlp_tuned.onnx"));
        QVERIFY(QFileInfo::exists(tuned));
        QSignalSpy applied(&page, &TunePage::applyRecipeRequested);
        page.applyTrial();
        QCOMPARE(applied.size(), 1);
        QVERIFY(applied.front().front().value<quantscope::Recipe>().nodes_to_exclude_size() >= 1);
        bool added = false;
        for (const Variant &variant : workbench.variants()->variants())
            added = added || variant.path == tuned;
        QVERIFY(added);
    }

    void windowShowsTheTuneTabAndApplyFillsQuantize()
    {
        MainWindow window;
        QTabWidget *tabs = window.pages();
        // Inspector, Graph, Quantize, Compare, Tune: the last page.
        QCOMPARE(tabs->count(), 5);
        QCOMPARE(tabs->widget(tabs->count() - 1), window.tunePage());
        window.workbench()->setModel(smallModel(), QStringLiteral("small.onnx"));
        auto runner = std::make_shared<SyntheticRunner>();
        runner->trials = {trial(1, 0.995, 3.0, 1200, true)};
        window.tunePage()->setRunner(runner);
        runner->withSensitivity = false;
        QSignalSpy finished(window.tunePage(), &TunePage::tuneFinished);
        window.tunePage()->startTune();
        QVERIFY(finished.wait(10000));
        // No sensitivity figures: the empty chart says so.
        QVERIFY(!window.tunePage()->sensitivityChart()->message().isEmpty());
        window.tunePage()->applyTrial(0);
        QCOMPARE(tabs->currentWidget(), window.quantizePage());
        QVERIFY(window.workbench()->isNodeExcluded(QStringLiteral("second")));
        QCOMPARE(window.quantizePage()->currentRecipe().mode(), quantscope::QUANT_MODE_STATIC);
    }
};

QTEST_MAIN(TuneTest)
#include "tune_test.moc"
