// libFuzzer target (QS_FUZZ, `make fuzz`): any bytes as a model file, through everything opening
// a model does (protobuf parse, ONNX's checker, ONNX's shape inference on the weight-free copy,
// the graph index with its types, names and MACs), the summary `inspect` prints, and the engine's
// session creation (kernels resolved per opset, attributes validated, weights prepared, memory
// planned), which every command that runs a model starts with. Anything may fail with a Status;
// nothing may crash or trip ASan/UBSan. Seeds: the ONNX backend-test models
// (tests/fuzz/run_fuzzer.sh); inputs it once crashed on are kept in tests/fuzz/regressions/.
#include "model/graph_index.h"
#include "model/model.h"
#include "model/model_summary.h"
#include "runtime/session.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The folder for external data: nothing exists there, so such tensors fail to load.
    auto model = qs::Model::fromBytes(std::string_view(reinterpret_cast<const char *>(data), size),
                                      "/nonexistent-quantscope-fuzz");
    if (!model)
        return 0;
    const qs::ModelSummary summary = qs::summarize(**model);
    // Reading every node's facts walks what the index built (names, types, attributes, MACs).
    // Unsigned: MAC counts of a hostile model may be huge, and their sum is only a sink.
    uint64_t facts = static_cast<uint64_t>(summary.totalMacs);
    for (const qs::NodeInfo &node : (*model)->index().nodes())
        facts += static_cast<uint64_t>(node.macs.value_or(0)) + node.attributes.size();
    // One thread: the fuzzer's process runs inputs back to back, and a thread pool per input
    // would only add noise to its coverage.
    auto session = qs::Session::create(*model, qs::sessionOptions(/*threads=*/1));
    if (session)
        facts += (*session)->inputs().size() + (*session)->outputs().size();
    volatile uint64_t sink = facts;
    (void) sink;
    return 0;
}
