#pragma once
// Edit > Preferences: threads for jobs, the ONNX Runtime runner Compare uses, and the language,
// which applies as soon as the dialog is accepted (installTranslations).

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace qs::ui {

class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    void accept() override; // stores the settings

private:
    QSpinBox *m_threads;
    QComboBox *m_language;
    QLineEdit *m_ortRunner;
};

} // namespace qs::ui
