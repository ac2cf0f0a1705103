// Issue 16: switching the language in Preferences applies at once, without a restart: the menus,
// the pages' labels, the Diagnostics dock's title and headers, and core's coded messages in it
// are worded in Chinese, and in English again after switching back.
#include "compare/bench_warnings.h"
#include "compare/compare_page.h"
#include "diagnostics_dock.h"
#include "graph/graph_page.h"
#include "inspector/inspector_page.h"
#include "main_window.h"
#include "model/model.h"
#include "preferences_dialog.h"
#include "quant/effective_recipe.h"
#include "quantize/quantize_page.h"
#include "translations.h"
#include "ui_test_support.h"
#include "util/diagnostic.h"
#include "workbench/core_messages.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/workbench.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace qs;
using namespace qs::ui;

namespace {

QString fileMenuTitle(MainWindow &window)
{
    const QList<QAction *> menus = window.menuBar()->actions();
    return menus.isEmpty() ? QString() : menus.first()->text();
}

QString perChannelText(MainWindow &window)
{
    auto *box = window.quantizePage()->findChild<QCheckBox *>(QStringLiteral("perChannel"));
    return box ? box->text() : QString();
}

QString dockCell(MainWindow &window, int row, int column)
{
    const DiagnosticsModel *model = window.diagnosticsDock()->model();
    return model->data(model->index(row, column)).toString();
}

QString dockHeader(MainWindow &window, int column)
{
    return window.diagnosticsDock()
        ->model()
        ->headerData(column, Qt::Horizontal, Qt::DisplayRole)
        .toString();
}

// Picks `language` in Edit > Preferences and presses OK, as a user does.
void choosePreferredLanguage(MainWindow &window, const QString &language)
{
    PreferencesDialog dialog(&window);
    auto *combo = dialog.findChildren<QComboBox *>().value(0);
    QVERIFY(combo);
    const int index = combo->findData(language);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    dialog.accept();
}

QString translated(const char *context, const char *text, const char *disambiguation = nullptr)
{
    return QCoreApplication::translate(context, text, disambiguation);
}

// A data file a comparison skipped, as core's runBenchmark puts it in the Report: the English
// line, then the coded message as strings.
quantscope::BenchDiagnostic skippedSampleDiagnostic(const Message &skipped)
{
    quantscope::BenchDiagnostic diagnostic;
    diagnostic.set_code("skipped_sample");
    diagnostic.add_args(englishText(skipped));
    for (const std::string &part : messageToStrings(skipped))
        diagnostic.add_args(part);
    diagnostic.set_message(englishText(skipped));
    return diagnostic;
}

Diagnostic leftInFloatDiagnostic()
{
    return diagnosticOf(Severity::Warning,
                        makeMessage(MessageId::LeftInFloat, {"Conv", "float"},
                                    makeMessage(MessageId::ValueComputedFromInputs,
                                                {"bias", "b_add", "Add"})),
                        "conv2");
}

} // namespace

class LanguageSwitchTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::isolateSettings();
        settings::setLanguage(QStringLiteral("en"));
        installTranslations(*qApp, QStringLiteral("en"));
    }

    void cleanupTestCase() { installTranslations(*qApp, QStringLiteral("en")); }

    void everyCoreMessageIdHasAWording()
    {
        for (const MessageId id : allMessageIds())
            QVERIFY2(!CoreMessages::pattern(id).isEmpty(), messageCode(id).data());
    }

    void aCodedMessageReadsAsCoreInEnglish()
    {
        const Diagnostic diagnostic = leftInFloatDiagnostic();
        QCOMPARE(CoreMessages::text(diagnostic), QString::fromStdString(diagnostic.message));
        const Status status = Status(StatusCode::InvalidArgument,
                                     makeMessage(MessageId::EmptyModelFile))
                                  .withContext("m.onnx");
        QCOMPARE(CoreMessages::text(status), QString::fromStdString(status.message()));
    }

    void switchingLanguageAppliesWithoutRestart()
    {
        MainWindow window;
        window.workbench()->addDiagnostic(leftInFloatDiagnostic());
        window.workbench()->addMessage(Severity::Info, [] {
            return QuantizePage::tr("Quantization cancelled; %1 was not written.")
                .arg(QStringLiteral("out.onnx"));
        });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const QString english = dockCell(window, 0, DiagnosticsModel::MessageColumn);
        QCOMPARE(english, QStringLiteral("Conv left in float: bias comes from node 'b_add' (Add), "
                                         "computed from the model's inputs, not a constant"));
        QCOMPARE(fileMenuTitle(window), QStringLiteral("&File"));
        QCOMPARE(window.pages()->tabText(2), QStringLiteral("Quantize"));
        QCOMPARE(perChannelText(window), QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("Diagnostics"));

        choosePreferredLanguage(window, QStringLiteral("zh_CN"));
        QCOMPARE(settings::language(), QStringLiteral("zh_CN"));
        // The LanguageChange events are posted: the window is Chinese once they are delivered.
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("量化"));
        QCOMPARE(fileMenuTitle(window), QCoreApplication::translate("qs::ui::MainWindow", "&File"));
        QVERIFY(fileMenuTitle(window) != QStringLiteral("&File"));
        QCOMPARE(perChannelText(window), QCoreApplication::translate("qs::ui::QuantizeOptions",
                                                                     "Per-channel weight scales"));
        QVERIFY(perChannelText(window) != QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("诊断"));
        QCOMPARE(dockHeader(window, DiagnosticsModel::MessageColumn), QStringLiteral("消息"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::MessageColumn),
                 QStringLiteral("Conv 保留为浮点：bias 来自节点“b_add”（Add），由模型输入计算得出，"
                                "不是常量"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::NodeColumn), QStringLiteral("conv2"));
        QVERIFY(dockCell(window, 1, DiagnosticsModel::MessageColumn)
                    .contains(QStringLiteral("out.onnx")));
        QVERIFY(!dockCell(window, 1, DiagnosticsModel::MessageColumn)
                     .contains(QStringLiteral("cancelled")));

        choosePreferredLanguage(window, QStringLiteral("en"));
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("Quantize"));
        QCOMPARE(fileMenuTitle(window), QStringLiteral("&File"));
        QCOMPARE(perChannelText(window), QStringLiteral("Per-channel weight scales"));
        QCOMPARE(window.diagnosticsDock()->windowTitle(), QStringLiteral("Diagnostics"));
        QCOMPARE(dockCell(window, 0, DiagnosticsModel::MessageColumn), english);
        // The menus were built again: still one of each, and their shortcuts still work.
        QCOMPARE(window.menuBar()->actions().size(), qsizetype(5));
    }

    // Issue 16's leftovers: combo items filled in code, texts set after construction (a status
    // line, a placeholder, a check box's count), a running job's step named by core, a skipped
    // data file of a comparison and the errors of a recipe are worded again after a switch.
    void lateTextsAndComboItemsFollowTheLanguage()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *mode = window.quantizePage()->findChild<QComboBox *>(QStringLiteral("mode"));
        auto *metric
            = window.comparePage()->findChild<QComboBox *>(QStringLiteral("accuracyMetric"));
        auto *preview
            = window.quantizePage()->findChild<QLabel *>(QStringLiteral("calibrationPreviewInfo"));
        auto *blocked
            = window.comparePage()->findChild<QLabel *>(QStringLiteral("compareBlockedReason"));
        auto *step = window.quantizePage()->findChild<QLabel *>(QStringLiteral("quantizeStep"));
        QCheckBox *hideConstants = window.inspectorPage()->hideConstantsBox();
        auto *overlay = window.graphPage()->findChild<QComboBox *>(QStringLiteral("graphOverlay"));
        QVERIFY(mode && metric && preview && blocked && step && overlay);
        QCOMPARE(overlay->itemText(0), QStringLiteral("Op type"));
        QCOMPARE(mode->itemText(0), QStringLiteral("INT8 dynamic"));
        QCOMPARE(metric->itemText(1), QStringLiteral("Worst SQNR"));
        QCOMPARE(hideConstants->text(), QStringLiteral("Hide Constant nodes (0)"));
        const QString blockedInEnglish = blocked->text();
        QVERIFY(!blockedInEnglish.isEmpty());
        // Set late: when the folder is read, after the page was built.
        const QString folder = QStringLiteral("/no/such/calibration/folder");
        window.quantizePage()->setCalibrationFolder(folder);
        QTRY_COMPARE(preview->text(),
                     QStringLiteral("%1 does not exist or is not a folder.").arg(folder));

        choosePreferredLanguage(window, QStringLiteral("zh_CN"));
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("量化"));
        QCOMPARE(mode->itemText(0), translated("qs::ui::QuantizeOptions", "INT8 dynamic"));
        QVERIFY(mode->itemText(0) != QStringLiteral("INT8 dynamic"));
        QCOMPARE(metric->itemText(1), translated("qs::ui::ComparePage", "Worst SQNR"));
        QVERIFY(metric->itemText(1) != QStringLiteral("Worst SQNR"));
        QCOMPARE(preview->text(),
                 translated("qs::ui::CalibrationPanel", "%1 does not exist or is not a folder.")
                     .arg(folder));
        QVERIFY(!preview->text().contains(QStringLiteral("does not exist")));
        QCOMPARE(hideConstants->text(),
                 translated("qs::ui::InspectorPage", "Hide Constant nodes (%1)").arg(0));
        QVERIFY(hideConstants->text() != QStringLiteral("Hide Constant nodes (0)"));
        QVERIFY(!blocked->text().isEmpty());
        QVERIFY(blocked->text() != blockedInEnglish);
        QCOMPARE(overlay->itemText(0), translated("qs::ui::GraphOverlays", "Op type"));
        QVERIFY(overlay->itemText(0) != QStringLiteral("Op type"));

        // A job's step as core names it (util/progress.h's reportStep), on the page's label.
        std::atomic<bool> release{false};
        JobController *job = window.quantizePage()->job();
        // The title is a tr() call kept as a function: worded again whenever it is shown.
        QVERIFY(job->start(
            [] {
                return QCoreApplication::translate("qs::ui::QuantizePage", "Quantizing %1")
                    .arg(QStringLiteral("m.onnx"));
            },
            [&release](Progress &progress) {
                // What the data holds is coded too (data/sample_source.h's description()).
                progress.reportStep(1, 4,
                                    makeMessage(MessageId::StepCalibratingOn, {},
                                                makeMessage(MessageId::DataItemsIn, {"4", "/data"},
                                                            makeMessage(
                                                                MessageId::DataKindImages))));
                while (!release && !progress.cancelled())
                    QThread::msleep(10);
            },
            [] {}));
        const QString images = translated("CoreMessages", "images", "kind of sample data");
        QVERIFY(images != QStringLiteral("images"));
        const QString data = translated("CoreMessages", "%1 %3 in %2",
                                        "sample data: count, folder, kind")
                                 .arg(QStringLiteral("4"), QStringLiteral("/data"), images);
        const QString calibrating
            = translated("CoreMessages", "calibrating on %1", "progress step").arg(data);
        QVERIFY(!calibrating.startsWith(QStringLiteral("calibrating")));
        QTRY_COMPARE(step->text(), calibrating);
        const QString title
            = translated("qs::ui::QuantizePage", "Quantizing %1").arg(QStringLiteral("m.onnx"));
        QVERIFY(!title.startsWith(QStringLiteral("Quantizing")));
        QCOMPARE(job->title(), title);
        release = true;
        QTRY_VERIFY(!job->isRunning());

        // A skipped data file of a comparison (compare/benchmark.cpp's skipped_sample).
        const Message skipped
            = makeMessage(MessageId::SampleSkipped, {"a.png"},
                          makeMessage(MessageId::CannotDecodeImage, {"bad header"}));
        const QString skippedLine = BenchWarnings::text(skippedSampleDiagnostic(skipped),
                                                        quantscope::Report());
        QCOMPARE(skippedLine, CoreMessages::text(skipped));
        QVERIFY(skippedLine.contains(QStringLiteral("a.png")));
        QVERIFY(skippedLine.contains(QStringLiteral("bad header")));
        QVERIFY(!skippedLine.contains(QStringLiteral("skipped")));

        // A recipe core refuses, and the checker's sentence around ONNX's own (English) reason.
        auto model
            = Model::load(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx").toStdString());
        QVERIFY2(model, model.status().message().c_str());
        quantscope::Recipe recipe;
        recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
        recipe.add_nodes_to_exclude("no_such_node");
        const auto refused = effectiveRecipe(recipe, **model);
        QVERIFY(!refused);
        const QString recipeError = CoreMessages::text(refused.status());
        QVERIFY2(recipeError.contains(QStringLiteral("no_such_node")), qPrintable(recipeError));
        QVERIFY2(!recipeError.contains(QStringLiteral("no node")), qPrintable(recipeError));
        const QString reason = QStringLiteral("Field 'type' of 'value_info' is required");
        const QString invalid = CoreMessages::text(
            Status(StatusCode::InvalidArgument,
                   makeMessage(MessageId::InvalidInputModel, {reason.toStdString()})));
        QVERIFY(invalid.contains(reason));
        QVERIFY(!invalid.contains(QStringLiteral("not a valid ONNX model")));

        choosePreferredLanguage(window, QStringLiteral("en"));
        QTRY_COMPARE(window.pages()->tabText(2), QStringLiteral("Quantize"));
        QCOMPARE(mode->itemText(0), QStringLiteral("INT8 dynamic"));
        QCOMPARE(metric->itemText(1), QStringLiteral("Worst SQNR"));
        QCOMPARE(preview->text(),
                 QStringLiteral("%1 does not exist or is not a folder.").arg(folder));
        QCOMPARE(hideConstants->text(), QStringLiteral("Hide Constant nodes (0)"));
        QCOMPARE(blocked->text(), blockedInEnglish);
        QCOMPARE(overlay->itemText(0), QStringLiteral("Op type"));
    }
};

QTEST_MAIN(LanguageSwitchTest)
#include "language_switch_test.moc"
