#!/usr/bin/env python3
"""layer_counts.py - IR layer counts of mo against the legacy Model Optimizer, with accuracy.

usage: layer_counts.py [--mo BUILD/mo] [--legacy VENV/bin/mo] [--only SUBSTR,...]
                       [--reuse-legacy] [--no-zoo] [--work DIR]

Run with the OpenVINO venv's python (.venv/ov/bin/python): both IRs are
loaded and run in the OpenVINO Runtime.  Models: the thin ResNet-50
fixture and every tests/fixtures/mxnet/* directory with model-0000.params,
then the zoo models present under tests/zoo/mxnet/ (ResNet-152 v1,
MobileNet, DenseNet-121, SqueezeNet; MobileNet v2 too when there).  Each
model is converted by both tools in FP32 (legacy: --compress_to_fp16=False)
with the model's mo_args, the <layer> elements of both IRs are counted by
type, and both IRs are run on the model's inputs.npz against reference.npz
(the framework's outputs): max over outputs of max|ir - ref| / max|ref|.

Prints a markdown table.  Type names are compared case-insensitively
(the legacy serializer writes ReLU where the op is Relu).  The legacy tool
takes ~30-45 s a model; --reuse-legacy keeps IRs it wrote in an earlier
run (under --work, default bench/out/layer_counts/)."""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
FIX = os.path.join(TOP, "tests", "fixtures", "mxnet")
ZOO = os.path.join(TOP, "tests", "zoo", "mxnet")
ZOO_MODELS = ["resnet152_v1", "mobilenet1.0", "mobilenetv2_1.0", "densenet121", "squeezenet1.1"]
# IRs are compiled only through tests/ovrun.py (f32 on every CPU)
sys.path.insert(0, os.path.join(TOP, "tests"))


def models(use_zoo):
    out = []
    thin = os.path.join(FIX, "resnet50_thin")
    if os.path.isfile(os.path.join(thin, "model-0000.params")):
        out.append(("resnet50_thin", thin))
    for name in sorted(os.listdir(FIX)):
        d = os.path.join(FIX, name)
        if name != "resnet50_thin" and os.path.isfile(os.path.join(d, "model-0000.params")):
            out.append((name, d))
    if use_zoo:
        for name in ZOO_MODELS:
            d = os.path.join(ZOO, name)
            if os.path.isfile(os.path.join(d, "model-0000.params")):
                out.append((name, d))
    return out


def mo_args(d):
    p = os.path.join(d, "mo_args")
    if not os.path.isfile(p):
        return []
    with open(p) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def convert(cmd, d, out, extra):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    full = cmd + ["--input_model", os.path.join(d, "model-0000.params")] + mo_args(d) + \
        ["--output_dir", out, "--model_name", "m"] + extra
    p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or not os.path.isfile(os.path.join(out, "m.xml")):
        lines = p.stdout.decode(errors="replace").strip().splitlines()
        msg = None
        for key in ("Input shapes mismatch", "Cannot infer", "unable to deduce input shapes",
                    "exception message:", "not supported", "MXNetError:"):
            hit = next((ln for ln in lines if key in ln), None)
            if hit:
                msg = hit[hit.index(key):]
                break
        msg = msg or next((ln for ln in reversed(lines) if ln.strip()), f"exit {p.returncode}")
        return msg.replace("|", "/").strip()[:110]
    return None


def shape_args(d):
    ins = np.load(os.path.join(d, "inputs.npz"))
    names = [n for n in ins.files]
    shapes = ",".join("[" + ",".join(str(x) for x in ins[n].shape) + "]" for n in names)
    return ["--input", ",".join(names), "--input_shape", shapes]


def count(xml):
    c = collections.Counter()
    for layer in ET.parse(xml).getroot().iter("layer"):
        c[layer.get("type").lower()] += 1
    return c


def heads(d):
    """(node name, output index) of the symbol's outputs: reference.npz's
    out<i> is the i-th, whatever order a tool gives the IR's Results."""
    with open(os.path.join(d, "model-symbol.json")) as f:
        j = json.load(f)
    return [(j["nodes"][h[0]]["name"], h[1]) for h in j["heads"]]


def base_names(port):
    """A port's tensor names and the same without the legacy ':N' suffix."""
    out = {}
    for n in port.get_names():
        out[n] = 0
        stem, _, idx = n.rpartition(":")
        if stem and idx.isdigit():
            out[stem] = int(idx)
    return out


def accuracy(core, xml, d):
    """Max relative error over the outputs, matched to out<i> by name."""
    for f in ("inputs.npz", "reference.npz", "model-symbol.json"):
        if not os.path.isfile(os.path.join(d, f)):
            raise RuntimeError(f"the model has no {f}")
    compiled = ovrun.compile_ir(xml, core, who="layer_counts")
    ins = np.load(os.path.join(d, "inputs.npz"))
    refs = np.load(os.path.join(d, "reference.npz"))
    feed = {}
    for i, port in enumerate(compiled.inputs):
        key = next((n for n in base_names(port) if n in ins.files), None)
        if key is None:
            key = f"in{i}" if f"in{i}" in ins.files else None
        if key is None:
            raise RuntimeError(f"no input data for {sorted(port.get_names())}")
        feed[port] = ins[key]
    res = compiled(feed)
    hs = heads(d)
    worst = 0.0
    for i, port in enumerate(compiled.outputs):
        key = f"out{i}"
        names = base_names(port)
        for j, (hn, hi) in enumerate(hs):
            if hn in names and names[hn] == hi or f"{hn}_output" in names:
                key = f"out{j}"
                break
        if key not in refs.files:
            continue
        got = np.asarray(res[port], dtype=np.float64)
        want = refs[key].astype(np.float64)
        if got.shape != want.shape:
            if got.size != want.size:
                raise RuntimeError(f"{key}: shape {got.shape} != {want.shape}")
            got = got.reshape(want.shape)
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        err = float(np.max(np.abs(got - want))) if want.size else 0.0
        worst = max(worst, err / scale if scale > 0 else err)
    return worst


def diff_text(a, b):
    parts = []
    for t in sorted(set(a) | set(b)):
        if a[t] != b[t]:
            parts.append(f"{t} {a[t]}/{b[t]}")
    return ", ".join(parts) or "same"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mo", default=os.path.join(TOP, "mo"), help="this project's mo binary")
    ap.add_argument("--legacy", default=os.path.join(TOP, ".venv", "legacy", "bin", "mo"))
    ap.add_argument("--only", default="", help="models whose name contains one of these (commas)")
    ap.add_argument("--reuse-legacy", action="store_true")
    ap.add_argument("--no-zoo", action="store_true")
    ap.add_argument("--work", default=os.path.join(HERE, "out", "layer_counts"))
    a = ap.parse_args()
    import openvino as ov

    core = ov.Core()
    print("| model | layers ours | layers legacy | non-Const ours / legacy | types that differ "
          "(ours/legacy) | max rel err ours | max rel err legacy |")
    print("|---|---:|---:|---:|---|---:|---:|")
    sys.stdout.flush()
    worse = []
    for name, d in models(not a.no_zoo):
        if a.only and not any(w and w in name for w in a.only.split(",")):
            continue
        ours_dir = os.path.join(a.work, name, "ours")
        leg_dir = os.path.join(a.work, name, "legacy")
        e1 = convert([a.mo], d, ours_dir, [])
        if a.reuse_legacy and os.path.isfile(os.path.join(leg_dir, "m.xml")):
            e2 = None
        else:
            e2 = convert([a.legacy], d, leg_dir, ["--compress_to_fp16=False"])
            if e2 and "unable to deduce input shapes" in e2 and not mo_args(d):
                # the legacy tool ignores the shapes the symbol's Variables
                # carry; give it those of inputs.npz, a fact of the model
                e2 = convert([a.legacy], d, leg_dir, ["--compress_to_fp16=False"] + shape_args(d))
        cells = [name]
        co = count(os.path.join(ours_dir, "m.xml")) if not e1 else None
        cl = count(os.path.join(leg_dir, "m.xml")) if not e2 else None
        cells.append(str(sum(co.values())) if co else f"failed: {e1}")
        cells.append(str(sum(cl.values())) if cl else f"failed: {e2}")
        if co and cl:
            nco = sum(v for k, v in co.items() if k != "const")
            ncl = sum(v for k, v in cl.items() if k != "const")
            cells.append(f"{nco} / {ncl}")
            cells.append(diff_text(co, cl))
            if sum(co.values()) > sum(cl.values()) or nco > ncl:
                worse.append(name)
        else:
            cells += ["", ""]
        for ok, xml in ((co, os.path.join(ours_dir, "m.xml")), (cl, os.path.join(leg_dir, "m.xml"))):
            if not ok:
                cells.append("n/a")
                continue
            try:
                cells.append(f"{accuracy(core, xml, d):.1e}")
            except Exception as ex:  # a runtime refusal is a result to show, not a crash
                cells.append(f"error: {str(ex).splitlines()[0][:80]}")
        print("| " + " | ".join(cells) + " |")
        sys.stdout.flush()
    if worse:
        print(f"\nmore layers than legacy: {', '.join(worse)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
