#include "error_dialog.h"

#include "workbench.h"

#include <QMessageBox>

namespace qs::ui {

void showError(Workbench *workbench, QWidget *parent, const QString &title, const QString &message)
{
    workbench->addMessage(Severity::Error, message);
    auto *box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace qs::ui
