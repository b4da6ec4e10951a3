#!/usr/bin/env python3
"""paddle_vs_ov.py - mo's Paddle frontend side by side with OpenVINO's own.

usage: paddle_vs_ov.py [--zoo DIR]... [--families] [--mo PATH] [--repeat N] [--only a,b]
                       [--match GLOB,...] [--formats legacy,pir] [--json FILE]

Run it with the OpenVINO venv (.venv/ov/bin/python) after building mo and
generating the zoo (tests/gen/paddle_models.py --zoo).  For every model
directory DIR/NAME (legacy/model.pdmodel, pir/model.json, inputs.npz,
reference.npz = Paddle's own outputs) and both formats it
  - converts with mo (`mo --input_model ... --output_dir ...`, a fresh
    process each time: the time is the wall clock of that process), and
  - converts with OpenVINO's Paddle frontend (`openvino.convert_model`
    then `openvino.save_model(..., compress_to_fp16=False)`, in a fresh
    Python process each time; the time covers those two calls, not the
    interpreter start or `import openvino`),
N times each (default 3), keeps the median, then runs each IR once in the
OpenVINO Runtime (CPU) and reports the max relative error against Paddle's
output: max|ir - ref| / max|ref| over the first output.  Prints a
markdown table (multiclass_nms outputs are compared per image after sorting
the rows, since their order is not part of the result) with the ratio of
the two conversion times, and a summary: how many models each tool
converts right and the median ratio.  A conversion that fails is reported
with the first line of its error.

--families measures the issue-14 families instead of the zoo: the model
fixtures of tests/fixtures/paddle (CRNN, PicoDet-style detector,
BERT-style encoder, LiteSeg, SSD, YOLO...) and the control-flow and RNN
op fixtures of tests/fixtures/paddle_ops (flow_*, rnn_*).
"""
import fnmatch
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
FORMATS = {"legacy": "legacy/model.pdmodel", "pir": "pir/model.json"}
# IRs are compiled only through tests/ovrun.py (f32 on every CPU)
sys.path.insert(0, os.path.join(TOP, "tests"))

# Run in a child: convert with OpenVINO's frontend, save, print the seconds.
# convert_model guesses the framework from the file; a .json is not taken
# for Paddle, so a failure there is retried through the Paddle frontend
# itself to report what that frontend says.
OV_CHILD = r"""
import sys, time, openvino as ov
src, xml = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
try:
    m = ov.convert_model(src)
except Exception as e:
    try:
        from openvino.frontend import FrontEndManager
        fe = FrontEndManager().load_by_framework("paddle")
        m = fe.convert(fe.load(src))
    except Exception as e2:
        msg = [l for l in str(e2).splitlines() if l.strip()]
        msg = (msg[-1] if msg else type(e2).__name__).replace(src, "<model>")
        print("FAIL paddle frontend: " + msg)
        sys.exit(1)
ov.save_model(m, xml, compress_to_fp16=False)
print("SECONDS", time.perf_counter() - t0)
"""


def first_line(text):
    for line in text.splitlines():
        line = line.strip()
        if line and ("ERROR" in line or "Error" in line or "error" in line):
            return line[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1][:160] if lines else "failed"


def run_mo(mo, src, out):
    t0 = time.perf_counter()
    p = subprocess.run([mo, "--input_model", src, "--output_dir", out],
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        return None, first_line(p.stdout + p.stderr)
    return dt, None


def run_ov(src, out):
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([sys.executable, "-c", OV_CHILD, src, os.path.join(out, "model.xml")],
                       capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith("SECONDS "):
            return float(line.split()[1]), None
        if line.startswith("FAIL "):
            return None, line[5:][:160]
    return None, first_line(p.stderr + p.stdout)


def nms_sorted(det, counts):
    parts, start = [], 0
    for n in counts:
        d = det[start:start + n]
        parts.append(d[np.lexsort((d[:, 3], d[:, 2], -d[:, 1], d[:, 0]))])
        start += n
    return np.concatenate(parts + [det[start:]])


def max_rel_err(xml, inputs, reference):
    import ovrun
    c = ovrun.compile_ir(xml, who="paddle_vs_ov")
    ins = np.load(inputs)
    feed = {}
    for i, port in enumerate(c.inputs):
        key = next((n for n in port.get_names() if n in ins.files), None)
        feed[port] = ins[key if key else ins.files[i]]
    res = c(feed)
    got = np.asarray(res[c.outputs[0]], dtype=np.float64)
    want = np.load(reference)["out0"].astype(np.float64)
    if got.size != want.size:
        return None
    got = got.reshape(want.shape)
    if len(c.outputs) == 3 and want.ndim == 2 and want.shape[1] == 6:
        # multiclass_nms rows: the order within an image is not part of the
        # result (Paddle: by class; the IR: by score), so compare sorted
        counts = np.load(reference)["out2"].reshape(-1).astype(np.int64)
        got, want = nms_sorted(got, counts), nms_sorted(want, counts)
    return float(np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-30))


def measure(kind, fn, src, tmp, repeat, model_dir):
    times, err = [], None
    out = None
    for r in range(repeat):
        out = os.path.join(tmp, f"{kind}{r}")
        shutil.rmtree(out, ignore_errors=True)
        dt, err = fn(src, out)
        if dt is None:
            return {"ok": False, "error": err}
        times.append(dt)
    rel = max_rel_err(os.path.join(out, "model.xml"), os.path.join(model_dir, "inputs.npz"),
                      os.path.join(model_dir, "reference.npz"))
    for r in range(repeat):
        shutil.rmtree(os.path.join(tmp, f"{kind}{r}"), ignore_errors=True)
    return {"ok": rel is not None and rel <= 1e-4, "time": statistics.median(times),
            "rel": rel}


def cell(r):
    if not r["ok"] and "time" not in r:
        return f"FAIL ({r['error']})", "", ""
    rel = "n/a" if r["rel"] is None else f"{r['rel']:.1e}"
    return ("ok" if r["ok"] else "MISMATCH"), f"{r['time']:.2f}", rel


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", action="append",
                    help="a directory of model dirs (repeatable); default tests/zoo/paddle")
    ap.add_argument("--mo", default=os.environ.get("MO", "mo"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--formats", default="legacy,pir")
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("--families", action="store_true",
                    help="the model families and control-flow fixtures (see above)")
    ap.add_argument("--match", default="", help="comma-separated name globs")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    globs = [g for g in a.match.split(",") if g]
    fx = os.path.join(TOP, "tests", "fixtures")
    if a.families:
        roots = [os.path.join(fx, "paddle"), os.path.join(fx, "paddle_ops")]
        if not globs:
            globs = ["crnn", "picodet", "encoder", "liteseg", "ssd", "yolo", "segment",
                     "flow_*", "rnn_*"]
    else:
        roots = a.zoo or [os.path.join(TOP, "tests", "zoo", "paddle")]
    dirs = sorted((d, os.path.join(r, d)) for r in roots for d in os.listdir(r)
                  if os.path.isdir(os.path.join(r, d)))
    rows, raw = [], []
    tmp = tempfile.mkdtemp(prefix="pd_vs_ov_")
    try:
        for name, d in dirs:
            if only and name not in only:
                continue
            if globs and not any(fnmatch.fnmatch(name, g) for g in globs):
                continue
            for fmt in a.formats.split(","):
                src = os.path.join(d, FORMATS[fmt])
                if not os.path.exists(src):
                    continue
                ours = measure("mo", lambda s, o: run_mo(a.mo, s, o), src, tmp, a.repeat, d)
                theirs = measure("ov", run_ov, src, tmp, a.repeat, d)
                rows.append((name, fmt) + cell(ours) + cell(theirs))
                raw.append({"model": name, "format": fmt, "mo": ours, "openvino": theirs})
                print(f"# {name} {fmt}: mo {cell(ours)} ov {cell(theirs)}", file=sys.stderr,
                      flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(raw, f, indent=1)
    print("| model | format | mo | mo time (s) | mo max rel err "
          "| OpenVINO frontend | OV time (s) | OV max rel err | OV time / mo time |")
    print("|---|---|---|---|---|---|---|---|---|")
    ratios = []
    for r, x in zip(rows, raw):
        ratio = ""
        if x["mo"].get("time") and x["openvino"].get("time"):
            q = x["openvino"]["time"] / x["mo"]["time"]
            ratios.append(q)
            ratio = f"{q:.1f}x"
        print("| " + " | ".join(r + (ratio,)) + " |")
    n_mo = sum(x["mo"]["ok"] for x in raw)
    n_ov = sum(x["openvino"]["ok"] for x in raw)
    med = f"{statistics.median(ratios):.1f}x" if ratios else "n/a"
    print(f"\n{len(raw)} conversions: mo right {n_mo}, OpenVINO's frontend right {n_ov}; "
          f"median OV time / mo time {med} (over the {len(ratios)} both convert)")
    return 0 if all(x["mo"]["ok"] for x in raw) else 1


if __name__ == "__main__":
    sys.exit(main())
