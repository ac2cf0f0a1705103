#include "chart_export.h"

#include "compare/report_io.h"
#include "workbench/settings.h"
#include "workbench/workbench.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSaveFile>
#include <QSvgGenerator>

#include <sstream>

namespace qs::ui {

namespace {

QString commitOrMessage(QSaveFile &file)
{
    if (!file.commit())
        return ChartExport::tr("Could not write %1: %2")
            .arg(QDir::toNativeSeparators(file.fileName()), file.errorString());
    return QString();
}

QString openOrMessage(QSaveFile &file)
{
    if (!file.open(QIODevice::WriteOnly))
        return ChartExport::tr("Could not write %1: %2")
            .arg(QDir::toNativeSeparators(file.fileName()), file.errorString());
    return QString();
}

} // namespace

QSize ChartExport::exportSize(QCustomPlot *plot)
{
    if (plot->isVisible() && plot->width() >= 200 && plot->height() >= 150)
        return plot->size();
    return QSize(800, 600);
}

QString ChartExport::savePng(QCustomPlot *plot, const QString &path)
{
    // QCustomPlot::savePng writes the target in place; rendering the same pixmap it would
    // (toPixmap) into a QSaveFile keeps an older file intact when the write fails.
    const QSize size = exportSize(plot);
    const QPixmap pixmap = plot->toPixmap(size.width(), size.height());
    QSaveFile file(path);
    if (QString error = openOrMessage(file); !error.isEmpty())
        return error;
    if (!pixmap.save(&file, "PNG")) {
        file.cancelWriting();
        return tr("Could not encode the chart as PNG for %1.").arg(QDir::toNativeSeparators(path));
    }
    return commitOrMessage(file);
}

QString ChartExport::saveSvg(QCustomPlot *plot, const QString &path)
{
    const QSize size = exportSize(plot);
    QSaveFile file(path);
    if (QString error = openOrMessage(file); !error.isEmpty())
        return error;
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(QFileInfo(path).completeBaseName());
    QCPPainter painter;
    if (!painter.begin(&generator)) {
        file.cancelWriting();
        return tr("Could not start an SVG drawing for %1.").arg(QDir::toNativeSeparators(path));
    }
    // As QCustomPlot's savePdf: vector output, no cached pixmaps of layers inside the file.
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    plot->toPainter(&painter, size.width(), size.height());
    painter.end();
    return commitOrMessage(file);
}

QString ChartExport::saveCsv(const quantscope::Report &report, const QString &path)
{
    std::ostringstream text;
    writeReportCsv(report, text);
    QSaveFile file(path);
    if (QString error = openOrMessage(file); !error.isEmpty())
        return error;
    const std::string bytes = text.str();
    if (file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())) {
        file.cancelWriting();
        return tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
    }
    return commitOrMessage(file);
}

QString ChartExport::askSavePath(QWidget *parent, Workbench *workbench, const QString &caption,
                                 const QString &fileName, const QString &filter)
{
    const QString start = QDir(workbench->dialogFolder(settings::Folder::Export)).filePath(fileName);
    const QString path = QFileDialog::getSaveFileName(parent, caption, start, filter);
    if (!path.isEmpty())
        workbench->rememberDialogFolder(settings::Folder::Export, path);
    return path;
}

void ChartExport::askAndSavePng(QCustomPlot *plot, Workbench *workbench, const QString &baseName,
                                const std::function<void(const QString &)> &onError)
{
    const QString path = askSavePath(plot, workbench, tr("Export chart as PNG"),
                                     baseName + QStringLiteral(".png"), tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (QString error = savePng(plot, path); !error.isEmpty())
        onError(error);
}

void ChartExport::askAndSaveSvg(QCustomPlot *plot, Workbench *workbench, const QString &baseName,
                                const std::function<void(const QString &)> &onError)
{
    const QString path = askSavePath(plot, workbench, tr("Export chart as SVG"),
                                     baseName + QStringLiteral(".svg"), tr("SVG drawings (*.svg)"));
    if (path.isEmpty())
        return;
    if (QString error = saveSvg(plot, path); !error.isEmpty())
        onError(error);
}

void ChartExport::installContextMenu(QCustomPlot *plot, Workbench *workbench,
                                     const QString &baseName,
                                     const std::function<void(const QString &)> &onError)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot,
                     [plot, workbench, baseName, onError](const QPoint &position) {
                         auto *menu = new QMenu(plot);
                         menu->setAttribute(Qt::WA_DeleteOnClose);
                         menu->addAction(tr("Export as PNG..."), plot, [=] {
                             askAndSavePng(plot, workbench, baseName, onError);
                         });
                         menu->addAction(tr("Export as SVG..."), plot, [=] {
                             askAndSaveSvg(plot, workbench, baseName, onError);
                         });
                         menu->popup(plot->mapToGlobal(position));
                     });
}

} // namespace qs::ui
