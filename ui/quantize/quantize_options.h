#pragma once
// The mode and the quantizer's options of the Quantize page: format, weight and activation
// types, per-channel, reduce range and symmetric weights (optional in the recipe, so a "Default"
// entry leaves them unset), symmetric activations, which ops and nodes to quantize, and the FP16
// options. Options that do not apply to the mode are disabled or hidden, and read() leaves them
// out of the recipe: what the user typed for another mode waits in its widget, but is neither
// checked nor used (issue 16: an FP16 node list from another model stopped an INT8 run). What
// stays in float is not here: the Workbench's exclusions (ExclusionPanel) serve every mode.

#include "quantscope.pb.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLineEdit;

namespace qs::ui {

class QuantizeOptions : public QWidget
{
    Q_OBJECT

public:
    explicit QuantizeOptions(QWidget *parent = nullptr);

    quantscope::QuantMode mode() const;
    void setMode(quantscope::QuantMode mode);

    // Every field the panel shows (not exclusions, calibration or paths); apply() is its inverse.
    void read(quantscope::Recipe &recipe) const;
    void apply(const quantscope::Recipe &recipe);
    QString validate() const; // empty, or the first bad field as a sentence naming it
    // Clears what names parts of one model (the nodes to quantize): another model is open.
    void resetModelSettings();

signals:
    void modeChanged(quantscope::QuantMode mode);
    void changed();

private:
    QWidget *createInt8Group();
    QWidget *createFp16Group();
    void updateForMode();

    QComboBox *m_mode = nullptr;
    QGroupBox *m_int8Group = nullptr;
    QComboBox *m_format = nullptr;
    QComboBox *m_weightType = nullptr;
    QComboBox *m_activationType = nullptr;
    QCheckBox *m_perChannel = nullptr;
    QComboBox *m_reduceRange = nullptr;
    QCheckBox *m_symmetricActivations = nullptr;
    QComboBox *m_symmetricWeights = nullptr;
    QLineEdit *m_opTypes = nullptr;
    QLineEdit *m_nodes = nullptr;
    QGroupBox *m_fp16Group = nullptr;
    QCheckBox *m_keepIoTypes = nullptr;
    QLineEdit *m_opBlockList = nullptr;
    QLineEdit *m_minPositive = nullptr;
    QLineEdit *m_maxFinite = nullptr;
};

} // namespace qs::ui
