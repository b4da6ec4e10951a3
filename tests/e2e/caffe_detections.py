#!/usr/bin/env python3
"""caffe_detections.py - an SSD DetectionOutput IR against OpenCV's result.

usage: caffe_detections.py MODEL.xml INPUTS.npz REFERENCE.npz

Caffe (and OpenCV) return the detections kept, [1, 1, K, 7] rows of
(image, label, score, x1, y1, x2, y2); the IR returns N * keep_top_k rows,
those past the last detection marked with image -1.  The real rows must
agree as sets: sorted by (image, label, -score, x1, y1), labels and images
exactly, scores and boxes within rtol 1e-4 of the largest magnitude.  A
reference without any detection proves nothing and fails.
"""
import sys

import numpy as np

import ovrun


def main():
    xml, ins, ref = sys.argv[1:4]
    ins, ref = np.load(ins), np.load(ref)
    compiled = ovrun.compile_ir(xml, who="caffe_detections")
    feed = {}
    for port in compiled.inputs:
        key = next((n for n in port.get_names() if n in ins.files), None)
        if key is None:
            print(f"no input data for {sorted(port.get_names())}")
            return 2
        feed[port] = ins[key]
    got = np.asarray(compiled(feed)[compiled.outputs[0]]).reshape(-1, 7)
    want = ref[ref.files[0]].reshape(-1, 7)
    got, want = got[got[:, 0] >= 0], want[want[:, 0] >= 0]
    if len(want) == 0:
        print("the reference has no detection; the case proves nothing")
        return 1
    if len(got) != len(want):
        print(f"IR: {len(got)} detections, OpenCV: {len(want)} MISMATCH")
        return 1
    order = lambda d: d[np.lexsort((d[:, 4], d[:, 3], -d[:, 2], d[:, 1], d[:, 0]))]
    got, want = order(got), order(want)
    if not np.array_equal(got[:, :2], want[:, :2]):
        print(f"images/labels differ: IR {got[:, :2].tolist()} OpenCV {want[:, :2].tolist()} MISMATCH")
        return 1
    err = float(np.max(np.abs(got[:, 2:] - want[:, 2:]))) / max(float(np.max(np.abs(want[:, 2:]))), 1e-30)
    print(f"{len(got)} detections, max rel err {err:.3e}" + (" MISMATCH" if err > 1e-4 else ""))
    return 1 if err > 1e-4 else 0


if __name__ == "__main__":
    sys.exit(main())
