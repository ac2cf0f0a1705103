#pragma once
// The engine's fusion: the ordered list of passes the session runs on each graph it compiles
// (CompileOptions::fuse). The order and why it is so: fusion_pipeline.cpp.
#include "graph/pass.h"

namespace qs {

PassPipeline engineFusionPipeline();

} // namespace qs
