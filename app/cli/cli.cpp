#include "cli/cli.h"

#include "cli/arguments.h"
#include "cli/bench_command.h"
#include "cli/inspect_command.h"
#include "cli/ops_command.h"
#include "cli/quantize_command.h"
#include "cli/run_command.h"
#include "cli/tune_command.h"
#include "cli/verify_command.h"
#include "util/library_versions.h"

#include <algorithm>
#include <iterator>
#include <ostream>

namespace qs::cli {

namespace {

constexpr const char *kUsage = R"(usage: quantscope-cli <command> [options]

Inspect and quantize ONNX models.

commands:
  inspect MODEL [--json] [--nodes] [--ops]
      Model summary and op-type table. --nodes: one row per node; --ops: op types
      with params and MACs; --json: one JSON document on stdout.
  run MODEL [--input NAME=PATH]... [--random [--seed N]] [--dim SYMBOL=VALUE]...
      [--shape NAME=D1xD2...]... [--image-size HxW] [--output-dir DIR] [--threads N]
      [--warmup N] [--iterations N] [--json]
      Run the model on the CPU with Quantscope's engine. Inputs: .npy or TensorProto .pb
      files; --random fills the others from the signature (floats in [0,1), integers in
      [0,8)). Outputs go to DIR/<name>.npy. --json prints output shapes and latency.
  quantize MODEL -o OUT --mode dynamic|static|fp16 [options]
      INT8 dynamic, INT8 static (QDQ or QOperator, calibrated on --calib-dir: images,
      .npy or .pb files) or FP16, with node and op-type exclusion. Every setting is a
      recipe field (--recipe FILE.textproto; flags override it); the effective recipe is
      written beside OUT as OUT.recipe.textproto. `quantize --help` lists the options.
  bench REF [VARIANT...] [--data DIR | --random] [--per-node] [--json FILE] [options]
      Size, latency (median/p90/p99) and accuracy (max/mean abs error, cosine, SQNR,
      top-1 agreement, NaN count) of each variant against REF; --per-node ranks every
      tensor both models compute by SQNR. --min-cosine/--min-sqnr: exit 3 below them.
      `bench --help` lists the options.
  verify MODEL --input NAME=FILE... --expected NAME=FILE.npy... [--rtol R] [--atol A]
      [--batch N,N...] [--json FILE]
      The export check: outputs against saved ones (numpy's allclose rule, defaults rtol
      1e-3, atol 1e-5), and with --batch each sample at batch N against its batch-1 run,
      naming the node that loses the batch. Exit 3 on a mismatch.
  tune MODEL -o OUT --mode static|dynamic --target EXPR... [--eval-dir DIR] [options]
      Accuracy-aware quantization: from quantize's flags as the starting recipe, keeps the
      most sensitive nodes in float (--search fallback) and / or tries calibration methods,
      per-channel, symmetric activations and op-type sets (recipes, both) until every target
      (cosine>=X, iou@T>=X, top5>=X, maxabs<=X, speedup>=X...) holds on --eval-dir, within
      --budget-trials / --budget-time. Writes the best model, its recipe and
      OUT.tune.textproto. Exit 3 when the targets are not met. `tune --help` lists the options.
  ops [--json]
      The operators the engine implements, with their opset since-versions.

  Random data (run --random, quantize --mode static without --calib-dir, bench --random)
  sizes a dynamic dim from --dim SYMBOL=VALUE, else as batch 1 (dim 0) or the image size
  (--image-size HxW); for any other dim the error names the input and the flag to give.

options:
  -h, --help      this text; after a command, that command's usage
  --version       the version

exit codes: 0 success, 2 bad input or usage, 1 internal error, 3 a bench gate failed,
            verify found a mismatch or tune did not meet its targets,
            130 cancelled (Ctrl-C)
)";

struct Command
{
    const CommandUsage *usage; // a pointer: the usages are other files' globals
    int (*run)(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
};

const Command kCommands[] = {
    {&kInspectUsage, inspectCommand}, {&kRunUsage, runCommand}, {&kQuantizeUsage, quantizeCommand},
    {&kBenchUsage, benchCommand},     {&kOpsUsage, opsCommand}, {&kVerifyUsage, verifyCommand},
    {&kTuneUsage, tuneCommand},
};

} // namespace

int run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (args.empty()) {
        err << kUsage;
        return kBadInput;
    }
    const std::string &command = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "-h" || command == "--help" || command == "help") {
        out << kUsage;
        return kSuccess;
    }
    if (command == "--version") {
        out << "quantscope-cli " << QUANTSCOPE_VERSION << "\n";
        for (const auto &[library, version] : libraryVersions())
            if (library != "Quantscope")
                out << "  " << library << " " << version << "\n";
        return kSuccess;
    }
    const auto found = std::find_if(std::begin(kCommands), std::end(kCommands),
                                    [&](const Command &c) { return c.usage->name == command; });
    if (found != std::end(kCommands)) {
        // -h/--help wins over everything else, for every command alike.
        if (helpRequested(rest)) {
            out << found->usage->text;
            return kSuccess;
        }
        return found->run(rest, out, err);
    }
    err << "quantscope-cli: unknown command '" << command << "' (see quantscope-cli --help)\n";
    return kBadInput;
}

} // namespace qs::cli
