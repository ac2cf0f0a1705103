#pragma once
// The Quantize page: the mode (INT8 dynamic, INT8 static, FP16) and every option of
// `quantscope-cli quantize` as widgets, the calibration folder with a preview strip of its first
// images and the preprocessing that will be applied, the exclusion lists (filled by clicking in
// the inspector, editable here), recipe load/save, the output path, and the Quantize button that
// runs quantizeModel() + saveQuantizeResult() in the background and adds the result to the
// Workbench's variants.

#include "quantscope.pb.h"

#include <QWidget>

namespace qs::ui {

class Workbench;
class JobController;
class CalibrationPanel;
class ExclusionPanel;
class QuantizeOptions;

class QuantizePage : public QWidget
{
    Q_OBJECT

public:
    explicit QuantizePage(Workbench *workbench, QWidget *parent = nullptr);
    ~QuantizePage() override;

    JobController *job() const;

    // The recipe the widgets describe now, exclusions included (what Quantize would run).
    quantscope::Recipe currentRecipe() const;
    // Shows `recipe` in the widgets; its exclusion lists go to the Workbench.
    void applyRecipe(const quantscope::Recipe &recipe);

    QString outputPath() const;
    void setOutputPath(const QString &path);
    void setCalibrationFolder(const QString &folder);

    // "<model dir>/<model name>_<mode>.onnx", what the output field shows until the user edits it.
    QString defaultOutputPath() const;

    // What Load... / Save... do after their file dialogs; false after showing the error.
    bool loadRecipeFile(const QString &path);
    bool saveRecipeFile(const QString &path);

    QuantizeOptions *options() const;
    CalibrationPanel *calibrationPanel() const;
    ExclusionPanel *exclusionPanel() const;

public slots:
    // Validates, then starts the job; a bad setting shows a dialog naming it.
    void startQuantize();

signals:
    // After the file is written and added to the variants.
    void quantized(const QString &outputPath);
    // A bad setting or a failed job, as shown in the (non-modal) error dialog.
    void failed(const QString &message);

private:
    struct Private;
    Private *d;
};

} // namespace qs::ui
