"""peer_suite - OpenVINO's own Paddle frontend test models, through mo and
through OpenVINO's Paddle reader, side by side, in both Paddle formats.

The models come from OpenVINO's public test-model generators (the folder
src/frontends/paddle/tests/test_models/gen_scripts/ of openvinotoolkit/
openvino), which this project never copies: the caller keeps a copy outside
the repository and passes its folder (--gen).  Each generator is run as
OpenVINO's build runs it, `python generate_X.py OUTDIR`, with the current
folder set to the generators' folder and that folder on PYTHONPATH (they
import its save_model.py, nms.py, ops.py), once per format, each generator
into its own OUTDIR = OUT/models/MODE/generate_X/ (several write models of
the same name):

  legacy   FLAGS_enable_pir_api=0: ProgramDesc NAME/NAME.pdmodel
  pir      FLAGS_enable_pir_api=1: Paddle 3's PIR NAME/NAME.json

A generator that fails under Paddle 3.3 (many call APIs Paddle 3.3 removed
or no longer traces into a legacy program) is counted and listed in
OUT/generators_failed.txt; the models it wrote before failing still count.
Models are found one to three folders below OUTDIR, each model file
beside its input<i>.npy (input<i>.<feed>.<dtype>.npy names the feed) and
output<i>.npy, Paddle's own outputs.  A model is applicable when its
model file and at least one output exist.  Two sides are measured on every
applicable model, in the same run:

  ours   the mo binary (--mo) converts the model (60 s limit), the IR is
         read, compiled for the CPU at f32 (tests/ovrun.py), run on the
         inputs and compared with the outputs;
  ov     openvino.Core().read_model() reads the model file itself
         (OpenVINO's Paddle frontend), then the same.

Comparison (suite_common.compare_output): shapes equal, bool and integer
outputs exactly, floats |got - ref| <= 1e-4*|ref| + max(1e-5,
1e-4*max|ref|) elementwise.  Each (model, side) runs in a worker process
that is replaced when it crashes or overruns, so one crash costs one result.

Writes OUT/results.json, OUT/summary.md, OUT/generators_failed.txt,
OUT/ours_missing.txt (the legacy models OpenVINO's reader gets right and
ours does not, and the PIR models ours gets wrong, grouped by missing
operator and by other reason, with our message) and, with --update-doc,
the tables of docs/paddle.md between their marker comments.

    python tests/paddle/peer_suite.py --gen GENDIR --paddle-python PY [--out DIR]
           [--jobs N] [--mo PATH] [--modes legacy,pir] [--filter GLOB]
           [--skip-generate | --generate-only] [--update-doc]
"""
import argparse
import fnmatch
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests"))
from suite_common import (Pool, compare_output, first_error_line,  # noqa: E402
                          from_ov_tensor, match_ports, serve, short, to_ov_tensor)

MODES = {"legacy": "0", "pir": "1"}
GEN_TIMEOUT = 600        # seconds for one generator script
MO_TIMEOUT = 60          # seconds for one mo conversion
RUN_TIMEOUT = 120        # seconds for reading + compiling + one inference
RTOL, ATOL, SCALE_TOL = 1e-4, 1e-5, 1e-4
DOC = os.path.join(TOP, "docs", "paddle.md")
SIDES = ("ours", "ov")

# The operators of OpenVINO's Paddle frontend op table
# (src/frontends/paddle/src/op_table.cpp, get_supported_ops(), the 2025
# version): the legacy names, then the Paddle 3 (PIR) names it adds.
OV_LEGACY_OPS = """
arg_max arg_min assign assign_value batch_norm bicubic_interp_v2 bilinear_interp_v2
bilinear_interp bmm box_coder cast ceil clip concat conditional_block conv2d
conv2d_transpose cos cumsum deformable_conv deformable_conv_v1 depthwise_conv2d
depthwise_conv2d_transpose dequantize_linear elementwise_add elementwise_div
elementwise_floordiv elementwise_mod elementwise_mul elementwise_max elementwise_min
elementwise_sub dropout elementwise_pow elu equal exp expand_v2 expand_as_v2 eye
fill_any_like fill_constant fill_constant_batch_size_like flatten_contiguous_range
flatten flip floor gather gather_nd gelu generate_proposals_v2 greater_equal greater_than
grid_sampler group_norm hard_sigmoid hard_swish index_select layer_norm leaky_relu
less_than less_equal linear_interp_v2 linspace lod_array_length log logical_and
logical_not logical_or logical_xor lookup_table_v2 matmul matmul_v2 max_pool2d_with_index
max_pool3d_with_index matrix_nms memcpy meshgrid multiclass_nms3 nearest_interp_v2
nearest_interp not_equal one_hot_v2 p_norm pad3d partial_concat partial_sum pow pool2d
pool3d prior_box quantize_linear range reduce_all reduce_max reduce_mean reduce_min
reduce_prod reduce_sum relu relu6 reshape2 reverse rnn roi_align roll round rsqrt scale
select_input set_value shape share_data sigmoid silu sin slice softmax softplus
softshrink split sqrt squeeze2 stack strided_slice sum swish sync_batch_norm tanh
tanh_shrink tensor_array_to_tensor tile top_k_v2 transpose2 tril_triu trilinear_interp_v2
unsqueeze2 unique unstack where while write_to_array where_index yolo_box abs atan2
scatter scatter_nd_add take_along_axis reduce_any
""".split()
OV_PIR_OPS = """
batch_norm_ add argmax multiply reshape divide maximum minimum remainder subtract
floor_divide expand assign_value_ expand_as full_like full_with_tensor grid_sample
hardsigmoid hardswish one_hot arange all max mean min prod transpose
set_value_with_tensor_ shape64 share_data_ split_with_num squeeze topk triu tril
unsqueeze nonzero any add_n if bicubic_interp embedding generate_proposals linear_interp
""".split()


# ---------------------------------------------------------------- generation

def generate(gen_dir, out, paddle_py, modes, filt, jobs, log):
    """Run every generator once per mode, each into its own folder
    OUT/models/MODE/GENERATOR/ (several generators write models of the same
    name, and one that fails half-way must not leave its models among
    another's), with the generators' folder on PYTHONPATH and as the current
    folder.  A stamp per (mode, script) keeps a rerun from redoing what was
    made; a generator that fails (Paddle 3.3 removed or changed an API it
    uses) is counted, its log kept, and the models it did write still count."""
    from concurrent.futures import ThreadPoolExecutor
    scripts = sorted(glob.glob(os.path.join(gen_dir, "generate_*.py")))
    if filt:
        scripts = [s for s in scripts if fnmatch.fnmatch(os.path.basename(s), filt)]
    todo, gen_out = [], {}
    for mode in modes:
        ldir = os.path.join(out, "logs", mode)
        os.makedirs(ldir, exist_ok=True)
        for s in scripts:
            base = os.path.basename(s)
            stamp = os.path.join(ldir, base + ".done")
            if os.path.exists(stamp):
                gen_out[(mode, base)] = open(stamp).read().strip()
            else:
                todo.append((mode, s))
    pypath = gen_dir + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")

    def one(task):
        mode, s = task
        base = os.path.basename(s)
        gdir = os.path.join(out, "models", mode, base[:-3])
        ldir = os.path.join(out, "logs", mode)
        shutil.rmtree(gdir, ignore_errors=True)     # no models of an earlier, unfinished run
        os.makedirs(gdir)
        env = dict(os.environ, FLAGS_enable_pir_api=MODES[mode], GLOG_minloglevel="2",
                   PYTHONPATH=pypath, CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1")
        t0 = time.monotonic()
        with open(os.path.join(ldir, base + ".log"), "w") as lf:
            try:
                p = subprocess.run([paddle_py, s, gdir], cwd=gen_dir, env=env, stdout=lf,
                                   stderr=subprocess.STDOUT, timeout=GEN_TIMEOUT,
                                   stdin=subprocess.DEVNULL)
                status = "ok" if p.returncode == 0 else f"exit {p.returncode}"
            except subprocess.TimeoutExpired:
                status = f"timeout ({GEN_TIMEOUT} s)"
        with open(os.path.join(ldir, base + ".done"), "w") as f:
            f.write(status + "\n")
        log(f"generate [{mode}] {base}: {status} ({time.monotonic() - t0:.1f} s)")
        return task, status

    with ThreadPoolExecutor(max(1, jobs)) as ex:
        for (mode, s), status in ex.map(one, todo):
            gen_out[(mode, os.path.basename(s))] = status
    return gen_out


def last_error(log_path):
    """The last line of a generator's log that names an error, for the list
    of generators that failed."""
    try:
        with open(log_path, errors="replace") as f:
            lines = [ln.strip() for ln in f if ln.strip()]
    except OSError:
        return ""
    for ln in reversed(lines):
        if re.search(r"(Error|Exception|error:)", ln):
            return short(ln, 160)
    return short(lines[-1], 160) if lines else ""


def discover(out, modes):
    """Applicable models: {(mode, name): dict(model, inputs, feeds, outputs,
    gen)}.  A model is a NAME.pdmodel (legacy) or NAME.json (PIR) file one to
    three folders below the generator's folder (most generators write
    GEN/NAME/NAME.ext, some GEN/NAME/SUB/NAME.ext), with output0.npy beside
    it.  Its name is its folder's path under GEN; a name made by two
    generators is told apart by the generator's."""
    found = {}
    for mode in modes:
        ext = ".pdmodel" if mode == "legacy" else ".json"
        mroot = os.path.join(out, "models", mode)
        for gdir in sorted(glob.glob(os.path.join(mroot, "generate_*"))):
            gen = os.path.basename(gdir)
            files = []
            for depth in (1, 2, 3):
                files += glob.glob(os.path.join(gdir, *(["*"] * depth), "*" + ext))
            by_dir = {}
            for mf in sorted(files):
                d = os.path.dirname(mf)
                # NAME/NAME.ext before any other model file of that folder
                stem = os.path.basename(mf)[:-len(ext)]
                if d not in by_dir or stem == os.path.basename(d):
                    by_dir[d] = mf
            for d, model in sorted(by_dir.items()):
                # saveModel() given a path for its name (conv2d_s) writes the
                # model file beside the folder that holds its arrays
                sub = os.path.join(d, os.path.basename(model)[:-len(ext)])
                if (not os.path.exists(os.path.join(d, "output0.npy"))
                        and os.path.exists(os.path.join(sub, "output0.npy"))):
                    d = sub
                outs = []
                while os.path.exists(os.path.join(d, f"output{len(outs)}.npy")):
                    outs.append(os.path.join(d, f"output{len(outs)}.npy"))
                if not outs:
                    continue
                ins, feeds = [], []
                while os.path.exists(os.path.join(d, f"input{len(ins)}.npy")):
                    i = len(ins)
                    named = [f for f in glob.glob(os.path.join(d, f"input{i}.*.npy"))]
                    feed = None
                    if named:
                        # input<i>.<feed>.<dtype>.npy; a feed name may hold dots
                        stem = os.path.basename(named[0])[len(f"input{i}."):-len(".npy")]
                        feed = stem.rsplit(".", 1)[0]
                    feeds.append(feed or f"input{i}")
                    ins.append(os.path.join(d, f"input{i}.npy"))
                name = os.path.relpath(d, gdir).replace(os.sep, "/")
                key = (mode, name)
                if key in found:
                    key = (mode, f"{gen}:{name}")
                found[key] = {"model": model, "inputs": ins, "feeds": feeds, "outputs": outs,
                              "gen": gen}
    return found


# ---------------------------------------------------------------- op types

def _varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def _fields(b):
    """(field number, wire type, value or bytes) of one protobuf message."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        f, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            return
        yield f, wt, v


def op_types(model):
    """The operator types a model uses: ProgramDesc blocks (1) -> ops (4) ->
    type (3); PIR JSON every op's "#" without its dialect prefix."""
    types = set()
    try:
        if model.endswith(".json"):
            def walk(x):
                if isinstance(x, dict):
                    if isinstance(x.get("#"), str) and "O" in x:
                        n = x["#"]
                        types.add(n.split(".", 1)[1] if "." in n else n)
                    for v in x.values():
                        walk(v)
                elif isinstance(x, list):
                    for v in x:
                        walk(v)
            with open(model) as f:
                walk(json.load(f))
        else:
            with open(model, "rb") as f:
                data = f.read()
            for f1, wt1, blk in _fields(data):
                if f1 != 1 or wt1 != 2:
                    continue
                for f2, wt2, op in _fields(blk):
                    if f2 != 4 or wt2 != 2:
                        continue
                    for f3, wt3, t in _fields(op):
                        if f3 == 3 and wt3 == 2:
                            types.add(t.decode(errors="replace"))
    except Exception:  # noqa: BLE001 - a model we cannot list counts no ops
        pass
    types -= {"feed", "fetch", "p", "data", "parameter", "combine", "split", "full",
              "full_int_array", "shadow_output", "yield"}
    return sorted(types)


# ---------------------------------------------------------------- one side

def run_side(m, side, mo_path):
    import numpy as np
    import openvino as ov
    import ovrun
    t0 = time.monotonic()
    core = ov.Core()
    tmp = None
    try:
        if side == "ours":
            tmp = tempfile.mkdtemp(prefix="mo-peer.")
            try:
                p = subprocess.run([mo_path, "--input_model", m["model"], "--output_dir", tmp],
                                   capture_output=True, text=True, timeout=MO_TIMEOUT,
                                   stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                return {"status": "convert-error", "reason": f"mo ran over {MO_TIMEOUT} s"}
            if p.returncode != 0:
                return {"status": "convert-error",
                        "reason": short(first_error_line(p.stdout + p.stderr))}
            xml = glob.glob(os.path.join(tmp, "*.xml"))
            if not xml:
                return {"status": "convert-error", "reason": "mo wrote no .xml"}
            try:
                model = core.read_model(xml[0])
            except Exception as e:  # noqa: BLE001
                return {"status": "read-error", "reason": short(e)}
        else:
            try:
                model = core.read_model(m["model"])
            except Exception as e:  # noqa: BLE001
                return {"status": "read-error", "reason": short(e)}
        try:
            compiled = ovrun.compile_ir(model, core=core, who="peer_suite")
        except Exception as e:  # noqa: BLE001
            return {"status": "compile-error", "reason": short(e)}
        ins = [np.load(f) for f in m["inputs"]]
        refs = [np.load(f) for f in m["outputs"]]
        in_ports = match_ports(compiled.inputs, m["feeds"])
        if len(compiled.inputs) < len(ins):
            # a converter may drop a feed whose values nothing uses (full_like
            # of a static shape): allowed when every input the model keeps is
            # a feed found by its name
            named = {n: p for p in compiled.inputs for n in p.get_names()}
            kept = [(named[f], a) for f, a in zip(m["feeds"], ins) if f in named]
            if len(kept) == len(compiled.inputs) and len({id(p) for p, _ in kept}) == len(kept):
                in_ports, ins = [p for p, _ in kept], [a for _, a in kept]
        if len(compiled.inputs) != len(ins) or any(p is None for p in in_ports):
            return {"status": "io-mismatch",
                    "reason": f"{len(compiled.inputs)} model inputs for {len(ins)} arrays"}
        if len(compiled.outputs) < len(refs):
            return {"status": "io-mismatch",
                    "reason": f"{len(compiled.outputs)} model outputs for {len(refs)} references"}
        try:
            req = compiled.create_infer_request()
            for p, a in zip(in_ports, ins):
                req.set_tensor(p, to_ov_tensor(a, p.get_element_type()))
            req.infer()
            got = [from_ov_tensor(req.get_tensor(p)) for p in compiled.outputs[:len(refs)]]
        except Exception as e:  # noqa: BLE001
            return {"status": "infer-error", "reason": short(e)}
        worst = 0.0
        for k, (ref, g) in enumerate(zip(refs, got)):
            if ref.shape != g.shape and ref.size == g.size:
                g = g.reshape(ref.shape)    # Paddle's [1] where the IR has a scalar
            ok, why, err, _ = compare_output(ref, g, RTOL, ATOL, SCALE_TOL)
            if not ok:
                return {"status": "mismatch", "reason": f"output{k}: {why}"}
            worst = max(worst, err or 0.0)
        return {"status": "pass", "max_err": worst}
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        # seconds spent, for the summary
        _ = time.monotonic() - t0


def worker(conn, mo_path):
    serve(conn, run_side, mo_path)


# ---------------------------------------------------------------- reports

def counts(results, modes):
    rows = []
    for mode in modes:
        keys = [k for k in results if k[0] == mode]
        n = len(keys)
        ours = sum(results[k]["ours"]["status"] == "pass" for k in keys)
        ov = sum(results[k]["ov"]["status"] == "pass" for k in keys)
        both = sum(results[k]["ours"]["status"] == "pass" and results[k]["ov"]["status"] == "pass"
                   for k in keys)
        ov_only = sum(results[k]["ov"]["status"] == "pass" and results[k]["ours"]["status"] != "pass"
                      for k in keys)
        rows.append((mode, n, ours, ov, both, ov_only))
    return rows


MISSING_OP = re.compile(r"cannot be converted: ((?:'[^']+'(?:, )?)+)")


def reason_key(r):
    """(missing operator names, other reason with numbers and node names
    generalised) of one failed result."""
    why = r.get("reason", "")
    m = MISSING_OP.search(why)
    if m:
        return re.findall(r"'([^']+)'", m.group(1)), ""
    g = re.sub(r"'[^']*'", "'…'", why)
    # numbers become N, digits inside names (pool2d, output0) stay
    g = re.sub(r"(?<![A-Za-z_\d])-?\d+(\.\d+)?(e[-+]?\d+)?(?![A-Za-z_\d])", "N", g)
    return [], f"{r['status']}: {g[:150]}"


def missing_report(results, modes):
    """The models ours gets wrong that matter, grouped by reason: legacy
    models OpenVINO's reader gets right and ours does not; every PIR model
    ours gets wrong (OpenVINO's reader reads none), marked when OpenVINO
    gets its legacy twin right.  Missing operators first, most models
    first, then the other reasons."""
    out, total = [], 0
    for mode in modes:
        if mode == "legacy":
            keys = [k for k in sorted(results) if k[0] == mode
                    and results[k]["ov"]["status"] == "pass" and results[k]["ours"]["status"] != "pass"]
            title = "legacy .pdmodel: OpenVINO's reader right, ours not"
        else:
            keys = [k for k in sorted(results) if k[0] == mode and results[k]["ours"]["status"] != "pass"]
            title = ("PIR .json: ours not right (OpenVINO's reader reads no PIR model; "
                     "'*' = OpenVINO gets the legacy twin right)")
        total += len(keys) if mode == "legacy" else 0
        ops, other = {}, {}
        for k in keys:
            names, why = reason_key(results[k]["ours"])
            tag = k[1]
            if mode != "legacy" and results.get(("legacy", k[1]), {}).get("ov", {}).get("status") == "pass":
                tag += "*"
            if names:
                for o in names:
                    ops.setdefault(o, []).append(tag)
            else:
                other.setdefault(why, []).append((tag, results[k]["ours"].get("reason", "")))
        out.append(f"== {title}: {len(keys)} models")
        out.append(f"-- missing operators ({sum(1 for k in keys if reason_key(results[k]['ours'])[0])} models)")
        for o, ms in sorted(ops.items(), key=lambda x: (-len(x[1]), x[0])):
            out.append(f"{len(ms):4d}  {o}: {' '.join(ms)}")
        out.append(f"-- other errors ({sum(len(v) for v in other.values())} models)")
        for why, ms in sorted(other.items(), key=lambda x: (-len(x[1]), x[0])):
            out.append(f"{len(ms):4d}  {why}")
            for tag, full in ms:
                out.append(f"        {tag}: {full}")
        out.append("")
    return "\n".join(out) + "\n", total



def summary_md(results, modes, meta):
    out = [f"Run {meta['date']} on {meta['machine']}: mo {meta['mo']}, OpenVINO {meta['openvino']}, "
           f"Paddle {meta['paddle']}; {meta['seconds']:.0f} s.", "",
           "| format | models | ours right | OpenVINO's reader right | both | OpenVINO only |",
           "|---|---:|---:|---:|---:|---:|"]
    for mode, n, ours, ov, both, ov_only in counts(results, modes):
        label = "legacy `.pdmodel`" if mode == "legacy" else "PIR `.json`"
        out.append(f"| {label} | {n} | {ours} | {ov} | {both} | {ov_only} |")
    return "\n".join(out) + "\n"


def our_ops():
    """What mo converts, read from its sources: the legacy operator names of
    the translator tables (plugins/paddle/tr_*.c) and the PIR names mapped
    onto them (pir_names.c) or read by the PIR loader itself."""
    src = os.path.join(TOP, "plugins", "paddle")
    legacy = set()
    for f in glob.glob(os.path.join(src, "tr_*.c")):
        with open(f) as fh:
            legacy |= set(re.findall(r'\{"([a-z0-9_]+)",\s*tr_\w+\}', fh.read()))
    with open(os.path.join(src, "pir_names.c")) as fh:
        pir = {p for p, leg in re.findall(r'\{"([a-z0-9_]+)",\s*"([a-z0-9_]+)"', fh.read())
               if leg in legacy}
    # read by pir.c itself (control flow, constants, arrays), or a legacy
    # name PIR keeps
    pir |= {"while", "if", "full", "full_int_array", "create_array", "data", "fetch"}
    pir |= {o for o in legacy if o in OV_PIR_OPS}
    return legacy, pir


def op_table_md(results, ops_of):
    """One row per operator of OpenVINO's op table: whether mo has a
    translator for it, the peer models using it and how many each side gets
    right; then the operators mo converts that the table lacks."""
    use = {}
    for k, ops in ops_of.items():
        for o in ops:
            use.setdefault(o, []).append(k)
    legacy, pir = our_ops()
    out = ["| operator | form | mo translator | peer models | ours right | OpenVINO right |",
           "|---|---|---|---:|---:|---:|"]
    for form, names in (("legacy", OV_LEGACY_OPS), ("PIR", OV_PIR_OPS)):
        mine = legacy if form == "legacy" else pir
        for o in sorted(set(names)):
            has = "yes" if o in mine else "**no**"
            ks = [k for k in use.get(o, []) if (k[0] == "legacy") == (form == "legacy")]
            if not ks:
                out.append(f"| `{o}` | {form} | {has} | no peer model | | |")
                continue
            ours = sum(results[k]["ours"]["status"] == "pass" for k in ks)
            ov = sum(results[k]["ov"]["status"] == "pass" for k in ks)
            out.append(f"| `{o}` | {form} | {has} | {len(ks)} | {ours} | {ov} |")
    extra = sorted(legacy - set(OV_LEGACY_OPS))
    out.append("")
    out.append(f"mo also converts {len(extra)} legacy operators OpenVINO's table does not list "
               f"(with fixtures in `tests/fixtures/paddle_ops/`, but for the v1 names no Paddle "
               f"release we can run still has): "
               + ", ".join(f"`{o}`" for o in extra) + ".")
    return "\n".join(out) + "\n"


def update_doc(section, text):
    begin = f"<!-- peer-suite:{section}:begin (generated by tests/paddle/run-peer-suite.sh --update-doc) -->"
    end = f"<!-- peer-suite:{section}:end -->"
    with open(DOC) as f:
        doc = f.read()
    i, j = doc.find(begin), doc.find(end)
    if i < 0 or j < i:
        sys.exit(f"peer_suite: {DOC} lacks the markers of section '{section}'")
    doc = doc[:i + len(begin)] + "\n" + text + doc[j:]
    with open(DOC, "w") as f:
        f.write(doc)


def versions(mo_path, paddle_py):
    import openvino as ov
    mo = subprocess.run([mo_path, "--version"], capture_output=True, text=True).stdout.strip()
    pd = subprocess.run([paddle_py, "-c", "import paddle; print(paddle.__version__)"],
                        capture_output=True, text=True).stdout.strip()
    return {"mo": mo.splitlines()[0] if mo else "?", "openvino": ov.get_version(),
            "paddle": pd.splitlines()[-1] if pd else "?"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gen", required=True, help="folder of OpenVINO's generator scripts")
    ap.add_argument("--paddle-python", required=True, help="python of a venv with paddlepaddle")
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "zoo", "paddle_peer"))
    ap.add_argument("--mo", default=os.path.join(TOP, "build", "mo"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--modes", default="legacy,pir")
    ap.add_argument("--filter", default="", help="generator script glob, e.g. 'generate_pool*'")
    ap.add_argument("--skip-generate", action="store_true",
                    help="use the models of an earlier run (and its generator stamps)")
    ap.add_argument("--generate-only", action="store_true",
                    help="run the generators, compare nothing")
    ap.add_argument("--update-doc", action="store_true")
    a = ap.parse_args()
    if a.update_doc and a.filter:
        sys.exit("peer_suite: --update-doc needs the whole suite, not --filter")
    modes = [m for m in a.modes.split(",") if m]
    for m in modes:
        if m not in MODES:
            sys.exit(f"peer_suite: unknown mode '{m}' (legacy, pir)")
    gen = os.path.abspath(a.gen)
    if not os.path.exists(os.path.join(gen, "save_model.py")):
        sys.exit(f"peer_suite: {gen} does not look like OpenVINO's gen_scripts folder "
                 "(no save_model.py)")
    mo_path = os.path.abspath(a.mo)
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    log = lambda s: print(s, flush=True)  # noqa: E731
    if a.skip_generate:
        gen_status = {}
        for mode in modes:
            for st in glob.glob(os.path.join(out, "logs", mode, "generate_*.py.done")):
                base = os.path.basename(st)[:-len(".done")]
                if not a.filter or fnmatch.fnmatch(base, a.filter):
                    gen_status[(mode, base)] = open(st).read().strip()
    else:
        gen_status = generate(gen, out, a.paddle_python, modes, a.filter, a.jobs, log)
    failed = sorted(k for k, v in gen_status.items() if v != "ok")
    log(f"peer_suite: {len(gen_status)} generator runs, {len(failed)} failed")
    if a.generate_only:
        for mode, base in failed:
            log(f"  [{mode}] {base}: {gen_status[(mode, base)]}: "
                f"{last_error(os.path.join(out, 'logs', mode, base + '.log'))}")
        return 0
    models = discover(out, modes)
    if a.filter:
        # --filter names generator scripts: compare only their models too
        models = {k: v for k, v in models.items() if fnmatch.fnmatch(v["gen"] + ".py", a.filter)}
    log(f"peer_suite: {len(models)} applicable models "
        + ", ".join(f"{m} {sum(k[0] == m for k in models)}" for m in modes))
    results = {k: {} for k in models}
    ops_of = {k: op_types(v["model"]) for k, v in models.items()}
    tasks = [(models[k], side) for k in sorted(models) for side in SIDES]
    key_of = {id(t[0]): k for k in models for t in tasks if t[0] is models[k]}
    done = [0]

    def on_result(task, r):
        k = key_of[id(task[0])]
        results[k][task[1]] = r
        done[0] += 1
        if done[0] % 100 == 0:
            log(f"  {done[0]}/{len(tasks)}")

    pool = Pool(max(1, a.jobs), worker, (mo_path,),
                lambda task: RUN_TIMEOUT + (MO_TIMEOUT if task[1] == "ours" else 0))
    try:
        # the pool hands tasks back as given; tasks hold the model dicts
        pool.run(tasks, on_result)
    finally:
        pool.close()
    meta = dict(versions(mo_path, a.paddle_python), date=time.strftime("%Y-%m-%d"),
                machine=f"{platform.machine()}, {os.cpu_count()} cores",
                seconds=time.monotonic() - t0)
    # a filtered run reports beside the full one, not over it
    rep = out if not a.filter else os.path.join(
        out, "filtered", re.sub(r"[^A-Za-z0-9_.-]", "_", a.filter))
    os.makedirs(rep, exist_ok=True)
    with open(os.path.join(rep, "results.json"), "w") as f:
        json.dump({"meta": meta, "generators": {f"{m}/{s}": v for (m, s), v in gen_status.items()},
                   "models": {f"{m}/{n}": dict(results[(m, n)], ops=ops_of[(m, n)],
                                               model=os.path.relpath(models[(m, n)]["model"], out))
                              for (m, n) in sorted(results)}}, f, indent=1)
    summ = summary_md(results, modes, meta)
    with open(os.path.join(rep, "summary.md"), "w") as f:
        f.write(summ)
        f.write("\n")
        f.write(op_table_md(results, ops_of))
    missing_txt, n_missing = missing_report(results, modes)
    with open(os.path.join(rep, "ours_missing.txt"), "w") as f:
        f.write(missing_txt)
    with open(os.path.join(rep, "generators_failed.txt"), "w") as f:
        for mode, base in failed:
            f.write(f"[{mode}] {base}: {gen_status[(mode, base)]}: "
                    f"{last_error(os.path.join(out, 'logs', mode, base + '.log'))}\n")
    fails = {}
    for k, r in results.items():
        if r["ours"]["status"] != "pass":
            names, why = reason_key(r["ours"])
            why = ("missing " + ", ".join(names)) if names else why[:110]
            fails[why] = fails.get(why, 0) + 1
    print(summ)
    print(f"generators that failed: {len(failed)} (list in {rep}/generators_failed.txt)")
    print(f"OpenVINO right, ours not: {n_missing} (list in {rep}/ours_missing.txt)")
    print("our most frequent failures:")
    for why, n in sorted(fails.items(), key=lambda x: -x[1])[:25]:
        print(f"  {n:4d}  {why}")
    if a.update_doc:
        update_doc("counts", summ)
        update_doc("ops", op_table_md(results, ops_of))
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
