// Pattern fusions that run before activation fusion (see graph_fusion.h for the order):
//  - foldAffineIntoConv: Conv -> Mul(constant) -> Add(constant), scalar or per output channel,
//    folds into the Conv's weights and bias (what ONNX Runtime's ConvMulFusion/ConvAddFusion do);
//  - recognizeHardSwish: x * Clip(x + 3, 0, 6) / 6, as exporters decompose it, becomes one
//    fused HardSwish node (which activation fusion can then move into the producer);
//  - recognizeGelu: x * 0.5 * (1 + Erf(x / sqrt 2)) in its two usual spellings becomes one fused
//    Gelu node (domain kFusedDomain);
//  - fuseMatMulBias: MatMul with constant 2-D B -> Add(constant [N]) becomes one MatMul with a
//    bias input, added by the matmul primitive;
//  - fusePostAffine: a fused producer -> Mul(scalar) -> Add(scalar) moves the scalar affine step
//    into its FusedActivation (runs after activation fusion).
// Every rewrite needs the intermediate values to have exactly one reader.
#include "runtime/graph_fusion.h"

#include "model/graph_index.h"

#include <cmath>

namespace qs {

namespace {

bool isDefault(const onnx::NodeProto &node)
{
    return node.domain().empty() || node.domain() == "ai.onnx";
}

bool isOp(const PlannedNode *node, const char *opType)
{
    return node && !node->removed && isDefault(node->proto) && node->proto.op_type() == opType;
}

// The other input of a two-input node when one of them is `value`; empty if neither is.
std::string otherInput(const onnx::NodeProto &node, const std::string &value)
{
    if (node.input_size() != 2)
        return {};
    if (node.input(0) == value)
        return node.input(1);
    if (node.input(1) == value)
        return node.input(0);
    return {};
}

// A float32 constant with a single value.
std::optional<float> scalarConstant(FusionContext &context, const std::string &name)
{
    const Tensor *tensor = context.constant(name);
    if (!tensor || tensor->dtype() != DType::Float32 || tensor->elementCount() != 1)
        return std::nullopt;
    return tensor->data<float>()[0];
}

bool near(float value, float expected)
{
    return std::fabs(value - expected) <= 1e-6f * std::max(1.0f, std::fabs(expected));
}

std::string fusedLabel(const PlannedNode &node)
{
    return "+" + node.proto.op_type() + " '" + (node.info ? node.info->displayName : node.proto.name())
           + "'";
}

// Absorbs `absorbed` into `keeper`: keeper now produces absorbed's output.
void absorb(std::vector<PlannedNode> &nodes, FusionContext &context, PlannedNode &keeper,
            PlannedNode &absorbed)
{
    keeper.proto.set_output(0, absorbed.proto.output(0));
    keeper.fusedNames += fusedLabel(absorbed);
    context.producerOf[absorbed.proto.output(0)] = static_cast<size_t>(&keeper - nodes.data());
    absorbed.removed = true;
}

// Per-output-channel values of a constant that broadcasts against a Conv output [N, C, ...]:
// a scalar, or C values laid out as [C], [C,1,...] or [1,C,1,...]. Empty when it does not fit.
std::vector<float> perChannel(const Tensor *tensor, int64_t channels, size_t outputRank)
{
    if (!tensor || tensor->dtype() != DType::Float32)
        return {};
    const float *data = tensor->data<float>();
    if (tensor->elementCount() == 1)
        return std::vector<float>(static_cast<size_t>(channels), data[0]);
    if (tensor->elementCount() != channels || tensor->rank() > static_cast<int64_t>(outputRank))
        return {};
    // The one non-1 dim must sit at the channel axis (1) once right-aligned to the output.
    const size_t pad = outputRank - static_cast<size_t>(tensor->rank());
    for (int64_t d = 0; d < tensor->rank(); ++d) {
        if (tensor->dim(d) != 1 && pad + static_cast<size_t>(d) != 1)
            return {};
    }
    return std::vector<float>(data, data + channels);
}

} // namespace

Status foldAffineIntoConv(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &conv : nodes) {
        if (!isOp(&conv, "Conv") || conv.activation || conv.proto.output_size() != 1)
            continue;
        for (;;) {
            const Tensor *weight = context.constant(conv.proto.input(1));
            if (!weight || weight->dtype() != DType::Float32 || weight->rank() < 3)
                break;
            const bool hasBias = conv.proto.input_size() > 2 && !conv.proto.input(2).empty();
            const Tensor *bias = hasBias ? context.constant(conv.proto.input(2)) : nullptr;
            if (hasBias && (!bias || bias->dtype() != DType::Float32))
                break;
            const std::string &output = conv.proto.output(0);
            PlannedNode *next = soleReader(nodes, context, output);
            const bool isMul = isOp(next, "Mul"), isAdd = isOp(next, "Add");
            if (!isMul && !isAdd)
                break;
            const int64_t channels = weight->dim(0);
            const std::vector<float> values =
                perChannel(context.constant(otherInput(next->proto, output)), channels,
                           static_cast<size_t>(weight->rank()));
            if (values.empty())
                break;
            Tensor newWeight = weight->clone();
            Tensor newBias = Tensor::allocate(DType::Float32, {channels});
            float *w = newWeight.mutableData<float>();
            float *b = newBias.mutableData<float>();
            const int64_t perOutput = weight->elementCount() / channels;
            for (int64_t c = 0; c < channels; ++c) {
                b[c] = bias ? bias->data<float>()[c] : 0.0f;
                if (isMul) {
                    for (int64_t k = 0; k < perOutput; ++k)
                        w[c * perOutput + k] *= values[c];
                    b[c] *= values[c];
                } else {
                    b[c] += values[c];
                }
            }
            const std::string base = next->proto.output(0);
            context.addConstant(base + "::folded_weight", std::move(newWeight));
            context.addConstant(base + "::folded_bias", std::move(newBias));
            conv.proto.set_input(1, base + "::folded_weight");
            if (hasBias)
                conv.proto.set_input(2, base + "::folded_bias");
            else
                conv.proto.add_input(base + "::folded_bias");
            absorb(nodes, context, conv, *next);
        }
    }
    return Status::ok();
}

Status recognizeHardSwish(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &add : nodes) {
        if (!isOp(&add, "Add") || add.proto.input_size() != 2)
            continue;
        // Add(x, 3)
        std::string x;
        for (int i = 0; i < 2 && x.empty(); ++i) {
            const auto three = scalarConstant(context, add.proto.input(i));
            if (three && near(*three, 3.0f))
                x = add.proto.input(1 - i);
        }
        if (x.empty() || context.constant(x))
            continue;
        // -> Clip(0, 6) with attribute or constant-input bounds
        PlannedNode *clip = soleReader(nodes, context, add.proto.output(0));
        if (!isOp(clip, "Clip") || clip->proto.input(0) != add.proto.output(0))
            continue;
        float low = -INFINITY, high = INFINITY;
        // Bounds are attributes before opset 11 and inputs from 11 (attributes then mean nothing).
        const bool attributeBounds = clip->info && clip->info->opsetVersion < 11;
        for (const auto &attr : clip->proto.attribute()) {
            if (attributeBounds && attr.name() == "min")
                low = attr.f();
            else if (attributeBounds && attr.name() == "max")
                high = attr.f();
        }
        bool boundsKnown = true;
        for (int i = 1; i < clip->proto.input_size() && i <= 2; ++i) {
            if (clip->proto.input(i).empty())
                continue;
            const auto bound = scalarConstant(context, clip->proto.input(i));
            boundsKnown &= bound.has_value();
            if (bound)
                (i == 1 ? low : high) = *bound;
        }
        if (!boundsKnown || !near(low, 0.0f) || !near(high, 6.0f))
            continue;
        // -> Mul(x, clip)
        PlannedNode *mul = soleReader(nodes, context, clip->proto.output(0));
        if (!isOp(mul, "Mul") || otherInput(mul->proto, clip->proto.output(0)) != x)
            continue;
        // -> Div(6) or Mul(1/6)
        PlannedNode *scale = soleReader(nodes, context, mul->proto.output(0));
        if (!scale || scale->removed || !isDefault(scale->proto) || scale->proto.input_size() != 2
            || scale->proto.input(0) != mul->proto.output(0))
            continue;
        const auto factor = scalarConstant(context, scale->proto.input(1));
        const bool isSixth = factor && ((scale->proto.op_type() == "Div" && near(*factor, 6.0f))
                                        || (scale->proto.op_type() == "Mul"
                                            && near(*factor, 1.0f / 6.0f)));
        if (!isSixth)
            continue;
        // Rewrite the Add as HardSwish(x) producing the Div's output.
        add.proto.clear_input();
        add.proto.add_input(x);
        add.proto.set_op_type("HardSwish");
        add.proto.set_domain(kFusedDomain); // ONNX's HardSwish needs opset 14; the model may be older
        add.fusedNames += fusedLabel(*clip) + fusedLabel(*mul);
        context.readers[x] -= 1; // the Add and the Mul read x; the HardSwish alone does now
        clip->removed = true;
        mul->removed = true;
        absorb(nodes, context, add, *scale);
    }
    return Status::ok();
}

Status recognizeGelu(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &first : nodes) {
        // x / sqrt(2) or x * (1 / sqrt(2))
        if (first.removed || !isDefault(first.proto) || first.proto.input_size() != 2)
            continue;
        const auto factor = scalarConstant(context, first.proto.input(1));
        const bool scalesBySqrtHalf =
            factor && ((first.proto.op_type() == "Div" && near(*factor, float(M_SQRT2)))
                       || (first.proto.op_type() == "Mul" && near(*factor, float(M_SQRT1_2))));
        if (!scalesBySqrtHalf)
            continue;
        const std::string x = first.proto.input(0);
        PlannedNode *erf = soleReader(nodes, context, first.proto.output(0));
        if (!isOp(erf, "Erf"))
            continue;
        PlannedNode *plusOne = soleReader(nodes, context, erf->proto.output(0));
        if (!isOp(plusOne, "Add"))
            continue;
        const auto one = scalarConstant(context, otherInput(plusOne->proto, erf->proto.output(0)));
        if (!one || !near(*one, 1.0f))
            continue;
        // (1 + erf) * x, then * 0.5 — or (1 + erf) * (x * 0.5).
        PlannedNode *product = soleReader(nodes, context, plusOne->proto.output(0));
        if (!isOp(product, "Mul"))
            continue;
        const std::string partner = otherInput(product->proto, plusOne->proto.output(0));
        PlannedNode *last = nullptr;
        PlannedNode *halfOfX = nullptr;
        if (partner == x) {
            last = soleReader(nodes, context, product->proto.output(0));
            if (!isOp(last, "Mul"))
                continue;
            const auto half = scalarConstant(context, otherInput(last->proto, product->proto.output(0)));
            if (!half || !near(*half, 0.5f))
                continue;
        } else if (auto producer = context.producerOf.find(partner);
                   producer != context.producerOf.end()) {
            halfOfX = &nodes[producer->second];
            if (!isOp(halfOfX, "Mul") || otherInput(halfOfX->proto, x).empty()
                || context.readers[partner] != 1)
                continue;
            const auto half = scalarConstant(context, otherInput(halfOfX->proto, x));
            if (!half || !near(*half, 0.5f))
                continue;
            last = product;
        } else {
            continue;
        }
        first.proto.clear_input();
        first.proto.add_input(x);
        context.readers[x] -= 1; // two of the pattern's nodes read x; the Gelu alone does now
        first.proto.set_op_type("Gelu");
        first.proto.set_domain(kFusedDomain);
        for (PlannedNode *node : {erf, plusOne, halfOfX}) {
            if (node && node != last) {
                first.fusedNames += fusedLabel(*node);
                node->removed = true;
            }
        }
        if (last != product) {
            first.fusedNames += fusedLabel(*product);
            product->removed = true;
        }
        absorb(nodes, context, first, *last);
    }
    return Status::ok();
}

Status fuseMatMulBias(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &matmul : nodes) {
        if (!isOp(&matmul, "MatMul") || matmul.activation || matmul.proto.input_size() != 2)
            continue;
        const Tensor *b = context.constant(matmul.proto.input(1));
        if (!b || b->dtype() != DType::Float32 || b->rank() != 2)
            continue;
        if (!producesFloat32(matmul, context))
            continue;
        PlannedNode *add = soleReader(nodes, context, matmul.proto.output(0));
        if (!isOp(add, "Add"))
            continue;
        const std::string biasName = otherInput(add->proto, matmul.proto.output(0));
        const Tensor *bias = context.constant(biasName);
        if (!bias || bias->dtype() != DType::Float32 || bias->rank() != 1
            || bias->dim(0) != b->dim(1))
            continue;
        matmul.proto.add_input(biasName);
        absorb(nodes, context, matmul, *add);
    }
    return Status::ok();
}

Status fusePostAffine(std::vector<PlannedNode> &nodes, FusionContext &context)
{
    for (PlannedNode &producer : nodes) {
        const std::string &op = producer.proto.op_type();
        if (producer.removed || !isDefault(producer.proto) || producer.proto.output_size() != 1)
            continue;
        if (op != "Conv" && op != "ConvTranspose" && op != "Gemm" && op != "MatMul")
            continue;
        if (!producesFloat32(producer, context))
            continue;
        for (;;) {
            const std::string &output = producer.proto.output(0);
            PlannedNode *next = soleReader(nodes, context, output);
            const bool isMul = isOp(next, "Mul"), isAdd = isOp(next, "Add");
            if (!isMul && !isAdd)
                break;
            const auto value = scalarConstant(context, otherInput(next->proto, output));
            if (!value)
                break;
            FusedActivation activation = producer.activation.value_or(
                FusedActivation{FusedActivation::Kind::None});
            if (isMul) {
                activation.postScale *= *value;
                activation.postShift *= *value;
            } else {
                activation.postShift += *value;
            }
            producer.activation = activation;
            absorb(nodes, context, producer, *next);
        }
    }
    return Status::ok();
}

} // namespace qs
