// The whole window at the smallest supported size (1024x700) and a large one (1600x1000), the
// Compare page showing a real comparison of the PaddleOCR cls model with three variants (copies
// under the long names quantized files get). Issue 16: the 4th bar's name was missing and names
// ran into each other. For the size, latency and accuracy charts: one tick label per variant,
// none empty, no two overlapping, none crossing the chart's border (QCustomPlot skips such a
// label), each really drawn (dark pixels inside its outline in the chart's picture); tables keep
// at least 5 rows in view, and the Inspector's op-type table stays visible. The screenshots are
// saved beside the test binary for a human to look at.
#include "compare/chart_labels.h"
#include "compare/compare_page.h"
#include "compare/report_table_model.h"
#include "inspector/inspector_page.h"
#include "main_window.h"
#include "ui_test_support.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QHeaderView>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs;
using namespace qs::ui;

namespace {

const char *kClsModel = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

// How many rows of `view` fit in its viewport.
int visibleRows(const QTableView *view)
{
    return view->viewport()->height() / std::max(1, view->verticalHeader()->defaultSectionSize());
}

// Dark pixels (text) inside `outline` in `image`.
int darkPixelsInside(const QImage &image, const QPolygonF &outline)
{
    int dark = 0;
    const QRect box = outline.boundingRect().toAlignedRect().intersected(image.rect());
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x)
            if (outline.containsPoint(QPointF(x + 0.5, y + 0.5), Qt::OddEvenFill)
                && qGray(image.pixel(x, y)) < 128)
                ++dark;
    return dark;
}

} // namespace

class CompareScreenshotTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chartsAndTablesAreReadable_data();
    void chartsAndTablesAreReadable();

private:
    QTemporaryDir m_dir;
    QString m_reference;
    QStringList m_variants;
};

void CompareScreenshotTest::initTestCase()
{
    test::isolateSettings();
    QVERIFY(m_dir.isValid());
    m_reference = test::ocrModel(kClsModel);
    QVERIFY2(QFileInfo::exists(m_reference), qPrintable(m_reference));
    for (const char *name : {"ch_ppocr_mobile_v2.0_cls_infer_int8_dynamic.onnx",
                             "ch_ppocr_mobile_v2.0_cls_infer_int8_static_entropy.onnx",
                             "ch_ppocr_mobile_v2.0_cls_infer_fp16_keep_io.onnx"}) {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QVERIFY(QFile::copy(m_reference, path));
        m_variants << path;
    }
}

void CompareScreenshotTest::chartsAndTablesAreReadable_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
}

void CompareScreenshotTest::chartsAndTablesAreReadable()
{
    QFETCH(QSize, size);
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(m_reference);
    QVERIFY(opened.wait(60000));
    QCOMPARE(window.size(), size); // no page's minimum makes the window larger

    // The Inspector: its op-type table in view with room for 5 rows, and the node table too.
    InspectorPage *inspector = window.inspectorPage();
    window.pages()->setCurrentWidget(inspector);
    QApplication::processEvents();
    QVERIFY(inspector->opTypeView()->isVisible());
    QVERIFY2(visibleRows(inspector->opTypeView()) >= 5,
             qPrintable(QString::number(visibleRows(inspector->opTypeView()))));
    QVERIFY2(visibleRows(inspector->nodeView()) >= 5,
             qPrintable(QString::number(visibleRows(inspector->nodeView()))));

    ComparePage *compare = window.comparePage();
    for (const QString &variant : m_variants)
        compare->addVariantFile(variant);
    compare->setPreprocessing(test::imageSize(48, 192)); // the cls model has a dynamic H and W
    compare->setSamples(1);
    compare->setWarmup(0);
    compare->setIterations(2);
    compare->setPerNode(false);
    compare->setTargets(QStringLiteral("cosine>=0.99"));
    window.pages()->setCurrentWidget(compare);
    QSignalSpy compared(compare, &ComparePage::compared);
    compare->startCompare();
    QVERIFY(test::waitForJob(*compare->job()));
    QCOMPARE(compared.count(), 1);
    const int variantCount = compare->lastReport()->variants_size();
    QCOMPARE(variantCount, 4);
    QApplication::processEvents();

    const QString shot = QStringLiteral("compare_%1x%2.png").arg(size.width()).arg(size.height());
    QVERIFY(window.grab().save(QCoreApplication::applicationDirPath() + QLatin1Char('/') + shot));

    for (QCustomPlot *chart :
         {compare->sizeChart(), compare->latencyChart(), compare->accuracyChart()}) {
        const QString title = chart->objectName();
        chart->replot(QCustomPlot::rpImmediateRefresh);
        const QVector<QString> labels = chart->xAxis->tickVectorLabels();
        QCOMPARE(labels.size(), variantCount);
        for (const QString &label : labels)
            QVERIFY2(!label.trimmed().isEmpty(), qPrintable(title));
        const QList<QPolygonF> outlines = ChartLabels::tickLabelOutlines(chart->xAxis);
        QCOMPARE(outlines.size(), variantCount);
        const QImage picture = chart->grab().toImage();
        for (int i = 0; i < outlines.size(); ++i) {
            const QRectF box = outlines.at(i).boundingRect();
            // QCustomPlot draws no label that crosses the widget's left or right border.
            QVERIFY2(box.left() >= 0 && box.right() <= chart->width(),
                     qPrintable(QStringLiteral("%1: label %2 at %3..%4 of %5")
                                    .arg(title, labels.at(i))
                                    .arg(box.left())
                                    .arg(box.right())
                                    .arg(chart->width())));
            QVERIFY2(darkPixelsInside(picture, outlines.at(i)) > 10,
                     qPrintable(QStringLiteral("%1: label %2 not drawn").arg(title, labels.at(i))));
            for (int j = i + 1; j < outlines.size(); ++j)
                QVERIFY2(!outlines.at(i).intersects(outlines.at(j)),
                         qPrintable(QStringLiteral("%1: %2 overlaps %3")
                                        .arg(title, labels.at(i), labels.at(j))));
        }
    }
    // The results table: every variant's row, and room for at least 5.
    QVERIFY(compare->resultsView()->isVisible());
    QVERIFY2(visibleRows(compare->resultsView()) >= 5,
             qPrintable(QString::number(visibleRows(compare->resultsView()))));
}

QTEST_MAIN(CompareScreenshotTest)
#include "compare_screenshot_test.moc"
