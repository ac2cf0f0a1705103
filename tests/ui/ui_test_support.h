#pragma once
// Shared by the workbench's QtTest suites: where the fetched models live, a throw-away QSettings
// store, a preprocessing of a given image size, a wait for a job controller, and finding a menu
// action or a button by its text.
#include "quantscope.pb.h"
#include "workbench/job_controller.h"

#include <QAction>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>
#include <QTest>

namespace qs::ui::test {

// A PaddleOCR model fetched by `make assets` ("ch_ppocr_mobile_v2.0_cls_infer.onnx", ...).
inline QString ocrModel(const char *fileName)
{
    return QStringLiteral(QS_OCR_DIR "/") + QString::fromUtf8(fileName);
}

inline QString photosDir()
{
    return QStringLiteral(QS_PHOTOS_DIR);
}

// A model of ONNX's backend tests (libonnx-testdata), e.g. "node/test_relu".
inline QString backendModel(const char *testDir)
{
    return QStringLiteral(QS_TESTDATA_DIR "/") + QString::fromUtf8(testDir)
           + QStringLiteral("/model.onnx");
}

// Only a size: what a model with a dynamic height and width (PaddleOCR's cls) needs to run on
// random inputs.
inline quantscope::ImagePreprocessing imageSize(int height, int width)
{
    quantscope::ImagePreprocessing prep;
    prep.set_height(height);
    prep.set_width(width);
    return prep;
}

// Keeps the tests away from the user's settings: QSettings and QStandardPaths go to test
// locations. Call from initTestCase().
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("QuantscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("QuantscopeTests"));
}

// A copy of `model` in `folder` (named "<name>_copy.onnx"): a variant to compare a model with
// when the test only needs a comparison to run (Compare refuses the reference alone).
inline QString copyOfModel(const QString &model, const QString &folder)
{
    const QString copy = folder + QStringLiteral("/") + QFileInfo(model).completeBaseName()
                         + QStringLiteral("_copy.onnx");
    QFile::remove(copy);
    return QFile::copy(model, copy) ? copy : QString();
}

// Waits for `job` to finish (QSignalSpy on finished()); false after `timeoutMs`.
inline bool waitForJob(JobController &job, int timeoutMs = 300000)
{
    if (!job.isRunning())
        return true;
    QSignalSpy finished(&job, &JobController::finished);
    return finished.wait(timeoutMs);
}

// The action of `menu` whose text is `text`, or null.
inline QAction *actionNamed(QMenu *menu, const QString &text)
{
    for (QAction *action : menu->actions())
        if (action->text() == text)
            return action;
    return nullptr;
}

// The push button below `parent` whose text is `text`, or null.
inline QPushButton *buttonLabelled(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>())
        if (button->text() == text)
            return button;
    return nullptr;
}

} // namespace qs::ui::test
