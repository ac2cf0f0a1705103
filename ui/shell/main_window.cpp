#include "main_window.h"

#include "about_dialog.h"
#include "compare/compare_page.h"
#include "diagnostics_dock.h"
#include "graph/graph_page.h"
#include "inspector/inspector_page.h"
#include "job_status_widget.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "preferences_dialog.h"
#include "quant/quantizer.h"
#include "quant/recipe_io.h"
#include "quantize/calibration_panel.h"
#include "quantize/quantize_page.h"
#include "tune/core_tune_runner.h"
#include "tune/tune_charts.h"
#include "tune/tune_page.h"
#include "workbench/core_messages.h"
#include "workbench/error_dialog.h"
#include "workbench/job_controller.h"
#include "workbench/settings.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTabWidget>

#include <memory>

namespace qs::ui {

namespace {

struct Loaded
{
    std::shared_ptr<const Model> model;
    QString error;
    bool cancelled = false;
};

QStringList onnxFiles(const QMimeData *mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            files.append(url.toLocalFile());
    return files;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_workbench(new Workbench(this))
    , m_loadJob(new JobController(m_workbench, this, JobController::Runs::OnAnyThread,
                                  JobController::WhenBusy::Supersede))
    , m_pages(new QTabWidget(this))
    , m_inspector(new InspectorPage(m_workbench, this))
    , m_graph(new GraphPage(m_workbench, this))
    , m_quantize(new QuantizePage(m_workbench, this))
    , m_compare(new ComparePage(m_workbench, this))
    , m_tune(new TunePage(m_workbench, this))
    , m_diagnostics(new DiagnosticsDock(m_workbench, this))
    , m_jobStatus(new JobStatusWidget(this))
    , m_modelFacts(new QLabel(this))
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));
    setAcceptDrops(true);
    for (QWidget *page : {static_cast<QWidget *>(m_inspector), static_cast<QWidget *>(m_graph),
                          static_cast<QWidget *>(m_quantize), static_cast<QWidget *>(m_compare),
                          static_cast<QWidget *>(m_tune)})
        m_pages->addTab(page, QString());
    setCentralWidget(m_pages);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagnostics);

    statusBar()->addWidget(m_modelFacts, 1);
    statusBar()->addPermanentWidget(m_jobStatus);
    for (JobController *job : jobs())
        m_jobStatus->watch(job);
    for (JobController *job : m_graph->jobs())
        m_jobStatus->watch(job);
    connectGraphOverlays();

    connect(m_diagnostics, &DiagnosticsDock::nodeActivated, this,
            [this] { m_pages->setCurrentWidget(m_inspector); });
    connect(m_compare, &ComparePage::showNodeRequested, this,
            [this] { m_pages->setCurrentWidget(m_inspector); });
    connect(m_tune, &TunePage::showNodeRequested, this,
            [this] { m_pages->setCurrentWidget(m_inspector); });
    // Tuning starts from the recipe the Quantize page shows, and Apply brings a trial's back.
    m_tune->setStartRecipe([this] { return m_quantize->currentRecipe(); });
    m_tune->setRunner(std::make_shared<TuneRouter>());
    connect(m_tune, &TunePage::applyRecipeRequested, this, [this](const quantscope::Recipe &recipe) {
        m_quantize->applyRecipe(recipe);
        m_pages->setCurrentWidget(m_quantize);
    });
    retranslate();

    resize(1280, 800);
    restoreGeometry(settings::windowGeometry());
    restoreState(settings::windowState());
}

MainWindow::~MainWindow()
{
    cancelJobsAndWait();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    const QString fileName = QFileInfo(m_workbench->modelPath()).fileName();
    setWindowTitle(m_workbench->model() ? tr("%1 - Quantscope").arg(fileName) : tr("Quantscope"));
    m_pages->setTabText(m_pages->indexOf(m_inspector), tr("Inspector"));
    m_pages->setTabText(m_pages->indexOf(m_graph), tr("Graph"));
    m_pages->setTabText(m_pages->indexOf(m_quantize), tr("Quantize"));
    m_pages->setTabText(m_pages->indexOf(m_compare), tr("Compare"));
    m_pages->setTabText(m_pages->indexOf(m_tune), tr("Tune"));
    if (m_workbench->model())
        showModelFacts();
    else
        m_modelFacts->setText(tr("Open an ONNX model with File > Open or drop it here."));
    // The menus are built again rather than renamed one action at a time: createMenus() is the
    // one place that knows them. The menus (and their actions) go with their QMenu; the dock's
    // toggle action belongs to the dock and survives.
    for (QAction *action : menuBar()->actions())
        if (QMenu *menu = action->menu())
            menu->deleteLater();
    menuBar()->clear();
    createMenus();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Model..."), QKeySequence::Open, this, &MainWindow::chooseModel);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Variant..."), this, &MainWindow::openVariant);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Find Node"), QKeySequence::Find, this, [this] {
        if (m_pages->currentWidget() == m_graph) {
            m_graph->focusFind();
            return;
        }
        m_pages->setCurrentWidget(m_inspector);
        m_inspector->focusFilter();
    });
    edit->addSeparator();
    edit->addAction(tr("&Preferences..."), QKeySequence::Preferences, this, [this] {
        PreferencesDialog dialog(this);
        dialog.exec();
    });

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Quantize"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q), this, [this] {
        m_pages->setCurrentWidget(m_quantize);
        m_quantize->startQuantize();
    });
    run->addAction(tr("&Compare"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, [this] {
        m_pages->setCurrentWidget(m_compare);
        m_compare->startCompare();
    });
    run->addAction(tr("&Tune"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), this, [this] {
        m_pages->setCurrentWidget(m_tune);
        m_tune->startTune();
    });
    run->addSeparator();
    run->addAction(tr("Cancel &All Jobs"), QKeySequence(Qt::Key_Escape), this, [this] {
        for (JobController *job : jobs())
            job->cancel();
        m_graph->job()->cancel(); // not in jobs(): a layout never holds up opening a model
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Inspector"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
                    [this] { m_pages->setCurrentWidget(m_inspector); });
    view->addAction(tr("&Graph"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), this,
                    [this] { m_pages->setCurrentWidget(m_graph); });
    view->addAction(tr("&Quantize"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
                    [this] { m_pages->setCurrentWidget(m_quantize); });
    view->addAction(tr("&Compare"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                    [this] { m_pages->setCurrentWidget(m_compare); });
    view->addAction(tr("&Tune"), QKeySequence(Qt::CTRL | Qt::Key_4), this,
                    [this] { m_pages->setCurrentWidget(m_tune); });
    view->addSeparator();
    view->addAction(m_diagnostics->toggleViewAction()); // named by the dock

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Quantscope"), this, [this] {
        AboutDialog dialog(this);
        dialog.exec();
    });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

// The Graph page paints what other pages produce: the last Quantize run's nodes left in float
// (from the recipe saved beside its model), the last comparison's per-node SQNR and the last
// Tune run's per-node sensitivity.
void MainWindow::connectGraphOverlays()
{
    connect(m_quantize, &QuantizePage::quantized, this, [this](const QString &outputPath) {
        Result<quantscope::Recipe> recipe = loadRecipe(recipePathFor(outputPath.toStdString()));
        if (recipe)
            m_graph->setLeftInFloat(GraphOverlays::leftInFloat(*recipe));
    });
    connect(m_compare, &ComparePage::compared, this, [this] {
        if (m_compare->lastReport())
            m_graph->setNodeErrors(*m_compare->lastReport());
    });
    connect(m_tune, &TunePage::tuneFinished, this, [this] {
        QHash<QString, double> lossByNode;
        for (const SensitivityPoint &point : m_tune->sensitivityChart()->points())
            lossByNode.insert(point.node, point.loss);
        m_graph->setSensitivity(lossByNode);
    });
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = settings::recentFiles();
    for (const QString &path : files)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openModel(path); })
            ->setToolTip(path);
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear List"), this, [this] {
        for (const QString &path : settings::recentFiles())
            settings::removeRecentFile(path);
        rebuildRecentMenu();
    });
}

void MainWindow::chooseModel()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open ONNX Model"),
                                       m_workbench->dialogFolder(settings::Folder::Model),
                                       tr("ONNX models (*.onnx);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::openVariant()
{
    if (!m_workbench->model()) {
        showError(tr("No model open"),
                  tr("Open the FP32 reference model first; variants are compared with it."));
        return;
    }
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open Variant"),
                                       m_workbench->dialogFolder(settings::Folder::Output),
                                       tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    m_workbench->rememberDialogFolder(settings::Folder::Output, path);
    Variant variant;
    variant.path = path;
    variant.kind = tr("Opened file");
    variant.sizeBytes = QFileInfo(path).size();
    m_workbench->variants()->add(variant);
    m_pages->setCurrentWidget(m_compare);
}

QList<JobController *> MainWindow::jobs() const
{
    return {m_loadJob, m_quantize->job(), m_compare->job(), m_tune->job()};
}

void MainWindow::openModel(const QString &path)
{
    QStringList running;
    for (JobController *job : jobs())
        if (job->isRunning())
            running.append(job->title());
    if (running.isEmpty()) {
        loadModel(path);
        return;
    }
    // Latest request wins here too: a question still open for an earlier file is replaced.
    if (m_cancelJobsQuestion)
        m_cancelJobsQuestion->close();
    const QString fileName = QFileInfo(path).fileName();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Open %1").arg(fileName),
                                tr("Cancel the running jobs and open %1?").arg(fileName),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setInformativeText(tr("Running now:\n%1").arg(running.join(QLatin1Char('\n'))));
    box->setObjectName(QStringLiteral("cancelJobsQuestion"));
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    // Results of the jobs would belong to the model being replaced: they are dropped anyway.
    connect(box, &QMessageBox::finished, this, [this, path](int answer) {
        if (answer != QMessageBox::Yes)
            return;
        for (JobController *job : jobs())
            job->cancel();
        loadModel(path);
    });
    m_cancelJobsQuestion = box;
    box->open(); // window-modal, not blocking: jobs, the event loop and tests go on
}

void MainWindow::loadModel(const QString &path)
{
    const QString fileName = QFileInfo(path).fileName();
    const std::string file = path.toStdString();
    // A load still running is superseded by this one (its model is dropped).
    m_loadJob->run<Loaded>([fileName] { return tr("Loading %1").arg(fileName); },
                           [file](Progress &progress) {
                               Loaded loaded;
                               auto model = Model::load(file, progress);
                               if (model)
                                   loaded.model = *model;
                               else
                                   loaded.error = CoreMessages::text(model.status());
                               loaded.cancelled = progress.cancelled();
                               return loaded;
                           },
                           [this, path, fileName](Loaded loaded) {
                               if (!loaded.model) {
                                   if (!loaded.cancelled) {
                                       showError(tr("Cannot open %1").arg(fileName), loaded.error);
                                       settings::removeRecentFile(path);
                                       rebuildRecentMenu();
                                   }
                                   emit openFailed(path, loaded.error);
                                   return;
                               }
                               settings::setLastFolder(settings::Folder::Model, path);
                               settings::addRecentFile(path);
                               rebuildRecentMenu();
                               m_workbench->setModel(std::move(loaded.model), path);
                               setWindowTitle(tr("%1 - Quantscope").arg(fileName));
                               showModelFacts();
                               emit modelOpened(path);
                           });
}

bool MainWindow::applyRecipeFile(const QString &path)
{
    // The recipe's preprocessing reaches Compare and Tune through the Workbench's shared one,
    // whatever the recipe's mode: it describes how this model's images are prepared even when
    // it quantizes without calibration.
    return m_quantize->loadRecipeFile(path);
}

QString MainWindow::modelFactsText() const
{
    return m_modelFacts->text();
}

void MainWindow::showModelFacts()
{
    if (!m_workbench->model())
        return;
    const ModelSummary &summary = m_workbench->summary();
    QStringList opsets;
    for (const auto &[domain, version] : summary.opsets)
        opsets.append(
            QStringLiteral("%1 %2")
                .arg(domain.empty() ? QStringLiteral("ai.onnx") : QString::fromStdString(domain))
                .arg(version));
    const QLocale locale;
    m_modelFacts->setText(
        tr("IR %1 | opsets: %2 | %3 nodes | %4 parameters | %5")
            .arg(summary.irVersion)
            .arg(opsets.join(QStringLiteral(", ")))
            .arg(locale.toString(qlonglong(summary.nodeCountTotal)))
            .arg(locale.toString(qlonglong(summary.parameterCount + summary.constantParameterCount)))
            .arg(formatBytes(qint64(summary.fileBytes))));
}

void MainWindow::showError(const QString &title, const QString &message)
{
    qs::ui::showError(m_workbench, this, title, message);
}

void MainWindow::cancelJobsAndWait()
{
    for (JobController *job : jobs()) {
        job->cancel();
        job->waitForFinished();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    cancelJobsAndWait();
    settings::saveWindow(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (onnxFiles(event->mimeData()).size() == 1)
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = onnxFiles(event->mimeData());
    if (files.size() != 1)
        return;
    event->acceptProposedAction();
    openModel(files.front());
}

} // namespace qs::ui
