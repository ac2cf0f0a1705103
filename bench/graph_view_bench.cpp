// The Graph page's figures: layout time (core/layout: Graphviz dot, grouped by module path
// beyond LayoutOptions::maxBoxes) and frame time of the view when panning and zooming,
// rendered offscreen into a QImage, on generated block chains of 1k, 5k and 20k nodes and on
// PaddleOCR det. Prints one line per model and view state.
//
//   graph_view_bench [--frames N] [--max-boxes N] [--det PATH]
//   QT_QPA_PLATFORM=offscreen is set when no display is.
#include "graph/graph_page.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "layout/graph_layout.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "tests/ui/graph_test_models.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

using namespace qs;
using namespace qs::ui;

namespace {

struct Options
{
    int frames = 30;
    int maxBoxes = LayoutOptions().maxBoxes;
    std::string det = std::string(getenv("HOME") ? getenv("HOME") : "")
                      + "/.cache/quantscope/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx";
};

// Mean milliseconds per frame of `view` rendered into an image while `step` moves it.
template<typename Step>
double frameMs(GraphView &view, int frames, Step step)
{
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < frames; ++i) {
        step(i);
        image.fill(Qt::white);
        QPainter painter(&image);
        view.render(&painter);
    }
    return clock.nsecsElapsed() / 1e6 / frames;
}

void bench(const char *name, const std::shared_ptr<const Model> &model, const Options &options)
{
    LayoutOptions layoutOptions;
    layoutOptions.maxBoxes = options.maxBoxes;
    QElapsedTimer clock;
    clock.start();
    Result<GraphLayout> layout = layoutGraph(model->index(), layoutOptions);
    const double layoutMs = clock.nsecsElapsed() / 1e6;
    if (!layout) {
        std::printf("%-12s layout failed: %s\n", name, layout.status().message().c_str());
        return;
    }
    auto shared = std::make_shared<const GraphLayout>(std::move(*layout));
    GraphScene scene;
    clock.restart();
    scene.setGraphLayout(shared);
    const double sceneMs = clock.nsecsElapsed() / 1e6;
    GraphView view(&scene);
    view.resize(1600, 1000);
    view.show();
    QApplication::processEvents();

    std::printf("%-12s %6zu nodes -> %5zu boxes %5zu edges, depth %d%s: layout %8.1f ms, "
                "scene %6.1f ms\n",
                name, model->index().mainGraph().nodes.size(), shared->boxes.size(),
                shared->edges.size(), shared->collapseDepth, shared->layered ? " (layered)" : "",
                layoutMs, sceneMs);
    const QRectF all = scene.itemsBoundingRect();
    view.fitAll();
    const double fitZoom = view.zoom();
    const double fit = frameMs(view, options.frames, [&](int i) {
        view.centerOn(all.center() + QPointF(i % 2 ? 10 : -10, 0));
    });
    view.setZoom(1.0);
    const double pan100 = frameMs(view, options.frames, [&](int i) {
        view.centerOn(all.left() + all.width() * (i + 1) / (options.frames + 1),
                      all.top() + all.height() * (i + 1) / (options.frames + 1));
    });
    const double zoom = frameMs(view, options.frames,
                                [&](int i) { view.setZoom(0.05 + 1.5 * (i % 10) / 10.0); });
    std::printf("%-12s frame ms: fitted (zoom %.3f) %.1f, panning at 100%% %.1f, zooming "
                "0.05-1.4 %.1f\n",
                name, fitZoom, fit, pan100, zoom);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--frames"))
            options.frames = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--max-boxes"))
            options.maxBoxes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--det"))
            options.det = argv[i + 1];
    }
    for (int nodes : {1000, 5000, 20000}) {
        Result<std::shared_ptr<const Model>> model
            = Model::fromProto(test::makeBlockChainModel(nodes), QDir::tempPath().toStdString());
        if (!model) {
            std::printf("generated %d: %s\n", nodes, model.status().message().c_str());
            return 1;
        }
        bench(("chain " + std::to_string(nodes / 1000) + "k").c_str(), *model, options);
    }
    Result<std::shared_ptr<const Model>> det = Model::load(options.det);
    if (det)
        bench("OCR det", *det, options);
    else
        std::printf("OCR det: %s\n", det.status().message().c_str());
    return 0;
}
