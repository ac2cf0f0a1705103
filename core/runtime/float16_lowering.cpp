#include "runtime/float16_lowering.h"

#include "model/model.h"
#include "tensor/tensor_io.h"

#include <Eigen/Core>

#include <algorithm>
#include <string>

namespace qs {

namespace {

constexpr int32_t kFloat16 = onnx::TensorProto_DataType_FLOAT16;
constexpr int32_t kFloat = onnx::TensorProto_DataType_FLOAT;

// Int attributes that name an element type: Cast's `to`, and `dtype` (RandomNormal,
// RandomUniform(Like), EyeLike, Multinomial, Bernoulli, SequenceEmpty...). CastLike has no such
// attribute: its target type comes from its second input, which is lowered like any value.
bool isElementTypeAttribute(const onnx::NodeProto &node, const onnx::AttributeProto &attribute)
{
    if (!attribute.has_i())
        return false;
    return attribute.name() == "dtype" || (node.op_type() == "Cast" && attribute.name() == "to");
}

// "node 'conv_3' (Conv)", or "node #3 (Conv)" for an unnamed node.
std::string describeNode(const onnx::NodeProto &node, int index)
{
    std::string label = "node ";
    if (node.name().empty())
        label.append("#").append(std::to_string(index));
    else
        label.append("'").append(node.name()).append("'");
    return label.append(" (").append(node.op_type()).append(")");
}

// ---- Detection ----

bool typeUsesFloat16(const onnx::TypeProto &type)
{
    switch (type.value_case()) {
    case onnx::TypeProto::kTensorType: return type.tensor_type().elem_type() == kFloat16;
    case onnx::TypeProto::kSparseTensorType:
        return type.sparse_tensor_type().elem_type() == kFloat16;
    case onnx::TypeProto::kSequenceType:
        return type.sequence_type().has_elem_type()
               && typeUsesFloat16(type.sequence_type().elem_type());
    case onnx::TypeProto::kOptionalType:
        return type.optional_type().has_elem_type()
               && typeUsesFloat16(type.optional_type().elem_type());
    case onnx::TypeProto::kMapType:
        return type.map_type().has_value_type() && typeUsesFloat16(type.map_type().value_type());
    default: return false;
    }
}

bool valuesUseFloat16(const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &values)
{
    return std::any_of(values.begin(), values.end(), [](const onnx::ValueInfoProto &value) {
        return value.has_type() && typeUsesFloat16(value.type());
    });
}

bool graphUsesFloat16(const onnx::GraphProto &graph);

bool nodeUsesFloat16(const onnx::NodeProto &node)
{
    for (const onnx::AttributeProto &attribute : node.attribute()) {
        if (isElementTypeAttribute(node, attribute) && attribute.i() == kFloat16)
            return true;
        if (attribute.has_t() && attribute.t().data_type() == kFloat16)
            return true;
        for (const onnx::TensorProto &tensor : attribute.tensors()) {
            if (tensor.data_type() == kFloat16)
                return true;
        }
        if (attribute.has_sparse_tensor()
            && attribute.sparse_tensor().values().data_type() == kFloat16)
            return true;
        for (const onnx::SparseTensorProto &sparse : attribute.sparse_tensors()) {
            if (sparse.values().data_type() == kFloat16)
                return true;
        }
        if (attribute.has_g() && graphUsesFloat16(attribute.g()))
            return true;
        for (const onnx::GraphProto &subgraph : attribute.graphs()) {
            if (graphUsesFloat16(subgraph))
                return true;
        }
    }
    return false;
}

bool graphUsesFloat16(const onnx::GraphProto &graph)
{
    for (const onnx::TensorProto &tensor : graph.initializer()) {
        if (tensor.data_type() == kFloat16)
            return true;
    }
    for (const onnx::SparseTensorProto &sparse : graph.sparse_initializer()) {
        if (sparse.values().data_type() == kFloat16)
            return true;
    }
    if (valuesUseFloat16(graph.input()) || valuesUseFloat16(graph.output())
        || valuesUseFloat16(graph.value_info()))
        return true;
    return std::any_of(graph.node().begin(), graph.node().end(), nodeUsesFloat16);
}

// ---- Lowering ----

void lowerType(onnx::TypeProto &type)
{
    switch (type.value_case()) {
    case onnx::TypeProto::kTensorType:
        if (type.tensor_type().elem_type() == kFloat16)
            type.mutable_tensor_type()->set_elem_type(kFloat);
        break;
    case onnx::TypeProto::kSparseTensorType:
        if (type.sparse_tensor_type().elem_type() == kFloat16)
            type.mutable_sparse_tensor_type()->set_elem_type(kFloat);
        break;
    case onnx::TypeProto::kSequenceType:
        if (type.sequence_type().has_elem_type())
            lowerType(*type.mutable_sequence_type()->mutable_elem_type());
        break;
    case onnx::TypeProto::kOptionalType:
        if (type.optional_type().has_elem_type())
            lowerType(*type.mutable_optional_type()->mutable_elem_type());
        break;
    case onnx::TypeProto::kMapType:
        if (type.map_type().has_value_type())
            lowerType(*type.mutable_map_type()->mutable_value_type());
        break;
    default: break;
    }
}

void lowerValues(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &values)
{
    for (onnx::ValueInfoProto &value : values) {
        if (value.has_type())
            lowerType(*value.mutable_type());
    }
}

// Walks the original and its copy side by side: they have the same structure, and the original's
// tensors are the ones a loaded Model can resolve external data for.
class Float16Lowering
{
public:
    explicit Float16Lowering(std::shared_ptr<const Model> dataSource)
        : m_dataSource(std::move(dataSource))
    {}

    Status lowerGraph(const onnx::GraphProto &original, onnx::GraphProto &lowered)
    {
        for (int i = 0; i < original.initializer_size(); ++i) {
            const onnx::TensorProto &tensor = original.initializer(i);
            QS_RETURN_IF_ERROR(lowerTensor(tensor, *lowered.mutable_initializer(i),
                                           "initializer '" + tensor.name() + "'"));
        }
        for (int i = 0; i < original.sparse_initializer_size(); ++i) {
            const onnx::TensorProto &values = original.sparse_initializer(i).values();
            QS_RETURN_IF_ERROR(lowerTensor(values,
                                           *lowered.mutable_sparse_initializer(i)->mutable_values(),
                                           "sparse initializer '" + values.name() + "'"));
        }
        lowerValues(*lowered.mutable_input());
        lowerValues(*lowered.mutable_output());
        lowerValues(*lowered.mutable_value_info());
        return lowerNodes(original.node(), *lowered.mutable_node());
    }

    Status lowerNodes(const google::protobuf::RepeatedPtrField<onnx::NodeProto> &original,
                      google::protobuf::RepeatedPtrField<onnx::NodeProto> &lowered)
    {
        for (int i = 0; i < original.size(); ++i) {
            Status status = lowerNode(original.Get(i), *lowered.Mutable(i));
            if (!status)
                return status.withContext(describeNode(original.Get(i), i));
        }
        return Status::ok();
    }

private:
    Status lowerNode(const onnx::NodeProto &original, onnx::NodeProto &lowered)
    {
        for (int a = 0; a < original.attribute_size(); ++a) {
            const onnx::AttributeProto &attribute = original.attribute(a);
            onnx::AttributeProto &target = *lowered.mutable_attribute(a);
            const std::string what = "attribute '" + attribute.name() + "'";
            if (isElementTypeAttribute(original, attribute) && attribute.i() == kFloat16)
                target.set_i(kFloat);
            if (attribute.has_t())
                QS_RETURN_IF_ERROR(lowerTensor(attribute.t(), *target.mutable_t(), what));
            for (int t = 0; t < attribute.tensors_size(); ++t)
                QS_RETURN_IF_ERROR(
                    lowerTensor(attribute.tensors(t), *target.mutable_tensors(t), what));
            if (attribute.has_sparse_tensor()) {
                QS_RETURN_IF_ERROR(lowerTensor(attribute.sparse_tensor().values(),
                                               *target.mutable_sparse_tensor()->mutable_values(),
                                               what));
            }
            for (int t = 0; t < attribute.sparse_tensors_size(); ++t) {
                QS_RETURN_IF_ERROR(lowerTensor(attribute.sparse_tensors(t).values(),
                                               *target.mutable_sparse_tensors(t)->mutable_values(),
                                               what));
            }
            if (attribute.has_g()) {
                Status status = lowerGraph(attribute.g(), *target.mutable_g());
                if (!status)
                    return status.withContext("subgraph " + what);
            }
            for (int g = 0; g < attribute.graphs_size(); ++g) {
                Status status = lowerGraph(attribute.graphs(g), *target.mutable_graphs(g));
                if (!status)
                    return status.withContext("subgraph " + what);
            }
        }
        return Status::ok();
    }

    // Decodes through tensorFromProto, so every storage the engine reads (raw_data, the float16
    // bits in int32_data, mapped external data) is handled in one place.
    Status lowerTensor(const onnx::TensorProto &original, onnx::TensorProto &lowered,
                       const std::string &what)
    {
        if (original.data_type() != kFloat16)
            return Status::ok();
        if (hasExternalData(original) && !m_dataSource) {
            return unsupported(what
                               + " is float16 stored as external data; converting it to "
                                 "float32 needs the loaded model to read it from");
        }
        Result<Tensor> half = tensorFromProto(original, m_dataSource);
        if (!half)
            return half.status().withContext(what);
        const Tensor wide = convertFloat16ToFloat32(*half);
        lowered.clear_int32_data();
        lowered.clear_raw_data();
        lowered.clear_external_data();
        lowered.clear_data_location();
        tensorToProto(wide, lowered);
        return Status::ok();
    }

    std::shared_ptr<const Model> m_dataSource;
};

template<typename From, typename To>
Tensor convertElements(const Tensor &tensor, int threads)
{
    Tensor converted = Tensor::allocate(DTypeOf<To>::value, tensor.shape());
    const From *source = tensor.data<From>();
    To *destination = converted.mutableData<To>();
    const int64_t count = tensor.elementCount();
    // Chunks keep each Eigen expression vectorized (F16C) and give OpenMP work to share.
    constexpr int64_t kChunk = 1 << 14;
    const int64_t chunks = (count + kChunk - 1) / kChunk;
#pragma omp parallel for num_threads(std::max(1, threads)) if (count > 4 * kChunk)
    for (int64_t c = 0; c < chunks; ++c) {
        const int64_t begin = c * kChunk;
        const int64_t length = std::min(kChunk, count - begin);
        Eigen::Map<Eigen::Array<To, Eigen::Dynamic, 1>>(destination + begin, length)
            = Eigen::Map<const Eigen::Array<From, Eigen::Dynamic, 1>>(source + begin, length)
                  .template cast<To>();
    }
    return converted;
}

} // namespace

bool usesFloat16(const onnx::ModelProto &model)
{
    if (graphUsesFloat16(model.graph()))
        return true;
    for (const onnx::FunctionProto &function : model.functions()) {
        if (std::any_of(function.node().begin(), function.node().end(), nodeUsesFloat16))
            return true;
    }
    return false;
}

Result<onnx::ModelProto> lowerFloat16ToFloat32(const onnx::ModelProto &model,
                                               std::shared_ptr<const Model> dataSource)
{
    onnx::ModelProto lowered = model;
    Float16Lowering lowering(std::move(dataSource));
    QS_RETURN_IF_ERROR(lowering.lowerGraph(model.graph(), *lowered.mutable_graph()));
    for (int f = 0; f < model.functions_size(); ++f) {
        const onnx::FunctionProto &function = model.functions(f);
        Status status = lowering.lowerNodes(function.node(),
                                            *lowered.mutable_functions(f)->mutable_node());
        if (!status)
            return status.withContext("function '" + function.name() + "'");
    }
    return lowered;
}

Tensor convertFloat16ToFloat32(const Tensor &tensor, int threads)
{
    if (tensor.dtype() != DType::Float16)
        return tensor;
    return convertElements<Eigen::half, float>(tensor, threads);
}

Tensor convertFloat32ToFloat16(const Tensor &tensor, int threads)
{
    if (tensor.dtype() != DType::Float32)
        return tensor;
    return convertElements<float, Eigen::half>(tensor, threads);
}

} // namespace qs
