#pragma once
// Can cosine and SQNR see a variant's error on this output at all? Not when the reference output
// barely moves (constant) or sits at the bounds of a saturating function (a sigmoid of large
// logits): DeepFM on random inputs showed cosine 1.00000 and 180 dB at its sigmoid output while
// its tensors inside were at ~35 dB (issue 16). The reference's values are accumulated over the
// samples (ValueSpread), judged by judgeSensitivity(), and the findings become report warnings
// (outputSensitivityDiagnostics). The rules and their thresholds are explained in the .cpp.
#include "quantscope.pb.h"
#include "tensor/tensor.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace qs {

class GraphIndex;

// The range a saturating op cannot leave (Sigmoid: 0..1, Tanh: -1..1) and the op's type.
struct OutputBounds
{
    double lower = 0;
    double upper = 1;
    std::string opType;
    std::string node; // display name of the saturating node
};

// The bounds of the saturating op that produces a main-graph output, looking back through ops
// that only move values (Reshape, Squeeze, Transpose...); nullopt for any other producer.
std::optional<OutputBounds> saturatingBounds(const GraphIndex &index, const std::string &output);

// Mean, spread and share of values at the bounds of one tensor over every sample, without
// keeping the values (Welford's update, stable for large counts).
class ValueSpread
{
public:
    explicit ValueSpread(std::optional<OutputBounds> bounds = std::nullopt);

    void add(const Tensor &values); // any numeric dtype; non-finite values are skipped
    void add(std::span<const double> values);

    int64_t count() const { return m_count; }
    double mean() const { return m_mean; }
    double standardDeviation() const;
    // Share of the values within kBoundTolerance of the range of a bound; 0 without bounds.
    double atBoundsFraction() const;
    const std::optional<OutputBounds> &bounds() const { return m_bounds; }

private:
    void addValue(double value);

    std::optional<OutputBounds> m_bounds;
    int64_t m_count = 0;
    int64_t m_atBounds = 0;
    double m_mean = 0;
    double m_squares = 0; // sum of squared deviations from the running mean
};

enum class OutputSensitivity { Sensitive, Constant, Saturated };

OutputSensitivity judgeSensitivity(const ValueSpread &spread);

// Warnings for the report: per reference output that is constant or saturated, and per variant
// whose output SQNR is far above the SQNR of its tensors inside (with per-node error), which is
// what a saturated output looks like from the variant's side.
std::vector<quantscope::BenchDiagnostic> outputSensitivityDiagnostics(
    const std::vector<std::pair<std::string, ValueSpread>> &referenceOutputs,
    const quantscope::Report &report);

} // namespace qs
