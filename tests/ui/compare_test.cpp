// The Compare page on real models: the PaddleOCR cls model as reference and its INT8 dynamic
// quantization (made here with core's quantizer) as variant. A real benchmark runs in the
// background; the charts, the per-node click, the exports and a mismatching variant are checked
// against the report it produced; a running comparison stops without a report when cancelled,
// cleared or when another model opens; the preprocessing editor's values reach the benchmark
// settings.
#include "compare/chart_export.h"
#include "compare/compare_charts.h"
#include "compare/compare_page.h"
#include "compare/compare_settings.h"
#include "compare/report_table_model.h"
#include "model/model.h"
#include "quant/quantizer.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <memory>

using namespace qs;
using namespace qs::ui;
using qs::ui::test::buttonLabelled;

namespace {

// The bars of a chart as (key, value) sorted by key, over all its QCPBars series.
QList<QPair<double, double>> barData(QCustomPlot *plot)
{
    QList<QPair<double, double>> points;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto *bars = qobject_cast<QCPBars *>(plot->plottable(i)))
            for (int j = 0; j < bars->dataCount(); ++j)
                points.append({bars->dataMainKey(j), bars->dataMainValue(j)});
    std::sort(points.begin(), points.end());
    return points;
}

// The text a chart shows over its plot area (why it is empty), or an empty string.
QString chartText(QCustomPlot *plot)
{
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)))
            return text->text();
    return QString();
}

} // namespace

class CompareTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void capsInfiniteValues();
    void comparesReferenceWithInt8Variant();
    void aRunningComparisonStops_data();
    void aRunningComparisonStops();
    void preprocessingReachesTheBenchSettings();
    void mismatchingVariantIsReported();
    void nothingToCompareIsDisabledAndSaysWhy();
    void ortColumnShowsOnnxRuntimeOrHowToGetIt();

private:
    // A Workbench with the cls model open and the INT8 variant listed.
    std::unique_ptr<Workbench> makeWorkbench();

    QTemporaryDir m_dir;
    QString m_referencePath;
    QString m_int8Path;
    std::shared_ptr<const Model> m_model;
};

void CompareTest::initTestCase()
{
    test::isolateSettings();
    QVERIFY(m_dir.isValid());
    m_referencePath = test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
    QVERIFY2(QFileInfo::exists(m_referencePath), qPrintable(m_referencePath));
    auto model = Model::load(m_referencePath.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    m_model = *model;

    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    recipe.set_weight_type(quantscope::QUANT_TYPE_INT8);
    auto quantized = quantizeModel(m_model, recipe, QuantizeSettings{}, silentProgress());
    QVERIFY2(quantized, quantized ? "" : quantized.status().message().c_str());
    m_int8Path = m_dir.filePath(QStringLiteral("cls_int8_dynamic.onnx"));
    const std::string sourceDir = QFileInfo(m_referencePath).absolutePath().toStdString();
    const Status saved = saveQuantizeResult(*quantized, m_int8Path.toStdString(), sourceDir);
    QVERIFY2(saved, saved.message().c_str());
}

std::unique_ptr<Workbench> CompareTest::makeWorkbench()
{
    auto workbench = std::make_unique<Workbench>();
    workbench->setModel(m_model, m_referencePath);
    Variant variant;
    variant.path = m_int8Path;
    variant.kind = QStringLiteral("INT8 dynamic");
    variant.sizeBytes = QFileInfo(m_int8Path).size();
    workbench->variants()->add(variant);
    return workbench;
}

void CompareTest::capsInfiniteValues()
{
    const double inf = std::numeric_limits<double>::infinity();
    const QVector<double> capped = CompareCharts::capInfinite({inf, 12.0, 30.0, -inf});
    for (double value : capped)
        QVERIFY(std::isfinite(value));
    QVERIFY(capped[0] > 30.0);
    QCOMPARE(capped[1], 12.0);
    QVERIFY(capped[3] < 12.0);
    // Only identical tensors (the reference against itself): still a finite bar.
    QVERIFY(std::isfinite(CompareCharts::capInfinite({inf}).front()));
}

void CompareTest::comparesReferenceWithInt8Variant()
{
    auto workbench = makeWorkbench();
    QAbstractItemModelTester variantsTester(workbench->variants());
    ComparePage page(workbench.get());
    QAbstractItemModelTester resultsTester(page.resultsModel());
    QCOMPARE(page.resultsView()->model(), page.resultsModel());
    page.setDataFolder(QString());
    page.setPreprocessing(test::imageSize(48, 192)); // the cls model has a dynamic H and W
    page.setSamples(1);
    page.setWarmup(1);
    page.setIterations(3);
    page.setPerNode(true);

    QSignalSpy compared(&page, &ComparePage::compared);
    QSignalSpy failed(&page, &ComparePage::failed);
    page.startCompare();
    QVERIFY(page.job()->isRunning());
    QVERIFY(test::waitForJob(*page.job()));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(compared.count(), 1);

    // The report: reference first, then the variant.
    QVERIFY(page.lastReport().has_value());
    const quantscope::Report &report = *page.lastReport();
    QCOMPARE(report.variants_size(), 2);
    QCOMPARE(QString::fromStdString(report.variants(1).path()), m_int8Path);
    QCOMPARE(page.resultsModel()->rowCount(), 2);

    // Size: one bar per variant, the files' sizes in MB.
    const auto sizes = barData(page.sizeChart());
    QCOMPARE(sizes.size(), 2);
    QCOMPARE(sizes[0].second, double(QFileInfo(m_referencePath).size()) / 1e6);
    QCOMPARE(sizes[1].second, double(QFileInfo(m_int8Path).size()) / 1e6);
    QVERIFY(sizes[1].second < sizes[0].second);

    // Latency: median bars with p90 whiskers.
    const auto latency = barData(page.latencyChart());
    QCOMPARE(latency.size(), 2);
    QCOMPARE(latency[0].second, report.variants(0).latency().median_ms());
    QCOMPARE(latency[1].second, report.variants(1).latency().median_ms());
    // One set of whiskers per series of bars (the reference's, the variants').
    int whiskers = 0;
    for (int i = 0; i < page.latencyChart()->plottableCount(); ++i)
        if (auto *errors = qobject_cast<QCPErrorBars *>(page.latencyChart()->plottable(i)))
            whiskers += errors->dataCount();
    QCOMPARE(whiskers, 2);

    // Accuracy: one finite bar per variant (the reference's infinite SQNR is capped too).
    const auto accuracy = barData(page.accuracyChart());
    QCOMPARE(accuracy.size(), 2);
    QCOMPARE(accuracy[1].second, CompareCharts::worstCosine(report.variants(1)));

    // The SQNR toggle: the reference against itself is infinitely good, drawn capped.
    auto *metric = page.findChild<QComboBox *>(QStringLiteral("accuracyMetric"));
    QVERIFY(metric);
    metric->setCurrentIndex(1);
    const auto sqnr = barData(page.accuracyChart());
    QCOMPARE(sqnr.size(), 2);
    QVERIFY(std::isinf(CompareCharts::worstSqnr(report.variants(0))));
    QVERIFY(std::isfinite(sqnr[0].second));
    QCOMPARE(sqnr[1].second, CompareCharts::worstSqnr(report.variants(1)));
    QVERIFY(sqnr[0].second > sqnr[1].second);
    QVERIFY(page.accuracyChart()->yAxis->range().upper >= sqnr[0].second);

    // Per node: every entry of the variant, in graph order, finite, the worst 5 in red.
    const auto &variant = report.variants(1);
    QVERIFY(variant.per_node_size() > 0);
    qInfo("%d per-node entries, worst %s %.1f dB", variant.per_node_size(),
          variant.per_node(0).node().c_str(), variant.per_node(0).sqnr_db());
    const auto perNode = barData(page.perNodeChart());
    QCOMPARE(perNode.size(), variant.per_node_size());
    const QList<PerNodePoint> &points = page.perNodePoints();
    QCOMPARE(points.size(), variant.per_node_size());
    for (int i = 1; i < points.size(); ++i)
        QVERIFY2(points[i - 1].nodeId <= points[i].nodeId, qPrintable(points[i].node));
    for (const auto &[key, value] : perNode)
        QVERIFY(std::isfinite(value));
    int worst = 0;
    for (const PerNodePoint &point : points) {
        QCOMPARE(point.nodeId, workbench->nodeIdByName(point.node));
        worst += point.worst ? 1 : 0;
    }
    QCOMPARE(worst, std::min(5, variant.per_node_size()));

    // Click the bar of the worst tensor that a node produces.
    int clicked = -1;
    for (int i = 0; i < variant.per_node_size() && clicked < 0; ++i) {
        const int id = workbench->nodeIdByName(QString::fromStdString(variant.per_node(i).node()));
        if (id >= 0)
            clicked = id;
    }
    QVERIFY(clicked >= 0);
    QCPBars *bars = nullptr;
    int dataIndex = -1;
    for (int i = 0; i < page.perNodeChart()->plottableCount() && dataIndex < 0; ++i) {
        bars = qobject_cast<QCPBars *>(page.perNodeChart()->plottable(i));
        for (int j = 0; bars && j < bars->dataCount() && dataIndex < 0; ++j)
            if (points.at(qRound(bars->dataMainKey(j))).nodeId == clicked)
                dataIndex = j;
    }
    QVERIFY(dataIndex >= 0);
    QSignalSpy showNode(&page, &ComparePage::showNodeRequested);
    emit page.perNodeChart()->plottableClick(bars, dataIndex, nullptr);
    QCOMPARE(workbench->selectedNode(), clicked);
    QCOMPARE(showNode.count(), 1);
    QCOMPARE(showNode.at(0).at(0).toInt(), clicked);
    const QString nodeName = page.clickedNode();
    QCOMPARE(workbench->nodeIdByName(nodeName), clicked);
    QSignalSpy exclusions(workbench.get(), &Workbench::exclusionsChanged);
    page.excludeClickedNode();
    QVERIFY(workbench->isNodeExcluded(nodeName));
    QCOMPARE(exclusions.count(), 1);

    // Exports.
    QTemporaryDir out;
    const QString png = out.filePath(QStringLiteral("size.png"));
    QCOMPARE(ChartExport::savePng(page.sizeChart(), png), QString());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 0 && image.height() > 0);
    const QString svg = out.filePath(QStringLiteral("per_node.svg"));
    QCOMPARE(ChartExport::saveSvg(page.perNodeChart(), svg), QString());
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgText = svgFile.readAll();
    QVERIFY(svgText.startsWith("<?xml") || svgText.contains("<svg"));
    const QString csv = out.filePath(QStringLiteral("results.csv"));
    QCOMPARE(page.exportCsv(csv), QString());
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(csvFile.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // header + reference + variant (the cls model has one output)
    QVERIFY(lines[0].startsWith(QStringLiteral("variant,")));
    QVERIFY(lines[2].startsWith(m_int8Path) || lines[2].contains(QFileInfo(m_int8Path).fileName()));
    // No temporary file of QSaveFile left behind.
    QCOMPARE(QDir(out.path()).entryList(QDir::Files).size(), 3);

    // A new model invalidates the report: its node names belong to the old one.
    workbench->setModel(m_model, m_referencePath);
    QVERIFY(!page.lastReport().has_value());
    QCOMPARE(page.resultsModel()->rowCount(), 0);
}

void CompareTest::aRunningComparisonStops_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("cancel") << "cancel";
    // Clear: the report would replace the results the user has just cleared.
    QTest::newRow("clear") << "clear";
    // Another model opened: the report would name nodes of a model that is gone.
    QTest::newRow("another model") << "model";
}

// However it is stopped, a running comparison ends at once and leaves no report behind.
void CompareTest::aRunningComparisonStops()
{
    QFETCH(QString, how);
    auto workbench = makeWorkbench();
    ComparePage page(workbench.get());
    page.setDataFolder(QString());
    page.setPreprocessing(test::imageSize(48, 192)); // the cls model has a dynamic H and W
    page.setSamples(1);
    page.setWarmup(1);
    page.setIterations(10000);
    page.setPerNode(false);
    QSignalSpy compared(&page, &ComparePage::compared);
    QSignalSpy failed(&page, &ComparePage::failed);
    QSignalSpy finished(page.job(), &JobController::finished);
    page.startCompare();
    QVERIFY(page.job()->isRunning());
    QTest::qWait(1500); // into the timed runs
    QVERIFY(page.job()->isRunning());
    QElapsedTimer clock;
    clock.start();
    if (how == QStringLiteral("cancel")) {
        page.job()->cancel();
    } else if (how == QStringLiteral("clear")) {
        auto *clear = page.findChild<QPushButton *>(QStringLiteral("clearResults"));
        QVERIFY(clear);
        clear->click();
    } else {
        workbench->setModel(m_model, m_referencePath); // another open, here of the same file
    }
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(finished.at(0).at(1).toBool(), true);
    QCOMPARE(compared.count(), 0);
    QCOMPARE(failed.count(), 0); // stopping is not an error
    QVERIFY(!page.lastReport().has_value());
    QCOMPARE(page.resultsModel()->rowCount(), 0);
    QVERIFY(!page.job()->isRunning());
}

// The Compare page edits the whole preprocessing, as the Quantize page does (pixel range and
// NHWC included), and hands it to runBenchmark's settings; random inputs take only the shape.
void CompareTest::preprocessingReachesTheBenchSettings()
{
    auto workbench = makeWorkbench();
    ComparePage page(workbench.get());
    auto *settingsWidget = page.findChild<CompareSettingsWidget *>();
    QVERIFY(settingsWidget);
    auto *range = page.findChild<QComboBox *>(QStringLiteral("prepPixelRange"));
    auto *layout = page.findChild<QComboBox *>(QStringLiteral("prepLayout"));
    auto *mean = page.findChild<QLineEdit *>(QStringLiteral("prepMean"));
    QVERIFY(range && layout && mean);

    page.setDataFolder(test::photosDir());
    page.setPreprocessing(test::imageSize(48, 192));
    range->setCurrentIndex(range->findData(quantscope::PIXEL_RANGE_0_255));
    layout->setCurrentIndex(layout->findData(quantscope::TENSOR_LAYOUT_NHWC));
    mean->setText(QStringLiteral("127.5"));
    BenchSettings settings;
    QString error;
    QVERIFY2(settingsWidget->benchSettings(&settings, &error), qPrintable(error));
    QCOMPARE(QString::fromStdString(settings.dataDir), test::photosDir());
    QCOMPARE(settings.preprocessing.height(), 48);
    QCOMPARE(settings.preprocessing.width(), 192);
    QCOMPARE(settings.preprocessing.pixel_range(), quantscope::PIXEL_RANGE_0_255);
    QCOMPARE(settings.preprocessing.layout(), quantscope::TENSOR_LAYOUT_NHWC);
    QCOMPARE(settings.preprocessing.mean_size(), 1);
    QCOMPARE(settings.preprocessing.mean(0), 127.5f);

    // A value core refuses stops the comparison before it starts, with core's words.
    mean->setText(QStringLiteral("1 2"));
    QVERIFY(!settingsWidget->benchSettings(&settings, &error));
    QVERIFY2(error.contains(QStringLiteral("mean has 2 values")), qPrintable(error));
    QSignalSpy failed(&page, &ComparePage::failed);
    page.startCompare();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.front().front().toString(), error);
    QVERIFY(!page.job()->isRunning());

    // Random inputs: the size and the layout shape the tensors; the rest does not apply.
    page.setDataFolder(QString());
    QVERIFY2(settingsWidget->benchSettings(&settings, &error), qPrintable(error));
    QVERIFY(settings.dataDir.empty());
    QCOMPARE(settings.preprocessing.height(), 48);
    QCOMPARE(settings.preprocessing.layout(), quantscope::TENSOR_LAYOUT_NHWC);
    QCOMPARE(settings.preprocessing.pixel_range(), quantscope::PIXEL_RANGE_UNSPECIFIED);
    QCOMPARE(settings.preprocessing.mean_size(), 0);
    QVERIFY(!mean->isEnabled());
}

void CompareTest::mismatchingVariantIsReported()
{
    auto workbench = makeWorkbench();
    ComparePage page(workbench.get());
    const QString relu = test::backendModel("node/test_relu");
    QVERIFY2(QFileInfo::exists(relu), qPrintable(relu));
    page.addVariantFile(relu);
    QCOMPARE(workbench->variants()->rowCount(), 3);
    QCOMPARE(workbench->variants()->at(2).kind, QStringLiteral("opened file"));
    page.setPreprocessing(test::imageSize(48, 192)); // the cls model has a dynamic H and W
    page.setSamples(1);
    page.setWarmup(0);
    page.setIterations(1);
    QSignalSpy failed(&page, &ComparePage::failed);
    QSignalSpy compared(&page, &ComparePage::compared);
    page.startCompare();
    QVERIFY(test::waitForJob(*page.job()));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(compared.count(), 0);
    QVERIFY(!page.lastReport().has_value());
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("test_relu")), qPrintable(message));
    qInfo("%s", qPrintable(message));
    bool inWorkbench = false;
    for (const WorkbenchMessage &entry : workbench->messages())
        inWorkbench |= entry.severity == Severity::Error && entry.message == message;
    QVERIFY(inWorkbench);

    // Without a model there is nothing to compare with: an error, no job.
    Workbench empty;
    ComparePage emptyPage(&empty);
    QSignalSpy emptyFailed(&emptyPage, &ComparePage::failed);
    emptyPage.startCompare();
    QCOMPARE(emptyFailed.count(), 1);
    QVERIFY(!emptyPage.job()->isRunning());
}

// Issue 16, item 5: with no variant checked, Compare ran the reference against itself for half
// a minute and replaced the previous results; the per-node chart stayed empty without a word.
void CompareTest::nothingToCompareIsDisabledAndSaysWhy()
{
    auto workbench = makeWorkbench();
    ComparePage page(workbench.get());
    page.setDataFolder(QString());
    page.setPreprocessing(test::imageSize(48, 192));
    page.setSamples(1);
    page.setWarmup(0);
    page.setIterations(2);
    page.setPerNode(false);
    QPushButton *compare = buttonLabelled(&page, QStringLiteral("Compare"));
    QVERIFY(compare);
    QVERIFY(compare->isEnabled());
    auto *reason = page.findChild<QLabel *>(QStringLiteral("compareBlockedReason"));
    QVERIFY(reason);
    QVERIFY(reason->isHidden());

    // A comparison without per-node error: its chart says why it is empty.
    QSignalSpy compared(&page, &ComparePage::compared);
    page.startCompare();
    QVERIFY(test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 1);
    QCOMPARE(page.lastReport()->variants_size(), 2);
    QCOMPARE(barData(page.perNodeChart()).size(), 0);
    QVERIFY2(chartText(page.perNodeChart()).contains(QStringLiteral("Per-node error was off")),
             qPrintable(chartText(page.perNodeChart())));
    QVERIFY(compare->isEnabled());

    // The only variant unchecked: Compare is disabled, and the page says why.
    VariantListModel *variants = workbench->variants();
    QVERIFY(variants->setData(variants->index(1, 0), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!compare->isEnabled());
    QVERIFY(!reason->isHidden());
    QVERIFY2(reason->text().contains(QStringLiteral("No variant is checked")),
             qPrintable(reason->text()));
    QCOMPARE(compare->toolTip(), reason->text());

    // Started anyway (Ctrl+Shift+C): no job, the reason as an error, the results kept.
    QSignalSpy failed(&page, &ComparePage::failed);
    page.startCompare();
    QVERIFY(!page.job()->isRunning());
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), reason->text());
    QCOMPARE(page.lastReport()->variants_size(), 2);
    QCOMPARE(page.resultsModel()->rowCount(), 2);

    // Checked again: Compare runs.
    QVERIFY(variants->setData(variants->index(1, 0), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(compare->isEnabled());
    QVERIFY(reason->isHidden());
}

// Issue 16, a second runtime: the ONNX Runtime column shows ORT's median beside ours when the
// runner set in Preferences works, and "not found" with how to get one when it does not.
void CompareTest::ortColumnShowsOnnxRuntimeOrHowToGetIt()
{
    auto workbench = makeWorkbench();
    ComparePage page(workbench.get());
    QAbstractItemModelTester resultsTester(page.resultsModel());
    page.setDataFolder(QString());
    page.setPreprocessing(test::imageSize(48, 192));
    page.setSamples(1);
    page.setWarmup(0);
    page.setIterations(2);
    page.setPerNode(false);
    ReportTableModel *results = page.resultsModel();
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return results->data(results->index(row, column), role).toString();
    };

    settings::setOrtRunner(QStringLiteral("/nonexistent/quantscope-ort-runner.js"));
    QSignalSpy compared(&page, &ComparePage::compared);
    page.startCompare();
    QVERIFY(test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 1);
    QCOMPARE(results->rowCount(), 2);
    QCOMPARE(cell(1, ReportTableModel::OrtColumn), QStringLiteral("not found"));
    const QString how = cell(1, ReportTableModel::OrtColumn, Qt::ToolTipRole);
    QVERIFY2(how.contains(QStringLiteral("npm install onnxruntime-node")), qPrintable(how));
    QVERIFY2(how.contains(QStringLiteral("Preferences")), qPrintable(how));
    // Our own figures are there as before.
    QVERIFY(cell(1, ReportTableModel::MedianColumn).toDouble() > 0);

    qputenv("NODE_PATH", QS_ORT_NODE_MODULES);
    settings::setOrtRunner(QStringLiteral(QS_ORT_RUNNER_JS));
    page.startCompare();
    QVERIFY(test::waitForJob(*page.job()));
    QCOMPARE(compared.count(), 2);
    const quantscope::Report &report = *page.lastReport();
    QVERIFY2(report.ort_runtime().starts_with("onnxruntime-node "), report.ort_runtime().c_str());
    for (int row = 0; row < 2; ++row) {
        QVERIFY2(report.variants(row).ort().error().empty(),
                 report.variants(row).ort().error().c_str());
        bool number = false;
        QVERIFY(cell(row, ReportTableModel::OrtColumn).toDouble(&number) > 0 && number);
        QVERIFY(cell(row, ReportTableModel::OrtRatioColumn).endsWith(QLatin1Char('x')));
        QVERIFY(cell(row, ReportTableModel::OrtColumn, Qt::ToolTipRole)
                    .contains(QStringLiteral("worst cosine")));
    }
    // ORT runs the same float model as ours: the reference's outputs agree.
    QVERIFY(report.variants(0).ort().outputs(0).cosine() > 0.9999);
    settings::setOrtRunner(QString());
}

QTEST_MAIN(CompareTest)
#include "compare_test.moc"
