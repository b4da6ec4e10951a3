#!/usr/bin/env python3
"""One tiny Paddle model per translator and attribute variant, in both formats.

usage: paddle_ops.py [--out DIR] [--only GLOB[,GLOB...]] [--list]

Run it with Paddle 3.3 (tests/setup-venvs.sh paddle); the families that
declare PADDLE_VERSION = "2.6" (operators Paddle 3 removed) are made by
running it with Paddle 2.6 instead (tests/setup-venvs.sh paddle26).

The cases live in tests/gen/paddle_ops/<family>.py, each module defining
    def cases(paddle, np, Case): return [Case(...), ...]
(see Case below).  For every case NAME this writes
    DIR/NAME/legacy/model.pdmodel [+ model.pdiparams]  (FLAGS_enable_pir_api=0)
    DIR/NAME/pir/model.json [+ model.pdiparams]        (Paddle 3's PIR program)
    DIR/NAME/inputs.npz      inputs by feed name
    DIR/NAME/reference.npz   out0, out1...: Paddle's own outputs
    DIR/NAME/case.json       comparison options, when not the defaults
Default DIR is tests/fixtures/paddle_ops (committed; tests/e2e/paddle_ops.sh
checks them).  A case Paddle cannot save in one format gets no folder for
it (said on stderr); the test reports which formats each case has.

Each format is saved by a child process (the PIR switch must be set before
paddle is imported); the legacy child writes the reference (Paddle's eager
result for a layer, the executor's for a static program).
"""
import argparse
import fnmatch
import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import traceback
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FAMILIES = os.path.join(HERE, "paddle_ops")


class Case:
    """One model.

    name     folder name, "<family>_<op>_<variant>"
    fn       fn(paddle, *inputs) -> tensor or tuple of tensors: the program
             body, called under paddle.static.program_guard with the feed
             variables (always built as kind "static")
    layer    instead of fn: layer(paddle) -> an nn.Layer, saved by
             paddle.jit.save (kind "layer"; for parameters, or ops whose
             static API differs)
    inputs   list of numpy arrays (fed as x0, x1...) or a dict name -> array
    spec     shapes to declare, one per input (-1 = dynamic); default:
             the arrays' shapes
    kind     "layer" (paddle.jit.save of a layer, the usual path) or
             "static" (paddle.static.save_inference_model of a program
             built op by op: for ops only the static API makes)
    formats  which of "legacy", "pir" to make
    rtol, atol, allow_constant, xfail, allow_nan   comparison options (run_ir.py)
    compare  "nms": outputs (detections [K, 6], indices [K, 1], counts [N])
             compared as sets per image (tests/e2e/run_ir_many.py)
    """

    def __init__(self, name, fn=None, inputs=(), layer=None, spec=None, kind="layer",
                 formats=("legacy", "pir"), rtol=None, atol=None, allow_constant=False,
                 xfail=None, compare=None, allow_nan=False):
        self.name, self.fn, self.layer, self.spec, self.kind = name, fn, layer, spec, kind
        if isinstance(inputs, dict):
            self.inputs = list(inputs.items())
        else:
            self.inputs = [(f"x{i}", a) for i, a in enumerate(inputs)]
        self.formats = tuple(formats)
        self.opts = {k: v for k, v in (("rtol", rtol), ("atol", atol),
                                        ("allow_constant", allow_constant or None),
                                        ("xfail", xfail), ("compare", compare),
                                        ("allow_nan", allow_nan or None)) if v}


def load_cases(paddle, only):
    out = []
    for path in sorted(glob.glob(os.path.join(FAMILIES, "*.py"))):
        fam = os.path.splitext(os.path.basename(path))[0]
        if fam.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"paddle_ops_{fam}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        # a family of operators later releases dropped names the release
        # that still has them (PADDLE_VERSION = "2.6"): made only by it
        want = getattr(mod, "PADDLE_VERSION", "3.")
        if not paddle.__version__.startswith(want):
            continue
        for c in mod.cases(paddle, np, Case):
            if not only or any(fnmatch.fnmatch(c.name, g) for g in only):
                out.append(c)
    names = [c.name for c in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"paddle_ops: case names used twice: {sorted(dup)}")
    return out


def seed_of(name):
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def as_list(res):
    return list(res) if isinstance(res, (list, tuple)) else [res]


def save_layer(paddle, c, d, fmt):
    paddle.disable_static()
    paddle.seed(seed_of(c.name))
    m = c.layer(paddle)
    m.eval()
    specs = []
    for i, (n, a) in enumerate(c.inputs):
        shape = c.spec[i] if c.spec else list(a.shape)
        specs.append(paddle.static.InputSpec(shape, str(a.dtype), n))
    ref = [r.numpy() for r in as_list(m(*[paddle.to_tensor(a) for _, a in c.inputs]))]
    paddle.jit.save(m, os.path.join(d, fmt, "model"), input_spec=specs)
    return ref


def save_static(paddle, c, d, fmt):
    paddle.enable_static()
    paddle.seed(seed_of(c.name))
    main, startup = paddle.static.Program(), paddle.static.Program()
    with paddle.static.program_guard(main, startup):
        feeds = []
        for i, (n, a) in enumerate(c.inputs):
            shape = c.spec[i] if c.spec else list(a.shape)
            feeds.append(paddle.static.data(n, shape, str(a.dtype)))
        outs = as_list(c.fn(paddle, *feeds))
    exe = paddle.static.Executor(paddle.CPUPlace())
    exe.run(startup)
    res = exe.run(main, feed={n: a for n, a in c.inputs}, fetch_list=outs)
    paddle.static.save_inference_model(os.path.join(d, fmt, "model"), feeds, outs, exe,
                                       program=main)
    paddle.disable_static()
    return [np.asarray(r) for r in res]


def strip_callstacks(path):
    """Drop op_callstack (Python tracebacks of this script) from a
    ProgramDesc: it is most of a small model's bytes."""
    from paddle.base.proto import framework_pb2
    prog = framework_pb2.ProgramDesc()
    with open(path, "rb") as f:
        prog.ParseFromString(f.read())
    for block in prog.blocks:
        for op in block.ops:
            keep = [a for a in op.attrs if a.name != "op_callstack"]
            del op.attrs[:]
            op.attrs.extend(keep)
    with open(path, "wb") as f:
        f.write(prog.SerializeToString())


def save(fmt, out, only):
    import paddle
    if fmt == "legacy":
        sys.path.insert(0, HERE)
        import pd_legacy
        pd_legacy.patch(paddle)
    bad = 0
    for c in load_cases(paddle, only):
        if fmt not in c.formats:
            continue
        d = os.path.join(out, c.name)
        shutil.rmtree(os.path.join(d, fmt), ignore_errors=True)
        if fmt == "legacy":
            for f in ("inputs.npz", "reference.npz"):
                if os.path.exists(os.path.join(d, f)):
                    os.remove(os.path.join(d, f))
        os.makedirs(os.path.join(d, fmt), exist_ok=True)
        try:
            np.random.seed(seed_of(c.name))
            # a bare fn is built as a static program: jit.save would need
            # its source to trace it, and a lambda or a generated forward
            # has none
            static = c.kind == "static" or c.layer is None
            ref = (save_static if static else save_layer)(paddle, c, d, fmt)
        except Exception:
            paddle.disable_static()
            shutil.rmtree(os.path.join(d, fmt), ignore_errors=True)
            print(f"paddle_ops: {c.name}: Paddle could not save the {fmt} form:\n"
                  + traceback.format_exc(limit=2), file=sys.stderr)
            bad += 1
            continue
        for extra in ("model.pdiparams.info",):
            p = os.path.join(d, fmt, extra)
            if os.path.exists(p):
                os.remove(p)
        if fmt == "legacy":
            strip_callstacks(os.path.join(d, fmt, "model.pdmodel"))
        # the legacy child writes the reference; the PIR child only for a
        # case without a legacy form
        if fmt == "legacy" or not os.path.exists(os.path.join(d, "reference.npz")):
            np.savez(os.path.join(d, "inputs.npz"), **dict(c.inputs))
            np.savez(os.path.join(d, "reference.npz"),
                     **{f"out{k}": r for k, r in enumerate(ref)})
            cj = os.path.join(d, "case.json")
            if c.opts:
                with open(cj, "w") as f:
                    json.dump(c.opts, f, sort_keys=True)
                    f.write("\n")
            elif os.path.exists(cj):
                os.remove(cj)
        print(f"{fmt}: {c.name}", flush=True)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "fixtures", "paddle_ops"))
    ap.add_argument("--only", default="", help="comma-separated name globs")
    ap.add_argument("--save", choices=["legacy", "pir"])
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    only = [g for g in a.only.split(",") if g]
    if a.list:
        import paddle
        for c in load_cases(paddle, only):
            print(c.name)
        return 0
    if a.save:
        return save(a.save, a.out, only)
    rc = 0
    for fmt, flag in (("legacy", "0"), ("pir", "1")):
        env = dict(os.environ, FLAGS_enable_pir_api=flag, GLOG_minloglevel="2")
        cmd = [sys.executable, os.path.abspath(__file__), "--save", fmt, "--out", a.out]
        if a.only:
            cmd += ["--only", a.only]
        rc |= subprocess.run(cmd, env=env).returncode
    return rc


if __name__ == "__main__":
    sys.exit(main())
