#include "main_window.h"

#include "cli/inspect_report.h"
#include "model/model.h"
#include "model/model_summary.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QtConcurrent>

#include <sstream>

namespace qs::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_summaryView(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Quantscope"));
    m_summaryView->setReadOnly(true);
    m_summaryView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_summaryView->setPlaceholderText(tr("Open an ONNX model with File > Open."));
    setCentralWidget(m_summaryView);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *openAction = fileMenu->addAction(tr("&Open..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open ONNX model"), QString(),
                                                          tr("ONNX models (*.onnx);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    openAction->setShortcut(QKeySequence::Open);
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &MainWindow::showLoaded);
    resize(1000, 700);
}

MainWindow::~MainWindow()
{
    m_loadWatcher.waitForFinished();
}

void MainWindow::openModel(const QString &path)
{
    m_loadingPath = path;
    statusBar()->showMessage(tr("Loading %1...").arg(QFileInfo(path).fileName()));
    m_loadWatcher.setFuture(QtConcurrent::run([path]() {
        LoadOutcome outcome;
        auto loaded = Model::load(path.toStdString());
        if (!loaded) {
            outcome.error = QString::fromStdString(loaded.status().message());
            return outcome;
        }
        outcome.model = loaded.value();
        std::ostringstream text;
        cli::writeInspectText(*outcome.model, summarize(*outcome.model), {true, false, true},
                              text);
        outcome.summaryText = QString::fromStdString(text.str());
        return outcome;
    }));
}

void MainWindow::showLoaded()
{
    const LoadOutcome outcome = m_loadWatcher.result();
    if (!outcome.error.isEmpty()) {
        statusBar()->clearMessage();
        QMessageBox::critical(this, tr("Cannot open model"), outcome.error);
        return;
    }
    setWindowTitle(tr("%1 - Quantscope").arg(QFileInfo(m_loadingPath).fileName()));
    m_summaryView->setPlainText(outcome.summaryText);
    statusBar()->showMessage(tr("Loaded %1").arg(m_loadingPath));
}

} // namespace qs::ui
