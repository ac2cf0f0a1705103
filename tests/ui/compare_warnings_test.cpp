// The Compare page on tiny models built in code (x -> Sub -> Mul 'gain' -> Sigmoid -> y): the
// report's warnings about a saturated output on the page, in the Diagnostics dock and on the
// table's figures (issue 16, item 6), and verdicts against the targets set on the page, in the
// table's colours (item 4). The page on real models: compare_test.cpp.
#include "compare/bench_warnings.h"
#include "compare/compare_charts.h"
#include "compare/compare_page.h"
#include "compare/latency_noise.h"
#include "compare/report_table_model.h"
#include "model/model.h"
#include "support/model_builder.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QColor>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

#include <qcustomplot.h>

using namespace qs;
using namespace qs::ui;

class CompareWarningsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        ui::test::isolateSettings();
        QVERIFY(m_dir.isValid());
    }
    void saturatedOutputIsWarnedAbout();
    void targetsGiveEachVariantAVerdict();
    void chartsShowEachVariantsVerdict();
    void noisyLatencyIsMarkedInTheTable();

private:
    QTemporaryDir m_dir;
};

namespace {

// x (random: 0..1) -> Sub 0.5 -> Mul 'gain' (k) -> Sigmoid 'sig' -> y: with a large k every
// value of y sits at 0 or 1.
QString writeSigmoidModel(const QString &path, float k)
{
    onnx::ModelProto model = qs::test::makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    qs::test::addInput(g, "x", {1, 10});
    for (const auto &[name, value] : {std::pair{"half", 0.5f}, std::pair{"k", k}}) {
        onnx::TensorProto &t = *g.add_initializer();
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        t.add_float_data(value);
    }
    qs::test::addNode(g, "Sub", {"x", "half"}, {"centred"}, "centre");
    qs::test::addNode(g, "Mul", {"centred", "k"}, {"logits"}, "gain");
    qs::test::addNode(g, "Sigmoid", {"logits"}, {"y"}, "sig");
    qs::test::addOutput(g, "y", {1, 10});
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.write(QByteArray::fromStdString(model.SerializeAsString()));
    return path;
}

} // namespace

// Issue 16, item 6: DeepFM's saturated sigmoid output showed cosine 1.00000 without a word. The
// page says the metric is insensitive there, colours the accuracy figures and fills the
// Diagnostics dock; Clear takes the warning away with the results.
void CompareWarningsTest::saturatedOutputIsWarnedAbout()
{
    const QString reference = writeSigmoidModel(m_dir.filePath(QStringLiteral("sigmoid_ref.onnx")),
                                                1e4f);
    const QString variantPath
        = writeSigmoidModel(m_dir.filePath(QStringLiteral("sigmoid_var.onnx")), 1.2e4f);
    QVERIFY(!reference.isEmpty() && !variantPath.isEmpty());
    auto model = Model::load(reference.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    Workbench workbench;
    workbench.setModel(*model, reference);
    Variant variant;
    variant.path = variantPath;
    variant.kind = QStringLiteral("opened file");
    workbench.variants()->add(variant);
    ComparePage page(&workbench);
    QAbstractItemModelTester resultsTester(page.resultsModel());
    page.setDataFolder(QString());
    page.setSamples(4);
    page.setWarmup(0);
    page.setIterations(2);
    page.setPerNode(true);
    QSignalSpy compared(&page, &ComparePage::compared);
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 1);

    auto *label = page.findChild<QLabel *>(QStringLiteral("compareWarnings"));
    QVERIFY(label);
    QVERIFY(!label->isHidden());
    const QString warnings = page.warningsText();
    QVERIFY2(warnings.contains(QStringLiteral("Output 'y' is saturated")), qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("Sigmoid")), qPrintable(warnings));
    QVERIFY2(warnings.contains(QStringLiteral("real inputs")), qPrintable(warnings));
    bool inDock = false;
    for (const WorkbenchMessage &entry : workbench.messages())
        inDock |= entry.severity == Severity::Warning
                  && entry.message.contains(QStringLiteral("saturated"))
                  && entry.node == QStringLiteral("sig");
    QVERIFY(inDock);

    // The variant's accuracy figures are in doubt: amber, the warning as their tooltip.
    const QModelIndex cosine = page.resultsModel()->index(1, ReportTableModel::CosineColumn);
    QVERIFY(page.resultsModel()->data(cosine, Qt::BackgroundRole).value<QBrush>().style()
            != Qt::NoBrush);
    QVERIFY(page.resultsModel()
                ->data(cosine, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("saturated")));
    // The latency spread columns are filled.
    const QModelIndex spread = page.resultsModel()->index(1, ReportTableModel::RoundSpreadColumn);
    QVERIFY(page.resultsModel()->data(spread).toString().endsWith(QLatin1Char('%')));
    QCOMPARE(page.resultsModel()->headerData(ReportTableModel::P90RatioColumn, Qt::Horizontal,
                                             Qt::DisplayRole),
             QVariant(QStringLiteral("p90/median")));

    page.clearResults();
    QVERIFY(label->isHidden());
    QVERIFY(page.warningsText().isEmpty());
}

// Issue 16, item 4: "which variant should I ship?" answered in the table against the targets
// set on the page, in green or red; a target core refuses stops the comparison with its words.
void CompareWarningsTest::targetsGiveEachVariantAVerdict()
{
    const QString reference = writeSigmoidModel(m_dir.filePath(QStringLiteral("verdict_ref.onnx")),
                                                2.0f);
    const QString variantPath
        = writeSigmoidModel(m_dir.filePath(QStringLiteral("verdict_var.onnx")), 2.0f);
    auto model = Model::load(reference.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    Workbench workbench;
    workbench.setModel(*model, reference);
    Variant variant;
    variant.path = variantPath;
    variant.kind = QStringLiteral("opened file");
    workbench.variants()->add(variant);
    ComparePage page(&workbench);
    page.setDataFolder(QString());
    page.setSamples(2);
    page.setWarmup(0);
    page.setIterations(1);
    page.setPerNode(false);

    QSignalSpy failed(&page, &ComparePage::failed);
    page.setTargets(QStringLiteral("cosine>=0.99 latency<=3"));
    page.startCompare();
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("unknown metric 'latency'")),
             qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(!page.job()->isRunning());

    QSignalSpy compared(&page, &ComparePage::compared);
    page.setTargets(QStringLiteral("cosine>=0.99, smaller>=0.5"));
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 1);
    ReportTableModel *results = page.resultsModel();
    const QModelIndex met = results->index(1, ReportTableModel::VerdictColumn);
    const QString text = results->data(met).toString();
    QVERIFY2(text.startsWith(QStringLiteral("1.0x smaller")), qPrintable(text));
    QVERIFY2(text.endsWith(QStringLiteral(": meets targets")), qPrintable(text));
    QCOMPARE(results->data(met, Qt::BackgroundRole).value<QBrush>().color(), QColor(166, 217, 106));
    QCOMPARE(results->data(results->index(0, ReportTableModel::VerdictColumn)).toString(),
             QStringLiteral("reference"));

    // A target the variant cannot meet: red, with what it missed.
    page.setTargets(QStringLiteral("smaller>=2"));
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    const QModelIndex missed = results->index(1, ReportTableModel::VerdictColumn);
    QVERIFY2(results->data(missed).toString().contains(QStringLiteral("misses smaller>=2 (1.00x)")),
             qPrintable(results->data(missed).toString()));
    QCOMPARE(results->data(missed, Qt::BackgroundRole).value<QBrush>().color(), QColor(215, 48, 39));
}

namespace {

// The fill colour of the bar at `key`, whichever series draws it; invalid when there is none.
QColor barColour(QCustomPlot *plot, double key)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto *bars = qobject_cast<QCPBars *>(plot->plottable(i)))
            for (int j = 0; j < bars->dataCount(); ++j)
                if (bars->dataMainKey(j) == key)
                    return bars->brush().color();
    return QColor();
}

QStringList valueLabels(QCustomPlot *plot)
{
    QStringList texts;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)))
            texts << text->text();
    return texts;
}

} // namespace

// Issue 16, item 4: the verdict was only in the table. On the size, latency and accuracy charts
// each variant's bar takes its verdict's colour (as the table's Verdict cell), carries its figure
// and tells its verdict in a tooltip.
void CompareWarningsTest::chartsShowEachVariantsVerdict()
{
    const QString reference = writeSigmoidModel(m_dir.filePath(QStringLiteral("chart_ref.onnx")),
                                                2.0f);
    const QString same = writeSigmoidModel(m_dir.filePath(QStringLiteral("chart_same.onnx")), 2.0f);
    const QString flipped = writeSigmoidModel(m_dir.filePath(QStringLiteral("chart_flipped.onnx")),
                                              -2.0f);
    auto model = Model::load(reference.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    Workbench workbench;
    workbench.setModel(*model, reference);
    for (const QString &path : {same, flipped}) {
        Variant variant;
        variant.path = path;
        variant.kind = QStringLiteral("opened file");
        workbench.variants()->add(variant);
    }
    ComparePage page(&workbench);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setDataFolder(QString());
    page.setSamples(2);
    page.setWarmup(0);
    page.setIterations(1);
    page.setPerNode(false);
    page.setTargets(QStringLiteral("cosine>=0.99"));
    QSignalSpy compared(&page, &ComparePage::compared);
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 1);
    const quantscope::Report &report = *page.lastReport();
    QVERIFY(report.variants(1).verdict().meets_targets());
    QVERIFY(!report.variants(2).verdict().meets_targets());
    ReportTableModel *results = page.resultsModel();
    const auto verdictColour = [&](int row) {
        return results
            ->data(results->index(row, ReportTableModel::VerdictColumn), Qt::BackgroundRole)
            .value<QBrush>()
            .color();
    };

    for (QCustomPlot *chart : {page.sizeChart(), page.latencyChart(), page.accuracyChart()}) {
        chart->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(barColour(chart, 1), QColor(150, 150, 150)); // the reference
        QCOMPARE(barColour(chart, 2), verdictColour(1));
        QCOMPARE(barColour(chart, 3), verdictColour(2));
        const QStringList figures = valueLabels(chart);
        QCOMPARE(figures.size(), 3);
        for (const QString &figure : figures)
            QVERIFY(!figure.isEmpty());
        // The tooltip over the missing variant's bar (its middle, under the axis's top).
        const QPoint missing(int(chart->xAxis->coordToPixel(3)), chart->axisRect()->bottom() - 2);
        const QString tip = CompareCharts::toolTipAt(chart, missing);
        QVERIFY2(tip.contains(QStringLiteral("chart_flipped.onnx"))
                     && tip.contains(QStringLiteral("misses cosine>=0.99")),
                 qPrintable(tip));
        const QPoint meeting(int(chart->xAxis->coordToPixel(2)), chart->axisRect()->bottom() - 2);
        QVERIFY2(CompareCharts::toolTipAt(chart, meeting).endsWith(QStringLiteral("meets targets")),
                 qPrintable(CompareCharts::toolTipAt(chart, meeting)));
        // Between two bars: no tooltip.
        const QPoint between(int(chart->xAxis->coordToPixel(2.5)), chart->axisRect()->bottom() - 2);
        QCOMPARE(CompareCharts::toolTipAt(chart, between), QString());
    }
    const QStringList accuracy = valueLabels(page.accuracyChart());
    QCOMPARE(accuracy.at(1),
             QString::number(CompareCharts::worstCosine(report.variants(1)), 'f', 5));
}

// Issue 16, item 7: latency moved by the machine's load more than two variants differ. The
// table shows each variant's round spread and paints the latency figures of the pair amber with
// the warning, worded from its code; the third variant, far faster, stays as it was.
void CompareWarningsTest::noisyLatencyIsMarkedInTheTable()
{
    quantscope::Report report;
    const std::vector<std::pair<const char *, std::vector<double>>> timings
        = {{"/m/ref.onnx", {94.0, 96.0, 582.0}},
           {"/m/int8.onnx", {85.0, 88.0, 530.0}},
           {"/m/fp16.onnx", {40.0, 41.0, 42.0}}};
    for (const auto &[path, medians] : timings) {
        auto *variant = report.add_variants();
        variant->set_path(path);
        auto *latency = variant->mutable_latency();
        for (const double median : medians)
            latency->add_round_median_ms(median);
        latency->set_median_ms(medians[1]);
        latency->set_round_variation(roundVariation(medians));
    }
    for (auto &diagnostic : latencyNoiseDiagnostics(report))
        *report.add_diagnostics() = std::move(diagnostic);
    QCOMPARE(report.diagnostics_size(), 1);
    const QString warning = BenchWarnings::text(report.diagnostics(0), report);
    QVERIFY2(warning.startsWith(QStringLiteral("Latency too noisy to rank")), qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("94.0-582.0 ms")), qPrintable(warning));

    ReportTableModel model;
    QAbstractItemModelTester tester(&model);
    model.setReport(report);
    const QModelIndex spread = model.index(1, ReportTableModel::RoundSpreadColumn);
    QCOMPARE(model.data(spread).toString(), QStringLiteral("505.7%")); // (530 - 85) / 88
    QVERIFY(model.data(spread, Qt::BackgroundRole).value<QBrush>().style() != Qt::NoBrush);
    QCOMPARE(model.data(spread, Qt::ToolTipRole).toString(), warning);
    const QModelIndex fast = model.index(2, ReportTableModel::RoundSpreadColumn);
    QCOMPARE(model.data(fast, Qt::BackgroundRole), QVariant());
    QVERIFY2(model.data(fast, Qt::ToolTipRole).toString().contains(QStringLiteral("40.00, 41.00")),
             qPrintable(model.data(fast, Qt::ToolTipRole).toString()));
}

QTEST_MAIN(CompareWarningsTest)
#include "compare_warnings_test.moc"
