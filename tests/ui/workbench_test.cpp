// The workbench's shared foundation: jobs off the GUI thread (progress, ETA, cancel, shutdown,
// latest request wins), the Workbench state (model, exclusions, selection, messages, tickets),
// the variants model, settings, and the Simplified Chinese translation being complete.
#include "model/graph_index.h"
#include "model/model.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QAbstractItemModelTester>
#include <QDomDocument>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace qs;
using namespace qs::ui;


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
        QVERIFY(job.run<int>(
            QStringLiteral("counting"),
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
        QVERIFY(!job.start(QStringLiteral("other"), [](Progress &) {}, [] {}));
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
            sawFraction |= args.at(0).toInt() > 0 && args.at(1).toString() == QStringLiteral("counting");
        QVERIFY(sawFraction);
    }

    void cancelStopsTheWorkerAndReportsCancelled()
    {
        Workbench workbench;
        JobController job(&workbench);
        std::atomic<int> iterations{0};
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(job.start(
            QStringLiteral("endless"),
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
            job.start(
                QStringLiteral("shutdown"),
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
        first.start(
            QStringLiteral("first"),
            [&](Progress &) {
                firstThread = QThread::currentThread();
                firstRunning = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(800));
                firstRunning = false;
            },
            [] {});
        second.start(
            QStringLiteral("second"),
            [&](Progress &) {
                secondThread = QThread::currentThread();
                overlapped = overlapped || firstRunning;
            },
            [] {});
        load.start(
            QStringLiteral("load"),
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
        auto model = Model::load(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx").toStdString());
        QVERIFY2(model, model ? "" : model.status().message().c_str());
        Workbench workbench;
        workbench.setModel(*model, QStringLiteral("first.onnx"));
        JobController job(&workbench);
        std::atomic<bool> release{false}, sawCancel{false};
        bool delivered = false;
        QSignalSpy finished(&job, &JobController::finished);
        QVERIFY(job.run<int>(
            QStringLiteral("stubborn"),
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
        QVERIFY(job.run<int>(QStringLiteral("fresh"), [](Progress &) { return 1; },
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
        QVERIFY(job.run<int>(
            QStringLiteral("older"),
            [&release](Progress &) {
                while (!release)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                return 1; // finishes although cancelled
            },
            [&delivered](int value) { delivered.append(value); }));
        QVERIFY(job.run<int>(QStringLiteral("newer"), [](Progress &) { return 2; },
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
        QVERIFY(job.run<int>(
            QStringLiteral("to be cleared"),
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

    void etaFormatting()
    {
        QCOMPARE(formatDuration(-1), QString());
        QCOMPARE(formatDuration(12), QStringLiteral("12 s"));
        QCOMPARE(formatDuration(65), QStringLiteral("1:05"));
    }

    void workbenchTracksModelExclusionsAndSelection()
    {
        auto model = Model::load(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx").toStdString());
        QVERIFY2(model, model ? "" : model.status().message().c_str());
        Workbench workbench;
        QAbstractItemModelTester tester(workbench.variants(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&workbench, &Workbench::modelChanged);
        QSignalSpy exclusions(&workbench, &Workbench::exclusionsChanged);
        workbench.setModel(*model, test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        QCOMPARE(changed.size(), 1);
        // The model itself is the reference variant, with its size on disk.
        QCOMPARE(workbench.variants()->rowCount(), 1);
        QVERIFY(workbench.variants()->at(0).isReference);
        QCOMPARE(workbench.variants()->at(0).sizeBytes,
                 QFileInfo(test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx")).size());

        const NodeInfo &conv = *std::find_if((*model)->index().nodes().begin(), (*model)->index().nodes().end(),
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
        QAbstractItemModelTester tester(&variants, QAbstractItemModelTester::FailureReportingMode::QtTest);
        variants.add({QStringLiteral("/m/ref.onnx"), QStringLiteral("FP32 reference"), 1000, true});
        variants.add({QStringLiteral("/m/int8.onnx"), QStringLiteral("INT8 dynamic"), 250, false});
        variants.add({QStringLiteral("/m/fp16.onnx"), QStringLiteral("FP16"), 500, false});
        QCOMPARE(variants.rowCount(), 3);
        QCOMPARE(variants.data(variants.index(1, VariantListModel::RatioColumn)).toString(), QStringLiteral("0.25x"));
        QVERIFY(!(variants.flags(variants.index(0, 0)) & Qt::ItemIsUserCheckable));
        QVERIFY(variants.setData(variants.index(2, 0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(variants.checkedVariantPaths(), QStringList{QStringLiteral("/m/int8.onnx")});
        // Re-running a quantization overwrites its file: the row is updated, not duplicated.
        variants.add({QStringLiteral("/m/int8.onnx"), QStringLiteral("INT8 static QDQ"), 260, false});
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
        lupdate.start(QStringLiteral(QS_LUPDATE), {QStringLiteral(QS_UI_SOURCE_DIR), QStringLiteral(QS_GUI_MAIN),
                                                   QStringLiteral("-no-obsolete"),
                                                   QStringLiteral("-locations"), QStringLiteral("none"),
                                                   QStringLiteral("-ts"), copy});
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
            const QDomElement translation = message.firstChildElement(QStringLiteral("translation"));
            const QString type = translation.attribute(QStringLiteral("type"));
            QVERIFY2(type.isEmpty(), qPrintable(QStringLiteral("%1: %2").arg(type, source)));
            if (message.attribute(QStringLiteral("numerus")) == QStringLiteral("yes"))
                continue;
            QVERIFY2(!translation.text().isEmpty(), qPrintable(QStringLiteral("untranslated: %1").arg(source)));
        }
    }
};

QTEST_MAIN(WorkbenchTest)
#include "workbench_test.moc"
