#pragma once
// The workbench's persisted settings (QSettings, "Quantscope/Quantscope"): recent files, the
// last folder of each file dialog, the thread count for jobs, the language, window layout.
// One place for the keys, so pages do not invent their own spellings.

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace qs::ui::settings {

// The dialogs that remember their folder separately.
enum class Folder { Model, Calibration, Output, Recipe, Export };

QString lastFolder(Folder folder);                            // home when never set
void setLastFolder(Folder folder, const QString &pathInside); // a file or folder path

QStringList recentFiles(); // most recent first, at most kMaxRecentFiles
void addRecentFile(const QString &path);
void removeRecentFile(const QString &path);
inline constexpr int kMaxRecentFiles = 10;

int threads(); // 0: all cores
void setThreads(int threads);

// The ONNX Runtime runner for Compare (compare/external_runtime.h); "" finds one.
QString ortRunner();
void setOrtRunner(const QString &path);

QString language(); // "" follows the system locale, else "en", "zh_CN"
void setLanguage(const QString &language);

QByteArray windowGeometry();
QByteArray windowState();
void saveWindow(const QByteArray &geometry, const QByteArray &state);

} // namespace qs::ui::settings
