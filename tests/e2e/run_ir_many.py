#!/usr/bin/env python3
"""Many IRs through the real OpenVINO Runtime in one process.

usage: run_ir_many.py LIST

Each line of LIST is tab-separated:
    LABEL  MODEL.xml  INPUTS.npz  REFERENCE.npz  [OPTIONS-JSON]
OPTIONS-JSON may set rtol (default 1e-4), atol (0), allow_constant (false), allow_nan (false),
loose_shape (false: an output's shape must equal its reference's, but for
a scalar against [1]) and xfail (a reason: a known mismatch, reported but
not counted).  The
comparison is run_ir.py's check(): one interpreter start and one ov.Core
for hundreds of tiny models, where one run_ir.py each costs a second.

"compare": "nms" compares detections as sets per image instead (see
nms_check): Paddle lists an image's detections class by class or by score,
the IR's NMS ops in their own order.

Prints one line per model (PASS, FAIL, XFAIL, XPASS) and a summary; exit
status 1 when a model not marked xfail fails, 2 on a usage error.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import openvino as ov  # noqa: E402
import ovrun  # noqa: E402
from run_ir import check  # noqa: E402


def nms_check(compiled, ins, refs, rtol=1e-4, out=print):
    """Outputs out0 = detections [K, 6] (label, score, box), out1 = box
    indices [K, 1], out2 = detections per image [N] (the last two optional).
    Per image: the counts agree; sorted by (label, -score, x1, y1) the rows
    agree, labels and indices exactly, the rest within rtol of the largest
    magnitude.  A reference without any detection proves nothing and fails.
    Returns 0 on a match, 1 on a mismatch, 2 on missing data."""
    feed = {}
    for i, port in enumerate(compiled.inputs):
        key = next((n for n in port.get_names() if n in ins.files), None)
        if key is None and f"in{i}" in ins.files:
            key = f"in{i}"
        if key is None:
            out(f"nms_check: no input data for model input {sorted(port.get_names())}")
            return 2
        feed[port] = ins[key]
    result = compiled(feed)
    got = [np.asarray(result[p]) for p in compiled.outputs]
    want = [refs[f"out{k}"] for k in range(3) if f"out{k}" in refs.files]
    if len(got) < len(want) or not want:
        out(f"nms_check: the IR has {len(got)} outputs for {len(want)} references")
        return 2
    det_g, det_w = got[0].reshape(-1, 6), want[0].reshape(-1, 6)
    idx_g = got[1].reshape(-1) if len(want) > 1 else np.zeros(len(det_g))
    idx_w = want[1].reshape(-1) if len(want) > 1 else np.zeros(len(det_w))
    num_g = got[2].reshape(-1).astype(np.int64) if len(want) > 2 else np.array([len(det_g)])
    num_w = want[2].reshape(-1).astype(np.int64) if len(want) > 2 else np.array([len(det_w)])
    if len(det_w) == 0:
        out("nms_check: Paddle kept no detection; the case proves nothing")
        return 1
    if not np.array_equal(num_g, num_w) or len(det_g) != len(det_w) or len(idx_g) != len(idx_w):
        out(f"detections per image: IR {num_g.tolist()} ({len(det_g)} rows), "
            f"Paddle {num_w.tolist()} ({len(det_w)} rows) MISMATCH")
        return 1
    scale = max(float(np.max(np.abs(det_w[:, 1:]))), 1e-30)
    worst, start = 0.0, 0
    for img, n in enumerate(num_w):
        g, w = det_g[start:start + n], det_w[start:start + n]
        og = np.lexsort((g[:, 3], g[:, 2], -g[:, 1], g[:, 0]))
        ow = np.lexsort((w[:, 3], w[:, 2], -w[:, 1], w[:, 0]))
        g, w = g[og], w[ow]
        ig, iw = idx_g[start:start + n][og], idx_w[start:start + n][ow]
        if not np.array_equal(g[:, 0], w[:, 0]):
            out(f"image {img}: labels IR {g[:, 0].tolist()} Paddle {w[:, 0].tolist()} MISMATCH")
            return 1
        if not np.array_equal(ig.astype(np.int64), iw.astype(np.int64)):
            out(f"image {img}: box indices IR {ig.tolist()} Paddle {iw.tolist()} MISMATCH")
            return 1
        err = float(np.max(np.abs(g[:, 1:] - w[:, 1:]))) / scale if n else 0.0
        worst = max(worst, err)
        if err > rtol:
            out(f"image {img}: detections differ, max_rel_err {err:.3e} MISMATCH")
            return 1
        start += n
    out(f"detections {num_w.tolist()} per image, same sets: max_rel_err {worst:.3e} ok")
    return 0


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    core = ov.Core()
    counts = {"PASS": 0, "FAIL": 0, "XFAIL": 0, "XPASS": 0}
    failed = []
    with open(sys.argv[1]) as f:
        rows = [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
    for row in rows:
        if len(row) < 4:
            print(f"run_ir_many: bad line {row!r}", file=sys.stderr)
            return 2
        label, xml, inputs, reference = row[:4]
        opts = json.loads(row[4]) if len(row) > 4 and row[4] else {}
        lines = []
        try:
            compiled = ovrun.compile_ir(xml, core=core, who="run_ir_many")
            if opts.get("compare") == "nms":
                rc = nms_check(compiled, np.load(inputs), np.load(reference),
                               opts.get("rtol", 1e-4), out=lines.append)
            elif opts.get("compare"):
                rc = 1
                lines.append(f"unknown comparison {opts['compare']!r}")
            else:
                rc = check(compiled, np.load(inputs), np.load(reference),
                           opts.get("rtol", 1e-4), opts.get("atol", 0.0),
                           opts.get("allow_constant", False), quiet=False, out=lines.append,
                           strict_shape=not opts.get("loose_shape", False),
                           allow_nan=opts.get("allow_nan", False))
        except ovrun.PrecisionError as e:
            print(e, file=sys.stderr)
            return 2
        except Exception as e:  # the runtime refusing the IR is a result, not a crash
            rc = 1
            lines.append(f"runtime: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}")
        worst = [ln.split("max_rel_err ")[1].split()[0] for ln in lines if "max_rel_err" in ln]
        detail = f"max_rel_err {max(worst, key=float)}" if rc == 0 and worst else " | ".join(
            ln for ln in lines if "ok" not in ln.split()[-1:]) or "; ".join(lines)
        if opts.get("xfail"):
            tag = "XPASS" if rc == 0 else "XFAIL"
            detail += f" (known: {opts['xfail']})"
        else:
            tag = "PASS" if rc == 0 else "FAIL"
        counts[tag] += 1
        if tag == "FAIL":
            failed.append(label)
        print(f"{tag} {label}: {detail}", flush=True)
    print("run_ir_many: " + ", ".join(f"{v} {k.lower()}" for k, v in counts.items()))
    if failed:
        print("failed: " + " ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
