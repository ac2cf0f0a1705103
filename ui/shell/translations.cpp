#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

#include <memory>

namespace qs::ui {

namespace {

// The translators installed now: a switch removes them before installing the new language's,
// so that English (no translator) is reachable again without a restart.
QPointer<QTranslator> g_ours;
QPointer<QTranslator> g_qt;

void removeInstalled(QCoreApplication &app)
{
    for (QPointer<QTranslator> *installed : {&g_ours, &g_qt}) {
        if (*installed) {
            app.removeTranslator(*installed);
            delete installed->data();
        }
        *installed = nullptr;
    }
}

} // namespace

QString installTranslations(QCoreApplication &app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto ours = std::make_unique<QTranslator>(&app);
    // QTranslator::load(locale, ...) tries zh_Hans_CN, zh_CN, zh...: any Chinese-script-Simplified
    // locale finds quantscope_zh_CN.qm.
    const bool found = ours->load(locale, QStringLiteral("quantscope"), QStringLiteral("_"),
                                  QStringLiteral(":/i18n"));
    // Each install or removal sends every widget a LanguageChange (retranslated once the
    // event loop delivers them, see MainWindow::changeEvent).
    removeInstalled(app);
    if (!found)
        return QStringLiteral("en");
    g_ours = ours.release();
    app.installTranslator(g_ours);
    auto qt = std::make_unique<QTranslator>(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        g_qt = qt.release();
        app.installTranslator(g_qt);
    }
    return locale.name();
}

} // namespace qs::ui
