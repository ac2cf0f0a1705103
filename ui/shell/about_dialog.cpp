#include "about_dialog.h"

#include "util/library_versions.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace qs::ui {

QString AboutDialog::versionsText()
{
    QStringList lines;
    for (const auto &[name, version] : libraryVersions())
        lines.append(QStringLiteral("%1 %2").arg(QString::fromStdString(name),
                                                 QString::fromStdString(version)));
    return lines.join(QLatin1Char('\n'));
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Quantscope"));
    auto *layout = new QVBoxLayout(this);
    auto *title
        = new QLabel(tr("<h2>Quantscope %1</h2>"
                        "<p>Inspect ONNX models, quantize them (INT8 dynamic, INT8 static QDQ "
                        "and QOperator, FP16) and compare size, latency and accuracy.</p>")
                         .arg(QStringLiteral(QUANTSCOPE_VERSION)),
                     this);
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(new QLabel(tr("Built with:"), this));
    auto *versions = new QPlainTextEdit(versionsText(), this);
    versions->setReadOnly(true);
    versions->setMaximumHeight(versions->fontMetrics().lineSpacing() * 8);
    layout->addWidget(versions);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace qs::ui
