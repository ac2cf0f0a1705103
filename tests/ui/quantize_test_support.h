#pragma once
// Shared by the Quantize page's suites (quantize_settings_test.cpp: the form, exclusions and
// recipe files; quantize_jobs_test.cpp: real quantize jobs): PaddleOCR's cls model, a fresh
// Workbench and page per test with QAbstractItemModelTester on every item model it creates, and
// small helpers.
#include "data/image_decoder.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "quant/effective_recipe.h"
#include "quant/quantizer.h"
#include "quant/recipe_io.h"
#include "quantize/calibration_panel.h"
#include "quantize/exclusion_panel.h"
#include "quantize/quantize_options.h"
#include "quantize/quantize_page.h"
#include "ui_test_support.h"
#include "workbench/job_controller.h"
#include "workbench/preprocessing_editor.h"
#include "workbench/recipe_fields.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <google/protobuf/util/message_differencer.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace qs::ui::test {

inline constexpr const char *kClsModel = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

inline QString recipeText(const quantscope::Recipe &recipe)
{
    return QString::fromStdString(recipeToText(recipe));
}

inline bool sameRecipe(const quantscope::Recipe &a, const quantscope::Recipe &b)
{
    return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

inline int countOpType(const Model &model, const std::string &opType)
{
    int count = 0;
    for (const NodeInfo &node : model.index().nodes())
        count += node.opType == opType;
    return count;
}

inline bool hasMessage(const Workbench &workbench, Severity severity, const QString &part)
{
    for (const WorkbenchMessage &message : workbench.messages())
        if (message.severity == severity && message.message.contains(part))
            return true;
    return false;
}

inline int imageCount(const QString &folder)
{
    int count = 0;
    for (const QFileInfo &file : QDir(folder).entryInfoList(QDir::Files))
        count += isImageFile(file.fileName().toStdString());
    return count;
}

// A Workbench with the cls model open and a page on it, fresh per test.
struct QuantizeFixture
{
    Workbench workbench;
    std::unique_ptr<QuantizePage> page;
    QList<std::shared_ptr<QAbstractItemModelTester>> testers;

    explicit QuantizeFixture(const std::shared_ptr<const Model> &model)
    {
        workbench.setModel(model, test::ocrModel(kClsModel));
        page = std::make_unique<QuantizePage>(&workbench);
        // Every item model the page created: the lists, the preview, the completers.
        testers.append(tester(page->exclusionPanel()->nodeList()->model()));
        testers.append(tester(page->exclusionPanel()->opTypeList()->model()));
        testers.append(tester(page->calibrationPanel()->previewList()->model()));
        for (QStringListModel *completions : page->findChildren<QStringListModel *>())
            testers.append(tester(completions));
        testers.append(tester(workbench.variants()));
    }
    static std::shared_ptr<QAbstractItemModelTester> tester(QAbstractItemModel *model)
    {
        return std::make_shared<QAbstractItemModelTester>(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    quantscope::Recipe recipeWithPaths(const QString &output) const
    {
        quantscope::Recipe recipe;
        recipe.set_input_model(workbench.modelPath().toStdString());
        recipe.set_output_model(output.toStdString());
        return recipe;
    }
};

} // namespace qs::ui::test
