#!/usr/bin/env python3
"""tf_cfg.py - a TensorFlow graph for the transformations config tests (issue 15).

Writes under DIR (default tests/fixtures/tf_cfg):
    model.pb       a frozen TF1 GraphDef:
                     y1 = x @ w1 + b1
                     act_1/: y1 * sigmoid(y1)          (scope "act_1/", Sigmoid + mul)
                     y2 = act_1 @ w2 + b2
                     act_2/: y2 * sigmoid(y2)          (scope "act_2/")
                     pts/in = identity(act_2)          (the points entries start here)
                     pts/mul = pts/in * sigmoid(pts/in)
                     out = identity(pts/mul * 0.5 + y2)
    inputs.npz     x: float32 [2, 8]
    reference.npz  out0: TensorFlow's value of out
tests/e2e/tf_cfg.sh replaces the x * sigmoid(x) sub-graphs by Swish in
several ways and compares the OpenVINO Runtime's result with out0.
Run with the tf venv (tests/setup-venvs.sh tf): python tests/gen/tf_cfg.py [DIR]
"""
import os
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures",
                                                           "tf_cfg")
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(1515)
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [2, 8], name="x")
        w1 = tf.constant(rng.standard_normal((8, 6)).astype(np.float32), name="w1")
        b1 = tf.constant(rng.standard_normal((6,)).astype(np.float32), name="b1")
        w2 = tf.constant(rng.standard_normal((6, 6)).astype(np.float32), name="w2")
        b2 = tf.constant(rng.standard_normal((6,)).astype(np.float32), name="b2")
        y1 = tf.add(tf.matmul(x, w1), b1, name="y1")
        with tf.name_scope("act_1"):
            a1 = tf.multiply(y1, tf.sigmoid(y1), name="mul")
        y2 = tf.add(tf.matmul(a1, w2), b2, name="y2")
        with tf.name_scope("act_2"):
            a2 = tf.multiply(y2, tf.sigmoid(y2), name="mul")
        with tf.name_scope("pts"):
            p = tf.identity(a2, name="in")
            q = tf.multiply(p, tf.sigmoid(p), name="mul")
        out = tf.identity(q * 0.5 + y2, name="out")
        xv = rng.standard_normal((2, 8)).astype(np.float32) * 2
        with tf1.Session(graph=g) as s:
            ref = s.run(out, {x: xv})
    assert np.std(ref) > 0.1, "reference does not vary"
    with open(os.path.join(d, "model.pb"), "wb") as f:
        f.write(g.as_graph_def().SerializeToString())
    np.savez(os.path.join(d, "inputs.npz"), x=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)
    print("wrote", d, [n.name for n in g.as_graph_def().node])


if __name__ == "__main__":
    main()
