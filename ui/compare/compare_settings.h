#pragma once
// The left side of the Compare page: which variants to compare (the Workbench's variant list,
// plus files opened here), on what data (random inputs or an image/tensor folder with its
// preprocessing, in the same editor as the Quantize page's, so any recipe's preprocessing can be
// compared; the sizes of the model's dynamic dims, as `--dim`) and how long (samples, warm-up,
// iterations, threads, per-node error). Produces the BenchSettings that core's runBenchmark
// takes, as `quantscope-cli bench` fills them.

#include "compare/benchmark.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableView;
class QGroupBox;

namespace qs::ui {

class DimValuesEdit;
class PreprocessingEditor;
class Workbench;

class CompareSettingsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit CompareSettingsWidget(Workbench *workbench, QWidget *parent = nullptr);

    // The settings of the next comparison; false with a message when they cannot be run (no
    // model open, no variant checked, a mean that is not a list of numbers, no folder chosen, a
    // dynamic dims text that is not SYMBOL=SIZE pairs...).
    bool benchSettings(BenchSettings *settings, QString *error) const;
    // Why no comparison can start whatever the other fields say (no model, no variant checked:
    // the reference compared with itself for nothing); empty when one can. readinessChanged()
    // tells when it may have changed.
    QString whyNothingToCompare() const;

    void setDataFolder(const QString &folder); // empty: random inputs
    void setSamples(int samples);
    void setWarmup(int warmup);
    void setIterations(int iterations);
    void setThreads(int threads);
    void setPerNode(bool perNode);
    // What each variant's verdict judges: "cosine>=0.99 speedup>=1.2" (core/compare/targets.h).
    void setTargets(const QString &targets);
    // Sizes of the model's symbolic dims (BenchSettings::dimValues), shown as "seq=128".
    void setDimValues(const std::map<std::string, int64_t> &values);
    // Images go through this; random inputs take its size for a dynamic height/width.
    void setPreprocessing(const quantscope::ImagePreprocessing &prep);
    PreprocessingEditor *preprocessingEditor() const { return m_preprocessing; }

    // Adds `path` to the Workbench's variants as an opened file; returns its row.
    int addVariantFile(const QString &path);

    // While a comparison runs its inputs stay as they were when it started.
    void setRunning(bool running);

signals:
    void readinessChanged();

private:
    void browseVariant();
    void removeSelectedVariant();
    void browseFolder();
    void updateEnabled();

    Workbench *m_workbench;
    QTableView *m_variantView;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QRadioButton *m_randomButton;
    QRadioButton *m_folderButton;
    QLineEdit *m_folderEdit;
    QPushButton *m_browseFolderButton;
    DimValuesEdit *m_dimValues;
    QSpinBox *m_samples;
    QSpinBox *m_warmup;
    QSpinBox *m_iterations;
    QSpinBox *m_threads;
    QCheckBox *m_perNode;
    QLineEdit *m_targets;
    QGroupBox *m_preprocessingBox;
    PreprocessingEditor *m_preprocessing;
    bool m_running = false;
};

} // namespace qs::ui
