#include "variant_pane.h"

#include "graph_items.h"
#include "graph_scene.h"
#include "graph_view.h"
#include "layout/node_matching.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "pane_sync.h"
#include "workbench/job_controller.h"
#include "workbench/translated_text.h"
#include "workbench/variant_list_model.h"
#include "workbench/workbench.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QVBoxLayout>

#include <unordered_map>

namespace qs::ui {

namespace {

// What the selector's "Open file..." row holds instead of a path.
const QString kChooseFile = QStringLiteral("\x01choose");

// Boxes that are not nodes, by what they show: a group's module path, an input or output's
// value name. Groups and graph inputs/outputs have the same names in both pictures.
std::unordered_map<std::string, int> boxesByName(const GraphLayout *layout)
{
    std::unordered_map<std::string, int> boxes;
    if (!layout)
        return boxes;
    for (size_t b = 0; b < layout->boxes.size(); ++b) {
        const LayoutBox &box = layout->boxes[b];
        switch (box.kind) {
        case LayoutBox::Kind::Group: boxes.emplace("group:" + box.group, int(b)); break;
        case LayoutBox::Kind::Input: boxes.emplace("input:" + box.title, int(b)); break;
        case LayoutBox::Kind::Output: boxes.emplace("output:" + box.title, int(b)); break;
        case LayoutBox::Kind::Node: break;
        }
    }
    return boxes;
}

std::string boxName(const LayoutBox &box)
{
    switch (box.kind) {
    case LayoutBox::Kind::Group: return "group:" + box.group;
    case LayoutBox::Kind::Input: return "input:" + box.title;
    case LayoutBox::Kind::Output: return "output:" + box.title;
    case LayoutBox::Kind::Node: break;
    }
    return {};
}

struct VariantLayout
{
    std::shared_ptr<const Model> model;
    std::shared_ptr<const NodeMatching> matching;
    Result<GraphLayout> layout = GraphLayout{};
};

} // namespace

struct VariantPane::Private
{
    Workbench *workbench = nullptr;
    GraphScene *referenceScene = nullptr;
    QComboBox *selector = nullptr;
    JobController *job = nullptr;
    GraphScene *scene = nullptr;
    GraphView *view = nullptr;
    PaneSync *sync = nullptr;
    QLabel *title = nullptr;
    QLabel *status = nullptr;

    QString path;
    std::shared_ptr<const Model> model; // the variant at `path`, once loaded
    std::shared_ptr<const NodeMatching> matching;
    LayoutOptions options;
    QHash<QString, QString> variantNameOf; // reference display name -> variant display name
    std::unordered_map<std::string, int> referenceBoxes;
    std::unordered_map<std::string, int> variantBoxes;
    GraphOverlay overlay = GraphOverlay::OpType;
    OverlayData referenceData;
    ModelTimes times;
    double fp32TotalMs = 0;
    bool syncing = false;

    const GraphIndex *referenceIndex() const
    {
        return workbench->model() ? &workbench->model()->index() : nullptr;
    }

    // The reference's facts keyed by the variant's names, and the variant's own times.
    OverlayData variantData() const
    {
        OverlayData data;
        auto translate = [this](const auto &byReference) {
            std::remove_cvref_t<decltype(byReference)> byVariant;
            for (auto it = byReference.begin(); it != byReference.end(); ++it)
                byVariant.insert(variantNameOf.value(it.key(), it.key()), it.value());
            return byVariant;
        };
        // Compare measures each variant's error: this pane paints its own variant's, and
        // nothing when Compare did not run it.
        if (referenceData.sqnrByVariant.isEmpty())
            data.sqnrDb = translate(referenceData.sqnrDb);
        else if (const QHash<QString, double> *own
                 = GraphOverlays::sqnrOfVariant(referenceData.sqnrByVariant, path))
            data.sqnrDb = translate(*own);
        data.sensitivity = translate(referenceData.sensitivity);
        data.leftInFloat = translate(referenceData.leftInFloat);
        data.quantized = referenceData.quantized;
        for (const QString &node : referenceData.excludedNodes)
            data.excludedNodes.insert(variantNameOf.value(node, node));
        data.excludedOpTypes = referenceData.excludedOpTypes;
        excludeByOpType(data);
        data.timeMs = times.ms;
        data.timeScaleMs = fp32TotalMs;
        return data;
    }

    // An op type kept in float in the reference ("Conv") names the variant's quantized forms
    // of it too (QLinearConv, ConvInteger): each variant node is excluded when the reference
    // node it stands for has an excluded op type, or, without a counterpart, when its float op
    // type is excluded.
    void excludeByOpType(OverlayData &data) const
    {
        const GraphIndex *reference = referenceIndex();
        if (referenceData.excludedOpTypes.isEmpty() || !model || !matching || !reference)
            return;
        const auto &nodes = model->index().nodes();
        for (size_t v = 0; v < nodes.size() && v < matching->referenceOf.size(); ++v) {
            const int r = matching->referenceOf[v];
            const std::string &opType = r >= 0 ? reference->nodes()[r].opType
                                               : floatOpType(nodes[v].opType);
            if (referenceData.excludedOpTypes.contains(QString::fromStdString(opType)))
                data.excludedNodes.insert(QString::fromStdString(nodes[v].displayName));
        }
    }
};

VariantPane::VariantPane(Workbench *workbench, GraphScene *referenceScene, GraphView *referenceView,
                         QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    setObjectName(QStringLiteral("graphVariantPane"));
    d->workbench = workbench;
    d->referenceScene = referenceScene;
    d->job = new JobController(workbench, this, JobController::Runs::OnAnyThread,
                               JobController::WhenBusy::Supersede);
    d->scene = new GraphScene(this);
    d->view = new GraphView(d->scene, this);
    d->sync = new PaneSync(referenceView, d->view, this);
    d->selector = new QComboBox;
    d->selector->setObjectName(QStringLiteral("graphVariantSelector"));
    d->selector->setToolTip(tr("Draw a quantized variant beside the FP32 model, its nodes "
                               "matched by name and its quantize/dequantize nodes folded into "
                               "the op they wrap; both views zoom, pan and select together"));
    d->selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->title = new QLabel;
    d->title->setObjectName(QStringLiteral("graphVariantTitle"));
    d->status = new QLabel;
    d->status->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->title);
    layout->addWidget(d->view, 1);
    layout->addWidget(d->status);
    hide();

    fillSelector();
    VariantListModel *variants = workbench->variants();
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(variants, signal, this, &VariantPane::fillSelector);
    connect(variants, &QAbstractItemModel::modelReset, this, &VariantPane::fillSelector);
    connect(d->selector, &QComboBox::activated, this, &VariantPane::onSelectorActivated);
    connect(d->scene, &QGraphicsScene::selectionChanged, this,
            &VariantPane::onSceneSelectionChanged);
    connect(d->job, &JobController::progressChanged, this, [this](int, const QString &step, int) {
        // JobController words the step in the current language at every poll.
        setTranslatedText(d->status, [step] { return step; });
    });
}

VariantPane::~VariantPane()
{
    // As in ~GraphPage: the scene's last selectionChanged comes after `d` is gone.
    disconnect(d->scene, nullptr, this, nullptr);
}

QComboBox *VariantPane::selector() const
{
    return d->selector;
}
JobController *VariantPane::job() const
{
    return d->job;
}
GraphScene *VariantPane::scene() const
{
    return d->scene;
}
GraphView *VariantPane::view() const
{
    return d->view;
}
QString VariantPane::variantPath() const
{
    return d->path;
}
std::shared_ptr<const Model> VariantPane::variantModel() const
{
    return d->model;
}
const NodeMatching *VariantPane::matching() const
{
    return d->matching.get();
}
QString VariantPane::statusText() const
{
    return d->status->text();
}

void VariantPane::fillSelector()
{
    const QSignalBlocker blocker(d->selector);
    d->selector->clear();
    addTranslatedItem(
        d->selector, [] { return tr("Nothing beside"); }, QString());
    for (const Variant &variant : d->workbench->variants()->variants())
        if (!variant.isReference)
            d->selector->addItem(QStringLiteral("%1 (%2)").arg(QFileInfo(variant.path).fileName(),
                                                               variant.kind),
                                 variant.path);
    addTranslatedItem(
        d->selector, [] { return tr("Open a variant file..."); }, kChooseFile);
    const int current = d->selector->findData(d->path);
    d->selector->setCurrentIndex(current >= 0 ? current : 0);
}

void VariantPane::onSelectorActivated(int row)
{
    QString path = d->selector->itemData(row).toString();
    if (path == kChooseFile) {
        path = QFileDialog::getOpenFileName(this, tr("Open Variant"),
                                            d->workbench->dialogFolder(settings::Folder::Output),
                                            tr("ONNX models (*.onnx);;All files (*)"));
        if (path.isEmpty()) {
            fillSelector(); // back to what is shown
            return;
        }
        d->workbench->rememberDialogFolder(settings::Folder::Output, path);
        Variant variant;
        variant.path = path;
        variant.kind = tr("Opened file");
        variant.sizeBytes = QFileInfo(path).size();
        d->workbench->variants()->add(variant); // Compare sees it too
    }
    showVariant(path);
}

void VariantPane::showVariant(const QString &path)
{
    if (path != d->path) {
        d->model.reset();
        d->matching.reset();
        d->times = {};
        d->path = path;
    }
    fillSelector();
    d->sync->setEnabled(false);
    d->scene->setGraphLayout(nullptr);
    if (path.isEmpty()) {
        d->job->discard();
        hide();
        return;
    }
    show();
    setTranslatedText(d->title,
                      [file = QFileInfo(path).fileName()] { return tr("Variant: %1").arg(file); });
    layOut();
}

void VariantPane::setLayoutOptions(const LayoutOptions &options)
{
    d->options = options;
    if (!d->path.isEmpty())
        layOut();
}

void VariantPane::clear()
{
    d->referenceData = {};
    d->referenceBoxes.clear();
    showVariant(QString());
}

void VariantPane::layOut()
{
    std::shared_ptr<const Model> reference = d->workbench->model();
    if (!reference || d->path.isEmpty())
        return;
    const std::string path = d->path.toStdString();
    LayoutOptions options = d->options;
    VariantLayout loaded{d->model, d->matching};
    d->job->run<std::shared_ptr<VariantLayout>>(
        [] { return tr("Laying out the variant"); },
        [reference, path, options, loaded](Progress &progress) mutable {
            auto out = std::make_shared<VariantLayout>(loaded);
            if (!out->model) {
                progress.report(0, 1, "loading " + path);
                auto model = Model::load(path);
                if (!model) {
                    out->layout = model.status();
                    return out;
                }
                out->model = *model;
                out->matching = std::make_shared<const NodeMatching>(
                    matchVariantNodes(reference->index(), out->model->index()));
            }
            options.foldInto = out->matching->foldedInto;
            out->layout = layoutGraph(out->model->index(), options, progress);
            return out;
        },
        [this](std::shared_ptr<VariantLayout> result) {
            if (!result->layout) {
                if (result->layout.status().code() != StatusCode::Cancelled)
                    setTranslatedText(d->status, [message = QString::fromStdString(
                                                      result->layout.status().message())] {
                        return tr("Cannot draw the variant: %1").arg(message);
                    });
                return;
            }
            d->model = result->model;
            d->matching = result->matching;
            d->variantNameOf.clear();
            const GraphIndex &variant = d->model->index();
            if (const GraphIndex *reference = d->referenceIndex())
                for (size_t id = 0; id < d->matching->variantOf.size(); ++id)
                    if (const int v = d->matching->variantOf[id]; v >= 0)
                        d->variantNameOf
                            .insert(QString::fromStdString(reference->nodes()[id].displayName),
                                    QString::fromStdString(variant.nodes()[v].displayName));
            d->scene->setGraphLayout(
                std::make_shared<const GraphLayout>(std::move(*result->layout)));
            rebuildBoxMaps();
            recolour(d->overlay, d->referenceData);
            markExcluded(d->referenceData);
            int folded = 0;
            for (int host : d->matching->foldedInto)
                folded += host >= 0;
            setTranslatedText(d->status, [matched = d->matching->matched,
                                          onlyReference = d->matching->unmatchedReference.size(),
                                          onlyVariant = d->matching->unmatchedVariant.size(),
                                          folded] {
                return tr("%1 nodes matched; %2 only in the FP32 model (folded or rewritten by "
                          "the quantizer), %3 only in the variant; %4 quantize/dequantize nodes "
                          "folded into the op they wrap")
                    .arg(matched)
                    .arg(onlyReference)
                    .arg(onlyVariant)
                    .arg(folded);
            });
            d->sync->setEnabled(true);
            d->sync->alignRightToLeft();
            selectReferenceNode(d->workbench->selectedNode());
            emit laidOut();
        });
}

void VariantPane::referenceLaidOut()
{
    d->referenceBoxes = boxesByName(d->referenceScene->graphLayout().get());
    if (d->scene->graphLayout())
        d->sync->alignRightToLeft();
}

void VariantPane::rebuildBoxMaps()
{
    d->referenceBoxes = boxesByName(d->referenceScene->graphLayout().get());
    d->variantBoxes = boxesByName(d->scene->graphLayout().get());
    // Each map finds the box of the counterpart node, or the box of the same name.
    auto counterpart = [](const GraphScene *from, const GraphScene *to,
                          const std::unordered_map<std::string, int> &toBoxes,
                          auto nodeCounterpart) {
        return [=, &toBoxes](int box) {
            const LayoutBox *b = from->layoutBox(box);
            if (!b)
                return -1;
            if (b->kind == LayoutBox::Kind::Node)
                return to->boxOfNode(nodeCounterpart(b->nodeId));
            auto it = toBoxes.find(boxName(*b));
            return it == toBoxes.end() ? -1 : it->second;
        };
    };
    const Private *p = d.get();
    d->sync->setBoxMaps(counterpart(d->referenceScene, d->scene, d->variantBoxes,
                                    [p](int node) { return p->matching->variantNodeFor(node); }),
                        counterpart(d->scene, d->referenceScene, d->referenceBoxes,
                                    [p](int node) { return p->matching->referenceNodeFor(node); }));
}

void VariantPane::recolour(GraphOverlay overlay, const OverlayData &referenceData)
{
    d->overlay = overlay;
    d->referenceData = referenceData;
    if (!d->model || !d->scene->graphLayout())
        return;
    d->scene->paint(overlay, d->model->index(), d->variantData());
    d->view->refreshMiniMap();
}

void VariantPane::markExcluded(const OverlayData &referenceData)
{
    d->referenceData.excludedNodes = referenceData.excludedNodes;
    d->referenceData.excludedOpTypes = referenceData.excludedOpTypes;
    if (d->model && d->scene->graphLayout())
        d->scene->markExcluded(d->model->index(), d->variantData());
}

void VariantPane::setTimes(const ModelTimes &times, double fp32TotalMs)
{
    d->times = times;
    d->fp32TotalMs = fp32TotalMs;
    recolour(d->overlay, d->referenceData);
}

void VariantPane::selectReferenceNode(int nodeId)
{
    if (!d->matching || d->syncing)
        return;
    BoxItem *item = d->scene->boxItem(d->scene->boxOfNode(d->matching->variantNodeFor(nodeId)));
    d->syncing = true;
    d->scene->clearSelection();
    if (item)
        item->setSelected(true);
    d->syncing = false;
}

void VariantPane::onSceneSelectionChanged()
{
    if (d->syncing || !d->matching)
        return;
    const BoxItem *item = d->scene->boxItem(d->scene->selectedBox());
    if (!item || item->box().kind != LayoutBox::Kind::Node)
        return;
    const int reference = d->matching->referenceNodeFor(item->box().nodeId);
    if (reference >= 0) {
        d->syncing = true;
        emit referenceNodeSelected(reference);
        d->syncing = false;
    }
}

} // namespace qs::ui
