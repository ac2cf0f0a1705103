// The Graph page on the PaddleOCR det model (boxes, one selection with the Workbench both ways,
// overlays and their legend, find, the data-flow keys, exclusion from the context menu, SVG and
// PNG export) and on a generated 20,000-node model that must lay out grouped by module path
// within a sanity bound (not a timing target: bench/graph_view_bench.cpp measures); on a flat
// 20,000-node chain, items created only near the view and the zoomed-out picture drawn
// without them.
#include "graph/graph_items.h"
#include "graph/graph_page.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph_test_models.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/workbench.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <set>

using namespace qs;
using namespace qs::ui;
using qs::ui::test::actionNamed;

namespace {

int nonConstantNodes(const GraphIndex &index)
{
    int count = 0;
    for (int id : index.mainGraph().nodes)
        count += index.nodes()[id].opType != "Constant";
    return count;
}

} // namespace

class GraphViewTest : public QObject
{
    Q_OBJECT

    Workbench m_workbench;
    std::unique_ptr<GraphPage> m_page;

    const GraphIndex &index() const { return m_workbench.model()->index(); }

    // A drawn node with at least one consumer and one producer box.
    int middleNodeBox() const
    {
        GraphScene *scene = m_page->scene();
        for (int box = 0; box < scene->boxCount(); ++box)
            if (scene->boxItem(box)->box().kind == LayoutBox::Kind::Node
                && !scene->consumers(box).empty() && !scene->producers(box).empty()
                && box > scene->boxCount() / 3)
                return box;
        return -1;
    }

private slots:
    void initTestCase()
    {
        qs::ui::test::isolateSettings();
        const QString path = qs::ui::test::ocrModel("ch_PP-OCRv4_det_infer.onnx");
        m_workbench.setModel(qs::test::loadModelOrDie(path), path);
        m_page = std::make_unique<GraphPage>(&m_workbench);
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        m_page->resize(1200, 800);
        m_page->show(); // the first showing lays the model out
        QVERIFY(m_page->job()->isRunning() || !laidOut.isEmpty());
        QVERIFY(laidOut.wait(120000));
        qInfo("%s", qPrintable(m_page->statusText()));
    }

    // QS_UI_SCREENSHOTS=DIR keeps pictures of the page (fitted, and at 100 % on a selected
    // node), for reviewing the drawing.
    void cleanupTestCase()
    {
        const QString screenshots = qEnvironmentVariable("QS_UI_SCREENSHOTS");
        if (screenshots.isEmpty())
            return;
        m_page->view()->fitAll();
        m_page->grab().save(screenshots + QStringLiteral("/graph_fitted.png"));
        m_page->view()->resetZoom();
        m_page->selectBox(middleNodeBox());
        m_page->grab().save(screenshots + QStringLiteral("/graph_100.png"));
    }

    void drawsEveryNonConstantNodeAsABox()
    {
        const GraphLayout *layout = m_page->graphLayout();
        QVERIFY(layout);
        QCOMPARE(layout->collapseDepth, 0); // det fits without grouping
        int nodeBoxes = 0, inputs = 0, outputs = 0;
        for (BoxItem *item : m_page->scene()->boxItems()) {
            nodeBoxes += item->box().kind == LayoutBox::Kind::Node;
            inputs += item->box().kind == LayoutBox::Kind::Input;
            outputs += item->box().kind == LayoutBox::Kind::Output;
        }
        QCOMPARE(nodeBoxes, nonConstantNodes(index()));
        QCOMPARE(inputs, static_cast<int>(index().mainGraph().inputs.size()));
        QCOMPARE(outputs, static_cast<int>(index().mainGraph().outputs.size()));
        QVERIFY(m_page->scene()->edgeCount() >= nodeBoxes);
        for (int id : index().mainGraph().nodes) {
            const bool constant = index().nodes()[id].opType == "Constant";
            QCOMPARE(m_page->scene()->boxOfNode(id) < 0, constant);
        }
        // Boxes do not overlap: dot placed them.
        const QList<QGraphicsItem *> around = m_page->scene()->items(
            m_page->scene()->boxItem(middleNodeBox())->sceneBoundingRect().adjusted(2, 2, -2, -2));
        int boxesThere = 0;
        for (QGraphicsItem *item : around)
            boxesThere += item->type() == BoxItem::Type;
        QCOMPARE(boxesThere, 1);
        QVERIFY(m_page->view()->miniMap()->isVisible());
    }

    void workbenchSelectionCentresTheBox()
    {
        const int box = middleNodeBox();
        const int nodeId = m_page->scene()->boxItem(box)->box().nodeId;
        m_page->view()->setZoom(1.0);
        m_workbench.selectNode(nodeId);
        QCOMPARE(m_page->scene()->selectedBox(), box);
        // Centred where the scene allows (det is narrower than the view: only y can move).
        const QRectF visible = m_page->view()->visibleSceneRect();
        BoxItem *item = m_page->scene()->boxItem(box);
        QVERIFY(visible.contains(item->sceneBoundingRect()));
        QVERIFY(std::abs(visible.center().y() - item->pos().y()) < 5);
    }

    void clickingABoxSelectsTheNode()
    {
        const int box = middleNodeBox() + 1;
        BoxItem *item = m_page->scene()->boxItem(box);
        QVERIFY(item->box().kind == LayoutBox::Kind::Node);
        m_page->view()->centerOn(item);
        const QPoint at = m_page->view()->mapFromScene(item->pos());
        QTest::mouseClick(m_page->view()->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(m_page->scene()->selectedBox(), box);
        QCOMPARE(m_workbench.selectedNode(), item->box().nodeId);
    }

    void upAndDownFollowTheDataFlow()
    {
        const int box = middleNodeBox();
        m_page->selectBox(box);
        const int consumer = m_page->scene()->consumers(box).front();
        m_page->view()->setFocus();
        QTest::keyClick(m_page->view(), Qt::Key_Down);
        QCOMPARE(m_page->scene()->selectedBox(), consumer);
        QCOMPARE(m_workbench.selectedNode(), m_page->scene()->boxItem(consumer)->box().nodeId);
        QTest::keyClick(m_page->view(), Qt::Key_Up);
        QCOMPARE(m_page->scene()->selectedBox(), m_page->scene()->producers(consumer).front());
        // The context menu offers the same walk.
        std::unique_ptr<QMenu> menu(m_page->createContextMenu(box));
        QMenu *consumers = actionNamed(menu.get(), QStringLiteral("Go to consumer"))->menu();
        QVERIFY(consumers && !consumers->actions().isEmpty());
        consumers->actions().front()->trigger();
        QCOMPARE(m_page->scene()->selectedBox(), consumer);
    }

    void findCyclesThroughMatches()
    {
        // By op type (any case) or by a name containing the text (det's ConvTranspose nodes).
        int convBoxes = 0;
        for (BoxItem *item : m_page->scene()->boxItems())
            convBoxes += item->box().kind == LayoutBox::Kind::Node
                         && (item->box().title == "Conv"
                             || QString::fromStdString(item->box().subtitle)
                                    .contains(QStringLiteral("conv"), Qt::CaseInsensitive));
        QVERIFY(convBoxes > 10);
        m_page->scene()->clearSelection();
        std::set<int> seen;
        const int first = m_page->findNext(QStringLiteral("conv")); // op type, any case
        QVERIFY(first >= 0);
        seen.insert(first);
        for (int i = 1; i < convBoxes; ++i) {
            const int box = m_page->findNext(QStringLiteral("conv"));
            QVERIFY(QString::fromStdString(m_page->scene()->boxItem(box)->box().title)
                        .startsWith(QStringLiteral("Conv")));
            seen.insert(box);
        }
        QCOMPARE(static_cast<int>(seen.size()), convBoxes);
        QCOMPARE(m_page->findNext(QStringLiteral("conv")), first); // wrapped around
        QCOMPARE(m_page->findNext(QStringLiteral("no such node")), -1);
    }

    void overlaysPaintAndExplainThemselves()
    {
        m_page->setOverlay(GraphOverlay::OpType);
        QVERIFY(m_page->legend()->isVisible());
        QVERIFY(m_page->legendLabels().contains(QStringLiteral("Convolution")));
        QVERIFY(m_page->legendLabels().contains(QStringLiteral("Activation")));

        const int box = middleNodeBox();
        BoxItem *item = m_page->scene()->boxItem(box);
        const QString name = QString::fromStdString(item->box().subtitle);
        m_page->setOverlay(GraphOverlay::Quantization);
        QVERIFY(m_page->legendLabels().contains(QStringLiteral("No Quantize run yet")));
        const QColor before = item->fill();

        // Exclusion from the context menu, as in the node table, and back.
        std::unique_ptr<QMenu> menu(m_page->createContextMenu(box));
        actionNamed(menu.get(), QStringLiteral("Keep node in float"))->trigger();
        QVERIFY(m_workbench.isNodeExcluded(name));
        QVERIFY(item->isExcluded());
        QVERIFY(item->fill() != before);
        QVERIFY(m_page->legendLabels().contains(QStringLiteral("Kept in float by you")));
        menu.reset(m_page->createContextMenu(box));
        QAction *keep = actionNamed(menu.get(), QStringLiteral("Keep node in float"));
        QVERIFY(keep->isChecked());
        keep->trigger();
        QVERIFY(!m_workbench.isNodeExcluded(name));
        QVERIFY(!item->isExcluded());

        m_page->setLeftInFloat({{name, QStringLiteral("its input is not quantized")}});
        QVERIFY(m_page->legendLabels().contains(
            QStringLiteral("Left in float by the last Quantize run")));
        QVERIFY(item->toolTip().contains(QStringLiteral("its input is not quantized")));

        m_page->setOverlay(GraphOverlay::Sqnr);
        QVERIFY(m_page->legendLabels().contains(
            QStringLiteral("No comparison with per-node error yet")));
        m_page->setNodeErrors({{name, 5.0}});
        QCOMPARE(item->fill(), GraphOverlays::sqnrColour(5.0));
        QVERIFY(m_page->legendLabels().contains(QStringLiteral("<= 10 dB (worst)")));
        m_page->setOverlay(GraphOverlay::OpType);
    }

    void exportsSvgAndPngAtomically()
    {
        QTemporaryDir dir;
        const QString svg = dir.filePath(QStringLiteral("graph.svg"));
        const QString png = dir.filePath(QStringLiteral("visible.png"));
        QCOMPARE(m_page->exportPicture(svg, false), QString());
        QCOMPARE(m_page->exportPicture(png, true), QString());
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QVERIFY(renderer.viewBoxF().height() > 1000); // the whole graph, not the viewport
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("Conv")); // text stays text
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 100 && image.height() >= 100);
        // Only the two files: no temporary left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
        // A folder that does not exist fails with a message, and writes nothing.
        QVERIFY(
            !m_page->exportPicture(dir.filePath(QStringLiteral("missing/x.svg")), false).isEmpty());
    }

    void aCancelledLayoutKeepsThePicture()
    {
        const int boxes = m_page->scene()->boxCount();
        QSignalSpy finished(m_page->job(), &JobController::finished);
        m_page->relayout();
        m_page->job()->cancel();
        QVERIFY(finished.wait(120000));
        QCOMPARE(m_page->scene()->boxCount(), boxes);
    }

    void twentyThousandNodesLayOutGroupedByModule()
    {
        Result<std::shared_ptr<const Model>> model
            = Model::fromProto(qs::test::makeBlockChainModel(20000), QDir::tempPath().toStdString());
        QVERIFY(model);
        Workbench workbench;
        workbench.setModel(*model, QStringLiteral("block_chain.onnx"));
        GraphPage page(&workbench);
        QSignalSpy laidOut(&page, &GraphPage::laidOut);
        QElapsedTimer clock;
        clock.start();
        page.resize(1000, 700);
        page.show();
        // A sanity bound against a hang, far above the measured time.
        QVERIFY(laidOut.wait(180000));
        qInfo("20,000 nodes: %s (%lld ms with the page)", qPrintable(page.statusText()),
              clock.elapsed());
        const GraphLayout *layout = page.graphLayout();
        const int collapsedBoxes = static_cast<int>(layout->boxes.size());
        QCOMPARE(layout->collapseDepth, 1); // stage groups
        QVERIFY(!layout->layered);
        int drawn = 0, groups = 0;
        for (const LayoutBox &box : layout->boxes) {
            drawn += box.kind == LayoutBox::Kind::Node ? 1 : static_cast<int>(box.members.size());
            groups += box.kind == LayoutBox::Kind::Group;
        }
        QCOMPARE(drawn, nonConstantNodes((*model)->index()));
        QVERIFY(static_cast<int>(layout->boxes.size()) <= LayoutOptions().maxBoxes);
        QVERIFY(groups > 100);
        // Stages repeat (the side branch every fourth block gives four kinds of stage): full
        // stages are marked identical to others, and the last, shorter one is not.
        QVERIFY(layout->boxes[1].identicalGroups > 0);
        QVERIFY(
            QString::fromStdString(layout->boxes[1].subtitle).contains(QStringLiteral("identical")));
        // Stage to stage flows one value, read by two nodes of the next stage: one shape, no "+1".
        for (const LayoutEdge &edge : layout->edges)
            if (edge.from == 1)
                QCOMPARE(edge.label, std::string("[1,4,8,8]"));
        int lastGroup = -1;
        for (int b = 0; b < static_cast<int>(layout->boxes.size()); ++b)
            if (layout->boxes[b].kind == LayoutBox::Kind::Group)
                lastGroup = b;
        QCOMPARE(layout->boxes[lastGroup].identicalGroups, 0);

        if (const QString dir = qEnvironmentVariable("QS_UI_SCREENSHOTS"); !dir.isEmpty())
            page.grab().save(dir + QStringLiteral("/graph_20k_grouped.png"));

        // Find reaches into groups; the Workbench's selection lands on the group's box.
        const NodeInfo *node = (*model)->index().findByDisplayName("/stage3/block7/conv2/Conv");
        QVERIFY(node);
        workbench.selectNode(node->id);
        const int groupBox = page.scene()->selectedBox();
        QVERIFY(groupBox >= 0);
        QCOMPARE(page.scene()->boxItem(groupBox)->box().group, std::string("stage3"));

        // Expanding a group in place: its blocks become boxes.
        std::unique_ptr<QMenu> menu(page.createContextMenu(groupBox));
        actionNamed(menu.get(), QStringLiteral("Expand group"))->trigger();
        QVERIFY(laidOut.wait(180000));
        const int expandedBox = page.scene()->boxOfNode(node->id);
        QCOMPARE(page.scene()->boxItem(expandedBox)->box().group, std::string("stage3/block7"));
        QVERIFY(page.scene()->boxCount() > collapsedBoxes);
        page.collapseGroup(QStringLiteral("stage3"));
        QVERIFY(laidOut.wait(180000));
        QCOMPARE(page.scene()->boxItem(page.scene()->boxOfNode(node->id))->box().group,
                 std::string("stage3"));
    }

    // Without module paths nothing can be grouped: beyond twice the bound the layered placement
    // answers instead of dot, whatever the size.
    void aFlatGraphTooLargeForDotIsPlacedInLayers()
    {
        onnx::ModelProto proto = qs::test::makeModel(13);
        onnx::GraphProto &g = *proto.mutable_graph();
        qs::test::addInput(g, "x", {1, 8});
        std::string previous = "x";
        for (int i = 0; i < 3000; ++i) {
            std::string out = std::to_string(i);
            out.insert(out.begin(), 'v');
            std::string name = std::to_string(i);
            name.insert(name.begin(), 'n');
            qs::test::addNode(g, i % 2 ? "Relu" : "Neg", {previous}, {out}, name);
            previous = out;
        }
        qs::test::addOutput(g, previous, {1, 8});
        Result<std::shared_ptr<const Model>> model
            = Model::fromProto(std::move(proto), QDir::tempPath().toStdString());
        QVERIFY(model);
        LayoutOptions options;
        options.maxBoxes = 1000;
        Result<GraphLayout> layout = layoutGraph((*model)->index(), options);
        QVERIFY(layout);
        QVERIFY(layout->layered);
        QCOMPARE(layout->collapseDepth, 0);
        QCOMPARE(static_cast<int>(layout->boxes.size()), 3002);
        // Layers follow the data flow: every edge points down.
        for (const LayoutEdge &edge : layout->edges)
            QVERIFY(layout->boxes[edge.from].y < layout->boxes[edge.to].y);
    }

    // Items are created for what a view comes near, not up front: a 20,000-box picture starts
    // with none, gets a few dozen where the view looks, is drawn zoomed out from the layout
    // without creating any, and a box clicked there gets its item and the selection.
    void itemsAreCreatedOnlyNearTheView()
    {
        onnx::ModelProto proto = qs::test::makeModel(13);
        onnx::GraphProto &g = *proto.mutable_graph();
        qs::test::addInput(g, "x", {1, 8});
        std::string previous = "x";
        for (int i = 0; i < 20000; ++i) {
            const std::string out = "v" + std::to_string(i);
            qs::test::addNode(g, i % 2 ? "Relu" : "Neg", {previous}, {out}, "n" + std::to_string(i));
            previous = out;
        }
        qs::test::addOutput(g, previous, {1, 8});
        Result<std::shared_ptr<const Model>> model
            = Model::fromProto(std::move(proto), QDir::tempPath().toStdString());
        QVERIFY(model);
        Result<GraphLayout> layout = layoutGraph((*model)->index(), LayoutOptions());
        QVERIFY(layout);
        QVERIFY(layout->layered);
        auto shared = std::make_shared<const GraphLayout>(std::move(*layout));

        GraphScene scene;
        scene.setGraphLayout(shared);
        QCOMPARE(scene.boxCount(), 20002);
        QCOMPARE(scene.createdItemCount(), 0);
        scene.paint(GraphOverlay::OpType, (*model)->index(), OverlayData());
        QCOMPARE(scene.createdItemCount(), 0); // painting keeps the colours, not items

        GraphView view(&scene);
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setZoom(1.0);
        view.centerOn(shared->boxes[10000].x, shared->boxes[10000].y);
        QApplication::processEvents();
        const int nearMiddle = scene.createdItemCount();
        QVERIFY2(nearMiddle > 10 && nearMiddle < 200, qPrintable(QString::number(nearMiddle)));
        QVERIFY(!scene.items(view.visibleSceneRect()).isEmpty());
        // Panning creates the items of the new region; the far rest stays without.
        view.centerOn(shared->boxes[15000].x, shared->boxes[15000].y);
        QApplication::processEvents();
        QVERIFY(scene.createdItemCount() > nearMiddle);
        QVERIFY(scene.createdItemCount() < 400);

        // Zoomed out: drawn from the layout, no new items. The boxes' colour shows.
        const int before = scene.createdItemCount();
        view.setZoom(0.1);
        view.centerOn(shared->boxes[2000].x, shared->boxes[2000].y);
        QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        frame.fill(Qt::white);
        {
            QPainter painter(&frame);
            view.render(&painter);
        }
        QCOMPARE(scene.createdItemCount(), before);
        const QColor boxColour = scene.boxFill(2000);
        int coloured = 0;
        for (int y = 0; y < frame.height(); ++y)
            for (int x = 0; x < frame.width(); ++x)
                coloured += QColor(frame.pixel(x, y)) == boxColour;
        QVERIFY2(coloured > 50, qPrintable(QString::number(coloured)));

        // A click there selects the box under it (its item made on the spot).
        const QPoint at = view.mapFromScene(shared->boxes[2000].x, shared->boxes[2000].y);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QVERIFY(scene.selectedBox() >= 1990 && scene.selectedBox() <= 2010);
        QVERIFY(scene.createdItemCount() <= before + 1);
    }
};

QTEST_MAIN(GraphViewTest)
#include "graph_view_test.moc"
