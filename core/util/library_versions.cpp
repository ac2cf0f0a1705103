#include "util/library_versions.h"

#include <Eigen/Core>
#include <QtGlobal>
#include <google/protobuf/stubs/common.h>
#include <oneapi/dnnl/dnnl.h>
#include <onnx/common/version.h>

namespace qs {

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    const dnnl_version_t *dnnl = dnnl_version();
    return {
        {"Quantscope", QUANTSCOPE_VERSION},
        // The Qt library loaded at run time (qVersion), which may be newer than the headers.
        {"Qt", qVersion()},
        {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)},
        {"ONNX", ONNX_NAMESPACE::LAST_RELEASE_VERSION},
        {"oneDNN", std::to_string(dnnl->major) + "." + std::to_string(dnnl->minor) + "."
                       + std::to_string(dnnl->patch)},
        {"Eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION)
                      + "." + std::to_string(EIGEN_MINOR_VERSION)},
    };
}

} // namespace qs
