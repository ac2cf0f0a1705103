"""The model zoo (scripts/export-zoo.py) as the tests and benches see it: its manifest, the test
input of each model (a real photo for the CNNs, the exported random ids/features otherwise), the
four forms made by our quantizer, and one run of a model in our engine or in ONNX Runtime.
Shared by tests/models/check_zoo_vs_ort.py and bench/zoo_figures.py, so both use the same files
and inputs."""
import json
import os
import subprocess

import numpy as np
from PIL import Image

HELD_OUT_PHOTO = "chelsea.png"  # the test input of every CNN; never in the calibration set
CALIBRATION_SAMPLES = 8

# Each form: quantize flags (None: the FP32 export itself). Static QDQ is per-channel, as issue
# 15 asks; FP16 keeps float32 inputs/outputs, as users deploying it do.
FORMS = {
    "fp32": None,
    "qdq": ["--mode", "static", "--format", "qdq", "--per-channel"],
    "dynamic": ["--mode", "dynamic"],
    "fp16": ["--mode", "fp16", "--keep-io-types"],
}


def load_manifest(cache):
    path = os.path.join(cache, "zoo", "manifest.json")
    with open(path) as f:
        manifest = json.load(f)
    for entry in manifest["models"]:
        entry["folder"] = os.path.join(cache, "zoo", entry["name"])
        entry["model"] = os.path.join(entry["folder"], "model.onnx")
    return manifest


def image_input(photo, size, mean, std):
    """The photo as the quantizer's image preprocessing reads it: RGB, resized to size
    (bilinear), scaled to 0-1, normalised by mean/std, NCHW with batch 1."""
    height, width = size
    image = Image.open(photo).convert("RGB").resize((width, height), Image.BILINEAR)
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    pixels = (pixels - np.array(mean, np.float32)) / np.array(std, np.float32)
    return pixels.transpose(2, 0, 1)[np.newaxis].astype(np.float32)


def calibration_folder(photo_dir, work):
    """The photos except the held-out one, as symlinks in a folder quantize --calib-dir reads."""
    folder = os.path.join(work, "calibration-photos")
    if not os.path.isdir(folder):
        os.makedirs(folder)
        for name in sorted(os.listdir(photo_dir)):
            if name != HELD_OUT_PHOTO and name.endswith((".png", ".jpg")):
                os.symlink(os.path.join(photo_dir, name), os.path.join(folder, name))
    return folder


def feeds(entry, manifest, photo_dir, work):
    """{input name: .npy path} of the model's test sample."""
    if entry["kind"] == "image":
        path = os.path.join(work, entry["name"] + "_input.npy")
        if not os.path.exists(path):
            np.save(path, image_input(os.path.join(photo_dir, HELD_OUT_PHOTO),
                                      entry["image_size"], manifest["image_mean"],
                                      manifest["image_std"]))
        return {entry["inputs"][0]["name"]: path}
    return {spec["name"]: os.path.join(entry["folder"], "inputs", spec["name"] + ".npy")
            for spec in entry["inputs"]}


def quantize_flags(entry, manifest, form, photo_dir, work):
    flags = list(FORMS[form])
    if form != "qdq":
        return flags
    if entry["kind"] == "image":
        size = "x".join(str(d) for d in entry["image_size"])
        mean = ",".join(str(v) for v in manifest["image_mean"])
        std = ",".join(str(v) for v in manifest["image_std"])
        return flags + ["--calib-dir", calibration_folder(photo_dir, work), "--calib-samples",
                        str(CALIBRATION_SAMPLES), "--image-size", size, "--mean", mean,
                        "--std", std]
    return flags + ["--calib-dir", os.path.join(entry["folder"], "calib")]


def make_form(cli, entry, manifest, form, photo_dir, work, threads=2):
    """Path of `entry` in `form`, quantized by our CLI into work/ (made once per work folder).
    Raises RuntimeError with the CLI's message when quantizing fails."""
    if FORMS[form] is None:
        return entry["model"]
    out = os.path.join(work, f"{entry['name']}.{form}.onnx")
    if os.path.exists(out):
        return out
    command = [cli, "quantize", entry["model"], "-o", out, "--threads", str(threads)]
    command += quantize_flags(entry, manifest, form, photo_dir, work)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"quantize {entry['name']} to {form} exited {done.returncode}: "
                           f"{done.stderr.strip()}")
    return out


def _input_flags(model_feeds):
    return [arg for name, path in model_feeds.items() for arg in ("--input", f"{name}={path}")]


def _outputs(out_dir):
    return [np.load(os.path.join(out_dir, name)) for name in sorted(os.listdir(out_dir))]


def run_engine(cli, model, model_feeds, out_dir, threads=2):
    """Our engine's outputs (sorted by output name) for the sample."""
    subprocess.run([cli, "run", model, "--output-dir", out_dir, "--threads", str(threads)]
                   + _input_flags(model_feeds), check=True, capture_output=True, text=True)
    return _outputs(out_dir)


def run_ort(peer, node_modules, model, model_feeds, out_dir, optimization="all", threads=2):
    """ONNX Runtime's outputs (sorted by output name) for the sample."""
    env = dict(os.environ, NODE_PATH=node_modules)
    subprocess.run(["node", peer, "--model", model, "--output-dir", out_dir, "--threads",
                    str(threads), "--optimization", optimization] + _input_flags(model_feeds),
                   check=True, capture_output=True, text=True, env=env)
    return _outputs(out_dir)
