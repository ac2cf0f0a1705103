#pragma once
// The calibration part of the Quantize page (static mode): the data folder with a strip of its
// first images (thumbnails decoded on the thread pool; a tensor folder lists its files instead),
// the sizes of the model's dynamic dims (dim_values, the workbench's DimValuesEdit), the
// calibration method with its parameters, the sample count, and the image preprocessing
// (the workbench's PreprocessingEditor, with a one-line summary of what happens to each image).

#include "model/graph_index.h"
#include "quantscope.pb.h"

#include <QFutureWatcher>
#include <QImage>
#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace qs::ui {

class DimValuesEdit;
class PreprocessingEditor;
class Workbench;

// What the preview strip shows for a folder; built off the GUI thread.
struct FolderPreview
{
    struct Item
    {
        QString name;
        QImage thumbnail; // null for non-image entries and unreadable images
    };
    QString folder;
    bool exists = false;
    bool images = false; // an image folder (else tensor files or sample sub-folders)
    int total = 0;       // entries of that kind in the folder
    QList<Item> items;   // the first few
};

class CalibrationPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kPreviewImages = 6;
    static constexpr int kPreviewFiles = 12;

    // `workbench` (optional) gives the folder dialog its start: the open model's folder.
    explicit CalibrationPanel(Workbench *workbench = nullptr, QWidget *parent = nullptr);
    ~CalibrationPanel() override;

    QString folder() const;
    void setFolder(const QString &folder);

    // Writes every field of `calibration` the panel shows; apply() is its inverse.
    void read(quantscope::Calibration &calibration) const;
    void apply(const quantscope::Calibration &calibration);
    // The first field whose text is not a valid value, as a message naming it; empty when fine.
    QString validate() const;
    // The open model's inputs, whose symbols the dynamic dims field offers (Workbench::summary()).
    void setModelInputs(const std::vector<ValueRef> &inputs);
    // Clears what describes one model's data (the folder, its dims' sizes, how its images are
    // preprocessed): another model is open. The method and its parameters stay.
    void resetModelSettings();

    QListWidget *previewList() const { return m_preview; }
    PreprocessingEditor *preprocessingEditor() const { return m_preprocessing; }
    DimValuesEdit *dimValuesEdit() const { return m_dimValues; }

signals:
    void changed();
    void previewUpdated();

private:
    QWidget *createDataGroup();
    QWidget *createMethodGroup();
    QWidget *createPreprocessingGroup();
    void browse();
    void refreshPreview();
    void showPreview(const FolderPreview &preview);
    void updateEnabled();

    Workbench *m_workbench = nullptr;
    QLineEdit *m_folder = nullptr;
    QListWidget *m_preview = nullptr;
    QLabel *m_previewInfo = nullptr;
    DimValuesEdit *m_dimValues = nullptr;
    QComboBox *m_method = nullptr;
    QSpinBox *m_samples = nullptr;
    QLineEdit *m_percentile = nullptr;
    QSpinBox *m_bins = nullptr;
    QSpinBox *m_quantizedBins = nullptr;
    QCheckBox *m_movingAverage = nullptr;
    QLineEdit *m_averagingConstant = nullptr;
    PreprocessingEditor *m_preprocessing = nullptr;
    QString m_previewFolder; // what the strip shows or is loading
    QFutureWatcher<FolderPreview> m_previewWatcher;
};

// Lists `folder` and decodes thumbnails of its first images; safe on any thread.
FolderPreview loadFolderPreview(const QString &folder, int maxImages, int maxFiles);

} // namespace qs::ui
