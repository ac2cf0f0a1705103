#include "tune_page.h"

#include "tune_charts.h"
#include "tune_runner.h"
#include "tune_trials.h"
#include "workbench/error_dialog.h"
#include "workbench/job_controller.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace qs::ui {

namespace {

// A target metric's name, in the combo box and on the scatter chart's accuracy axis.
QString metricName(const QString &key)
{
    if (key == QLatin1String("sqnr"))
        return TunePage::tr("Output SQNR (dB)");
    if (key == QLatin1String("top1"))
        return TunePage::tr("Top-1 agreement");
    if (key == QLatin1String("iou@0.3"))
        return TunePage::tr("Mask IoU at 0.3");
    return TunePage::tr("Output cosine");
}

} // namespace

struct TunePage::Private
{
    TunePage *q = nullptr;
    Workbench *workbench = nullptr;
    JobController *job = nullptr;
    std::shared_ptr<const TuneRunner> runner;
    std::function<quantscope::Recipe()> startRecipe;
    // Trials and sensitivity figures of a run that is no longer the latest are dropped.
    quint64 generation = 0;

    QComboBox *metric = nullptr;
    QDoubleSpinBox *threshold = nullptr;
    QLineEdit *folder = nullptr;
    QComboBox *search = nullptr;
    QSpinBox *budgetTrials = nullptr;
    QSpinBox *budgetSeconds = nullptr;
    QPushButton *start = nullptr;
    QPushButton *cancel = nullptr;
    QPushButton *apply = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *step = nullptr;
    QLabel *eta = nullptr;
    QLabel *status = nullptr;
    QLabel *preprocessing = nullptr; // the Workbench's, set on Quantize or Compare
    TrialScatterChart *scatter = nullptr;
    SensitivityChart *sensitivity = nullptr;
    TrialTableModel *trials = nullptr;
    QSortFilterProxyModel *sorted = nullptr;
    QTableView *table = nullptr;

    QWidget *createSettings();
    QWidget *createRunRow();
    QWidget *createResults();
    void updateStart();
    void clearResults();
    void onTrial(const TrialPoint &trial);
    void onDone(const TuneRunOutcome &outcome);
};

TunePage::TunePage(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->workbench = workbench;
    d->job = new JobController(workbench, this);
    d->trials = new TrialTableModel(this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(d->createSettings());
    layout->addWidget(d->createResults(), 1);
    layout->addWidget(d->createRunRow());

    connect(workbench, &Workbench::modelChanged, this, [this] {
        d->clearResults();
        d->updateStart();
    });
    connect(d->metric, &QComboBox::currentIndexChanged, this, [this] {
        const bool sqnr = d->metric->currentData().toString() == QLatin1String("sqnr");
        d->threshold->setRange(sqnr ? -100.0 : 0.0, sqnr ? 200.0 : 1.0);
        d->threshold->setDecimals(sqnr ? 1 : 4);
        d->threshold->setSingleStep(sqnr ? 1.0 : 0.001);
        d->scatter->setAccuracyLabel(
            [key = d->metric->currentData().toString()] { return metricName(key); });
        d->scatter->setTarget(d->threshold->value());
    });
    connect(d->threshold, &QDoubleSpinBox::valueChanged, this,
            [this](double value) { d->scatter->setTarget(value); });
    connect(d->sensitivity, &SensitivityChart::nodeSelected, this, [this](const QString &node) {
        const int id = d->workbench->nodeIdByName(node);
        if (id < 0)
            return;
        d->workbench->selectNode(id);
        emit showNodeRequested(id);
    });
    connect(d->scatter, &TrialScatterChart::trialClicked, this, [this](int row) {
        const QModelIndex index = d->sorted->mapFromSource(d->trials->index(row, 0));
        d->table->selectRow(index.row());
    });
    connect(d->job, &JobController::started, this, [this] { d->updateStart(); });
    connect(d->job, &JobController::finished, this, [this] { d->updateStart(); });
    connect(d->job, &JobController::progressChanged, this,
            [this](int permille, const QString &step, int secondsLeft) {
                d->progress->setRange(0, permille < 0 ? 0 : 1000);
                if (permille >= 0)
                    d->progress->setValue(permille);
                d->step->setText(step);
                d->eta->setText(secondsLeft < 0 ? QString()
                                                : tr("%1 left").arg(formatDuration(secondsLeft)));
            });
    d->scatter->setTarget(d->threshold->value());
    d->updateStart();
}

TunePage::~TunePage()
{
    // Callbacks queued by the worker point into d: stop the worker before d goes.
    d->job->cancel();
    d->job->waitForFinished();
}

QWidget *TunePage::Private::createSettings()
{
    auto *group = translated<QGroupBox>([] { return TunePage::tr("Target and budget"); });
    auto *form = new QFormLayout(group);

    auto *targetRow = new QHBoxLayout;
    metric = new QComboBox;
    metric->setObjectName(QStringLiteral("tuneMetric"));
    for (const char *key : {"cosine", "sqnr", "top1", "iou@0.3"})
        addTranslatedItem(
            metric, [key] { return metricName(QString::fromLatin1(key)); },
            QString::fromLatin1(key));
    threshold = new QDoubleSpinBox;
    threshold->setObjectName(QStringLiteral("tuneThreshold"));
    threshold->setRange(0.0, 1.0);
    threshold->setDecimals(4);
    threshold->setSingleStep(0.001);
    threshold->setValue(0.99);
    targetRow->addWidget(metric);
    targetRow->addWidget(translated<QLabel>([] { return TunePage::tr(">="); }));
    targetRow->addWidget(threshold);
    targetRow->addStretch();
    addTranslatedRow(
        form, [] { return TunePage::tr("Target:"); }, targetRow);

    auto *folderRow = new QHBoxLayout;
    folder = new QLineEdit;
    folder->setObjectName(QStringLiteral("evaluationFolder"));
    setTranslatedPlaceholder(folder, [] {
        return TunePage::tr(
            "Held-out images or tensors, not the calibration folder (empty: random)");
    });
    auto *browse = translated<QPushButton>([] { return TunePage::tr("Browse..."); });
    QObject::connect(browse, &QPushButton::clicked, q, [this] {
        const QString start = folder->text().isEmpty() || !QFileInfo(folder->text()).isDir()
                                  ? workbench->dialogFolder(settings::Folder::Calibration)
                                  : folder->text();
        const QString chosen
            = QFileDialog::getExistingDirectory(q, TunePage::tr("Evaluation Folder"), start);
        if (chosen.isEmpty())
            return;
        workbench->rememberDialogFolder(settings::Folder::Calibration, chosen);
        folder->setText(chosen);
    });
    folderRow->addWidget(folder, 1);
    folderRow->addWidget(browse);
    addTranslatedRow(
        form, [] { return TunePage::tr("Evaluation folder:"); }, folderRow);

    // Set once per model on the Quantize or Compare page; the evaluation images go through it.
    preprocessing = new QLabel;
    preprocessing->setObjectName(QStringLiteral("tunePreprocessing"));
    preprocessing->setWordWrap(true);
    setTranslatedToolTip(preprocessing, [] {
        return TunePage::tr("The model's image preprocessing, set on the Quantize or Compare page");
    });
    auto showPreprocessing = [this] {
        setTranslatedText(preprocessing, [this] {
            return PreprocessingEditor::describe(workbench->preprocessing());
        });
    };
    QObject::connect(workbench, &Workbench::preprocessingChanged, q, showPreprocessing);
    showPreprocessing();
    addTranslatedRow(
        form, [] { return TunePage::tr("Preprocessing:"); }, preprocessing);

    auto *budgetRow = new QHBoxLayout;
    budgetTrials = new QSpinBox;
    budgetTrials->setObjectName(QStringLiteral("budgetTrials"));
    budgetTrials->setRange(0, 100000);
    budgetTrials->setValue(50);
    keepTranslated(budgetTrials, [spin = budgetTrials] {
        spin->setSpecialValueText(TunePage::tr("no limit"));
        spin->setSuffix(TunePage::tr(" trials"));
    });
    budgetSeconds = new QSpinBox;
    budgetSeconds->setObjectName(QStringLiteral("budgetSeconds"));
    budgetSeconds->setRange(0, 24 * 3600);
    budgetSeconds->setValue(900);
    keepTranslated(budgetSeconds, [spin = budgetSeconds] {
        spin->setSpecialValueText(TunePage::tr("no limit"));
        spin->setSuffix(TunePage::tr(" s"));
    });
    budgetRow->addWidget(budgetTrials);
    budgetRow->addWidget(budgetSeconds);
    budgetRow->addStretch();
    addTranslatedRow(
        form, [] { return TunePage::tr("Budget:"); }, budgetRow);

    search = new QComboBox;
    search->setObjectName(QStringLiteral("tuneSearch"));
    addTranslatedItem(
        search, [] { return TunePage::tr("Keep the most sensitive nodes float"); },
        QStringLiteral("fallback"));
    addTranslatedItem(
        search, [] { return TunePage::tr("Try calibration recipes"); }, QStringLiteral("recipes"));
    addTranslatedItem(
        search, [] { return TunePage::tr("Recipes, then fallback"); }, QStringLiteral("both"));
    setTranslatedToolTip(search, [] {
        return TunePage::tr("INT8 only; an FP16 recipe searches its block list");
    });
    addTranslatedRow(
        form, [] { return TunePage::tr("Search:"); }, search);
    return group;
}

QWidget *TunePage::Private::createResults()
{
    scatter = new TrialScatterChart;
    sensitivity = new SensitivityChart;
    sorted = new QSortFilterProxyModel(q);
    sorted->setSourceModel(trials);
    sorted->setSortRole(TrialTableModel::SortRole);
    table = new QTableView;
    table->setObjectName(QStringLiteral("trialTable"));
    table->setModel(sorted);
    table->setSortingEnabled(true);
    table->sortByColumn(TrialTableModel::NumberColumn, Qt::AscendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->horizontalHeader()->setSectionResizeMode(TrialTableModel::DescriptionColumn,
                                                    QHeaderView::Stretch);
    table->verticalHeader()->hide();
    QObject::connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, q,
                     [this] { updateStart(); });
    QObject::connect(table, &QTableView::doubleClicked, q, [this] { q->applyTrial(); });

    auto *charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(scatter);
    charts->addWidget(sensitivity);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(charts);
    split->addWidget(table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    return split;
}

QWidget *TunePage::Private::createRunRow()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    start = translated<QPushButton>([] { return TunePage::tr("Start Tuning"); });
    start->setObjectName(QStringLiteral("startTune"));
    cancel = translated<QPushButton>([] { return TunePage::tr("Cancel"); });
    apply = translated<QPushButton>([] { return TunePage::tr("Apply to Quantize"); });
    apply->setObjectName(QStringLiteral("applyTrial"));
    setTranslatedToolTip(apply, [] {
        return TunePage::tr("Load the selected trial's recipe into the Quantize page");
    });
    progress = new QProgressBar;
    progress->setMaximumWidth(240);
    step = new QLabel;
    eta = new QLabel;
    status = new QLabel;
    status->setObjectName(QStringLiteral("tuneStatus"));
    layout->addWidget(start);
    layout->addWidget(cancel);
    layout->addWidget(progress);
    layout->addWidget(step);
    layout->addWidget(eta);
    layout->addWidget(status, 1);
    layout->addWidget(apply);
    QObject::connect(start, &QPushButton::clicked, q, &TunePage::startTune);
    QObject::connect(cancel, &QPushButton::clicked, job, &JobController::cancel);
    QObject::connect(apply, &QPushButton::clicked, q, [this] { q->applyTrial(); });
    return row;
}

void TunePage::Private::updateStart()
{
    const bool running = job->isRunning();
    const bool ready = workbench->model() && runner;
    start->setEnabled(ready && !running);
    const bool hasModel = workbench->model() != nullptr, hasRunner = runner != nullptr;
    setTranslatedToolTip(start, [hasModel, hasRunner] {
        return !hasModel    ? TunePage::tr("Open a model first.")
               : !hasRunner ? TunePage::tr("No tune run is available in this build.")
                            : QString();
    });
    cancel->setEnabled(running);
    progress->setVisible(running);
    step->setVisible(running);
    eta->setVisible(running);
    apply->setEnabled(table->selectionModel()->hasSelection());
}

void TunePage::Private::clearResults()
{
    ++generation;
    job->discard();
    trials->clear();
    scatter->setTrials({});
    sensitivity->setPoints({});
    setTranslatedText(status, [] { return QString(); });
}

void TunePage::Private::onTrial(const TrialPoint &trial)
{
    trials->addTrial(trial);
    scatter->setTrials(trials->trials());
}

void TunePage::Private::onDone(const TuneRunOutcome &outcome)
{
    if (!outcome.error.isEmpty() && !outcome.cancelled) {
        showError(workbench, q, TunePage::tr("Tune"), outcome.error);
        emit q->failed(outcome.error);
        return;
    }
    setTranslatedText(status, [cancelled = outcome.cancelled, summary = outcome.summary] {
        return cancelled ? TunePage::tr("Cancelled; the trials so far are kept.") : summary;
    });
    if (sensitivity->points().isEmpty())
        sensitivity->setMessage(
            [] { return TunePage::tr("This run measured no per-node sensitivity."); });
    if (outcome.bestTrial >= 0 && !outcome.bestModelPath.isEmpty())
        trials->setModelPath(outcome.bestTrial, outcome.bestModelPath);
    const int best = outcome.bestTrial >= 0 ? outcome.bestTrial : trials->bestRow();
    if (best >= 0 && best < trials->rowCount())
        table->selectRow(sorted->mapFromSource(trials->index(best, 0)).row());
    emit q->tuneFinished(outcome.met);
}

JobController *TunePage::job() const
{
    return d->job;
}

void TunePage::setRunner(std::shared_ptr<const TuneRunner> runner)
{
    d->runner = std::move(runner);
    d->updateStart();
}

void TunePage::setStartRecipe(std::function<quantscope::Recipe()> startRecipe)
{
    d->startRecipe = std::move(startRecipe);
}

void TunePage::setEvaluationFolder(const QString &folder)
{
    d->folder->setText(folder);
}

void TunePage::setTarget(const QString &metric, double threshold)
{
    const int index = d->metric->findData(metric);
    if (index >= 0)
        d->metric->setCurrentIndex(index);
    d->threshold->setValue(threshold);
}

void TunePage::setBudget(int trials, int seconds)
{
    d->budgetTrials->setValue(trials);
    d->budgetSeconds->setValue(seconds);
}

TrialTableModel *TunePage::trials() const
{
    return d->trials;
}

TrialScatterChart *TunePage::scatterChart() const
{
    return d->scatter;
}

SensitivityChart *TunePage::sensitivityChart() const
{
    return d->sensitivity;
}

QPushButton *TunePage::startButton() const
{
    return d->start;
}

QPushButton *TunePage::applyButton() const
{
    return d->apply;
}

QTableView *TunePage::trialTable() const
{
    return d->table;
}

void TunePage::startTune()
{
    if (!d->start->isEnabled())
        return;
    d->clearResults();
    TuneRequest request;
    request.model = d->workbench->model();
    request.modelPath = d->workbench->modelPath();
    if (d->startRecipe)
        request.start = d->startRecipe();
    // The model's one preprocessing (the Quantize page's recipe carries it too); a recipe
    // without calibration gets none added for nothing.
    if (d->workbench->preprocessing().ByteSizeLong() > 0 || request.start.has_calibration())
        *request.start.mutable_calibration()->mutable_preprocessing()
            = d->workbench->preprocessing();
    request.evaluationFolder = d->folder->text().trimmed();
    request.metric = d->metric->currentData().toString();
    request.threshold = d->threshold->value();
    request.budgetTrials = d->budgetTrials->value();
    request.budgetSeconds = d->budgetSeconds->value();
    request.search = d->search->currentData().toString();
    if (!request.evaluationFolder.isEmpty())
        d->workbench->rememberDialogFolder(settings::Folder::Calibration, request.evaluationFolder);

    // The worker's figures reach the page through queued calls; a newer run or another model
    // (a new generation) drops the late ones.
    const quint64 generation = d->generation;
    QPointer<TunePage> page(this);
    TuneRunCallbacks callbacks;
    callbacks.trial = [page, generation](const TrialPoint &trial) {
        QMetaObject::invokeMethod(
            page,
            [page, generation, trial] {
                if (page && page->d->generation == generation)
                    page->d->onTrial(trial);
            },
            Qt::QueuedConnection);
    };
    callbacks.sensitivity = [page, generation](const SensitivityPoint &point) {
        QMetaObject::invokeMethod(
            page,
            [page, generation, point] {
                if (page && page->d->generation == generation)
                    page->d->sensitivity->addPoint(point);
            },
            Qt::QueuedConnection);
    };
    std::shared_ptr<const TuneRunner> runner = d->runner;
    d->job->run<TuneRunOutcome>([name = QFileInfo(request.modelPath)
                                            .fileName()] { return tr("Tuning %1").arg(name); },
                                [runner, request, callbacks](Progress &progress) {
                                    TuneRunOutcome outcome = runner->run(request, callbacks,
                                                                         progress);
                                    outcome.cancelled = outcome.cancelled || progress.cancelled();
                                    return outcome;
                                },
                                [this, generation](TuneRunOutcome outcome) {
                                    // Queued after the last trial's call, so every trial is in the table by now.
                                    QMetaObject::invokeMethod(
                                        this,
                                        [this, generation, outcome] {
                                            if (d->generation == generation)
                                                d->onDone(outcome);
                                        },
                                        Qt::QueuedConnection);
                                });
}

void TunePage::applyTrial(int row)
{
    if (row < 0) {
        const QModelIndexList selected = d->table->selectionModel()->selectedRows();
        if (selected.isEmpty())
            return;
        row = d->sorted->mapToSource(selected.front()).row();
    }
    if (row < 0 || row >= d->trials->rowCount())
        return;
    const TrialPoint &trial = d->trials->at(row);
    emit applyRecipeRequested(trial.recipe);
    if (!trial.modelPath.isEmpty()) {
        Variant variant;
        variant.path = trial.modelPath;
        variant.kind = tr("Tune trial %1").arg(trial.number);
        variant.sizeBytes = trial.sizeBytes;
        d->workbench->variants()->add(variant);
    }
    d->workbench
        ->addMessage(Severity::Info,
                     tr("Trial %1's recipe was loaded into the Quantize page.").arg(trial.number));
}

} // namespace qs::ui
