// The Quantize page's form on PaddleOCR's cls model: every recipe field round-trips through the
// widgets (tri-states and dynamic dims included), the exclusion lists mirror the Workbench both
// ways, another model starts from clean settings, the calibration preview, the preprocessing
// summary and recipe files. Real quantize jobs: quantize_jobs_test.cpp.
#include "quantize_test_support.h"

#include <QtTest>

using namespace qs;
using namespace qs::ui;
using namespace qs::ui::test;

class QuantizeSettingsTest : public QObject
{
    Q_OBJECT

private:
    using Fixture = QuantizeFixture;

    std::shared_ptr<const Model> m_model;
    QString m_node0;
    QString m_node1;
    QString m_lastNode;

private slots:
    void initTestCase()
    {
        test::isolateSettings();
        auto model = Model::load(test::ocrModel(kClsModel).toStdString());
        QVERIFY2(model, model.status().message().c_str());
        m_model = *model;
        const auto &nodes = m_model->index().nodes();
        QVERIFY(nodes.size() > 3);
        m_node0 = QString::fromStdString(nodes[0].displayName);
        m_node1 = QString::fromStdString(nodes[1].displayName);
        m_lastNode = QString::fromStdString(nodes.back().displayName);
    }

    void recipeRoundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("dynamic, all defaults") << "mode: QUANT_MODE_DYNAMIC";
        QTest::newRow("dynamic, every int8 option")
            << "mode: QUANT_MODE_DYNAMIC weight_type: QUANT_TYPE_UINT8 per_channel: true "
               "reduce_range: false symmetric_weights: true op_types_to_quantize: 'MatMul' "
               "op_types_to_quantize: 'Conv' nodes_to_quantize: '$NODE1'";
        QTest::newRow("static, everything set")
            << "mode: QUANT_MODE_STATIC format: QUANT_FORMAT_QOPERATOR "
               "weight_type: QUANT_TYPE_INT8 activation_type: QUANT_TYPE_INT8 "
               "reduce_range: true symmetric_activations: true symmetric_weights: false "
               "nodes_to_exclude: '$NODE0' nodes_to_exclude: '$LAST' "
               "op_types_to_exclude: 'Softmax' "
               "calibration { data_dir: '/tmp/calib' method: CALIBRATION_METHOD_ENTROPY "
               "max_samples: 7 moving_average: true averaging_constant: 0.02 percentile: 99.99 "
               "num_bins: 1024 num_quantized_bins: 64 dim_values { key: 'seq' value: 128 } "
               "preprocessing { height: 48 width: 192 "
               "pixel_range: PIXEL_RANGE_0_255 mean: 0.485 mean: 0.456 mean: 0.406 std: 0.229 "
               "bgr: true layout: TENSOR_LAYOUT_NHWC } }";
        QTest::newRow("static, percentile, defaults elsewhere")
            << "mode: QUANT_MODE_STATIC format: QUANT_FORMAT_QDQ "
               "calibration { method: CALIBRATION_METHOD_PERCENTILE percentile: 99.999 "
               "preprocessing { pixel_range: PIXEL_RANGE_0_1 layout: TENSOR_LAYOUT_NCHW } }";
        QTest::newRow("fp16, every option")
            << "mode: QUANT_MODE_FP16 nodes_to_exclude: '$NODE1' op_types_to_exclude: 'Add' "
               "fp16 { keep_io_types: true op_block_list: 'Resize' op_block_list: 'TopK' "
               "min_positive_val: 1e-06 max_finite_val: 60000 }";
    }

    void recipeRoundTrip()
    {
        QFETCH(QString, text);
        text.replace(QStringLiteral("$NODE0"), m_node0)
            .replace(QStringLiteral("$NODE1"), m_node1)
            .replace(QStringLiteral("$LAST"), m_lastNode);
        Fixture f(m_model);
        auto parsed = parseRecipe(text.toStdString(), "test row");
        QVERIFY2(parsed, parsed.status().message().c_str());
        quantscope::Recipe expected = f.recipeWithPaths(QDir::temp().filePath("out.onnx"));
        expected.MergeFrom(*parsed);
        // Workbench lists are sorted; keep the recipe's in the same order.
        QStringList nodes = recipe_fields::toStringList(expected.nodes_to_exclude());
        nodes.sort();
        recipe_fields::setList(*expected.mutable_nodes_to_exclude(), nodes);

        // From a page showing something else, so that every field has to be set. The page
        // gives back the options of the recipe's mode only, as the quantizer reads them.
        quantscope::Recipe other = f.recipeWithPaths(QDir::temp().filePath("other.onnx"));
        auto busy = parseRecipe("mode: QUANT_MODE_STATIC per_channel: true reduce_range: false "
                                "symmetric_weights: true op_types_to_quantize: 'Gemm' "
                                "calibration { max_samples: 3 num_bins: 9 percentile: 50 "
                                "dim_values { key: 'n' value: 2 } "
                                "preprocessing { mean: 1 } } "
                                "fp16 { keep_io_types: true max_finite_val: 5 }",
                                "other");
        QVERIFY(busy);
        other.MergeFrom(*busy);
        f.page->applyRecipe(other);
        keepOnlyModeOptions(other);
        QVERIFY2(sameRecipe(f.page->currentRecipe(), other),
                 qPrintable(recipeText(f.page->currentRecipe())));

        f.page->applyRecipe(expected);
        const quantscope::Recipe actual = f.page->currentRecipe();
        QVERIFY2(sameRecipe(actual, expected),
                 qPrintable(QStringLiteral("expected:\n%1\nactual:\n%2")
                                .arg(recipeText(expected), recipeText(actual))));
        // The exclusions went to the Workbench, not only into the widgets.
        QCOMPARE(f.workbench.excludedNodes(), nodes);
        QCOMPARE(f.workbench.excludedOpTypes(),
                 recipe_fields::toStringList(expected.op_types_to_exclude()));
        QCOMPARE(f.page->outputPath(), QDir::temp().filePath("out.onnx"));
    }

    void triStatesShowDefaultOnOff()
    {
        Fixture f(m_model);
        auto *reduce = f.page->findChild<QComboBox *>(QStringLiteral("reduceRange"));
        auto *symmetric = f.page->findChild<QComboBox *>(QStringLiteral("symmetricWeights"));
        QVERIFY(reduce && symmetric);
        quantscope::Recipe recipe = f.recipeWithPaths(QString());
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        f.page->applyRecipe(recipe);
        QCOMPARE(reduce->currentData().toInt(), -1);
        QVERIFY(!f.page->currentRecipe().has_reduce_range());
        QVERIFY(!f.page->currentRecipe().has_symmetric_weights());
        recipe.set_reduce_range(false);
        recipe.set_symmetric_weights(true);
        f.page->applyRecipe(recipe);
        QCOMPARE(reduce->currentData().toInt(), 0);
        QCOMPARE(symmetric->currentData().toInt(), 1);
        // The user picks "On" for reduce range and "Default" for symmetric weights.
        reduce->setCurrentIndex(reduce->findData(1));
        symmetric->setCurrentIndex(symmetric->findData(-1));
        const quantscope::Recipe read = f.page->currentRecipe();
        QVERIFY(read.has_reduce_range() && read.reduce_range());
        QVERIFY(!read.has_symmetric_weights());
    }

    void exclusionsMirrorTheWorkbench()
    {
        Fixture f(m_model);
        QListWidget *nodeList = f.page->exclusionPanel()->nodeList();
        QListWidget *opTypeList = f.page->exclusionPanel()->opTypeList();

        // Ticked elsewhere (the inspector) -> shown here and in the recipe.
        f.workbench.setNodeExcluded(m_node1, true);
        f.workbench.setOpTypeExcluded(QStringLiteral("Softmax"), true);
        QCOMPARE(nodeList->count(), 1);
        QCOMPARE(nodeList->item(0)->text(), m_node1);
        QCOMPARE(opTypeList->count(), 1);
        quantscope::Recipe recipe = f.page->currentRecipe();
        QCOMPARE(recipe_fields::toStringList(recipe.nodes_to_exclude()), QStringList{m_node1});
        QCOMPARE(recipe_fields::toStringList(recipe.op_types_to_exclude()),
                 QStringList{QStringLiteral("Softmax")});

        // From a recipe -> the Workbench.
        recipe.clear_nodes_to_exclude();
        recipe.add_nodes_to_exclude(m_node0.toStdString());
        recipe.clear_op_types_to_exclude();
        f.page->applyRecipe(recipe);
        QCOMPARE(f.workbench.excludedNodes(), QStringList{m_node0});
        QVERIFY(f.workbench.excludedOpTypes().isEmpty());
        QCOMPARE(nodeList->count(), 1);
        QCOMPARE(opTypeList->count(), 0);

        // The Add field and the Remove button edit the Workbench.
        QVERIFY(f.page->exclusionPanel()->addNode(m_lastNode));
        QVERIFY(f.page->exclusionPanel()->addOpType(QStringLiteral("Conv")));
        QVERIFY(f.workbench.isNodeExcluded(m_lastNode));
        QVERIFY(f.workbench.isOpTypeExcluded(QStringLiteral("Conv")));
        QSignalSpy failed(f.page.get(), &QuantizePage::failed);
        QVERIFY(!f.page->exclusionPanel()->addNode(QStringLiteral("no_such_node")));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no_such_node")));
        QVERIFY(hasMessage(f.workbench, Severity::Error, QStringLiteral("no_such_node")));
        QVERIFY(!f.workbench.isNodeExcluded(QStringLiteral("no_such_node")));

        const auto items = nodeList->findItems(m_node0, Qt::MatchExactly);
        QCOMPARE(items.size(), 1);
        items.first()->setSelected(true);
        auto *remove = f.page->findChild<QPushButton *>(QStringLiteral("excludedNodesRemove"));
        QVERIFY(remove);
        QVERIFY(remove->isEnabled());
        remove->click();
        QCOMPARE(f.workbench.excludedNodes(), QStringList{m_lastNode});
        QCOMPARE(recipe_fields::toStringList(f.page->currentRecipe().nodes_to_exclude()),
                 QStringList{m_lastNode});
    }

    // The CLI's --block-nodes (fp16 node_block_list) means what excluded nodes mean: a recipe's
    // list joins the page's one list of nodes kept in float.
    void fp16BlockedNodesBecomeExclusions()
    {
        Fixture f(m_model);
        quantscope::Recipe recipe = f.recipeWithPaths(QString());
        recipe.set_mode(quantscope::QUANT_MODE_FP16);
        recipe.add_nodes_to_exclude(m_node1.toStdString());
        recipe.mutable_fp16()->add_node_block_list(m_node0.toStdString());
        f.page->applyRecipe(recipe);
        QStringList expected{m_node0, m_node1};
        expected.sort();
        QCOMPARE(f.workbench.excludedNodes(), expected);
        const quantscope::Recipe read = f.page->currentRecipe();
        QCOMPARE(recipe_fields::toStringList(read.nodes_to_exclude()), expected);
        QCOMPARE(read.fp16().node_block_list_size(), 0);
        // One list and one wording: the FP16 form has no list of its own for nodes.
        QVERIFY(!f.page->findChild<QLineEdit *>(QStringLiteral("fp16NodeBlockList")));
        QVERIFY(f.page->exclusionPanel()->isVisible() || !f.page->isVisible());
    }

    // Issue 16, item 2: after an FP16 run with an excluded node, an INT8 static run on another
    // model failed with "fp16 node_block_list: no node ..." from a field FP16 mode had filled.
    // Opening a model resets what named the previous one; options of other modes never reach
    // the recipe.
    void anotherModelStartsFromCleanSettings()
    {
        const QString recPath = test::ocrModel("ch_PP-OCRv4_rec_infer.onnx");
        auto rec = Model::load(recPath.toStdString());
        QVERIFY2(rec, rec ? "" : rec.status().message().c_str());
        // A node of the cls model that the rec model does not have.
        QString clsOnly;
        for (const NodeInfo &node : m_model->index().nodes()) {
            if (!(*rec)->index().findByDisplayName(node.displayName)) {
                clsOnly = QString::fromStdString(node.displayName);
                break;
            }
        }
        QVERIFY(!clsOnly.isEmpty());

        Fixture f(m_model);
        QTemporaryDir dir;
        f.page->options()->setMode(quantscope::QUANT_MODE_FP16);
        f.workbench.setNodeExcluded(clsOnly, true);
        f.page->setOutputPath(dir.filePath(QStringLiteral("cls_fp16.onnx")));
        QSignalSpy quantized(f.page.get(), &QuantizePage::quantized);
        f.page->startQuantize();
        QVERIFY(test::waitForJob(*f.page->job()));
        QCOMPARE(quantized.count(), 1);
        f.page->options()->setMode(quantscope::QUANT_MODE_STATIC);
        f.workbench.setModel(*rec, recPath);
        // The symptom: the recipe the page now describes is refused for the rec model.
        auto effective = effectiveRecipe(f.page->currentRecipe(), **rec);
        QVERIFY2(effective, effective ? "" : effective.status().message().c_str());
        QVERIFY(f.workbench.excludedNodes().isEmpty());
        QVERIFY(!f.page->currentRecipe().has_fp16());
        QCOMPARE(f.page->options()->mode(), quantscope::QUANT_MODE_STATIC); // the user's choice

        // What names one model's parts or data goes when another opens; the output path
        // follows the new model.
        auto *nodes = f.page->findChild<QLineEdit *>(QStringLiteral("nodesToQuantize"));
        QVERIFY(nodes);
        nodes->setText(clsOnly);
        f.page->setCalibrationFolder(test::photosDir());
        f.page->setOutputPath(dir.filePath(QStringLiteral("mine.onnx")));
        f.workbench.setModel(m_model, test::ocrModel(kClsModel));
        f.workbench.setModel(*rec, recPath);
        QVERIFY(nodes->text().isEmpty());
        QVERIFY(f.page->calibrationPanel()->folder().isEmpty());
        QCOMPARE(f.page->outputPath(), f.page->defaultOutputPath());

        // And the static run on the rec model starts.
        f.page->setCalibrationFolder(test::photosDir());
        quantscope::Recipe recipe = f.page->currentRecipe();
        recipe.mutable_calibration()->set_max_samples(1);
        recipe.mutable_calibration()->mutable_preprocessing()->set_height(48);
        recipe.mutable_calibration()->mutable_preprocessing()->set_width(320);
        f.page->applyRecipe(recipe);
        f.page->setOutputPath(dir.filePath(QStringLiteral("rec_static.onnx")));
        QSignalSpy failed(f.page.get(), &QuantizePage::failed);
        f.page->startQuantize();
        QVERIFY2(failed.isEmpty(),
                 qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
        QVERIFY(f.page->job()->isRunning());
        f.page->job()->cancel();
        QVERIFY(test::waitForJob(*f.page->job()));
    }

    void modeSetsDefaultOutputAndVisibleOptions()
    {
        Fixture f(m_model);
        const QFileInfo model(test::ocrModel(kClsModel));
        const QString stem = model.dir().filePath(model.completeBaseName());
        QCOMPARE(f.page->outputPath(), stem + QStringLiteral("_int8_dynamic.onnx"));
        QVERIFY(f.page->calibrationPanel()->isHidden());
        QVERIFY(!f.page->findChild<QComboBox *>(QStringLiteral("format"))->isEnabled());
        f.page->options()->setMode(quantscope::QUANT_MODE_STATIC);
        QCOMPARE(f.page->outputPath(), stem + QStringLiteral("_int8_static.onnx"));
        QVERIFY(!f.page->calibrationPanel()->isHidden());
        QVERIFY(f.page->findChild<QComboBox *>(QStringLiteral("format"))->isEnabled());
        f.page->options()->setMode(quantscope::QUANT_MODE_FP16);
        QCOMPARE(f.page->outputPath(), stem + QStringLiteral("_fp16.onnx"));
        QVERIFY(f.page->calibrationPanel()->isHidden());
        QVERIFY(
            f.page->findChild<QComboBox *>(QStringLiteral("format"))->parentWidget()->isHidden());
        // The user's own path survives mode changes.
        f.page->setOutputPath(QStringLiteral("/tmp/mine.onnx"));
        f.page->options()->setMode(quantscope::QUANT_MODE_DYNAMIC);
        QCOMPARE(f.page->outputPath(), QStringLiteral("/tmp/mine.onnx"));
        // A calibration folder given (`quantscope --calibration-folder DIR`) means static mode.
        f.page->setCalibrationFolder(test::photosDir());
        QCOMPARE(f.page->options()->mode(), quantscope::QUANT_MODE_STATIC);
        QVERIFY(!f.page->calibrationPanel()->isHidden());
    }

    void preprocessingSummarySaysWhatHappens()
    {
        Fixture f(m_model);
        quantscope::Recipe recipe = f.recipeWithPaths(QString());
        recipe.set_mode(quantscope::QUANT_MODE_STATIC);
        auto *prep = recipe.mutable_calibration()->mutable_preprocessing();
        prep->set_height(640);
        prep->set_width(640);
        for (const float v : {0.485f, 0.456f, 0.406f})
            prep->add_mean(v);
        for (const float v : {0.229f, 0.224f, 0.225f})
            prep->add_std(v);
        prep->set_bgr(true);
        f.page->applyRecipe(recipe);
        QCOMPARE(f.page->calibrationPanel()->preprocessingEditor()->summary(),
                 QStringLiteral("resize to 640x640, scale to [0,1], subtract mean (0.485, 0.456, "
                                "0.406), divide by std (0.229, 0.224, 0.225), BGR, NCHW"));
        // Edited in the widgets -> the summary follows.
        f.page->findChild<QSpinBox *>(QStringLiteral("prepHeight"))->setValue(0);
        f.page->findChild<QSpinBox *>(QStringLiteral("prepWidth"))->setValue(0);
        auto *range = f.page->findChild<QComboBox *>(QStringLiteral("prepPixelRange"));
        range->setCurrentIndex(range->findData(quantscope::PIXEL_RANGE_0_255));
        f.page->findChild<QLineEdit *>(QStringLiteral("prepMean"))->clear();
        f.page->findChild<QLineEdit *>(QStringLiteral("prepStd"))->clear();
        QCOMPARE(f.page->calibrationPanel()->preprocessingEditor()->summary(),
                 QStringLiteral("resize to the model's input size, keep [0,255], BGR, NCHW"));
        // Bad numbers are refused before a job starts, naming the field.
        f.page->findChild<QLineEdit *>(QStringLiteral("prepStd"))->setText(QStringLiteral("1, x"));
        QVERIFY(f.page->calibrationPanel()->validate().contains(QStringLiteral("1, x")));
    }

    void calibrationPreviewShowsImagesOrFiles()
    {
        Fixture f(m_model);
        CalibrationPanel *panel = f.page->calibrationPanel();
        QSignalSpy updated(panel, &CalibrationPanel::previewUpdated);
        f.page->setCalibrationFolder(test::photosDir());
        QVERIFY(updated.wait(60000));
        const int images = imageCount(test::photosDir());
        QVERIFY(images > 0);
        QListWidget *preview = panel->previewList();
        QCOMPARE(preview->count(), std::min(images, int(CalibrationPanel::kPreviewImages)));
        for (int row = 0; row < preview->count(); ++row) {
            QVERIFY(!preview->item(row)->text().isEmpty());
            QVERIFY2(!preview->item(row)->icon().isNull(), qPrintable(preview->item(row)->text()));
        }

        // A tensor folder lists its files, without thumbnails.
        QTemporaryDir tensors;
        for (const char *name : {"b.pb", "a.npy"}) {
            QFile file(tensors.filePath(QString::fromLatin1(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        f.page->setCalibrationFolder(tensors.path());
        QVERIFY(updated.wait(60000));
        QCOMPARE(preview->count(), 2);
        QCOMPARE(preview->item(0)->text(), QStringLiteral("a.npy"));
        QVERIFY(preview->item(0)->icon().isNull());

        f.page->setCalibrationFolder(tensors.filePath(QStringLiteral("missing")));
        QVERIFY(updated.wait(60000));
        QCOMPARE(preview->count(), 0);
    }

    void recipeFileRoundTrip()
    {
        Fixture f(m_model);
        QTemporaryDir dir;
        quantscope::Recipe recipe = f.recipeWithPaths(dir.filePath(QStringLiteral("out.onnx")));
        auto parsed = parseRecipe("mode: QUANT_MODE_STATIC per_channel: true reduce_range: false "
                                  "op_types_to_exclude: 'Softmax' calibration { max_samples: 5 "
                                  "method: CALIBRATION_METHOD_PERCENTILE percentile: 99.9 "
                                  "preprocessing { height: 48 width: 192 mean: 0.5 std: 0.5 } }",
                                  "test");
        QVERIFY(parsed);
        recipe.MergeFrom(*parsed);
        recipe.add_nodes_to_exclude(m_node1.toStdString());
        f.page->applyRecipe(recipe);
        const QString path = dir.filePath(QStringLiteral("saved.textproto"));
        QVERIFY(f.page->saveRecipeFile(path));
        QVERIFY(QFileInfo::exists(path));

        Fixture other(m_model);
        QVERIFY(other.page->loadRecipeFile(path));
        QVERIFY2(sameRecipe(other.page->currentRecipe(), recipe),
                 qPrintable(recipeText(other.page->currentRecipe())));
        QCOMPARE(other.workbench.excludedNodes(), QStringList{m_node1});

        // A broken file: the error names the file and the problem; nothing changes.
        const QString broken = dir.filePath(QStringLiteral("broken.textproto"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("mode: QUANT_MODE_NOPE\n");
        file.close();
        QSignalSpy failed(other.page.get(), &QuantizePage::failed);
        QVERIFY(!other.page->loadRecipeFile(broken));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(broken));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("QUANT_MODE_NOPE")));
        QVERIFY(sameRecipe(other.page->currentRecipe(), recipe));
    }
};

QTEST_MAIN(QuantizeSettingsTest)
#include "quantize_settings_test.moc"
