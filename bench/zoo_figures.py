#!/usr/bin/python3
"""The engine's speed on the model zoo (scripts/export-zoo.py) against ONNX Runtime
(onnxruntime-node), every model in its four forms made by our quantizer (FP32, static QDQ
per-channel, dynamic INT8, FP16 --keep-io-types), same inputs and thread count, interleaved
rounds in one run; each figure is the best-of-rounds median. Prints one table per instruction
set and the issue's targets. "avx2" runs both peers as on an AVX2 CPU without VNNI: oneDNN limited
through ONEDNN_MAX_CPU_ISA (the engine's own CPU checks read it through oneDNN), and both processes
under build/bench/libqs_avx2_cpu.so, which hides AVX-512, VNNI and AMX from CPUID (ORT has no
switch of its own). Where the kernel lacks CPUID faulting the library cannot work; the table then
says ORT ran with the real CPU's instructions.
  FP32 and static QDQ: engine/ORT geometric mean <= 1.0, no model above 1.3;
  dynamic and FP16: no model above 1.3;
  wherever ORT's INT8 is faster than ORT's FP32, ours is faster than our FP32.

usage: zoo_figures.py BUILD_DIR CACHE_DIR [--threads N] [--rounds N] [--iterations N]
                      [--models A,B] [--forms fp32,qdq,dynamic,fp16] [--isa native,avx2]
"""
import math
import os
import sys

from peers import Peers, argument_parser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "models"))
import zoo  # noqa: E402

ISA_ENV = {"native": {}, "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2"}}
AVX2_CPU_LIBRARY = os.path.join("bench", "libqs_avx2_cpu.so")  # under the build directory
# ORT runs our FP16 text encoder at EXTENDED: at ALL it crashes (bench/ort_fp16_crash_repro.py).
ORT_LEVEL = {("transformer_encoder", "fp16"): "extended"}


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def cpuid_faulting():
    """Whether the kernel can trap CPUID here (what libqs_avx2_cpu.so needs)."""
    try:
        with open("/proc/cpuinfo") as f:
            return "cpuid_fault" in f.read().split()
    except OSError:
        return False


def isa_env(peers, build, isa):
    """The environment both peers run in for `isa`, and a note for the table's title."""
    env = dict(peers.env, **ISA_ENV[isa])
    if isa != "avx2":
        return env, ""
    library = os.path.join(build, AVX2_CPU_LIBRARY)
    if cpuid_faulting() and os.path.exists(library):
        env["LD_PRELOAD"] = library
        return env, "both peers see an AVX2 CPU without VNNI (CPUID masked)"
    return env, ("oneDNN limited to AVX2; ONNX Runtime ran with the real CPU's instructions "
                 "(no CPUID faulting here, or " + library + " not built)")


def measure(peers, cases, rounds, env, isa):
    """{(model, form): (engine ms, ORT ms)}: best median over interleaved rounds."""
    best = {}
    for round_index in range(rounds):
        for key, (path, feeds) in cases.items():
            level = ORT_LEVEL.get(key, "all")
            ours = peers.engine(path, feeds, env)["latency_ms"]["median"]
            theirs = peers.ort(path, feeds, env, level)["latency_ms"]["median"]
            old = best.get(key, (float("inf"), float("inf")))
            best[key] = (min(old[0], ours), min(old[1], theirs))
        print(f"  [{isa}] round {round_index + 1}/{rounds} done", file=sys.stderr, flush=True)
    return best


def print_table(isa, models, forms, best):
    print(f"\n== {isa}: engine / ONNX Runtime, ms (best-of-rounds median) ==")
    header = f"{'model':22}" + "".join(f"{form:>24}" for form in forms)
    if "fp32" in forms and "qdq" in forms:
        header += f"{'ours INT8/FP32':>16}{'ORT INT8/FP32':>15}"
    print(header)
    ratios = {form: [] for form in forms}
    int8_problems = []
    for model in models:
        line = f"{model:22}"
        for form in forms:
            if (model, form) not in best:
                line += f"{'-':>24}"
                continue
            ours, theirs = best[(model, form)]
            ratios[form].append((model, ours / theirs))
            line += f"{ours:8.2f}/{theirs:8.2f} {ours / theirs:5.2f}"
        if (model, "fp32") in best and (model, "qdq") in best:
            ours_speedup = best[(model, "fp32")][0] / best[(model, "qdq")][0]
            ort_speedup = best[(model, "fp32")][1] / best[(model, "qdq")][1]
            line += f"{ours_speedup:15.2f}x{ort_speedup:14.2f}x"
            if ort_speedup > 1.0 and ours_speedup <= 1.0:
                int8_problems.append(model)
        print(line)
    print("targets:")
    for form in forms:
        values = [r for _, r in ratios[form]]
        if not values:
            continue
        worst_model, worst = max(ratios[form], key=lambda item: item[1])
        mean = geomean(values)
        mean_target = form in ("fp32", "qdq")
        met = worst <= 1.3 and (mean <= 1.0 or not mean_target)
        print(f"  {form:8} geomean engine/ORT {mean:.2f}{' (<= 1.0)' if mean_target else ''}, "
              f"worst {worst:.2f} ({worst_model}, <= 1.3): {'met' if met else 'NOT met'}")
    if "fp32" in forms and "qdq" in forms:
        print("  INT8 faster than our FP32 wherever ORT's INT8 beats ORT's FP32: "
              + ("met" if not int8_problems else "NOT met on " + ", ".join(int8_problems)))


def main():
    parser = argument_parser()
    parser.add_argument("--models")
    parser.add_argument("--forms", default=",".join(zoo.FORMS))
    parser.add_argument("--isa", default="native,avx2")
    args = parser.parse_args()
    peers = Peers(args)
    manifest = zoo.load_manifest(args.cache)
    entries = manifest["models"]
    if args.models:
        entries = [e for e in entries if e["name"] in args.models.split(",")]
    forms = args.forms.split(",")
    cli = os.path.join(args.build, "bin", "quantscope-cli")
    work = os.path.join(args.cache, "bench", "zoo-forms")  # quantized by this build, remade
    os.makedirs(work, exist_ok=True)
    photo_dir = os.path.join(args.cache, "photos")
    cases = {}
    for entry in entries:
        feeds = zoo.feeds(entry, manifest, photo_dir, work)
        for form in forms:
            path = os.path.join(work, f"{entry['name']}.{form}.onnx")
            if form != "fp32" and os.path.exists(path):
                os.remove(path)  # made by another build's quantizer; make it again
            cases[(entry["name"], form)] = (zoo.make_form(cli, entry, manifest, form, photo_dir,
                                                          work), feeds)
        print(f"  quantized {entry['name']}", file=sys.stderr, flush=True)
    print(f"{len(entries)} zoo models x {len(forms)} forms, {args.threads} threads, "
          f"{args.rounds} interleaved rounds of {args.iterations} iterations; CPU: "
          f"{cpu_name()}")
    for isa in args.isa.split(","):
        env, note = isa_env(peers, args.build, isa)
        if note:
            print(f"[{isa}] {note}")
        best = measure(peers, cases, args.rounds, env, isa)
        print_table(isa, [e["name"] for e in entries], forms, best)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    flags = open("/proc/cpuinfo").read()
                    isa = ("AVX-512 VNNI" if "avx512_vnni" in flags else
                           "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "")
                    return line.split(":", 1)[1].strip() + f" ({isa})"
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    sys.exit(main())
