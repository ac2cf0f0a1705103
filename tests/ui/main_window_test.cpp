// The whole window as a user drives it: open (good and corrupt files), the status bar facts,
// quantize then compare through the pages, a job cancelled by closing the window or by opening
// another model (after a question), the About versions and the Chinese translation being loaded.
#include "about_dialog.h"
#include "compare/chart_export.h"
#include "compare/compare_page.h"
#include "diagnostics_dock.h"
#include "inspector/inspector_page.h"
#include "main_window.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quantize/calibration_panel.h"
#include "quantize/quantize_page.h"
#include "translations.h"
#include "tune/tune_page.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>

#include <qcustomplot.h>

using namespace qs;
using namespace qs::ui;
using qs::ui::test::buttonLabelled;

namespace {

const char *kClsModel = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

bool openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(path);
    return opened.wait(60000);
}

// Runs `trigger`, which opens a file dialog, and returns the folder the dialog opened in; the
// dialog then chooses `choose` (a file or folder) or, when it is empty, is cancelled.
QString dialogStartFolder(const std::function<void()> &trigger, const QString &choose = QString())
{
    QString seen;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        poll.stop();
        seen = dialog->directory().absolutePath();
        if (choose.isEmpty()) {
            dialog->reject();
        } else if (QFileInfo(choose).isDir()) {
            dialog->setDirectory(choose); // a folder dialog accepts the folder it shows
            static_cast<QDialog *>(dialog)->accept();
        } else {
            dialog->selectFile(choose);
            static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), protected
        }
    });
    poll.start();
    trigger();
    return seen;
}

} // namespace

class MainWindowTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::isolateSettings(); }

    void opensAModelOffTheGuiThread()
    {
        MainWindow window;
        window.show();
        QAbstractItemModelTester tester(window.diagnosticsDock()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(openAndWait(window, test::ocrModel(kClsModel)));
        QVERIFY(window.windowTitle().contains(QString::fromUtf8(kClsModel)));
        const auto &model = window.workbench()->model();
        QVERIFY(model);
        // Every node but the Constants, which the node table hides by default.
        const auto &nodes = model->index().nodes();
        QCOMPARE(window.inspectorPage()->filteredNodes()->rowCount(),
                 int(std::count_if(nodes.begin(), nodes.end(), [](const NodeInfo &node) {
                     return node.opType != "Constant";
                 })));
        QVERIFY2(window.modelFactsText().contains(QStringLiteral("IR ")),
                 qPrintable(window.modelFactsText()));
        QVERIFY(window.modelFactsText().contains(QStringLiteral("ai.onnx")));
        QCOMPARE(window.diagnosticsDock()->model()->rowCount(),
                 int(window.workbench()->messages().size()));
    }

    void aCorruptFileShowsTheCoreReason()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("corrupt.onnx"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a protobuf, just text pretending to be a model");
        file.close();
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::openFailed);
        window.openModel(path);
        QVERIFY(failed.wait(30000));
        const QString message = failed.front().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("corrupt.onnx")), qPrintable(message));
        QVERIFY(!window.workbench()->model());
        QVERIFY(!window.workbench()->messages().isEmpty());
        QCOMPARE(window.workbench()->messages().back().severity, Severity::Error);
        // The dialog is open (non-blocking); the window still works.
        QVERIFY(openAndWait(window, test::ocrModel(kClsModel)));
    }

    // What `make run` sets up (the sample recipe, the photos as calibration folder), then
    // Quantize and Compare as a newcomer would press them.
    void sampleRecipeQuantizesThenComparesWithCharts()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, test::ocrModel(kClsModel)));
        QVERIFY(window.applyRecipeFile(QStringLiteral(QS_SAMPLE_RECIPE)));
        QuantizePage *quantize = window.quantizePage();
        quantize->setCalibrationFolder(test::photosDir());
        QCOMPARE(quantize->currentRecipe().mode(), quantscope::QUANT_MODE_STATIC);
        QCOMPARE(quantize->currentRecipe().calibration().preprocessing().height(), 48);
        const QString output = dir.filePath(QStringLiteral("cls_int8.onnx"));
        quantize->setOutputPath(output);
        QSignalSpy quantized(quantize, &QuantizePage::quantized);
        QSignalSpy quantizeFailed(quantize, &QuantizePage::failed);
        quantize->startQuantize();
        QTRY_VERIFY_WITH_TIMEOUT(!quantized.isEmpty() || !quantizeFailed.isEmpty(), 300000);
        QVERIFY2(quantizeFailed.isEmpty(),
                 quantizeFailed.isEmpty() ? ""
                                          : qPrintable(quantizeFailed.front().at(0).toString()));
        QVERIFY(QFile::exists(output));
        QCOMPARE(window.workbench()->variants()->rowCount(), 2);

        ComparePage *compare = window.comparePage();
        compare->setSamples(1);
        compare->setIterations(3);
        QSignalSpy compared(compare, &ComparePage::compared);
        QSignalSpy failed(compare, &ComparePage::failed);
        compare->startCompare();
        QTRY_VERIFY_WITH_TIMEOUT(!compared.isEmpty() || !failed.isEmpty(), 300000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.front().at(0).toString()));
        QVERIFY(compare->lastReport());
        QCOMPARE(compare->lastReport()->variants_size(), 2);
        QVERIFY(compare->sizeChart()->plottableCount() > 0);
        QVERIFY(compare->latencyChart()->plottableCount() > 0);
        QVERIFY(compare->perNodeChart()->plottableCount() > 0);
        // QS_UI_SCREENSHOTS=DIR keeps a picture of each page, for reviewing the layout.
        const QString screenshots = qEnvironmentVariable("QS_UI_SCREENSHOTS");
        if (!screenshots.isEmpty()) {
            window.resize(1400, 900);
            for (int page = 0; page < window.pages()->count(); ++page) {
                window.pages()->setCurrentIndex(page);
                QCoreApplication::processEvents();
                window.grab().save(QStringLiteral("%1/page%2.png").arg(screenshots).arg(page));
            }
        }
    }

    void closingTheWindowCancelsARunningJob()
    {
        auto window = std::make_unique<MainWindow>();
        window->show();
        QVERIFY(openAndWait(*window, test::ocrModel(kClsModel)));
        QTemporaryDir dir;
        window->comparePage()->addVariantFile(
            test::copyOfModel(test::ocrModel(kClsModel), dir.path()));
        window->comparePage()->setPreprocessing(test::imageSize(48, 192));
        window->comparePage()->setIterations(100000);
        window->comparePage()->startCompare();
        QVERIFY(window->comparePage()->job()->isRunning());
        QTest::qWait(300);
        QElapsedTimer clock;
        clock.start();
        window->close();
        QVERIFY(!window->comparePage()->job()->isRunning());
        qInfo() << "closed with a running benchmark in" << clock.elapsed() << "ms";
        window.reset();
    }

    // Opening a model while a job runs asks first (without blocking): No keeps the job and the
    // open model; Yes cancels the job and opens the new one.
    void openingDuringAJobAsksFirst()
    {
        MainWindow window;
        window.show();
        const QString cls = test::ocrModel(kClsModel);
        const QString det = test::ocrModel("ch_PP-OCRv4_det_infer.onnx");
        QVERIFY(openAndWait(window, cls));
        ComparePage *compare = window.comparePage();
        QTemporaryDir dir;
        compare->addVariantFile(test::copyOfModel(cls, dir.path()));
        compare->setPreprocessing(test::imageSize(48, 192));
        compare->setIterations(100000);
        compare->setPerNode(false);
        QSignalSpy finished(compare->job(), &JobController::finished);
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        compare->startCompare();
        QVERIFY(compare->job()->isRunning());

        window.openModel(det);
        auto *question = window.findChild<QMessageBox *>(QStringLiteral("cancelJobsQuestion"));
        QVERIFY(question);
        QVERIFY(question->isVisible());
        QVERIFY(question->informativeText().contains(compare->job()->title()));
        question->button(QMessageBox::No)->click();
        QTest::qWait(300);
        QVERIFY(compare->job()->isRunning());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(opened.count(), 0);
        QCOMPARE(window.workbench()->modelPath(), cls);
        QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("cancelJobsQuestion")));

        window.openModel(det);
        question = window.findChild<QMessageBox *>(QStringLiteral("cancelJobsQuestion"));
        QVERIFY(question);
        question->button(QMessageBox::Yes)->click();
        QVERIFY(finished.count() == 1 || finished.wait(10000));
        QCOMPARE(finished.front().at(1).toBool(), true);
        QVERIFY(opened.count() == 1 || opened.wait(60000));
        QCOMPARE(opened.front().front().toString(), det);
        QCOMPARE(window.workbench()->modelPath(), det);
        QVERIFY(!compare->lastReport());
    }

    // Issue 16: dialogs opened in the process's working directory. They start in the open
    // model's folder, then in the folder last chosen for their kind of file, until another
    // model opens.
    void dialogsStartInTheModelsFolder()
    {
        QTemporaryDir modelDir, elsewhere, calibration;
        const QString model = test::copyOfModel(test::ocrModel(kClsModel), modelDir.path());
        QVERIFY(!model.isEmpty());
        const QString modelFolder = QFileInfo(model).absolutePath();
        const QString previousCurrent = QDir::currentPath();
        QVERIFY(QDir::setCurrent(elsewhere.path()));
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, model));

        QuantizePage *quantize = window.quantizePage();
        QPushButton *loadRecipe = buttonLabelled(quantize, QStringLiteral("Load Recipe..."));
        QPushButton *saveRecipe = buttonLabelled(quantize, QStringLiteral("Save Recipe..."));
        QPushButton *calibrationBrowse = buttonLabelled(quantize->calibrationPanel(),
                                                        QStringLiteral("Browse..."));
        QPushButton *tuneBrowse = buttonLabelled(window.tunePage(), QStringLiteral("Browse..."));
        QVERIFY(loadRecipe && saveRecipe && calibrationBrowse && tuneBrowse);
        QCOMPARE(dialogStartFolder([&] { loadRecipe->click(); }), modelFolder);
        QCOMPARE(dialogStartFolder([&] { saveRecipe->click(); }), modelFolder);
        QCOMPARE(dialogStartFolder([&] { calibrationBrowse->click(); }), modelFolder);
        QCOMPARE(dialogStartFolder([&] { tuneBrowse->click(); }), modelFolder);
        QCOMPARE(dialogStartFolder([&] {
                     ChartExport::askSavePath(window.comparePage(), window.workbench(),
                                              QStringLiteral("Export"),
                                              QStringLiteral("comparison.csv"),
                                              QStringLiteral("CSV files (*.csv)"));
                 }),
                 modelFolder);
        QAction *openModel = nullptr;
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == QStringLiteral("&Open Model..."))
                openModel = action;
        QVERIFY(openModel);
        QCOMPARE(dialogStartFolder([&] { openModel->trigger(); }), modelFolder);

        // A calibration folder chosen: the next calibration dialog (on any page) starts there;
        // the other kinds still start in the model's folder.
        const QString chosen = QFileInfo(calibration.path()).absoluteFilePath();
        dialogStartFolder([&] { calibrationBrowse->click(); }, chosen);
        QCOMPARE(QFileInfo(quantize->calibrationPanel()->folder()).absoluteFilePath(), chosen);
        quantize->setCalibrationFolder(QString());
        QCOMPARE(dialogStartFolder([&] { calibrationBrowse->click(); }), chosen);
        QCOMPARE(dialogStartFolder([&] { tuneBrowse->click(); }), chosen);
        QCOMPARE(dialogStartFolder([&] { loadRecipe->click(); }), modelFolder);

        // Another model: its folder again.
        QVERIFY(openAndWait(window, model));
        QCOMPARE(dialogStartFolder([&] { calibrationBrowse->click(); }), modelFolder);
        QVERIFY(QDir::setCurrent(previousCurrent));
    }

    // Issue 16: the preprocessing was set on Quantize and again on Compare (and Compare kept the
    // previous model's). One value per model: an edit on one page shows on the others and in
    // what Tune runs; another model starts without it.
    void preprocessingIsSetOncePerModel()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, test::ocrModel(kClsModel)));
        auto *quantizeEditor = window.quantizePage()->findChild<PreprocessingEditor *>();
        auto *compareEditor = window.comparePage()->findChild<PreprocessingEditor *>();
        auto *tuneSummary
            = window.tunePage()->findChild<QLabel *>(QStringLiteral("tunePreprocessing"));
        QVERIFY(quantizeEditor && compareEditor && tuneSummary);
        auto field = [](PreprocessingEditor *editor, const char *name) {
            return editor->findChild<QSpinBox *>(QString::fromLatin1(name));
        };

        field(quantizeEditor, "prepHeight")->setValue(48);
        quantizeEditor->findChild<QLineEdit *>(QStringLiteral("prepMean"))
            ->setText(QStringLiteral("0.5"));
        QCOMPARE(compareEditor->value().height(), 48); // random inputs: only the shape counts
        QCOMPARE(field(compareEditor, "prepHeight")->value(), 48);
        QCOMPARE(compareEditor->findChild<QLineEdit *>(QStringLiteral("prepMean"))->text(),
                 QStringLiteral("0.5"));
        field(compareEditor, "prepWidth")->setValue(192);
        QCOMPARE(quantizeEditor->value().width(), 192);
        QCOMPARE(quantizeEditor->value().mean_size(), 1);
        QCOMPARE(window.workbench()->preprocessing().height(), 48);
        QCOMPARE(window.workbench()->preprocessing().width(), 192);
        QVERIFY2(tuneSummary->text().contains(QStringLiteral("48x192")),
                 qPrintable(tuneSummary->text()));

        // Another model: every page starts from the model's own sizes again.
        QVERIFY(openAndWait(window, test::ocrModel(kClsModel)));
        QCOMPARE(field(quantizeEditor, "prepHeight")->value(), 0);
        QCOMPARE(field(compareEditor, "prepHeight")->value(), 0);
        QCOMPARE(field(compareEditor, "prepWidth")->value(), 0);
        QCOMPARE(compareEditor->findChild<QLineEdit *>(QStringLiteral("prepMean"))->text(),
                 QString());
        QVERIFY(!tuneSummary->text().contains(QStringLiteral("48x192")));
    }

    void aboutListsTheLibraryVersions()
    {
        const QString text = AboutDialog::versionsText();
        for (const char *library : {"Qt", "protobuf", "ONNX", "oneDNN", "Eigen"})
            QVERIFY2(text.contains(QString::fromUtf8(library) + QLatin1Char(' ')), qPrintable(text));
        QVERIFY(text.contains(QString::fromUtf8(qVersion())));
    }

    void theChineseTranslationLoads()
    {
        QCOMPARE(installTranslations(*qApp, QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        MainWindow window;
        QCOMPARE(window.pages()->tabText(0), QStringLiteral("检查器"));
        // Qt's own strings (standard buttons) come from qt6-translations-l10n.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
        QCOMPARE(installTranslations(*qApp, QStringLiteral("en")), QStringLiteral("en"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
