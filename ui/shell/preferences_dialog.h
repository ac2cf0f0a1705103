#pragma once
// Edit > Preferences: threads for jobs and the language (applied at the next start, as Qt's
// own widgets are translated once).

#include <QDialog>

class QComboBox;
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
};

} // namespace qs::ui
