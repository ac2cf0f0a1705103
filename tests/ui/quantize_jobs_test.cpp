// Real quantize jobs from the Quantize page on PaddleOCR's cls model: dynamic, static on photos,
// FP16 (excluded op types kept in float), cancelled, refused before starting; the nodes a run
// left in float reach the messages. The form and recipes: quantize_settings_test.cpp.
#include "quantize/quantize_job.h"
#include "quantize_test_support.h"

#include <QtTest>

using namespace qs;
using namespace qs::ui;
using namespace qs::ui::test;

class QuantizeJobsTest : public QObject
{
    Q_OBJECT

private:
    using Fixture = QuantizeFixture;

    std::shared_ptr<const Model> m_model;

private slots:
    void initTestCase()
    {
        test::isolateSettings();
        auto model = Model::load(test::ocrModel(kClsModel).toStdString());
        QVERIFY2(model, model.status().message().c_str());
        m_model = *model;
    }

    // Issue 16, item 3: "Add" ticked in the inspector showed under "Op types kept in float" on
    // the FP16 form, but the FP16 run converted the Add nodes anyway.
    void fp16JobKeepsExcludedOpTypesInFloat()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cls_fp16_add.onnx"));
        f.page->options()->setMode(quantscope::QUANT_MODE_FP16);
        f.workbench.setOpTypeExcluded(QStringLiteral("Add"), true); // the inspector's checkbox
        QCOMPARE(f.page->exclusionPanel()->opTypeList()->count(), 1);
        f.page->setOutputPath(out);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        auto recipe = loadRecipe(recipePathFor(out.toStdString()));
        QVERIFY2(recipe, recipe ? "" : recipe.status().message().c_str());
        QCOMPARE(recipe_fields::toStringList(recipe->op_types_to_exclude()),
                 QStringList{QStringLiteral("Add")});
        auto written = Model::load(out.toStdString());
        QVERIFY2(written, written ? "" : written.status().message().c_str());
        int adds = 0;
        for (const NodeInfo &node : (*written)->index().nodes()) {
            if (node.opType != "Add")
                continue;
            ++adds;
            QCOMPARE(node.outputs.at(0).type.elementType, int(onnx::TensorProto::FLOAT));
        }
        QCOMPARE(adds, countOpType(*m_model, "Add"));
    }

    // Issue 16, item 1: what a run left in float reaches the Diagnostics dock, by node.
    void nodesLeftInFloatReachTheMessages()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        // The cls model's attention-free MatMul has a constant weight; a QOperator run leaves
        // its Adds in float, each with a reason.
        quantscope::Recipe recipe = f.recipeWithPaths(dir.filePath(QStringLiteral("q.onnx")));
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.set_format(quantscope::QUANT_FORMAT_QOPERATOR);
        recipe.mutable_calibration()->set_data_dir(test::photosDir().toStdString());
        recipe.mutable_calibration()->set_max_samples(1);
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(192);
        f.page->applyRecipe(recipe);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        int reported = 0;
        for (const WorkbenchMessage &message : f.workbench.messages()) {
            if (message.message.startsWith(QStringLiteral("Add left in float: "))) {
                ++reported;
                QVERIFY(f.workbench.nodeIdByName(message.node) >= 0);
            }
        }
        QVERIFY(reported > 0);
        QVERIFY(hasMessage(f.workbench, Severity::Info, QStringLiteral("left in float (")));
    }

    // Issue 18: calibration files that cannot be used reach the Diagnostics dock by name, and
    // the written message counts them. The dock's rows are the Workbench's messages
    // (DiagnosticsModel mirrors them).
    void skippedCalibrationFilesReachTheDiagnosticsDock()
    {
        Fixture f(m_model);
        QTemporaryDir dir, calibration;
        for (const char *name : {"text.png", "page.png"})
            QVERIFY(QFile::copy(QDir(test::photosDir()).filePath(QLatin1String(name)),
                                calibration.filePath(QLatin1String(name))));
        QFile broken(calibration.filePath(QStringLiteral("broken.png")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a png");
        broken.close();
        quantscope::Recipe recipe = f.recipeWithPaths(dir.filePath(QStringLiteral("q.onnx")));
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.mutable_calibration()->set_data_dir(calibration.path().toStdString());
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(192);
        f.page->applyRecipe(recipe);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        const QString skip = calibration.filePath(QStringLiteral("broken.png"))
                             + QStringLiteral(": cannot decode image (");
        int shown = 0;
        for (const WorkbenchMessage &message : f.workbench.messages()) {
            if (message.message.startsWith(skip)) {
                ++shown;
                QCOMPARE(message.severity, Severity::Warning);
            }
        }
        QCOMPARE(shown, 1);
        QVERIFY(hasMessage(f.workbench, Severity::Info,
                           QStringLiteral("calibrated on 2 samples (1 file skipped)")));
    }

    void dynamicJobAddsAVariant()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cls_dynamic.onnx"));
        f.page->setOutputPath(out);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(f.page->job()->isRunning());
        QVERIFY(f.page->findChild<QPushButton *>(QStringLiteral("cancelButton"))->isEnabled());
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        QCOMPARE(quantized.first().first().toString(), out);
        QVERIFY(QFileInfo::exists(out));
        QCOMPARE(f.workbench.variants()->rowCount(), 2);
        const Variant &variant = f.workbench.variants()->at(1);
        QCOMPARE(variant.path, out);
        QCOMPARE(variant.kind, QStringLiteral("INT8 dynamic"));
        QCOMPARE(variant.sizeBytes, QFileInfo(out).size());
        QVERIFY(variant.sizeBytes > 0);
        QVERIFY(hasMessage(f.workbench, Severity::Info, QStringLiteral("nodes quantized")));
        QVERIFY(f.page->findChild<QPushButton *>(QStringLiteral("quantizeButton"))->isEnabled());
    }

    void staticJobOnPhotos()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cls_static.onnx"));
        quantscope::Recipe recipe = f.recipeWithPaths(out);
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.mutable_calibration()->set_data_dir(test::photosDir().toStdString());
        recipe.mutable_calibration()->set_max_samples(2);
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(192);
        f.page->applyRecipe(recipe);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        QSignalSpy progress(f.page->job(), &JobController::progressChanged);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QVERIFY2(quantized.count() == 1, qPrintable(f.workbench.messages().last().message));
        QVERIFY(progress.count() > 0);
        QCOMPARE(f.workbench.variants()->rowCount(), 2);
        QCOMPARE(f.workbench.variants()->at(1).kind, QStringLiteral("INT8 static QDQ"));
        QCOMPARE(f.workbench.variants()->at(1).sizeBytes, QFileInfo(out).size());
        auto written = Model::load(out.toStdString());
        QVERIFY2(written, written.status().message().c_str());
        QVERIFY(countOpType(**written, "QuantizeLinear") > 0);
        QVERIFY(hasMessage(f.workbench, Severity::Info, QStringLiteral("calibrated on 2 samples")));
    }

    // Issue 16: calibrating, writing and saving make one growing count (a PhasedProgress), so
    // the page shows one bar and one ETA for the whole job instead of one per phase.
    void aStaticJobReportsOneCountAcrossItsPhases()
    {
        struct Recorder : Progress
        {
            void report(int64_t done, int64_t total, std::string_view what) override
            {
                counts.push_back(done);
                totals.push_back(total);
                steps << QString::fromUtf8(what.data(), qsizetype(what.size()));
            }
            std::vector<int64_t> counts, totals;
            QStringList steps;
        } recorder;
        QTemporaryDir dir;
        quantscope::Recipe recipe;
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.mutable_calibration()->set_data_dir(test::photosDir().toStdString());
        recipe.mutable_calibration()->set_max_samples(3);
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(192);
        const QuantizeOutcome outcome
            = runQuantizeJob(m_model, recipe,
                             dir.filePath(QStringLiteral("one_count.onnx")).toStdString(), 1,
                             recorder);
        QVERIFY2(outcome.status, outcome.status.message().c_str());
        QVERIFY(!recorder.counts.empty());
        for (const int64_t total : recorder.totals)
            QCOMPARE(total, PhasedProgress::kTotal);
        QVERIFY(std::is_sorted(recorder.counts.begin(), recorder.counts.end()));
        QCOMPARE(recorder.counts.back(), PhasedProgress::kTotal);
        // Calibration is most of a static job: its samples move the bar through the middle.
        QVERIFY(std::any_of(recorder.steps.begin(), recorder.steps.end(), [](const QString &s) {
            return s.startsWith(QStringLiteral("calibrating on"));
        }));
        const std::string_view saving = englishTemplate(QuantizePhase::kSaving);
        QVERIFY(recorder.steps.contains(QString::fromUtf8(saving.data(), qsizetype(saving.size()))));
    }

    void fp16JobAddsAVariant()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cls_fp16.onnx"));
        f.page->options()->setMode(quantscope::QUANT_MODE_FP16);
        f.page->setOutputPath(out);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        QCOMPARE(f.workbench.variants()->rowCount(), 2);
        QCOMPARE(f.workbench.variants()->at(1).kind, QStringLiteral("FP16"));
        QCOMPARE(f.workbench.variants()->at(1).path, out);
        QVERIFY(QFileInfo(out).size() < qint64(m_model->fileBytes()));
    }

    void cancelledJobLeavesNoFile()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cls_cancelled.onnx"));
        quantscope::Recipe recipe = f.recipeWithPaths(out);
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        recipe.mutable_calibration()->set_data_dir(test::photosDir().toStdString());
        recipe.mutable_calibration()->set_max_samples(0); // every photo
        recipe.mutable_calibration()->set_method(quantscope::CALIBRATION_METHOD_ENTROPY);
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(192);
        f.page->applyRecipe(recipe);
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        QSignalSpy failed(f.page.get(), &QuantizePage::failed);
        QSignalSpy finished(f.page->job(), &JobController::finished);
        f.page->startQuantize();
        QVERIFY(f.page->job()->isRunning());
        f.page->findChild<QPushButton *>(QStringLiteral("cancelButton"))->click();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toBool(), true);
        QCOMPARE(quantized.count(), 0);
        QCOMPARE(failed.count(), 0); // a cancel is not an error
        QVERIFY(hasMessage(f.workbench, Severity::Info, QStringLiteral("cancelled")));
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList());
        QCOMPARE(f.workbench.variants()->rowCount(), 1);
    }

    void badSettingsStartNoJob()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        f.page->setOutputPath(dir.filePath(QStringLiteral("never.onnx")));
        QSignalSpy failed(f.page.get(), &QuantizePage::failed);
        QSignalSpy started(f.page->job(), &JobController::started);

        f.page->options()->setMode(quantscope::QUANT_MODE_STATIC);
        const QString missing = dir.filePath(QStringLiteral("no_such_folder"));
        f.page->setCalibrationFolder(missing);
        f.page->startQuantize();
        QVERIFY(!f.page->job()->isRunning());
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.last().first().toString().contains(missing));
        QVERIFY(hasMessage(f.workbench, Severity::Error, missing));

        // No output path.
        f.page->setCalibrationFolder(test::photosDir());
        f.page->findChild<QLineEdit *>(QStringLiteral("outputPath"))->clear();
        f.page->startQuantize();
        QCOMPARE(failed.count(), 2);

        // A setting core refuses (int8 activations with uint8 weights), named before starting.
        f.page->setOutputPath(dir.filePath(QStringLiteral("never.onnx")));
        quantscope::Recipe recipe = f.page->currentRecipe();
        recipe.set_activation_type(quantscope::QUANT_TYPE_INT8);
        recipe.set_weight_type(quantscope::QUANT_TYPE_UINT8);
        f.page->applyRecipe(recipe);
        f.page->startQuantize();
        QCOMPARE(failed.count(), 3);
        QVERIFY(failed.last().first().toString().contains(QStringLiteral("uint8 weights")));

        // No model open.
        Workbench empty;
        QuantizePage page(&empty);
        QSignalSpy emptyFailed(&page, &QuantizePage::failed);
        page.startQuantize();
        QCOMPARE(emptyFailed.count(), 1);
        QVERIFY(hasMessage(empty, Severity::Error, QString()));

        QCOMPARE(started.count(), 0);
        QVERIFY(QDir(dir.path()).isEmpty());
    }
};

QTEST_MAIN(QuantizeJobsTest)
#include "quantize_jobs_test.moc"
