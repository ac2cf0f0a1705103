// Recipes survive a text-format round trip; a broken file gets a message with its position.
#include "quant/recipe_io.h"
#include "support/temp_dir.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace qs {
namespace {

TEST(Recipe, RoundTripsThroughTextFormat)
{
    quantscope::Recipe recipe;
    recipe.set_mode(quantscope::QUANT_MODE_STATIC);
    recipe.set_format(quantscope::QUANT_FORMAT_QDQ);
    recipe.set_weight_type(quantscope::QUANT_TYPE_INT8);
    recipe.set_activation_type(quantscope::QUANT_TYPE_UINT8);
    recipe.set_per_channel(true);
    recipe.add_nodes_to_exclude("Conv_0");
    recipe.add_op_types_to_exclude("Resize");
    recipe.mutable_calibration()->set_method(quantscope::CALIBRATION_METHOD_PERCENTILE);
    recipe.mutable_calibration()->set_percentile(99.999f);
    recipe.mutable_calibration()->mutable_preprocessing()->add_mean(0.485f);
    recipe.mutable_fp16()->set_keep_io_types(true);
    recipe.mutable_fp16()->add_op_block_list("TopK");

    test::TempDir dir;
    const std::string path = dir.file("recipe.textproto");
    ASSERT_TRUE(saveRecipe(recipe, path));
    auto loaded = loadRecipe(path);
    ASSERT_TRUE(loaded.isOk()) << loaded.status().message();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(recipe, loaded.value()));
    EXPECT_NE(recipeToText(recipe).find("nodes_to_exclude: \"Conv_0\""), std::string::npos);
}

TEST(Recipe, ReportsTheLineOfAParseError)
{
    auto parsed = parseRecipe("mode: QUANT_MODE_STATIC\nno_such_setting: 1\n", "bad.textproto");
    ASSERT_FALSE(parsed.isOk());
    EXPECT_NE(parsed.status().message().find("bad.textproto: not a valid recipe: line 2"),
              std::string::npos)
        << parsed.status().message();
}

TEST(Recipe, MissingFileIsNotFound)
{
    auto loaded = loadRecipe("/nonexistent/recipe.textproto");
    ASSERT_FALSE(loaded.isOk());
    EXPECT_EQ(loaded.status().code(), StatusCode::NotFound);
}

} // namespace
} // namespace qs
