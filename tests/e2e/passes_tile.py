#!/usr/bin/env python3
"""Repeat every array of an .npz N times along axis 0 (the batch).

usage: passes_tile.py IN.npz OUT.npz N

For the --batch / --input_shape overrides: a per-sample model given the
fixture's one-sample input repeated N times must give its one-sample
reference repeated N times.
"""
import sys

import numpy as np


def main():
    inp, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    src = np.load(inp)
    np.savez(out, **{k: np.concatenate([src[k]] * n, axis=0) for k in src.files})


if __name__ == "__main__":
    main()
