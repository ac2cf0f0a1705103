#include "cli/inspect_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/inspect_report.h"
#include "model/model.h"
#include "model/model_summary.h"

#include <ostream>

namespace qs::cli {

const CommandUsage
    kInspectUsage{"inspect", "usage: quantscope-cli inspect MODEL [--json] [--nodes] [--ops]\n"};

namespace {

struct InspectArguments
{
    std::string modelPath;
    bool json = false;
    InspectSections sections;
};

Result<InspectArguments> parseArguments(const std::vector<std::string> &args)
{
    InspectArguments parsed;
    for (const std::string &arg : args) {
        if (arg == "--json") {
            parsed.json = true;
        } else if (arg == "--nodes") {
            parsed.sections.nodes = true;
        } else if (arg == "--ops") {
            parsed.sections.ops = true;
        } else {
            QS_RETURN_IF_ERROR(takeModelPath(arg, parsed.modelPath));
        }
    }
    if (parsed.modelPath.empty())
        return invalidArgument("no model given");
    return parsed;
}

} // namespace

int inspectCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto arguments = parseArguments(args);
    if (!arguments)
        return reportUsageError(err, kInspectUsage, arguments.status());
    InspectSections sections = arguments->sections;

    TerminalProgress progress(err);
    auto loaded = Model::load(arguments->modelPath, progress);
    if (!loaded)
        return reportError(err, loaded.status());
    const Model &model = *loaded.value();
    const ModelSummary summary = summarize(model);
    if (arguments->json) {
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
