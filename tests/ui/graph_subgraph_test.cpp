// Subgraphs drawn in place on the Graph page (issue 19): a model built here with an If (two
// branches) feeding a Loop (its body). Closed, each is one box and the nodes inside stand in
// it; expanded from the context menu, the box grows to hold its branches laid out inside it,
// each in its own section, and their nodes are boxes that select like any other; closing the
// If from one of its inner boxes folds it again. Also the layout alone: sections inside the
// host box, inner boxes inside their section, nested expansion.
#include "graph/graph_items.h"
#include "graph/graph_page.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph_test_models.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/workbench.h"

#include "layout/graph_layout.h"
#include "model/graph_index.h"
#include "model/model.h"

#include <QDir>
#include <QMenu>
#include <QtTest>

#include <memory>

using namespace qs;
using namespace qs::ui;
using qs::ui::test::actionNamed;

namespace {

// x -> Relu -> If(cond){then: Neg -> Sigmoid; else: Abs} -> Loop(3){body: Add, Identity} -> y
onnx::ModelProto makeControlFlowModel()
{
    using namespace qs::test;
    onnx::ModelProto model = makeModel(13);
    onnx::GraphProto &g = *model.mutable_graph();
    g.set_name("control_flow");
    addInput(g, "x", {1, 4});
    addInput(g, "cond", {}, onnx::TensorProto::BOOL);
    addInt64Initializer(g, "trips", {3});
    g.mutable_initializer(g.initializer_size() - 1)->clear_dims(); // a scalar trip count
    addNode(g, "Relu", {"x"}, {"r"}, "pre_relu");

    onnx::NodeProto &branch = addNode(g, "If", {"cond"}, {"chosen"}, "branch");
    onnx::GraphProto &thenBranch = addGraphAttribute(branch, "then_branch");
    addNode(thenBranch, "Neg", {"r"}, {"t1"}, "then_neg");
    addNode(thenBranch, "Sigmoid", {"t1"}, {"t_out"}, "then_sigmoid");
    addOutput(thenBranch, "t_out", {1, 4});
    onnx::GraphProto &elseBranch = addGraphAttribute(branch, "else_branch");
    addNode(elseBranch, "Abs", {"r"}, {"e_out"}, "else_abs");
    addOutput(elseBranch, "e_out", {1, 4});

    onnx::NodeProto &loop = addNode(g, "Loop", {"trips", "", "chosen"}, {"y"}, "repeat");
    onnx::GraphProto &body = addGraphAttribute(loop, "body");
    addInput(body, "i", {}, onnx::TensorProto::INT64);
    addInput(body, "keep_going", {}, onnx::TensorProto::BOOL);
    addInput(body, "v", {1, 4});
    addNode(body, "Identity", {"keep_going"}, {"keep_going_out"}, "loop_cond");
    addNode(body, "Add", {"v", "v"}, {"v_out"}, "loop_add");
    addOutput(body, "keep_going_out", {}, onnx::TensorProto::BOOL);
    addOutput(body, "v_out", {1, 4});
    addOutput(g, "y", {1, 4});
    return model;
}

std::shared_ptr<const Model> controlFlowModel()
{
    Result<std::shared_ptr<const Model>> model = Model::fromProto(makeControlFlowModel(),
                                                                  QDir::tempPath().toStdString());
    if (!model)
        qFatal("control flow model: %s", model.status().message().c_str());
    return *model;
}

int nodeId(const GraphIndex &index, const char *name)
{
    const NodeInfo *node = index.findByDisplayName(name);
    return node ? node->id : -1;
}

bool inside(const LayoutBox &box, const LayoutSection &section)
{
    return box.x - box.width / 2 >= section.x - 0.5
           && box.x + box.width / 2 <= section.x + section.width + 0.5
           && box.y - box.height / 2 >= section.y - 0.5
           && box.y + box.height / 2 <= section.y + section.height + 0.5;
}

} // namespace

class GraphSubgraphTest : public QObject
{
    Q_OBJECT

    Workbench m_workbench;
    std::unique_ptr<GraphPage> m_page;

    const GraphIndex &index() const { return m_workbench.model()->index(); }
    GraphScene *scene() const { return m_page->scene(); }
    int boxOf(const char *name) const { return scene()->boxOfNode(nodeId(index(), name)); }

private slots:
    void initTestCase()
    {
        m_workbench.setModel(controlFlowModel(), QStringLiteral("control_flow.onnx"));
        m_page = std::make_unique<GraphPage>(&m_workbench);
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        m_page->resize(1000, 700);
        m_page->show();
        QVERIFY(laidOut.wait(60000));
    }

    void closedSubgraphsAreOneBoxEach()
    {
        const GraphLayout *layout = m_page->graphLayout();
        QVERIFY(layout);
        const int ifBox = boxOf("branch");
        QVERIFY(ifBox >= 0);
        QVERIFY(!layout->boxes[ifBox].expanded);
        QVERIFY(layout->boxes[ifBox].sections.empty());
        // The branches' nodes are not drawn: they stand in their owner's box.
        QCOMPARE(boxOf("then_neg"), ifBox);
        QCOMPARE(boxOf("else_abs"), ifBox);
        QCOMPARE(boxOf("loop_add"), boxOf("repeat"));
        for (const LayoutBox &box : layout->boxes)
            QCOMPARE(box.container, -1);
        // The If reads `r` inside its branches: an edge from the Relu's box.
        bool readsRelu = false;
        for (const LayoutEdge &edge : layout->edges)
            readsRelu |= edge.from == boxOf("pre_relu") && edge.to == ifBox;
        QVERIFY(readsRelu);
    }

    void anIfExpandsInPlaceWithBothBranches()
    {
        const int closedBox = boxOf("branch");
        const double closedHeight = m_page->graphLayout()->boxes[closedBox].height;
        std::unique_ptr<QMenu> menu(m_page->createContextMenu(closedBox));
        QAction *expand = actionNamed(menu.get(), GraphPage::tr("Expand subgraphs in place"));
        QVERIFY(expand);
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        expand->trigger();
        QVERIFY(laidOut.wait(60000));

        const GraphLayout &layout = *m_page->graphLayout();
        const int ifBox = boxOf("branch");
        const LayoutBox &host = layout.boxes[ifBox];
        QVERIFY(host.expanded);
        QVERIFY(host.height > closedHeight);
        QCOMPARE(host.sections.size(), size_t(2));
        QCOMPARE(host.sections[0].title, std::string("then_branch"));
        QCOMPARE(host.sections[1].title, std::string("else_branch"));
        // Side by side, inside the host.
        QVERIFY(host.sections[0].x + host.sections[0].width <= host.sections[1].x);
        for (const LayoutSection &section : host.sections) {
            QVERIFY(section.x >= host.x - host.width / 2);
            QVERIFY(section.x + section.width <= host.x + host.width / 2 + 0.5);
            QVERIFY(section.y + section.height <= host.y + host.height / 2 + 0.5);
        }
        // Each branch node is its own box, held by the If and inside its branch's section.
        for (auto [name, section] :
             {std::pair{"then_neg", 0}, std::pair{"then_sigmoid", 0}, std::pair{"else_abs", 1}}) {
            const int b = boxOf(name);
            QVERIFY2(b >= 0 && b != ifBox, name);
            QCOMPARE(layout.boxes[b].container, ifBox);
            QCOMPARE(layout.boxes[b].depth, 1);
            QVERIFY2(inside(layout.boxes[b], host.sections[section]), name);
        }
        // The branch's own data flow is drawn: Neg -> Sigmoid.
        const std::vector<int> consumers = scene()->consumers(boxOf("then_neg"));
        QVERIFY(std::find(consumers.begin(), consumers.end(), boxOf("then_sigmoid"))
                != consumers.end());
        // Branch outputs are drawn as output boxes inside the sections.
        int innerOutputs = 0;
        for (const LayoutBox &box : layout.boxes)
            innerOutputs += box.kind == LayoutBox::Kind::Output && box.container == ifBox;
        QCOMPARE(innerOutputs, 2);
        // The Loop stays closed.
        QVERIFY(!layout.boxes[boxOf("repeat")].expanded);

        // Drawn: the inner items stand above the host's.
        BoxItem *hostItem = scene()->boxItem(ifBox);
        BoxItem *inner = scene()->boxItem(boxOf("then_neg"));
        QVERIFY(inner->zValue() > hostItem->zValue());
        QVERIFY(hostItem->sceneBoundingRect().contains(inner->sceneBoundingRect()));
        // A click on an inner box selects that node (not the If) everywhere.
        m_page->view()->setZoom(1.0);
        m_page->view()->centerOn(inner);
        QTest::mouseClick(m_page->view()->viewport(), Qt::LeftButton, {},
                          m_page->view()->mapFromScene(inner->pos()));
        QCOMPARE(scene()->selectedBox(), boxOf("then_neg"));
        QCOMPARE(m_workbench.selectedNode(), nodeId(index(), "then_neg"));
        if (const QString dir = qEnvironmentVariable("QS_UI_SCREENSHOTS"); !dir.isEmpty())
            m_page->grab().save(dir + QStringLiteral("/graph_if_expanded.png"));
    }

    void theLoopBodyExpandsToo()
    {
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        m_page->expandSubgraphs(QStringLiteral("repeat"));
        QVERIFY(laidOut.wait(60000));
        const GraphLayout &layout = *m_page->graphLayout();
        const LayoutBox &loop = layout.boxes[boxOf("repeat")];
        QVERIFY(loop.expanded);
        QCOMPARE(loop.sections.size(), size_t(1));
        QCOMPARE(loop.sections[0].title, std::string("body"));
        // The body's carried inputs are input boxes, its nodes boxes, inside the section.
        int bodyInputs = 0;
        for (const LayoutBox &box : layout.boxes)
            bodyInputs += box.kind == LayoutBox::Kind::Input && box.container == boxOf("repeat");
        QCOMPARE(bodyInputs, 3);
        QVERIFY(inside(layout.boxes[boxOf("loop_add")], loop.sections[0]));
        // The If stays open, and the two hosts do not overlap.
        const LayoutBox &branch = layout.boxes[boxOf("branch")];
        QVERIFY(branch.expanded);
        QVERIFY(branch.y + branch.height / 2 <= loop.y - loop.height / 2);
    }

    void anInnerBoxClosesItsOwner()
    {
        std::unique_ptr<QMenu> menu(m_page->createContextMenu(boxOf("else_abs")));
        QAction *close
            = actionNamed(menu.get(),
                          GraphPage::tr("Close subgraphs of %1").arg(QStringLiteral("branch")));
        QVERIFY(close);
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        close->trigger();
        QVERIFY(laidOut.wait(60000));
        QVERIFY(!m_page->graphLayout()->boxes[boxOf("branch")].expanded);
        QCOMPARE(boxOf("else_abs"), boxOf("branch"));
        QVERIFY(m_page->graphLayout()->boxes[boxOf("repeat")].expanded);
        // The selected inner node now selects its owner's box.
        m_workbench.selectNode(nodeId(index(), "then_sigmoid"));
        QCOMPARE(scene()->selectedBox(), boxOf("branch"));
    }

    // The layout alone: an If inside a Loop's body, both expanded, nest.
    void nestedExpansionNests()
    {
        onnx::ModelProto proto = makeControlFlowModel();
        // Move the If into the Loop's body: the body reads `v` and branches on keep_going.
        onnx::GraphProto &g = *proto.mutable_graph();
        onnx::NodeProto branch = g.node(1);
        g.mutable_node()->DeleteSubrange(1, 1);
        onnx::NodeProto &loop = *g.mutable_node(1);
        loop.set_input(2, "r");
        onnx::GraphProto &body = *loop.mutable_attribute(0)->mutable_g();
        branch.set_input(0, "keep_going");
        *body.add_node() = branch;
        body.mutable_node()->SwapElements(1, 2);      // Identity, If, Add
        body.mutable_node(2)->set_input(0, "chosen"); // Add(chosen, chosen)
        body.mutable_node(2)->set_input(1, "chosen");
        Result<std::shared_ptr<const Model>> model
            = Model::fromProto(std::move(proto), QDir::tempPath().toStdString());
        QVERIFY(model);
        const GraphIndex &nested = (*model)->index();
        LayoutOptions options;
        options.expandedSubgraphs = {"repeat", "branch"};
        Result<GraphLayout> layout = layoutGraph(nested, options);
        QVERIFY(layout);
        const int loopBox = layout->boxOfNode[nodeId(nested, "repeat")];
        const int ifBox = layout->boxOfNode[nodeId(nested, "branch")];
        const int negBox = layout->boxOfNode[nodeId(nested, "then_neg")];
        QVERIFY(loopBox >= 0 && ifBox >= 0 && negBox >= 0);
        QCOMPARE(layout->boxes[ifBox].container, loopBox);
        QCOMPARE(layout->boxes[ifBox].depth, 1);
        QCOMPARE(layout->boxes[negBox].container, ifBox);
        QCOMPARE(layout->boxes[negBox].depth, 2);
        QVERIFY(inside(layout->boxes[ifBox], layout->boxes[loopBox].sections[0]));
        QVERIFY(inside(layout->boxes[negBox], layout->boxes[ifBox].sections[0]));
        // Only the Loop open: the If is a closed box in the body and its nodes stand in it.
        options.expandedSubgraphs = {"repeat"};
        layout = layoutGraph(nested, options);
        QVERIFY(layout);
        QCOMPARE(layout->boxOfNode[nodeId(nested, "then_neg")],
                 layout->boxOfNode[nodeId(nested, "branch")]);
    }
};

QTEST_MAIN(GraphSubgraphTest)
#include "graph_subgraph_test.moc"
