#include "preferences_dialog.h"

#include "translations.h"
#include "workbench/settings.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>

namespace qs::ui {

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_threads(new QSpinBox(this))
    , m_language(new QComboBox(this))
    , m_ortRunner(new QLineEdit(this))
{
    setWindowTitle(tr("Preferences"));
    auto *layout = new QFormLayout(this);
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setValue(settings::threads());
    layout->addRow(tr("Threads for calibration and benchmarks:"), m_threads);
    m_language->addItem(tr("System language"), QString());
    // Each language in its own name, so a user can find theirs whatever is shown now.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings::language())));
    m_ortRunner->setText(settings::ortRunner());
    m_ortRunner->setPlaceholderText(tr("Found automatically"));
    m_ortRunner->setToolTip(
        tr("quantscope-ort-runner.js (onnxruntime-node) or quantscope-ort-runner.py (Python's "
           "onnxruntime). Empty: QUANTSCOPE_ORT_RUNNER, else the runners shipped with "
           "Quantscope when their runtime is installed."));
    layout->addRow(tr("ONNX Runtime runner:"), m_ortRunner);
    layout->addRow(tr("Language:"), m_language);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addRow(buttons);
}

void PreferencesDialog::accept()
{
    settings::setThreads(m_threads->value());
    const QString language = m_language->currentData().toString();
    if (language != settings::language()) {
        settings::setLanguage(language);
        // At once: every window retranslates itself on the LanguageChange this sends.
        installTranslations(*QCoreApplication::instance(), language);
    }
    settings::setOrtRunner(m_ortRunner->text());
    QDialog::accept();
}

} // namespace qs::ui
