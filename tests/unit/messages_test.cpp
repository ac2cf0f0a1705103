// The catalogue of coded messages (util/messages.h): every id has a stable code and an English
// template, and a coded message reads in English as the free text it replaced, so that the CLI's
// output and the tests that read it did not change when the codes came in (issue 16).
#include "util/diagnostic.h"
#include "util/messages.h"
#include "util/status.h"

#include <gtest/gtest.h>

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
    EXPECT_EQ(ids.back(), MessageId::ModelWithoutIrVersion) << "a new id needs a catalogue row";
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
