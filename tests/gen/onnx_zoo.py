#!/usr/bin/python3
"""onnx_zoo.py - the ONNX real-model zoo: torchvision networks exported by PyTorch.

usage: /usr/bin/python3 tests/gen/onnx_zoo.py [--out DIR] [--only a,b] [--force]
                                              [--ort-python PY]

Needs Debian's python3-torch and python3-torchvision (torch 1.13,
torchvision 0.14; apt-get install python3-torch python3-torchvision), which
run under /usr/bin/python3 with Debian's numpy, and, for the second
reference, onnxruntime in .venv/onnx (tests/setup-venvs.sh onnx).

Every model gets random weights (torch.manual_seed, fixed per model), no
download: the pretrained weights would not make the comparison any better,
and the zoo must be rebuilt offline.  Default initialisations leave every
BatchNorm with running mean 0 and variance 1 and an identity affine
transform, which makes BatchNorm an identity and lets a wrong epsilon or
a swapped mean/variance go unnoticed; they are drawn at random here (a
variance in [0.5, 2], a mean and shift of about 0.1, a scale in
[0.5, 1.5]).  LayerNorm affine parameters are drawn likewise.

For each model DIR/NAME/ holds
    model.onnx       exported with opset 17 (LayerNormalization and all);
                     a lower opset only when 17 fails, recorded in meta.json
    input.npz        in0, in1... by position (float32, standard normal)
    reference.npz    PyTorch's outputs out0, out1... by position
    ort.npz          onnxruntime's outputs of the same model, same keys
    meta.json        opset, input/output names, shapes, versions, notes
and for models with dynamic axes (the transformer) also input2.npz,
reference2.npz and ort2.npz at a second batch and sequence size.

DIR defaults to $MO_ONNX_ZOO, else tests/zoo/onnx (git-ignored).  A model
whose folder already has meta.json is skipped unless --force.
"""
import argparse
import json
import os
import subprocess
import sys
import traceback

import numpy as np
import torch
import torch.nn as nn
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
OPSET = 17

# onnxruntime lives in its own venv (another numpy); it reads the .npz files
ORT_CHILD = r"""
import json, sys
import numpy as np
import onnxruntime as ort
model, meta, inp, out = sys.argv[1:5]
names = json.load(open(meta))["inputs"]
so = ort.SessionOptions()
# no graph rewriting: the reference should be the model as written
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
s = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
ins = np.load(inp)
res = s.run(None, {n: ins[f"in{i}"] for i, n in enumerate(names)})
np.savez(out, **{f"out{i}": r for i, r in enumerate(res)})
"""


def randomize_norms(model, gen):
    """Give every BatchNorm/LayerNorm random statistics and affine terms (see
    the module docstring: the defaults make them identities)."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(c, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.5)
                if m.affine:
                    m.weight.copy_(torch.rand(c, generator=gen) + 0.5)
                    m.bias.copy_(torch.randn(c, generator=gen) * 0.1)
        elif isinstance(m, (nn.LayerNorm, nn.GroupNorm)) and getattr(m, "weight", None) is not None:
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)


class DictOut(nn.Module):
    """Segmentation models return {'out': ...}; export the tensor."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x):
        return self.m(x)["out"]


class SSDHead(nn.Module):
    """SSDlite up to its raw tensors: backbone features -> head ->
    (bbox_regression [N, anchors, 4], cls_logits [N, anchors, classes]).
    The whole detector (its resize and normalisation, box decoding,
    per-class top-k, batched NMS in an If, top 300) exports too, but is
    no usable reference with random weights: the class logits spread by
    0.07, the 300 scores lie within 3e-4 of 1/91, many tie exactly (most
    positions of the 20x20 level leave the head's ReLU6 all zero, so their
    logits are the bias alone), and which boxes survive NMS is decided by
    rounding: onnxruntime and PyTorch disagreed on about half of them.
    Scaling the head to spread the logits only moved the ties (ReLU6
    saturates).  Hence the convolutional part alone, outputs of fixed shape."""

    def __init__(self, m):
        super().__init__()
        self.backbone = m.backbone
        self.head = m.head

    def forward(self, x):
        feats = list(self.backbone(x).values())
        h = self.head(feats)
        return h["bbox_regression"], h["cls_logits"]


class Encoder(nn.Module):
    """A small post-norm transformer encoder (2 layers, d_model 64, 4 heads),
    batch first, with a final LayerNorm."""

    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                           dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(64),
                                         enable_nested_tensor=False)

    def forward(self, x):
        return self.enc(x)


class _EvalDropoutF:
    """torch.nn.functional as torchvision 0.14's swin_transformer.py should
    see it: that file calls F.dropout(x, p=0.0) without training=, i.e. in
    training mode, so the export holds Dropout nodes with training_mode=True
    (ratio 0, an identity), which OpenVINO's own ONNX frontend rejects
    ("Training mode is not supported for Dropout op"; torchvision 0.15
    passes training=).  Dropout follows the module's mode instead."""

    def __getattr__(self, name):
        return getattr(torch.nn.functional, name)

    @staticmethod
    def dropout(x, p=0.5, training=False, inplace=False):
        return torch.nn.functional.dropout(x, p, training, inplace)


def swin_t():
    import torchvision.models.swin_transformer as sw
    sw.F = _EvalDropoutF()
    return torchvision.models.swin_t(weights=None)


def tv(name, **kw):
    def make():
        return getattr(torchvision.models, name)(weights=None, **kw)
    return make


def seg(name):
    def make():
        return DictOut(getattr(torchvision.models.segmentation, name)(
            weights=None, weights_backbone=None, num_classes=21))
    return make


def ssd():
    return SSDHead(torchvision.models.detection.ssdlite320_mobilenet_v3_large(
        weights=None, weights_backbone=None, num_classes=91))


IMG = [(1, 3, 224, 224)]
# name -> (constructor, input shapes, dynamic axes or None, second input shapes)
MODELS = {
    "resnet50": (tv("resnet50"), IMG, None, None),
    "mobilenet_v3_large": (tv("mobilenet_v3_large"), IMG, None, None),
    "efficientnet_b0": (tv("efficientnet_b0"), IMG, None, None),
    "convnext_tiny": (tv("convnext_tiny"), IMG, None, None),
    "regnet_y_400mf": (tv("regnet_y_400mf"), IMG, None, None),
    "swin_t": (swin_t, IMG, None, None),
    "shufflenet_v2_x1_0": (tv("shufflenet_v2_x1_0"), IMG, None, None),
    # aux_logits=False: in eval mode the auxiliary heads are not run anyway
    "googlenet": (tv("googlenet", aux_logits=False, init_weights=True), IMG, None, None),
    "deeplabv3_mobilenet_v3_large": (seg("deeplabv3_mobilenet_v3_large"), IMG, None, None),
    "lraspp_mobilenet_v3_large": (seg("lraspp_mobilenet_v3_large"), IMG, None, None),
    "ssdlite320_mobilenet_v3_large_head": (ssd, [(1, 3, 320, 320)], None, None),
    "transformer_encoder": (Encoder, [(2, 16, 64)],
                            {"input": {0: "batch", 1: "seq"}, "output": {0: "batch", 1: "seq"}},
                            [(3, 37, 64)]),
}

NOTES = {
    "swin_t": "F.dropout of torchvision 0.14's swin made to follow eval mode (see _EvalDropoutF)",
    "ssdlite320_mobilenet_v3_large_head": "backbone + head only: raw box regression and class "
                                          "logits, no anchor decoding or NMS (see SSDHead)",
}


def as_tuple(y):
    if isinstance(y, torch.Tensor):
        return (y,)
    return tuple(y)


def check_varies(outs, name):
    for i, o in enumerate(outs):
        if o.size > 1 and float(np.ptp(o)) == 0.0:
            raise RuntimeError(f"{name}: output {i} is constant; it would prove nothing")
        if not np.all(np.isfinite(o)):
            raise RuntimeError(f"{name}: output {i} is not finite")


def run_ort(py, d, suffix):
    p = subprocess.run([py, "-c", ORT_CHILD, os.path.join(d, "model.onnx"),
                        os.path.join(d, "meta.json"), os.path.join(d, f"input{suffix}.npz"),
                        os.path.join(d, f"ort{suffix}.npz")], capture_output=True, text=True)
    if p.returncode != 0:
        return (p.stderr.strip().splitlines() or ["failed"])[-1]
    return None


def rel_err(a, b):
    b = b.astype(np.float64)
    return float(np.max(np.abs(a.astype(np.float64).reshape(b.shape) - b)) / max(np.max(np.abs(b)), 1e-30))


def export(name, spec, root, ort_py):
    make, shapes, dyn, shapes2 = spec
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    seed = sum(map(ord, name))  # stable per model, independent of the order
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = make()
    randomize_norms(model, gen)
    model.eval()
    xs = [torch.randn(s, generator=gen) for s in shapes]
    in_names = ["input"] if len(xs) == 1 else [f"input{i}" for i in range(len(xs))]
    with torch.no_grad():
        outs = [o.numpy() for o in as_tuple(model(*xs))]
    check_varies(outs, name)
    out_names = ["output"] if len(outs) == 1 else [f"output{i}" for i in range(len(outs))]
    notes = [NOTES[name]] if name in NOTES else []
    opset, err = None, None
    for op in (OPSET, 16, 15, 14, 13):
        try:
            torch.onnx.export(model, tuple(xs), os.path.join(d, "model.onnx"), opset_version=op,
                              input_names=in_names, output_names=out_names,
                              dynamic_axes=dyn, do_constant_folding=True)
            opset = op
            break
        except Exception as e:  # keep the first reason for the meta file
            err = err or f"opset {op}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    if opset is None:
        raise RuntimeError(f"{name}: torch.onnx.export failed at every opset 17..13: {err}")
    if opset != OPSET:
        notes.append(f"opset {OPSET} failed ({err}); exported with {opset}")
    np.savez(os.path.join(d, "input.npz"), **{f"in{i}": x.numpy() for i, x in enumerate(xs)})
    np.savez(os.path.join(d, "reference.npz"), **{f"out{i}": o for i, o in enumerate(outs)})
    sets = [("", outs)]
    if shapes2:
        xs2 = [torch.randn(s, generator=gen) for s in shapes2]
        with torch.no_grad():
            outs2 = [o.numpy() for o in as_tuple(model(*xs2))]
        check_varies(outs2, name)
        np.savez(os.path.join(d, "input2.npz"), **{f"in{i}": x.numpy() for i, x in enumerate(xs2)})
        np.savez(os.path.join(d, "reference2.npz"), **{f"out{i}": o for i, o in enumerate(outs2)})
        sets.append(("2", outs2))
    meta = {"name": name, "opset": opset, "inputs": in_names, "outputs": out_names,
            "input_shapes": [list(s) for s in shapes],
            "output_shapes": [list(o.shape) for o in outs],
            "second_input_shapes": [list(s) for s in shapes2] if shapes2 else None,
            "dynamic_axes": dyn, "seed": seed, "torch": torch.__version__,
            "torchvision": torchvision.__version__, "notes": notes}
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    ort_err = []
    for suffix, ref in sets:
        e = run_ort(ort_py, d, suffix) if ort_py else "no onnxruntime python"
        if e:
            ort_err.append(e)
            continue
        got = np.load(os.path.join(d, f"ort{suffix}.npz"))
        ort_err.append(None)
        errs = [rel_err(got[f"out{i}"], r) for i, r in enumerate(ref)]
        print(f"  {name}{suffix and ' (second size)'}: onnxruntime vs PyTorch max rel err {max(errs):.2e}",
              file=sys.stderr)
    if any(ort_err):
        meta["notes"].append(f"onnxruntime: {next(e for e in ort_err if e)}")
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
    size = os.path.getsize(os.path.join(d, "model.onnx")) / 2**20
    print(f"{name}: opset {opset}, {size:.1f} MiB, outputs {[list(o.shape) for o in outs]}"
          + (f"; {'; '.join(meta['notes'])}" if meta["notes"] else ""), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.environ.get("MO_ONNX_ZOO") or os.path.join(TOP, "tests", "zoo", "onnx"))
    ap.add_argument("--only", default="")
    ap.add_argument("--force", action="store_true")
    venv = os.environ.get("MO_VENV_DIR") or os.path.join(TOP, ".venv")
    ap.add_argument("--ort-python", default=os.path.join(venv, "onnx", "bin", "python"))
    a = ap.parse_args()
    only = [n for n in a.only.split(",") if n]
    for n in only:
        if n not in MODELS:
            sys.exit(f"unknown model {n}; known: {', '.join(MODELS)}")
    ort_py = a.ort_python if os.access(a.ort_python, os.X_OK) else None
    if not ort_py:
        print(f"warning: no {a.ort_python}: no onnxruntime reference", file=sys.stderr)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    failed = []
    for name, spec in MODELS.items():
        if only and name not in only:
            continue
        if not a.force and os.path.exists(os.path.join(a.out, name, "meta.json")):
            continue
        try:
            export(name, spec, a.out, ort_py)
        except Exception as e:
            traceback.print_exc()
            failed.append(f"{name}: {e}")
    for f in failed:
        print(f"FAILED {f}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
