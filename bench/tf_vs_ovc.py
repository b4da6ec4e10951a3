#!/usr/bin/env python3
"""tf_vs_ovc.py - mo's TensorFlow frontend against OpenVINO's converter
(`openvino.convert_model`, what `ovc` runs) and the legacy Model Optimizer
2023.3 (`mo` of openvino-dev), on the same models in the same run, in every
form each tool reads: conversion time, peak memory, and whether the IR
matches TensorFlow.

usage: tf_vs_ovc.py [--zoo DIR]... [--mo PATH] [--legacy PATH] [--repeat N] [--legacy-repeat N]
                    [--only a,b] [--forms frozen,saved_model,ckpt,meta]
                    [--tools mo,ovc,legacy] [--json FILE]
       tf_vs_ovc.py --merge FILE.json...   (one table of several runs)

Run it with the OpenVINO venv (.venv/ov/bin/python) after building mo.
Each model directory DIR/NAME is laid out as tests/gen/tf_apps.py writes it
(model.pb, saved_model/, ckpt/graph.pb + ckpt/model.ckpt.*, ckpt/model.ckpt.meta,
inputs.npz, reference.npz, maybe inputs_b.npz + reference_b.npz); a
directory with only model.pb (tests/gen/tf_ops.py's) has the frozen form
alone.  Default DIR: tests/zoo/tf_apps (made by tests/zoo/run_tf_apps.sh or
`.venv/tf/bin/python tests/gen/tf_apps.py`) if it exists, else the cut-down
models of tests/fixtures/tf_ops.

For every model and form, N times each tool (default 3, medians reported):
  mo      `mo <form options> --output_dir ...`, a fresh process: wall time of
          the whole process, peak RSS (GNU time's %M of that child);
  ovc     a fresh Python process running convert_model + save_model
          (compress_to_fp16=False): the time of those two calls (not the
          interpreter start or `import openvino`), and the child's peak RSS
          minus that of a child that only imports openvino (so the figure is
          what the conversion adds); the checkpoint form is given as
          [graph.pb, checkpoint prefix], as its documentation says;
  legacy  the legacy `mo` (default: .venv/legacy_tf/bin/mo, openvino-dev
          2023.3 with TensorFlow 2.14) with --compress_to_fp16=False, a fresh
          process: wall time of the whole process (as for ours), peak RSS.
Then each tool's IR runs once in the OpenVINO Runtime (CPU, f32) against
TensorFlow's outputs: max |IR - TF| / max |TF| over every output and input set.
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
FORMS = ["frozen", "saved_model", "ckpt", "meta"]

OV_CHILD = r"""
import json, sys, time, openvino as ov
src, xml = json.loads(sys.argv[1]), sys.argv[2]
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


def child(cmd, cwd=None):
    """Run cmd; (returncode, stdout+stderr, wall seconds, peak RSS MiB).
    The peak comes from GNU time run as the child's parent: a child forked
    straight from this Python process would report this process's own
    resident set (openvino and numpy loaded) as its high-water mark."""
    t0 = time.perf_counter()
    wrapped = [GNU_TIME, "-f", "MO_BENCH_MAXRSS %M"] + cmd if os.access(GNU_TIME, os.X_OK) else cmd
    p = subprocess.run(wrapped, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd)
    dt = time.perf_counter() - t0
    rss, out = float("nan"), []
    for line in p.stdout.splitlines():
        if line.startswith("MO_BENCH_MAXRSS "):
            rss = int(line.split()[1]) / 1024.0
        else:
            out.append(line)
    return p.returncode, "\n".join(out), dt, rss


BOILERPLATE = ("-----", "INTERNAL ERROR", "Unexpected exception", "Please contact", "Traceback",
               "For more information", "END OF BUG REPORT")


def first_error(text):
    """The line that says why: the legacy tool wraps its reason in a bug
    report banner and a traceback, the runtime's in a Check line."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if any(k in l for k in ("no translator", "Conversion is failed", "magic number", "String field")):
            return l[:160]
    for l in lines:
        if ("ERROR" in l or l.startswith("FAIL")) and not any(b in l for b in BOILERPLATE):
            return l[:160]
    return lines[-1][:160] if lines else "failed"


def sources(d):
    """The forms model directory d holds: {form: (mo options, ovc input)}."""
    s = {}
    if os.path.isfile(os.path.join(d, "model.pb")):
        p = os.path.join(d, "model.pb")
        s["frozen"] = (["--input_model", p], p)
    sm = os.path.join(d, "saved_model")
    if os.path.isfile(os.path.join(sm, "saved_model.pb")):
        s["saved_model"] = (["--saved_model_dir", sm], sm)
    g, ck = os.path.join(d, "ckpt", "graph.pb"), os.path.join(d, "ckpt", "model.ckpt")
    if os.path.isfile(g) and os.path.isfile(ck + ".index"):
        s["ckpt"] = (["--input_model", g, "--input_checkpoint", ck], [g, ck + ".index"])
    meta = ck + ".meta"
    if os.path.isfile(meta):
        s["meta"] = (["--input_meta_graph", meta], meta)
    return s


def run_mo(mo, args, out):
    rc, text, dt, rss = child([mo] + args + ["--output_dir", out])
    if rc != 0:
        return None, None, first_error(text)
    return dt, rss, None


def run_legacy(legacy, args, out):
    # the legacy tool writes FP16 by default; ours and ovc's are f32; it
    # takes a V2 checkpoint as its .index file (a prefix is "no file")
    args = [x + ".index" if i and args[i - 1] == "--input_checkpoint" else x for i, x in enumerate(args)]
    rc, text, dt, rss = child([legacy] + args + ["--output_dir", out, "--compress_to_fp16=False"], cwd=out)
    if rc != 0:
        return None, None, first_error(text)
    return dt, rss, None


def run_ovc(src, out, base_rss):
    os.makedirs(out, exist_ok=True)
    rc, text, _, rss = child([sys.executable, "-c", OV_CHILD, json.dumps(src), os.path.join(out, "model.xml")])
    for line in text.splitlines():
        if line.startswith("SECONDS "):
            return float(line.split()[1]), max(rss - base_rss, 0.0), None
    return None, None, first_error(text)


def max_rel_err(xml, model_dir):
    import ovrun
    c = ovrun.compile_ir(xml, who="tf_vs_ovc")
    worst = 0.0
    for sfx in ("", "_b"):
        ip, rp = os.path.join(model_dir, f"inputs{sfx}.npz"), os.path.join(model_dir, f"reference{sfx}.npz")
        if not os.path.isfile(ip):
            continue
        ins, ref = np.load(ip), np.load(rp)
        if len(c.inputs) != len(ins.files):
            # a variable left as an input, say
            raise RuntimeError(f"the IR has {len(c.inputs)} inputs, the model {len(ins.files)}")
        feed = {}
        for i, port in enumerate(c.inputs):
            key = next((n for n in port.get_names() if n in ins.files), None)
            feed[port] = ins[key if key else ins.files[i]]
        res = c(feed)
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


def measure(fn, tmp, repeat, model_dir, kind):
    times, rss = [], []
    for r in range(repeat):
        out = os.path.join(tmp, f"{kind}{r}")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        dt, mem, err = fn(out)
        if dt is None:
            return {"ok": False, "error": err}
        times.append(dt)
        rss.append(mem)
        if r + 1 < repeat:
            shutil.rmtree(out, ignore_errors=True)
    xml = next((os.path.join(out, f) for f in sorted(os.listdir(out)) if f.endswith(".xml")), None)
    try:
        rel = max_rel_err(xml, model_dir) if xml else None
    except Exception as e:  # an IR the runtime refuses is a result too
        return {"ok": False, "error": "runtime: " + str(e).splitlines()[0][:120]}
    shutil.rmtree(out, ignore_errors=True)
    return {"ok": rel is not None and rel <= 1e-4, "time": statistics.median(times),
            "rss": statistics.median(rss), "rel": rel}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", action="append")
    ap.add_argument("--mo", default=os.environ.get("MO", os.path.join(TOP, "build", "_install", "bin", "mo")))
    venv = os.environ.get("MO_VENV_DIR", os.path.join(TOP, ".venv"))
    ap.add_argument("--legacy", default=os.path.join(venv, "legacy_tf", "bin", "mo"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--legacy-repeat", type=int, default=None,
                    help="runs of the legacy tool (default --repeat): 20-60 s each")
    ap.add_argument("--only", default="")
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--tools", default="mo,ovc,legacy")
    ap.add_argument("--json")
    ap.add_argument("--merge", nargs="+", metavar="JSON",
                    help="print the table of earlier runs' --json files instead of measuring")
    a = ap.parse_args()
    if a.merge:
        rows = [r for f in a.merge for r in json.load(open(f))]
        print_table(rows, [t for t in ("mo", "ovc", "legacy") if any(t in r for r in rows)])
        return 0
    only = set(filter(None, a.only.split(",")))
    forms = [f for f in FORMS if f in a.forms.split(",")]
    tools = a.tools.split(",")
    if "legacy" in tools and not os.access(a.legacy, os.X_OK):
        print(f"tf_vs_ovc: no legacy mo at {a.legacy} (tests/setup-venvs.sh legacy_tf); left out", file=sys.stderr)
        tools.remove("legacy")
    apps = os.path.join(TOP, "tests", "zoo", "tf_apps")
    roots = a.zoo or ([apps] if os.path.isdir(apps) else [os.path.join(TOP, "tests", "fixtures", "tf_ops")])
    dirs = sorted((d, os.path.join(r, d)) for r in roots for d in os.listdir(r)
                  if os.path.isfile(os.path.join(r, d, "model.pb")))
    if not a.zoo and not os.path.isdir(apps):
        dirs = [(n, d) for n, d in dirs if n in ("mobilenet_v2", "resnet50", "keras_transformer")] or dirs
    base = statistics.median(child([sys.executable, "-c", OV_CHILD, json.dumps("-"), "-"])[3] for _ in range(3))
    tmp = tempfile.mkdtemp(prefix="tf_vs_ovc_")
    rows = []
    try:
        for name, d in dirs:
            if only and name not in only:
                continue
            src = sources(d)
            for form in forms:
                if form not in src:
                    continue
                args, ovc_src = src[form]
                row = {"model": name, "form": form}
                if "mo" in tools:
                    row["mo"] = measure(lambda o: run_mo(a.mo, args, o), tmp, a.repeat, d, "mo")
                if "ovc" in tools:
                    row["ovc"] = measure(lambda o: run_ovc(ovc_src, o, base), tmp, a.repeat, d, "ovc")
                if "legacy" in tools:
                    row["legacy"] = measure(lambda o: run_legacy(a.legacy, args, o), tmp,
                                            a.legacy_repeat or a.repeat, d, "legacy")
                rows.append(row)
                print(f"# {json.dumps(row)}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    print_table(rows, tools)
    return 0 if all(r.get("mo", {"ok": True})["ok"] for r in rows) else 1


def print_table(rows, tools):
    def cell(r):
        if r is None:
            return ["", "", "", ""]
        if "time" not in r:
            return [f"FAIL ({r['error']})", "", "", ""]
        rel = "n/a" if r["rel"] is None else f"{r['rel']:.1e}"
        return ["ok" if r["ok"] else "MISMATCH", f"{r['time']:.2f}", f"{r['rss']:.0f}", rel]
    head = ["model", "form"]
    for t in tools:
        head += [t, f"{t} time (s)", f"{t} {'added ' if t == 'ovc' else 'peak '}RSS (MiB)", f"{t} max rel err"]
    others = [t for t in tools if t != "mo"] if "mo" in tools else []
    head += [f"{t} / mo time" for t in others]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if h in ("model", "form") or h in tools else "---:" for h in head) + "|")
    ratios = {t: [] for t in others}
    for r in rows:
        cells = [r["model"], r["form"]]
        for t in tools:
            cells += cell(r.get(t))
        for t in others:
            q = ""
            if r["mo"].get("time") and r.get(t, {}).get("time"):
                ratios[t].append(r[t]["time"] / r["mo"]["time"])
                q = f"{ratios[t][-1]:.1f}x"
            cells.append(q)
        print("| " + " | ".join(cells) + " |")
    print()
    for t in others:
        if ratios[t]:
            print(f"median {t} / mo time {statistics.median(ratios[t]):.1f}x over {len(ratios[t])} conversions "
                  f"(min {min(ratios[t]):.1f}x, max {max(ratios[t]):.1f}x)")
    if "ovc" in others:
        print("(ovc's time excludes interpreter start and import; mo's and legacy's are the whole process)")


if __name__ == "__main__":
    sys.exit(main())
