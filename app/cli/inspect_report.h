#pragma once
// The two renderings of an inspected model: the text tables people read in a terminal and the
// JSON document scripts read.

#include <iosfwd>

namespace qs {
class Model;
struct ModelSummary;
} // namespace qs

namespace qs::cli {

struct InspectSections
{
    bool summary = true;
    bool nodes = false;
    bool ops = false;
};

void writeInspectText(const Model &model, const ModelSummary &summary,
                      const InspectSections &sections, std::ostream &out);
void writeInspectJson(const Model &model, const ModelSummary &summary, std::ostream &out);

} // namespace qs::cli
