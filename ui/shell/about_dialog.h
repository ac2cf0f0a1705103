#pragma once
// Help > About: what Quantscope is and the versions of the libraries it runs on (Qt, protobuf,
// ONNX, oneDNN, Eigen), selectable so a bug report can quote them.

#include <QDialog>

namespace qs::ui {

class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The text shown, also for tests: one "name version" line per library.
    static QString versionsText();
};

} // namespace qs::ui
