#pragma once
// The "Dynamic dims" field of the Quantize and Compare pages: sizes for the symbolic dims a model
// leaves open ("seq=128, batch=1"), what `--dim SYMBOL=VALUE` gives the CLI. They come first in
// core's rule for dynamic dims (core/data/sample_source.h, openSampleSource). The placeholder
// names the open model's symbols that random data cannot size by itself.

#include "model/graph_index.h"
#include "text_lists.h"

#include <QLineEdit>

#include <optional>
#include <vector>

namespace qs::ui {

class DimValuesEdit : public QLineEdit
{
    Q_OBJECT

public:
    explicit DimValuesEdit(QWidget *parent = nullptr);

    // "Dynamic dims:", the form label of the field wherever it is shown.
    static QString label();

    // What the text says; nothing when it cannot be read, with the message of problem().
    std::optional<text_lists::DimValues> values() const;
    void setValues(const text_lists::DimValues &values);
    // "Dynamic dims: 'seq' has no '='...", naming the bad pair; empty when the text is fine.
    QString problem() const;

    // The model's inputs (Workbench::summary().inputs): the placeholder lists the symbols random
    // data cannot size without the user (core's symbolsNeedingDimValues): "seq=?"; none, or no
    // model, shows the generic "SYMBOL=SIZE" example.
    void setModelInputs(const std::vector<ValueRef> &inputs);
};

} // namespace qs::ui
