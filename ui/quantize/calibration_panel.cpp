#include "calibration_panel.h"

#include "data/image_decoder.h"
#include "quant/calibration/calibrator.h"
#include "workbench/dim_values_edit.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/recipe_fields.h"
#include "workbench/settings.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace qs::ui {

using namespace recipe_fields;

namespace {

constexpr QSize kThumbnailSize(112, 84);

QImage thumbnail(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    // Decoding at the thumbnail's size keeps a folder of 12-megapixel photos cheap.
    if (size.isValid())
        reader.setScaledSize(size.scaled(kThumbnailSize, Qt::KeepAspectRatio));
    return reader.read();
}

} // namespace

FolderPreview loadFolderPreview(const QString &folder, int maxImages, int maxFiles)
{
    FolderPreview preview;
    preview.folder = folder;
    const QDir dir(folder);
    preview.exists = !folder.isEmpty() && dir.exists();
    if (!preview.exists)
        return preview;
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot,
                                                    QDir::Name);
    QFileInfoList images;
    for (const QFileInfo &entry : entries)
        if (entry.isFile() && isImageFile(entry.fileName().toStdString()))
            images.append(entry);
    preview.images = !images.isEmpty();
    const QFileInfoList &shown = preview.images ? images : entries;
    preview.total = int(shown.size());
    const int limit = preview.images ? maxImages : maxFiles;
    for (int i = 0; i < std::min<int>(limit, int(shown.size())); ++i) {
        FolderPreview::Item item;
        item.name = shown[i].fileName();
        if (preview.images)
            item.thumbnail = thumbnail(shown[i].absoluteFilePath());
        preview.items.append(item);
    }
    return preview;
}

CalibrationPanel::CalibrationPanel(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(createDataGroup());
    layout->addWidget(createMethodGroup());
    layout->addWidget(createPreprocessingGroup());
    connect(&m_previewWatcher, &QFutureWatcherBase::finished, this, [this] {
        const FolderPreview preview = m_previewWatcher.result();
        if (preview.folder == m_previewFolder) // a later folder's listing is on its way
            showPreview(preview);
    });
    updateEnabled();
}

CalibrationPanel::~CalibrationPanel() = default;

QWidget *CalibrationPanel::createDataGroup()
{
    auto *group = translated<QGroupBox>([] { return tr("Calibration data"); }, this);
    auto *layout = new QVBoxLayout(group);
    auto *row = new QHBoxLayout;
    m_folder = new QLineEdit(group);
    m_folder->setObjectName(QStringLiteral("calibrationFolder"));
    setTranslatedPlaceholder(m_folder, [] {
        return tr("A folder of images, .npy / .pb tensors or sample folders");
    });
    auto *browse = translated<QPushButton>([] { return tr("Browse..."); }, group);
    row->addWidget(translated<QLabel>([] { return tr("Folder:"); }, group));
    row->addWidget(m_folder, 1);
    row->addWidget(browse);
    layout->addLayout(row);

    m_preview = new QListWidget(group);
    m_preview->setObjectName(QStringLiteral("calibrationPreview"));
    m_preview->setViewMode(QListView::IconMode);
    m_preview->setFlow(QListView::LeftToRight);
    m_preview->setWrapping(false);
    m_preview->setIconSize(kThumbnailSize);
    m_preview->setGridSize(kThumbnailSize + QSize(24, 28));
    m_preview->setTextElideMode(Qt::ElideMiddle);
    m_preview->setMovement(QListView::Static);
    m_preview->setSelectionMode(QAbstractItemView::NoSelection);
    m_preview->setFixedHeight(kThumbnailSize.height() + 52);
    layout->addWidget(m_preview);
    m_previewInfo = new QLabel(group);
    m_previewInfo->setObjectName(QStringLiteral("calibrationPreviewInfo"));
    layout->addWidget(m_previewInfo);
    auto *dims = new QFormLayout;
    m_dimValues = new DimValuesEdit(group);
    m_dimValues->setObjectName(QStringLiteral("calibrationDimValues"));
    dims->addRow(DimValuesEdit::label(), m_dimValues);
    layout->addLayout(dims);

    connect(browse, &QPushButton::clicked, this, &CalibrationPanel::browse);
    connect(m_folder, &QLineEdit::editingFinished, this, &CalibrationPanel::refreshPreview);
    connect(m_folder, &QLineEdit::textChanged, this, &CalibrationPanel::changed);
    connect(m_dimValues, &QLineEdit::textChanged, this, &CalibrationPanel::changed);
    return group;
}

QWidget *CalibrationPanel::createMethodGroup()
{
    const CalibrationSettings defaults;
    auto *group = translated<QGroupBox>([] { return tr("Calibration method"); }, this);
    auto *form = new QFormLayout(group);
    m_method = new QComboBox(group);
    m_method->setObjectName(QStringLiteral("calibrationMethod"));
    addChoice(
        m_method, [] { return CalibrationPanel::tr("Default (min/max)"); },
        quantscope::CALIBRATION_METHOD_UNSPECIFIED);
    addChoice(
        m_method, [] { return CalibrationPanel::tr("Min/max"); },
        quantscope::CALIBRATION_METHOD_MINMAX);
    addChoice(
        m_method, [] { return CalibrationPanel::tr("Percentile"); },
        quantscope::CALIBRATION_METHOD_PERCENTILE);
    addChoice(
        m_method, [] { return CalibrationPanel::tr("Entropy (KL divergence)"); },
        quantscope::CALIBRATION_METHOD_ENTROPY);
    addTranslatedRow(
        form, [] { return tr("Method:"); }, m_method);

    m_samples = new QSpinBox(group);
    m_samples->setObjectName(QStringLiteral("calibrationSamples"));
    m_samples->setRange(0, 1000000);
    keepTranslated(m_samples, QStringLiteral("specialValueText"),
                   [this] { m_samples->setSpecialValueText(tr("All")); });
    addTranslatedRow(
        form, [] { return tr("Samples:"); }, m_samples);

    // Floats are line edits so that a recipe's value comes back bit for bit; empty = default.
    m_percentile = new QLineEdit(group);
    m_percentile->setObjectName(QStringLiteral("calibrationPercentile"));
    setTranslatedPlaceholder(m_percentile,
                             [defaults] { return tr("Default (%1)").arg(defaults.percentile); });
    addTranslatedRow(
        form, [] { return tr("Percentile:"); }, m_percentile);

    m_bins = new QSpinBox(group);
    m_bins->setObjectName(QStringLiteral("calibrationBins"));
    m_bins->setRange(0, 1 << 20);
    keepTranslated(m_bins, QStringLiteral("specialValueText"), [this, defaults] {
        m_bins->setSpecialValueText(tr("Default (%1)").arg(defaults.bins));
    });
    addTranslatedRow(
        form, [] { return tr("Histogram bins:"); }, m_bins);

    m_quantizedBins = new QSpinBox(group);
    m_quantizedBins->setObjectName(QStringLiteral("calibrationQuantizedBins"));
    m_quantizedBins->setRange(0, 1 << 20);
    keepTranslated(m_quantizedBins, QStringLiteral("specialValueText"), [this, defaults] {
        m_quantizedBins->setSpecialValueText(tr("Default (%1)").arg(defaults.quantizedBins));
    });
    addTranslatedRow(
        form, [] { return tr("Quantized bins:"); }, m_quantizedBins);

    m_movingAverage
        = translated<QCheckBox>([] { return tr("Moving average of the per-batch ranges"); }, group);
    m_movingAverage->setObjectName(QStringLiteral("calibrationMovingAverage"));
    form->addRow(QString(), m_movingAverage);
    m_averagingConstant = new QLineEdit(group);
    m_averagingConstant->setObjectName(QStringLiteral("calibrationAveragingConstant"));
    setTranslatedPlaceholder(m_averagingConstant, [defaults] {
        return tr("Default (%1)").arg(defaults.averagingConstant);
    });
    addTranslatedRow(
        form, [] { return tr("Averaging constant:"); }, m_averagingConstant);

    auto changedAndEnabled = [this] {
        updateEnabled();
        emit changed();
    };
    connect(m_method, &QComboBox::currentIndexChanged, this, changedAndEnabled);
    connect(m_movingAverage, &QCheckBox::toggled, this, changedAndEnabled);
    connect(m_samples, &QSpinBox::valueChanged, this, &CalibrationPanel::changed);
    connect(m_bins, &QSpinBox::valueChanged, this, &CalibrationPanel::changed);
    connect(m_quantizedBins, &QSpinBox::valueChanged, this, &CalibrationPanel::changed);
    connect(m_percentile, &QLineEdit::textChanged, this, &CalibrationPanel::changed);
    connect(m_averagingConstant, &QLineEdit::textChanged, this, &CalibrationPanel::changed);
    return group;
}

QWidget *CalibrationPanel::createPreprocessingGroup()
{
    auto *group = translated<QGroupBox>([] { return tr("Image preprocessing"); }, this);
    auto *layout = new QVBoxLayout(group);
    m_preprocessing = new PreprocessingEditor(group);
    layout->addWidget(m_preprocessing);
    connect(m_preprocessing, &PreprocessingEditor::changed, this, &CalibrationPanel::changed);
    return group;
}

QString CalibrationPanel::folder() const
{
    return m_folder->text().trimmed();
}

void CalibrationPanel::setFolder(const QString &folder)
{
    m_folder->setText(folder);
    refreshPreview();
}

void CalibrationPanel::setModelInputs(const std::vector<ValueRef> &inputs)
{
    m_dimValues->setModelInputs(inputs);
}

void CalibrationPanel::resetModelSettings()
{
    m_dimValues->setValues({});
    m_preprocessing->setValue(quantscope::ImagePreprocessing{});
    setFolder(QString());
}

void CalibrationPanel::browse()
{
    const QString remembered = m_workbench
                                   ? m_workbench->dialogFolder(settings::Folder::Calibration)
                                   : settings::lastFolder(settings::Folder::Calibration);
    const QString start = folder().isEmpty() || !QFileInfo(folder()).isDir() ? remembered
                                                                             : folder();
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Calibration Folder"), start);
    if (chosen.isEmpty())
        return;
    if (m_workbench)
        m_workbench->rememberDialogFolder(settings::Folder::Calibration, chosen);
    else
        settings::setLastFolder(settings::Folder::Calibration, chosen);
    setFolder(QDir::toNativeSeparators(chosen));
}

void CalibrationPanel::refreshPreview()
{
    // Listed again even for the same folder: its files may have changed since.
    const QString current = folder();
    m_previewFolder = current;
    m_preview->clear();
    if (current.isEmpty()) {
        setTranslatedText(m_previewInfo, [] { return tr("No folder: calibration needs one."); });
        emit previewUpdated();
        return;
    }
    setTranslatedText(m_previewInfo, [current] { return tr("Reading %1...").arg(current); });
    m_previewWatcher.setFuture(
        QtConcurrent::run(loadFolderPreview, current, kPreviewImages, kPreviewFiles));
}

void CalibrationPanel::showPreview(const FolderPreview &preview)
{
    m_preview->clear();
    if (!preview.exists) {
        setTranslatedText(m_previewInfo, [folder = preview.folder] {
            return tr("%1 does not exist or is not a folder.").arg(folder);
        });
        emit previewUpdated();
        return;
    }
    for (const FolderPreview::Item &item : preview.items) {
        auto *entry = new QListWidgetItem(item.name, m_preview);
        entry->setToolTip(item.name);
        if (!item.thumbnail.isNull())
            entry->setIcon(QIcon(QPixmap::fromImage(item.thumbnail)));
    }
    // Set late, when the folder is read: worded again after a language switch.
    setTranslatedText(m_previewInfo, [total = preview.total, images = preview.images] {
        if (total == 0)
            return tr("The folder is empty.");
        if (images)
            return tr("%n image(s); the first ones are shown.", "", total);
        return tr("No images: %n entries, read as tensor files (.npy, .pb) or sample folders.", "",
                  total);
    });
    emit previewUpdated();
}

void CalibrationPanel::read(quantscope::Calibration &calibration) const
{
    calibration.set_data_dir(folder().toStdString());
    calibration.clear_dim_values();
    for (const auto &[symbol, size] : m_dimValues->values().value_or(text_lists::DimValues()))
        (*calibration.mutable_dim_values())[symbol] = size;
    calibration.set_method(quantscope::CalibrationMethod(choice(m_method)));
    calibration.set_max_samples(m_samples->value());
    calibration.set_percentile(parseFloat(m_percentile->text()).value_or(0.0f));
    calibration.set_num_bins(m_bins->value());
    calibration.set_num_quantized_bins(m_quantizedBins->value());
    calibration.set_moving_average(m_movingAverage->isChecked());
    calibration.set_averaging_constant(parseFloat(m_averagingConstant->text()).value_or(0.0f));
    *calibration.mutable_preprocessing() = m_preprocessing->value();
}

void CalibrationPanel::apply(const quantscope::Calibration &calibration)
{
    const auto floatText = [](float value) {
        return value != 0.0f ? formatFloat(value) : QString();
    };
    m_dimValues->setValues({calibration.dim_values().begin(), calibration.dim_values().end()});
    setChoice(m_method, calibration.method());
    m_samples->setValue(calibration.max_samples());
    m_percentile->setText(floatText(calibration.percentile()));
    m_bins->setValue(calibration.num_bins());
    m_quantizedBins->setValue(calibration.num_quantized_bins());
    m_movingAverage->setChecked(calibration.moving_average());
    m_averagingConstant->setText(floatText(calibration.averaging_constant()));
    m_preprocessing->setValue(calibration.preprocessing());
    setFolder(QString::fromStdString(calibration.data_dir()));
}

QString CalibrationPanel::validate() const
{
    if (const QString problem = m_dimValues->problem(); !problem.isEmpty())
        return problem;
    const auto optionalFloat = [](const QLineEdit *edit) {
        return edit->text().trimmed().isEmpty() || parseFloat(edit->text()).has_value();
    };
    if (!optionalFloat(m_percentile))
        return tr("Percentile: '%1' is not a number.").arg(m_percentile->text());
    if (const auto p = parseFloat(m_percentile->text()); p && !(*p > 0 && *p <= 100))
        return tr("Percentile: %1 is not in (0, 100].").arg(m_percentile->text());
    if (!optionalFloat(m_averagingConstant))
        return tr("Averaging constant: '%1' is not a number.").arg(m_averagingConstant->text());
    if (const auto c = parseFloat(m_averagingConstant->text()); c && !(*c > 0 && *c <= 1))
        return tr("Averaging constant: %1 is not in (0, 1].").arg(m_averagingConstant->text());
    return m_preprocessing->problem();
}

void CalibrationPanel::updateEnabled()
{
    const auto method = quantscope::CalibrationMethod(choice(m_method));
    const bool minmax = method == quantscope::CALIBRATION_METHOD_UNSPECIFIED
                        || method == quantscope::CALIBRATION_METHOD_MINMAX;
    m_percentile->setEnabled(method == quantscope::CALIBRATION_METHOD_PERCENTILE);
    m_bins->setEnabled(!minmax);
    m_quantizedBins->setEnabled(method == quantscope::CALIBRATION_METHOD_ENTROPY);
    m_movingAverage->setEnabled(minmax);
    m_averagingConstant->setEnabled(minmax && m_movingAverage->isChecked());
}

} // namespace qs::ui
