// The workbench's shared foundation: jobs off the GUI thread (progress, ETA, cancel, shutdown,
// latest request wins), the Workbench state (model, exclusions, selection, messages, tickets),
// the variants model, the preprocessing editor, settings, and the Simplified Chinese
// translation being complete.
#include "data/image_decoder.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/settings.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDomDocument>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace qs;
using namespace qs::ui;

namespace {

quantscope::ImagePreprocessing parsePreprocessing(const QString &text)
{
    quantscope::ImagePreprocessing prep;
    if (!google::protobuf::TextFormat::ParseFromString(text.toStdString(), &prep))
        qFatal("not an ImagePreprocessing: %s", qPrintable(text));
    return prep;
}

QString prepText(const quantscope::ImagePreprocessing &prep)
{
    std::string text;
    google::protobuf::TextFormat::PrintToString(prep, &text);
    return QString::fromStdString(text);
}

} // namespace

class WorkbenchTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::isolateSettings(); }

    void jobDeliversItsResultOnTheGuiThread()
    {
        Workbench workbench;
        JobController job(&workbench);
        QThread *worker = nullptr;
        int delivered = 0;
        QThread *deliveredOn = nullptr;
        QSignalSpy progress(&job, &JobController::progressChanged);
        QVERIFY(job.run<int>([] { return QStringLiteral("counting"); },
                             [&worker](Progress &p) {
                                 worker = QThread::currentThread();
                                 for (int i = 0; i <= 10; ++i) {
                                     p.report(i, 10, "counting");
                                     std::this_thread::sleep_for(std::chrono::milliseconds(40));
                                 }
                                 return 42;
                             },
                             [&](int value) {
                                 delivered = value;
                                 deliveredOn = QThread::currentThread();
                             }));
        QVERIFY(job.isRunning());
        // A second job on the same controller waits its turn: refused while one runs.
        QVERIFY(!job.start([] { return QStringLiteral("other"); }, [](Progress &) {}, [] {}));
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(test::waitForJob(job));
        QCOMPARE(delivered, 42);
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(worker != QThread::currentThread());
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.front().at(1).toBool(), false); // not cancelled
        // The timer turned the worker's reports into signals with a fraction of 1000.
        QVERIFY(progress.size() >= 2);
        bool sawFraction = false;
        for (const QList<QVariant> &args : progress)
            sawFraction |= args.at(0).toInt() > 0
                           && args.at(1).toString() == QStringLiteral("counting");
        QVERIFY(sawFraction);
    }

    // Issue 16: a step of one unit (preparing a session) showed a full bar before the work
    // began, and the ETA started again at every step even when the steps shared one count (a
    // benchmark's warm-up and timing runs over all rounds).
    void progressHasNoFullBarBeforeWorkAndOneEtaPerCount()
    {
        Workbench workbench;
        JobController job(&workbench);
        std::atomic<int> gate{0};
        auto waitFor = [&gate](int value) {
            while (gate.load() < value)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        };
        QSignalSpy progress(&job, &JobController::progressChanged);
        auto sawStep = [&progress](const QString &step) {
            for (const QList<QVariant> &args : progress)
                if (args.at(1).toString() == step)
                    return true;
            return false;
        };
        QVERIFY(job.start([] { return QStringLiteral("benchmark"); },
                          [&](Progress &p) {
                              p.report(1, 1, "preparing the model for running");
                              waitFor(1);
                              p.report(1, 10, "warming up");
                              waitFor(2);
                              // The next step of the same count comes well after the clock started.
                              std::this_thread::sleep_for(std::chrono::milliseconds(700));
                              p.report(2, 10, "timing");
                              waitFor(3);
                              p.report(10, 10, "timing");
                          },
                          [] {}));
        QTRY_VERIFY_WITH_TIMEOUT(sawStep(QStringLiteral("preparing the model for running")), 10000);
        gate = 1;
        QTRY_VERIFY_WITH_TIMEOUT(sawStep(QStringLiteral("warming up")), 10000);
        gate = 2;
        QTRY_VERIFY_WITH_TIMEOUT(sawStep(QStringLiteral("timing")), 10000);
        gate = 3;
        QVERIFY(test::waitForJob(job));
        bool firstTiming = true;
        for (const QList<QVariant> &args : progress) {
            const QString step = args.at(1).toString();
            if (step == QStringLiteral("preparing the model for running"))
                QCOMPARE(args.at(0).toInt(), -1); // busy, not 1000
            if (step == QStringLiteral("timing") && firstTiming) {
                firstTiming = false;
                QVERIFY2(args.at(2).toInt() >= 0, "the ETA restarted at the step's name");
            }
        }
        QVERIFY(!firstTiming);
    }

    void cancelStopsTheWorkerAndReportsCancelled()
    {
        Workbench workbench;
        JobController job(&workbench);
        std::atomic<int> iterations{0};
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(job.start([] { return QStringLiteral("endless"); },
                          [&iterations](Progress &p) {
                              while (!p.cancelled()) {
                                  ++iterations;
                                  std::this_thread::sleep_for(std::chrono::milliseconds(5));
                              }
                          },
                          [] {}));
        QTest::qWait(50);
        job.cancel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.front().at(1).toBool(), true);
        QVERIFY(!job.isRunning());
        QVERIFY(iterations > 0);
    }

    void destroyingARunningControllerWaitsWithoutDelivering()
    {
        std::atomic<bool> workerDone{false};
        bool delivered = false;
        Workbench workbench;
        {
            JobController job(&workbench);
            job.start([] { return QStringLiteral("shutdown"); },
                      [&workerDone](Progress &p) {
                          while (!p.cancelled())
                              std::this_thread::sleep_for(std::chrono::milliseconds(5));
                          workerDone = true;
                      },
                      [&delivered] { delivered = true; });
        } // ~JobController cancels and waits
        QVERIFY(workerDone);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);
    }

    // Engine jobs of different controllers run one after another on the same thread (one
    // OpenMP team); a load job does not wait for them.
    void engineJobsShareOneThreadInTurn()
    {
        Workbench workbench;
        JobController first(&workbench), second(&workbench);
        JobController load(&workbench, nullptr, JobController::Runs::OnAnyThread);
        std::atomic<bool> firstRunning{false}, overlapped{false};
        QThread *firstThread = nullptr, *secondThread = nullptr, *loadThread = nullptr;
        first.start([] { return QStringLiteral("first"); },
                    [&](Progress &) {
                        firstThread = QThread::currentThread();
                        firstRunning = true;
                        std::this_thread::sleep_for(std::chrono::milliseconds(800));
                        firstRunning = false;
                    },
                    [] {});
        second.start([] { return QStringLiteral("second"); },
                     [&](Progress &) {
                         secondThread = QThread::currentThread();
                         overlapped = overlapped || firstRunning;
                     },
                     [] {});
        load.start([] { return QStringLiteral("load"); },
                   [&](Progress &) {
                       loadThread = QThread::currentThread();
                       // It must run while the first one does. The two workers start on different
                       // threads, so the first may not have begun yet: wait for it, well within its
                       // 800 ms (a load queued behind it would never see it running).
                       for (int i = 0; i < 100 && !firstRunning; ++i)
                           std::this_thread::sleep_for(std::chrono::milliseconds(5));
                       overlapped = overlapped || !firstRunning;
                   },
                   [] {});
        QVERIFY(test::waitForJob(load));
        QVERIFY(test::waitForJob(first));
        QVERIFY(test::waitForJob(second));
        QVERIFY(!overlapped);
        QCOMPARE(firstThread, secondThread);
        QVERIFY(loadThread != firstThread);
    }

    // Latest request wins: a ticket is current until the model changes, the same requester
    // takes a newer one, or its tickets are revoked; other requesters are not affected.
    void ticketsFollowTheLatestRequest()
    {
        Workbench workbench;
        QObject a, b;
        const Workbench::Ticket first = workbench.takeTicket(&a);
        const Workbench::Ticket other = workbench.takeTicket(&b);
        QVERIFY(workbench.isCurrent(first));
        const Workbench::Ticket second = workbench.takeTicket(&a);
        QVERIFY(!workbench.isCurrent(first));
        QVERIFY(workbench.isCurrent(second));
        QVERIFY(workbench.isCurrent(other));
        workbench.revokeTickets(&a);
        QVERIFY(!workbench.isCurrent(second));
        QVERIFY(workbench.isCurrent(other));
        const Workbench::Ticket third = workbench.takeTicket(&a);
        workbench.setModel(nullptr, QString()); // another model (here: none) is open
        QVERIFY(!workbench.isCurrent(third));
        QVERIFY(!workbench.isCurrent(other));
        QVERIFY(workbench.isCurrent(workbench.takeTicket(&a)));
    }

    // A job whose worker ignores the cancel and finishes anyway: its result belongs to the model
    // that was open when it started, so it is dropped once another model is open.
    void resultForAClosedModelIsDropped()
    {
        const QString cls = test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
        auto model = Model::load(cls.toStdString());
        QVERIFY2(model, model ? "" : model.status().message().c_str());
        Workbench workbench;
        workbench.setModel(*model, QStringLiteral("first.onnx"));
        JobController job(&workbench);
        std::atomic<bool> release{false}, sawCancel{false};
        bool delivered = false;
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(job.run<int>([] { return QStringLiteral("stubborn"); },
                             [&](Progress &p) {
                                 while (!release)
                                     std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                 sawCancel = p.cancelled();
                                 return 42;
                             },
                             [&delivered](int) { delivered = true; }));
        workbench.setModel(*model, QStringLiteral("second.onnx"));
        release = true;
        QVERIFY(finished.wait(10000));
        QVERIFY(!delivered);
        QVERIFY(sawCancel); // the model change also asked it to stop
        QCOMPARE(finished.front().at(1).toBool(), true);
        QVERIFY(!job.isRunning());

        // The next job, for the model open now, delivers.
        QVERIFY(job.run<int>([] { return QStringLiteral("fresh"); }, [](Progress &) { return 1; },
                             [&delivered](int) { delivered = true; }));
        QVERIFY(test::waitForJob(job));
        QVERIFY(delivered);
    }

    // WhenBusy::Supersede: a new request cancels the running job and only the newest result
    // arrives; one finished() for the pair.
    void aNewerRequestSupersedesTheRunningJob()
    {
        Workbench workbench;
        JobController job(&workbench, nullptr, JobController::Runs::OnAnyThread,
                          JobController::WhenBusy::Supersede);
        QSignalSpy started(&job, &JobController::started);
        QSignalSpy finished(&job, &JobController::finished);
        std::atomic<bool> release{false};
        QList<int> delivered;
        QVERIFY(job.run<int>([] { return QStringLiteral("older"); },
                             [&release](Progress &) {
                                 while (!release)
                                     std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                 return 1; // finishes although cancelled
                             },
                             [&delivered](int value) { delivered.append(value); }));
        QVERIFY(job.run<int>([] { return QStringLiteral("newer"); }, [](Progress &) { return 2; },
                             [&delivered](int value) { delivered.append(value); }));
        QCOMPARE(started.size(), 2);
        release = true; // the older one returns too, cancelled or not
        QVERIFY(finished.wait(10000));
        QTest::qWait(200); // nothing of the older one may arrive
        QCOMPARE(delivered, QList<int>{2});
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.front().at(0).toString(), QStringLiteral("newer"));
        QCOMPARE(finished.front().at(1).toBool(), false);
    }

    // discard(): the results were cleared, so the running job stops and its result is dropped.
    void discardDropsTheRunningJobsResult()
    {
        Workbench workbench;
        JobController job(&workbench);
        bool delivered = false;
        std::atomic<bool> sawCancel{false};
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(job.run<int>([] { return QStringLiteral("to be cleared"); },
                             [&sawCancel](Progress &p) {
                                 while (!p.cancelled())
                                     std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                 sawCancel = true;
                                 return 7;
                             },
                             [&delivered](int) { delivered = true; }));
        job.discard();
        QVERIFY(finished.wait(10000));
        QVERIFY(sawCancel);
        QVERIFY(!delivered);
        QCOMPARE(finished.front().at(1).toBool(), true);
    }

    void preprocessingEditorRoundTrips_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("defaults") << "";
        QTest::newRow("every field")
            << "height: 48 width: 192 pixel_range: PIXEL_RANGE_0_255 mean: 0.485 mean: 0.456 "
               "mean: 0.406 std: 0.229 std: 0.224 std: 0.225 bgr: true layout: TENSOR_LAYOUT_NHWC";
        QTest::newRow("explicit defaults")
            << "pixel_range: PIXEL_RANGE_0_1 layout: TENSOR_LAYOUT_NCHW mean: 0.5 std: 0.5";
        QTest::newRow("height only, one mean") << "height: 640 mean: 127.5";
        // Invalid values come back too, so that a loaded recipe is never changed behind the
        // user's back (problem() names them).
        QTest::newRow("negative size") << "height: -5 width: 32";
        QTest::newRow("two means") << "mean: 1 mean: 2";
    }

    // setValue() -> value() is exact for every field, from an editor showing something else.
    void preprocessingEditorRoundTrips()
    {
        QFETCH(QString, text);
        const quantscope::ImagePreprocessing expected = parsePreprocessing(text);
        PreprocessingEditor editor;
        editor.setValue(parsePreprocessing(
            "height: 7 width: 9 pixel_range: PIXEL_RANGE_0_1 mean: 3 std: 4 bgr: true "
            "layout: TENSOR_LAYOUT_NCHW"));
        QSignalSpy changed(&editor, &PreprocessingEditor::changed);
        editor.setValue(expected);
        QVERIFY(!changed.isEmpty());
        const quantscope::ImagePreprocessing actual = editor.value();
        QVERIFY2(google::protobuf::util::MessageDifferencer::Equals(actual, expected),
                 qPrintable(QStringLiteral("expected:\n%1\nactual:\n%2")
                                .arg(prepText(expected), prepText(actual))));
    }

    // Each widget writes its own field, as a user edits it.
    void preprocessingEditorFieldsEditTheMessage()
    {
        PreprocessingEditor editor;
        auto *height = editor.findChild<QSpinBox *>(QStringLiteral("prepHeight"));
        auto *width = editor.findChild<QSpinBox *>(QStringLiteral("prepWidth"));
        auto *range = editor.findChild<QComboBox *>(QStringLiteral("prepPixelRange"));
        auto *mean = editor.findChild<QLineEdit *>(QStringLiteral("prepMean"));
        auto *stddev = editor.findChild<QLineEdit *>(QStringLiteral("prepStd"));
        auto *order = editor.findChild<QComboBox *>(QStringLiteral("prepChannelOrder"));
        auto *layout = editor.findChild<QComboBox *>(QStringLiteral("prepLayout"));
        QVERIFY(height && width && range && mean && stddev && order && layout);
        QCOMPARE(editor.value().ByteSizeLong(), size_t(0)); // all defaults: an empty message
        height->setValue(224);
        width->setValue(320);
        range->setCurrentIndex(range->findData(quantscope::PIXEL_RANGE_0_255));
        mean->setText(QStringLiteral("123.675 116.28, 103.53"));
        stddev->setText(QStringLiteral("58.395"));
        order->setCurrentIndex(order->findText(QStringLiteral("BGR")));
        layout->setCurrentIndex(layout->findData(quantscope::TENSOR_LAYOUT_NHWC));
        const quantscope::ImagePreprocessing prep = editor.value();
        QCOMPARE(prep.height(), 224);
        QCOMPARE(prep.width(), 320);
        QCOMPARE(prep.pixel_range(), quantscope::PIXEL_RANGE_0_255);
        QCOMPARE(prep.mean_size(), 3);
        QCOMPARE(prep.mean(1), 116.28f);
        QCOMPARE(prep.std_size(), 1);
        QCOMPARE(prep.std(0), 58.395f);
        QVERIFY(prep.bgr());
        QCOMPARE(prep.layout(), quantscope::TENSOR_LAYOUT_NHWC);
        QCOMPARE(editor.problem(), QString());
        QCOMPARE(editor.summary(),
                 QStringLiteral("resize to 224x320, keep [0,255], subtract mean (123.675, "
                                "116.28, 103.53), divide by std (58.395), BGR, NHWC"));

        // Random inputs: only the shape fields apply; the others are disabled and left out.
        mean->setText(QStringLiteral("not numbers"));
        QVERIFY(!editor.problem().isEmpty());
        editor.setShapeOnly(true);
        QVERIFY(!mean->isEnabled() && !range->isEnabled() && !order->isEnabled());
        QVERIFY(height->isEnabled() && width->isEnabled() && layout->isEnabled());
        QCOMPARE(editor.problem(), QString());
        const QString shape = QStringLiteral("height: 224 width: 320 layout: TENSOR_LAYOUT_NHWC");
        QCOMPARE(prepText(editor.value()), prepText(parsePreprocessing(shape)));
        editor.setShapeOnly(false);
        QVERIFY(mean->isEnabled());
        QVERIFY(editor.problem().contains(QStringLiteral("not numbers")));
    }

    void preprocessingEditorReportsWhatCoreRefuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("two means") << "mean: 0.5 mean: 0.5";
        QTest::newRow("four stds") << "std: 1 std: 1 std: 1 std: 1";
        QTest::newRow("a zero std") << "std: 0.5 std: 0 std: 0.5";
        QTest::newRow("negative height") << "height: -1";
        QTest::newRow("negative width") << "height: 48 width: -192";
    }

    // The same value: the editor shows core's message under its fields, and core's image
    // decoder refuses it with that message.
    void preprocessingEditorReportsWhatCoreRefuses()
    {
        QFETCH(QString, text);
        const quantscope::ImagePreprocessing prep = parsePreprocessing(text);
        const InputSpec input{"x", DType::Float32, Shape{1, 3, -1, -1}};
        auto decoder = ImageDecoder::create(input, prep);
        QVERIFY(!decoder);
        const QString coreMessage = QString::fromStdString(decoder.status().message());
        QCOMPARE(QString::fromStdString(checkImagePreprocessing(prep).message()), coreMessage);

        PreprocessingEditor editor;
        editor.setValue(prep);
        QCOMPARE(editor.problem(), coreMessage);
        auto *label = editor.findChild<QLabel *>(QStringLiteral("prepProblem"));
        QVERIFY(label);
        QCOMPARE(label->text(), coreMessage);
        QVERIFY(label->isVisibleTo(&editor));

        // Fixed in the widgets: no problem left, and core takes it.
        editor.setValue(parsePreprocessing("height: 48 width: 192 mean: 0.5 std: 0.5"));
        QCOMPARE(editor.problem(), QString());
        QVERIFY(!label->isVisibleTo(&editor));
        QVERIFY(ImageDecoder::create(input, editor.value()));
    }

    // A typed text that is not a number is named before core sees anything.
    void preprocessingEditorNamesTextThatIsNoNumber()
    {
        PreprocessingEditor editor;
        editor.findChild<QLineEdit *>(QStringLiteral("prepStd"))->setText(QStringLiteral("1, x"));
        QVERIFY(editor.problem().contains(QStringLiteral("1, x")));
        QVERIFY(editor.problem().startsWith(QStringLiteral("Std")));
        QCOMPARE(editor.value().std_size(), 0);
    }

    void etaFormatting()
    {
        QCOMPARE(formatDuration(-1), QString());
        QCOMPARE(formatDuration(12), QStringLiteral("12 s"));
        QCOMPARE(formatDuration(65), QStringLiteral("1:05"));
    }

    void workbenchTracksModelExclusionsAndSelection()
    {
        auto model
            = Model::load(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx").toStdString());
        QVERIFY2(model, model ? "" : model.status().message().c_str());
        Workbench workbench;
        QAbstractItemModelTester tester(workbench.variants(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&workbench, &Workbench::modelChanged);
        QSignalSpy exclusions(&workbench, &Workbench::exclusionsChanged);
        workbench.setModel(*model, test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        QCOMPARE(changed.size(), 1);
        // The model itself is the reference variant, with its size on disk.
        QCOMPARE(workbench.variants()->rowCount(), 1);
        QVERIFY(workbench.variants()->at(0).isReference);
        QCOMPARE(workbench.variants()->at(0).sizeBytes,
                 QFileInfo(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx")).size());

        const NodeInfo &conv = *std::find_if((*model)->index().nodes().begin(),
                                             (*model)->index().nodes().end(),
                                             [](const NodeInfo &n) { return n.opType == "Conv"; });
        const QString convName = QString::fromStdString(conv.displayName);
        exclusions.clear();
        workbench.setNodeExcluded(convName, true);
        workbench.setNodeExcluded(convName, true); // no change, no signal
        workbench.setOpTypeExcluded(QStringLiteral("MatMul"), true);
        QCOMPARE(exclusions.size(), 2);
        QCOMPARE(workbench.excludedNodes(), QStringList{convName});
        QCOMPARE(workbench.excludedOpTypes(), QStringList{QStringLiteral("MatMul")});
        QCOMPARE(workbench.nodeIdByName(convName), conv.id);
        QCOMPARE(workbench.nodeIdByName(QStringLiteral("no such node")), -1);

        QSignalSpy selected(&workbench, &Workbench::nodeSelected);
        workbench.selectNode(conv.id);
        QCOMPARE(workbench.selectedNode(), conv.id);
        QCOMPARE(selected.size(), 1);
        workbench.selectNode(1 << 30); // out of range: nothing selected
        QCOMPARE(workbench.selectedNode(), -1);

        // A new model starts clean.
        workbench.setModel(*model, test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        QVERIFY(workbench.excludedNodes().isEmpty());
        QVERIFY(workbench.excludedOpTypes().isEmpty());
    }

    void variantsAreCheckableExceptTheReference()
    {
        VariantListModel variants;
        QAbstractItemModelTester tester(&variants,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        variants.add({QStringLiteral("/m/ref.onnx"), QStringLiteral("FP32 reference"), 1000, true});
        variants.add({QStringLiteral("/m/int8.onnx"), QStringLiteral("INT8 dynamic"), 250, false});
        variants.add({QStringLiteral("/m/fp16.onnx"), QStringLiteral("FP16"), 500, false});
        QCOMPARE(variants.rowCount(), 3);
        QCOMPARE(variants.data(variants.index(1, VariantListModel::RatioColumn)).toString(),
                 QStringLiteral("0.25x"));
        QVERIFY(!(variants.flags(variants.index(0, 0)) & Qt::ItemIsUserCheckable));
        QVERIFY(variants.setData(variants.index(2, 0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(variants.checkedVariantPaths(), QStringList{QStringLiteral("/m/int8.onnx")});
        // Re-running a quantization overwrites its file: the row is updated, not duplicated.
        variants.add(
            {QStringLiteral("/m/int8.onnx"), QStringLiteral("INT8 static QDQ"), 260, false});
        QCOMPARE(variants.rowCount(), 3);
        QCOMPARE(variants.at(1).kind, QStringLiteral("INT8 static QDQ"));
        variants.remove(0); // the reference stays
        QCOMPARE(variants.rowCount(), 3);
        variants.remove(2);
        QCOMPARE(variants.rowCount(), 2);
    }

    void recentFilesAreMostRecentFirstAndBounded()
    {
        for (int i = 0; i < settings::kMaxRecentFiles + 3; ++i)
            settings::addRecentFile(QStringLiteral("/models/m%1.onnx").arg(i));
        settings::addRecentFile(QStringLiteral("/models/m5.onnx"));
        const QStringList recent = settings::recentFiles();
        QCOMPARE(recent.size(), settings::kMaxRecentFiles);
        QCOMPARE(recent.front(), QStringLiteral("/models/m5.onnx"));
        QCOMPARE(recent.count(QStringLiteral("/models/m5.onnx")), 1);
        settings::removeRecentFile(QStringLiteral("/models/m5.onnx"));
        QVERIFY(!settings::recentFiles().contains(QStringLiteral("/models/m5.onnx")));
    }

    // Every message of the Simplified Chinese translation is finished, none obsolete, and the
    // file knows every string the sources hold (lupdate would add nothing).
    void chineseTranslationIsComplete()
    {
        checkTranslationFile(QStringLiteral(QS_TS_FILE));
        if (QTest::currentTestFailed())
            return;
        // lupdate over today's sources, into a copy: a string added to ui/ without a
        // translation shows up as unfinished there.
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("quantscope_zh_CN.ts"));
        QVERIFY(QFile::copy(QStringLiteral(QS_TS_FILE), copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        lupdate.start(QStringLiteral(QS_LUPDATE),
                      {QStringLiteral(QS_UI_SOURCE_DIR), QStringLiteral(QS_GUI_MAIN),
                       QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                       QStringLiteral("none"), QStringLiteral("-ts"), copy});
        QVERIFY(lupdate.waitForFinished(120000));
        QCOMPARE(lupdate.exitCode(), 0);
        checkTranslationFile(copy);
    }

private:
    void checkTranslationFile(const QString &path)
    {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QDomDocument document;
        QVERIFY(document.setContent(&file));
        const QDomNodeList messages = document.elementsByTagName(QStringLiteral("message"));
        QVERIFY2(messages.size() >= 100, "the workbench has more strings than that");
        for (int i = 0; i < messages.size(); ++i) {
            const QDomElement message = messages.at(i).toElement();
            const QString source = message.firstChildElement(QStringLiteral("source")).text();
            const QDomElement translation
                = message.firstChildElement(QStringLiteral("translation"));
            const QString type = translation.attribute(QStringLiteral("type"));
            QVERIFY2(type.isEmpty(), qPrintable(QStringLiteral("%1: %2").arg(type, source)));
            if (message.attribute(QStringLiteral("numerus")) == QStringLiteral("yes"))
                continue;
            QVERIFY2(!translation.text().isEmpty(),
                     qPrintable(QStringLiteral("untranslated: %1").arg(source)));
        }
    }
};

QTEST_MAIN(WorkbenchTest)
#include "workbench_test.moc"
