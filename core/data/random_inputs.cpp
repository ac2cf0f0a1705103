#include "data/random_inputs.h"

#include <Eigen/Core>

#include <algorithm>

namespace qs {

namespace {

template<typename T>
void fillUniformReal(Tensor &tensor, std::mt19937_64 &generator)
{
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (T &value : tensor.mutableValues<T>())
        value = T(uniform(generator));
}

template<typename T>
void fillUniformInteger(Tensor &tensor, std::mt19937_64 &generator)
{
    std::uniform_int_distribution<int64_t> uniform(0, kRandomIntegerBound - 1);
    for (T &value : tensor.mutableValues<T>())
        value = static_cast<T>(uniform(generator));
}

} // namespace

Result<Tensor> randomTensor(DType type, const Shape &shape, std::mt19937_64 &generator)
{
    // A dynamic dim left at -1 would make a bogus allocation size; the caller resolves it.
    if (std::any_of(shape.begin(), shape.end(), [](int64_t dim) { return dim < 0; }))
        return invalidArgument("cannot make random values of unresolved shape "
                               + shapeToString(shape));
    QS_RETURN_IF_ERROR(checkAllocatable(type, shape, "random values"));
    Tensor tensor = Tensor::allocate(type, shape);
    switch (type) {
    case DType::Float32: fillUniformReal<float>(tensor, generator); break;
    case DType::Float64: fillUniformReal<double>(tensor, generator); break;
    case DType::Float16: fillUniformReal<Eigen::half>(tensor, generator); break;
    case DType::BFloat16: fillUniformReal<Eigen::bfloat16>(tensor, generator); break;
    case DType::Int8: fillUniformInteger<int8_t>(tensor, generator); break;
    case DType::UInt8: fillUniformInteger<uint8_t>(tensor, generator); break;
    case DType::Int16: fillUniformInteger<int16_t>(tensor, generator); break;
    case DType::UInt16: fillUniformInteger<uint16_t>(tensor, generator); break;
    case DType::Int32: fillUniformInteger<int32_t>(tensor, generator); break;
    case DType::Int64: fillUniformInteger<int64_t>(tensor, generator); break;
    case DType::Bool: {
        std::bernoulli_distribution coin(0.5);
        for (bool &value : tensor.mutableValues<bool>())
            value = coin(generator);
        break;
    }
    default:
        return invalidArgument(std::string("cannot make random values of type ") + dtypeName(type));
    }
    return tensor;
}

} // namespace qs
