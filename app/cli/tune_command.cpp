#include "cli/tune_command.h"

#include "cli/arguments.h"
#include "cli/cli.h"
#include "cli/cli_progress.h"
#include "cli/recipe_arguments.h"
#include "model/model.h"
#include "tune/resume.h"
#include "tune/tuner.h"
#include "util/atomic_file.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <filesystem>
#include <ostream>

namespace qs::cli {

const CommandUsage kTuneUsage{
    "tune",
    "usage: quantscope-cli tune MODEL -o OUT --mode static|dynamic --target EXPR [--target "
    "EXPR]...\n"
    "       [--calib-dir DIR] [--eval-dir DIR] [--eval-samples N]\n"
    "       [--search fallback|recipes|both] [--budget-trials N] [--budget-time SECONDS]\n"
    "       [--no-prune] [--fallback-16bit] [--resume] [--json FILE] [--threads N]\n"
    "       [quantize's recipe flags, the starting recipe: --per-channel, --op-types A,B,\n"
    "        --exclude-nodes A,B, --calib-method M, --image-size HxW, --mean, --std, --bgr,\n"
    "        --recipe FILE, ... (`quantize --help` lists them)]\n"
    "  EXPR: cosine>=X, sqnr>=DB, top1>=X, topK>=X (top5), iou@T>=X (mask IoU at threshold T),\n"
    "        maxabs<=X, speedup>=X, smaller>=X; all must hold. The evaluation folder must not\n"
    "        be the calibration folder (none: random inputs, with a warning).\n"
    "  --fallback-16bit: (static QDQ) try a node with 16-bit activations (A16W8, opset 21)\n"
    "        before keeping it float, so that the model stays integer\n"
    "  --resume: continue the run saved in OUT.tune.textproto (same model, recipe flags,\n"
    "        evaluation data, targets and threads): its trials are read, not measured again,\n"
    "        and the budget counts them\n"
    "  exit: 0 targets met, 3 not met within the budget (the best trial is written), 2 bad "
    "input\n"};

namespace {

struct TuneArguments
{
    std::string modelPath;
    std::string outputPath;
    std::string recipePath;
    std::string jsonPath;
    std::vector<RecipeEdit> edits;
    bool resume = false;
    TuneSettings settings;
};

Result<TuneArguments> parseArguments(const std::vector<std::string> &args)
{
    TuneArguments parsed;
    TuneSettings &settings = parsed.settings;
    ArgumentCursor cursor(args);
    while (cursor.next()) {
        const std::string arg = cursor.current();
        if (arg == "-o" || arg == "--output") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.outputPath, cursor.value());
        } else if (arg == "--recipe") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.recipePath, cursor.value());
        } else if (arg == "--threads") {
            QS_CLI_ASSIGN_OR_RETURN(settings.evaluation.threads, cursor.count(0));
        } else if (arg == "--target") {
            QS_CLI_ASSIGN_OR_RETURN(const std::string text, cursor.value());
            QS_CLI_ASSIGN_OR_RETURN(const Target target, parseTarget(text));
            settings.targets.push_back(target);
        } else if (arg == "--eval-dir") {
            QS_CLI_ASSIGN_OR_RETURN(settings.evaluation.dataDir, cursor.value());
        } else if (arg == "--eval-samples") {
            QS_CLI_ASSIGN_OR_RETURN(const int samples, cursor.count(1));
            settings.evaluation.maxSamples = samples;
        } else if (arg == "--search") {
            QS_CLI_ASSIGN_OR_RETURN(settings.search,
                                    cursor.choice<quantscope::TuneSearch>({
                                        {"fallback", quantscope::TUNE_SEARCH_FALLBACK},
                                        {"recipes", quantscope::TUNE_SEARCH_RECIPES},
                                        {"both", quantscope::TUNE_SEARCH_BOTH},
                                    }));
        } else if (arg == "--budget-trials") {
            QS_CLI_ASSIGN_OR_RETURN(settings.maxTrials, cursor.count(1));
        } else if (arg == "--budget-time") {
            QS_CLI_ASSIGN_OR_RETURN(settings.maxSeconds, cursor.number());
            if (!(settings.maxSeconds > 0))
                return invalidArgument("--budget-time expects a positive number of seconds");
        } else if (arg == "--no-prune") {
            settings.prune = false;
        } else if (arg == "--fallback-16bit") {
            settings.sixteenBitFallback = true;
        } else if (arg == "--resume") {
            parsed.resume = true;
        } else if (arg == "--json") {
            QS_CLI_ASSIGN_OR_RETURN(parsed.jsonPath, cursor.value());
        } else {
            QS_CLI_ASSIGN_OR_RETURN(const bool taken, parseRecipeOption(cursor, parsed.edits));
            if (!taken)
                QS_RETURN_IF_ERROR(takeModelPath(arg, parsed.modelPath));
        }
    }
    if (parsed.modelPath.empty() && parsed.recipePath.empty())
        return invalidArgument("no model given");
    if (parsed.outputPath.empty())
        return invalidArgument("no output given (-o OUT)");
    if (settings.targets.empty())
        return invalidArgument("no target given (--target cosine>=0.99, ...)");
    return parsed;
}

std::string trialHeader(const quantscope::TuneTrial &trial)
{
    std::string kind = quantscope::TrialKind_Name(trial.kind()).substr(11); // "TRIAL_KIND_"
    for (char &c : kind)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    std::string header = "trial " + std::to_string(trial.index() + 1) + " " + kind;
    if (!trial.node().empty())
        header += " " + trial.node();
    else if (trial.kind() == quantscope::TRIAL_KIND_RECIPE
             || trial.kind() == quantscope::TRIAL_KIND_BASELINE) {
        const auto &recipe = trial.recipe();
        const auto &calibration = recipe.calibration();
        header += " [" + quantscope::CalibrationMethod_Name(calibration.method()).substr(19);
        if (calibration.method() == quantscope::CALIBRATION_METHOD_PERCENTILE) {
            char p[16];
            std::snprintf(p, sizeof p, " %g", calibration.percentile());
            header += p;
        }
        header += recipe.per_channel() ? ", per-channel" : ", per-tensor";
        if (recipe.symmetric_activations())
            header += ", symmetric activations";
        if (recipe.bias_correction())
            header += ", bias correction";
        header += ", " + std::to_string(recipe.op_types_to_quantize_size()) + " op types]";
    }
    return header;
}

Status writeJson(const quantscope::TuneRun &run, const std::string &path)
{
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    const auto status = google::protobuf::util::MessageToJsonString(run, &json, options);
    if (!status.ok())
        return internalError("TuneRun as JSON: " + std::string(status.ToString()));
    return writeFileAtomically(path, [&](std::ostream &out) {
        out << json;
        return Status::ok();
    });
}

} // namespace

int tuneCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    auto parsed = parseArguments(args);
    if (!parsed)
        return reportUsageError(err, kTuneUsage, parsed.status());
    TuneArguments &arguments = *parsed;
    auto fail = [&err](const Status &status) { return reportError(err, status); };
    auto recipe = buildRecipe(arguments.recipePath, arguments.edits);
    if (!recipe)
        return fail(recipe.status());
    if (!arguments.modelPath.empty())
        recipe->set_input_model(arguments.modelPath);
    recipe->set_output_model(arguments.outputPath);
    const std::string output = arguments.outputPath;
    std::error_code ec;
    if (std::filesystem::equivalent(recipe->input_model(), output, ec))
        return fail(invalidArgument(output + ": the output would overwrite the input model"));
    // Checked before the search, not when writing after it: a det run took 7 minutes to end
    // with "cannot create a file there".
    const std::filesystem::path folder
        = std::filesystem::absolute(std::filesystem::path(output)).parent_path();
    if (!std::filesystem::is_directory(folder, ec))
        return fail(
            invalidArgument(output + ": the output folder " + folder.string() + " does not exist"));

    TuneSettings &settings = arguments.settings;
    const std::string runPath = tuneRunPathFor(output);
    if (arguments.resume) {
        auto saved = loadTuneRun(runPath);
        if (!saved)
            return fail(saved.status().withContext("--resume"));
        settings.resumeFrom = std::make_shared<const quantscope::TuneRun>(std::move(*saved));
    }
    settings.startRecipe = *recipe;
    settings.evaluation.preprocessing = recipe->calibration().preprocessing();
    settings.evaluation.dimValues = {recipe->calibration().dim_values().begin(),
                                     recipe->calibration().dim_values().end()};
    TerminalProgress progress(err);
    auto model = Model::load(recipe->input_model(), progress);
    if (!model)
        return fail(model.status());
    TuneCallbacks callbacks;
    callbacks.onTrial = [&out](const TrialResult &trial) {
        out << trialHeader(trial.proto) << ": " << trialLine(trial) << std::endl;
    };
    auto outcome = runTune(*model, settings, callbacks, progress);
    if (!outcome)
        return fail(outcome.status().withContext(recipe->input_model()));
    for (const auto &diagnostic : outcome->diagnostics)
        err << severityName(diagnostic.severity) << ": " << diagnostic.message << "\n";
    quantscope::TuneRun &run = outcome->run;
    if (!outcome->best)
        return fail(cancelled("tune: cancelled before the first trial finished"));
    run.set_output_model(output);
    {
        const Status status = saveQuantizeResult(*outcome->best, output, (*model)->baseDir());
        if (!status)
            return fail(status);
    }
    {
        const Status status = saveTuneRun(run, runPath);
        if (!status)
            return fail(status);
    }
    if (!arguments.jsonPath.empty()) {
        const Status status = writeJson(run, arguments.jsonPath);
        if (!status)
            return fail(status);
    }

    const auto &best = run.trials(run.best_trial());
    char figures[160];
    std::snprintf(figures, sizeof figures,
                  "%d trials in %.0f s; best: trial %d, %.1f ms (FP32 %.1f ms, %.2fx)",
                  run.trials_size(), run.seconds(), best.index() + 1, best.latency_ms(),
                  run.reference_latency_ms(),
                  best.latency_ms() > 0 ? run.reference_latency_ms() / best.latency_ms() : 0.0);
    out << figures << ", " << best.nodes_kept_float_size() << " nodes kept float";
    for (int i = 0; i < best.nodes_kept_float_size(); ++i)
        out << (i ? ", " : ": ") << best.nodes_kept_float(i);
    if (best.nodes_16bit_size() > 0)
        out << "; " << best.nodes_16bit_size() << " with 16-bit activations";
    for (int i = 0; i < best.nodes_16bit_size(); ++i)
        out << (i ? ", " : ": ") << best.nodes_16bit(i);
    if (run.resumed_trials() > 0)
        out << "; " << run.resumed_trials() << " trials read from the saved run";
    out << "\n";
    out << "wrote " << output << ", " << recipePathFor(output) << " and " << runPath << "\n";
    if (run.cancelled())
        return kCancelled;
    if (!run.targets_met()) {
        out << "targets not met" << (run.budget_exhausted() ? " within the budget" : "")
            << "; the best trial (" << best.index() + 1 << ") was written: ";
        for (int i = 0; i < best.missed_size(); ++i)
            out << (i ? ", " : "") << best.missed(i);
        out << "\n";
        return kTargetsNotMet;
    }
    out << "targets met: ";
    for (int i = 0; i < run.targets_size(); ++i)
        out << (i ? ", " : "") << run.targets(i);
    out << "\n";
    return kSuccess;
}

} // namespace qs::cli
