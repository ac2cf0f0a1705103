#pragma once
// How every page reports a failure: the message goes to the Diagnostics dock (Workbench) and a
// critical box opens window-modal but without blocking, so the event loop, running jobs and a
// test driving the page go on.

#include <QString>

class QWidget;

namespace qs::ui {

class Workbench;

void showError(Workbench *workbench, QWidget *parent, const QString &title, const QString &message);

} // namespace qs::ui
