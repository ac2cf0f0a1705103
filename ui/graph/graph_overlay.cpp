#include "graph_overlay.h"

#include "model/graph_index.h"

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>

namespace qs::ui {

namespace {

enum class Family {
    Convolution,
    MatMul,
    Activation,
    Elementwise,
    Normalization,
    Pooling,
    DataMovement,
    Quantization,
    ControlFlow,
    Other,
    Group,
    InputOutput,
    Count
};

Family familyOf(const std::string &op)
{
    static const std::unordered_map<std::string, Family> families = [] {
        std::unordered_map<std::string, Family> m;
        auto add = [&](Family f, std::initializer_list<const char *> ops) {
            for (const char *op : ops)
                m.emplace(op, f);
        };
        add(Family::Convolution, {"Conv", "ConvTranspose", "QLinearConv", "ConvInteger"});
        add(Family::MatMul,
            {"MatMul", "Gemm", "MatMulInteger", "QLinearMatMul", "QGemm", "Attention", "Einsum"});
        add(Family::Activation,
            {"Relu", "Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu", "Clip", "Gelu",
             "Softmax", "LogSoftmax", "PRelu", "Elu", "Selu", "Softplus", "Mish", "Erf"});
        add(Family::Elementwise,
            {"Add",       "Sub",        "Mul",        "Div",        "Pow",       "Sqrt",
             "Exp",       "Log",        "Neg",        "Abs",        "Max",       "Min",
             "Sum",       "Mean",       "Equal",      "Greater",    "Less",      "Where",
             "Not",       "And",        "Or",         "Reciprocal", "Floor",     "Ceil",
             "Round",     "QLinearAdd", "QLinearMul", "ReduceMean", "ReduceSum", "ReduceMax",
             "ReduceMin", "ArgMax",     "ArgMin"});
        add(Family::Normalization,
            {"BatchNormalization", "LayerNormalization", "InstanceNormalization",
             "GroupNormalization", "LpNormalization"});
        add(Family::Pooling, {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
                              "QLinearGlobalAveragePool", "LpPool"});
        add(Family::DataMovement, {"Reshape",
                                   "Transpose",
                                   "Concat",
                                   "Split",
                                   "Slice",
                                   "Gather",
                                   "Squeeze",
                                   "Unsqueeze",
                                   "Flatten",
                                   "Shape",
                                   "Expand",
                                   "Tile",
                                   "Pad",
                                   "Resize",
                                   "Identity",
                                   "Cast",
                                   "Constant",
                                   "ConstantOfShape",
                                   "GatherElements",
                                   "ScatterND",
                                   "Range",
                                   "DepthToSpace",
                                   "SpaceToDepth",
                                   "Upsample",
                                   "QLinearConcat",
                                   "NonZero",
                                   "TopK"});
        add(Family::Quantization, {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"});
        add(Family::ControlFlow, {"If", "Loop", "Scan"});
        return m;
    }();
    auto it = families.find(op);
    return it == families.end() ? Family::Other : it->second;
}

QColor familyColour(Family family)
{
    static const std::array<QColor, static_cast<size_t>(Family::Count)> colours{
        QColor(0x9e, 0xc5, 0xf0), // convolution
        QColor(0xa5, 0xb4, 0xfc), // matmul
        QColor(0xfd, 0xd0, 0x9a), // activation
        QColor(0xb2, 0xe2, 0xb8), // elementwise
        QColor(0x9b, 0xe3, 0xd3), // normalization
        QColor(0xdc, 0xb6, 0xec), // pooling
        QColor(0xdd, 0xdd, 0xdd), // data movement
        QColor(0xff, 0xe5, 0x8f), // quantization
        QColor(0xf7, 0xb0, 0xcd), // control flow
        QColor(0xf1, 0xf1, 0xe6), // other
        QColor(0xc8, 0xd3, 0xe0), // group
        QColor(0xff, 0xff, 0xff), // graph input / output
    };
    return colours[static_cast<size_t>(family)];
}

QString familyName(Family family)
{
    switch (family) {
    case Family::Convolution: return GraphOverlays::tr("Convolution");
    case Family::MatMul: return GraphOverlays::tr("MatMul / Gemm");
    case Family::Activation: return GraphOverlays::tr("Activation");
    case Family::Elementwise: return GraphOverlays::tr("Elementwise / reduction");
    case Family::Normalization: return GraphOverlays::tr("Normalization");
    case Family::Pooling: return GraphOverlays::tr("Pooling");
    case Family::DataMovement: return GraphOverlays::tr("Shape and data movement");
    case Family::Quantization: return GraphOverlays::tr("Quantize / dequantize");
    case Family::ControlFlow: return GraphOverlays::tr("Control flow");
    case Family::Other: return GraphOverlays::tr("Other");
    case Family::Group: return GraphOverlays::tr("Collapsed group");
    case Family::InputOutput:
    case Family::Count: break;
    }
    return GraphOverlays::tr("Graph input / output");
}

Family boxFamily(const LayoutBox &box)
{
    switch (box.kind) {
    case LayoutBox::Kind::Group: return Family::Group;
    case LayoutBox::Kind::Input:
    case LayoutBox::Kind::Output: return Family::InputOutput;
    case LayoutBox::Kind::Node: break;
    }
    return familyOf(box.title);
}

enum class QuantState { Excluded, LeftInFloat, Other, NotRun, Count };

QuantState nodeState(const NodeInfo &node, const OverlayData &data)
{
    const QString name = QString::fromStdString(node.displayName);
    if (data.excludedNodes.contains(name)
        || data.excludedOpTypes.contains(QString::fromStdString(node.opType)))
        return QuantState::Excluded;
    if (data.leftInFloat.contains(name))
        return QuantState::LeftInFloat;
    return data.quantized ? QuantState::Other : QuantState::NotRun;
}

// A group takes its most notable member's state (excluded before left in float).
QuantState boxState(const LayoutBox &box, const GraphIndex &index, const OverlayData &data)
{
    if (box.kind == LayoutBox::Kind::Node)
        return nodeState(index.nodes()[box.nodeId], data);
    QuantState state = data.quantized ? QuantState::Other : QuantState::NotRun;
    for (int id : box.members)
        state = std::min(state, nodeState(index.nodes()[id], data));
    return state;
}

QColor stateColour(QuantState state)
{
    switch (state) {
    case QuantState::Excluded: return QColor(0xf0, 0x8c, 0x8c);
    case QuantState::LeftInFloat: return QColor(0xfc, 0xc4, 0x7a);
    case QuantState::Other: return QColor(0xb2, 0xe2, 0xb8);
    case QuantState::NotRun:
    case QuantState::Count: break;
    }
    return QColor(0xe4, 0xe4, 0xe4);
}

QString stateName(QuantState state)
{
    switch (state) {
    case QuantState::Excluded: return GraphOverlays::tr("Kept in float by you");
    case QuantState::LeftInFloat:
        return GraphOverlays::tr("Left in float by the last Quantize run");
    case QuantState::Other: return GraphOverlays::tr("Quantized or not eligible");
    case QuantState::NotRun:
    case QuantState::Count: break;
    }
    return GraphOverlays::tr("No Quantize run yet");
}

// The nodes a box stands for: its node and what is folded into it, or a group's members.
template<typename Visit>
void forEachNodeOf(const LayoutBox &box, Visit visit)
{
    if (box.kind == LayoutBox::Kind::Node)
        visit(box.nodeId);
    for (int id : box.folded)
        visit(id);
    for (int id : box.members)
        visit(id);
}

// The values of a box's nodes in `values` (by display name) combined; none when no node has one.
template<typename Combine>
std::optional<double> combineOverBox(const LayoutBox &box, const GraphIndex &index,
                                     const QHash<QString, double> &values, Combine combine)
{
    std::optional<double> result;
    forEachNodeOf(box, [&](int id) {
        auto it = values.constFind(QString::fromStdString(index.nodes()[id].displayName));
        if (it != values.constEnd())
            result = result ? combine(*result, *it) : *it;
    });
    return result;
}

std::optional<double> boxSqnr(const LayoutBox &box, const GraphIndex &index, const OverlayData &data)
{
    return combineOverBox(box, index, data.sqnrDb,
                          [](double a, double b) { return std::min(a, b); });
}

const QColor kNoData(0xee, 0xee, 0xee);

std::optional<double> boxTimeMs(const LayoutBox &box, const GraphIndex &index,
                                const OverlayData &data)
{
    return combineOverBox(box, index, data.timeMs, std::plus<double>());
}

std::optional<double> boxSensitivity(const LayoutBox &box, const GraphIndex &index,
                                     const OverlayData &data)
{
    return combineOverBox(box, index, data.sensitivity,
                          [](double a, double b) { return std::max(a, b); });
}

double largestLoss(const OverlayData &data)
{
    double largest = 0;
    for (double loss : data.sensitivity)
        largest = std::max(largest, loss);
    return largest;
}

// Share of the largest loss, 0..1; a run where no node lost anything paints all cool.
double sensitivityFraction(double loss, const OverlayData &data)
{
    const double largest = largestLoss(data);
    return largest > 0 ? std::clamp(loss / largest, 0.0, 1.0) : 0.0;
}

} // namespace

QString GraphOverlays::name(GraphOverlay overlay)
{
    switch (overlay) {
    case GraphOverlay::OpType: return tr("Op type");
    case GraphOverlay::Quantization: return tr("Quantization state");
    case GraphOverlay::Sqnr: return tr("Per-node SQNR (Compare)");
    case GraphOverlay::Time: return tr("Per-node time (profile)");
    case GraphOverlay::Sensitivity: return tr("Sensitivity (Tune)");
    }
    return {};
}

QColor GraphOverlays::heatColour(double fraction)
{
    const double t = std::clamp(fraction, 0.0, 1.0);
    return QColor::fromHsvF(static_cast<float>((1.0 - t) * 55.0 / 360.0),
                            static_cast<float>(0.15 + 0.7 * t), 0.98f);
}

QColor GraphOverlays::timeColour(double share)
{
    // Square root: a 1 % node is visibly warmer than a 0.1 % one, 10 % and more is red.
    return heatColour(std::sqrt(std::clamp(share / 0.10, 0.0, 1.0)));
}

QColor GraphOverlays::sqnrColour(double db)
{
    if (std::isnan(db))
        return QColor(0xc9, 0x2a, 0x2a);
    const double t = std::clamp((db - 10.0) / 30.0, 0.0, 1.0); // 10 dB -> 0, 40 dB -> 1
    return QColor::fromHsvF(static_cast<float>(t * 120.0 / 360.0), 0.55f, 0.97f);
}

QColor GraphOverlays::colour(GraphOverlay overlay, const LayoutBox &box, const GraphIndex &index,
                             const OverlayData &data)
{
    if (box.kind == LayoutBox::Kind::Input || box.kind == LayoutBox::Kind::Output)
        return familyColour(Family::InputOutput);
    switch (overlay) {
    case GraphOverlay::OpType: return familyColour(boxFamily(box));
    case GraphOverlay::Quantization: return stateColour(boxState(box, index, data));
    case GraphOverlay::Sqnr: {
        const std::optional<double> db = boxSqnr(box, index, data);
        return db ? sqnrColour(*db) : kNoData;
    }
    case GraphOverlay::Time: {
        const std::optional<double> ms = boxTimeMs(box, index, data);
        return ms && data.timeScaleMs > 0 ? timeColour(*ms / data.timeScaleMs) : kNoData;
    }
    case GraphOverlay::Sensitivity: {
        const std::optional<double> loss = boxSensitivity(box, index, data);
        return loss ? heatColour(sensitivityFraction(*loss, data)) : kNoData;
    }
    }
    return kNoData;
}

QList<LegendEntry> GraphOverlays::legend(GraphOverlay overlay, const GraphLayout &layout,
                                         const GraphIndex &index, const OverlayData &data)
{
    QList<LegendEntry> entries;
    switch (overlay) {
    case GraphOverlay::OpType: {
        std::array<bool, static_cast<size_t>(Family::Count)> present{};
        for (const LayoutBox &box : layout.boxes)
            present[static_cast<size_t>(boxFamily(box))] = true;
        for (size_t f = 0; f < present.size(); ++f)
            if (present[f])
                entries.append({familyColour(Family(f)), familyName(Family(f))});
        break;
    }
    case GraphOverlay::Quantization: {
        std::array<bool, static_cast<size_t>(QuantState::Count)> present{};
        for (const LayoutBox &box : layout.boxes)
            if (box.kind == LayoutBox::Kind::Node || box.kind == LayoutBox::Kind::Group)
                present[static_cast<size_t>(boxState(box, index, data))] = true;
        for (size_t s = 0; s < present.size(); ++s)
            if (present[s])
                entries.append({stateColour(QuantState(s)), stateName(QuantState(s))});
        break;
    }
    case GraphOverlay::Sqnr:
        for (double db : {10.0, 20.0, 30.0, 40.0})
            entries.append({sqnrColour(db), db == 10.0   ? tr("<= 10 dB (worst)")
                                            : db == 40.0 ? tr(">= 40 dB")
                                                         : tr("%1 dB").arg(db)});
        entries.append({kNoData, data.sqnrDb.isEmpty() ? tr("No comparison with per-node error yet")
                                                       : tr("No per-node error")});
        break;
    case GraphOverlay::Time:
        entries.append({timeColour(0.10), tr(">= 10 % of the FP32 model's time")});
        entries.append({timeColour(0.01), tr("1 %")});
        entries.append({timeColour(0.0), tr("0 %")});
        entries.append({kNoData, data.timeScaleMs > 0
                                     ? tr("No time of its own (fused into another step)")
                                     : tr("Not timed yet")});
        break;
    case GraphOverlay::Sensitivity: {
        const double largest = largestLoss(data);
        entries.append({heatColour(1.0), tr("Most sensitive (loss %1)").arg(largest, 0, 'g', 3)});
        entries.append({heatColour(0.5), tr("Half of that")});
        entries.append({heatColour(0.0), tr("Not sensitive")});
        entries.append({kNoData, data.sensitivity.isEmpty()
                                     ? tr("No Tune run with per-node sensitivity yet")
                                     : tr("Not measured")});
        break;
    }
    }
    return entries;
}

QString GraphOverlays::measurementNote(const LayoutBox &box, const GraphIndex &index,
                                       const OverlayData &data)
{
    QStringList lines;
    if (const std::optional<double> ms = boxTimeMs(box, index, data); ms && data.timeScaleMs > 0)
        lines << tr("%1 ms per run, %2 % of the FP32 model's time")
                     .arg(*ms, 0, 'f', 3)
                     .arg(100.0 * *ms / data.timeScaleMs, 0, 'f', 1);
    if (const std::optional<double> loss = boxSensitivity(box, index, data))
        lines << tr("Tune sensitivity: loss %1").arg(*loss, 0, 'g', 3);
    return lines.join(QLatin1Char('\n'));
}

QString GraphOverlays::quantizationNote(const LayoutBox &box, const GraphIndex &index,
                                        const OverlayData &data)
{
    if (box.kind != LayoutBox::Kind::Node)
        return {};
    const NodeInfo &node = index.nodes()[box.nodeId];
    const QString name = QString::fromStdString(node.displayName);
    switch (nodeState(node, data)) {
    case QuantState::Excluded: return stateName(QuantState::Excluded);
    case QuantState::LeftInFloat: return tr("Left in float: %1").arg(data.leftInFloat.value(name));
    default: return {};
    }
}

namespace {

QHash<QString, double> worstSqnrPerNode(const quantscope::VariantReport &variant)
{
    QHash<QString, double> sqnr;
    for (const quantscope::NodeError &error : variant.per_node()) {
        const QString node = QString::fromStdString(error.node());
        auto it = sqnr.find(node);
        if (it == sqnr.end())
            sqnr.insert(node, error.sqnr_db());
        else
            *it = std::min(*it, error.sqnr_db());
    }
    return sqnr;
}

} // namespace

QHash<QString, double> GraphOverlays::nodeSqnr(const quantscope::Report &report)
{
    QHash<QString, double> sqnr;
    for (int v = 1; v < report.variants_size() && sqnr.isEmpty(); ++v)
        sqnr = worstSqnrPerNode(report.variants(v));
    return sqnr;
}

QHash<QString, QHash<QString, double>> GraphOverlays::nodeSqnrByVariant(
    const quantscope::Report &report)
{
    QHash<QString, QHash<QString, double>> byVariant;
    for (int v = 1; v < report.variants_size(); ++v)
        if (report.variants(v).per_node_size() > 0)
            byVariant.insert(QString::fromStdString(report.variants(v).path()),
                             worstSqnrPerNode(report.variants(v)));
    return byVariant;
}

const QHash<QString, double> *GraphOverlays::sqnrOfVariant(
    const QHash<QString, QHash<QString, double>> &byVariant, const QString &path)
{
    if (path.isEmpty())
        return nullptr;
    if (auto it = byVariant.constFind(path); it != byVariant.constEnd())
        return &*it;
    // Compare and the Graph page may name one file differently (relative, via a link).
    const QString canonical = QFileInfo(path).canonicalFilePath();
    for (auto it = byVariant.constBegin(); it != byVariant.constEnd(); ++it)
        if (!canonical.isEmpty() && QFileInfo(it.key()).canonicalFilePath() == canonical)
            return &*it;
    return nullptr;
}

QHash<QString, QString> GraphOverlays::leftInFloat(const quantscope::Recipe &recipe)
{
    QHash<QString, QString> nodes;
    for (const quantscope::NodeLeftInFloat &node : recipe.left_in_float())
        nodes.insert(QString::fromStdString(node.node()), QString::fromStdString(node.reason()));
    return nodes;
}

} // namespace qs::ui
