#!/usr/bin/python3
"""Exports Quantscope's model zoo with Debian's python3-torch / python3-torchvision the way users
export models for deployment: torch.onnx.export, a dynamic batch dimension, random weights from a
fixed seed. Each model lands in CACHE/zoo/NAME/ with:

  model.onnx     the FP32 export
  inputs/        one test sample, `<input name>.npy` per input (CNNs: none; their tests feed
                 real photos, see zoo_inputs.py)
  calib/         for non-image models, one sub-folder per calibration sample (random ids inside
                 each table's vocabulary, random float features), the layout quantize --calib-dir
                 reads

and CACHE/zoo/manifest.json describes every model (family, inputs, image size, opset;
tests/CMakeLists.txt names the models CI checks). A model is exported once; a stamp per model records that it is complete, so an
interrupted export is redone rather than half-used.

usage: export-zoo.py CACHE_DIR [NAME...]     (no NAME: the whole zoo)

Two things torch 1.13 needs that users trip on: nn.TransformerEncoder and nn.MultiheadAttention
take a fused "fast path" under torch.no_grad() that has no ONNX form, so the export runs with
gradients enabled (the module in eval mode); and opset 13 decomposes LayerNorm into
ReduceMean/Sub/Pow/Sqrt/Div, while opset 17 writes LayerNormalization. The zoo has both: the text
encoder at 13 (as the issue's users exported it), ViT and ConvNeXt at 17.
"""
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torchvision

SEED = 20261205
# Part of every stamp: change it when the export changes, so cached models are exported again.
EXPORT_VERSION = f"zoo export 2, seed {SEED}, torch {torch.__version__}"
CACHE = None  # set by main(); the photos the BatchNorms settle on are in CACHE/photos
IMAGE_MEAN = [0.485, 0.456, 0.406]
IMAGE_STD = [0.229, 0.224, 0.225]


# ---- recommenders and sequence models (Torch-RecHub-style, small enough for CI) ---------------

class FeaturesEmbedding(nn.Module):
    """One embedding table for several categorical fields, each with its own id range (offsets),
    as DeepFM/MMoE implementations do."""

    def __init__(self, field_sizes, dim):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_sizes), dim)
        offsets = np.concatenate([[0], np.cumsum(field_sizes)[:-1]]).astype(np.int64)
        self.register_buffer("offsets", torch.from_numpy(offsets).unsqueeze(0))

    def forward(self, ids):  # ids [B, F] int64 -> [B, F, dim]
        return self.embedding(ids + self.offsets)


def mlp(sizes, dropout=0.0):
    layers = []
    for i in range(len(sizes) - 1):
        layers += [nn.Linear(sizes[i], sizes[i + 1]), nn.BatchNorm1d(sizes[i + 1]), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


FIELDS = [1000, 500, 200, 100, 50, 24, 7, 2000, 300, 10]  # categorical field vocabularies
DENSE = 13


class DeepFM(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.embed = FeaturesEmbedding(FIELDS, dim)
        self.linear = FeaturesEmbedding(FIELDS, 1)
        self.dense = nn.Linear(DENSE, dim)
        self.deep = mlp([(len(FIELDS) + 1) * dim, 256, 128, 64], 0.2)
        self.head = nn.Linear(64, 1)

    def forward(self, sparse_ids, dense_features):
        e = torch.cat([self.embed(sparse_ids), self.dense(dense_features).unsqueeze(1)], dim=1)
        first_order = self.linear(sparse_ids).sum(dim=1)
        square_of_sum = e.sum(dim=1) ** 2
        sum_of_square = (e * e).sum(dim=1)
        fm = 0.5 * (square_of_sum - sum_of_square).sum(dim=1, keepdim=True)
        deep = self.head(self.deep(e.flatten(1)))
        return torch.sigmoid(first_order + fm + deep)


class MMoE(nn.Module):
    def __init__(self, dim=16, experts=4, tasks=2):
        super().__init__()
        self.embed = FeaturesEmbedding(FIELDS, dim)
        width = len(FIELDS) * dim + DENSE
        self.experts = nn.ModuleList([mlp([width, 256, 128]) for _ in range(experts)])
        self.gates = nn.ModuleList([nn.Linear(width, experts) for _ in range(tasks)])
        self.towers = nn.ModuleList([nn.Sequential(mlp([128, 64]), nn.Linear(64, 1))
                                     for _ in range(tasks)])

    def forward(self, sparse_ids, dense_features):
        x = torch.cat([self.embed(sparse_ids).flatten(1), dense_features], dim=1)
        expert_out = torch.stack([expert(x) for expert in self.experts], dim=1)  # [B, E, 128]
        outputs = []
        for gate, tower in zip(self.gates, self.towers):
            weights = torch.softmax(gate(x), dim=1).unsqueeze(-1)  # [B, E, 1]
            outputs.append(torch.sigmoid(tower((weights * expert_out).sum(dim=1))))
        return torch.cat(outputs, dim=1)


USERS, ITEMS, HISTORY = 5000, 20000, 50


class TwoTowerUser(nn.Module):
    """The user tower of a two-tower retrieval model: user features and the mean of the item
    embeddings in the user's history, an MLP, an L2-normalised vector."""

    def __init__(self, dim=32):
        super().__init__()
        self.user = nn.Embedding(USERS, dim)
        self.profile = FeaturesEmbedding(FIELDS[:5], dim)
        self.items = nn.Embedding(ITEMS, dim)
        self.tower = nn.Sequential(mlp([7 * dim, 256, 128]), nn.Linear(128, 64))

    def forward(self, user_id, profile_ids, history_ids):
        history = self.items(history_ids).mean(dim=1)
        x = torch.cat([self.user(user_id).squeeze(1), self.profile(profile_ids).flatten(1),
                       history], dim=1)
        return nn.functional.normalize(self.tower(x), dim=1)


class GruRecommender(nn.Module):
    """GRU4Rec-style next-item scores over a session of item ids."""

    def __init__(self, dim=64, hidden=128):
        super().__init__()
        self.items = nn.Embedding(ITEMS, dim)
        self.gru = nn.GRU(dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, ITEMS)

    def forward(self, item_ids):
        output, _ = self.gru(self.items(item_ids))
        return self.out(output[:, -1])


class LstmClassifier(nn.Module):
    """A two-layer LSTM over float feature frames (speech/sensor style) with a linear head."""

    def __init__(self, features=64, hidden=128, classes=20):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, frames):
        output, _ = self.lstm(frames)
        return self.head(output[:, -1])


VOCAB = 8000


class TextEncoder(nn.Module):
    """nn.TransformerEncoder over token ids with masked mean pooling (a sentence embedding)."""

    def __init__(self, dim=256, heads=4, layers=4, max_len=128):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, dim)
        self.positions = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True,
                                           activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, layers)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        hidden = self.encoder(self.tokens(input_ids) + self.positions(positions))
        return hidden.mean(dim=1)


# ---- the zoo ------------------------------------------------------------------------------------

def vision(name, build, opset=13, size=224, family=None):
    return {"name": name, "family": family or name, "build": build, "opset": opset,
            "kind": "image", "image_size": [size, size],
            "inputs": [{"name": "input", "dtype": "float32", "shape": ["batch", 3, size, size]}]}


def tabular(name, module, inputs, opset=13, family=None, sample=None):
    return {"name": name, "family": family or name, "build": module, "opset": opset,
            "kind": "tabular", "inputs": inputs, "sample": sample}


def ids(name, shape, high):
    return {"name": name, "dtype": "int64", "shape": shape, "high": high}


def floats(name, shape):
    return {"name": name, "dtype": "float32", "shape": shape}


def small_vit():
    # torchvision's VisionTransformer at ViT-S/16 size: the same graph as vit_b_16 with half
    # the width and layers, so CI can afford it.
    return torchvision.models.VisionTransformer(image_size=224, patch_size=16, num_layers=6,
                                                num_heads=6, hidden_dim=384, mlp_dim=1536)


TV = torchvision.models
ZOO = [
    vision("resnet18", TV.resnet18, family="resnet"),
    vision("resnet50", TV.resnet50, family="resnet"),
    vision("mobilenet_v2", TV.mobilenet_v2),
    vision("mobilenet_v3_small", TV.mobilenet_v3_small, family="mobilenet_v3"),
    vision("mobilenet_v3_large", TV.mobilenet_v3_large, family="mobilenet_v3"),
    vision("efficientnet_b0", TV.efficientnet_b0),
    vision("shufflenet_v2_x1_0", TV.shufflenet_v2_x1_0),
    vision("regnet_y_400mf", TV.regnet_y_400mf),
    vision("squeezenet1_1", TV.squeezenet1_1),
    vision("densenet121", TV.densenet121),
    vision("convnext_tiny", TV.convnext_tiny, opset=17),
    vision("vit_s_16", small_vit, opset=17),
    tabular("lstm_classifier", LstmClassifier, [floats("frames", ["batch", "time", 64])],
            sample={"batch": 1, "time": 50}),
    tabular("transformer_encoder", TextEncoder,
            [ids("input_ids", ["batch", "sequence"], VOCAB)],
            sample={"batch": 1, "sequence": 64}),
    tabular("deepfm", DeepFM,
            [ids("sparse_ids", ["batch", len(FIELDS)], None), floats("dense_features",
                                                                    ["batch", DENSE])],
            family="recommender", sample={"batch": 32}),
    tabular("mmoe", MMoE,
            [ids("sparse_ids", ["batch", len(FIELDS)], None), floats("dense_features",
                                                                    ["batch", DENSE])],
            family="recommender", sample={"batch": 32}),
    tabular("two_tower_user", TwoTowerUser,
            [ids("user_id", ["batch", 1], USERS), ids("profile_ids", ["batch", 5], None),
             ids("history_ids", ["batch", HISTORY], ITEMS)],
            family="recommender", sample={"batch": 32}),
    tabular("gru_recommender", GruRecommender,
            [ids("item_ids", ["batch", "session"], ITEMS)], family="recommender",
            sample={"batch": 8, "session": 20}),
]
CALIBRATION_SAMPLES = 8


def random_input(spec, dims, rng):
    shape = [dims[d] if isinstance(d, str) else d for d in spec["shape"]]
    if spec["dtype"] == "float32":
        return rng.standard_normal(shape).astype(np.float32)
    if spec["high"] is None:  # one id per categorical field, each inside its own vocabulary
        columns = [rng.integers(0, FIELDS[f], size=shape[:-1]) for f in range(shape[-1])]
        return np.stack(columns, axis=-1).astype(np.int64)
    return rng.integers(0, spec["high"], size=shape).astype(np.int64)


def settle_batch_norms(model, entry):
    """Random weights with BatchNorm's initial statistics (mean 0, variance 1) make activations
    grow or vanish layer after layer, and a degenerate output compares equal to anything. Running
    a few batches of noise in training mode gives every BatchNorm the statistics of its input, as
    training does, so activations stay in a realistic range; heads that torchvision initialises
    to zero (ViT) get small random weights for the same reason."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None  # a cumulative average over the batches below
    if hasattr(model, "heads"):
        for module in model.heads.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, std=0.02)
    if entry["kind"] != "image" or not any(isinstance(m, nn.modules.batchnorm._BatchNorm)
                                           for m in model.modules()):
        return
    model.train()
    with torch.no_grad():
        model(settling_images(entry["image_size"]))
    model.eval()


def settling_images(size):
    """The sample photos (not the held-out test photo) preprocessed as the tests feed them: the
    BatchNorm statistics then fit real images, not noise, so the random network's activations
    carry the structure of real inputs through every layer."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                    "models"))
    import zoo
    photo_dir = os.path.join(CACHE, "photos")
    names = [n for n in sorted(os.listdir(photo_dir))
             if n != zoo.HELD_OUT_PHOTO and n.endswith((".png", ".jpg"))]
    batch = []
    for name in names:
        try:
            batch.append(zoo.image_input(os.path.join(photo_dir, name), size, IMAGE_MEAN,
                                         IMAGE_STD))
        except OSError:  # skimage ships a deliberately truncated JPEG
            pass
    return torch.from_numpy(np.concatenate(batch))


def export(entry, folder):
    torch.manual_seed(SEED)
    model = entry["build"]().eval()
    settle_batch_norms(model, entry)
    if entry["kind"] == "image":
        size = entry["image_size"]
        example = (torch.randn(1, 3, *size),)
        dims = {}
    else:
        dims = entry["sample"]
        rng = np.random.default_rng(SEED)
        example = tuple(torch.from_numpy(random_input(spec, dims, rng)) for spec in
                        entry["inputs"])
    dynamic_axes = {spec["name"]: {i: d for i, d in enumerate(spec["shape"]) if isinstance(d, str)}
                    for spec in entry["inputs"]}
    dynamic_axes["output"] = {0: "batch"}
    # Gradients enabled on purpose (see the module comment): eval() mode, but no no_grad().
    with torch.enable_grad():
        torch.onnx.export(model, example, os.path.join(folder, "model.onnx"),
                          input_names=[spec["name"] for spec in entry["inputs"]],
                          output_names=["output"], dynamic_axes=dynamic_axes,
                          opset_version=entry["opset"], do_constant_folding=True)
    if entry["kind"] == "image":
        return
    rng = np.random.default_rng(SEED + 1)
    os.makedirs(os.path.join(folder, "inputs"))
    for spec in entry["inputs"]:
        np.save(os.path.join(folder, "inputs", spec["name"] + ".npy"),
                random_input(spec, dims, rng))
    for sample in range(CALIBRATION_SAMPLES):
        sample_dir = os.path.join(folder, "calib", f"sample_{sample:02d}")
        os.makedirs(sample_dir)
        for spec in entry["inputs"]:
            np.save(os.path.join(sample_dir, spec["name"] + ".npy"),
                    random_input(spec, dims, rng))


def manifest_entry(entry):
    keep = {k: v for k, v in entry.items() if k != "build"}
    keep["inputs"] = [{k: v for k, v in spec.items() if k != "high"} for spec in entry["inputs"]]
    return keep


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    global CACHE
    CACHE = sys.argv[1]
    root = os.path.join(CACHE, "zoo")
    wanted = set(sys.argv[2:])
    unknown = wanted - {e["name"] for e in ZOO}
    if unknown:
        print(f"export-zoo: unknown model(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    os.makedirs(root, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    for entry in ZOO:
        if wanted and entry["name"] not in wanted:
            continue
        folder = os.path.join(root, entry["name"])
        stamp = folder + ".stamp"
        if os.path.exists(stamp) and open(stamp).read().strip() == EXPORT_VERSION:
            continue
        print(f"export-zoo: exporting {entry['name']}", file=sys.stderr)
        work = tempfile.mkdtemp(prefix=entry["name"] + ".", dir=root)
        try:
            export(entry, work)
        except Exception:
            shutil.rmtree(work, ignore_errors=True)
            raise
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
        with open(stamp, "w") as f:
            f.write(EXPORT_VERSION + "\n")
    manifest = os.path.join(root, "manifest.json")
    with open(manifest + ".tmp", "w") as f:
        json.dump({"models": [manifest_entry(e) for e in ZOO], "image_mean": IMAGE_MEAN,
                   "image_std": IMAGE_STD}, f, indent=1)
    os.replace(manifest + ".tmp", manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
