#!/usr/bin/env python3
"""Load an IR with the real OpenVINO Runtime, run it, compare with references.

usage: run_ir.py MODEL.xml INPUTS.npz REFERENCE.npz [--rtol R] [--atol A]
                 [--preprocess SPEC] [--quiet]

INPUTS.npz holds one array per model input, keyed by input tensor name (or
in0, in1... by position).  REFERENCE.npz holds the expected outputs, keyed
by output tensor name (or out0, out1... by position).

The error measure is the one the issues state: for each output,
    max |ir - ref| / max(|ref|)        (max relative error)
and the run fails when it exceeds --rtol (default 1e-4) and the absolute
error also exceeds --atol (default 0, i.e. the relative test alone decides).
Outputs that are constant, all zero or non-finite fail: they prove nothing.
Exit status 0 on a match, 1 on a mismatch, 2 on a usage or runtime error
(also when the CPU would not run the model at f32: see tests/ovrun.py).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ovrun  # noqa: E402  (tests/ovrun.py: f32 on every CPU)


def check(compiled, ins, refs, rtol=1e-4, atol=0.0, allow_constant=False, quiet=False,
          out=print, strict_shape=False, allow_nan=False):
    """Run COMPILED (an ov.CompiledModel) on the arrays of INS (an npz, by
    input name or in0, in1...) and compare with REFS (by output name or
    out0, out1...).  Lines go to OUT.  Returns 0 on a match, 1 on a
    mismatch, 2 when an input has no data or no output has a reference.
    An output whose shape differs from its reference's but holds as many
    values is compared reshaped, unless STRICT_SHAPE, where only a
    one-value output may differ (a scalar against [1]: Paddle and ONNX
    disagree with the IR about 0-d tensors).  ALLOW_NAN: a reference that
    has NaNs (a framework's 0/0, e.g. an average over a window of padding
    only) matches where the output has NaN at exactly those places."""
    feed = {}
    for i, port in enumerate(compiled.inputs):
        names = port.get_names()
        key = next((n for n in names if n in ins.files), None)
        if key is None and f"in{i}" in ins.files:
            key = f"in{i}"
        if key is None:
            out(f"run_ir: no input data for model input {sorted(names)}")
            return 2
        feed[port] = ins[key]
    result = compiled(feed)

    ok = True
    matched = 0
    for i, port in enumerate(compiled.outputs):
        names = port.get_names()
        key = next((n for n in sorted(names) if n in refs.files), None)
        if key is None and f"out{i}" in refs.files:
            key = f"out{i}"
        if key is None:
            continue
        got = np.asarray(result[port])
        want = refs[key]
        label = key
        if got.shape != want.shape:
            if got.size == want.size and (not strict_shape or got.size == 1):
                got = got.reshape(want.shape)
            else:
                out(f"{label}: shape {got.shape} != reference {want.shape}")
                ok = False
                continue
        got64 = got.astype(np.float64)
        want64 = want.astype(np.float64)
        if allow_nan and np.isnan(want64).any():
            wn, gn = np.isnan(want64), np.isnan(got64)
            if not np.array_equal(wn, gn):
                out(f"{label}: NaN at {int(np.count_nonzero(wn != gn))} positions where the "
                    f"reference has none or the other way round")
                ok = False
                continue
            want64, got64 = np.where(wn, 0.0, want64), np.where(gn, 0.0, got64)
        if not np.all(np.isfinite(want64)) or not np.all(np.isfinite(got64)):
            out(f"{label}: non-finite values")
            ok = False
            continue
        if not allow_constant and want64.size > 1 and np.ptp(want64) == 0:
            out(f"{label}: the reference output is constant; it proves nothing")
            ok = False
            continue
        absmax = float(np.max(np.abs(got64 - want64))) if got64.size else 0.0
        scale = float(np.max(np.abs(want64))) if want64.size else 0.0
        rel = absmax / scale if scale > 0 else absmax
        good = rel <= rtol or absmax <= atol
        matched += 1
        if not quiet or not good:
            out(f"{label}: shape {tuple(got.shape)} max_abs_err {absmax:.3e} "
                f"max_rel_err {rel:.3e} {'ok' if good else 'MISMATCH'}")
        ok &= good
    if matched == 0:
        out("run_ir: no model output matched a reference")
        return 2
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("inputs")
    ap.add_argument("reference")
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--atol", type=float, default=0.0)
    ap.add_argument("--allow-constant", action="store_true",
                    help="accept outputs that do not vary (e.g. detection counts)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    try:
        compiled = ovrun.compile_ir(a.model, who="run_ir")
    except ovrun.PrecisionError as e:
        print(e, file=sys.stderr)
        return 2
    def say(line):
        print(line, file=sys.stderr if line.startswith("run_ir:") else sys.stdout)
    return check(compiled, np.load(a.inputs), np.load(a.reference), a.rtol, a.atol,
                 a.allow_constant, a.quiet, out=say)


if __name__ == "__main__":
    sys.exit(main())
