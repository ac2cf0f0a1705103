// The Graph page with a quantized variant beside the FP32 model: PaddleOCR cls and its static
// QDQ quantization (the project's quantizer, random calibration). Two panes, the variant's
// Q/DQ folded so that its boxes are the reference's; selecting in either pane selects the
// matched node in the other and in the Workbench; zoom and pan follow; the per-node SQNR, time
// (engine profile of both models) and Tune sensitivity overlays painted with their legends.
#include "graph/graph_items.h"
#include "graph/graph_overlay.h"
#include "graph/graph_page.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph/variant_pane.h"
#include "graph_test_models.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include "layout/node_matching.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/quantizer.h"

#include <QComboBox>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace qs;
using namespace qs::ui;

namespace {

// Static QDQ INT8 of `model`, calibrated on two random samples of `prep`'s size, saved to
// `path`; or dynamic INT8 (ConvInteger, MatMulInteger).
void quantizeTo(const std::shared_ptr<const Model> &model,
                const quantscope::ImagePreprocessing &prep, const QString &path,
                quantscope::QuantMode mode = quantscope::QUANT_MODE_STATIC)
{
    quantscope::Recipe recipe;
    recipe.set_mode(mode);
    if (mode == quantscope::QUANT_MODE_STATIC) {
        recipe.set_format(quantscope::QUANT_FORMAT_QDQ);
        recipe.mutable_calibration()->set_max_samples(2);
        *recipe.mutable_calibration()->mutable_preprocessing() = prep;
    }
    auto result = quantizeModel(model, recipe, QuantizeSettings{}, silentProgress());
    if (!result)
        qFatal("quantize: %s", result.status().message().c_str());
    const Status saved = saveQuantizeResult(*result, path.toStdString(), model->baseDir());
    if (!saved.isOk())
        qFatal("save: %s", saved.message().c_str());
}

int nodeBoxCount(GraphScene *scene)
{
    int count = 0;
    for (BoxItem *item : scene->boxItems())
        count += item->box().kind == LayoutBox::Kind::Node;
    return count;
}

} // namespace

class GraphSideBySideTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_variantPath;
    QString m_dynamicPath; // ConvInteger in place of Conv
    Workbench m_workbench;
    std::unique_ptr<GraphPage> m_page;

    VariantPane *pane() const { return m_page->variantPane(); }
    const GraphIndex &reference() const { return m_workbench.model()->index(); }
    const NodeMatching &matching() const { return *pane()->matching(); }

    std::vector<int> convolutions() const
    {
        std::vector<int> ids;
        for (int id : reference().mainGraph().nodes)
            if (reference().nodes()[id].opType == "Conv")
                ids.push_back(id);
        return ids;
    }
    int firstConv() const { return convolutions().front(); }
    // One far from the picture's edges, where a view can centre on it.
    int middleConv() const { return convolutions()[convolutions().size() / 2]; }
    BoxItem *variantBoxOfReference(int referenceNode) const
    {
        GraphScene *scene = pane()->scene();
        return scene->boxItem(scene->boxOfNode(matching().variantNodeFor(referenceNode)));
    }

private slots:
    void initTestCase()
    {
        qs::ui::test::isolateSettings();
        QVERIFY(m_dir.isValid());
        const QString path = qs::ui::test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
        std::shared_ptr<const Model> model = qs::test::loadModelOrDie(path);
        const quantscope::ImagePreprocessing size = qs::ui::test::imageSize(48, 192);
        m_variantPath = m_dir.filePath(QStringLiteral("cls_int8.onnx"));
        quantizeTo(model, size, m_variantPath);
        m_dynamicPath = m_dir.filePath(QStringLiteral("cls_dynamic.onnx"));
        quantizeTo(model, size, m_dynamicPath, quantscope::QUANT_MODE_DYNAMIC);

        m_workbench.setModel(model, path);
        m_workbench.setPreprocessing(size); // what the time overlay's random sample needs
        Variant variant;
        variant.path = m_variantPath;
        variant.kind = QStringLiteral("INT8 static QDQ");
        m_workbench.variants()->add(variant);
        variant.path = m_dynamicPath;
        variant.kind = QStringLiteral("INT8 dynamic");
        m_workbench.variants()->add(variant);

        m_page = std::make_unique<GraphPage>(&m_workbench);
        QSignalSpy laidOut(m_page.get(), &GraphPage::laidOut);
        m_page->resize(1400, 800);
        m_page->show();
        QVERIFY(laidOut.wait(120000));
    }

    void theSelectorOffersTheWorkbenchVariants()
    {
        QComboBox *selector = pane()->selector();
        QCOMPARE(selector->count(), 4); // nothing, the variants, a file
        QCOMPARE(selector->itemData(0).toString(), QString());
        QCOMPARE(selector->itemData(1).toString(), m_variantPath);
        QCOMPARE(selector->itemData(2).toString(), m_dynamicPath);
        QVERIFY(selector->itemText(1).contains(QStringLiteral("cls_int8.onnx")));
        QVERIFY(pane()->isHidden());
    }

    void choosingTheVariantDrawsASecondPaneWithTheSameBoxes()
    {
        QSignalSpy variantLaidOut(m_page.get(), &GraphPage::variantLaidOut);
        emit pane()->selector()->activated(1);
        QVERIFY(variantLaidOut.wait(120000));
        QVERIFY(pane()->isVisible());
        QVERIFY(pane()->view()->isVisible());
        QVERIFY(m_page->view()->isVisible());
        QCOMPARE(pane()->variantPath(), m_variantPath);
        qInfo("%s", qPrintable(pane()->statusText()));

        // Every Conv has its counterpart, and no quantize/dequantize box is drawn.
        int convolutions = 0;
        for (int id : reference().mainGraph().nodes) {
            if (reference().nodes()[id].opType != "Conv")
                continue;
            ++convolutions;
            BoxItem *box = variantBoxOfReference(id);
            QVERIFY2(box, reference().nodes()[id].displayName.c_str());
            QCOMPARE(box->box().title, std::string("Conv"));
            QVERIFY(!box->box().folded.empty()); // its input and weight Q/DQ
        }
        QVERIFY(convolutions > 10);
        for (BoxItem *item : pane()->scene()->boxItems())
            QVERIFY2(item->box().title.find("QuantizeLinear") == std::string::npos,
                     item->box().subtitle.c_str());
        QCOMPARE(nodeBoxCount(pane()->scene()), nodeBoxCount(m_page->scene())
                                                    - int(matching().unmatchedReference.size())
                                                    + int(matching().unmatchedVariant.size()));
    }

    void selectingInOnePaneSelectsTheMatchedNodeInTheOther()
    {
        const int conv = firstConv();
        // FP32 pane -> Workbench -> variant pane.
        m_page->selectBox(m_page->scene()->boxOfNode(conv));
        QCOMPARE(m_workbench.selectedNode(), conv);
        BoxItem *variantBox = variantBoxOfReference(conv);
        QVERIFY(variantBox);
        QVERIFY(variantBox->isSelected());
        QCOMPARE(pane()->scene()->selectedBox(), variantBox->boxIndex());

        // Variant pane -> Workbench -> FP32 pane: a box further down the graph.
        int target = -1;
        for (int id : reference().mainGraph().nodes)
            if (id != conv && reference().nodes()[id].opType == "Conv")
                target = id; // the last Conv
        BoxItem *chosen = variantBoxOfReference(target);
        QVERIFY(chosen);
        pane()->scene()->clearSelection();
        chosen->setSelected(true);
        QCOMPARE(m_workbench.selectedNode(), target);
        QCOMPARE(m_page->scene()->selectedBox(), m_page->scene()->boxOfNode(target));
        QVERIFY(chosen->isSelected()); // the user's selection stays
    }

    void zoomAndPanFollowTheOtherPane()
    {
        m_page->view()->setZoom(0.7);
        QCOMPARE(pane()->view()->zoom(), 0.7);
        pane()->view()->setZoom(1.2);
        QCOMPARE(m_page->view()->zoom(), 1.2);

        // Centring the FP32 view on a Conv brings its counterpart to the variant view's centre.
        const int conv = middleConv();
        BoxItem *reference = m_page->scene()->boxItem(m_page->scene()->boxOfNode(conv));
        m_page->view()->centerOn(reference);
        BoxItem *variant = variantBoxOfReference(conv);
        const QPointF centre = pane()->view()->visibleSceneRect().center();
        QVERIFY2(std::abs(centre.x() - variant->pos().x()) < variant->boundingRect().width()
                     && std::abs(centre.y() - variant->pos().y()) < 40,
                 qPrintable(QStringLiteral("centre %1,%2, box %3,%4")
                                .arg(centre.x())
                                .arg(centre.y())
                                .arg(variant->pos().x())
                                .arg(variant->pos().y())));
    }

    void theVariantPaneIsPaintedWithThePerNodeSqnr()
    {
        const int conv = firstConv();
        const QString name = QString::fromStdString(reference().nodes()[conv].displayName);
        m_page->setNodeErrors({{name, 6.0}});
        m_page->setOverlay(GraphOverlay::Sqnr);
        QCOMPARE(variantBoxOfReference(conv)->fill(), GraphOverlays::sqnrColour(6.0));
        QCOMPARE(m_page->scene()->boxItem(m_page->scene()->boxOfNode(conv))->fill(),
                 GraphOverlays::sqnrColour(6.0));
        QVERIFY(m_page->legendLabels().contains(GraphOverlays::tr("<= 10 dB (worst)")));
        QVERIFY(m_page->legend()->isVisible());
    }

    void theTimeOverlayProfilesBothModels()
    {
        JobController *timing = m_page->jobs().at(2);
        QSignalSpy finished(timing, &JobController::finished);
        m_page->setOverlay(GraphOverlay::Time);
        QVERIFY(timing->isRunning());
        QVERIFY(finished.wait(120000));
        qInfo("%s", qPrintable(m_page->statusText()));
        QVERIFY(
            m_page->legendLabels().contains(GraphOverlays::tr(">= 10 % of the FP32 model's time")));
        QVERIFY(m_page->legendLabels().contains(
            GraphOverlays::tr("No time of its own (fused into another step)")));
        const int conv = firstConv();
        BoxItem *fp32 = m_page->scene()->boxItem(m_page->scene()->boxOfNode(conv));
        BoxItem *int8 = variantBoxOfReference(conv);
        QVERIFY2(fp32->toolTip().contains(QStringLiteral("ms per run")),
                 qPrintable(fp32->toolTip()));
        QVERIFY2(int8->toolTip().contains(QStringLiteral("ms per run")),
                 qPrintable(int8->toolTip()));
        QVERIFY(fp32->fill() != QColor(0xee, 0xee, 0xee));
        QVERIFY(int8->fill() != QColor(0xee, 0xee, 0xee));
    }

    void theSensitivityOverlayPaintsTuneResults()
    {
        const int first = firstConv();
        const QString name = QString::fromStdString(reference().nodes()[first].displayName);
        m_page->setSensitivity({{name, 0.2}, {QStringLiteral("no such node"), 0.1}});
        m_page->setOverlay(GraphOverlay::Sensitivity);
        QVERIFY2(m_page->legendLabels().contains(
                     GraphOverlays::tr("Most sensitive (loss %1)").arg(0.2, 0, 'g', 3)),
                 qPrintable(m_page->legendLabels().join(QLatin1Char('|'))));
        QCOMPARE(m_page->scene()->boxItem(m_page->scene()->boxOfNode(first))->fill(),
                 GraphOverlays::heatColour(1.0));
        QCOMPARE(variantBoxOfReference(first)->fill(), GraphOverlays::heatColour(1.0));
    }

    // Excluding an op type marks the variant's quantized forms of it (ConvInteger for Conv),
    // through the node matching, on the quantization-state overlay and any other.
    void opTypeExclusionMarksTheVariantsIntegerOps()
    {
        QSignalSpy variantLaidOut(m_page.get(), &GraphPage::variantLaidOut);
        emit pane()->selector()->activated(pane()->selector()->findData(m_dynamicPath));
        QVERIFY(variantLaidOut.wait(120000));
        const GraphIndex &variant = pane()->variantModel()->index();
        int integerConvs = 0;
        for (int conv : convolutions()) {
            const int v = matching().variantNodeFor(conv);
            if (v >= 0 && variant.nodes()[v].opType == "ConvInteger")
                ++integerConvs;
        }
        QVERIFY(integerConvs > 10);
        m_page->setOverlay(GraphOverlay::Quantization);
        m_workbench.setOpTypeExcluded(QStringLiteral("Conv"), true);
        int marked = 0;
        for (int conv : convolutions()) {
            QVERIFY(m_page->scene()->isBoxExcluded(m_page->scene()->boxOfNode(conv)));
            BoxItem *box = variantBoxOfReference(conv);
            QVERIFY2(box && box->isExcluded(), reference().nodes()[conv].displayName.c_str());
            marked += box->box().title == "ConvInteger";
        }
        QCOMPARE(marked, integerConvs);
        // Other ops are not marked, and including Conv again clears the marks.
        int otherMarked = 0;
        for (BoxItem *item : pane()->scene()->boxItems())
            otherMarked += item->isExcluded() && item->box().kind == LayoutBox::Kind::Node
                           && item->box().title.find("Conv") == std::string::npos;
        QCOMPARE(otherMarked, 0);
        m_workbench.setOpTypeExcluded(QStringLiteral("Conv"), false);
        QVERIFY(!variantBoxOfReference(firstConv())->isExcluded());
    }

    // Compare measures each variant: the variant pane paints the SQNR of the variant it shows,
    // and the FP32 pane the same variant's; a variant Compare did not run has none.
    void theSqnrOverlayPaintsTheShownVariantsError()
    {
        QCOMPARE(pane()->variantPath(), m_dynamicPath);
        const int conv = firstConv();
        const std::string name = reference().nodes()[conv].displayName;
        auto variantReport = [&](quantscope::Report &report, const QString &path, double db) {
            quantscope::VariantReport &v = *report.add_variants();
            v.set_path(path.toStdString());
            quantscope::NodeError &error = *v.add_per_node();
            error.set_node(name);
            error.set_sqnr_db(db);
        };
        quantscope::Report report;
        report.add_variants()->set_path("reference.onnx");
        variantReport(report, m_variantPath, 35.0);
        variantReport(report, m_dynamicPath, 6.0);
        m_page->setOverlay(GraphOverlay::Sqnr);
        m_page->setNodeErrors(report);
        QCOMPARE(variantBoxOfReference(conv)->fill(), GraphOverlays::sqnrColour(6.0));
        QCOMPARE(m_page->scene()->boxFill(m_page->scene()->boxOfNode(conv)),
                 GraphOverlays::sqnrColour(6.0));

        // Showing the QDQ variant paints its own error on both panes.
        QSignalSpy variantLaidOut(m_page.get(), &GraphPage::variantLaidOut);
        emit pane()->selector()->activated(pane()->selector()->findData(m_variantPath));
        QVERIFY(variantLaidOut.wait(120000));
        QCOMPARE(variantBoxOfReference(conv)->fill(), GraphOverlays::sqnrColour(35.0));
        QCOMPARE(m_page->scene()->boxFill(m_page->scene()->boxOfNode(conv)),
                 GraphOverlays::sqnrColour(35.0));

        // A comparison without the variant shown: nothing on it, the first variant's on FP32.
        quantscope::Report other;
        other.add_variants()->set_path("reference.onnx");
        variantReport(other, m_dynamicPath, 12.0);
        m_page->setNodeErrors(other);
        QCOMPARE(variantBoxOfReference(conv)->fill(), QColor(0xee, 0xee, 0xee));
        QCOMPARE(m_page->scene()->boxFill(m_page->scene()->boxOfNode(conv)),
                 GraphOverlays::sqnrColour(12.0));
    }

    void nothingBesideHidesThePane()
    {
        emit pane()->selector()->activated(0);
        QVERIFY(pane()->isHidden());
        QCOMPARE(pane()->scene()->boxCount(), 0);
        m_page->view()->setZoom(0.5); // no pane to follow: nothing breaks
    }
};

QTEST_MAIN(GraphSideBySideTest)
#include "graph_side_by_side_test.moc"
