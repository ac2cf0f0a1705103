// The sizes of a model's dynamic dims in the GUI ("seq=128", `--dim SYMBOL=VALUE` of the CLI):
// the text is read and written one way (text_lists), the field offers the open model's symbols,
// the Quantize page keeps a recipe's Calibration.dim_values through the widgets and recipe files
// and refuses bad text naming it, and the Compare page hands the sizes to runBenchmark, which
// can then run a model with a dim that random data cannot size by itself.
#include "compare/compare_page.h"
#include "compare/compare_settings.h"
#include "data/sample_source.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "quant/recipe_io.h"
#include "quantize/calibration_panel.h"
#include "quantize/quantize_options.h"
#include "quantize/quantize_page.h"
#include "support/model_builder.h"
#include "tensor/tensor.h"
#include "ui_test_support.h"
#include "workbench/dim_values_edit.h"
#include "workbench/job_controller.h"
#include "workbench/text_lists.h"
#include "workbench/workbench.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace qs;
using namespace qs::ui;
using text_lists::DimValues;

Q_DECLARE_METATYPE(DimValues)

namespace {

ValueRef input(const std::string &name, DType type, const std::vector<std::string> &dims)
{
    ValueRef value;
    value.name = name;
    value.type.elementType = int32_t(type);
    value.type.hasShape = true;
    for (const std::string &dim : dims) {
        Dim d;
        if (std::isdigit(static_cast<unsigned char>(dim[0])))
            d.value = std::stoll(dim);
        else
            d.symbol = dim;
        value.type.dims.push_back(d);
    }
    return value;
}

// x: float[batch, seq] -> Relu -> y. Random data sizes the batch, never `seq`.
QString writeSequenceModel(const QString &path)
{
    onnx::ModelProto model = qs::test::makeModel();
    onnx::GraphProto &graph = *model.mutable_graph();
    qs::test::setSymbolicTensorType(*graph.add_input(), "x", {"batch", "seq"});
    qs::test::setSymbolicTensorType(*graph.add_output(), "y", {"batch", "seq"});
    qs::test::addNode(graph, "Relu", {"x"}, {"y"}, "relu");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return path + QStringLiteral(": cannot write");
    file.write(QByteArray::fromStdString(model.SerializeAsString()));
    return QString();
}

} // namespace

class DimValuesTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesPairs_data();
    void parsesPairs();
    void namesTheBadPair_data();
    void namesTheBadPair();
    void formatsWhatItParses();
    void offersTheSymbolsRandomDataCannotSize();
    void calibrationPanelKeepsTheRecipesDims();
    void quantizePageRefusesBadDims();
    void compareHandsTheDimsToTheBenchmark();

private:
    QTemporaryDir m_dir;
    QString m_sequenceModelPath;
    std::shared_ptr<const Model> m_sequenceModel;
};

void DimValuesTest::initTestCase()
{
    ui::test::isolateSettings();
    QVERIFY(m_dir.isValid());
    m_sequenceModelPath = m_dir.filePath(QStringLiteral("sequence.onnx"));
    const QString written = writeSequenceModel(m_sequenceModelPath);
    QVERIFY2(written.isEmpty(), qPrintable(written));
    auto model = Model::load(m_sequenceModelPath.toStdString());
    QVERIFY2(model, model ? "" : model.status().message().c_str());
    m_sequenceModel = *model;
}

void DimValuesTest::parsesPairs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<DimValues>("expected");
    QTest::newRow("empty") << "" << DimValues();
    QTest::newRow("white space") << "  " << DimValues();
    QTest::newRow("one") << "seq=128" << DimValues{{"seq", 128}};
    QTest::newRow("comma") << "seq=128, batch=1" << DimValues{{"seq", 128}, {"batch", 1}};
    QTest::newRow("spaces, no comma")
        << " seq = 128  batch= 1 " << DimValues{{"seq", 128}, {"batch", 1}};
    QTest::newRow("zero") << "n=0" << DimValues{{"n", 0}};
    QTest::newRow("paddle2onnx symbol")
        << "p2o.DynamicDimension.1=48" << DimValues{{"p2o.DynamicDimension.1", 48}};
    QTest::newRow("int64") << "tokens=9000000000" << DimValues{{"tokens", 9000000000}};
}

void DimValuesTest::parsesPairs()
{
    QFETCH(QString, text);
    QFETCH(DimValues, expected);
    QString error;
    const auto values = text_lists::parseDimValues(text, &error);
    QVERIFY2(values, qPrintable(error));
    QCOMPARE(*values, expected);
}

void DimValuesTest::namesTheBadPair_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("no '='") << "seq=128, batch"
                            << "'batch' has no '=': write SYMBOL=SIZE, e.g. seq=128.";
    QTest::newRow("no symbol") << "=5"
                               << "'=5' names no symbol before '='.";
    QTest::newRow("no size") << "seq="
                             << "'seq=': '' is not a size (a whole number, 0 or more).";
    QTest::newRow("a word") << "seq=long"
                            << "'seq=long': 'long' is not a size (a whole number, 0 or more).";
    QTest::newRow("negative") << "seq=-1"
                              << "'seq=-1': '-1' is not a size (a whole number, 0 or more).";
    QTest::newRow("fraction") << "seq=1.5"
                              << "'seq=1.5': '1.5' is not a size (a whole number, 0 or more).";
    QTest::newRow("too large") << "seq=99999999999999999999"
                               << "'seq=99999999999999999999': '99999999999999999999' is not a "
                                  "size (a whole number, 0 or more).";
    QTest::newRow("twice") << "seq=1 seq=2"
                           << "'seq=2': the symbol 'seq' is given twice.";
}

void DimValuesTest::namesTheBadPair()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!text_lists::parseDimValues(text, &error));
    QCOMPARE(error, message);
    QVERIFY(!text_lists::parseDimValues(text)); // no message wanted: still refused

    DimValuesEdit edit;
    edit.setText(text);
    QVERIFY(!edit.values());
    QCOMPARE(edit.problem(), QStringLiteral("Dynamic dims: ") + message);
}

void DimValuesTest::formatsWhatItParses()
{
    const DimValues values{{"seq", 128}, {"batch", 1}, {"p2o.DynamicDimension.0", 0}};
    const QString text = text_lists::formatDimValues(values);
    QCOMPARE(text, QStringLiteral("batch=1, p2o.DynamicDimension.0=0, seq=128"));
    QCOMPARE(text_lists::parseDimValues(text), values);
    QCOMPARE(text_lists::formatDimValues({}), QString());

    DimValuesEdit edit;
    edit.setValues(values);
    QCOMPARE(edit.text(), text);
    QCOMPARE(edit.values(), values);
    QCOMPARE(edit.problem(), QString());
}

// Only the symbols core's rule leaves without a size are offered, each once.
void DimValuesTest::offersTheSymbolsRandomDataCannotSize()
{
    const std::vector<ValueRef> inputs{
        input("ids", DType::Int64, {"batch", "seq"}),
        input("mask", DType::Int64, {"batch", "seq"}),
        input("image", DType::Float32, {"batch", "3", "h", "w"}),
        input("boxes", DType::Float32, {"n", "4"}),
        input("scale", DType::Float32, {"1", "h", "k"}),
    };
    // n stands on a dim 0 (a batch of 1); h is an image height; k and seq only elsewhere.
    QCOMPARE(symbolsNeedingDimValues(inputSpecs(inputs), quantscope::TENSOR_LAYOUT_NCHW),
             (std::vector<std::string>{"seq", "k"}));
    DimValuesEdit edit;
    edit.setModelInputs(inputs);
    QCOMPARE(edit.placeholderText(), QStringLiteral("seq=?, k=?"));
    QVERIFY(edit.toolTip().contains(QStringLiteral("SYMBOL=SIZE")));
    edit.setModelInputs({});
    QCOMPARE(edit.placeholderText(), QStringLiteral("SYMBOL=SIZE, e.g. seq=128"));

    // The pages follow the Workbench's model: PaddleOCR's cls model has only batch and image
    // dims, the sequence model has `seq`.
    const QString clsPath = ui::test::ocrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");
    auto cls = Model::load(clsPath.toStdString());
    QVERIFY2(cls, cls ? "" : cls.status().message().c_str());
    Workbench workbench;
    workbench.setModel(*cls, clsPath);
    QuantizePage quantize(&workbench);
    ComparePage compare(&workbench);
    auto *calibrationDims = quantize.findChild<DimValuesEdit *>("calibrationDimValues");
    auto *compareDims = compare.findChild<DimValuesEdit *>("compareDimValues");
    QVERIFY(calibrationDims && compareDims);
    QCOMPARE(calibrationDims->placeholderText(), QStringLiteral("SYMBOL=SIZE, e.g. seq=128"));
    QCOMPARE(compareDims->placeholderText(), QStringLiteral("SYMBOL=SIZE, e.g. seq=128"));
    workbench.setModel(m_sequenceModel, m_sequenceModelPath);
    QCOMPARE(calibrationDims->placeholderText(), QStringLiteral("seq=?"));
    QCOMPARE(compareDims->placeholderText(), QStringLiteral("seq=?"));
}

// Calibration.dim_values goes through apply/read and recipe files unchanged, and a loaded
// recipe's sizes are no longer dropped when the page writes the recipe back.
void DimValuesTest::calibrationPanelKeepsTheRecipesDims()
{
    CalibrationPanel panel;
    quantscope::Calibration calibration;
    (*calibration.mutable_dim_values())["seq"] = 128;
    (*calibration.mutable_dim_values())["batch"] = 1;
    panel.apply(calibration);
    QCOMPARE(panel.dimValuesEdit()->text(), QStringLiteral("batch=1, seq=128"));
    quantscope::Calibration read;
    read.mutable_dim_values()->insert({"stale", 3}); // read() writes the whole map
    panel.read(read);
    QCOMPARE(read.dim_values_size(), 2);
    QCOMPARE(read.dim_values().at("seq"), int64_t(128));
    QCOMPARE(read.dim_values().at("batch"), int64_t(1));
    QCOMPARE(panel.validate(), QString());
    panel.apply(quantscope::Calibration());
    QVERIFY(panel.dimValuesEdit()->text().isEmpty());
    panel.read(read);
    QCOMPARE(read.dim_values_size(), 0);

    Workbench workbench;
    workbench.setModel(m_sequenceModel, m_sequenceModelPath);
    QuantizePage page(&workbench);
    auto parsed = parseRecipe("mode: QUANT_MODE_STATIC calibration { data_dir: '/tmp/calib' "
                              "dim_values { key: 'seq' value: 16 } "
                              "dim_values { key: 'n' value: 0 } }",
                              "test");
    QVERIFY2(parsed, parsed ? "" : parsed.status().message().c_str());
    const QString path = m_dir.filePath(QStringLiteral("dims.textproto"));
    QVERIFY(saveRecipe(*parsed, path.toStdString()));
    QVERIFY(page.loadRecipeFile(path));
    QCOMPARE(page.calibrationPanel()->dimValuesEdit()->text(), QStringLiteral("n=0, seq=16"));
    const QString saved = m_dir.filePath(QStringLiteral("saved.textproto"));
    QVERIFY(page.saveRecipeFile(saved));
    auto reloaded = loadRecipe(saved.toStdString());
    QVERIFY2(reloaded, reloaded ? "" : reloaded.status().message().c_str());
    QCOMPARE(reloaded->calibration().dim_values_size(), 2);
    QCOMPARE(reloaded->calibration().dim_values().at("seq"), int64_t(16));
    QCOMPARE(reloaded->calibration().dim_values().at("n"), int64_t(0));
}

void DimValuesTest::quantizePageRefusesBadDims()
{
    Workbench workbench;
    workbench.setModel(m_sequenceModel, m_sequenceModelPath);
    QuantizePage page(&workbench);
    page.options()->setMode(quantscope::QUANT_MODE_STATIC);
    page.setCalibrationFolder(m_dir.path());
    page.setOutputPath(m_dir.filePath(QStringLiteral("never.onnx")));
    page.calibrationPanel()->dimValuesEdit()->setText(QStringLiteral("seq=128, batch"));
    const QString problem = page.calibrationPanel()->validate();
    QCOMPARE(problem, QStringLiteral("Dynamic dims: 'batch' has no '=': write SYMBOL=SIZE, "
                                     "e.g. seq=128."));
    QSignalSpy failed(&page, &QuantizePage::failed);
    QSignalSpy started(page.job(), &JobController::started);
    page.startQuantize();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.front().front().toString(), problem);
    QCOMPARE(started.count(), 0);
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("never.onnx"))));
}

// Without a size for `seq` random data cannot be made (core's error names the dim); with one
// typed into the field the comparison runs.
void DimValuesTest::compareHandsTheDimsToTheBenchmark()
{
    Workbench workbench;
    workbench.setModel(m_sequenceModel, m_sequenceModelPath);
    ComparePage page(&workbench);
    auto *settingsWidget = page.findChild<CompareSettingsWidget *>();
    auto *dims = page.findChild<DimValuesEdit *>("compareDimValues");
    QVERIFY(settingsWidget && dims);
    page.addVariantFile(ui::test::copyOfModel(m_sequenceModelPath, m_dir.path()));
    page.setDataFolder(QString());
    page.setSamples(1);
    page.setWarmup(0);
    page.setIterations(1);
    page.setPerNode(false);
    QSignalSpy failed(&page, &ComparePage::failed);
    QSignalSpy compared(&page, &ComparePage::compared);

    BenchSettings settings;
    QString error;
    QVERIFY2(settingsWidget->benchSettings(&settings, &error), qPrintable(error));
    QVERIFY(settings.dimValues.empty());
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    QCOMPARE(failed.count(), 1);
    const QString noSize = failed.front().front().toString();
    QVERIFY2(noSize.contains(QStringLiteral("'seq'")), qPrintable(noSize));

    // Bad text: refused before a job starts, naming the pair.
    QTest::keyClicks(dims, QStringLiteral("seq=5 batch"));
    QVERIFY(!settingsWidget->benchSettings(&settings, &error));
    QCOMPARE(error, QStringLiteral("Dynamic dims: 'batch' has no '=': write SYMBOL=SIZE, "
                                   "e.g. seq=128."));
    page.startCompare();
    QVERIFY(!page.job()->isRunning());
    QCOMPARE(failed.count(), 2);
    QCOMPARE(failed.back().front().toString(), error);

    dims->clear();
    QTest::keyClicks(dims, QStringLiteral("seq = 5, batch=2"));
    QVERIFY2(settingsWidget->benchSettings(&settings, &error), qPrintable(error));
    QCOMPARE(settings.dimValues, (std::map<std::string, int64_t>{{"seq", 5}, {"batch", 2}}));
    page.startCompare();
    QVERIFY(ui::test::waitForJob(*page.job()));
    QVERIFY2(failed.count() == 2, qPrintable(failed.back().front().toString()));
    QCOMPARE(compared.count(), 1);
    QVERIFY(page.lastReport().has_value());
    QCOMPARE(page.lastReport()->variants_size(), 2); // the reference and its copy

    settingsWidget->setDimValues({{"seq", 7}});
    QCOMPARE(dims->text(), QStringLiteral("seq=7"));
    QVERIFY2(settingsWidget->benchSettings(&settings, &error), qPrintable(error));
    QCOMPARE(settings.dimValues, (std::map<std::string, int64_t>{{"seq", 7}}));
}

QTEST_MAIN(DimValuesTest)
#include "dim_values_test.moc"
