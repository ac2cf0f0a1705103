#include "cli/quantize_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/recipe_arguments.h"
#include "model/model.h"
#include "quant/quantizer.h"
#include "quant/recipe_io.h"

#include <filesystem>
#include <functional>
#include <ostream>

namespace qs::cli {

const CommandUsage kQuantizeUsage{
    "quantize",
    "usage: quantscope-cli quantize MODEL -o OUT --mode dynamic|static|fp16\n"
    "       [--format qdq|qoperator] [--weight-type int8|uint8] [--activation-type int8|uint8]\n"
    "       [--per-channel] [--reduce-range | --no-reduce-range] [--symmetric-activations]\n"
    "       [--symmetric-weights | --asymmetric-weights]\n"
    "       [--calib-dir DIR] [--calib-method minmax|percentile|entropy|mse]\n"
    "       [--calib-samples N] [--percentile P] [--bins N] [--quantized-bins N]\n"
    "       [--moving-average] [--averaging-constant C] [--dim SYMBOL=VALUE]...\n"
    "       [--image-size HxW] [--pixel-range 0-1|0-255] [--mean a,b,c] [--std a,b,c] [--bgr]\n"
    "       [--layout nchw|nhwc] [--op-types A,B] [--nodes A,B] [--exclude-nodes A,B]\n"
    "       [--exclude-op-types A,B] [--keep-io-types] [--block-ops A,B] [--block-nodes A,B]\n"
    "       [--min-positive F] [--max-finite F] [--equalize] [--equalize-relu6]\n"
    "       [--bias-correction] [--recipe FILE] [--threads N]\n"};

namespace {

struct QuantizeArguments
{
    std::string modelPath;
    std::string outputPath;
    std::string recipePath;
    int threads = 0;
    std::vector<RecipeEdit> edits; // applied in order over the --recipe file
};

Result<QuantizeArguments> parseArguments(const std::vector<std::string> &args)
{
    QuantizeArguments parsed;
    ArgumentCursor cursor(args);
    while (cursor.next()) {
        const std::string arg = cursor.current();
        if (arg == "-o" || arg == "--output") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.outputPath, cursor.value());
        } else if (arg == "--recipe") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.recipePath, cursor.value());
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.threads, cursor.count(0));
        } else {
            QS_CLI_ASSIGN_OR_RETURN(const bool taken, parseRecipeOption(cursor, parsed.edits));
            if (!taken)
                QS_RETURN_IF_ERROR(takeModelPath(arg, parsed.modelPath));
        }
    }
    return parsed;
}

std::string megabytes(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f MB", double(bytes) / 1e6);
    return text;
}

} // namespace

int quantizeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto parsed = parseArguments(args);
    if (!parsed)
        return reportUsageError(err, kQuantizeUsage, parsed.status());
    const QuantizeArguments &arguments = *parsed;
    auto fail = [&err](const Status &status) { return reportError(err, status); };
    auto built = buildRecipe(arguments.recipePath, arguments.edits);
    if (!built)
        return fail(built.status());
    quantscope::Recipe recipe = std::move(*built);
    if (!arguments.modelPath.empty())
        recipe.set_input_model(arguments.modelPath);
    if (!arguments.outputPath.empty())
        recipe.set_output_model(arguments.outputPath);
    if (recipe.input_model().empty() || recipe.output_model().empty()) {
        return reportUsageError(err, kQuantizeUsage,
                                invalidArgument(recipe.input_model().empty()
                                                    ? "no model given"
                                                    : "no output given (-o OUT)"));
    }
    const std::string output = recipe.output_model();
    std::error_code ec;
    if (std::filesystem::equivalent(recipe.input_model(), output, ec))
        return fail(invalidArgument(output + ": the output would overwrite the input model"));

    TerminalProgress progress(err);
    auto model = Model::load(recipe.input_model(), progress);
    if (!model)
        return fail(model.status());
    QuantizeSettings settings;
    settings.threads = arguments.threads;
    auto result = quantizeModel(*model, recipe, settings, progress);
    if (!result)
        return fail(result.status().withContext(recipe.input_model()));
    for (const auto &diagnostic : result->diagnostics)
        err << severityName(diagnostic.severity) << ": "
            << (diagnostic.node.empty() ? "" : "node '" + diagnostic.node + "': ")
            << diagnostic.message << "\n";
    const Status saved = saveQuantizeResult(*result, output, (*model)->baseDir());
    if (!saved)
        return fail(saved);
    const uint64_t before = (*model)->fileBytes();
    const uint64_t after = std::filesystem::file_size(output, ec);
    out << result->summary << "\n";
    out << "wrote " << output << " (" << megabytes(after) << ", " << megabytes(before)
        << " before) and " << recipePathFor(output) << "\n";
    return kSuccess;
}

} // namespace qs::cli
