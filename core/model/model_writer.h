#pragma once
// Saving ONNX models: atomically (temp file, then rename) and with external data when the
// model would pass protobuf's 2 GB limit or when asked.

#include "util/status.h"

#include <cstdint>
#include <string>

namespace onnx {
class ModelProto;
}

namespace qs {

enum class ExternalDataPolicy {
    Auto,   // external only when the file would pass 2 GB
    Always, // every tensor of at least `externalThresholdBytes` goes to the data file
    Never,  // everything inline; an error when that cannot fit in one protobuf
};

struct SaveOptions
{
    ExternalDataPolicy externalData = ExternalDataPolicy::Auto;
    int64_t externalThresholdBytes = 1024;
};

// Writes `proto` to `path`. Tensors already stored externally are read from `sourceDir` (the
// folder of the model `proto` came from). The data file, when written, is "<file name>.data"
// beside `path`.
Status saveModel(onnx::ModelProto proto, const std::string &path, const SaveOptions &options,
                 const std::string &sourceDir);

} // namespace qs
