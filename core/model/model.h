#pragma once
// A loaded ONNX model: the protobuf (ONNX's own classes from libonnx), its external data mapped
// read-only, the graph index and the diagnostics found while loading. Immutable once built and
// shared as std::shared_ptr<const Model>, so the GUI and workers can hold it without locks.

#include "util/diagnostic.h"
#include "util/mapped_file.h"
#include "util/progress.h"
#include "util/status.h"

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace onnx {
class ModelProto;
class TensorProto;
} // namespace onnx

namespace qs {

class GraphIndex;

class Model
{
public:
    // Reads `path` (a .onnx file), resolves external data relative to its folder, validates with
    // ONNX's checker (findings become diagnostics: a model that fails it still opens), runs
    // shape inference and indexes the graph.
    static Result<std::shared_ptr<const Model>> load(const std::string &path,
                                                     Progress &progress = silentProgress());

    // For models built in code: `baseDir` is where external data locations are resolved.
    static Result<std::shared_ptr<const Model>> fromProto(onnx::ModelProto proto,
                                                          const std::string &baseDir,
                                                          Progress &progress = silentProgress());

    // A model file's bytes already in memory (the fuzz target's input), checked as load checks
    // a file; `baseDir` as for fromProto, and fileBytes() is 0 as for fromProto.
    static Result<std::shared_ptr<const Model>> fromBytes(std::string_view bytes,
                                                          const std::string &baseDir,
                                                          Progress &progress = silentProgress());

    ~Model();

    const onnx::ModelProto &proto() const { return *m_proto; }
    const GraphIndex &index() const { return *m_index; }
    const std::vector<Diagnostic> &diagnostics() const { return m_diagnostics; }

    const std::string &path() const { return m_path; }       // empty for models built in code
    const std::string &baseDir() const { return m_baseDir; } // where external data lives
    uint64_t fileBytes() const { return m_fileBytes; }       // model file + its external data

    // The opset version of `domain` ("" and "ai.onnx" are the same); 0 when not imported.
    int opsetVersion(const std::string &domain) const;

    // The stored bytes of a tensor: its raw_data, or its slice of a mapped external file.
    // Empty for tensors that keep their values in typed fields (float_data, ...).
    std::span<const std::byte> rawBytes(const onnx::TensorProto &tensor) const;

private:
    Model();
    Status resolveExternalData();
    void runChecker();
    void inferShapes();

    std::unique_ptr<onnx::ModelProto> m_proto;
    // A copy of the model without large tensor data, annotated by ONNX shape inference. Kept
    // apart so that inferred value_info never leaks into files we save from m_proto.
    std::unique_ptr<onnx::ModelProto> m_annotated;
    std::unique_ptr<GraphIndex> m_index;
    std::vector<Diagnostic> m_diagnostics;
    std::string m_path;
    std::string m_baseDir;
    uint64_t m_fileBytes = 0;

    struct ExternalSlice
    {
        std::shared_ptr<const MappedFile> file;
        size_t offset = 0;
        size_t length = 0;
    };
    std::map<const onnx::TensorProto *, ExternalSlice> m_externalSlices;
};

// Is the tensor's data stored outside the model file?
bool hasExternalData(const onnx::TensorProto &tensor);

// Visits every TensorProto of a model: initializers and tensor attributes, in every graph.
void forEachTensor(onnx::ModelProto &model, const std::function<void(onnx::TensorProto &)> &visit);
void forEachTensor(const onnx::ModelProto &model,
                   const std::function<void(const onnx::TensorProto &)> &visit);

} // namespace qs
