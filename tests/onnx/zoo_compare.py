#!/usr/bin/env python3
"""zoo_compare.py - run one IR of the ONNX zoo in OpenVINO, compare with the references.

usage: zoo_compare.py MODEL.xml ZOO_MODEL_DIR

Run with the OpenVINO venv (.venv/ov/bin/python), tests/ on PYTHONPATH.
ZOO_MODEL_DIR is one folder made by tests/gen/onnx_zoo.py.  For every input
set there (input.npz, and input2.npz for models with dynamic axes) the IR is
run once and each output is compared with PyTorch's (reference*.npz) and
onnxruntime's (ort*.npz) output of the same position:
    rel = max |ir - ref| / max |ref|        over all elements of the output
and the worst output counts.  Prints one line of key=value pairs
(pt, ort, pt2, ort2; "-" where a reference is missing) for zoo.sh;
reasons for a failure go to stderr.  Exit status 0 when the IR ran and every
output has the reference's shape, else 1 (the caller applies the tolerance).
"""
import json
import os
import sys

import numpy as np

import ovrun  # tests/ovrun.py: every IR is compiled at f32


def rel_err(got, want):
    want = want.astype(np.float64)
    got = np.asarray(got).astype(np.float64)
    if got.shape != want.shape:
        raise ValueError(f"shape {got.shape} != reference {want.shape}")
    if not np.all(np.isfinite(got)):
        raise ValueError("non-finite values")
    return float(np.max(np.abs(got - want)) / max(float(np.max(np.abs(want))), 1e-30))


def main():
    xml, d = sys.argv[1], sys.argv[2]
    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    compiled = ovrun.compile_ir(xml, who="onnx_zoo")
    # ports by the ONNX names when the IR kept them, else by position
    in_idx, out_idx = [], []
    for i, p in enumerate(compiled.inputs):
        hit = [meta["inputs"].index(n) for n in p.get_names() if n in meta["inputs"]]
        in_idx.append(hit[0] if hit else i)
    for i, p in enumerate(compiled.outputs):
        hit = [meta["outputs"].index(n) for n in p.get_names() if n in meta["outputs"]]
        out_idx.append(hit[0] if hit else i)
    if len(compiled.outputs) != len(meta["outputs"]):
        print(f"{len(compiled.outputs)} IR outputs, {len(meta['outputs'])} in the model", file=sys.stderr)
        return 1
    res = {}
    ok = True
    for suffix in ("", "2"):
        inp = os.path.join(d, f"input{suffix}.npz")
        if not os.path.exists(inp):
            continue
        ins = np.load(inp)
        try:
            out = compiled({p: ins[f"in{k}"] for p, k in zip(compiled.inputs, in_idx)})
        except Exception as e:  # a runtime error is a result too
            print(f"input{suffix}: inference failed: {str(e).splitlines()[0]}", file=sys.stderr)
            return 1
        for key, name in (("pt", "reference"), ("ort", "ort")):
            ref_file = os.path.join(d, f"{name}{suffix}.npz")
            if not os.path.exists(ref_file):
                res[key + suffix] = "-"
                continue
            refs = np.load(ref_file)
            worst = 0.0
            for p, k in zip(compiled.outputs, out_idx):
                try:
                    worst = max(worst, rel_err(out[p], refs[f"out{k}"]))
                except ValueError as e:
                    print(f"{name}{suffix} out{k}: {e}", file=sys.stderr)
                    worst, ok = float("inf"), False
            res[key + suffix] = f"{worst:.1e}"
    print(" ".join(f"{k}={v}" for k, v in res.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
