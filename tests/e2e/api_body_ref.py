#!/usr/bin/env python3
"""Independent numpy references for tests/e2e/api_body.c.

Reads the raw f32 weights api_body wrote into DIR, draws inputs, computes
each model's outputs by following the If-8 / Loop-5 / TensorIterator-1
semantics step by step in plain numpy (float64), and writes
DIR/CASE_in.npz and DIR/CASE_ref.npz for run_ir.py, one pair per case:
if_true, if_false, loop_early (the condition stops it after 4 iterations),
loop_trip (the trip count of 10 stops it), loop_once (the condition is
false after the first iteration), ti, ti_rev (backwards), big, big16 (the weights rounded to
f16, as --compress_to_fp16 stores them)."""
import sys

import numpy as np

d = sys.argv[1]
rng = np.random.default_rng(20240611)


def load(name, shape):
    return np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(shape).astype(np.float64)


def save(case, inputs, refs):
    np.savez(f"{d}/{case}_in.npz", **{k: v for k, v in inputs.items()})
    np.savez(f"{d}/{case}_ref.npz", **{k: np.asarray(v, dtype=np.float32) for k, v in refs.items()})


def f32(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


# If: then x + y, else x * scale
scale = load("if_scale", (2, 3))
x, y = f32(2, 3), f32(2, 3)
for flag in (True, False):
    out = x.astype(np.float64) + y if flag else x.astype(np.float64) * scale
    save(f"if_{str(flag).lower()}", {"cond": np.array(flag), "x": x, "y": y}, {"out": out})

# Loop: trip count 10, execution condition true; body: acc += x * iter,
# condition iter + 1 < limit; outputs: last acc, every acc along axis 0
x, a0 = f32(1, 3), f32(1, 3)
for case, limit in (("loop_early", 4), ("loop_trip", 20), ("loop_once", 0)):
    acc, hist, i = a0.astype(np.float64), [], 0
    while i < 10:
        acc = acc + x * float(i)
        hist.append(acc)
        go = i + 1 < limit
        i += 1
        if not go:
            break
    save(case, {"x": x, "a0": a0, "limit": np.array(limit, dtype=np.int64)},
         {"final": acc, "history": np.concatenate(hist, axis=0)})

# TensorIterator over axis 1: h = tanh(x_t W + h U + B)
W, U, B = load("ti_W", (3, 4)), load("ti_U", (4, 4)), load("ti_B", (4,))
seq, h0 = f32(2, 5, 3), f32(2, 4)
for case, steps in (("ti", range(5)), ("ti_rev", range(4, -1, -1))):
    h, hs = h0.astype(np.float64), np.zeros((2, 5, 4))
    for t in steps:
        h = np.tanh(seq[:, t, :].astype(np.float64) @ W + h @ U + B)
        hs[:, t, :] = h
    save(case, {"seq": seq, "h0": h0}, {"h_last": h, "h_all": hs})

# big: y = x W; acc = x; three times acc = tanh(acc W) + y
W = load("big_W", (600, 600))
x = f32(1, 600)
for case, w in (("big", W), ("big16", W.astype(np.float16).astype(np.float64))):
    yy = x.astype(np.float64) @ w
    acc = x.astype(np.float64)
    for _ in range(3):
        acc = np.tanh(acc @ w) + yy
    save(case, {"x": x}, {"out": acc})
