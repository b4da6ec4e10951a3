#!/usr/bin/env python3
"""TensorFlow control flow: tf.while_loop, tf.cond, TensorArray, Keras RNNs.

usage: tf_flow.py [--out DIR] [--only GLOB[,GLOB...]] [--list]

Each case is written twice (the layout of tests/gen/tf_ops.py):
    DIR/NAME_fn/   the graph frozen with its control flow kept functional
                   (While / StatelessWhile / If / StatelessIf with their
                   bodies in the library)
    DIR/NAME_v1/   the graph frozen as TensorFlow freezes by default: the
                   control flow lowered to TF1 frames (Enter / Merge /
                   Switch / NextIteration / LoopCond / Exit) and Switch/Merge
and the tf1_* cases once, built in a tf.compat.v1 graph with control flow
v1, and saved_rnn as a TF2 SavedModel (DIR/saved_rnn/saved_model.pb).  expect.txt lists the IR ops the converted model must hold (Loop, If),
so that a loop is not unrolled nor a conditional computed as a Select.
Default DIR is tests/fixtures/tf_flow.  Needs the `tf` venv.
"""
import argparse
import fnmatch
import os
import shutil
import sys
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework.convert_to_constants import (  # noqa: E402
    convert_variables_to_constants_v2)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
rng = np.random.default_rng(15)


def r(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


class Case:
    """fn(*tensors); inputs by Placeholder name; expect: IR ops required;
    tf1: fn builds a v1 graph itself (returns the output tensor names)."""

    def __init__(self, name, fn, inputs, expect, tf1=False, forms=("fn", "v1"), dyn_batch=False):
        self.name, self.fn, self.inputs, self.expect, self.tf1, self.forms = name, fn, inputs, expect, tf1, forms
        self.dyn_batch = dyn_batch   # traced with dim 0 unknown (a Keras model's batch)


def count_loop(x):
    _, y = tf.while_loop(lambda i, a: i < 5, lambda i, a: (i + 1, a * 1.5 + 1.0), (tf.constant(0), x))
    return y


def invariant_loop(x, y):
    _, a = tf.while_loop(lambda i, a: i < 4, lambda i, a: (i + 1, tf.tanh(a * 0.5 + y)), (tf.constant(0), x))
    return a


def data_loop(x, n):
    # the trip count comes from an input, the condition reads the value too
    _, a = tf.while_loop(lambda i, a: tf.logical_and(i < n[0], tf.reduce_sum(a) < 50.0),
                         lambda i, a: (i + 1, a + tf.abs(a) + 0.25), (tf.constant(0), x))
    return a


def nested_loop(x):
    def outer(i, a):
        _, b = tf.while_loop(lambda j, b: j < 3, lambda j, b: (j + 1, b * 0.9 + 0.1), (tf.constant(0), a))
        return i + 1, b + tf.cast(i, tf.float32)
    _, y = tf.while_loop(lambda i, a: i < 3, outer, (tf.constant(0), x))
    return y


def array_loop(x, shaped=True):
    ta = tf.TensorArray(tf.float32, size=4, element_shape=[2, 3] if shaped else None)

    def body(i, a, ta):
        a = a * 0.5 + 1.0
        return i + 1, a, ta.write(i, a)
    _, a, ta = tf.while_loop(lambda i, a, ta: i < 4, body, (tf.constant(0), x, ta))
    return ta.stack()


BOUND = None


def const_bound_loop(x):
    # the bound is a tensor made outside the function: TensorFlow passes it
    # to the While as a loop variable, constant (a Loop condition fed by a
    # constant input, which OpenVINO's CPU plugin cannot compile)
    _, a = tf.while_loop(lambda i, a: i < BOUND, lambda i, a: (i + 1, a * 0.75 + 0.5), (tf.constant(0), x))
    return a


def grow_loop(x):
    # a loop variable growing by a row per iteration (shape_invariants)
    _, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.concat([a, a[-1:] * 0.5 + 1.0], 0)),
                         (tf.constant(0), x), shape_invariants=(tf.TensorShape([]), tf.TensorShape([None, 3])))
    return a


def cond_fn(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.nn.relu(x) * 2.0, lambda: x - 1.0)


def while_cond(x):
    def body(i, a):
        a = tf.cond(tf.reduce_sum(a) > 0, lambda: a - 0.75, lambda: a * 1.5 + 0.5)
        return i + 1, a
    _, y = tf.while_loop(lambda i, a: i < 4, body, (tf.constant(0), x))
    return tf.cond(tf.reduce_mean(y) > 0, lambda: y * 2.0, lambda: -y)


def keras_rnn(kind):
    def make():
        tf.keras.utils.set_random_seed(7)
        layer = (tf.keras.layers.LSTM if kind == "lstm" else tf.keras.layers.GRU)(4, return_sequences=True)
        layer.build((None, 5, 3))
        return lambda x: layer(x)
    return make


def tf1_cond():
    x = tf.compat.v1.placeholder(tf.float32, [2, 3], name="x")
    p = tf.compat.v1.placeholder(tf.float32, [1], name="p")
    a = tf.compat.v1.cond(p[0] > 0, lambda: tf.identity(x), lambda: x * 3.0)
    b = tf.compat.v1.cond(p[0] < 0, lambda: tf.nn.relu(x) + 1.0, lambda: x)
    return [tf.identity(a, name="out_a").name, tf.identity(b, name="out_b").name]


def tf1_while():
    x = tf.compat.v1.placeholder(tf.float32, [2, 3], name="x")
    y = tf.compat.v1.placeholder(tf.float32, [2, 3], name="y")
    _, a = tf.compat.v1.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * 0.5 + y), (tf.constant(0), x))
    return [tf.identity(a, name="out").name]


def cases():
    c = []
    x = {"x": r(2, 3)}
    c.append(Case("while_count", count_loop, x, ["Loop"]))
    c.append(Case("while_invariant", invariant_loop, {"x": r(2, 3), "y": r(2, 3)}, ["Loop"]))
    c.append(Case("while_data", data_loop, {"x": r(2, 3), "n": np.array([3], np.int32)}, ["Loop"]))
    c.append(Case("while_nested", nested_loop, {"x": r(2, 3)}, ["Loop"]))
    c.append(Case("while_array", array_loop, {"x": r(2, 3)}, ["Loop"]))
    c.append(Case("cond_pos", cond_fn, {"x": np.abs(r(2, 3))}, ["If"]))
    c.append(Case("cond_neg", cond_fn, {"x": -np.abs(r(2, 3))}, ["If"]))
    c.append(Case("while_cond", while_cond, {"x": r(2, 3)}, ["Loop", "If"]))
    c.append(Case("keras_lstm", keras_rnn("lstm"), {"x": r(2, 5, 3)}, ["Loop"]))
    c.append(Case("keras_gru", keras_rnn("gru"), {"x": r(2, 5, 3)}, ["Loop"]))
    # the batch unknown when traced: the TensorArrays' element shape is [-1, 4]
    c.append(Case("keras_lstm_dynbatch", keras_rnn("lstm"), {"x": r(3, 5, 3)}, ["Loop"], forms=("fn",),
                  dyn_batch=True))
    c.append(Case("tf1_cond", tf1_cond, {"x": r(2, 3), "p": np.array([-1.0], np.float32)}, ["If"], tf1=True))
    c.append(Case("tf1_cond_true", tf1_cond, {"x": r(2, 3), "p": np.array([1.0], np.float32)}, ["If"],
                  tf1=True))
    c.append(Case("while_const_bound", const_bound_loop, {"x": r(2, 3)}, ["Loop"]))
    c.append(Case("while_array_noshape", lambda x: array_loop(x, False), {"x": r(2, 3)}, ["Loop"]))
    c.append(Case("while_grow", grow_loop, {"x": r(2, 3)}, ["Loop"]))
    c.append(Case("saved_rnn", None, {"x": r(2, 5, 3)}, ["Loop"]))
    c.append(Case("tf1_while", tf1_while, {"x": r(2, 3), "y": r(2, 3)}, ["Loop"], tf1=True))
    return c


def output_order(gd):
    used = set()
    for n in gd.node:
        for i in n.input:
            used.add(i.lstrip("^").split(":")[0])
    return [n.name for n in gd.node if n.name not in used and n.op not in ("Const", "Placeholder", "NoOp")]


def write(d, gd, inputs, outs, expect):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "model.pb"), "wb") as f:
        f.write(gd.SerializeToString())
    np.savez(os.path.join(d, "inputs.npz"), **inputs)
    np.savez(os.path.join(d, "reference.npz"), **{f"out{k}": np.asarray(v) for k, v in enumerate(outs)})
    with open(os.path.join(d, "expect.txt"), "w") as f:
        f.write(" ".join(expect) + "\n")


def make_tf1(case, out):
    from tensorflow.python.ops import control_flow_v2_toggles as t
    t.disable_control_flow_v2()
    try:
        g = tf.Graph()
        with g.as_default():
            names = case.fn()
            gd = tf.compat.v1.graph_util.extract_sub_graph(g.as_graph_def(), [n.split(":")[0] for n in names])
            with tf.compat.v1.Session(graph=g) as sess:
                res = sess.run(names, {k + ":0": v for k, v in case.inputs.items()})
    finally:
        t.enable_control_flow_v2()
    names = [n.split(":")[0] for n in names]
    order = output_order(gd)
    if sorted(order) != sorted(names):
        raise RuntimeError(f"{case.name}: outputs {names} are not the unread nodes {order}")
    write(os.path.join(out, case.name), gd, case.inputs, [res[names.index(n)] for n in order], case.expect)


def make_saved(case, out):
    """A Keras model with stacked LSTM and GRU layers saved as a TF2
    SavedModel: its While bodies read resource variables."""
    tf.keras.utils.set_random_seed(3)
    inp = tf.keras.Input((5, 3), batch_size=2)
    y = tf.keras.layers.LSTM(4, return_sequences=True)(inp)
    y = tf.keras.layers.GRU(3)(y)
    m = tf.keras.Model(inp, y)
    ref = m(case.inputs["x"]).numpy()

    @tf.function(input_signature=[tf.TensorSpec((2, 5, 3), tf.float32, name="x")])
    def serve(x):
        return {"out": m(x)}
    mod = tf.Module()
    mod.m, mod.serve = m, serve
    d = os.path.join(out, case.name)
    shutil.rmtree(d, ignore_errors=True)
    tf.saved_model.save(mod, d, signatures={"serving_default": serve})
    shutil.rmtree(os.path.join(d, "assets"), ignore_errors=True)
    for junk in ("fingerprint.pb",):
        if os.path.exists(os.path.join(d, junk)):
            os.remove(os.path.join(d, junk))
    np.savez(os.path.join(d, "inputs.npz"), **case.inputs)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)
    with open(os.path.join(d, "expect.txt"), "w") as f:
        f.write(" ".join(case.expect) + "\n")


def make(case, out):
    global rng, BOUND
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    BOUND = tf.constant(4)
    if case.tf1:
        return make_tf1(case, out)
    if case.name == "saved_rnn":
        return make_saved(case, out)
    fn = case.fn() if case.name.startswith("keras_") else case.fn
    specs = [tf.TensorSpec((None,) + v.shape[1:] if case.dyn_batch else v.shape, tf.as_dtype(v.dtype), name=k)
             for k, v in case.inputs.items()]
    conc = tf.function(fn).get_concrete_function(*specs)
    for form in case.forms:
        frozen = convert_variables_to_constants_v2(conc, lower_control_flow=form == "v1")
        gd = frozen.graph.as_graph_def()
        res = frozen(*[tf.constant(v) for v in case.inputs.values()])
        res = res if isinstance(res, (list, tuple)) else [res]
        names = [t.name.split(":")[0] for t in frozen.outputs]
        order = output_order(gd)
        if sorted(order) != sorted(names):
            raise RuntimeError(f"{case.name}: outputs {names} are not the unread nodes {order}")
        write(os.path.join(out, f"{case.name}_{form}"), gd, case.inputs, [res[names.index(n)] for n in order],
              case.expect)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "fixtures", "tf_flow"))
    ap.add_argument("--only", default="*")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    todo = [c for c in cases() if any(fnmatch.fnmatch(c.name, g) for g in a.only.split(","))]
    if a.list:
        print("\n".join(c.name for c in todo))
        return 0
    failed = 0
    for c in todo:
        try:
            make(c, a.out)
        except Exception as e:  # one broken case must not stop the others
            print(f"{c.name}: {type(e).__name__}: {e}", file=sys.stderr)
            failed += 1
    print(f"{len(todo) - failed} cases written to {a.out}, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
