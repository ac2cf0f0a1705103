#pragma once
// Loads the workbench's translation (embedded as :/i18n/quantscope_<lang>.qm) and Qt's own
// (standard buttons and dialogs) for the language chosen in Preferences, or the system's.

#include <QString>

class QCoreApplication;

namespace qs::ui {

// Installs the translators on `app`; returns the language used ("en" when none applies).
QString installTranslations(QCoreApplication &app, const QString &language);

} // namespace qs::ui
