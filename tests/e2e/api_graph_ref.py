#!/usr/bin/env python3
"""Independent numpy reference for tests/e2e/api_graph.c.

Reads the raw f32 weights and input that api_graph wrote into DIR and
computes conv(3x3, pad 1) + bias -> relu -> maxpool 2x2/2 -> flatten ->
fully-connected in plain numpy (no OpenVINO, no mo code), then writes
DIR/inputs.npz and DIR/reference.npz for run_ir.py."""
import sys

import numpy as np

d = sys.argv[1]


def load(name, shape):
    return np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(shape).astype(np.float64)


x = load("input", (1, 3, 12, 12))
w = load("conv_w", (8, 3, 3, 3))
b = load("conv_b", (1, 8, 1, 1))
fw = load("fc_w", (10, 8 * 6 * 6))
fb = load("fc_b", (1, 10))

xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
conv = np.zeros((1, 8, 12, 12))
for oc in range(8):
    for i in range(12):
        for j in range(12):
            conv[0, oc, i, j] = np.sum(xp[0, :, i:i + 3, j:j + 3] * w[oc])
y = np.maximum(conv + b, 0)
pool = y.reshape(1, 8, 6, 2, 6, 2).max(axis=(3, 5))
out = pool.reshape(1, -1) @ fw.T + fb

np.savez(f"{d}/inputs.npz", data=x.astype(np.float32))
np.savez(f"{d}/reference.npz", prob=out.astype(np.float32))
