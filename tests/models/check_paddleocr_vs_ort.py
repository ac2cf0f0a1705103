#!/usr/bin/python3
"""Cross-check: Quantscope's engine against ONNX Runtime (onnxruntime-node) on the PaddleOCR
det, rec and cls models, each on a seeded random input and on a real photo from skimage's data
preprocessed like PaddleOCR does. Every output must agree within 1e-4 x max|reference|.

usage: check_paddleocr_vs_ort.py QUANTSCOPE_CLI ORT_PEER_JS ORT_NODE_MODULES OCR_DIR PHOTO_DIR
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

TOLERANCE = 1e-4


def normalize(image, mean, std):
    """HWC uint8 RGB -> NCHW float32, channels in BGR order as PaddleOCR (OpenCV) reads them."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)[:, :, ::-1] / 255.0
    pixels = (pixels - np.array(mean, np.float32)) / np.array(std, np.float32)
    return np.ascontiguousarray(pixels.transpose(2, 0, 1)[np.newaxis]).astype(np.float32)


def det_input(photo):
    # PaddleOCR's DetResizeForTest: longest side limited, both sides rounded to multiples of 32.
    image = Image.open(photo)
    scale = 640 / max(image.size)
    width = max(32, int(round(image.size[0] * scale / 32)) * 32)
    height = max(32, int(round(image.size[1] * scale / 32)) * 32)
    return normalize(image.resize((width, height), Image.BILINEAR),
                     [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])


def line_input(photo, height, max_width):
    # rec/cls: a text line resized to the model's height, right-padded with zeros to max_width.
    image = Image.open(photo)
    band = image.crop((0, 0, image.size[0], min(image.size[1], image.size[0] // 6)))
    width = min(max_width, int(math.ceil(height * band.size[0] / band.size[1])))
    resized = normalize(band.resize((width, height), Image.BILINEAR), [0.5] * 3, [0.5] * 3)
    padded = np.zeros((1, 3, height, max_width), np.float32)
    padded[:, :, :, :width] = resized
    return padded


def run_quantscope(cli, model, input_file, out_dir):
    subprocess.run([cli, "run", model, "--input", "x=" + input_file, "--output-dir", out_dir,
                    "--threads", "2"], check=True, stdout=subprocess.DEVNULL)


def run_ort(peer, node_modules, model, input_file, out_dir):
    env = dict(os.environ, NODE_PATH=node_modules)
    subprocess.run(["node", peer, "--model", model, "--input", "x=" + input_file,
                    "--output-dir", out_dir], check=True, env=env, stdout=subprocess.DEVNULL)


def compare(case, ours_dir, ref_dir):
    names = sorted(os.listdir(ref_dir))
    failures = []
    for name in names:
        ref = np.load(os.path.join(ref_dir, name))
        ours_path = os.path.join(ours_dir, name)
        if not os.path.exists(ours_path):
            failures.append(f"{case}: output {name} missing from Quantscope's outputs")
            continue
        ours = np.load(ours_path)
        if ours.shape != ref.shape or ours.dtype != ref.dtype:
            failures.append(f"{case}: {name} is {ours.dtype}{list(ours.shape)}, "
                            f"ONNX Runtime gives {ref.dtype}{list(ref.shape)}")
            continue
        scale = float(np.max(np.abs(ref))) if ref.size else 0.0
        error = float(np.max(np.abs(ours.astype(np.float64) - ref))) if ref.size else 0.0
        verdict = "ok" if error <= TOLERANCE * scale else "MISMATCH"
        print(f"{verdict:8} {case:28} {name:22} shape {list(ref.shape)} "
              f"max|diff| {error:.3g} (limit {TOLERANCE * scale:.3g})")
        if verdict != "ok":
            failures.append(f"{case}: {name} differs by {error:.3g} > {TOLERANCE} x {scale:.3g}")
    return failures


def main():
    cli, peer, node_modules, ocr_dir, photo_dir = sys.argv[1:6]
    # Random inputs are standard normal, the range of PaddleOCR's normalised images: uniform [0, 1)
    # drives det to an all-background map (~1e-6) where ONNX Runtime's own Sigmoid approximation
    # is off by several x, which would test ORT rather than us.
    rng = np.random.default_rng(2024)
    cases = [
        ("det", "ch_PP-OCRv4_det_infer.onnx", "random 1x3x320x320",
         rng.standard_normal((1, 3, 320, 320), dtype=np.float32)),
        ("det", "ch_PP-OCRv4_det_infer.onnx", "photo page.png",
         det_input(os.path.join(photo_dir, "page.png"))),
        ("rec", "ch_PP-OCRv4_rec_infer.onnx", "random 1x3x48x320",
         rng.standard_normal((1, 3, 48, 320), dtype=np.float32)),
        ("rec", "ch_PP-OCRv4_rec_infer.onnx", "photo text.png",
         line_input(os.path.join(photo_dir, "text.png"), 48, 320)),
        ("cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "random 1x3x48x192",
         rng.standard_normal((1, 3, 48, 192), dtype=np.float32)),
        ("cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "photo text.png",
         line_input(os.path.join(photo_dir, "text.png"), 48, 192)),
    ]
    failures = []
    with tempfile.TemporaryDirectory(prefix="quantscope-ort-check-") as work:
        for index, (kind, file, what, tensor) in enumerate(cases):
            case = f"{kind} {what}"
            model = os.path.join(ocr_dir, file)
            input_file = os.path.join(work, f"input{index}.npy")
            np.save(input_file, tensor)
            ours_dir = os.path.join(work, f"ours{index}")
            ref_dir = os.path.join(work, f"ort{index}")
            try:
                run_quantscope(cli, model, input_file, ours_dir)
            except subprocess.CalledProcessError as error:
                failures.append(f"{case}: quantscope-cli run failed with exit code {error.returncode}")
                continue
            run_ort(peer, node_modules, model, input_file, ref_dir)
            failures += compare(case, ours_dir, ref_dir)
    for failure in failures:
        print("FAIL", failure)
    print(f"{len(cases) - len({f.split(':')[0] for f in failures})} of {len(cases)} cases agree "
          f"with ONNX Runtime within {TOLERANCE} x max|reference|")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
