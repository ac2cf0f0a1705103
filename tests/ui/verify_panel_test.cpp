// The Compare page's "against saved outputs" (VerifyPanel): a folder of saved values checked in
// a job, the verdict per output in the table; a perturbed output fails with its worst element; a
// model whose Reshape loses the batch fails at batch 3 with the Reshape named; a folder without
// the input's file is an error that names it.
#include "compare/verify_panel.h"
#include "support/batch_models.h"
#include "support/temp_dir.h"
#include "tensor/tensor_io.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/workbench.h"

#include "model/model.h"

#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

namespace qs::ui {

using namespace qs::test;

class VerifyPanelTest : public QObject
{
    Q_OBJECT

    // A model with `shape` in the workbench and a folder with x.npy and the right y.npy.
    void prepare(Workbench &workbench, const TempDir &dir, const std::vector<int64_t> &shape,
                 float perturb = 0)
    {
        const std::string path = writeReshapeModel(dir, "model.onnx", shape);
        auto model = Model::load(path);
        QVERIFY2(model, model.status().message().c_str());
        workbench.setModel(*model, QString::fromStdString(path));
        std::vector<float> input = batchInputValues(1);
        std::vector<float> output = input;
        for (float &value : output)
            value += 1.0f;
        output[5] += perturb;
        QVERIFY(writeNpyFile(Tensor::fromVector<float>({1, 2, 4}, input), dir.file("x.npy")));
        QVERIFY(writeNpyFile(Tensor::fromVector<float>({1, 8}, output), dir.file("y.npy")));
    }

    // Runs the panel and returns its table as "what|verdict|detail" lines.
    QStringList run(VerifyPanel &panel)
    {
        panel.startVerify();
        if (!test::waitForJob(*panel.job()))
            return {QStringLiteral("timeout")};
        QStringList rows;
        const QTableWidget *table = panel.resultsTable();
        for (int row = 0; row < table->rowCount(); ++row)
            rows << table->item(row, 0)->text() + QLatin1Char('|') + table->item(row, 1)->text()
                        + QLatin1Char('|') + table->item(row, 2)->text();
        return rows;
    }

private slots:
    void initTestCase() { test::isolateSettings(); }

    void matchingOutputsPass()
    {
        Workbench workbench;
        TempDir dir;
        prepare(workbench, dir, {-1, 8});
        VerifyPanel panel(&workbench);
        panel.setFolder(QString::fromStdString(dir.path()));
        panel.setBatches(QStringLiteral("1,3,8"));
        QSignalSpy verified(&panel, &VerifyPanel::verified);
        const QStringList rows = run(panel);
        QCOMPARE(verified.count(), 1);
        QCOMPARE(verified.at(0).at(0).toBool(), true);
        QCOMPARE(panel.verdict(), QStringLiteral("PASS"));
        QVERIFY2(rows.value(0).startsWith(QStringLiteral("y|pass|")), qPrintable(rows.join('\n')));
        QVERIFY2(rows.contains(
                     QStringLiteral("batch 8: y|pass|max abs 0, max rel 0, 0 of 64 mismatched")),
                 qPrintable(rows.join('\n')));
    }

    void perturbedOutputFailsWithTheWorstElement()
    {
        Workbench workbench;
        TempDir dir;
        prepare(workbench, dir, {-1, 8}, 0.05f);
        VerifyPanel panel(&workbench);
        panel.setFolder(QString::fromStdString(dir.path()));
        const QStringList rows = run(panel);
        QCOMPARE(panel.verdict(), QStringLiteral("FAIL"));
        QVERIFY2(rows.value(0).startsWith(QStringLiteral("y|FAIL|")), qPrintable(rows.join('\n')));
        QVERIFY2(rows.value(0).contains(QStringLiteral("worst [0,5]: 1.25, expected 1.3")),
                 qPrintable(rows.join('\n')));
        // Loose enough: a pass.
        panel.setTolerances(0.001, 0.1);
        run(panel);
        QCOMPARE(panel.verdict(), QStringLiteral("PASS"));
    }

    void batchLosingReshapeIsNamed()
    {
        Workbench workbench;
        TempDir dir;
        prepare(workbench, dir, {1, -1});
        VerifyPanel panel(&workbench);
        panel.setFolder(QString::fromStdString(dir.path()));
        panel.setBatches(QStringLiteral("3"));
        const QStringList rows = run(panel);
        QCOMPARE(panel.verdict(), QStringLiteral("FAIL"));
        QVERIFY2(rows.contains(QStringLiteral("batch 3: |FAIL|Reshape '/model/Reshape_2' writes "
                                              "[1,24] (a constant shape [1,-1] with batch 1)")),
                 qPrintable(rows.join('\n')));
    }

    void folderWithoutTheInputIsAnError()
    {
        Workbench workbench;
        TempDir dir;
        prepare(workbench, dir, {-1, 8});
        QVERIFY(QFile::remove(QString::fromStdString(dir.file("x.npy"))));
        VerifyPanel panel(&workbench);
        panel.setFolder(QString::fromStdString(dir.path()));
        QSignalSpy failed(&panel, &VerifyPanel::failed);
        run(panel);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("no x.npy for input 'x'")),
                 qPrintable(failed.at(0).at(0).toString()));
    }
};

} // namespace qs::ui

QTEST_MAIN(qs::ui::VerifyPanelTest)
#include "verify_panel_test.moc"
