#include "compare_settings.h"

#include "workbench/dim_values_edit.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace qs::ui {

namespace {

QSpinBox *spinBox(int minimum, int maximum, int value, std::function<QString()> special = {})
{
    auto *spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    if (special)
        keepTranslated(spin, [spin, special = std::move(special)] {
            spin->setSpecialValueText(special());
        });
    return spin;
}

} // namespace

CompareSettingsWidget::CompareSettingsWidget(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_variantView(new QTableView)
    , m_addButton(translated<QPushButton>([] { return tr("Add file..."); }))
    , m_removeButton(translated<QPushButton>([] { return tr("Remove"); }))
    , m_randomButton(translated<QRadioButton>([] { return tr("Random inputs"); }))
    , m_folderButton(translated<QRadioButton>([] { return tr("Folder:"); }))
    , m_folderEdit(new QLineEdit)
    , m_browseFolderButton(translated<QPushButton>([] { return tr("Browse..."); }))
    , m_dimValues(new DimValuesEdit)
    , m_samples(spinBox(0, 100000, 0, [] { return tr("all (random: 4)"); }))
    , m_warmup(spinBox(0, 10000, 3))
    , m_iterations(spinBox(1, 1000000, 20))
    , m_threads(spinBox(0, 1024, settings::threads(), [] { return tr("all cores"); }))
    , m_perNode(translated<QCheckBox>([] { return tr("Per-node error"); }))
    , m_targets(new QLineEdit)
    , m_preprocessingBox(translated<QGroupBox>([] { return tr("Image preprocessing"); }))
    , m_preprocessing(new PreprocessingEditor)
{
    m_preprocessing->shareWith(workbench);
    m_variantView->setModel(workbench->variants());
    m_variantView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_variantView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_variantView->horizontalHeader()->setSectionResizeMode(VariantListModel::FileColumn,
                                                            QHeaderView::Stretch);
    m_variantView->verticalHeader()->hide();
    // The reference and a few variants stay visible however many settings follow.
    m_variantView->setMinimumHeight(m_variantView->horizontalHeader()->sizeHint().height()
                                    + 4 * m_variantView->verticalHeader()->defaultSectionSize()
                                    + 2 * m_variantView->frameWidth());
    setTranslatedToolTip(m_variantView, [] {
        return tr("Checked variants are compared with the reference (first row).");
    });
    m_perNode->setChecked(true);
    setTranslatedToolTip(m_perNode, [] {
        return tr("Compare every float tensor both models compute, to find the nodes "
                  "that lose the most accuracy.");
    });
    m_targets->setObjectName(QStringLiteral("compareTargets"));
    m_targets->setPlaceholderText(QStringLiteral("cosine>=0.99 speedup>=1.2"));
    setTranslatedToolTip(m_targets, [] {
        return tr("What each variant's verdict judges, separated by spaces: cosine, "
                  "sqnr, top1 (e.g. top1>=99%), speedup, smaller (size reduction), "
                  "each with >= or <= and a value.");
    });
    m_randomButton->setChecked(true);
    setTranslatedPlaceholder(m_folderEdit, [] { return tr("images or .npy/.pb tensors"); });
    m_dimValues->setObjectName(QStringLiteral("compareDimValues"));
    m_dimValues->setModelInputs(workbench->summary().inputs);

    auto *variantsBox = translated<QGroupBox>([] { return tr("Variants"); });
    auto *variantButtons = new QHBoxLayout;
    variantButtons->addWidget(m_addButton);
    variantButtons->addWidget(m_removeButton);
    variantButtons->addStretch();
    auto *variantsLayout = new QVBoxLayout(variantsBox);
    variantsLayout->addWidget(m_variantView);
    variantsLayout->addLayout(variantButtons);

    auto *dataBox = translated<QGroupBox>([] { return tr("Data"); });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folderButton);
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(m_browseFolderButton);
    auto *dataForm = new QFormLayout;
    dataForm->addRow(DimValuesEdit::label(), m_dimValues);
    addTranslatedRow(
        dataForm, [] { return tr("Samples:"); }, m_samples);
    addTranslatedRow(
        dataForm, [] { return tr("Warm-up runs:"); }, m_warmup);
    addTranslatedRow(
        dataForm, [] { return tr("Timed runs:"); }, m_iterations);
    addTranslatedRow(
        dataForm, [] { return tr("Threads:"); }, m_threads);
    dataForm->addRow(m_perNode);
    addTranslatedRow(
        dataForm, [] { return tr("Targets:"); }, m_targets);
    auto *dataLayout = new QVBoxLayout(dataBox);
    dataLayout->addWidget(m_randomButton);
    dataLayout->addLayout(folderRow);
    dataLayout->addLayout(dataForm);

    auto *preprocessingLayout = new QVBoxLayout(m_preprocessingBox);
    preprocessingLayout->addWidget(m_preprocessing);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(variantsBox, 1);
    layout->addWidget(dataBox);
    layout->addWidget(m_preprocessingBox);

    connect(m_addButton, &QPushButton::clicked, this, &CompareSettingsWidget::browseVariant);
    connect(m_removeButton, &QPushButton::clicked, this,
            &CompareSettingsWidget::removeSelectedVariant);
    connect(m_browseFolderButton, &QPushButton::clicked, this, &CompareSettingsWidget::browseFolder);
    connect(m_randomButton, &QRadioButton::toggled, this, &CompareSettingsWidget::updateEnabled);
    connect(m_variantView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CompareSettingsWidget::updateEnabled);
    connect(workbench->variants(), &QAbstractItemModel::modelReset, this,
            &CompareSettingsWidget::updateEnabled);
    connect(workbench, &Workbench::modelChanged, this,
            [this] { m_dimValues->setModelInputs(m_workbench->summary().inputs); });
    // A variant checked, unchecked, added or removed, or another model: what can run changed.
    VariantListModel *variants = workbench->variants();
    connect(variants, &QAbstractItemModel::modelReset, this,
            &CompareSettingsWidget::readinessChanged);
    connect(variants, &QAbstractItemModel::rowsInserted, this,
            &CompareSettingsWidget::readinessChanged);
    connect(variants, &QAbstractItemModel::rowsRemoved, this,
            &CompareSettingsWidget::readinessChanged);
    connect(variants, &QAbstractItemModel::dataChanged, this,
            &CompareSettingsWidget::readinessChanged);
    connect(workbench, &Workbench::modelChanged, this, &CompareSettingsWidget::readinessChanged);
    updateEnabled();
}

QString CompareSettingsWidget::whyNothingToCompare() const
{
    const VariantListModel *variants = m_workbench->variants();
    if (!m_workbench->model() || variants->rowCount() == 0)
        return tr("Open a model first: it is the reference the variants are compared with.");
    if (variants->checkedVariantPaths().isEmpty())
        return variants->rowCount() == 1
                   ? tr("No variant to compare: quantize the model, or add a file, then check "
                        "it in the list.")
                   : tr("No variant is checked: check at least one to compare it with the "
                        "reference.");
    return QString();
}

bool CompareSettingsWidget::benchSettings(BenchSettings *settings, QString *error) const
{
    if (const QString reason = whyNothingToCompare(); !reason.isEmpty()) {
        *error = reason;
        return false;
    }
    const VariantListModel *variants = m_workbench->variants();
    BenchSettings s;
    s.reference = variants->at(0).path.toStdString();
    for (const QString &path : variants->checkedVariantPaths())
        s.variants.push_back(path.toStdString());
    if (m_folderButton->isChecked()) {
        const QString folder = m_folderEdit->text().trimmed();
        if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
            *error
                = tr("The data folder '%1' does not exist.").arg(QDir::toNativeSeparators(folder));
            return false;
        }
        s.dataDir = QDir::toNativeSeparators(folder).toStdString();
    }
    const auto dimValues = m_dimValues->values();
    if (!dimValues) {
        *error = m_dimValues->problem();
        return false;
    }
    s.dimValues = *dimValues;
    // For random inputs the editor is in shape-only mode: the size (and the layout that places
    // it) fixes a dynamic height/width.
    if (const QString problem = m_preprocessing->problem(); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    s.preprocessing = m_preprocessing->value();
    s.samples = m_samples->value();
    s.warmup = m_warmup->value();
    s.iterations = m_iterations->value();
    s.threads = m_threads->value();
    s.perNode = m_perNode->isChecked();
    const QStringList targets
        = m_targets->text().split(QRegularExpression(QStringLiteral("[\\s,;]+")),
                                  Qt::SkipEmptyParts);
    for (const QString &text : targets) {
        auto target = parseTarget(text.toStdString());
        if (!target) {
            *error = QString::fromStdString(target.status().message());
            return false;
        }
        s.targets.push_back(*target);
    }
    *settings = std::move(s);
    return true;
}

void CompareSettingsWidget::setDataFolder(const QString &folder)
{
    m_folderEdit->setText(folder);
    (folder.isEmpty() ? m_randomButton : m_folderButton)->setChecked(true);
    updateEnabled();
}

void CompareSettingsWidget::setSamples(int samples)
{
    m_samples->setValue(samples);
}

void CompareSettingsWidget::setWarmup(int warmup)
{
    m_warmup->setValue(warmup);
}

void CompareSettingsWidget::setIterations(int iterations)
{
    m_iterations->setValue(iterations);
}

void CompareSettingsWidget::setThreads(int threads)
{
    m_threads->setValue(threads);
}

void CompareSettingsWidget::setPreprocessing(const quantscope::ImagePreprocessing &prep)
{
    m_preprocessing->setValue(prep);
}

void CompareSettingsWidget::setTargets(const QString &targets)
{
    m_targets->setText(targets);
}

void CompareSettingsWidget::setPerNode(bool perNode)
{
    m_perNode->setChecked(perNode);
}

void CompareSettingsWidget::setDimValues(const std::map<std::string, int64_t> &values)
{
    m_dimValues->setValues(values);
}

int CompareSettingsWidget::addVariantFile(const QString &path)
{
    VariantListModel *variants = m_workbench->variants();
    // The reference compared with itself is already row 0; replacing it would drop its flag.
    if (variants->rowCount() > 0 && QFileInfo(variants->at(0).path) == QFileInfo(path))
        return 0;
    Variant variant;
    variant.path = path;
    variant.kind = tr("opened file");
    variant.sizeBytes = QFileInfo(path).size();
    variant.checked = true;
    const int row = variants->add(variant);
    updateEnabled();
    return row;
}

void CompareSettingsWidget::setRunning(bool running)
{
    m_running = running;
    updateEnabled();
}

void CompareSettingsWidget::browseVariant()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Add a variant"),
                                       m_workbench->dialogFolder(settings::Folder::Output),
                                       tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    m_workbench->rememberDialogFolder(settings::Folder::Output, path);
    addVariantFile(path);
}

void CompareSettingsWidget::removeSelectedVariant()
{
    const QModelIndexList rows = m_variantView->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() == 0)
        return;
    m_workbench->variants()->remove(rows.front().row());
    updateEnabled();
}

void CompareSettingsWidget::browseFolder()
{
    const QString start = m_folderEdit->text().isEmpty() || !QFileInfo(m_folderEdit->text()).isDir()
                              ? m_workbench->dialogFolder(settings::Folder::Calibration)
                              : m_folderEdit->text();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Evaluation data folder"),
                                                             start);
    if (folder.isEmpty())
        return;
    m_workbench->rememberDialogFolder(settings::Folder::Calibration, folder);
    setDataFolder(folder);
}

void CompareSettingsWidget::updateEnabled()
{
    const bool editable = !m_running;
    const bool folder = m_folderButton->isChecked();
    const QModelIndexList rows = m_variantView->selectionModel()
                                     ? m_variantView->selectionModel()->selectedRows()
                                     : QModelIndexList();
    m_variantView->setEnabled(editable);
    m_addButton->setEnabled(editable);
    m_removeButton->setEnabled(editable && !rows.isEmpty() && rows.front().row() > 0);
    m_randomButton->setEnabled(editable);
    m_folderButton->setEnabled(editable);
    m_folderEdit->setEnabled(editable && folder);
    m_browseFolderButton->setEnabled(editable);
    for (QWidget *widget : {static_cast<QWidget *>(m_dimValues), static_cast<QWidget *>(m_samples),
                            static_cast<QWidget *>(m_warmup), static_cast<QWidget *>(m_iterations),
                            static_cast<QWidget *>(m_threads), static_cast<QWidget *>(m_perNode),
                            static_cast<QWidget *>(m_targets)})
        widget->setEnabled(editable);
    // The image size (and layout) also shapes random inputs of a model with a dynamic
    // height/width; the rest of the preprocessing only means something for a folder of images.
    m_preprocessingBox->setEnabled(editable);
    m_preprocessing->setShapeOnly(!folder);
}

} // namespace qs::ui
