#!/usr/bin/env python3
"""Make the raw input an IR with embedded preprocessing expects.

usage: passes_prep.py IN.npz OUT.npz [--mean a,b,c] [--scale a,b,c]
                      [--global-scale S] [--reverse] [--axis 1] [--to-nhwc]

The reference outputs of a fixture were computed on IN.npz's model input x.
An IR converted with --mean_values m --scale_values s --reverse_input_channels
computes model((reverse(raw) - m) / s), so the raw input that must give the
same outputs is raw = reverse(x * s + m) along the channel axis; with
--to-nhwc the raw input is also transposed as a target layout nhwc asks.
"""
import argparse

import numpy as np


def vec(text, x, axis):
    v = np.array([float(t) for t in text.split(",")], dtype=np.float64)
    shape = [1] * x.ndim
    shape[axis] = v.size
    return v.reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--mean")
    ap.add_argument("--scale")
    ap.add_argument("--global-scale", type=float)
    ap.add_argument("--reverse", action="store_true")
    ap.add_argument("--axis", type=int, default=1)
    ap.add_argument("--to-nhwc", action="store_true")
    ap.add_argument("--key", help="only this input (others copied)")
    a = ap.parse_args()
    src = np.load(a.inp)
    res = {}
    for i, k in enumerate(src.files):
        x = src[k].astype(np.float64)
        if a.key is None and i > 0 or a.key is not None and k != a.key:
            res[k] = src[k]
            continue
        if a.scale:
            x = x * vec(a.scale, x, a.axis)
        if a.global_scale:
            x = x * a.global_scale
        if a.mean:
            x = x + vec(a.mean, x, a.axis)
        if a.reverse:
            x = np.flip(x, axis=a.axis)
        if a.to_nhwc:
            x = np.transpose(x, (0, 2, 3, 1))
        res[k] = x.astype(np.float32)
    np.savez(a.out, **res)


if __name__ == "__main__":
    main()
