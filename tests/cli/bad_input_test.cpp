// quantscope-cli inspect on every kind of bad input: exit code 2, one clear line naming the file
// and the problem, no crash. This suite also runs under ASan/UBSan (ctest label "sanitize").
#include "cli/cli.h"
#include "model/model_writer.h"
#include "support/cli_runner.h"
#include "support/model_builder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <sstream>

namespace qs {
namespace {

using namespace qs::test;

Outcome inspect(std::vector<std::string> args)
{
    args.insert(args.begin(), "inspect");
    return runCli(args);
}

void expectOneLineError(const Outcome &outcome, const std::string &path, const std::string &problem)
{
    EXPECT_EQ(outcome.exitCode, cli::kBadInput);
    EXPECT_TRUE(outcome.out.empty());
    EXPECT_NE(outcome.err.find(path), std::string::npos) << outcome.err;
    EXPECT_NE(outcome.err.find(problem), std::string::npos) << outcome.err;
    EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
}

std::string validModelBytes()
{
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 8});
    addOutput(graph, "y", {1, 8});
    addInitializer(graph, "w", {8, 8});
    addNode(graph, "MatMul", {"x", "w"}, {"y"}, "fc");
    return proto.SerializeAsString();
}

TEST(CliBadInput, MissingPath)
{
    expectOneLineError(inspect({"/nonexistent/model.onnx"}), "/nonexistent/model.onnx",
                       "no such file");
}

TEST(CliBadInput, Directory)
{
    TempDir dir;
    expectOneLineError(inspect({dir.path()}), dir.path(), "is a directory");
}

TEST(CliBadInput, EmptyFile)
{
    TempDir dir;
    dir.write("empty.onnx", "");
    expectOneLineError(inspect({dir.file("empty.onnx")}), "empty.onnx", "empty file");
}

TEST(CliBadInput, RandomBytes)
{
    TempDir dir;
    std::mt19937 random(42);
    for (int trial = 0; trial < 20; ++trial) {
        std::string bytes(1000 + trial * 37, '\0');
        for (char &c : bytes)
            c = static_cast<char>(random());
        dir.write("random.onnx", bytes);
        expectOneLineError(inspect({dir.file("random.onnx")}), "random.onnx", "not an ONNX model");
    }
}

TEST(CliBadInput, TruncatedModel)
{
    TempDir dir;
    const std::string bytes = validModelBytes();
    for (size_t keep : {bytes.size() / 4, bytes.size() / 2, bytes.size() - 3}) {
        dir.write("truncated.onnx", bytes.substr(0, keep));
        expectOneLineError(inspect({dir.file("truncated.onnx")}), "truncated.onnx",
                           "not an ONNX model");
    }
}

TEST(CliBadInput, ProtobufThatIsNotAModel)
{
    TempDir dir;
    onnx::TensorProto tensor;
    tensor.set_name("weights");
    tensor.add_dims(4);
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    tensor.set_raw_data(std::string(16, '\1'));
    dir.write("tensor.pb", tensor.SerializeAsString());
    expectOneLineError(inspect({dir.file("tensor.pb")}), "tensor.pb", "not an ONNX model");
}

onnx::ModelProto modelWithExternalWeights(const std::string &location, const std::string &offset)
{
    onnx::ModelProto proto;
    proto.ParseFromString(validModelBytes());
    onnx::TensorProto &w = *proto.mutable_graph()->mutable_initializer(0);
    w.clear_raw_data();
    w.set_data_location(onnx::TensorProto::EXTERNAL);
    for (const auto &[key, value] : {std::pair{"location", location}, {"offset", offset}}) {
        auto *entry = w.add_external_data();
        entry->set_key(key);
        entry->set_value(value);
    }
    return proto;
}

TEST(CliBadInput, MissingExternalDataFile)
{
    TempDir dir;
    dir.write("model.onnx", modelWithExternalWeights("weights.bin", "0").SerializeAsString());
    expectOneLineError(inspect({dir.file("model.onnx")}), "weights.bin", "cannot be read");
}

TEST(CliBadInput, ExternalDataOffsetPastTheEnd)
{
    TempDir dir;
    dir.write("weights.bin", std::string(256, '\0'));
    dir.write("model.onnx", modelWithExternalWeights("weights.bin", "4096").SerializeAsString());
    expectOneLineError(inspect({dir.file("model.onnx")}), "weights.bin",
                       "offset 4096 is past the end");
}

// A location that names a file inside the folder but is a symlink to one outside it (here the
// folder's parent) reads outside the folder all the same: refused, whatever the link's target.
TEST(CliBadInput, ExternalDataSymlinkOutsideTheFolder)
{
    TempDir dir;
    dir.write("secret.bin", std::string(256, '\0'));
    std::filesystem::create_directory(dir.file("model"));
    std::filesystem::create_symlink(dir.file("secret.bin"), dir.file("model/weights.bin"));
    std::filesystem::create_directory_symlink(dir.path(), dir.file("model/up"));
    dir.write("model/model.onnx", modelWithExternalWeights("weights.bin", "0").SerializeAsString());
    dir.write("model/via_folder.onnx",
              modelWithExternalWeights("up/secret.bin", "0").SerializeAsString());
    for (const char *name : {"model/model.onnx", "model/via_folder.onnx"}) {
        expectOneLineError(inspect({dir.file(name)}), dir.file(name),
                           "leads outside the model's folder");
        expectOneLineError(runCli({"quantize", dir.file(name), "-o", dir.file("model/q.onnx"),
                                   "--mode", "fp16"}),
                           dir.file(name), "leads outside the model's folder");
        EXPECT_FALSE(std::filesystem::exists(dir.file("model/q.onnx")));
    }
    // A symlink that stays inside the folder is fine.
    std::filesystem::create_directory(dir.file("model/data"));
    dir.write("model/data/weights.bin", std::string(256, '\0'));
    std::filesystem::create_symlink("data/weights.bin", dir.file("model/inside.bin"));
    dir.write("model/inside.onnx", modelWithExternalWeights("inside.bin", "0").SerializeAsString());
    EXPECT_EQ(inspect({dir.file("model/inside.onnx")}).exitCode, 0);
}

TEST(CliBadInput, UsageErrors)
{
    EXPECT_EQ(inspect({}).exitCode, cli::kBadInput);
    EXPECT_EQ(inspect({"a.onnx", "--frobnicate"}).exitCode, cli::kBadInput);
    std::ostringstream out, err;
    EXPECT_EQ(cli::run({"transmogrify"}, out, err), cli::kBadInput);
    EXPECT_NE(err.str().find("unknown command 'transmogrify'"), std::string::npos);
}

// An input declared [100000, 100000, 1000] is refused before anything is allocated, and a Conv
// whose pads (2^40) make a terabyte output is refused by name: bad input, not an internal error.
TEST(CliBadInput, ShapesThatWouldNeedTerabytes)
{
    TempDir dir;
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {100000, 100000, 1000});
    addOutput(graph, "y", {});
    addNode(graph, "Relu", {"x"}, {"y"}, "act");
    dir.write("huge_input.onnx", proto.SerializeAsString());
    expectOneLineError(runCli({"run", dir.file("huge_input.onnx"), "--random"}),
                       dir.file("huge_input.onnx"),
                       "input 'x': random values float32[100000,100000,1000] would need");

    onnx::ModelProto conv = makeModel();
    onnx::GraphProto &convGraph = *conv.mutable_graph();
    addInput(convGraph, "x", {1, 1, 3, 3});
    addOutput(convGraph, "y", {});
    addInitializer(convGraph, "w", {1, 1, 1, 1});
    setIntsAttribute(addNode(convGraph, "Conv", {"x", "w"}, {"y"}, "padded"), "pads",
                     {int64_t(1) << 40, 0, int64_t(1) << 40, 0});
    dir.write("huge_pads.onnx", conv.SerializeAsString());
    expectOneLineError(runCli({"run", dir.file("huge_pads.onnx"), "--random"}),
                       dir.file("huge_pads.onnx"), "Conv 'padded': a tensor float32");
}

// Malformed graphs that used to crash (issue 18): a ConvTranspose whose weights have rank 2
// (ONNX's shape inference read past its kernel shape: SIGSEGV in every command), and pooling /
// BatchNormalization nodes with no input (protobuf's fatal CHECK when the engine prepared them).
TEST(CliBadInput, MalformedNodesGiveOneLineErrors)
{
    TempDir dir;
    onnx::ModelProto deconv = makeModel();
    onnx::GraphProto &deconvGraph = *deconv.mutable_graph();
    addInput(deconvGraph, "x", {1, 1, 3, 3});
    addInput(deconvGraph, "w", {1, 1});
    addOutput(deconvGraph, "y", {});
    addNode(deconvGraph, "ConvTranspose", {"x", "w"}, {"y"}, "deconv");
    dir.write("deconv.onnx", deconv.SerializeAsString());
    const Outcome inspected = inspect({dir.file("deconv.onnx")});
    EXPECT_EQ(inspected.exitCode, 0) << inspected.err; // inspect shows what is wrong
    EXPECT_NE(inspected.out.find("weights 'w' have rank 2"), std::string::npos) << inspected.out;
    expectOneLineError(runCli({"run", dir.file("deconv.onnx"), "--random"}),
                       dir.file("deconv.onnx"), "ConvTranspose 'deconv': input 'W' float32[1,1]");

    for (const std::string op : {"MaxPool", "AveragePool", "BatchNormalization"}) {
        onnx::ModelProto proto = makeModel();
        onnx::GraphProto &graph = *proto.mutable_graph();
        addInput(graph, "x", {1, 1, 3, 3});
        addOutput(graph, "y", {});
        addNode(graph, op, {}, {"y"}, "inputless");
        const std::string file = op + ".onnx";
        dir.write(file, proto.SerializeAsString());
        expectOneLineError(runCli({"run", dir.file(file), "--random"}), dir.file(file),
                           "node 'inputless' (" + op + ") has 0 inputs");
    }
}

// Names are untrusted bytes: an error naming a node whose name holds a newline stays one line,
// and JSON escapes control characters and replaces bytes that are not UTF-8.
TEST(CliBadInput, HostileNamesStayOneLineAndValidUtf8)
{
    TempDir dir;
    onnx::ModelProto proto = makeModel();
    onnx::GraphProto &graph = *proto.mutable_graph();
    addInput(graph, "x", {1, 4});
    addOutput(graph, "y", {1, 4});
    addNode(graph, "Relu", {"x"}, {"r"}, "name\nwith \xff\xfe bytes");
    onnx::NodeProto &unknown = addNode(graph, "NoSuchOp", {"r"}, {"y"}, "evil\nnode");
    unknown.set_domain("example.custom");
    onnx::OperatorSetIdProto *custom = proto.add_opset_import();
    custom->set_domain("example.custom");
    custom->set_version(1);
    dir.write("names.onnx", proto.SerializeAsString());
    const Outcome run = runCli({"run", dir.file("names.onnx"), "--random"});
    expectOneLineError(run, dir.file("names.onnx"), "evil\\nnode");

    const Outcome json = inspect({dir.file("names.onnx"), "--json", "--nodes"});
    EXPECT_EQ(json.exitCode, 0) << json.err;
    EXPECT_NE(json.out.find("name\\nwith \\ufffd\\ufffd bytes"), std::string::npos) << json.out;
    EXPECT_EQ(json.out.find('\xff'), std::string::npos);
}

TEST(CliInspect, ValidModelSucceedsInTextAndJson)
{
    TempDir dir;
    dir.write("model.onnx", validModelBytes());
    Outcome text = inspect({dir.file("model.onnx")});
    EXPECT_EQ(text.exitCode, 0) << text.err;
    EXPECT_NE(text.out.find("MatMul"), std::string::npos);
    Outcome json = inspect({dir.file("model.onnx"), "--json"});
    EXPECT_EQ(json.exitCode, 0) << json.err;
    EXPECT_NE(json.out.find("\"node_count\": 1"), std::string::npos);
    EXPECT_NE(json.out.find("\"parameter_count\": 64"), std::string::npos);
    Outcome nodes = inspect({dir.file("model.onnx"), "--nodes"});
    EXPECT_NE(nodes.out.find("fc"), std::string::npos);
}

} // namespace
} // namespace qs
