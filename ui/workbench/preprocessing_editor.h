#pragma once
// The one editor of a recipe's ImagePreprocessing (height/width, pixel range, mean/std, channel
// order, layout), used wherever images become tensors: the Quantize page's calibration data,
// the Compare page's evaluation data. Every edit is checked with core's own
// checkImagePreprocessing, so the problem shown under the fields is the one core would refuse
// the recipe with, word for word.

#include "quantscope.pb.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace qs::ui {

class Workbench;

class PreprocessingEditor : public QWidget
{
    Q_OBJECT

public:
    explicit PreprocessingEditor(QWidget *parent = nullptr);

    // What the fields say. A mean or std that is not a list of numbers is left out (problem()
    // names it); in shape-only mode only height, width and layout are set.
    quantscope::ImagePreprocessing value() const;
    // Shows every field of `prep` as it is, invalid values included (a negative size of a
    // hand-written recipe is shown, not clamped), so value() gives `prep` back.
    void setValue(const quantscope::ImagePreprocessing &prep);

    // Random inputs take only the tensor's shape from the preprocessing (the size of a dynamic
    // height/width, and the layout that says which axes those are): the other fields are
    // disabled, left out of value() and not checked.
    void setShapeOnly(bool shapeOnly);

    // Why value() cannot be used: a field whose text is not a number, or core's message for it;
    // empty when core accepts it. Also shown under the fields.
    QString problem() const;

    // "resize to 48x192, scale to [0,1], subtract mean (0.485, 0.456, 0.406), divide by std
    // (...), RGB, NCHW": what each image goes through.
    QString summary() const;
    static QString describe(const quantscope::ImagePreprocessing &prep);

    // Shows and edits `workbench`'s preprocessing, the one value of the open model: an edit
    // here reaches every other editor sharing it, theirs show here (issue 16: set once per
    // model for Quantize, Compare and Tune). Every field is shared, also those that shape-only
    // mode disables.
    void shareWith(Workbench *workbench);

signals:
    void changed();

private:
    quantscope::ImagePreprocessing fields() const; // every field, whatever the mode
    void onEdited();
    void updateEnabled();

    QFormLayout *m_form;
    QSpinBox *m_height;
    QSpinBox *m_width;
    QComboBox *m_pixelRange;
    QLineEdit *m_mean;
    QLineEdit *m_std;
    QComboBox *m_channelOrder;
    QComboBox *m_layout;
    QLabel *m_summary;
    QLabel *m_problem;
    bool m_shapeOnly = false;
    Workbench *m_shared = nullptr;
    bool m_showingShared = false; // setValue() of the shared value: not an edit to publish
    bool m_publishing = false;    // this editor's edit going out: not to be shown back
};

} // namespace qs::ui
