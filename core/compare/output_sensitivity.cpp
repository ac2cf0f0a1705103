#include "compare/output_sensitivity.h"

#include "model/graph_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace qs {

namespace {

// The rules. Each threshold is where the printed figures stop telling anything.
//
// Constant: the reference's standard deviation over every element and sample is at most
// kConstantRelativeSpread of its mean's magnitude. With a relative spread r, a variant whose error
// is as large as the output's whole variation still scores SQNR >= -20 log10(r) = 60 dB and
// cosine >= 1 - r^2/2 = 0.9999995, which prints as 1.00000: the common offset hides the error.
constexpr double kConstantRelativeSpread = 1e-3;
// Saturated: at least kSaturatedShare of the values lie within kBoundTolerance (of the range)
// of a bound of the saturating op that produces the output. There a sigmoid's slope is below
// 1e-3 (tanh's below 4e-3): an error in its input reaches the output 1000x (60 dB) smaller, so
// the output agrees whatever the variant did before it. 95% leaves the few unsaturated values too
// little weight in the sums that make cosine and SQNR.
constexpr double kBoundTolerance = 1e-3;
constexpr double kSaturatedShare = 0.95;
// Hidden error (with per-node error): the variant's output SQNR is at least kHiddenErrorDb above
// the median SQNR of its tensors inside. Quantization error grows or stays along a network; a
// 1000x (30 dB) drop of its power at the output takes a function that flattens it.
constexpr double kHiddenErrorDb = 30.0;

// Ops that pass values through unchanged, only moved: the output is what the op before them made.
bool movesValuesOnly(const std::string &opType)
{
    static const std::set<std::string> ops = {"Identity",  "Reshape", "Squeeze",
                                              "Unsqueeze", "Flatten", "Transpose"};
    return ops.count(opType) > 0;
}

// Softmax is left out on purpose: most classes of a many-class softmax sit near 0 on any input,
// which is not saturation (top-1 agreement judges those outputs). Clip (ReLU6) would need its
// bounds read from constant inputs; it is not handled yet.
std::optional<OutputBounds> boundsOf(const std::string &opType)
{
    if (opType == "Sigmoid" || opType == "HardSigmoid")
        return OutputBounds{0.0, 1.0, opType, {}};
    if (opType == "Tanh" || opType == "Softsign")
        return OutputBounds{-1.0, 1.0, opType, {}};
    return std::nullopt;
}

std::string formatNumber(double value, const char *format = "%.3g")
{
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

quantscope::BenchDiagnostic warning(const std::string &code, std::vector<std::string> args,
                                    const std::string &message)
{
    quantscope::BenchDiagnostic diagnostic;
    diagnostic.set_severity("warning");
    diagnostic.set_code(code);
    for (auto &arg : args)
        diagnostic.add_args(std::move(arg));
    diagnostic.set_message(message);
    return diagnostic;
}

const char *const kRealDataAdvice = " Compare on real data (--data) to judge this output.";

quantscope::BenchDiagnostic referenceFinding(const std::string &output, const ValueSpread &spread,
                                             OutputSensitivity sensitivity)
{
    quantscope::BenchDiagnostic diagnostic;
    if (sensitivity == OutputSensitivity::Constant) {
        const std::string mean = formatNumber(spread.mean());
        const std::string deviation = formatNumber(spread.standardDeviation());
        diagnostic = warning("constant_output", {output, mean, deviation},
                             "output '" + output + "' is (nearly) constant on these inputs (mean "
                                 + mean + ", standard deviation " + deviation
                                 + "): cosine and SQNR cannot see a variant's error there."
                                 + kRealDataAdvice);
    } else {
        const OutputBounds &bounds = *spread.bounds();
        const std::string share = formatNumber(100.0 * spread.atBoundsFraction(), "%.0f");
        const std::string lower = formatNumber(bounds.lower), upper = formatNumber(bounds.upper);
        diagnostic = warning("saturated_output", {output, bounds.opType, share, lower, upper},
                             "output '" + output + "' is saturated: " + share
                                 + "% of its values sit at the bounds of " + bounds.opType + " ("
                                 + lower + " or " + upper
                                 + "), where errors made before it vanish; cosine and SQNR are "
                                   "insensitive there."
                                 + kRealDataAdvice);
        diagnostic.set_node(bounds.node);
    }
    diagnostic.set_output(output);
    return diagnostic;
}

// The median SQNR of the tensors a variant computes inside (not its outputs), over the finite
// ones; nullopt when per-node error was off or every tensor is exact.
std::optional<double> medianInsideSqnr(const quantscope::VariantReport &variant)
{
    std::set<std::string> outputs;
    for (const auto &output : variant.outputs())
        outputs.insert(output.name());
    std::vector<double> values;
    for (const auto &error : variant.per_node())
        if (std::isfinite(error.sqnr_db()) && !outputs.count(error.tensor()))
            values.push_back(error.sqnr_db());
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

std::optional<OutputBounds> saturatingBounds(const GraphIndex &index, const std::string &output)
{
    std::string value = output;
    // A bounded walk: a graph has no cycles, but a malformed one should not hang the report.
    for (size_t step = 0; step <= index.nodes().size(); ++step) {
        const NodeInfo *producer = index.producer(0, value);
        if (!producer || producer->inputs.empty())
            return std::nullopt;
        if (auto bounds = boundsOf(producer->opType)) {
            bounds->node = producer->displayName;
            return bounds;
        }
        if (!movesValuesOnly(producer->opType))
            return std::nullopt;
        value = producer->inputs.front().name;
    }
    return std::nullopt;
}

ValueSpread::ValueSpread(std::optional<OutputBounds> bounds)
    : m_bounds(std::move(bounds))
{}

void ValueSpread::add(const Tensor &values)
{
    if (values.dtype() == DType::Float32) {
        const float *data = values.data<float>();
        for (int64_t i = 0; i < values.elementCount(); ++i)
            addValue(data[i]);
        return;
    }
    for (int64_t i = 0; i < values.elementCount(); ++i)
        addValue(values.doubleAt(i));
}

void ValueSpread::add(std::span<const double> values)
{
    for (const double value : values)
        addValue(value);
}

void ValueSpread::addValue(double value)
{
    if (!std::isfinite(value))
        return;
    ++m_count;
    const double delta = value - m_mean;
    m_mean += delta / double(m_count);
    m_squares += delta * (value - m_mean);
    if (m_bounds) {
        const double tolerance = kBoundTolerance * (m_bounds->upper - m_bounds->lower);
        if (value <= m_bounds->lower + tolerance || value >= m_bounds->upper - tolerance)
            ++m_atBounds;
    }
}

double ValueSpread::standardDeviation() const
{
    return m_count > 1 ? std::sqrt(m_squares / double(m_count)) : 0.0;
}

double ValueSpread::atBoundsFraction() const
{
    return m_count ? double(m_atBounds) / double(m_count) : 0.0;
}

OutputSensitivity judgeSensitivity(const ValueSpread &spread)
{
    // One value has no spread to judge (and cosine over one value is its sign only).
    if (spread.count() < 2)
        return OutputSensitivity::Sensitive;
    if (spread.bounds() && spread.atBoundsFraction() >= kSaturatedShare)
        return OutputSensitivity::Saturated;
    if (spread.standardDeviation() <= kConstantRelativeSpread * std::fabs(spread.mean()))
        return OutputSensitivity::Constant;
    return OutputSensitivity::Sensitive;
}

std::vector<quantscope::BenchDiagnostic> outputSensitivityDiagnostics(
    const std::vector<std::pair<std::string, ValueSpread>> &referenceOutputs,
    const quantscope::Report &report)
{
    std::vector<quantscope::BenchDiagnostic> diagnostics;
    for (const auto &[output, spread] : referenceOutputs) {
        const OutputSensitivity sensitivity = judgeSensitivity(spread);
        if (sensitivity != OutputSensitivity::Sensitive)
            diagnostics.push_back(referenceFinding(output, spread, sensitivity));
    }
    // variants[0] is the reference against itself: exact everywhere.
    for (int v = 1; v < report.variants_size(); ++v) {
        const quantscope::VariantReport &variant = report.variants(v);
        const std::optional<double> inside = medianInsideSqnr(variant);
        if (!inside)
            continue;
        for (const auto &output : variant.outputs()) {
            if (output.sqnr_db() < *inside + kHiddenErrorDb)
                continue;
            const std::string outputDb = formatNumber(output.sqnr_db(), "%.1f");
            const std::string insideDb = formatNumber(*inside, "%.1f");
            auto diagnostic
                = warning("hidden_error", {output.name(), variant.path(), outputDb, insideDb},
                          variant.path() + ": output '" + output.name() + "' is at " + outputDb
                              + " dB SQNR while the tensors inside are at " + insideDb
                              + " dB (median): the output hides the error made before it."
                              + kRealDataAdvice);
            diagnostic.set_output(output.name());
            diagnostic.add_variants(variant.path());
            diagnostics.push_back(std::move(diagnostic));
        }
    }
    return diagnostics;
}

} // namespace qs
