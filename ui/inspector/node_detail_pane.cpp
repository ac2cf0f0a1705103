#include "node_detail_pane.h"

#include "workbench/job_controller.h"
#include "workbench/translated_text.h"
#include "workbench/workbench.h"

#include "model/element_type.h"
#include "model/graph_index.h"
#include "model/model.h"
#include "tensor/tensor_io.h"

#include <QEvent>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace qs::ui {

namespace {

// A node reading hundreds of constants (a Concat of shapes) would make hundreds of plots.
constexpr int maxConstantViews = 16;

QTreeWidget *makeTree(const QStringList &headers, QWidget *parent)
{
    auto *tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->setStretchLastSection(true);
    // Tensor names share long prefixes ("/backbone/stage1/..."): keep both ends visible.
    tree->setTextElideMode(Qt::ElideMiddle);
    return tree;
}

QString statsText(const NodeDetailPane::Constant &constant)
{
    const QLocale locale;
    QString text = NodeDetailPane::tr("%1 %2").arg(constant.dtype, constant.shape);
    if (!constant.error.isEmpty())
        return NodeDetailPane::tr("%1\n%2").arg(text, constant.error);
    const TensorStats &stats = constant.stats;
    if (!stats.valid)
        return NodeDetailPane::tr("%1\nNo numeric values to summarize.").arg(text);
    text = NodeDetailPane::tr("%1\nmin %2   max %3   mean %4   std %5")
               .arg(text, locale.toString(stats.min, 'g', 6), locale.toString(stats.max, 'g', 6),
                    locale.toString(stats.mean, 'g', 6), locale.toString(stats.stddev, 'g', 6));
    if (stats.sampled < stats.elements)
        text = NodeDetailPane::tr("%1\nfrom %2 of %3 values (sampled)")
                   .arg(text, locale.toString(qlonglong(stats.sampled)),
                        locale.toString(qlonglong(stats.elements)));
    if (stats.nonFinite > 0)
        text = NodeDetailPane::tr("%1\n%2 NaN/Inf values left out")
                   .arg(text, locale.toString(qlonglong(stats.nonFinite)));
    return text;
}

NodeDetailPane::Constant describeConstant(const std::shared_ptr<const Model> &model,
                                          const std::string &name, const onnx::TensorProto &proto)
{
    NodeDetailPane::Constant constant;
    constant.name = QString::fromStdString(name);
    const TensorType type = TensorType::fromTensor(proto);
    constant.dtype = QString::fromUtf8(elementTypeName(type.elementType));
    constant.shape = QString::fromStdString(type.shapeString());
    // The core's decoder handles raw_data, typed fields and external data.
    Result<Tensor> tensor = tensorFromProto(proto, model);
    if (!tensor)
        constant.error = QString::fromStdString(tensor.status().message());
    else
        constant.stats = computeTensorStats(*tensor);
    return constant;
}

// A constant the node reads, found on the GUI thread; the proto lives in the model, which the
// job keeps alive.
struct ConstantRef
{
    std::string name;
    const onnx::TensorProto *proto = nullptr;
};

std::vector<ConstantRef> constantRefs(const GraphIndex &index, const NodeInfo &node)
{
    // Constant inputs; a Constant node shows the tensor it produces.
    std::vector<std::string> names;
    for (const ValueRef &input : node.inputs)
        names.push_back(input.name);
    if (node.opType == "Constant" && node.domain.empty()) {
        for (const ValueRef &output : node.outputs)
            names.push_back(output.name);
    }
    std::vector<ConstantRef> refs;
    for (const std::string &name : names) {
        if (name.empty())
            continue;
        if (const onnx::TensorProto *proto = index.constantTensor(node.graph, name))
            refs.push_back({name, proto});
    }
    return refs;
}

} // namespace

NodeDetailPane::NodeDetailPane(Workbench *workbench, QWidget *parent)
    : QWidget(parent)
    , m_workbench(workbench)
    , m_decodeJob(new JobController(workbench, this, JobController::Runs::OnAnyThread,
                                    JobController::WhenBusy::Supersede))
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_attributes = makeTree({}, splitter);
    m_values = makeTree({}, splitter);
    retranslate();

    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    m_constantBox = new QWidget(scroll);
    m_constantLayout = new QVBoxLayout(m_constantBox);
    m_constantStatus = new QLabel(m_constantBox);
    m_constantLayout->addWidget(m_constantStatus);
    m_constantLayout->addStretch(1);
    scroll->setWidget(m_constantBox);
    splitter->addWidget(m_attributes);
    splitter->addWidget(m_values);
    splitter->addWidget(scroll);
    // The histogram is what users come for (issue 16: it needed dragging the splitter): the
    // constants get most of the height, the two lists a few rows each (they scroll).
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 4);
    const int row = fontMetrics().height() + 4;
    m_attributes->setMinimumHeight(3 * row);
    m_values->setMinimumHeight(3 * row);
    splitter->setSizes({4 * row, 4 * row, 16 * row});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(splitter, 1);

    connect(workbench, &Workbench::nodeSelected, this, &NodeDetailPane::showNode);
    connect(workbench, &Workbench::modelChanged, this, [this] { showNode(-1); });
    showNode(workbench->selectedNode());
}

NodeDetailPane::~NodeDetailPane() = default;

void NodeDetailPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

// The lists' headers and the words their rows were filled with (a node's attributes and values
// are names and figures, left as they are).
void NodeDetailPane::retranslate()
{
    m_attributes->setHeaderLabels({tr("Attribute"), tr("Value")});
    m_values->setHeaderLabels({tr("Kind"), tr("Name"), tr("Element type"), tr("Shape")});
    for (int i = 0; i < m_attributes->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_attributes->topLevelItem(i);
        if (!item->toolTip(1).isEmpty())
            item->setToolTip(1, tr("Default value: the node leaves this attribute out."));
    }
    for (int i = 0; i < m_values->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_values->topLevelItem(i);
        item->setText(0, item->data(0, Qt::UserRole).toBool() ? tr("input") : tr("output"));
    }
}

QSize NodeDetailPane::sizeHint() const
{
    const int row = fontMetrics().height() + 4;
    return {QWidget::sizeHint().width(), 30 * row};
}

void NodeDetailPane::clearConstants()
{
    m_constants.clear();
    m_histograms.clear();
    m_constantStatus->hide();
    // Everything but the status line and the trailing stretch.
    while (m_constantLayout->count() > 2) {
        QLayoutItem *item = m_constantLayout->takeAt(1);
        delete item->widget();
        delete item;
    }
}

void NodeDetailPane::showNode(int nodeId)
{
    const std::shared_ptr<const Model> &model = m_workbench->model();
    if (!model || nodeId < 0 || nodeId >= int(model->index().nodes().size()))
        nodeId = -1;
    m_nodeId = nodeId;
    m_attributes->clear();
    m_values->clear();
    clearConstants();
    // Whatever is still being decoded belongs to the node shown before.
    m_decodeJob->discard();
    if (nodeId < 0) {
        setTranslatedText(m_title,
                          [] { return tr("Select a node in the table to see its details."); });
        return;
    }

    const GraphIndex &index = model->index();
    const NodeInfo &node = index.nodes()[size_t(nodeId)];
    const QString path = QString::fromStdString(index.graphs()[size_t(node.graph)].path);
    const QString domain = node.domain.empty() ? QStringLiteral("ai.onnx")
                                               : QString::fromStdString(node.domain);
    setTranslatedText(m_title, [name = QString::fromStdString(node.displayName),
                                opType = QString::fromStdString(node.opType), domain,
                                opset = node.opsetVersion, path] {
        return tr("%1 (%2, %3 opset %4)%5")
            .arg(name, opType, domain)
            .arg(opset)
            .arg(path.isEmpty() ? QString() : tr("\nin subgraph %1").arg(path));
    });

    for (const AttributeSummary &attribute : node.attributes) {
        auto *item = new QTreeWidgetItem(m_attributes, {QString::fromStdString(attribute.name),
                                                        QString::fromStdString(attribute.value)});
        if (attribute.isDefault) { // not in the file: the schema's value, greyed as Netron does
            const QColor grey = palette().color(QPalette::PlaceholderText);
            item->setForeground(0, grey);
            item->setForeground(1, grey);
            item->setToolTip(1, tr("Default value: the node leaves this attribute out."));
        }
    }
    auto addValue = [this](bool input, const ValueRef &value) {
        const QString kind = input ? tr("input") : tr("output");
        const QString type = value.type.elementType == 0
                                 ? tr("?")
                                 : QString::fromUtf8(elementTypeName(value.type.elementType));
        const QString name = value.name.empty() ? tr("(omitted)")
                                                : QString::fromStdString(value.name);
        auto *item = new QTreeWidgetItem(m_values,
                                         {kind, name, type,
                                          QString::fromStdString(value.type.shapeString())});
        item->setToolTip(1, name);             // the view elides long names in the middle
        item->setData(0, Qt::UserRole, input); // its kind, worded again on a language switch
    };
    for (const ValueRef &input : node.inputs)
        addValue(true, input);
    for (const ValueRef &output : node.outputs)
        addValue(false, output);

    decodeConstants(model, nodeId);
}

void NodeDetailPane::decodeConstants(const std::shared_ptr<const Model> &model, int nodeId)
{
    std::vector<ConstantRef> refs = constantRefs(model->index(),
                                                 model->index().nodes()[size_t(nodeId)]);
    if (refs.empty())
        return;
    setTranslatedText(m_constantStatus, [count = int(refs.size())] {
        return tr("Reading %n constant tensor(s)...", "", count);
    });
    m_constantStatus->show();
    m_decodeJob->run<QList<Constant>>([] { return tr("Reading constants"); },
                                      [model, refs = std::move(refs)](Progress &progress) {
                                          QList<Constant> constants;
                                          for (size_t i = 0;
                                               i < refs.size() && !progress.cancelled(); ++i) {
                                              progress.report(int64_t(i), int64_t(refs.size()),
                                                              refs[i].name);
                                              constants.append(describeConstant(model, refs[i].name,
                                                                                *refs[i].proto));
                                          }
                                          return constants;
                                      },
                                      [this, nodeId](QList<Constant> constants) {
                                          m_constantStatus->hide();
                                          showConstants(std::move(constants));
                                          emit constantsShown(nodeId);
                                      });
}

void NodeDetailPane::showConstants(QList<Constant> constants)
{
    m_constants = std::move(constants);
    for (int i = 0; i < std::min<int>(int(m_constants.size()), maxConstantViews); ++i)
        addConstantView(m_constants[i]);
    if (m_constants.size() > maxConstantViews) {
        auto *more = new QLabel(tr("%1 more constant inputs are not shown.")
                                    .arg(m_constants.size() - maxConstantViews),
                                m_constantBox);
        m_constantLayout->insertWidget(m_constantLayout->count() - 1, more);
    }
}

void NodeDetailPane::addConstantView(const Constant &constant)
{
    auto *box = new QGroupBox(constant.name, m_constantBox);
    auto *layout = new QVBoxLayout(box);
    auto *label = new QLabel(statsText(constant), box);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(label);

    const TensorStats &stats = constant.stats;
    if (stats.valid && stats.elements > 1) {
        auto *plot = new QCustomPlot(box);
        plot->setMinimumHeight(140);
        auto *bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setPen(Qt::NoPen);
        bars->setBrush(QColor(70, 130, 180));
        // A constant tensor (all values equal) gets a single bar of width 1.
        const double width = stats.binWidth() > 0 ? stats.binWidth() : 1.0;
        bars->setWidth(width);
        QVector<double> keys;
        QVector<double> counts;
        double highest = 0;
        for (size_t i = 0; i < stats.histogram.size(); ++i) {
            keys.append(stats.min + (double(i) + 0.5) * width);
            counts.append(double(stats.histogram[i]));
            highest = std::max(highest, counts.back());
        }
        bars->setData(keys, counts, true);
        plot->xAxis->setLabel(tr("value"));
        plot->yAxis->setLabel(tr("count"));
        plot->xAxis->setRange(stats.min, stats.min + width * double(stats.histogram.size()));
        plot->yAxis->setRange(0, std::max(1.0, highest * 1.05));
        plot->replot(QCustomPlot::rpQueuedReplot);
        layout->addWidget(plot);
        m_histograms.append(plot);
    }
    m_constantLayout->insertWidget(m_constantLayout->count() - 1, box);
}

} // namespace qs::ui
