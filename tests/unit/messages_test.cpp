// The catalogue of coded messages (util/messages.h): every id has a stable code and an English
// template, and a coded message reads in English as the free text it replaced, so that the CLI's
// output and the tests that read it did not change when the codes came in (issue 16).
#include "model/model_checks.h"
#include "quant/node_selection.h"
#include "util/diagnostic.h"
#include "util/messages.h"
#include "util/status.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <set>

using namespace qs;

TEST(Messages, EveryIdHasAUniqueCodeAndATemplate)
{
    std::set<std::string_view> codes;
    const std::vector<MessageId> ids = allMessageIds();
    // The catalogue follows the enum: rows in order, none missing (entryOf relies on it).
    for (size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(size_t(ids[i]), i + 1);
        const std::string_view code = messageCode(ids[i]);
        EXPECT_FALSE(code.empty()) << "id " << size_t(ids[i]);
        EXPECT_FALSE(englishTemplate(ids[i]).empty()) << code;
        EXPECT_TRUE(codes.insert(code).second) << "code used twice: " << code;
        EXPECT_EQ(messageIdFromCode(code), ids[i]);
    }
    EXPECT_EQ(ids.back(), MessageId::Fp16InputTypeUnknown) << "a new id needs a catalogue row";
    EXPECT_TRUE(messageCode(MessageId::None).empty());
    EXPECT_FALSE(messageIdFromCode("no_such_code"));
}

TEST(Messages, EnglishTextFillsArgumentsThenTheCause)
{
    const Message reason = makeMessage(MessageId::ValueComputedFromInputs, {"bias", "b_add", "Add"});
    EXPECT_EQ(englishText(reason), "bias comes from node 'b_add' (Add), computed from the model's "
                                   "inputs, not a constant");
    const Diagnostic diagnostic
        = diagnosticOf(Severity::Warning,
                       makeMessage(MessageId::LeftInFloat, {"Conv", "float"}, reason), "c1");
    EXPECT_EQ(diagnostic.message, "Conv left in float: bias comes from node 'b_add' (Add), "
                                  "computed from the model's inputs, not a constant");
    EXPECT_EQ(diagnostic.node, "c1");
    EXPECT_EQ(diagnostic.coded.id, MessageId::LeftInFloat);
    ASSERT_TRUE(diagnostic.coded.cause);
    EXPECT_EQ(diagnostic.coded.cause->args.at(1), "b_add");
}

TEST(Messages, AnArgumentIsNotExpandedAgain)
{
    EXPECT_EQ(formatTemplate("%1 and %2", {"50%2", "x"}), "50%2 and x");
    EXPECT_EQ(formatTemplate("%1 of %3", {"a"}), "a of ");
    EXPECT_EQ(englishText(plainText("as it is: %1")), "as it is: %1");
}

TEST(Messages, StatusKeepsItsCodeUnderContext)
{
    const Status status = Status(StatusCode::InvalidArgument, makeMessage(MessageId::EmptyModelFile))
                              .withContext("m.onnx")
                              .withContext("opening");
    EXPECT_EQ(status.message(), "opening: m.onnx: empty file, not an ONNX model");
    EXPECT_EQ(status.context(), "opening: m.onnx: ");
    EXPECT_EQ(status.coded().id, MessageId::EmptyModelFile);
    // Free text stays free text.
    const Status plain = invalidArgument("bad flag").withContext("quantize");
    EXPECT_EQ(plain.message(), "quantize: bad flag");
    EXPECT_EQ(plain.coded().id, MessageId::None);
}

// Issue 16: a Report keeps a skipped data file's line as strings; the coded message, cause
// included, comes back from them for the GUI to word.
TEST(Messages, AMessageComesBackFromItsStrings)
{
    const Message skipped = makeMessage(MessageId::SampleSkipped, {"a.png"},
                                        makeMessage(MessageId::CannotDecodeImage, {"bad header"}));
    const std::vector<std::string> strings = messageToStrings(skipped);
    EXPECT_EQ(strings, (std::vector<std::string>{"sample_skipped", "1", "a.png",
                                                 "cannot_decode_image", "1", "bad header"}));
    const std::optional<Message> back = messageFromStrings(strings);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, MessageId::SampleSkipped);
    EXPECT_EQ(englishText(*back), englishText(skipped));
    ASSERT_TRUE(back->cause);
    EXPECT_EQ(back->cause->id, MessageId::CannotDecodeImage);

    // After a prefix (the Report's English line), and free text as it is.
    std::vector<std::string> prefixed{"a.png: cannot decode image (bad header), skipped"};
    prefixed.insert(prefixed.end(), strings.begin(), strings.end());
    EXPECT_EQ(englishText(*messageFromStrings(prefixed, 1)), englishText(skipped));
    const Message free{MessageId::None, {"as ONNX said it"}, nullptr};
    EXPECT_EQ(englishText(*messageFromStrings(messageToStrings(free))), "as ONNX said it");

    using Strings = std::vector<std::string>;
    EXPECT_FALSE(messageFromStrings(Strings{"no_such_code", "0"}));
    EXPECT_FALSE(messageFromStrings(Strings{"sample_skipped", "3", "a.png"}));
    EXPECT_FALSE(messageFromStrings(Strings{"sample_skipped", "x"}));
    EXPECT_FALSE(messageFromStrings(Strings{"sample_skipped"}));
}

// Issue 16: a recipe that cannot run is refused with a coded message (the GUI's dialog words it);
// its English is what the CLI printed before.
TEST(Messages, RecipeListErrorsAreCoded)
{
    const Status status = validateOpTypes({"Conv", "Convv"}, "op_types_to_exclude");
    ASSERT_FALSE(status);
    EXPECT_EQ(status.coded().id, MessageId::RecipeListProblem);
    EXPECT_EQ(status.coded().args, std::vector<std::string>{"op_types_to_exclude"});
    ASSERT_TRUE(status.coded().cause);
    EXPECT_EQ(status.coded().cause->id, MessageId::NotAnOpType);
    EXPECT_EQ(status.message().rfind("op_types_to_exclude: 'Convv' is not an ONNX op type "
                                     "(closest: Conv",
                                     0),
              0u)
        << status.message();
}

// Issue 16: ONNX's checker's sentence is coded, its own reason (English, from the library) the
// argument, so that the GUI translates the sentence around it.
TEST(Messages, CheckerFindingsAreCodedAroundTheLibrarysReason)
{
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.add_opset_import()->set_version(17);
    onnx::GraphProto &graph = *model.mutable_graph();
    graph.set_name("g");
    onnx::NodeProto &node = *graph.add_node();
    node.set_op_type("NoSuchOp");
    node.set_name("n");
    node.add_input("x");
    node.add_output("y");
    for (auto *value : {graph.add_input(), graph.add_output()}) {
        value->set_name(value == &graph.input(0) ? "x" : "y");
        auto &tensor = *value->mutable_type()->mutable_tensor_type();
        tensor.set_elem_type(onnx::TensorProto::FLOAT);
        tensor.mutable_shape()->add_dim()->set_dim_value(1);
    }
    const std::vector<Diagnostic> findings = checkModel(model, ".");
    ASSERT_FALSE(findings.empty());
    const Diagnostic &finding = findings.front();
    EXPECT_EQ(finding.coded.id, MessageId::CheckerFinding);
    ASSERT_EQ(finding.coded.args.size(), 1u);
    EXPECT_EQ(finding.message, "checker: " + finding.coded.args[0]);
    EXPECT_TRUE(makesModelInvalid(finding));

    onnx::ModelProto noOpset = model;
    noOpset.clear_opset_import();
    const std::vector<Diagnostic> none = checkModel(noOpset, ".");
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0].coded.id, MessageId::NoOpsetImported);
    EXPECT_EQ(none[0].message, kNoOpsetMessage);
}
