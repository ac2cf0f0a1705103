#pragma once
// x * Clip(x + 3, 0, 6) / 6, as exporters decompose HardSwish, becomes one HardSwish node: ONNX's
// from opset 14, below that the engine's own (kFusedDomain, only where the context allows
// internal ops). One op instead of four is one value to quantize instead of four, and one kernel
// (or an activation fused into the conv before it) instead of four. The node sits where the Add
// was and takes the name of the node that ended the pattern.
#include "graph/pass.h"

namespace qs {

class RecognizeHardSwish : public GraphPass
{
public:
    std::string_view name() const override { return "RecognizeHardSwish"; }
    Result<bool> apply(Graph &graph, PassContext &context) override;
};

} // namespace qs
