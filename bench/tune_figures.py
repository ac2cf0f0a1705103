#!/usr/bin/python3
"""The figures of `quantscope-cli tune` on the PaddleOCR models (README, "quantscope-cli tune"):
trials, search time (and the wall time with calibration and the FP32 reference), the metric
reached, the nodes kept float (and with 16-bit activations), and the best trial's latency
against FP32. The photos are split as the tests split them: page.png and text.png held out of
calibration, text.png judges the line models (cls, rec), page.png det.

usage: tune_figures.py BUILD_DIR CACHE_DIR [--models cls,rec[,det]] [--fallback-16bit]
                       [--threads N] [--budget-trials N]

Each model's run is `quantscope-cli tune ... --json`, so the table is read from the TuneRun the
tool wrote, not from its console lines.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HELD_OUT = {"page.png", "text.png"}
LINE = ["--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5", "--bgr"]
DET = ["--image-size", "480x480", "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225",
       "--bgr"]

# model: (file, evaluation photo, preprocessing, targets, extra flags)
MODELS = {
    "cls": ("ch_ppocr_mobile_v2.0_cls_infer.onnx", "text.png",
            ["--image-size", "48x192"] + LINE, ["top1>=1"], []),
    "rec": ("ch_PP-OCRv4_rec_infer.onnx", "text.png",
            ["--image-size", "48x320"] + LINE, ["cosine>=0.99"], []),
    "det": ("ch_PP-OCRv4_det_infer.onnx", "page.png", DET,
            ["cosine>=0.99", "iou@0.3>=0.97"], ["--search", "both", "--budget-time", "900"]),
}


def split_photos(photos, evaluation_photo, work):
    calibration = os.path.join(work, "calibration")
    evaluation = os.path.join(work, "evaluation")
    os.makedirs(calibration)
    os.makedirs(evaluation)
    for name in sorted(os.listdir(photos)):
        if name == evaluation_photo:
            os.symlink(os.path.join(photos, name), os.path.join(evaluation, name))
        elif name not in HELD_OUT:
            os.symlink(os.path.join(photos, name), os.path.join(calibration, name))
    return calibration, evaluation


def tune(cli, model_dir, photos, name, options):
    file, evaluation_photo, preprocessing, targets, extra = MODELS[name]
    with tempfile.TemporaryDirectory(prefix="quantscope-tune-figures-") as work:
        calibration, evaluation = split_photos(photos, evaluation_photo, work)
        run_json = os.path.join(work, "run.json")
        command = [cli, "tune", os.path.join(model_dir, file), "-o",
                   os.path.join(work, name + "_tuned.onnx"), "--mode", "static",
                   "--per-channel", "--calib-dir", calibration, "--eval-dir", evaluation,
                   "--threads", str(options.threads), "--json", run_json,
                   "--budget-trials", str(options.budget_trials)] + preprocessing + extra
        for target in targets:
            command += ["--target", target]
        if options.fallback_16bit:
            command.append("--fallback-16bit")
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.monotonic() - started
        if done.returncode not in (0, 3):
            sys.exit(f"{name}: tune exited {done.returncode}: {done.stderr.strip()}")
        with open(run_json) as stream:
            return json.load(stream), wall


def row(name, run, wall):
    best = run["trials"][run.get("bestTrial", 0)]
    metrics = ", ".join(f"{m['name']} {m['value']:.4f}" for m in best.get("metrics", [])
                        if m["name"] not in ("speedup", "smaller"))
    latency = best.get("latencyMs", 0.0)
    reference = run.get("referenceLatencyMs", 0.0)
    return (f"| {name} | {', '.join(run['targets'])} | "
            f"{'met' if run.get('targetsMet') else 'not met'}: {metrics} | "
            f"{len(run['trials'])}, {run.get('seconds', 0.0):.0f} s ({wall:.0f} s wall) | "
            f"{len(best.get('nodesKeptFloat', []))} | {len(best.get('nodes16bit', []))} | "
            f"{latency:.1f} vs {reference:.1f} ms |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("--models", default="cls,rec")
    parser.add_argument("--fallback-16bit", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--budget-trials", type=int, default=500)
    options = parser.parse_args()
    cli = os.path.join(options.build, "bin", "quantscope-cli")
    model_dir = os.path.join(options.cache, "ocr-models", "assets")
    photos = os.path.join(options.cache, "photos")
    print("| model | targets | result | trials, search time | kept float | 16-bit | "
          "latency vs FP32 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in options.models.split(","):
        run, wall = tune(cli, model_dir, photos, name, options)
        print(row(name, run, wall), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
