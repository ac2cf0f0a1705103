#include "graph_export.h"

#include "graph_scene.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>

namespace qs::ui {

// The context of this file's messages.
class GraphExport
{
    Q_DECLARE_TR_FUNCTIONS(qs::ui::GraphExport)
};

QString exportGraphPicture(QGraphicsScene *scene, const QRectF &source, const QString &path)
{
    if (!scene || source.isEmpty())
        return GraphExport::tr("There is no graph to export.");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return GraphExport::tr("Cannot write %1: %2").arg(path, file.errorString());

    // Items are created lazily: what the picture draws at readable scale must exist first.
    auto ensureItems = [&](double scale) {
        if (auto *graph = qobject_cast<GraphScene *>(scene);
            graph && scale >= GraphScene::kItemsFromZoom)
            graph->createItemsIn(source);
    };
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive)
                     == 0;
    if (svg) {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(source.size().toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), source.size()));
        generator.setTitle(QFileInfo(path).completeBaseName());
        generator.setDescription(QStringLiteral("Quantscope graph view"));
        ensureItems(1.0);
        QPainter painter(&generator);
        painter.setRenderHint(QPainter::Antialiasing);
        scene->render(&painter, QRectF(QPointF(0, 0), source.size()), source);
        painter.end();
    } else {
        constexpr double kMaxSide = 16384;
        const double scale = std::min({2.0, kMaxSide / source.width(), kMaxSide / source.height()});
        QImage image((source.size() * scale).toSize().expandedTo(QSize(1, 1)),
                     QImage::Format_ARGB32_Premultiplied);
        if (image.isNull())
            return GraphExport::tr(
                "The picture is too large for memory; export the visible region instead.");
        image.fill(Qt::white);
        ensureItems(scale);
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene->render(&painter, QRectF(QPointF(0, 0), QSizeF(image.size())), source);
        painter.end();
        if (!image.save(&file, "PNG"))
            return GraphExport::tr("Cannot encode the PNG for %1.").arg(path);
    }
    if (!file.commit())
        return GraphExport::tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

} // namespace qs::ui
