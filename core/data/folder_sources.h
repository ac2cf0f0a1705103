#pragma once
// The three kinds of data folder behind openDataFolder (sample_source.cpp decides which one a
// folder is): images, one .npy/.pb file per sample, or one sub-folder per sample. Paths come in
// already listed and sorted, so each source only reads.

#include "data/sample_source.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

// Each image one sample for the model's single 4-D float input. Unreadable images are skipped
// (a warning in skipped()); a folder where none is usable makes next() fail.
Result<std::unique_ptr<SampleSource>> openImageFolder(const std::string &dir,
                                                      std::vector<std::string> files,
                                                      const std::vector<InputSpec> &inputs,
                                                      const quantscope::ImagePreprocessing &prep,
                                                      int64_t maxSamples);

// Each .npy or TensorProto .pb file one sample for a single-input model.
Result<std::unique_ptr<SampleSource>> openTensorFileFolder(const std::string &dir,
                                                           std::vector<std::string> files,
                                                           const std::vector<InputSpec> &inputs,
                                                           int64_t maxSamples);

// Each sub-folder one sample: `<input name>.npy|.pb`, or the backend tests' `input_<N>.pb`
// (N the input's position, unless the TensorProto's name field names the input).
Result<std::unique_ptr<SampleSource>> openSampleFolders(const std::string &dir,
                                                        std::vector<std::string> folders,
                                                        const std::vector<InputSpec> &inputs,
                                                        int64_t maxSamples);

// Reads one sample folder (the layout of openSampleFolders). A missing input is an error naming
// the folder and the input.
Result<std::map<std::string, Tensor>> readSampleFolder(const std::string &folder,
                                                       const std::vector<InputSpec> &inputs);

// N when `fileName` is `<prefix>N.pb` or `<prefix>N.npy` (the backend tests' input_0.pb,
// output_0.pb), else nothing.
std::optional<size_t> backendTestIndex(const std::string &fileName, std::string_view prefix);

// "a, b": the inputs' names, for messages.
std::string inputNames(const std::vector<InputSpec> &inputs);

// The data fits the input: same element type, same rank, equal dims where the input's are not
// -1 (any shape when the model declares none). The error names `file`, the actual shape and
// the input with its shape.
Status checkTensorFits(const std::string &file, const Tensor &tensor, const InputSpec &input);

} // namespace qs
