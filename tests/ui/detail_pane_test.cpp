// The Inspector's detail pane on the PaddleOCR det model: a Conv's weight statistics against
// the initializer's stored values, decoded off the GUI thread, and the latest-request-wins rule
// when the selection moves on while a decode runs.
#include "inspector/inspector_page.h"
#include "inspector/node_detail_pane.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/workbench.h"

#include "model/graph_index.h"
#include "model/model.h"
#include "tensor/tensor_io.h"

#include <onnx/onnx_pb.h>

#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

#include <qcustomplot.h>

#include <algorithm>
#include <cstring>
#include <memory>

using namespace qs;
using namespace qs::ui;

class DetailPaneTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void detailPaneShowsWeightStatistics();
    void detailPaneDropsAStaleDecode();

private:
    std::shared_ptr<const Model> m_det;
    QString m_detPath;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<InspectorPage> m_page;
};

void DetailPaneTest::initTestCase()
{
    test::isolateSettings();
    m_detPath = test::ocrModel("ch_PP-OCRv4_det_infer.onnx");
    QVERIFY2(QFileInfo::exists(m_detPath), qPrintable(m_detPath));
    auto model = Model::load(m_detPath.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    m_det = *model;
}

void DetailPaneTest::init()
{
    m_workbench = std::make_unique<Workbench>();
    m_page = std::make_unique<InspectorPage>(m_workbench.get());
    m_workbench->setModel(m_det, m_detPath);
}

void DetailPaneTest::cleanup()
{
    m_page.reset();
    m_workbench.reset();
}

void DetailPaneTest::detailPaneShowsWeightStatistics()
{
    const GraphIndex &index = m_det->index();
    const NodeInfo *conv = nullptr;
    for (const NodeInfo &node : index.nodes()) {
        if (node.opType == "Conv" && node.inputs.size() >= 2) {
            conv = &node;
            break;
        }
    }
    QVERIFY(conv);
    const std::string weightName = conv->inputs[1].name;
    const onnx::TensorProto *weightProto = index.constantTensor(conv->graph, weightName);
    QVERIFY(weightProto);
    QCOMPARE(weightProto->data_type(), int(onnx::TensorProto::FLOAT));
    // The reference numbers, straight from the initializer's stored values.
    std::vector<float> values;
    if (weightProto->has_raw_data()) {
        values.resize(weightProto->raw_data().size() / sizeof(float));
        std::memcpy(values.data(), weightProto->raw_data().data(), values.size() * sizeof(float));
    } else if (weightProto->float_data_size() > 0) {
        values.assign(weightProto->float_data().begin(), weightProto->float_data().end());
    } else {
        Result<Tensor> tensor = tensorFromProto(*weightProto, m_det); // external data
        QVERIFY(tensor);
        values.assign(tensor->values<float>().begin(), tensor->values<float>().end());
    }
    QVERIFY(!values.empty());
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    double mean = 0;
    for (const float v : values)
        mean += v;
    mean /= double(values.size());

    NodeDetailPane *pane = m_page->detailPane();
    QSignalSpy shown(pane, &NodeDetailPane::constantsShown);
    m_workbench->selectNode(conv->id);
    QCOMPARE(pane->nodeId(), conv->id);
    // The table follows the Workbench's selection.
    const auto *proxy = qobject_cast<QSortFilterProxyModel *>(m_page->filteredNodes());
    QCOMPARE(proxy->mapToSource(m_page->nodeView()->currentIndex()).row(), conv->id);
    // The attributes show at once; the constants are decoded off the GUI thread, so they are not
    // there when selectNode() returns.
    QCOMPARE(pane->attributeView()->topLevelItemCount(), int(conv->attributes.size()));
    QVERIFY(pane->decodeJob()->isRunning());
    QVERIFY(pane->constants().isEmpty());
    QVERIFY(shown.wait(30000));
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.front().at(0).toInt(), conv->id);

    const auto it = std::find_if(pane->constants().begin(), pane->constants().end(),
                                 [&](const auto &c) { return c.name.toStdString() == weightName; });
    QVERIFY(it != pane->constants().end());
    QVERIFY2(it->error.isEmpty(), qPrintable(it->error));
    QCOMPARE(it->dtype, QStringLiteral("float32"));
    QVERIFY(it->stats.valid);
    QCOMPARE(it->stats.elements, int64_t(values.size()));
    QCOMPARE(it->stats.min, double(*lo));
    QCOMPARE(it->stats.max, double(*hi));
    QVERIFY(qAbs(it->stats.mean - mean) < 1e-6);
    QVERIFY(it->stats.stddev > 0);
    QCOMPARE(int(it->stats.histogram.size()), 32);
    int64_t total = 0;
    for (const int64_t n : it->stats.histogram)
        total += n;
    QCOMPARE(total, int64_t(values.size()));
    QVERIFY(!pane->histograms().isEmpty());
    QCOMPARE(pane->attributeView()->topLevelItemCount(), int(conv->attributes.size()));
    // Attributes the file leaves out show with the schema's default, greyed (as Netron does):
    // a Conv always has some (auto_pad 'NOTSET' at least, unless the exporter wrote it).
    int defaults = 0;
    for (int i = 0; i < pane->attributeView()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = pane->attributeView()->topLevelItem(i);
        const bool isDefault = conv->attributes[size_t(i)].isDefault;
        defaults += isDefault ? 1 : 0;
        QCOMPARE(item->foreground(1).color() == pane->palette().color(QPalette::PlaceholderText),
                 isDefault);
    }
    QVERIFY(defaults > 0);
    // In the smallest supported window (1024x700) the histogram shows without dragging a
    // splitter: most of the plot is on screen.
    m_page->resize(1024, 640);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    const QCustomPlot *plot = pane->histograms().front();
    QTRY_VERIFY2(plot->visibleRegion().boundingRect().height() >= 100,
                 qPrintable(QStringLiteral("visible histogram height %1")
                                .arg(plot->visibleRegion().boundingRect().height())));
    QCOMPARE(pane->valueView()->topLevelItemCount(),
             int(conv->inputs.size() + conv->outputs.size()));

    // Selecting nothing clears the pane.
    m_workbench->selectNode(-1);
    QCOMPARE(pane->nodeId(), -1);
    QVERIFY(pane->constants().isEmpty());
}

// Latest request wins: a node selected while the previous one's constants are being decoded
// replaces it; the older result never reaches the pane, not even for a moment.
void DetailPaneTest::detailPaneDropsAStaleDecode()
{
    std::vector<const NodeInfo *> convs;
    for (const NodeInfo &node : m_det->index().nodes())
        if (node.opType == "Conv" && node.inputs.size() >= 2 && convs.size() < 3)
            convs.push_back(&node);
    QCOMPARE(convs.size(), size_t(3));
    NodeDetailPane *pane = m_page->detailPane();
    QSignalSpy shown(pane, &NodeDetailPane::constantsShown);
    QSignalSpy finished(pane->decodeJob(), &JobController::finished);
    // Within one turn of the event loop, so the first two results cannot have been delivered.
    m_workbench->selectNode(convs[0]->id);
    m_workbench->selectNode(convs[1]->id);
    m_workbench->selectNode(convs[2]->id);
    QCOMPARE(pane->nodeId(), convs[2]->id);
    QVERIFY(shown.wait(30000));
    QTest::qWait(200); // room for anything the superseded workers would still deliver
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.front().at(0).toInt(), convs[2]->id);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.front().at(1).toBool(), false);
    const std::string weight = convs[2]->inputs[1].name;
    QVERIFY(std::any_of(pane->constants().begin(), pane->constants().end(),
                        [&](const auto &c) { return c.name.toStdString() == weight; }));
    for (const NodeDetailPane::Constant &constant : pane->constants())
        QVERIFY2(constant.name.toStdString() != convs[0]->inputs[1].name, qPrintable(constant.name));

    // A node without constants, selected while one decodes, drops that decode too.
    const auto relu = std::find_if(m_det->index().nodes().begin(), m_det->index().nodes().end(),
                                   [](const NodeInfo &n) { return n.opType == "Relu"; });
    QVERIFY(relu != m_det->index().nodes().end());
    m_workbench->selectNode(convs[0]->id);
    m_workbench->selectNode(relu->id);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
    QCOMPARE(finished.back().at(1).toBool(), true); // dropped
    QCOMPARE(shown.size(), 1);
    QVERIFY(pane->constants().isEmpty());
}

QTEST_MAIN(DetailPaneTest)
#include "detail_pane_test.moc"
