#!/usr/bin/env python3
"""tf_vs_ovc.py - mo's TensorFlow frontend against OpenVINO's converter
(`openvino.convert_model`, what `ovc` runs) on the same frozen graphs in the
same run: conversion time, peak memory, and whether the IR matches
TensorFlow.

usage: tf_vs_ovc.py [--zoo DIR]... [--mo PATH] [--repeat N] [--only a,b] [--json FILE]

Run it with the OpenVINO venv (.venv/ov/bin/python) after building mo.
Each model directory DIR/NAME holds model.pb (a frozen GraphDef),
inputs.npz and reference.npz (TensorFlow's outputs, out0...), as
tests/gen/tf_ops.py and tests/gen/tf_apps.py write them.  Default DIR:
tests/zoo/tf_apps (the six keras.applications models, made by
`.venv/tf/bin/python tests/gen/tf_apps.py`) if it exists, else the cut-down
models of tests/fixtures/tf_ops.

For every model, N times each (default 3, medians reported):
  mo   `mo --input_model model.pb --output_dir ...`, a fresh process: wall
       time of the whole process, peak RSS (GNU time's %M of that child);
  ovc  a fresh Python process running convert_model + save_model
       (compress_to_fp16=False): the time of those two calls (not the
       interpreter start or `import openvino`), and the child's peak RSS
       minus that of a child that only imports openvino (so the figure is
       what the conversion adds).
Then each side's IR runs once in the OpenVINO Runtime (CPU, f32) against
TensorFlow's outputs: max |IR - TF| / max |TF| over every output.
"""
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
sys.path.insert(0, os.path.join(TOP, "tests"))

OV_CHILD = r"""
import sys, time, openvino as ov
src, xml = sys.argv[1], sys.argv[2]
if src == "-":
    print("SECONDS 0")
    sys.exit(0)
t0 = time.perf_counter()
try:
    m = ov.convert_model(src)
    ov.save_model(m, xml, compress_to_fp16=False)
except Exception as e:
    msg = [l for l in str(e).splitlines() if l.strip()]
    print("FAIL " + (msg[-1] if msg else type(e).__name__)[:160])
    sys.exit(1)
print("SECONDS", time.perf_counter() - t0)
"""


GNU_TIME = "/usr/bin/time"


def child(cmd):
    """Run cmd; (returncode, stdout+stderr, wall seconds, peak RSS MiB).
    The peak comes from GNU time run as the child's parent: a child forked
    straight from this Python process would report this process's own
    resident set (openvino and numpy loaded) as its high-water mark."""
    t0 = time.perf_counter()
    wrapped = [GNU_TIME, "-f", "MO_BENCH_MAXRSS %M"] + cmd if os.access(GNU_TIME, os.X_OK) else cmd
    p = subprocess.run(wrapped, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    dt = time.perf_counter() - t0
    rss, out = float("nan"), []
    for line in p.stdout.splitlines():
        if line.startswith("MO_BENCH_MAXRSS "):
            rss = int(line.split()[1]) / 1024.0
        else:
            out.append(line)
    return p.returncode, "\n".join(out), dt, rss


def first_error(text):
    for line in text.splitlines():
        if "ERROR" in line or line.startswith("FAIL"):
            return line.strip()[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1][:160] if lines else "failed"


def run_mo(mo, src, out):
    rc, text, dt, rss = child([mo, "--input_model", src, "--output_dir", out])
    if rc != 0:
        return None, None, first_error(text)
    return dt, rss, None


def run_ovc(src, out, base_rss):
    os.makedirs(out, exist_ok=True)
    rc, text, _, rss = child([sys.executable, "-c", OV_CHILD, src, os.path.join(out, "model.xml")])
    for line in text.splitlines():
        if line.startswith("SECONDS "):
            return float(line.split()[1]), max(rss - base_rss, 0.0), None
    return None, None, first_error(text)


def max_rel_err(xml, model_dir):
    import ovrun
    c = ovrun.compile_ir(xml, who="tf_vs_ovc")
    ins = np.load(os.path.join(model_dir, "inputs.npz"))
    ref = np.load(os.path.join(model_dir, "reference.npz"))
    feed = {}
    for i, port in enumerate(c.inputs):
        key = next((n for n in port.get_names() if n in ins.files), None)
        feed[port] = ins[key if key else ins.files[i]]
    res = c(feed)
    worst = 0.0
    for i, port in enumerate(c.outputs):
        k = f"out{i}"
        if k not in ref.files:
            continue
        got = np.asarray(res[port], dtype=np.float64)
        want = ref[k].astype(np.float64)
        if got.size != want.size:
            return None
        got = got.reshape(want.shape)
        worst = max(worst, float(np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-30)))
    return worst


def measure(fn, src, tmp, repeat, model_dir, kind):
    times, rss = [], []
    for r in range(repeat):
        out = os.path.join(tmp, f"{kind}{r}")
        shutil.rmtree(out, ignore_errors=True)
        dt, mem, err = fn(src, out)
        if dt is None:
            return {"ok": False, "error": err}
        times.append(dt)
        rss.append(mem)
    xml = next(os.path.join(out, f) for f in os.listdir(out) if f.endswith(".xml"))
    rel = max_rel_err(xml, model_dir)
    return {"ok": rel is not None and rel <= 1e-4, "time": statistics.median(times),
            "rss": statistics.median(rss), "rel": rel}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", action="append")
    ap.add_argument("--mo", default=os.environ.get("MO", os.path.join(TOP, "build", "mo")))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--json")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    apps = os.path.join(TOP, "tests", "zoo", "tf_apps")
    roots = a.zoo or ([apps] if os.path.isdir(apps) else [os.path.join(TOP, "tests", "fixtures", "tf_ops")])
    dirs = sorted((d, os.path.join(r, d)) for r in roots for d in os.listdir(r)
                  if os.path.isfile(os.path.join(r, d, "model.pb")))
    if not a.zoo and not os.path.isdir(apps):
        dirs = [(n, d) for n, d in dirs if n in ("mobilenet_v2", "resnet50", "keras_transformer")] or dirs
    base = statistics.median(child([sys.executable, "-c", OV_CHILD, "-", "-"])[3] for _ in range(3))
    tmp = tempfile.mkdtemp(prefix="tf_vs_ovc_")
    rows = []
    try:
        for name, d in dirs:
            if only and name not in only:
                continue
            src = os.path.join(d, "model.pb")
            ours = measure(lambda s, o: run_mo(a.mo, s, o), src, tmp, a.repeat, d, "mo")
            theirs = measure(lambda s, o: run_ovc(s, o, base), src, tmp, a.repeat, d, "ovc")
            rows.append({"model": name, "mo": ours, "ovc": theirs})
            print(f"# {name}: mo {ours} ovc {theirs}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)

    def cell(r):
        if "time" not in r:
            return [f"FAIL ({r['error']})", "", "", ""]
        rel = "n/a" if r["rel"] is None else f"{r['rel']:.1e}"
        return ["ok" if r["ok"] else "MISMATCH", f"{r['time']:.2f}", f"{r['rss']:.0f}", rel]
    print("| model | mo | mo time (s) | mo peak RSS (MiB) | mo max rel err | ovc | ovc time (s) "
          "| ovc added RSS (MiB) | ovc max rel err | ovc / mo time |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
    ratios = []
    for r in rows:
        q = ""
        if r["mo"].get("time") and r["ovc"].get("time"):
            ratios.append(r["ovc"]["time"] / r["mo"]["time"])
            q = f"{ratios[-1]:.1f}x"
        print("| " + " | ".join([r["model"]] + cell(r["mo"]) + cell(r["ovc"]) + [q]) + " |")
    if ratios:
        print(f"\nmedian ovc / mo time {statistics.median(ratios):.1f}x over {len(ratios)} models "
              f"(ovc's time excludes interpreter start and import; mo's is the whole process)")
    return 0 if all(r["mo"]["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
