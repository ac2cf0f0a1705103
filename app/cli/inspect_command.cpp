#include "cli/inspect_command.h"

#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/inspect_report.h"
#include "model/model.h"
#include "model/model_summary.h"

#include <ostream>

namespace qs::cli {

int inspectCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    std::string path;
    bool json = false;
    InspectSections sections;
    for (const std::string &arg : args) {
        if (arg == "--json") {
            json = true;
        } else if (arg == "--nodes") {
            sections.nodes = true;
        } else if (arg == "--ops") {
            sections.ops = true;
        } else if (arg.starts_with("-")) {
            err << "quantscope-cli inspect: unknown option '" << arg << "'\n";
            return kBadInput;
        } else if (path.empty()) {
            path = arg;
        } else {
            err << "quantscope-cli inspect: one model at a time ('" << path << "' and '" << arg
                << "' given)\n";
            return kBadInput;
        }
    }
    if (path.empty()) {
        err << "usage: quantscope-cli inspect MODEL [--json] [--nodes] [--ops]\n";
        return kBadInput;
    }

    TerminalProgress progress(err);
    auto loaded = Model::load(path, progress);
    if (!loaded) {
        err << "error: " << loaded.status().message() << "\n";
        return loaded.status().code() == StatusCode::Internal ? kInternalError : kBadInput;
    }
    const Model &model = *loaded.value();
    const ModelSummary summary = summarize(model);
    if (json) {
        writeInspectJson(model, summary, out);
    } else {
        // --nodes or --ops alone show just that table, ready for grep; nothing shows the summary.
        sections.summary = !sections.nodes && !sections.ops;
        if (sections.summary)
            sections.ops = true;
        writeInspectText(model, summary, sections, out);
    }
    return kSuccess;
}

} // namespace qs::cli
