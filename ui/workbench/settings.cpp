#include "settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>

namespace qs::ui::settings {

namespace {

QString folderKey(Folder folder)
{
    switch (folder) {
    case Folder::Model: return QStringLiteral("folders/model");
    case Folder::Calibration: return QStringLiteral("folders/calibration");
    case Folder::Output: return QStringLiteral("folders/output");
    case Folder::Recipe: return QStringLiteral("folders/recipe");
    case Folder::Export: return QStringLiteral("folders/export");
    }
    return QStringLiteral("folders/other");
}

} // namespace

QString lastFolder(Folder folder)
{
    const QString stored = QSettings().value(folderKey(folder)).toString();
    return !stored.isEmpty() && QFileInfo(stored).isDir() ? stored : QDir::homePath();
}

void setLastFolder(Folder folder, const QString &pathInside)
{
    if (pathInside.isEmpty())
        return;
    const QFileInfo info(pathInside);
    QSettings().setValue(folderKey(folder),
                         info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QStringList recentFiles()
{
    return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void addRecentFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), files);
}

void removeRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    files.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(QStringLiteral("recentFiles"), files);
}

int threads()
{
    return std::max(0, QSettings().value(QStringLiteral("jobs/threads"), 0).toInt());
}

void setThreads(int threads)
{
    QSettings().setValue(QStringLiteral("jobs/threads"), std::max(0, threads));
}

QString ortRunner()
{
    return QSettings().value(QStringLiteral("compare/ortRunner")).toString();
}

void setOrtRunner(const QString &path)
{
    QSettings().setValue(QStringLiteral("compare/ortRunner"), path.trimmed());
}

QString language()
{
    return QSettings().value(QStringLiteral("language")).toString();
}

void setLanguage(const QString &language)
{
    QSettings().setValue(QStringLiteral("language"), language);
}

QByteArray windowGeometry()
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray windowState()
{
    return QSettings().value(QStringLiteral("window/state")).toByteArray();
}

void saveWindow(const QByteArray &geometry, const QByteArray &state)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), geometry);
    settings.setValue(QStringLiteral("window/state"), state);
}

} // namespace qs::ui::settings
