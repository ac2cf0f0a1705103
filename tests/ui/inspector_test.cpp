// The Inspector page on real models: the PaddleOCR det model (node table, filter, exclusions,
// op-type panel, the detail pane following the selection), a backend test model with subgraphs,
// and a synthetic 20,000-node chain built in code for the table's scale. The detail pane's
// constants are in detail_pane_test.cpp.
#include "inspector/inspector_page.h"
#include "inspector/node_detail_pane.h"
#include "inspector/node_table_model.h"
#include "inspector/op_type_model.h"
#include "inspector/tensor_stats.h"
#include "ui_test_support.h"
#include "workbench/workbench.h"

#include "model/graph_index.h"
#include "model/model.h"

#include <onnx/onnx_pb.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QTableView>
#include <QtTest>

#include <qcustomplot.h>

#include <algorithm>
#include <map>
#include <memory>

using namespace qs;
using namespace qs::ui;

namespace {

std::shared_ptr<const Model> loadModel(const QString &path)
{
    Result<std::shared_ptr<const Model>> model = Model::load(path.toStdString());
    if (!model)
        qFatal("cannot load %s: %s", qPrintable(path), model.status().message().c_str());
    return *model;
}

QString cell(const QAbstractItemModel *model, int row, int column, int role = Qt::DisplayRole)
{
    return model->index(row, column).data(role).toString();
}

// The number a numeric column sorts by.
qint64 sortKey(const QAbstractItemModel *model, int row, int column)
{
    static_assert(NodeTableModel::SortRole == OpTypeModel::SortRole);
    return model->index(row, column).data(NodeTableModel::SortRole).toLongLong();
}

// Rows of the node index whose display name or op type `accept` takes; Constant nodes are
// hidden by default, so they are not counted.
template<typename Accept>
int countNodes(const Model &model, Accept accept)
{
    int count = 0;
    for (const NodeInfo &node : model.index().nodes()) {
        if (node.opType == "Constant")
            continue;
        if (accept(QString::fromStdString(node.displayName))
            || accept(QString::fromStdString(node.opType)))
            ++count;
    }
    return count;
}

} // namespace

class InspectorTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tableRowsMatchTheIndex();
    void substringFilter();
    void constantNodesHiddenByDefault();
    void regexFilter();
    void invalidRegexFallsBackToSubstring();
    void excludeCheckboxFollowsWorkbench();
    void opTypeExclusion();
    void opTypeChartHasOneBarPerOpType();
    void selectionFromElsewhereClearsFilter();
    void contextMenuActions();
    void focusFilterSelectsText();
    void subgraphPathColumn();
    void tensorStatsOfOtherTypes();
    void twentyThousandNodes();

private:
    std::shared_ptr<const Model> m_det;
    QString m_detPath;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<InspectorPage> m_page;
    QList<QAbstractItemModelTester *> m_testers;
};

void InspectorTest::initTestCase()
{
    test::isolateSettings();
    m_detPath = test::ocrModel("ch_PP-OCRv4_det_infer.onnx");
    QVERIFY2(QFileInfo::exists(m_detPath), qPrintable(m_detPath));
    m_det = loadModel(m_detPath);
}

void InspectorTest::init()
{
    m_workbench = std::make_unique<Workbench>();
    m_page = std::make_unique<InspectorPage>(m_workbench.get());
    // Testers before the model arrives, so the reset is checked too.
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    m_testers = {new QAbstractItemModelTester(m_page->nodeTableModel(), mode),
                 new QAbstractItemModelTester(m_page->filteredNodes(), mode),
                 new QAbstractItemModelTester(m_page->opTypeModel(), mode),
                 new QAbstractItemModelTester(m_page->opTypeView()->model(), mode)};
    m_workbench->setModel(m_det, m_detPath);
}

void InspectorTest::cleanup()
{
    qDeleteAll(m_testers); // before the models they watch
    m_testers.clear();
    m_page.reset();
    m_workbench.reset();
}

void InspectorTest::tableRowsMatchTheIndex()
{
    const NodeTableModel *table = m_page->nodeTableModel();
    const auto &nodes = m_det->index().nodes();
    QVERIFY(nodes.size() > 100);
    QCOMPARE(table->rowCount(), int(nodes.size()));
    QCOMPARE(m_page->filteredNodes()->rowCount(),
             countNodes(*m_det, [](const QString &) { return true; }));
    QCOMPARE(table->columnCount(), int(NodeTableModel::ColumnCount));
    bool sawConvShape = false;
    for (int row = 0; row < table->rowCount(); ++row) {
        const NodeInfo &node = nodes[size_t(row)];
        QCOMPARE(cell(table, row, NodeTableModel::NameColumn),
                 QString::fromStdString(node.displayName));
        QCOMPARE(cell(table, row, NodeTableModel::OpTypeColumn),
                 QString::fromStdString(node.opType));
        QCOMPARE(sortKey(table, row, NodeTableModel::ParamsColumn), node.paramCount);
        if (node.opType == "Conv") {
            // The det model's Conv outputs are float32 tensors of rank 4 after shape inference.
            QVERIFY(cell(table, row, NodeTableModel::OutputShapeColumn).startsWith(u"float32["));
            // MACs need known spatial sizes; the det model's input is [?,3,?,?].
            QCOMPARE(sortKey(table, row, NodeTableModel::MacsColumn), node.macs.value_or(-1));
            QCOMPARE(cell(table, row, NodeTableModel::MacsColumn).isEmpty(), !node.macs.has_value());
            sawConvShape = true;
        }
        QVERIFY(table->flags(table->index(row, NodeTableModel::ExcludeColumn))
                & Qt::ItemIsUserCheckable);
    }
    QVERIFY(sawConvShape);

    // Numeric columns sort as numbers: params descending puts the largest first.
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(m_page->filteredNodes());
    QVERIFY(proxy);
    proxy->sort(NodeTableModel::ParamsColumn, Qt::DescendingOrder);
    const auto byParams = [](const NodeInfo &a, const NodeInfo &b) {
        return a.paramCount < b.paramCount;
    };
    const int64_t largest = std::max_element(nodes.begin(), nodes.end(), byParams)->paramCount;
    QVERIFY(largest > 0);
    QCOMPARE(sortKey(proxy, 0, NodeTableModel::ParamsColumn), largest);
    for (int row = 1; row < proxy->rowCount(); ++row) {
        QVERIFY(sortKey(proxy, row - 1, NodeTableModel::ParamsColumn)
                >= sortKey(proxy, row, NodeTableModel::ParamsColumn));
    }
}

void InspectorTest::substringFilter()
{
    m_page->filterEdit()->setText(QStringLiteral("Conv"));
    const QAbstractItemModel *proxy = m_page->filteredNodes();
    const int expected = countNodes(*m_det, [](const QString &s) {
        return s.contains(QLatin1String("conv"), Qt::CaseInsensitive);
    });
    QVERIFY(expected > 0);
    QCOMPARE(proxy->rowCount(), expected);
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QString name = cell(proxy, row, NodeTableModel::NameColumn);
        const QString opType = cell(proxy, row, NodeTableModel::OpTypeColumn);
        QVERIFY2(name.contains(u"conv", Qt::CaseInsensitive)
                     || opType.contains(u"conv", Qt::CaseInsensitive),
                 qPrintable(name));
    }
    m_page->filterEdit()->clear();
    QCOMPARE(proxy->rowCount(), countNodes(*m_det, [](const QString &) { return true; }));
}

// PaddleOCR det (a paddle2onnx export) is half Constant nodes: hidden by default, the box
// says how many, and the op-type table still counts them (issue 16).
void InspectorTest::constantNodesHiddenByDefault()
{
    const auto &nodes = m_det->index().nodes();
    const auto constants = std::count_if(nodes.begin(), nodes.end(), [](const NodeInfo &node) {
        return node.opType == "Constant";
    });
    QVERIFY(constants > 100);
    QCheckBox *box = m_page->hideConstantsBox();
    QVERIFY(box->isChecked());
    QVERIFY2(box->text().contains(QString::number(constants)), qPrintable(box->text()));
    QCOMPARE(m_page->filteredNodes()->rowCount(), int(nodes.size() - size_t(constants)));
    box->setChecked(false);
    QCOMPARE(m_page->filteredNodes()->rowCount(), int(nodes.size()));
    box->setChecked(true);
    // Selecting a Constant elsewhere (the graph, a chart) shows it.
    const auto constant = std::find_if(nodes.begin(), nodes.end(), [](const NodeInfo &node) {
        return node.opType == "Constant";
    });
    m_workbench->selectNode(constant->id);
    QVERIFY(!box->isChecked());
    QCOMPARE(m_page->filteredNodes()->rowCount(), int(nodes.size()));
}

void InspectorTest::regexFilter()
{
    const QString pattern = QStringLiteral("^(Relu|Sigmoid)$");
    m_page->filterEdit()->setText(pattern);
    const QRegularExpression regex(pattern, QRegularExpression::CaseInsensitiveOption);
    const int expected = countNodes(*m_det,
                                    [&](const QString &s) { return regex.match(s).hasMatch(); });
    QVERIFY(expected > 0);
    const QAbstractItemModel *proxy = m_page->filteredNodes();
    QCOMPARE(proxy->rowCount(), expected);
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QString opType = cell(proxy, row, NodeTableModel::OpTypeColumn);
        QVERIFY2(opType == u"Relu" || opType == u"Sigmoid", qPrintable(opType));
    }
}

void InspectorTest::invalidRegexFallsBackToSubstring()
{
    // "(" does not compile as a regular expression; it is looked for as plain text.
    const QString text = QStringLiteral("conv(");
    QVERIFY(!QRegularExpression(text).isValid());
    m_page->filterEdit()->setText(text);
    const int expected = countNodes(*m_det, [&](const QString &s) {
        return s.contains(text, Qt::CaseInsensitive);
    });
    QCOMPARE(m_page->filteredNodes()->rowCount(), expected);
    m_page->filterEdit()->setText(QStringLiteral("conv2d_"));
    QCOMPARE(m_page->filteredNodes()->rowCount(), countNodes(*m_det, [](const QString &s) {
                 return s.contains(QLatin1String("conv2d_"), Qt::CaseInsensitive);
             }));
}

void InspectorTest::excludeCheckboxFollowsWorkbench()
{
    NodeTableModel *table = m_page->nodeTableModel();
    const int row = table->rowCount() / 2;
    const QString name = table->displayName(row);
    const QModelIndex box = table->index(row, NodeTableModel::ExcludeColumn);
    QCOMPARE(box.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

    QSignalSpy changed(table, &QAbstractItemModel::dataChanged);
    QVERIFY(table->setData(box, Qt::Checked, Qt::CheckStateRole));
    QVERIFY(m_workbench->excludedNodes().contains(name));
    QCOMPARE(box.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(changed.count(), 1);
    // The check state and the rows' colour are announced, not their text.
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::CheckStateRole) && roles.contains(Qt::ForegroundRole));
    QVERIFY(!roles.contains(Qt::DisplayRole));
    // The excluded row reads as excluded: greyed text.
    QVERIFY(table->index(row, NodeTableModel::NameColumn).data(Qt::ForegroundRole).isValid());

    QVERIFY(table->setData(box, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!m_workbench->excludedNodes().contains(name));
    QCOMPARE(box.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

    // Exclusions made elsewhere (a recipe, the Compare page) show up in the table.
    m_workbench->setExclusions({name}, {});
    QCOMPARE(box.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    // Other columns do not take edits.
    QVERIFY(!table->setData(table->index(row, NodeTableModel::NameColumn), Qt::Checked,
                            Qt::CheckStateRole));
}

void InspectorTest::opTypeExclusion()
{
    OpTypeModel *opTypes = m_page->opTypeModel();
    QVERIFY(opTypes->rowCount() > 0);
    int convRow = -1;
    for (int row = 0; row < opTypes->rowCount(); ++row) {
        if (cell(opTypes, row, OpTypeModel::OpTypeColumn) == u"Conv")
            convRow = row;
    }
    QVERIFY(convRow >= 0);
    const QModelIndex box = opTypes->index(convRow, OpTypeModel::ExcludeColumn);
    QVERIFY(opTypes->setData(box, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(m_workbench->excludedOpTypes(), QStringList{QStringLiteral("Conv")});
    QCOMPARE(box.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    // Every Conv row of the node table looks kept in float: partly checked, greyed (issue 16).
    const NodeTableModel *table = m_page->nodeTableModel();
    for (int row = 0; row < table->rowCount(); ++row) {
        const bool conv = table->opType(row) == u"Conv";
        QCOMPARE(table->index(row, NodeTableModel::ExcludeColumn).data(Qt::CheckStateRole).toInt(),
                 int(conv ? Qt::PartiallyChecked : Qt::Unchecked));
        QCOMPARE(table->index(row, NodeTableModel::NameColumn).data(Qt::ForegroundRole).isValid(),
                 conv);
    }
    QVERIFY(opTypes->setData(box, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(m_workbench->excludedOpTypes().isEmpty());

    // Shares add up to 100 % and counts to the number of nodes.
    double share = 0;
    qint64 count = 0;
    for (int row = 0; row < opTypes->rowCount(); ++row) {
        share
            += opTypes->index(row, OpTypeModel::ShareColumn).data(OpTypeModel::SortRole).toDouble();
        count += sortKey(opTypes, row, OpTypeModel::CountColumn);
    }
    QCOMPARE(count, qint64(m_det->index().nodes().size()));
    QVERIFY(qAbs(share - 100.0) < 1e-6);
}

void InspectorTest::opTypeChartHasOneBarPerOpType()
{
    std::map<QString, double> expected;
    for (const NodeInfo &node : m_det->index().nodes())
        expected[QString::fromStdString(node.opType)] += 1;

    QCustomPlot *chart = m_page->opTypeChart();
    QCOMPARE(chart->plottableCount(), 1);
    auto *bars = qobject_cast<QCPBars *>(chart->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->size(), int(expected.size()));
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(bars->keyAxis()->ticker());
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().size(), int(expected.size()));
    double previous = 1e300;
    // Keys run bottom to top; the top bar (largest key) is the most frequent op type.
    for (auto it = bars->data()->constEnd(); it != bars->data()->constBegin();) {
        --it;
        const QString label = ticker->ticks().value(it->key);
        QVERIFY2(expected.count(label), qPrintable(label));
        QCOMPARE(it->value, expected[label]);
        QVERIFY(it->value <= previous);
        previous = it->value;
    }
}

void InspectorTest::selectionFromElsewhereClearsFilter()
{
    m_page->filterEdit()->setText(QStringLiteral("^Sigmoid$"));
    const auto &nodes = m_det->index().nodes();
    const auto conv = std::find_if(nodes.begin(), nodes.end(),
                                   [](const NodeInfo &n) { return n.opType == "Conv"; });
    QVERIFY(conv != nodes.end());
    m_workbench->selectNode(conv->id); // as the Compare page does
    QVERIFY(m_page->filterEdit()->text().isEmpty());
    const auto *proxy = qobject_cast<QSortFilterProxyModel *>(m_page->filteredNodes());
    QCOMPARE(proxy->mapToSource(m_page->nodeView()->currentIndex()).row(), conv->id);

    // Clicking another row selects that node in the Workbench.
    // (The next node that is not a hidden Constant.)
    const int other = std::find_if(conv + 1, nodes.end(), [](const NodeInfo &n) {
                          return n.opType != "Constant";
                      })->id;
    const QModelIndex otherRow = proxy->mapFromSource(m_page->nodeTableModel()->index(other, 0));
    m_page->nodeView()->setCurrentIndex(otherRow);
    QCOMPARE(m_workbench->selectedNode(), other);
    QCOMPARE(m_page->detailPane()->nodeId(), other);

    // Filtering does not select another node.
    m_page->filterEdit()->setText(QStringLiteral("^Sigmoid$"));
    QCOMPARE(m_workbench->selectedNode(), other);
}

void InspectorTest::contextMenuActions()
{
    const QAbstractItemModel *proxy = m_page->filteredNodes();
    const int row = 3;
    const QString name = cell(proxy, row, NodeTableModel::NameColumn);
    const QString opType = cell(proxy, row, NodeTableModel::OpTypeColumn);
    std::unique_ptr<QMenu> menu(m_page->createContextMenu(proxy->index(row, 0)));
    QList<QAction *> actions;
    for (QAction *action : menu->actions()) {
        if (!action->isSeparator())
            actions.append(action);
    }
    QCOMPARE(actions.size(), 3);
    QVERIFY(actions[1]->text().contains(opType));

    actions[0]->trigger();
    QCOMPARE(m_workbench->excludedNodes(), QStringList{name});
    actions[1]->trigger();
    QCOMPARE(m_workbench->excludedOpTypes(), QStringList{opType});
    actions[2]->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), name);
    // A second menu shows the state and unchecking undoes it.
    std::unique_ptr<QMenu> again(m_page->createContextMenu(proxy->index(row, 0)));
    QVERIFY(again->actions().at(0)->isChecked());
    again->actions().at(0)->trigger();
    QVERIFY(m_workbench->excludedNodes().isEmpty());
}

void InspectorTest::focusFilterSelectsText()
{
    m_page->filterEdit()->setText(QStringLiteral("Relu"));
    m_page->filterEdit()->deselect();
    m_page->focusFilter();
    QCOMPARE(m_page->filterEdit()->selectedText(), QStringLiteral("Relu"));
}

void InspectorTest::subgraphPathColumn()
{
    for (const char *test : {"node/test_if", "node/test_loop11"}) {
        const QString path = test::backendModel(test);
        const std::shared_ptr<const Model> model = loadModel(path);
        m_workbench->setModel(model, path);
        const NodeTableModel *table = m_page->nodeTableModel();
        const auto &nodes = model->index().nodes();
        QCOMPARE(table->rowCount(), int(nodes.size()));
        int inSubgraphs = 0;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString shown = cell(table, row, NodeTableModel::SubgraphColumn);
            const bool nested = nodes[size_t(row)].graph != 0;
            QCOMPARE(shown.isEmpty(), !nested);
            const GraphInfo &graph = model->index().graphs()[size_t(nodes[size_t(row)].graph)];
            QCOMPARE(shown, QString::fromStdString(graph.path));
            inSubgraphs += nested ? 1 : 0;
        }
        QVERIFY2(inSubgraphs > 0, test);
    }
}

void InspectorTest::tensorStatsOfOtherTypes()
{
    // int8: every value once, so the numbers are known exactly.
    std::vector<int8_t> bytes;
    for (int v = -128; v <= 127; ++v)
        bytes.push_back(int8_t(v));
    const TensorStats ints = computeTensorStats(Tensor::fromVector<int8_t>({16, 16}, bytes), 32);
    QVERIFY(ints.valid);
    QCOMPARE(ints.min, -128.0);
    QCOMPARE(ints.max, 127.0);
    QCOMPARE(ints.mean, -0.5);
    QCOMPARE(ints.histogram.size(), size_t(32));
    for (const int64_t n : ints.histogram)
        QCOMPARE(n, int64_t(8)); // 256 values spread evenly over 32 bins

    // float16 with a NaN and an infinity, which stay out of the numbers.
    const std::vector<Eigen::half> halves = {Eigen::half(1.5f), Eigen::half(-2.0f),
                                             Eigen::half(NAN), Eigen::half(INFINITY)};
    const TensorStats fp16 = computeTensorStats(Tensor::fromVector<Eigen::half>({4}, halves));
    QVERIFY(fp16.valid);
    QCOMPARE(fp16.nonFinite, int64_t(2));
    QCOMPARE(fp16.min, -2.0);
    QCOMPARE(fp16.max, 1.5);
    QCOMPARE(fp16.mean, -0.25);
    QCOMPARE(fp16.stddev, 1.75);

    // A tensor of 3M values is sampled down to at most 1M values.
    std::vector<float> ramp(3'000'000);
    for (size_t i = 0; i < ramp.size(); ++i)
        ramp[i] = float(i);
    const TensorStats big = computeTensorStats(Tensor::fromVector<float>({3'000'000}, ramp));
    QCOMPARE(big.elements, int64_t(3'000'000));
    QVERIFY(big.sampled <= int64_t(1) << 20);
    QVERIFY(big.sampled >= 900'000);
    QCOMPARE(big.min, 0.0);
    QVERIFY(big.max > 2'990'000.0);
}

void InspectorTest::twentyThousandNodes()
{
    // The testers walk every row after each change; they ran on the det model already and
    // would dominate the timings here.
    qDeleteAll(m_testers);
    m_testers.clear();
    constexpr int count = 20000;
    onnx::ModelProto proto;
    proto.set_ir_version(8);
    proto.add_opset_import()->set_version(13);
    onnx::GraphProto *graph = proto.mutable_graph();
    graph->set_name("relu_chain");
    auto addValue = [](onnx::ValueInfoProto *value, const std::string &name) {
        value->set_name(name);
        auto *tensor = value->mutable_type()->mutable_tensor_type();
        tensor->set_elem_type(onnx::TensorProto::FLOAT);
        tensor->mutable_shape()->add_dim()->set_dim_value(1);
        tensor->mutable_shape()->add_dim()->set_dim_value(8);
    };
    // QString::arg instead of std::string's operator+, which trips GCC 12's -Wrestrict.
    auto value = [](int i) { return QStringLiteral("t%1").arg(i).toStdString(); };
    addValue(graph->add_input(), value(0));
    for (int i = 0; i < count; ++i) {
        onnx::NodeProto *node = graph->add_node();
        node->set_op_type("Relu");
        node->set_name(QStringLiteral("relu_%1").arg(i).toStdString());
        node->add_input(value(i));
        node->add_output(value(i + 1));
    }
    addValue(graph->add_output(), value(count));

    QElapsedTimer timer;
    timer.start();
    Result<std::shared_ptr<const Model>> model = Model::fromProto(std::move(proto), std::string());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    qInfo("loaded the %d-node chain in %lld ms", count, timer.elapsed());
    timer.restart();
    m_workbench->setModel(*model, QString());
    qInfo("reset the inspector's models in %lld ms", timer.elapsed());
    QCOMPARE(m_page->nodeTableModel()->rowCount(), count);
    QCOMPARE(m_page->filteredNodes()->rowCount(), count);
    // Painting a window of rows must not touch the other 20,000.
    timer.restart();
    m_page->resize(1400, 900);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->grab();
    qInfo("shown and painted in %lld ms", timer.elapsed());
    QCOMPARE(cell(m_page->nodeTableModel(), count - 1, NodeTableModel::OutputShapeColumn),
             QStringLiteral("float32[1,8]"));

    timer.restart();
    m_page->filterEdit()->setText(QStringLiteral("relu_1999"));
    const qint64 substringMs = timer.elapsed();
    // relu_1999 and relu_19990..relu_19999.
    QCOMPARE(m_page->filteredNodes()->rowCount(), 11);
    timer.restart();
    m_page->filterEdit()->setText(QStringLiteral("^relu_1\\d*5$"));
    const qint64 regexMs = timer.elapsed();
    const QRegularExpression regex(QStringLiteral("^relu_1\\d*5$"));
    int expected = 0;
    for (int i = 0; i < count; ++i)
        expected += regex.match(QStringLiteral("relu_%1").arg(i)).hasMatch() ? 1 : 0;
    QCOMPARE(m_page->filteredNodes()->rowCount(), expected);
    timer.restart();
    m_page->filterEdit()->clear();
    const qint64 clearMs = timer.elapsed();
    QCOMPARE(m_page->filteredNodes()->rowCount(), count);
    qInfo("filtering 20,000 rows: substring %lld ms, regex %lld ms, clear %lld ms", substringMs,
          regexMs, clearMs);
    QVERIFY(substringMs < 5000 && regexMs < 5000 && clearMs < 5000);

    // Sorting by name and selecting the last node stay usable too.
    timer.restart();
    m_page->nodeView()->sortByColumn(NodeTableModel::NameColumn, Qt::DescendingOrder);
    m_workbench->selectNode(count - 1);
    qInfo("sort + select in %lld ms", timer.elapsed());
    QCOMPARE(m_page->detailPane()->nodeId(), count - 1);
}

QTEST_MAIN(InspectorTest)
#include "inspector_test.moc"
