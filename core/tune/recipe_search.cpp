#include "tune/recipe_search.h"

#include <algorithm>
#include <set>

namespace qs {

namespace {

using quantscope::Recipe;

struct Method
{
    quantscope::CalibrationMethod method;
    float percentile;
};

constexpr Method kMethods[] = {
    {quantscope::CALIBRATION_METHOD_MINMAX, 0.0f},
    {quantscope::CALIBRATION_METHOD_PERCENTILE, 99.99f},
    {quantscope::CALIBRATION_METHOD_PERCENTILE, 99.999f},
    {quantscope::CALIBRATION_METHOD_PERCENTILE, 99.9f},
    {quantscope::CALIBRATION_METHOD_ENTROPY, 0.0f},
    {quantscope::CALIBRATION_METHOD_MSE, 0.0f},
};

// The weighted ops: what a user keeps when elementwise ops lose too much (PaddleOCR det's hand
// recipe is Conv-only).
const std::vector<std::string> kWeightedOpTypes = {"Conv", "ConvTranspose", "MatMul", "Gemm"};

bool sameMethod(const Recipe &recipe, const Method &method)
{
    const auto &calibration = recipe.calibration();
    const auto current = calibration.method() == quantscope::CALIBRATION_METHOD_UNSPECIFIED
                             ? quantscope::CALIBRATION_METHOD_MINMAX
                             : calibration.method();
    if (current != method.method)
        return false;
    return method.method != quantscope::CALIBRATION_METHOD_PERCENTILE
           || std::abs(calibration.percentile() - method.percentile) < 1e-4f;
}

void setOpTypes(Recipe &recipe, const std::vector<std::string> &opTypes)
{
    recipe.clear_op_types_to_quantize();
    for (const std::string &opType : opTypes)
        recipe.add_op_types_to_quantize(opType);
}

} // namespace

std::vector<Recipe> recipeGrid(const Recipe &start)
{
    std::vector<std::pair<int, Recipe>> points; // (distance from start, recipe)
    const bool isStatic = start.mode() == quantscope::QUANT_MODE_STATIC;
    std::vector<std::vector<std::string>> opTypeSets
        = {{start.op_types_to_quantize().begin(), start.op_types_to_quantize().end()}};
    std::vector<std::string> weighted;
    for (const std::string &opType : opTypeSets.front())
        if (std::find(kWeightedOpTypes.begin(), kWeightedOpTypes.end(), opType)
            != kWeightedOpTypes.end())
            weighted.push_back(opType);
    if (opTypeSets.front().empty()) // unset: the mode's defaults; weighted ones are a subset
        weighted = kWeightedOpTypes;
    if (!weighted.empty() && weighted != opTypeSets.front())
        opTypeSets.push_back(weighted);

    for (size_t o = 0; o < opTypeSets.size(); ++o)
        for (const bool perChannel : {start.per_channel(), !start.per_channel()})
            for (const bool symmetric :
                 {start.symmetric_activations(), !start.symmetric_activations()}) {
                if (!isStatic && symmetric != start.symmetric_activations())
                    continue;
                for (const Method &method : kMethods)
                    for (const bool biasCorrection :
                         {start.bias_correction(), !start.bias_correction()}) {
                        const bool startMethod = sameMethod(start, method);
                        if (!isStatic && !startMethod)
                            continue;
                        // Bias correction (static only) shifts biases by the weights' mean error;
                        // it keeps the calibrated ranges valid, unlike cross-layer equalization,
                        // which rescales activations and so is not a dimension of a search that
                        // calibrates once.
                        if (!isStatic && biasCorrection != start.bias_correction())
                            continue;
                        Recipe recipe = start;
                        recipe.clear_left_in_float();
                        if (o > 0)
                            setOpTypes(recipe, opTypeSets[o]);
                        recipe.set_per_channel(perChannel);
                        recipe.set_symmetric_activations(symmetric);
                        recipe.set_bias_correction(biasCorrection);
                        if (isStatic && !startMethod) {
                            recipe.mutable_calibration()->set_method(method.method);
                            if (method.percentile > 0)
                                recipe.mutable_calibration()->set_percentile(method.percentile);
                        }
                        const int distance = int(o > 0) + int(perChannel != start.per_channel())
                                             + int(symmetric != start.symmetric_activations())
                                             + int(!startMethod)
                                             + int(biasCorrection != start.bias_correction());
                        points.emplace_back(distance, std::move(recipe));
                    }
            }
    std::stable_sort(points.begin(), points.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<Recipe> grid;
    std::set<std::string> seen;
    for (auto &[distance, recipe] : points)
        if (seen.insert(recipe.SerializeAsString()).second)
            grid.push_back(std::move(recipe));
    return grid;
}

Status runRecipeSearch(TrialLog &log, const std::vector<Recipe> &grid,
                       std::vector<Diagnostic> &diagnostics)
{
    for (size_t i = 1; i < grid.size(); ++i) {
        TrialRequest request;
        request.kind = quantscope::TRIAL_KIND_RECIPE;
        request.recipe = grid[i];
        auto trial = log.run(request);
        if (!trial) {
            if (trial.status().code() == StatusCode::Cancelled)
                return trial.status();
            diagnostics.push_back(
                diagnosticOf(Severity::Warning, makeMessage(MessageId::RecipeTrialSkipped, {},
                                                            trial.status().asMessage())));
            continue;
        }
        if (!trial->has_value())
            break;
    }
    return Status::ok();
}

} // namespace qs
