#pragma once
// Writing the Compare page's results to files: a chart as PNG or SVG, the report as CSV (core's
// report_io writer). Every file goes through QSaveFile, so a failed or cancelled export never
// leaves half a file where an older good one was. The dialogs start in Workbench::dialogFolder(Export).

#include "quantscope.pb.h"

#include <QCoreApplication>
#include <QSize>
#include <QString>

#include <functional>

class QCustomPlot;
class QWidget;

namespace qs::ui {

class Workbench;

class ChartExport
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::ChartExport)

public:
    // Each returns an empty string on success, else the message to show (naming the file).
    static QString savePng(QCustomPlot *plot, const QString &path);
    static QString saveSvg(QCustomPlot *plot, const QString &path);
    static QString saveCsv(const quantscope::Report &report, const QString &path);

    // The size an export is drawn at: the chart's on-screen size, or a default while it was
    // never shown (a hidden child widget is 100x30).
    static QSize exportSize(QCustomPlot *plot);

    // Asks for a file (starting in workbench->dialogFolder(Export)) and saves; `onError` gets
    // the message.
    static void askAndSavePng(QCustomPlot *plot, Workbench *workbench, const QString &baseName,
                              const std::function<void(const QString &)> &onError);
    static void askAndSaveSvg(QCustomPlot *plot, Workbench *workbench, const QString &baseName,
                              const std::function<void(const QString &)> &onError);

    // Gives `plot` a context menu "Export as PNG..." / "Export as SVG...".
    static void installContextMenu(QCustomPlot *plot, Workbench *workbench, const QString &baseName,
                                   const std::function<void(const QString &)> &onError);

    // Starts a save dialog in the Workbench's Export folder (the open model's folder until an
    // export chose another); remembers the folder. Empty when cancelled.
    static QString askSavePath(QWidget *parent, Workbench *workbench, const QString &caption,
                               const QString &fileName, const QString &filter);
};

} // namespace qs::ui
