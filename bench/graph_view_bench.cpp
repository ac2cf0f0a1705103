// The Graph page's figures: layout time (core/layout: Graphviz dot, grouped by module path
// beyond LayoutOptions::maxBoxes; the layered placement for a flat graph), item creation (the
// scene creates items only near a view: what the first frame at 100 % creates, against
// creating every item up front as the scene did before) and frame time of the view when
// fitted, panning and zooming, rendered offscreen into a QImage; then the same with two panes,
// the model and its dynamic INT8 variant (quantized here, Q/DQ folded, PaneSync following),
// both rendered per frame. Models: generated block chains of 1k, 5k and 20k nodes, a flat 20k
// chain without module paths (20,002 boxes, nothing to group) and PaddleOCR det.
//
//   graph_view_bench [--frames N] [--max-boxes N] [--det PATH] [--no-variant]
//   QT_QPA_PLATFORM=offscreen is set when no display is.
#include "graph/graph_items.h"
#include "graph/graph_page.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph/pane_sync.h"
#include "layout/graph_layout.h"
#include "layout/node_matching.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/quantizer.h"
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
    bool variant = true;
    std::string det = std::string(getenv("HOME") ? getenv("HOME") : "")
                      + "/.cache/quantscope/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx";
};

double msSince(const QElapsedTimer &clock)
{
    return clock.nsecsElapsed() / 1e6;
}

// Mean milliseconds per frame of `views` rendered into images while `step` moves them.
template<typename Step>
double frameMs(std::initializer_list<GraphView *> views, int frames, Step step)
{
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < frames; ++i) {
        step(i);
        for (GraphView *view : views) {
            QImage image(view->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
            image.fill(Qt::white);
            QPainter painter(&image);
            view->render(&painter);
        }
    }
    return msSince(clock) / frames;
}

struct Picture
{
    std::shared_ptr<const GraphLayout> layout;
    double layoutMs = 0;
};

Picture layOut(const GraphIndex &index, LayoutOptions options)
{
    QElapsedTimer clock;
    clock.start();
    Result<GraphLayout> layout = layoutGraph(index, options);
    Picture picture;
    picture.layoutMs = msSince(clock);
    if (!layout) {
        std::printf("layout failed: %s\n", layout.status().message().c_str());
        return picture;
    }
    picture.layout = std::make_shared<const GraphLayout>(std::move(*layout));
    return picture;
}

// The view's frames fitted, panning across the picture at 100 % and zooming 5 %-140 %.
struct Frames
{
    double fitted = 0;
    double panning = 0;
    double zooming = 0;
};

Frames measureFrames(GraphView &view, std::initializer_list<GraphView *> rendered, int frames)
{
    const QRectF all = view.pictureRect();
    Frames out;
    view.fitAll();
    out.fitted = frameMs(rendered, frames, [&](int i) {
        view.centerOn(all.center() + QPointF(i % 2 ? 10 : -10, 0));
    });
    view.setZoom(1.0);
    out.panning = frameMs(rendered, frames, [&](int i) {
        view.centerOn(all.left() + all.width() * (i + 1) / (frames + 1),
                      all.top() + all.height() * (i + 1) / (frames + 1));
    });
    out.zooming = frameMs(rendered, frames,
                          [&](int i) { view.setZoom(0.05 + 1.5 * (i % 10) / 10.0); });
    return out;
}

std::shared_ptr<const Model> dynamicVariant(const std::shared_ptr<const Model> &model)
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_DYNAMIC);
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    if (!result) {
        // Nothing to quantize (the flat chain's Neg/Relu): the model itself beside.
        std::printf("  not quantized (%s): the model itself beside\n",
                    result.status().message().c_str());
        return model;
    }
    auto variant = Model::fromProto(std::move(result->model), model->baseDir());
    return variant ? *variant : nullptr;
}

void bench(const char *name, const std::shared_ptr<const Model> &model, const Options &options)
{
    LayoutOptions layoutOptions;
    layoutOptions.maxBoxes = options.maxBoxes;
    const Picture picture = layOut(model->index(), layoutOptions);
    if (!picture.layout)
        return;
    const GraphLayout &layout = *picture.layout;
    const int items = static_cast<int>(layout.boxes.size() + layout.edges.size());

    // Before: every item created when the layout arrived, and the frames with all of them.
    QElapsedTimer clock;
    Frames before;
    double eagerMs = 0;
    {
        GraphScene eager;
        eager.setGraphLayout(picture.layout);
        clock.start();
        eager.createItemsIn(eager.sceneRect());
        eagerMs = msSince(clock);
        GraphView eagerView(&eager);
        eagerView.resize(1600, 1000);
        eagerView.show();
        QApplication::processEvents();
        before = measureFrames(eagerView, {&eagerView}, options.frames);
    }

    GraphScene scene;
    clock.restart();
    scene.setGraphLayout(picture.layout);
    const double sceneMs = msSince(clock);
    GraphView view(&scene);
    view.resize(1600, 1000);
    view.show();
    QApplication::processEvents();
    // The first frame at 100 % on the graph's inputs creates the items near the view.
    clock.restart();
    view.setZoom(1.0);
    view.centerOn(layout.width / 2, 0);
    frameMs({&view}, 1, [](int) {});
    const double firstFrameMs = msSince(clock);
    const int firstItems = scene.createdItemCount();

    std::printf("%-13s %6zu nodes -> %5zu boxes %5zu edges, depth %d%s: layout %8.1f ms; items: "
                "all up front %7.1f ms (%d), lazy: scene %5.1f ms + first frame %6.1f ms (%d "
                "items)\n",
                name, model->index().mainGraph().nodes.size(), layout.boxes.size(),
                layout.edges.size(), layout.collapseDepth, layout.layered ? " (layered)" : "",
                picture.layoutMs, eagerMs, items, sceneMs, firstFrameMs, firstItems);
    const Frames one = measureFrames(view, {&view}, options.frames);
    std::printf("%-13s frame ms: fitted %.1f, panning at 100%% %.1f, zooming 0.05-1.4 %.1f; "
                "items created after panning and zooming: %d of %d; with every item up front: "
                "fitted %.1f, panning %.1f, zooming %.1f\n",
                name, one.fitted, one.panning, one.zooming, scene.createdItemCount(), items,
                before.fitted, before.panning, before.zooming);
    if (!options.variant)
        return;

    // Two panes: the model and its dynamic INT8 variant, 800x1000 each, PaneSync following.
    clock.restart();
    std::shared_ptr<const Model> variant = dynamicVariant(model);
    if (!variant)
        return;
    const double quantizeMs = msSince(clock);
    clock.restart();
    const NodeMatching matching = matchVariantNodes(model->index(), variant->index());
    const double matchMs = msSince(clock);
    LayoutOptions variantOptions = layoutOptions;
    variantOptions.foldInto = matching.foldedInto;
    const Picture variantPicture = layOut(variant->index(), variantOptions);
    if (!variantPicture.layout)
        return;
    GraphScene left, right;
    left.setGraphLayout(picture.layout);
    right.setGraphLayout(variantPicture.layout);
    GraphView leftView(&left), rightView(&right);
    leftView.resize(800, 1000);
    rightView.resize(800, 1000);
    leftView.show();
    rightView.show();
    PaneSync sync(&leftView, &rightView);
    sync.setBoxMaps(
        [&](int box) {
            const LayoutBox *b = left.layoutBox(box);
            return b && b->kind == LayoutBox::Kind::Node
                       ? right.boxOfNode(matching.variantNodeFor(b->nodeId))
                       : -1;
        },
        [&](int box) {
            const LayoutBox *b = right.layoutBox(box);
            return b && b->kind == LayoutBox::Kind::Node
                       ? left.boxOfNode(matching.referenceNodeFor(b->nodeId))
                       : -1;
        });
    sync.setEnabled(true);
    QApplication::processEvents();
    const Frames two = measureFrames(leftView, {&leftView, &rightView}, options.frames);
    std::printf("%-13s two panes (variant %zu nodes, quantized in %.0f ms, matched in %.1f ms, "
                "laid out in %.1f ms): frame ms (both panes) fitted %.1f, panning %.1f, zooming "
                "%.1f; items %d + %d\n",
                name, variant->index().mainGraph().nodes.size(), quantizeMs, matchMs,
                variantPicture.layoutMs, two.fitted, two.panning, two.zooming,
                left.createdItemCount(), right.createdItemCount());
}

// A chain of `nodes` Neg/Relu nodes without module paths: nothing to group, so beyond twice
// the box bound it is placed in layers, one box per node.
onnx::ModelProto makeFlatChain(int nodes)
{
    onnx::ModelProto proto = test::makeModel(13);
    onnx::GraphProto &g = *proto.mutable_graph();
    test::addInput(g, "x", {1, 8});
    std::string previous = "x";
    for (int i = 0; i < nodes; ++i) {
        const std::string out = "v" + std::to_string(i);
        test::addNode(g, i % 2 ? "Relu" : "Neg", {previous}, {out}, "n" + std::to_string(i));
        previous = out;
    }
    test::addOutput(g, previous, {1, 8});
    return proto;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Options options;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--no-variant"))
            options.variant = false;
        else if (hasValue && !std::strcmp(argv[i], "--frames"))
            options.frames = std::atoi(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--max-boxes"))
            options.maxBoxes = std::atoi(argv[++i]);
        else if (hasValue && !std::strcmp(argv[i], "--det"))
            options.det = argv[++i];
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
    Result<std::shared_ptr<const Model>> flat = Model::fromProto(makeFlatChain(20000),
                                                                 QDir::tempPath().toStdString());
    if (flat)
        bench("flat chain 20k", *flat, options);
    Result<std::shared_ptr<const Model>> det = Model::load(options.det);
    if (det)
        bench("OCR det", *det, options);
    else
        std::printf("OCR det: %s\n", det.status().message().c_str());
    return 0;
}
