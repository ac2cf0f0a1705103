// quantscope-cli usage: every command answers -h/--help with its usage on stdout and exit 0,
// and a usage error is "quantscope-cli <command>: <message>", then the usage, on stderr, exit 2.
// Nothing here loads a model: these answers come before any file is opened.
#include "cli/cli.h"
#include "support/cli_runner.h"

#include <gtest/gtest.h>

namespace qs {
namespace {

using namespace qs::test;

const char *const kCommands[] = {"inspect", "run", "quantize", "bench", "ops"};

TEST(CliHelp, EveryCommandAnswersHelpOnStdout)
{
    for (const std::string command : kCommands) {
        for (const std::string flag : {"--help", "-h"}) {
            const Outcome outcome = runCli({command, flag});
            EXPECT_EQ(outcome.exitCode, cli::kSuccess) << command << " " << flag;
            EXPECT_TRUE(outcome.out.starts_with("usage: quantscope-cli " + command + " "))
                << command << " " << flag << ":\n"
                << outcome.out;
            EXPECT_TRUE(outcome.err.empty()) << command << " " << flag << ":\n" << outcome.err;
        }
    }
}

TEST(CliHelp, HelpWinsOverOtherArguments)
{
    // Even arguments that would be usage errors on their own.
    const std::vector<std::vector<std::string>> cases = {
        {"inspect", "a.onnx", "--frobnicate", "-h"},
        {"run", "--iterations", "0", "--help"},
        {"quantize", "--mode", "int4", "--help"},
        {"bench", "--data", "d", "--random", "-h"},
        {"ops", "--xml", "--help"},
    };
    for (const auto &args : cases) {
        const Outcome outcome = runCli(args);
        EXPECT_EQ(outcome.exitCode, cli::kSuccess) << args.front();
        EXPECT_TRUE(outcome.out.starts_with("usage: quantscope-cli " + args.front()))
            << outcome.out;
        EXPECT_TRUE(outcome.err.empty()) << outcome.err;
    }
}

TEST(CliHelp, TopLevelHelpListsTheCommands)
{
    for (const std::string flag : {"--help", "-h", "help"}) {
        const Outcome outcome = runCli({flag});
        EXPECT_EQ(outcome.exitCode, cli::kSuccess);
        EXPECT_TRUE(outcome.err.empty()) << outcome.err;
        for (const std::string command : kCommands)
            EXPECT_NE(outcome.out.find("\n  " + command + " "), std::string::npos)
                << command << " missing from:\n"
                << outcome.out;
    }
}

struct UsageCase
{
    std::vector<std::string> args;
    std::string message;
};

TEST(CliUsageErrors, NameTheCommandAndShowItsUsage)
{
    const UsageCase cases[] = {
        {{"inspect"}, "no model given"},
        {{"inspect", "a.onnx", "--frobnicate"}, "unknown option '--frobnicate'"},
        {{"inspect", "a.onnx", "b.onnx"}, "one model at a time ('a.onnx' and 'b.onnx' given)"},
        {{"run", "m.onnx", "--threads"}, "--threads needs a value"},
        {{"run", "m.onnx", "--shape", "x=1xq"}, "--shape x: '1xq' is not a shape like 1x3x224x224"},
        {{"run", "m.onnx", "--dim", "batch=-1"}, "--dim batch: '-1' is not a size"},
        {{"run", "m.onnx", "--seed", "s"}, "--seed expects a non-negative integer, got 's'"},
        {{"run", "m.onnx", "--image-size", "4"}, "--image-size expects HxW like 640x640, got '4'"},
        {{"quantize", "m.onnx", "--calib-samples", "0"},
         "--calib-samples expects an integer >= 1, got '0'"},
        {{"quantize", "m.onnx", "--nodes", "a,,b"},
         "--nodes expects a comma-separated list, got 'a,,b'"},
        {{"quantize", "m.onnx", "--percentile", "x"}, "--percentile expects a number, got 'x'"},
        {{"quantize", "m.onnx", "--percentile", "101"}, "--percentile expects a value in (0, 100]"},
        {{"quantize", "m.onnx", "--weight-type", "int4"},
         "--weight-type expects one of int8, uint8, got 'int4'"},
        {{"quantize", "m.onnx", "--mode", "dynamic"}, "no output given (-o OUT)"},
        {{"quantize", "m.onnx", "--dim", "seq"}, "--dim expects NAME=VALUE, got 'seq'"},
        {{"bench"}, "no reference model given"},
        {{"bench", "m.onnx", "--data", "d", "--random"}, "--data and --random exclude each other"},
        {{"bench", "m.onnx", "--image-size", "3"}, "--image-size expects HxW like 640x640, got '3'"},
        {{"bench", "m.onnx", "--std", "1,0,1"}, "--std values must be non-zero"},
        {{"bench", "m.onnx", "--dim", "seq=x"}, "--dim seq: 'x' is not a size"},
        {{"bench", "m.onnx", "--layout", "chw"}, "--layout expects one of nchw, nhwc, got 'chw'"},
        {{"ops", "--xml"}, "unknown argument '--xml'"},
    };
    for (const auto &c : cases) {
        const std::string &command = c.args.front();
        const Outcome outcome = runCli(c.args);
        EXPECT_EQ(outcome.exitCode, cli::kBadInput) << c.message;
        EXPECT_TRUE(outcome.out.empty()) << outcome.out;
        const std::string expected = "quantscope-cli " + command + ": " + c.message + "\n"
                                     + "usage: quantscope-cli " + command + " ";
        EXPECT_TRUE(outcome.err.starts_with(expected)) << "expected:\n"
                                                       << expected << "\ngot:\n"
                                                       << outcome.err;
    }
}

} // namespace
} // namespace qs
