#!/usr/bin/env python3
"""Build Paddle test models that have no weights, with real PaddlePaddle.

usage: paddle_noweights.py [--out DIR] [--only NAME,...]

A program with no persistable variable (a single activation, a reshape
chain, a preprocessing graph whose constants are attributes) is saved by
Paddle 3 without any .pdiparams file.  For every model NAME this writes
    DIR/NAME/legacy/model.pdmodel   (ProgramDesc, FLAGS_enable_pir_api=0)
    DIR/NAME/pir/model.json         (Paddle 3's PIR program)
    DIR/NAME/inputs.npz             (key = the input name: x, y...)
    DIR/NAME/reference.npz          (out0, out1...: Paddle's own outputs)
and checks that Paddle really wrote no parameter file.  Default DIR is
tests/fixtures/paddle_noweights.  As in paddle_models.py, each format is
saved by a child process (--save FORMAT), since the PIR switch must be set
before paddle is imported.

Only ops whose legacy export works in Paddle 3.3 are used (its old program
API fails for matmul, sum, mean, max, gelu and sigmoid).
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from paddle_models import strip_callstacks  # noqa: E402


def cases(paddle):
    """name -> (forward(*inputs), [(input name, shape used, shape declared)])."""
    F = paddle.nn.functional
    img = ("x", [2, 3, 6, 6], [-1, 3, 6, 6])

    def unary(op, fn):
        """fn in dygraph and PIR; in a ProgramDesc the legacy operator op
        (X -> Out) appended by hand, since Paddle 3.3's tensor functions
        (tanh, exp, abs, multiply...) accept PIR values only."""
        def f(x):
            from paddle.framework import in_dynamic_or_pir_mode
            if in_dynamic_or_pir_mode():
                return fn(x)
            from paddle.base.layer_helper import LayerHelper
            h = LayerHelper(op)
            out = h.create_variable_for_type_inference(x.dtype)
            h.append_op(type=op, inputs={"X": x}, outputs={"Out": out})
            return out
        return f
    tanh = unary("tanh", paddle.tanh)

    def preprocess(x):
        # what an image pipeline puts in front of a network: x/255, minus
        # the per-channel mean, over the per-channel std (constants held by
        # the program as attributes, not as parameters)
        mean = paddle.to_tensor(np.array([0.485, 0.456, 0.406], "float32").reshape(1, 3, 1, 1))
        std = paddle.to_tensor(np.array([0.229, 0.224, 0.225], "float32").reshape(1, 3, 1, 1))
        return (x * (1.0 / 255.0) - mean) / std

    def reshape_chain(x):                        # [N, 4, 3, 4]
        y = paddle.reshape(x, [-1, 12, 4])
        y = paddle.reshape(y, [-1, 3, 16])
        return paddle.reshape(y, [0, -1])

    def two_inputs(x, y):
        # several inputs, several outputs, in a small chain
        a = F.relu(x) + tanh(y)
        return paddle.transpose(a, [0, 2, 1]), x * y - 0.5

    def split3(x):
        a, b, c = paddle.split(x, [1, 2, 3], axis=3)
        return a, b, c

    return {
        "relu": (F.relu, [img]),
        "tanh": (tanh, [img]),
        "exp": (unary("exp", paddle.exp), [img]),
        "abs": (unary("abs", paddle.abs), [img]),
        "leaky_relu": (lambda x: F.leaky_relu(x, 0.15), [img]),
        "hardswish": (F.hardswish, [img]),
        "clip": (lambda x: paddle.clip(x, -0.4, 0.6), [img]),
        "scale": (lambda x: paddle.scale(x, 2.5, -0.3), [img]),
        "softmax": (lambda x: F.softmax(x, axis=1), [img]),
        "max_pool2d": (lambda x: F.max_pool2d(x, 3, stride=2, padding=1), [img]),
        "avg_pool2d": (lambda x: F.avg_pool2d(x, 2, 2), [img]),
        "flatten": (lambda x: paddle.flatten(x, 1), [img]),
        "transpose": (lambda x: paddle.transpose(x, [0, 2, 3, 1]), [img]),
        "slice": (lambda x: x[:, 1:3, ::2, 1:], [img]),
        "split": (split3, [img]),
        "reshape_chain": (reshape_chain, [("x", [2, 4, 3, 4], [-1, 4, 3, 4])]),
        "concat2": (lambda x, y: paddle.concat([x, y], axis=1),
                    [img, ("y", [2, 2, 6, 6], [-1, 2, 6, 6])]),
        "add2": (paddle.add, [img, ("y", [1, 3, 1, 6], [1, 3, 1, 6])]),
        "mul2": (lambda x, y: x * y, [img, ("y", [2, 3, 6, 6], [-1, 3, 6, 6])]),
        "preprocess": (preprocess, [("x", [1, 3, 8, 8], [-1, 3, 8, 8])]),
        "two_inputs": (two_inputs, [("x", [2, 5, 4], [-1, 5, 4]), ("y", [2, 5, 4], [-1, 5, 4])]),
    }


def save(fmt, out, only):
    import paddle
    paddle.disable_static()

    class Wrap(paddle.nn.Layer):
        def __init__(self, fn):
            super().__init__()
            self.fn = fn

        # dy2static wants named arguments, not *args; y is absent from
        # one-input programs (their InputSpec list has one entry)
        def forward(self, x, y=None):
            return self.fn(x) if y is None else self.fn(x, y)

    for i, (name, (fn, ins)) in enumerate(sorted(cases(paddle).items())):
        if only and name not in only:
            continue
        m = Wrap(fn)
        m.eval()
        d = os.path.join(out, name)
        os.makedirs(os.path.join(d, fmt), exist_ok=True)
        rng = np.random.default_rng(11 + i)
        lo = 0.0 if name == "preprocess" else -1.0
        hi = 255.0 if name == "preprocess" else 1.0
        xs = {n: rng.uniform(lo, hi, shape).astype("float32") for n, shape, _ in ins}
        if fmt == "legacy":
            np.savez(os.path.join(d, "inputs.npz"), **xs)
            res = m(*[paddle.to_tensor(xs[n]) for n, _, _ in ins])
            res = res if isinstance(res, (list, tuple)) else [res]
            np.savez(os.path.join(d, "reference.npz"),
                     **{f"out{k}": r.numpy() for k, r in enumerate(res)})
        spec = [paddle.static.InputSpec(s, "float32", n) for n, _, s in ins]
        paddle.jit.save(m, os.path.join(d, fmt, "model"), input_spec=spec)
        if fmt == "legacy":
            strip_callstacks(os.path.join(d, fmt, "model.pdmodel"))
        for extra in ("model.pdiparams", "model.pdiparams.info"):
            p = os.path.join(d, fmt, extra)
            if os.path.exists(p):
                sys.exit(f"{name} ({fmt}): Paddle wrote {extra}; the model is not weightless")
        print(f"{fmt}: {name}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--only", default="")
    ap.add_argument("--save", choices=["legacy", "pir"])
    a = ap.parse_args()
    out = a.out or os.path.join(TOP, "tests", "fixtures", "paddle_noweights")
    only = set(filter(None, a.only.split(",")))
    if a.save:
        save(a.save, out, only)
        return 0
    for fmt, flag in (("legacy", "0"), ("pir", "1")):
        env = dict(os.environ, FLAGS_enable_pir_api=flag, GLOG_minloglevel="2")
        cmd = [sys.executable, os.path.abspath(__file__), "--save", fmt, "--out", out,
               "--only", a.only]
        subprocess.run(cmd, check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
