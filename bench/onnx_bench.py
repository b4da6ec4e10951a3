#!/usr/bin/env python3
"""onnx_bench.py - ONNX conversion time and peak RSS: mo against OpenVINO's ovc.

usage: onnx_bench.py [--mo build/_install/bin/mo] [--ovc .venv/ov/bin/ovc]
                     [--runs 5] [--zoo tests/zoo/onnx] [--only a,b]
                     [--variants fp32,fp16] [--out bench/out/onnx]
       onnx_bench.py --table-from bench/out/onnx/result.json

For every model of the ONNX zoo (tests/gen/onnx_zoo.py; DIR/NAME/model.onnx)
and each variant, RUNS interleaved pairs of conversions, on the same machine
in the same run, each into an emptied output directory:
    fp32:  mo --input_model model.onnx --output_dir OUT --model_name model
           ovc model.onnx --output_model OUT/model.xml --compress_to_fp16=False
    fp16:  mo ... --compress_to_fp16
           ovc model.onnx --output_model OUT/model.xml      (ovc's default)
ovc compresses weights to FP16 by default and mo does not, so the fp32 row
compares like with like by turning ovc's compression off, and the fp16 row
compares ovc's default with mo's --compress_to_fp16.  ovc is the command a
user types (a Python program: its time includes the interpreter start and
`import openvino`, as the user's does; the header line gives the median
time of `ovc --version`, which pays most of that, and the column
"(ovc - start)/mo" the ratio with that time taken off ovc's).  The order within a pair alternates
and one untimed run of each warms the page cache first.  Wall time is taken
around the child, peak RSS is what GNU time (/usr/bin/time) reports for it.
The table gives medians, the speed-up ovc/mo and the issue's target (mo at
least 5x faster than ovc on every zoo model).  A conversion that fails is
reported with its first error line; raw samples go to OUT/result.json.

mo defaults to the installed binary build/_install/bin/mo (build/mo is
libtool's wrapper script, whose shell would be timed); MO_PLUGIN_PATH
defaults to the plugins/ beside it when that exists.  ovc defaults to
$MO_VENV_DIR/ov/bin/ovc (MO_VENV_DIR: .venv)."""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
GNU_TIME = "/usr/bin/time"
TARGET = 5.0


def first_error(text):
    """The line that says why; mo's list of unconvertible layer types is
    shortened to the type names (tests/onnx/zoo.sh gives counts)."""
    m = re.search(r"ERROR \]\s+\d+ \w+ layer types? cannot be converted: (.*)", text)
    if m:
        return "unsupported " + ", ".join(re.findall(r"'([^']+)' \(\d+ node", m.group(1)))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if "ERROR" in ln or "rror:" in ln or "failed" in ln:
            return ln[:200]
    return lines[-1][:200] if lines else "failed"


def run(cmd, env):
    """(wall seconds, peak RSS MiB, None) or (None, None, first error line).
    RSS from GNU time, not wait4: Linux carries the forking Python's RSS
    over the exec, which would hide a smaller peak (bench/weights_bench.py)."""
    rss_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"onnx_bench.{os.getpid()}.rss")
    full = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        return None, None, first_error(p.stdout.decode(errors="replace"))
    with open(rss_file) as f:
        kib = float(f.read().split()[-1])
    os.unlink(rss_file)
    return wall, kib / 1024.0, None


def clear(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.sync()


def bench_model(mo, ovc, model_dir, variant, runs, out, env):
    name = os.path.basename(model_dir)
    src = os.path.join(model_dir, "model.onnx")
    d = os.path.join(out, f"{name}-{variant}")
    cmds = {"mo": [mo, "--input_model", src, "--output_dir", d, "--model_name", "model"],
            "ovc": [ovc, src, "--output_model", os.path.join(d, "model.xml")]}
    if variant == "fp16":
        cmds["mo"].append("--compress_to_fp16")
    else:
        cmds["ovc"].append("--compress_to_fp16=False")
    samples = {"mo": [], "ovc": []}
    errors = {}
    for i in range(-1, runs):  # run -1 warms the cache and is not counted
        order = ("mo", "ovc") if i % 2 == 0 else ("ovc", "mo")
        for tool in order:
            if tool in errors:
                continue
            clear(d)
            wall, rss, err = run(cmds[tool], env)
            if err:
                errors[tool] = err
            elif i >= 0:
                samples[tool].append((wall, rss))
        if i >= 0 and len(errors) < 2:
            got = ", ".join(f"{t} {samples[t][-1][0]:.3f} s" for t in ("mo", "ovc") if t not in errors)
            print(f"  {name} {variant} pair {i + 1}/{runs}: {got}", file=sys.stderr, flush=True)
    shutil.rmtree(d, ignore_errors=True)
    row = {"model": name, "variant": variant, "onnx_mib": os.path.getsize(src) / 2**20,
           "samples": samples, "errors": errors}
    for t, s in samples.items():
        if s:
            row[f"{t}_s"] = statistics.median(x[0] for x in s)
            row[f"{t}_rss_mib"] = statistics.median(x[1] for x in s)
    if "mo_s" in row and "ovc_s" in row:
        row["speedup"] = row["ovc_s"] / row["mo_s"]
    return row


def cell_time(r, t):
    return f"{r[t + '_s']:.3f}" if t + "_s" in r else f"FAIL: {r['errors'][t]}".replace("|", "\\|")


def cell_rss(r, t):
    return f"{r[t + '_rss_mib']:.1f}" if t + "_rss_mib" in r else "-"


def table(rows, info, floor):
    """The markdown table of ROWS.  The column "ovc - start/mo" takes FLOOR
    (the median time of `ovc --version`: the interpreter and the imports)
    off ovc's time, i.e. compares the conversion work alone."""
    lines = [f"{info} (`ovc --version` alone: {floor:.2f} s)", "",
             "| model | ONNX (MiB) | IR | mo (s) | ovc (s) | ovc/mo | >= 5x | (ovc - start)/mo "
             "| mo peak RSS (MiB) | ovc peak RSS (MiB) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        sp = f"{r['speedup']:.1f}x" if "speedup" in r else "-"
        met = ("met" if r["speedup"] >= TARGET else "NOT met") if "speedup" in r else "-"
        work = f"{(r['ovc_s'] - floor) / r['mo_s']:.1f}x" if "speedup" in r else "-"
        ir = "FP32" if r["variant"] == "fp32" else "FP16 (ovc default)"
        lines.append(f"| {r['model']} | {r['onnx_mib']:.1f} | {ir} | {cell_time(r, 'mo')} | {cell_time(r, 'ovc')} "
                     f"| {sp} | {met} | {work} | {cell_rss(r, 'mo')} | {cell_rss(r, 'ovc')} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    inst = os.path.join(TOP, "build", "_install", "bin", "mo")
    venv = os.environ.get("MO_VENV_DIR") or os.path.join(TOP, ".venv")
    ap.add_argument("--mo", default=inst if os.path.exists(inst) else os.path.join(TOP, "build", "mo"))
    ap.add_argument("--ovc", default=os.path.join(venv, "ov", "bin", "ovc"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--zoo", default=os.environ.get("MO_ONNX_ZOO") or os.path.join(TOP, "tests", "zoo", "onnx"))
    ap.add_argument("--only", default="")
    ap.add_argument("--variants", default="fp32,fp16")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "onnx"))
    ap.add_argument("--table-from", metavar="RESULT_JSON",
                    help="print the table of an earlier run's result.json, run nothing")
    a = ap.parse_args()
    if a.table_from:
        with open(a.table_from) as f:
            res = json.load(f)
        info = res.get("info") or res["table"].splitlines()[0].split(" (`ovc")[0]
        floor = res.get("ovc_floor_s")
        if floor is None:  # written before the floor was stored: it is in the header
            floor = float(re.search(r"alone: ([0-9.]+) s", res["table"]).group(1))
        print(table(res["rows"], info, floor))
        return 0
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"no {GNU_TIME} (Debian package `time`): peak RSS needs it")
    mo = os.path.abspath(a.mo)
    only = set(filter(None, a.only.split(",")))
    models = sorted(os.path.join(a.zoo, n) for n in os.listdir(a.zoo)
                    if os.path.exists(os.path.join(a.zoo, n, "model.onnx")) and (not only or n in only))
    if not models:
        sys.exit(f"no models in {a.zoo}: make them with /usr/bin/python3 tests/gen/onnx_zoo.py")
    env = dict(os.environ)
    plugins = os.path.join(os.path.dirname(mo), "plugins")
    if "MO_PLUGIN_PATH" not in env and os.path.isdir(plugins):
        env["MO_PLUGIN_PATH"] = plugins
    os.makedirs(a.out, exist_ok=True)
    ver = subprocess.run([a.ovc, "--version"], capture_output=True, text=True).stdout.strip()
    # what ovc costs before it reads a model: the interpreter, the imports
    floor = statistics.median(run([a.ovc, "--version"], env)[0] for _ in range(max(a.runs, 1)))
    rows = [bench_model(mo, a.ovc, m, v, a.runs, a.out, env)
            for m in models for v in a.variants.split(",")]

    host = os.uname()
    info = (f"{time.strftime('%Y-%m-%d')}, {host.nodename} ({os.cpu_count()} CPUs, {host.release}); "
            f"{a.runs} interleaved pairs each, medians; mo = {mo}; ovc: {ver}")
    text = table(rows, info, floor)
    print(text)
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump({"table": text, "info": info, "ovc_floor_s": floor, "rows": rows}, f, indent=1)
    return 0 if all(r.get("speedup", 0) >= TARGET for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
