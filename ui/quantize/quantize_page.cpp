#include "quantize_page.h"

#include "calibration_panel.h"
#include "exclusion_panel.h"
#include "model/model.h"
#include "quant/quantizer.h"
#include "quant/recipe_io.h"
#include "quantize_job.h"
#include "quantize_options.h"
#include "workbench/core_messages.h"
#include "workbench/error_dialog.h"
#include "workbench/job_controller.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/recipe_fields.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace qs::ui {

struct QuantizePage::Private
{
    QuantizePage *q = nullptr;
    Workbench *workbench = nullptr;
    JobController *job = nullptr;
    QuantizeOptions *options = nullptr;
    CalibrationPanel *calibration = nullptr;
    ExclusionPanel *exclusions = nullptr;
    QLineEdit *output = nullptr;
    bool outputEdited = false; // the user's path wins over the default from then on
    // Settings made before the first model opens (--recipe, --calibration-folder) are for it;
    // once a model was open, opening another resets what named the old one.
    bool hadModel = false;
    QPushButton *quantize = nullptr;
    QPushButton *cancel = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *step = nullptr;
    QLabel *eta = nullptr;

    QWidget *createRecipeRow();
    QWidget *createOutputGroup();
    QWidget *createRunRow();
    void updateDefaultOutput();
    void updateForMode();
    void resetModelSettings();
    void showError(const QString &message);
    QString validate(const quantscope::Recipe &recipe) const;
    // Only for the model still open: the Workbench drops the results of a closed one.
    void onJobDone(const QString &outputPath, QuantizeOutcome outcome);
    void setRunning(bool running);
};

QuantizePage::QuantizePage(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , d(new Private)
{
    d->q = this;
    d->workbench = workbench;
    d->job = new JobController(workbench, this);
    d->options = new QuantizeOptions(this);
    d->calibration = new CalibrationPanel(workbench, this);
    d->calibration->preprocessingEditor()->shareWith(workbench);
    d->exclusions = new ExclusionPanel(workbench, this);

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(d->createRecipeRow());
    column->addWidget(d->options);
    column->addWidget(d->calibration);
    column->addWidget(d->exclusions);
    column->addStretch();
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(d->createOutputGroup());
    layout->addWidget(d->createRunRow());

    connect(d->options, &QuantizeOptions::modeChanged, this, [this] {
        d->updateForMode();
        d->updateDefaultOutput();
    });
    connect(workbench, &Workbench::modelChanged, this, [this] {
        if (d->hadModel)
            d->resetModelSettings();
        d->hadModel = d->workbench->model() != nullptr;
        d->updateDefaultOutput();
        d->calibration->setModelInputs(d->workbench->summary().inputs);
    });
    connect(d->exclusions, &ExclusionPanel::problem, this,
            [this](const QString &message) { d->showError(message); });
    connect(d->job, &JobController::started, this, [this] { d->setRunning(true); });
    connect(d->job, &JobController::finished, this, [this] { d->setRunning(false); });
    connect(d->job, &JobController::progressChanged, this,
            [this](int permille, const QString &step, int secondsLeft) {
                d->progress->setRange(0, permille < 0 ? 0 : 1000); // 0..0: busy indicator
                if (permille >= 0)
                    d->progress->setValue(permille);
                d->step->setText(step);
                d->eta->setText(secondsLeft < 0 ? QString()
                                                : tr("%1 left").arg(formatDuration(secondsLeft)));
            });
    d->hadModel = workbench->model() != nullptr;
    d->updateForMode();
    d->updateDefaultOutput();
    d->calibration->setModelInputs(workbench->summary().inputs);
    d->setRunning(false);
}

QuantizePage::~QuantizePage()
{
    // The job's completion callback points into d: stop it before d goes.
    d->job->cancel();
    d->job->waitForFinished();
    delete d;
}

QWidget *QuantizePage::Private::createRecipeRow()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *load = translated<QPushButton>([] { return QuantizePage::tr("Load Recipe..."); }, row);
    auto *save = translated<QPushButton>([] { return QuantizePage::tr("Save Recipe..."); }, row);
    layout->addWidget(translated<QLabel>(
        [] { return QuantizePage::tr("Recipe (.textproto, as quantscope-cli --recipe):"); }, row));
    layout->addStretch();
    layout->addWidget(load);
    layout->addWidget(save);
    connect(load, &QPushButton::clicked, q, [this] {
        const QString path = QFileDialog::getOpenFileName(
            q, QuantizePage::tr("Load Recipe"), workbench->dialogFolder(settings::Folder::Recipe),
            QuantizePage::tr("Recipes (*.textproto *.txtpb *.pbtxt);;All files (*)"));
        if (path.isEmpty())
            return;
        workbench->rememberDialogFolder(settings::Folder::Recipe, path);
        q->loadRecipeFile(path);
    });
    connect(save, &QPushButton::clicked, q, [this] {
        const QString path
            = QFileDialog::getSaveFileName(q, QuantizePage::tr("Save Recipe"),
                                           workbench->dialogFolder(settings::Folder::Recipe),
                                           QuantizePage::tr("Recipes (*.textproto)"));
        if (path.isEmpty())
            return;
        workbench->rememberDialogFolder(settings::Folder::Recipe, path);
        q->saveRecipeFile(path);
    });
    return row;
}

QWidget *QuantizePage::Private::createOutputGroup()
{
    auto *group = translated<QGroupBox>([] { return QuantizePage::tr("Output"); });
    auto *layout = new QHBoxLayout(group);
    output = new QLineEdit(group);
    output->setObjectName(QStringLiteral("outputPath"));
    auto *browse = translated<QPushButton>([] { return QuantizePage::tr("Browse..."); }, group);
    layout->addWidget(output, 1);
    layout->addWidget(browse);
    connect(output, &QLineEdit::textEdited, q,
            [this](const QString &text) { outputEdited = !text.trimmed().isEmpty(); });
    connect(browse, &QPushButton::clicked, q, [this] {
        const QString start = !q->outputPath().isEmpty()
                                  ? q->outputPath()
                                  : workbench->dialogFolder(settings::Folder::Output);
        const QString path = QFileDialog::getSaveFileName(q, QuantizePage::tr("Output Model"),
                                                          start,
                                                          QuantizePage::tr("ONNX models (*.onnx)"));
        if (path.isEmpty())
            return;
        workbench->rememberDialogFolder(settings::Folder::Output, path);
        q->setOutputPath(path);
    });
    return group;
}

QWidget *QuantizePage::Private::createRunRow()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    quantize = translated<QPushButton>([] { return QuantizePage::tr("Quantize"); }, row);
    quantize->setObjectName(QStringLiteral("quantizeButton"));
    cancel = translated<QPushButton>([] { return QuantizePage::tr("Cancel"); }, row);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    progress = new QProgressBar(row);
    progress->setObjectName(QStringLiteral("quantizeProgress"));
    progress->setRange(0, 1000);
    progress->setTextVisible(false);
    step = new QLabel(row);
    step->setObjectName(QStringLiteral("quantizeStep"));
    eta = new QLabel(row);
    eta->setObjectName(QStringLiteral("quantizeEta"));
    layout->addWidget(quantize);
    layout->addWidget(cancel);
    layout->addWidget(progress, 1);
    layout->addWidget(step);
    layout->addWidget(eta);
    connect(quantize, &QPushButton::clicked, q, &QuantizePage::startQuantize);
    connect(cancel, &QPushButton::clicked, job, &JobController::cancel);
    return row;
}

void QuantizePage::Private::setRunning(bool running)
{
    quantize->setEnabled(!running);
    cancel->setEnabled(running);
    progress->setVisible(running);
    eta->setVisible(running);
    if (!running) {
        progress->setRange(0, 1000);
        progress->setValue(0);
        step->clear();
        eta->clear();
    }
}

// Issue 16: a setting left from the previous model (an FP16 node list naming its nodes) failed
// an INT8 run on the next one. Node names, the data folder, dims and preprocessing and the
// output path belong to one model; the mode and the quantizer's options are the user's.
void QuantizePage::Private::resetModelSettings()
{
    options->resetModelSettings();
    calibration->resetModelSettings();
    outputEdited = false;
}

void QuantizePage::Private::updateForMode()
{
    calibration->setVisible(options->mode() == quantscope::QUANT_MODE_STATIC);
}

QString QuantizePage::defaultOutputPath() const
{
    if (d->workbench->modelPath().isEmpty())
        return QString();
    const QFileInfo model(d->workbench->modelPath());
    const QString name = QStringLiteral("%1_%2.onnx")
                             .arg(model.completeBaseName(), modeFileSuffix(d->options->mode()));
    return QDir::toNativeSeparators(model.dir().filePath(name));
}

void QuantizePage::Private::updateDefaultOutput()
{
    if (!outputEdited)
        output->setText(q->defaultOutputPath());
}

JobController *QuantizePage::job() const
{
    return d->job;
}

QuantizeOptions *QuantizePage::options() const
{
    return d->options;
}

CalibrationPanel *QuantizePage::calibrationPanel() const
{
    return d->calibration;
}

ExclusionPanel *QuantizePage::exclusionPanel() const
{
    return d->exclusions;
}

QString QuantizePage::outputPath() const
{
    return d->output->text().trimmed();
}

void QuantizePage::setOutputPath(const QString &path)
{
    d->output->setText(path);
    d->outputEdited = !path.trimmed().isEmpty();
    if (!d->outputEdited)
        d->updateDefaultOutput();
}

// A calibration folder is only read in static mode: given one (`--calibration-folder` on the
// command line), the page switches to it, instead of leaving the folder hidden behind the
// dynamic default (issue 16).
void QuantizePage::setCalibrationFolder(const QString &folder)
{
    d->calibration->setFolder(folder);
    if (!folder.isEmpty())
        d->options->setMode(quantscope::QUANT_MODE_STATIC);
}

quantscope::Recipe QuantizePage::currentRecipe() const
{
    quantscope::Recipe recipe;
    recipe.set_input_model(d->workbench->modelPath().toStdString());
    recipe.set_output_model(outputPath().toStdString());
    d->options->read(recipe);
    if (recipe.mode() == quantscope::QUANT_MODE_STATIC)
        d->calibration->read(*recipe.mutable_calibration());
    // One exclusion model for every mode (issue 16): FP16 reads these lists too.
    recipe_fields::setList(*recipe.mutable_nodes_to_exclude(), d->workbench->excludedNodes());
    recipe_fields::setList(*recipe.mutable_op_types_to_exclude(), d->workbench->excludedOpTypes());
    // All-default sub-messages stay unset, as in a recipe written by hand or by the CLI.
    if (recipe.calibration().preprocessing().ByteSizeLong() == 0)
        recipe.mutable_calibration()->clear_preprocessing();
    if (recipe.calibration().ByteSizeLong() == 0)
        recipe.clear_calibration();
    if (recipe.fp16().ByteSizeLong() == 0)
        recipe.clear_fp16();
    return recipe;
}

void QuantizePage::applyRecipe(const quantscope::Recipe &recipe)
{
    // FP16's node block list (the CLI's --block-nodes) means what excluded nodes mean, in the
    // one list the page keeps.
    QStringList nodes = recipe_fields::toStringList(recipe.nodes_to_exclude());
    for (const QString &node : recipe_fields::toStringList(recipe.fp16().node_block_list()))
        if (!nodes.contains(node))
            nodes.append(node);
    d->workbench->setExclusions(nodes, recipe_fields::toStringList(recipe.op_types_to_exclude()));
    d->options->apply(recipe);
    d->calibration->apply(recipe.calibration());
    if (!recipe.output_model().empty())
        setOutputPath(QString::fromStdString(recipe.output_model()));
}

bool QuantizePage::loadRecipeFile(const QString &path)
{
    auto recipe = loadRecipe(path.toStdString());
    if (!recipe) {
        d->showError(
            tr("Cannot load the recipe: %1").arg(QString::fromStdString(recipe.status().message())));
        return false;
    }
    applyRecipe(*recipe);
    d->workbench->addMessage(Severity::Info, tr("Recipe loaded from %1.").arg(path));
    return true;
}

bool QuantizePage::saveRecipeFile(const QString &path)
{
    const Status saved = saveRecipe(currentRecipe(), path.toStdString());
    if (!saved) {
        d->showError(tr("Cannot save the recipe: %1").arg(QString::fromStdString(saved.message())));
        return false;
    }
    d->workbench->addMessage(Severity::Info, tr("Recipe saved to %1.").arg(path));
    return true;
}

void QuantizePage::Private::showError(const QString &message)
{
    qs::ui::showError(workbench, q, QuantizePage::tr("Quantize"), message);
    emit q->failed(message);
}

QString QuantizePage::Private::validate(const quantscope::Recipe &recipe) const
{
    const auto &model = workbench->model();
    if (!model)
        return QuantizePage::tr("Open a model before quantizing.");
    QString problem = options->validate();
    if (problem.isEmpty() && options->mode() == quantscope::QUANT_MODE_STATIC)
        problem = calibration->validate();
    if (!problem.isEmpty())
        return problem;
    const QString out = q->outputPath();
    if (out.isEmpty())
        return QuantizePage::tr("Choose the output file.");
    const QFileInfo outInfo(out);
    if (!outInfo.absoluteDir().exists())
        return QuantizePage::tr("The output folder %1 does not exist.").arg(outInfo.absolutePath());
    if (outInfo.exists()
        && outInfo.canonicalFilePath() == QFileInfo(workbench->modelPath()).canonicalFilePath())
        return QuantizePage::tr("The output %1 would overwrite the input model.").arg(out);
    if (options->mode() == quantscope::QUANT_MODE_STATIC) {
        const QString folder = calibration->folder();
        if (folder.isEmpty())
            return QuantizePage::tr("Static quantization needs a calibration folder.");
        if (!QFileInfo(folder).isDir())
            return QuantizePage::tr("The calibration folder %1 does not exist.").arg(folder);
    }
    // Cheap, and names the bad field (unknown node or op type, a type pair no runtime runs)
    // before a job starts.
    auto effective = effectiveRecipe(recipe, *model);
    if (!effective)
        return CoreMessages::text(effective.status());
    return QString();
}

void QuantizePage::startQuantize()
{
    if (d->job->isRunning())
        return;
    const quantscope::Recipe recipe = currentRecipe();
    const QString problem = d->validate(recipe);
    if (!problem.isEmpty()) {
        d->showError(problem);
        return;
    }
    const QString out = outputPath();
    const std::shared_ptr<const Model> model = d->workbench->model();
    const std::string outputPath = out.toStdString();
    const int threads = settings::threads();
    d->job->run<QuantizeOutcome>([name = QFileInfo(d->workbench->modelPath())
                                             .fileName()] { return tr("Quantizing %1").arg(name); },
                                 [model, recipe, outputPath, threads](Progress &progress) {
                                     return runQuantizeJob(model, recipe, outputPath, threads,
                                                           progress);
                                 },
                                 [this, out](QuantizeOutcome outcome) {
                                     d->onJobDone(out, std::move(outcome));
                                 });
}

void QuantizePage::Private::onJobDone(const QString &outputPath, QuantizeOutcome outcome)
{
    if (outcome.status.code() == StatusCode::Cancelled) {
        workbench->addMessage(Severity::Info, [outputPath] {
            return QuantizePage::tr("Quantization cancelled; %1 was not written.").arg(outputPath);
        });
        return;
    }
    if (!outcome.status) {
        showError(
            QuantizePage::tr("Quantization failed: %1").arg(CoreMessages::text(outcome.status)));
        return;
    }
    Variant variant;
    variant.path = outputPath;
    variant.kind = variantKind(outcome.recipe);
    variant.sizeBytes = QFileInfo(outputPath).size();
    workbench->variants()->add(variant);
    for (const Diagnostic &diagnostic : outcome.diagnostics)
        workbench->addDiagnostic(diagnostic);
    workbench->addMessage(Severity::Info, [outputPath, recipe = outcome.recipe,
                                           summary = QString::fromStdString(outcome.summary)] {
        return QuantizePage::tr("%1 written (%2): %3").arg(outputPath, variantKind(recipe), summary);
    });
    emit q->quantized(outputPath);
}

} // namespace qs::ui
