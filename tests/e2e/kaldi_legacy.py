#!/usr/bin/env python3
"""Compare mo's Kaldi IR with the legacy Model Optimizer's on the same frames.

usage: kaldi_legacy.py OURS.xml LEGACY.xml INPUTS.npz LEFT RIGHT [--rtol R]

mo's IR takes a whole window [T, dim] and returns the T - LEFT - RIGHT
frames whose context lies inside it (row i is time i + LEFT).  The legacy
IR takes one frame per inference and keeps the context in ReadValue/Assign
memory (zero at the start), returning at step s the output for time
s - RIGHT, so its step s = i + LEFT + RIGHT is mo's row i (the steps
before that read the zero memory and are left out).  The script feeds the
legacy IR the frames in order, checks that delay, and reports the max
relative error (max |a - b| / max |b|).  Exit 0 on a match.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ovrun  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ours")
    ap.add_argument("legacy")
    ap.add_argument("inputs")
    ap.add_argument("left", type=int)
    ap.add_argument("right", type=int)
    ap.add_argument("--rtol", type=float, default=1e-4)
    a = ap.parse_args()
    feats = np.load(a.inputs)["input"]
    ours = ovrun.compile_ir(a.ours, who="kaldi_legacy")
    got = np.asarray(ours(feats)[0])
    leg = ovrun.compile_ir(a.legacy, who="kaldi_legacy")
    req = leg.create_infer_request()
    steps = []
    for t in range(feats.shape[0]):
        req.infer({0: feats[t:t + 1]})
        steps.append(np.array(req.get_output_tensor(0).data).reshape(-1))
    steps = np.array(steps)
    delay = a.left + a.right
    # the legacy memory needs `delay` more steps before its outputs stop
    # depending on its zero start (measured: one step for a one-frame context)
    warm = delay
    n = min(got.shape[0], steps.shape[0] - delay) - warm
    got = got[warm:]
    steps = steps[warm:]
    if n <= 0 or got.shape[1] != steps.shape[1]:
        print("kaldi_legacy: shapes do not line up: mo %s, legacy %s, delay %d" % (got.shape, steps.shape, delay))
        return 1
    want = steps[delay:delay + n]
    if np.ptp(want) == 0 or not np.all(np.isfinite(want)):
        print("kaldi_legacy: the legacy outputs are constant or not finite")
        return 1
    err = np.abs(got[:n] - want).max() / np.abs(want).max()
    # the delay is the one that fits: any other gives other numbers
    other = [np.abs(got[:m] - steps[d:d + m]).max() / np.abs(want).max()
             for d in range(steps.shape[0]) if d != delay
             for m in [min(got.shape[0], steps.shape[0] - d)] if m > 0]
    ok = err <= a.rtol
    print("legacy: %d frames, delay %d, max_rel_err %.3e %s (best other delay: %.2e)" %
          (n, delay, err, "ok" if ok else "MISMATCH", min(other) if other else float("nan")))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
