#!/usr/bin/env python3
"""mo against cp of the same weights: time ratio and peak RSS (issue 12).

usage: weights_bench.py [--mo build/mo] [--runs 5] [--out bench/out/weights]
                        [--model DIR ...] [--variants fp32,fp16]

For each model DIR (holding model-0000.params and, optionally, mo_args: extra
mo options one per line, as tests/gen/mxnet_models.py writes them) and each
variant (fp32: the default IR; fp16: --compress_to_fp16), RUNS interleaved
pairs are timed, on the same machine in the same run:
    mo --input_model DIR/model-0000.params --output_dir OUT/...  [mo_args]
    cp DIR/model-0000.params OUT/.../copy.params
Within a pair the order alternates (mo first, then cp first), so a drift in
the machine's speed hits both alike.  Before every timed run the previous
outputs are deleted (so neither writes over an old file) and the file system
is synced (so neither pays for the other's writeback); one untimed run of
each warms the page cache, so both read the model from memory.  Wall time is
measured around the child, peak RSS is what GNU time reports for it (see run()).  The table
gives medians and the ratio of the medians mo/cp, and the issue's targets:
ratio <= 1.5 (FP32) and <= 2 (FP16), peak RSS < 64 MiB.  The raw samples
go to OUT/result.json.

Defaults: the two models of issue 12, made with
    .venv/mxnet/bin/python tests/gen/mxnet_models.py --zoo --only resnet152_v1
    python3 tests/gen/big_mxnet.py --gb 4 --out tests/zoo/big/big4g --reference numpy
and --mo build/_install/bin/mo (else build/mo; MO_PLUGIN_PATH defaults to the
plugins/ beside it)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
DEFAULT_MODELS = [os.path.join(TOP, "tests", "zoo", "mxnet", "resnet152_v1"),
                  os.path.join(TOP, "tests", "zoo", "big", "big4g")]
TARGET_RATIO = {"fp32": 1.5, "fp16": 2.0}
TARGET_RSS_MIB = 64


GNU_TIME = "/usr/bin/time"


def run(cmd, env):
    """Wall time and peak RSS (MiB) of cmd.  The child's ru_maxrss from
    os.wait4 cannot be used: Linux carries the forked Python's RSS (15 MiB)
    over the exec, hiding any smaller peak; GNU time (Debian's `time`, a
    small C program) forks from a 2 MiB process instead."""
    rss_file = None
    if os.access(GNU_TIME, os.X_OK):
        rss_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"weights_bench.{os.getpid()}.rss")
        cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()  # until the child closes it, i.e. exits
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.stderr.close()
    p.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}\n{err.decode(errors='replace')[-2000:]}")
    if rss_file:
        with open(rss_file) as f:
            kib = float(f.read().split()[-1])
        os.unlink(rss_file)
        return wall, kib / 1024.0
    return wall, ru.ru_maxrss / 1024.0


def clear(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.sync()


def bench_model(mo, model_dir, variant, runs, out, env):
    params = os.path.join(model_dir, "model-0000.params")
    extra = []
    if os.path.exists(os.path.join(model_dir, "mo_args")):
        with open(os.path.join(model_dir, "mo_args")) as f:
            extra = [ln.strip() for ln in f if ln.strip()]
    if variant == "fp16":
        extra.append("--compress_to_fp16")
    d = os.path.join(out, f"{os.path.basename(model_dir)}-{variant}")
    mo_cmd = [mo, "--input_model", params, "--output_dir", d, "--model_name", "model"] + extra
    cp_cmd = ["cp", params, os.path.join(d, "copy.params")]
    samples = {"mo": [], "cp": []}
    for i in range(-1, runs):  # run -1 warms the cache and is not counted
        order = (("mo", mo_cmd), ("cp", cp_cmd)) if i % 2 == 0 else (("cp", cp_cmd), ("mo", mo_cmd))
        for tool, cmd in order:
            clear(d)
            s = run(cmd, env)
            if i >= 0:
                samples[tool].append(s)
        if i >= 0:
            print(f"  {os.path.basename(model_dir)} {variant} pair {i + 1}/{runs}: "
                  f"mo {samples['mo'][-1][0]:.3f} s, cp {samples['cp'][-1][0]:.3f} s", file=sys.stderr)
    shutil.rmtree(d, ignore_errors=True)
    med = {t: (statistics.median(x[0] for x in s), statistics.median(x[1] for x in s))
           for t, s in samples.items()}
    return {"model": os.path.basename(model_dir), "variant": variant,
            "weights_mib": os.path.getsize(params) / 2**20,
            "mo_s": med["mo"][0], "cp_s": med["cp"][0], "ratio": med["mo"][0] / med["cp"][0],
            "mo_rss_mib": med["mo"][1], "cp_rss_mib": med["cp"][1], "samples": samples}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # the installed binary of the README's set-up: build/mo is libtool's
    # wrapper script, whose shell and forks would be timed as mo's
    inst = os.path.join(TOP, "build", "_install", "bin", "mo")
    ap.add_argument("--mo", default=inst if os.path.exists(inst) else os.path.join(TOP, "build", "mo"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(HERE, "out", "weights"))
    ap.add_argument("--model", action="append", help="a model directory (repeatable)")
    ap.add_argument("--variants", default="fp32,fp16")
    a = ap.parse_args()
    mo = os.path.abspath(a.mo)
    models = a.model or DEFAULT_MODELS
    for m in models:
        if not os.path.exists(os.path.join(m, "model-0000.params")):
            sys.exit(f"no {m}/model-0000.params: make it first (see --help)")
    env = dict(os.environ)
    plugins = os.path.join(os.path.dirname(mo), "plugins")
    if "MO_PLUGIN_PATH" not in env and os.path.isdir(plugins):
        env["MO_PLUGIN_PATH"] = plugins
    os.makedirs(a.out, exist_ok=True)
    rows = [bench_model(mo, m, v, a.runs, a.out, env) for m in models for v in a.variants.split(",")]

    host = os.uname()
    lines = [f"{time.strftime('%Y-%m-%d')}, {host.nodename} ({os.cpu_count()} CPUs, {host.release}); "
             f"{a.runs} interleaved pairs each, medians; mo = {mo}", "",
             "| model | weights (MiB) | IR | mo (s) | cp (s) | mo/cp | target | mo peak RSS (MiB) "
             "| cp peak RSS (MiB) | RSS < 64 MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        t = TARGET_RATIO[r["variant"]]
        lines.append(f"| {r['model']} | {r['weights_mib']:.1f} | {r['variant'].upper()} | {r['mo_s']:.3f} "
                     f"| {r['cp_s']:.3f} | {r['ratio']:.2f}x | <= {t}x {'met' if r['ratio'] <= t else 'NOT met'} "
                     f"| {r['mo_rss_mib']:.1f} | {r['cp_rss_mib']:.1f} "
                     f"| {'met' if r['mo_rss_mib'] < TARGET_RSS_MIB else 'NOT met'} |")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump({"table": text, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
