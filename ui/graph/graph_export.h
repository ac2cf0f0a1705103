#pragma once
// The graph picture as a file: SVG (QSvgGenerator, text kept as text) or PNG, of the whole graph
// or of the region the view shows. Written atomically (QSaveFile: a temporary file in the same
// folder, renamed over the target), so a failed export never leaves half a file.

#include <QRectF>
#include <QString>

class QGraphicsScene;

namespace qs::ui {

// Renders `source` (scene coordinates) of `scene` into `path`; the format follows the suffix
// (.svg, else PNG). PNGs are scaled down to stay within 16,384 pixels a side. Returns an empty
// string on success, else the error for the user.
QString exportGraphPicture(QGraphicsScene *scene, const QRectF &source, const QString &path);

} // namespace qs::ui
