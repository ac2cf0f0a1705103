#include "cli/recipe_arguments.h"

#include "quant/recipe_io.h"

namespace qs::cli {

namespace {

void setStrings(google::protobuf::RepeatedPtrField<std::string> &field,
                const std::vector<std::string> &values)
{
    field.Clear();
    for (const auto &value : values)
        *field.Add() = value;
}

Result<quantscope::QuantType> parseType(ArgumentCursor &cursor)
{
    return cursor.choice<quantscope::QuantType>(
        {{"int8", quantscope::QUANT_TYPE_INT8}, {"uint8", quantscope::QUANT_TYPE_UINT8}});
}

} // namespace

Result<bool> parseRecipeOption(ArgumentCursor &cursor, std::vector<RecipeEdit> &edits)
{
    const std::string arg = cursor.current();
    auto edit = [&](RecipeEdit e) { edits.push_back(std::move(e)); };
    if (isPreprocessingOption(arg)) {
        QS_CLI_ASSIGN_OR_RETURN(PreprocessingEdit prep, parsePreprocessingOption(cursor));
        edit([prep = std::move(prep)](auto &r) {
            prep(*r.mutable_calibration()->mutable_preprocessing());
        });
    } else if (arg == "--mode") {
        QS_CLI_ASSIGN_OR_RETURN(const auto mode, cursor.choice<quantscope::QuantMode>({
                                                     {"dynamic", quantscope::QUANT_MODE_DYNAMIC},
                                                     {"static", quantscope::QUANT_MODE_STATIC},
                                                     {"fp16", quantscope::QUANT_MODE_FP16},
                                                 }));
        edit([mode](auto &r) { r.set_mode(mode); });
    } else if (arg == "--format") {
        QS_CLI_ASSIGN_OR_RETURN(const auto format,
                                cursor.choice<quantscope::QuantFormat>({
                                    {"qdq", quantscope::QUANT_FORMAT_QDQ},
                                    {"qoperator", quantscope::QUANT_FORMAT_QOPERATOR},
                                }));
        edit([format](auto &r) { r.set_format(format); });
    } else if (arg == "--weight-type") {
        QS_CLI_ASSIGN_OR_RETURN(const auto type, parseType(cursor));
        edit([type](auto &r) { r.set_weight_type(type); });
    } else if (arg == "--activation-type") {
        QS_CLI_ASSIGN_OR_RETURN(const auto type, parseType(cursor));
        edit([type](auto &r) { r.set_activation_type(type); });
    } else if (arg == "--per-channel") {
        edit([](auto &r) { r.set_per_channel(true); });
    } else if (arg == "--reduce-range") {
        edit([](auto &r) { r.set_reduce_range(true); });
    } else if (arg == "--no-reduce-range") {
        edit([](auto &r) { r.set_reduce_range(false); });
    } else if (arg == "--symmetric-activations") {
        edit([](auto &r) { r.set_symmetric_activations(true); });
    } else if (arg == "--symmetric-weights") {
        edit([](auto &r) { r.set_symmetric_weights(true); });
    } else if (arg == "--asymmetric-weights") {
        edit([](auto &r) { r.set_symmetric_weights(false); });
    } else if (arg == "--calib-dir") {
        QS_CLI_ASSIGN_OR_RETURN(const std::string dir, cursor.value());
        edit([dir](auto &r) { r.mutable_calibration()->set_data_dir(dir); });
    } else if (arg == "--dim") {
        QS_CLI_ASSIGN_OR_RETURN(const auto dim, parseDimOption(cursor));
        edit([dim](auto &r) {
            (*r.mutable_calibration()->mutable_dim_values())[dim.first] = dim.second;
        });
    } else if (arg == "--calib-method") {
        using Method = quantscope::CalibrationMethod;
        QS_CLI_ASSIGN_OR_RETURN(const auto method,
                                cursor.choice<Method>({
                                    {"minmax", quantscope::CALIBRATION_METHOD_MINMAX},
                                    {"percentile", quantscope::CALIBRATION_METHOD_PERCENTILE},
                                    {"entropy", quantscope::CALIBRATION_METHOD_ENTROPY},
                                    {"mse", quantscope::CALIBRATION_METHOD_MSE},
                                }));
        edit([method](auto &r) { r.mutable_calibration()->set_method(method); });
    } else if (arg == "--calib-samples") {
        QS_CLI_ASSIGN_OR_RETURN(const int samples, cursor.count(1));
        edit([samples](auto &r) { r.mutable_calibration()->set_max_samples(samples); });
    } else if (arg == "--percentile") {
        QS_CLI_ASSIGN_OR_RETURN(const double p, cursor.number());
        if (!(p > 0 && p <= 100))
            return invalidArgument("--percentile expects a value in (0, 100]");
        edit([p](auto &r) { r.mutable_calibration()->set_percentile(float(p)); });
    } else if (arg == "--bins") {
        QS_CLI_ASSIGN_OR_RETURN(const int bins, cursor.count(8));
        edit([bins](auto &r) { r.mutable_calibration()->set_num_bins(bins); });
    } else if (arg == "--quantized-bins") {
        QS_CLI_ASSIGN_OR_RETURN(const int bins, cursor.count(2));
        edit([bins](auto &r) { r.mutable_calibration()->set_num_quantized_bins(bins); });
    } else if (arg == "--moving-average") {
        edit([](auto &r) { r.mutable_calibration()->set_moving_average(true); });
    } else if (arg == "--averaging-constant") {
        QS_CLI_ASSIGN_OR_RETURN(const double c, cursor.number());
        if (!(c > 0 && c <= 1))
            return invalidArgument("--averaging-constant expects a value in (0, 1]");
        edit([c](auto &r) {
            r.mutable_calibration()->set_moving_average(true);
            r.mutable_calibration()->set_averaging_constant(float(c));
        });
    } else if (arg == "--op-types" || arg == "--nodes" || arg == "--exclude-nodes"
               || arg == "--exclude-op-types" || arg == "--block-ops" || arg == "--block-nodes") {
        QS_CLI_ASSIGN_OR_RETURN(const std::vector<std::string> list, cursor.list());
        edit([arg, list](quantscope::Recipe &r) {
            if (arg == "--op-types")
                setStrings(*r.mutable_op_types_to_quantize(), list);
            else if (arg == "--nodes")
                setStrings(*r.mutable_nodes_to_quantize(), list);
            else if (arg == "--exclude-nodes")
                setStrings(*r.mutable_nodes_to_exclude(), list);
            else if (arg == "--exclude-op-types")
                setStrings(*r.mutable_op_types_to_exclude(), list);
            else if (arg == "--block-ops")
                setStrings(*r.mutable_fp16()->mutable_op_block_list(), list);
            else
                setStrings(*r.mutable_fp16()->mutable_node_block_list(), list);
        });
    } else if (arg == "--equalize") {
        edit([](auto &r) { r.set_cross_layer_equalization(true); });
    } else if (arg == "--equalize-relu6") {
        // Equalization through ReLU6, which becomes ReLU (the float model changes).
        edit([](auto &r) {
            r.set_cross_layer_equalization(true);
            r.set_equalize_relu6_as_relu(true);
        });
    } else if (arg == "--bias-correction") {
        edit([](auto &r) { r.set_bias_correction(true); });
    } else if (arg == "--keep-io-types") {
        edit([](auto &r) { r.mutable_fp16()->set_keep_io_types(true); });
    } else if (arg == "--min-positive" || arg == "--max-finite") {
        QS_CLI_ASSIGN_OR_RETURN(const double value, cursor.number());
        if (!(value > 0))
            return invalidArgument(arg + " expects a positive number");
        const bool minimum = arg == "--min-positive";
        edit([value, minimum](auto &r) {
            if (minimum)
                r.mutable_fp16()->set_min_positive_val(float(value));
            else
                r.mutable_fp16()->set_max_finite_val(float(value));
        });
    } else {
        return false;
    }
    return true;
}

Result<quantscope::Recipe> buildRecipe(const std::string &recipePath,
                                       const std::vector<RecipeEdit> &edits)
{
    quantscope::Recipe recipe;
    if (!recipePath.empty()) {
        auto loaded = loadRecipe(recipePath);
        if (!loaded)
            return loaded.status();
        recipe = std::move(*loaded);
    }
    for (const auto &edit : edits)
        edit(recipe);
    return recipe;
}

} // namespace qs::cli
