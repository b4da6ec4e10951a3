#!/usr/bin/env python3
"""Many IRs through the real OpenVINO Runtime in one process.

usage: run_ir_many.py LIST

Each line of LIST is tab-separated:
    LABEL  MODEL.xml  INPUTS.npz  REFERENCE.npz  [OPTIONS-JSON]
OPTIONS-JSON may set rtol (default 1e-4), atol (0), allow_constant (false)
and xfail (a reason: a known mismatch, reported but not counted).  The
comparison is run_ir.py's check(): one interpreter start and one ov.Core
for hundreds of tiny models, where one run_ir.py each costs a second.

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
            rc = check(compiled, np.load(inputs), np.load(reference),
                       opts.get("rtol", 1e-4), opts.get("atol", 0.0),
                       opts.get("allow_constant", False), quiet=False, out=lines.append)
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
