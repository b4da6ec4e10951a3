#!/usr/bin/env python3
"""Whole models for the TensorFlow peer suite (tests/tf/peer_suite.py), in
every form mo and OpenVINO's TF reader take.  Not part of CI.

usage: peer_models.py OUTDIR

TF1 graphs (variables, a Saver) are written in five forms each:
    OUTDIR/NAME-frozen/model.pb          frozen GraphDef (variables made constants)
    OUTDIR/NAME-text/model.pbtxt         the frozen GraphDef in the text format
    OUTDIR/NAME-meta/model.ckpt.meta     Saver's meta graph + its V2 checkpoint
    OUTDIR/NAME-ckpt/graph.pb            inference GraphDef (variables kept) +
                     model.ckpt.*        the V2 checkpoint
    OUTDIR/NAME-sm1/saved_model.pb       TF1 SavedModel (SavedModelBuilder, serve)
Keras models (TF2) in two:
    OUTDIR/NAME-sm2/saved_model.pb       tf.saved_model.save
    OUTDIR/NAME-frozen/model.pb          the concrete function frozen
Each folder holds inputs.npz (by input name; also in0, in1...) and
reference.npz (out0, out1...: TensorFlow's outputs).  Needs the tf venv.
"""
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gen"))
from tf_ops import randomize_bn  # noqa: E402  (random batch-norm statistics)

tf1 = tf.compat.v1
TF1_FORMS = ("frozen", "text", "meta", "ckpt", "sm1")


def rng_of(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def var(rng, name, *shape, scale=0.5, partitioner=None):
    if partitioner:
        return tf1.get_variable(name, list(shape), partitioner=partitioner,
                                initializer=tf1.random_uniform_initializer(-scale, scale,
                                                                           seed=int(rng.integers(1 << 30))))
    return tf1.Variable(rng.uniform(-scale, scale, shape).astype(np.float32), name=name)


# ------------------------------------------------------------ TF1 graphs
# each: fn(rng) -> (inputs {name: array}, outputs [tensor]) inside a graph

def mlp(rng):
    x = tf1.placeholder(tf.float32, [None, 16], name="x")
    h = tf.nn.relu(tf.matmul(x, var(rng, "w1", 16, 32)) + var(rng, "b1", 32))
    y = tf.nn.softmax(tf.matmul(h, var(rng, "w2", 32, 10)) + var(rng, "b2", 10))
    return {"x": rng.uniform(-1, 1, (3, 16)).astype(np.float32)}, [tf.identity(y, name="y")]


def cnn(rng):
    x = tf1.placeholder(tf.float32, [1, 16, 16, 3], name="x")
    h = tf.nn.conv2d(x, var(rng, "k1", 3, 3, 3, 8), 1, "SAME")
    h = tf.nn.relu(tf.nn.bias_add(h, var(rng, "c1", 8)))
    h, _, _ = tf1.nn.fused_batch_norm(h, var(rng, "g", 8) + 1.0, var(rng, "be", 8),
                                      mean=var(rng, "mu", 8), variance=var(rng, "va", 8) + 1.0,
                                      is_training=False)
    h = tf.nn.max_pool2d(h, 2, 2, "VALID")
    h = tf.nn.depthwise_conv2d(h, var(rng, "dw", 3, 3, 8, 1), [1, 2, 2, 1], "SAME")
    h = tf.reshape(h, [1, -1])
    y = tf.matmul(h, var(rng, "fc", 4 * 4 * 8, 5, scale=0.1))
    return {"x": rng.uniform(0, 1, (1, 16, 16, 3)).astype(np.float32)}, [tf.identity(y, name="y")]


def partitioned(rng):
    x = tf1.placeholder(tf.float32, [2, 100], name="x")
    w = var(rng, "w", 100, 8, partitioner=tf1.fixed_size_partitioner(3))
    v = var(rng, "v", 8, 6, partitioner=tf1.fixed_size_partitioner(2, axis=1))
    y = tf.matmul(tf.tanh(tf.matmul(x, tf.convert_to_tensor(w))), tf.convert_to_tensor(v))
    return {"x": rng.uniform(-1, 1, (2, 100)).astype(np.float32)}, [tf.identity(y, name="y")]


def reverse(rng):
    x = tf1.placeholder(tf.float32, [2, 3, 4, 5], name="x")
    y = tf.reverse(x * var(rng, "s", 5), [1, 2]) + var(rng, "t", 4, 5)
    return {"x": rng.uniform(-1, 1, (2, 3, 4, 5)).astype(np.float32)}, [tf.identity(y, name="y")]


def cond_passthrough(rng):
    """tf.cond lowered to TF1 Switch/Merge, one branch its input unchanged."""
    x = tf1.placeholder(tf.float32, [2, 3], name="x")
    p = tf1.placeholder(tf.float32, [], name="p")
    h = x * var(rng, "w", 3)
    y = tf.cond(p > 0, lambda: h, lambda: tf.nn.relu(h) * 3.0)
    return {"x": rng.uniform(-1, 1, (2, 3)).astype(np.float32), "p": np.float32(1.0)}, \
        [tf.identity(y, name="y")]


def while_loop(rng):
    """tf1.while_loop lowered to TF1 frames (Enter/Merge/Switch/Exit)."""
    x = tf1.placeholder(tf.float32, [2, 4], name="x")
    w = var(rng, "w", 4, 4)
    _, y = tf1.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.tanh(tf.matmul(a, w))),
                          [tf.constant(0), x])
    return {"x": rng.uniform(-1, 1, (2, 4)).astype(np.float32)}, [tf.identity(y, name="y")]


TF1_MODELS = {"mlp": (mlp, True), "cnn": (cnn, True), "partitioned": (partitioned, True),
              "reverse": (reverse, True), "cond_passthrough": (cond_passthrough, False),
              "while_loop": (while_loop, False)}


def save_io(d, inputs, refs):
    feed = dict(inputs)
    feed.update({f"in{i}": a for i, a in enumerate(inputs.values())})
    np.savez(os.path.join(d, "inputs.npz"), **feed)
    np.savez(os.path.join(d, "reference.npz"), **{f"out{i}": r for i, r in enumerate(refs)})


def tf1_model(out, name, fn, cf_v2):
    """NAME in the five TF1 forms (cf_v2=False: tf.cond and while_loop as
    TF1 control flow, Switch/Merge and frames)."""
    if not cf_v2:
        tf1.disable_control_flow_v2()
    try:
        g = tf.Graph()
        with g.as_default():
            inputs, ys = fn(rng_of(name))
            outs = [y.op.name for y in ys]
            saver = tf1.train.Saver()
            with tf1.Session(graph=g) as s:
                s.run(tf1.global_variables_initializer())
                feed = {g.get_tensor_by_name(k + ":0"): v for k, v in inputs.items()}
                refs = s.run(ys, feed)
                gd = g.as_graph_def()
                frozen = tf1.graph_util.convert_variables_to_constants(s, gd, outs)
                for form in TF1_FORMS:
                    d = os.path.join(out, f"{name}-{form}")
                    shutil.rmtree(d, ignore_errors=True)
                    os.makedirs(d)
                    if form == "frozen":
                        tf.io.write_graph(frozen, d, "model.pb", as_text=False)
                    elif form == "text":
                        tf.io.write_graph(frozen, d, "model.pbtxt", as_text=True)
                    elif form == "meta":
                        saver.save(s, os.path.join(d, "model.ckpt"), write_meta_graph=True)
                    elif form == "ckpt":
                        saver.save(s, os.path.join(d, "model.ckpt"), write_meta_graph=False)
                        tf.io.write_graph(tf1.graph_util.extract_sub_graph(gd, outs), d, "graph.pb",
                                          as_text=False)
                    else:
                        os.rmdir(d)
                        b = tf1.saved_model.Builder(d)
                        sig = tf1.saved_model.predict_signature_def(
                            {k: g.get_tensor_by_name(k + ":0") for k in inputs},
                            {f"out{i}": y for i, y in enumerate(ys)})
                        b.add_meta_graph_and_variables(s, ["serve"],
                                                       signature_def_map={"serving_default": sig})
                        b.save()
                    if os.path.exists(os.path.join(d, "checkpoint")):
                        os.remove(os.path.join(d, "checkpoint"))
                    save_io(d, inputs, refs)
    finally:
        if not cf_v2:
            tf1.enable_control_flow_v2()
    print(f"{name}: {', '.join(TF1_FORMS)}", flush=True)


# ------------------------------------------------------------ Keras (TF2)

def k_cnn():
    inp = tf.keras.Input((24, 24, 3), name="x")
    h = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
    h = tf.keras.layers.BatchNormalization()(h)
    h = tf.keras.layers.AveragePooling2D(2)(h)
    h = tf.keras.layers.SeparableConv2D(12, 3, strides=2)(h)
    h = tf.keras.layers.GlobalAveragePooling2D()(h)
    return tf.keras.Model(inp, tf.keras.layers.Dense(4, activation="softmax")(h)), (2, 24, 24, 3)


def k_lstm():
    inp = tf.keras.Input((6, 5), name="x")
    h = tf.keras.layers.LSTM(8, return_sequences=True)(inp)
    h = tf.keras.layers.GRU(6)(h)
    return tf.keras.Model(inp, tf.keras.layers.Dense(3)(h)), (2, 6, 5)


def k_attention():
    inp = tf.keras.Input((5, 16), name="x")
    a = tf.keras.layers.MultiHeadAttention(2, 8)(inp, inp)
    h = tf.keras.layers.LayerNormalization()(inp + a)
    h = tf.keras.layers.Dense(32, activation="gelu")(h)
    return tf.keras.Model(inp, tf.keras.layers.Dense(16)(h) + h[..., :16]), (2, 5, 16)


def k_mobilenet():
    m = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None, classes=10)
    return m, (1, 96, 96, 3)


KERAS_MODELS = {"keras_cnn": k_cnn, "keras_lstm": k_lstm, "keras_attention": k_attention,
                "mobilenet_v2_035": k_mobilenet}


def keras_model(out, name, fn):
    rng = rng_of(name)
    tf.keras.utils.set_random_seed(zlib.crc32(name.encode()) % (1 << 31))
    m, shape = fn()
    randomize_bn(m)
    x = rng.uniform(0, 1, shape).astype(np.float32)
    ref = m(x, training=False).numpy()
    d = os.path.join(out, f"{name}-sm2")
    shutil.rmtree(d, ignore_errors=True)
    fn_ = tf.function(lambda t: m(t, training=False))
    conc = fn_.get_concrete_function(tf.TensorSpec((None,) + shape[1:], tf.float32, name="x"))
    tf.saved_model.save(m, d, signatures=conc)
    save_io(d, {"x": x, "serving_default_x": x}, [ref])
    d = os.path.join(out, f"{name}-frozen")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    frozen = convert_variables_to_constants_v2(conc)
    with open(os.path.join(d, "model.pb"), "wb") as f:
        f.write(frozen.graph.as_graph_def().SerializeToString())
    save_io(d, {"x": x}, [ref])
    print(f"{name}: sm2, frozen", flush=True)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (fn, cf_v2) in TF1_MODELS.items():
        tf1_model(out, name, fn, cf_v2)
    for name, fn in KERAS_MODELS.items():
        keras_model(out, name, fn)


if __name__ == "__main__":
    main()
