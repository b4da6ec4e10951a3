"""peer_suite - TensorFlow models through mo and through OpenVINO's own TF
reader, side by side, checked against TensorFlow's outputs.  Not part of CI.

Cases:
  - the per-op fixtures tests/fixtures/tf_ops (model.pb, and model.pbtxt
    where there is one: two cases), tests/fixtures/tf_flow (a frozen graph
    or a SavedModel) and tests/fixtures/tf_forms (every non-frozen form);
  - whole models made by tests/tf/peer_models.py into OUT/models (six TF1
    graphs in five forms each, four Keras models as TF2 SavedModel and
    frozen graph).
A case's form follows from its files:
  frozen  model.pb                mo --input_model F        ov.convert_model(F)
  text    model.pbtxt             mo --input_model F        ov.convert_model(F)
  meta    model.ckpt.meta         mo --input_meta_graph F   ov.convert_model(F)
  ckpt    graph.pb + model.ckpt.* mo --input_model G --input_checkpoint P
                                  ov.convert_model([G, P.index]) (the pair,
                                  as the legacy API took it; then [G, P])
  sm      saved_model.pb          mo --saved_model_dir D    ov.convert_model(D)
Both IRs run on the CPU at f32 (tests/ovrun.py) on inputs.npz (arrays by
input name, or in0, in1... by position) and are compared with
reference.npz (out0, out1...): shapes equal and max |got - ref| <=
1e-4 * max |ref| per output (suite_common.compare_output with rtol 0,
scale_tol 1e-4).  Outputs are taken in order; a reference that does not
match its output may match another one of its shape (OpenVINO's reader
orders a graph's outputs its own way), for both sides alike.  Each (case,
side) runs in a worker process that is replaced when it crashes or
overruns (suite_common.Pool).

Writes OUT/results.json and OUT/summary.md; prints the counts and a table
of the cases the two sides do not both get right, with the reasons.
--update-doc puts that table into docs/tensorflow.md between the markers
of its section "Against OpenVINO's TF reader".

    python tests/tf/peer_suite.py --tf-python PY [--out DIR] [--mo PATH]
           [--jobs N] [--filter GLOB] [--skip-generate] [--update-doc]
"""
import argparse
import fnmatch
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests"))
from suite_common import (Pool, compare_output, first_error_line,  # noqa: E402
                          from_ov_tensor, serve, short, to_ov_tensor)

FIXTURES = ("tf_ops", "tf_flow", "tf_forms")
MO_TIMEOUT = 60
RUN_TIMEOUT = 180
SCALE_TOL = 1e-4
DOC = os.path.join(TOP, "docs", "tensorflow.md")
SIDES = ("ours", "ov")


# ---------------------------------------------------------------- cases

def cases_in(d, label):
    """The cases of one folder: {label: case}.  A folder may hold a frozen
    and a text graph (two cases)."""
    f = lambda n: os.path.join(d, n)  # noqa: E731
    base = {"dir": d, "inputs": f("inputs.npz"), "reference": f("reference.npz"), "opts": {}}
    if not (os.path.exists(base["inputs"]) and os.path.exists(base["reference"])):
        return {}
    if os.path.exists(f("case.json")):
        with open(f("case.json")) as fh:
            base["opts"] = json.load(fh)
    out = {}
    if os.path.exists(f("saved_model.pb")):
        out[label] = dict(base, form="sm", model=d)
    elif os.path.exists(f("model.ckpt.meta")):
        out[label] = dict(base, form="meta", model=f("model.ckpt.meta"))
    elif os.path.exists(f("graph.pb")) and os.path.exists(f("model.ckpt.index")):
        out[label] = dict(base, form="ckpt", model=f("graph.pb"), ckpt=f("model.ckpt"))
    else:
        if os.path.exists(f("model.pb")):
            out[label + (" (pb)" if os.path.exists(f("model.pbtxt")) else "")] = dict(
                base, form="frozen", model=f("model.pb"))
        if os.path.exists(f("model.pbtxt")):
            out[label + (" (pbtxt)" if os.path.exists(f("model.pb")) else "")] = dict(
                base, form="text", model=f("model.pbtxt"))
    return out


def discover(gen_dir):
    cases = {}
    for fx in FIXTURES:
        for d in sorted(glob.glob(os.path.join(TOP, "tests", "fixtures", fx, "*", ""))):
            d = d.rstrip(os.sep)
            cases.update(cases_in(d, f"{fx}/{os.path.basename(d)}"))
    for d in sorted(glob.glob(os.path.join(gen_dir, "*", ""))):
        d = d.rstrip(os.sep)
        cases.update(cases_in(d, f"models/{os.path.basename(d)}"))
    return cases


# ---------------------------------------------------------------- one side

def mo_args(c):
    if c["form"] == "sm":
        return ["--saved_model_dir", c["model"]]
    if c["form"] == "meta":
        return ["--input_meta_graph", c["model"]]
    if c["form"] == "ckpt":
        return ["--input_model", c["model"], "--input_checkpoint", c["ckpt"]]
    return ["--input_model", c["model"]]


def ov_convert(c):
    """OpenVINO's own TF reader on the case's file(s): an ov.Model, or an
    exception (for the pair of a graph and its checkpoint, the first
    attempt's)."""
    import openvino as ov
    if c["form"] != "ckpt":
        return ov.convert_model(c["model"])
    first = None
    # the index file gets furthest (the checkpoint is read, its variables
    # then not found): its message is the one reported
    for arg in ([c["model"], c["ckpt"] + ".index"], [c["model"], c["ckpt"]]):
        try:
            return ov.convert_model(arg)
        except Exception as e:  # noqa: BLE001 - each form it might accept is tried
            first = first or e
    raise first


def ov_reason(text):
    """OpenVINO's conversion error in one line: its summary (the ops it has
    no rule for, those whose conversion failed) and the first message that
    says why, else its first line that is not a failed Check's location."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    summary = [ln[3:] for ln in lines if ln.startswith("-- ") and ("No conversion rule" in ln
                                                                  or "Conversion is failed" in ln)]
    why = [ln for ln in lines if "error:" in ln.lower() or "is not initialized" in ln]
    if summary:
        return "; ".join(summary + why[:1])
    rest = [ln for ln in lines if not ln.startswith(("Check '", "FrontEnd API failed"))]
    return (rest or lines or [""])[0]


def feed_of(compiled, ins):
    """(port, array) per model input: by tensor name (without a ':0'),
    else in<i> by position."""
    feed = []
    for i, port in enumerate(compiled.inputs):
        names = set(port.get_names())
        names |= {n.split(":")[0] for n in names}
        # a SavedModel's input by its signature key: TF2's placeholder is
        # serving_default_KEY
        names |= {"serving_default_" + n for n in names}
        key = next((n for n in sorted(names) if n in ins.files), None)
        if key is None and f"in{i}" in ins.files:
            key = f"in{i}"
        if key is None:
            raise LookupError(f"no input data for model input {sorted(port.get_names())}")
        feed.append((port, ins[key]))
    return feed


def compare(refs, got):
    """(ok, reason, worst error) of outputs GOT against REFS in order, a
    reference that misses its own output tried on the others unused."""
    used, worst = set(), 0.0
    for k, ref in enumerate(refs):
        order = [k] + [j for j in range(len(got)) if j != k]
        first_why = None
        for j in order:
            if j >= len(got) or j in used:
                continue
            ok, why, err, _ = compare_output(ref, got[j], 0.0, 0.0, SCALE_TOL)
            if ok:
                used.add(j)
                worst = max(worst, (err or 0.0) / max(float(abs(ref).max()) if ref.size else 0.0, 1e-30))
                break
            first_why = first_why or why
        else:
            return False, f"out{k}: {first_why or 'no output'}", None
    return True, "", worst


def run_side(c, side, mo_path):
    import numpy as np
    import openvino as ov
    import ovrun
    core = ov.Core()
    tmp = None
    try:
        if side == "ours":
            tmp = tempfile.mkdtemp(prefix="mo-tfpeer.")
            try:
                p = subprocess.run([mo_path] + mo_args(c) + ["--output_dir", tmp, "--model_name", "model"],
                                   capture_output=True, text=True, timeout=MO_TIMEOUT,
                                   stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                return {"status": "convert-error", "reason": f"mo ran over {MO_TIMEOUT} s"}
            if p.returncode != 0:
                return {"status": "convert-error", "reason": short(first_error_line(p.stdout + p.stderr))}
            try:
                model = core.read_model(os.path.join(tmp, "model.xml"))
            except Exception as e:  # noqa: BLE001
                return {"status": "read-error", "reason": short(e)}
        else:
            try:
                model = ov_convert(c)
            except Exception as e:  # noqa: BLE001
                return {"status": "convert-error", "reason": short(ov_reason(str(e)))}
        try:
            compiled = ovrun.compile_ir(model, core=core, who="tf_peer_suite")
        except Exception as e:  # noqa: BLE001
            return {"status": "compile-error", "reason": short(e)}
        ins, refs = np.load(c["inputs"]), np.load(c["reference"])
        refs = [refs[f"out{k}"] for k in range(len(refs.files)) if f"out{k}" in refs.files]
        try:
            feed = feed_of(compiled, ins)
        except LookupError as e:
            return {"status": "io-mismatch", "reason": short(e)}
        if len(compiled.outputs) < len(refs):
            return {"status": "io-mismatch",
                    "reason": f"{len(compiled.outputs)} model outputs for {len(refs)} references"}
        try:
            req = compiled.create_infer_request()
            for port, a in feed:
                req.set_tensor(port, to_ov_tensor(a, port.get_element_type()))
            req.infer()
            got = [from_ov_tensor(req.get_tensor(p)) for p in compiled.outputs]
        except Exception as e:  # noqa: BLE001
            return {"status": "infer-error", "reason": short(e)}
        ok, why, worst = compare(refs, got)
        if not ok:
            return {"status": "mismatch", "reason": why}
        return {"status": "pass", "max_rel_err": worst}
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def worker(conn, mo_path):
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)   # convert_model's warnings
    serve(conn, run_side, mo_path)


# ---------------------------------------------------------------- reports

FORM_NAMES = {"frozen": "frozen .pb", "text": ".pbtxt", "meta": "meta graph", "ckpt": "GraphDef + checkpoint",
              "sm": "SavedModel"}


def report_md(results, cases, meta):
    n = len(results)
    ours = sum(r["ours"]["status"] == "pass" for r in results.values())
    ov = sum(r["ov"]["status"] == "pass" for r in results.values())
    out = [f"Run {meta['date']} ({meta['machine']}): mo {meta['mo']}, OpenVINO {meta['openvino']} "
           f"(`openvino.convert_model`), TensorFlow {meta['tensorflow']}; {meta['seconds']:.0f} s.", "",
           f"**ours {ours}/{n}, OpenVINO's TF reader {ov}/{n}** (max |IR - TF| <= 1e-4 max |TF| per output, "
           "CPU at f32).", "",
           "| form | cases | ours right | OpenVINO right |", "|---|---:|---:|---:|"]
    for form, label in FORM_NAMES.items():
        ks = [k for k in results if cases[k]["form"] == form]
        if ks:
            out.append(f"| {label} | {len(ks)} | {sum(results[k]['ours']['status'] == 'pass' for k in ks)} | "
                       f"{sum(results[k]['ov']['status'] == 'pass' for k in ks)} |")
    out += ["", "Cases the two do not both get right:", "",
            "| case | form | ours | OpenVINO's TF reader |", "|---|---|---|---|"]
    for k in sorted(results):
        r = results[k]
        if r["ours"]["status"] == "pass" and r["ov"]["status"] == "pass":
            continue
        cell = lambda x: "right" if x["status"] == "pass" else (  # noqa: E731
            f"{x['status']}: {short(x.get('reason', ''), 160)}".replace("|", "\\|"))
        note = cases[k]["opts"].get("xfail")
        out.append(f"| `{k}` | {FORM_NAMES[cases[k]['form']]} | {cell(r['ours'])}"
                   f"{' (known: ' + short(note, 120) + ')' if note and r['ours']['status'] != 'pass' else ''} | "
                   f"{cell(r['ov'])} |")
    return "\n".join(out) + "\n"


def update_doc(text):
    begin = "<!-- tf-peer-suite:begin (generated by tests/tf/run-peer-suite.sh --update-doc) -->"
    end = "<!-- tf-peer-suite:end -->"
    with open(DOC) as f:
        doc = f.read()
    i, j = doc.find(begin), doc.find(end)
    if i < 0 or j < i:
        sys.exit(f"peer_suite: {DOC} lacks the markers of its section 'Against OpenVINO's TF reader'")
    with open(DOC, "w") as f:
        f.write(doc[:i + len(begin)] + "\n" + text + doc[j:])


def versions(mo_path, tf_py):
    import openvino as ov
    mo = subprocess.run([mo_path, "--version"], capture_output=True, text=True).stdout.strip()
    tfv = subprocess.run([tf_py, "-c", "import tensorflow as tf; print(tf.__version__)"], capture_output=True,
                         text=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")).stdout.strip()
    return {"mo": mo.splitlines()[0].split()[-1] if mo else "?", "openvino": ov.get_version().split("-")[0],
            "tensorflow": tfv.splitlines()[-1] if tfv else "?"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tf-python", required=True, help="python of a venv with tensorflow")
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "zoo", "tf_peer"))
    ap.add_argument("--mo", default=os.path.join(TOP, "build", "mo"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--filter", default="", help="case glob, e.g. 'models/*' or 'tf_ops/conv*'")
    ap.add_argument("--skip-generate", action="store_true", help="reuse OUT/models of an earlier run")
    ap.add_argument("--update-doc", action="store_true")
    a = ap.parse_args()
    if a.update_doc and a.filter:
        sys.exit("peer_suite: --update-doc needs the whole suite, not --filter")
    mo_path, out = os.path.abspath(a.mo), os.path.abspath(a.out)
    gen_dir = os.path.join(out, "models")
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    if not a.skip_generate:
        print("peer_suite: generating the whole models (tests/tf/peer_models.py)", flush=True)
        with open(os.path.join(out, "generate.log"), "w") as lf:
            p = subprocess.run([a.tf_python, os.path.join(TOP, "tests", "tf", "peer_models.py"), gen_dir],
                               stdout=lf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if p.returncode:
            sys.exit(f"peer_suite: peer_models.py failed (exit {p.returncode}); see {out}/generate.log")
    cases = discover(gen_dir)
    if a.filter:
        cases = {k: v for k, v in cases.items() if fnmatch.fnmatch(k, a.filter)}
    print(f"peer_suite: {len(cases)} cases", flush=True)
    results = {k: {} for k in cases}
    tasks = [(k, side) for k in sorted(cases) for side in SIDES]

    def on_result(task, r):
        results[task[0]][task[1]] = r

    pool = Pool(max(1, a.jobs), worker, (mo_path,),
                lambda task: RUN_TIMEOUT + (MO_TIMEOUT if task[1] == "ours" else 0))
    try:
        # a task goes to the worker as (case dict, side); its key comes back with it
        keyed = [(cases[k], side) for k, side in tasks]
        back = {id(t[0]): k for t, (k, _) in zip(keyed, tasks)}
        pool.run(keyed, lambda t, r: on_result((back[id(t[0])], t[1]), r))
    finally:
        pool.close()
    meta = dict(versions(mo_path, a.tf_python), date=time.strftime("%Y-%m-%d"),
                machine=f"{platform.machine()}, {os.cpu_count()} cores", seconds=time.monotonic() - t0)
    md = report_md(results, cases, meta)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"meta": meta, "cases": {k: dict(results[k], form=cases[k]["form"]) for k in sorted(results)}},
                  f, indent=1)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(md)
    print(md)
    if a.update_doc:
        update_doc(md)
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
