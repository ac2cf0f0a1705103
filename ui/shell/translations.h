#pragma once
// Loads the workbench's translation (embedded as :/i18n/quantscope_<lang>.qm) and Qt's own
// (standard buttons and dialogs) for the language chosen in Preferences, or the system's. Called
// again while the program runs, it replaces the installed ones: Qt then sends LanguageChange to
// every widget, and the windows retranslate themselves (no restart).

#include <QString>

class QCoreApplication;

namespace qs::ui {

// Installs the translators on `app` in place of earlier ones; returns the language used ("en"
// when none applies, and then no translator is left installed).
QString installTranslations(QCoreApplication &app, const QString &language);

} // namespace qs::ui
