#!/usr/bin/env python3
"""The TensorFlow model zoo of issue 15, in every form mo reads, for a check
outside CI (tests/zoo/run_tf_apps.sh) and the benchmark (bench/tf_vs_ovc.py).

usage: tf_apps.py [--out DIR] [--forms frozen,saved_model,ckpt,meta] [NAME ...]

Models (default: all): the six tf.keras.applications models MobileNetV2
ResNet50 InceptionV3 DenseNet121 EfficientNetB0 NASNetMobile at their default
input size, weights=None (seeded), batch-norm statistics random; and two
small models of our own: TransformerEncoder (a Keras encoder of two blocks,
multi-head attention, layer norms, GELU feed-forward, dynamic batch and
sequence) and WhileCond (a tf.Module whose tf.function runs a tf.while_loop
with a data-dependent trip count and a tf.cond on the data, both reading
variables).

For each model DIR/NAME holds
    model.pb              frozen GraphDef (convert_variables_to_constants_v2;
                          control flow lowered to TF1 frames)
    saved_model/          SavedModel: Keras 3's model.export() for the Keras
                          models, tf.saved_model.save() for WhileCond
    ckpt/graph.pb         a TF1 GraphDef whose weights are resource
                          variables (VarHandleOp + ReadVariableOp, the traced
                          function's graph with its captures bound to them)
    ckpt/model.ckpt.*     their V2 checkpoint by tf.compat.v1.train.Saver
    ckpt/model.ckpt.meta  the same graph as Saver's meta graph (form "meta")
    inputs.npz, reference.npz     x and TensorFlow's output (out0)
    inputs_b.npz, reference_b.npz another batch/sequence (TransformerEncoder)
The same input gives the same reference in every form (checked here: each
form is run in TensorFlow and must agree with the eager model to 1e-5).
DIR defaults to tests/zoo/tf_apps (git-ignored; 1.2 GB for everything).
Run with the tf venv: .venv/tf/bin/python tests/gen/tf_apps.py
"""
import argparse
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

tf1 = tf.compat.v1
tf.get_logger().setLevel("ERROR")
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
APPS = ["MobileNetV2", "ResNet50", "InceptionV3", "DenseNet121", "EfficientNetB0", "NASNetMobile"]
MODELS = APPS + ["TransformerEncoder", "WhileCond"]
FORMS = ["frozen", "saved_model", "ckpt", "meta"]


def randomize_bn(m, rng):
    for layer in m.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            # [gamma,] [beta,] mean, variance: random, variance positive
            ws = layer.get_weights()
            new = [rng.uniform(-0.2, 0.2, w.shape).astype(np.float32) for w in ws]
            new[-1] = rng.uniform(0.5, 1.5, ws[-1].shape).astype(np.float32)
            if len(ws) == 4:
                new[0] = rng.uniform(0.5, 1.5, ws[0].shape).astype(np.float32)
            layer.set_weights(new)


def transformer():
    d = 32
    inp = tf.keras.Input((None, d), name="x")
    x = inp
    for _ in range(2):
        a = tf.keras.layers.MultiHeadAttention(num_heads=4, key_dim=8)(x, x)
        x = tf.keras.layers.LayerNormalization()(x + a)
        f = tf.keras.layers.Dense(64, activation="gelu")(x)
        f = tf.keras.layers.Dense(d)(f)
        x = tf.keras.layers.LayerNormalization()(x + f)
    return tf.keras.Model(inp, x)


class WhileCond(tf.Module):
    """h <- tanh(h W + b) while the step count is below 2 + (sum(x) > 0) * 2,
    then h * a or h - a whether mean(h) > 0."""

    def __init__(self, rng):
        super().__init__()
        self.w = tf.Variable(rng.standard_normal((8, 8)).astype(np.float32) * 0.5, name="w")
        self.b = tf.Variable(rng.standard_normal((8,)).astype(np.float32) * 0.1, name="b")
        self.a = tf.Variable(rng.standard_normal((8,)).astype(np.float32), name="a")

    @tf.function(input_signature=[tf.TensorSpec([None, 8], tf.float32, name="x")])
    def __call__(self, x):
        n = 2 + 2 * tf.cast(tf.reduce_sum(x) > 0, tf.int32)
        _, h = tf.while_loop(lambda i, h: i < n, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, self.w) + self.b)),
                             [tf.constant(0), x])
        return tf.cond(tf.reduce_mean(h) > 0, lambda: h * self.a, lambda: h - self.a)


def model_of(name, rng):
    """(callable, variables, input TensorSpec shape, inputs, extra inputs, saver fn)"""
    if name in APPS:
        m = getattr(tf.keras.applications, name)(weights=None)
        randomize_bn(m, rng)
        shape = (1,) + tuple(m.input_shape[1:])
        return m, shape, [rng.uniform(0, 1, shape).astype(np.float32)]
    if name == "TransformerEncoder":
        m = transformer()
        return m, (None, None, 32), [rng.standard_normal((3, 7, 32)).astype(np.float32),
                                     rng.standard_normal((2, 11, 32)).astype(np.float32)]
    if name == "WhileCond":
        # the first input loops 4 times and takes the true branch, the second
        # loops twice (sum < 0) and takes whichever its values decide
        x1 = np.abs(rng.standard_normal((3, 8))).astype(np.float32)
        x2 = -np.abs(rng.standard_normal((2, 8))).astype(np.float32)
        return WhileCond(rng), (None, 8), [x1, x2]
    raise SystemExit(f"unknown model {name}")


def tf_variable(v):
    """The tf.Variable behind a Keras 3 variable (or v itself)."""
    return v.value if hasattr(v, "value") and isinstance(v.value, tf.Variable) else v


def clean(path):
    return path.replace(":0", "").replace(" ", "_")


def ckpt_form(conc, variables, xs, d):
    """A TF1 graph of the traced function with every captured variable a
    resource variable of its own (VarHandleOp named after the Keras path),
    saved by tf.compat.v1.train.Saver (GraphDef + checkpoint, and the meta
    graph)."""
    os.makedirs(d, exist_ok=True)
    gd = conc.graph.as_graph_def()
    by_handle = {id(tf_variable(v).handle): v for v in variables}
    spec = conc.structured_input_signature[0][0]
    values = [(ext, internal, by_handle.get(id(ext))) for ext, internal in conc.graph.captures]
    # a capture that is no variable is a constant the trace took in (a
    # Normalization layer's mean): a Const of the TF1 graph
    values = [(e, i, v, e.numpy() if v is None else tf_variable(v).numpy()) for e, i, v in values]
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, spec.shape, name="x")
        input_map = {conc.inputs[0].name: x}
        saved = []
        names = set()
        for ext, internal, v, value in values:
            if v is None:
                if ext.dtype == tf.resource:
                    raise SystemExit(f"capture {internal.name} is a resource but no variable of the model")
                input_map[internal.name] = tf.constant(value)
                continue
            name = clean(getattr(v, "path", None) or v.name)
            while name in names:
                name += "_"
            names.add(name)
            # initialised to zeros and loaded after: the meta graph holds an
            # initialiser, not the weights, as a trained model's does
            nv = tf1.Variable(tf1.zeros(value.shape, value.dtype), name=name, use_resource=True)
            saved.append(nv)
            input_map[internal.name] = nv.handle
        out = tf.graph_util.import_graph_def(gd, input_map=input_map,
                                             return_elements=[conc.outputs[0].name], name="model")[0]
        y = tf.identity(out, name="y")
        saver = tf1.train.Saver(saved)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            for nv, value in zip(saved, [val for _, _, v, val in values if v is not None]):
                nv.load(value, s)
            refs = [s.run(y, {x: xv}) for xv in xs]
            saver.save(s, os.path.join(d, "model.ckpt"), write_meta_graph=False)
        full = g.as_graph_def()
        sub = tf1.graph_util.extract_sub_graph(full, ["y"])
        # the meta graph: the model, its saver and its initialisers, without
        # the traced function's own placeholders the import left unread
        sd = saver.as_saver_def()
        keep = ["y", sd.restore_op_name.split(":")[0], sd.save_tensor_name.split(":")[0],
                tf1.global_variables_initializer().name]
        meta = tf1.graph_util.extract_sub_graph(g.as_graph_def(), keep)
        tf1.train.export_meta_graph(os.path.join(d, "model.ckpt.meta"), graph_def=meta, saver_def=sd,
                                    clear_devices=True)
    tf.io.write_graph(sub, d, "graph.pb", as_text=False)
    ck = os.path.join(d, "checkpoint")
    if os.path.exists(ck):
        os.remove(ck)
    return refs


def make(name, out, forms):
    seed = zlib.crc32(name.encode())
    tf.keras.utils.set_random_seed(seed % (2 ** 31))
    rng = np.random.default_rng(seed)
    m, shape, xs = model_of(name, rng)
    if isinstance(m, tf.Module) and not isinstance(m, tf.keras.Model):
        conc = m.__call__.get_concrete_function()
        variables = list(m.variables)
    else:
        conc = tf.function(lambda x: m(x, training=False)).get_concrete_function(
            tf.TensorSpec(shape, tf.float32, name="x"))
        variables = list(m.variables)
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    refs = [np.asarray(conc(tf.constant(x))) for x in xs]
    for r in refs:
        if np.ptp(r) == 0 or not np.all(np.isfinite(r)):
            raise SystemExit(f"{name}: a reference is constant or not finite")
    for k, (x, r) in enumerate(zip(xs, refs)):
        sfx = "" if k == 0 else "_" + "abcdefgh"[k]
        np.savez(os.path.join(d, f"inputs{sfx}.npz"), x=x)
        np.savez(os.path.join(d, f"reference{sfx}.npz"), out0=r)

    def agree(what, got):
        for r, g in zip(refs, got):
            g = np.asarray(g).reshape(r.shape)
            err = float(np.max(np.abs(g - r)) / max(np.max(np.abs(r)), 1e-30))
            if err > 1e-5:
                raise SystemExit(f"{name}: {what} differs from the traced function by {err:.1e}")

    if "frozen" in forms:
        frozen = convert_variables_to_constants_v2(conc)
        with open(os.path.join(d, "model.pb"), "wb") as f:
            f.write(frozen.graph.as_graph_def().SerializeToString())
        agree("frozen", [frozen(tf.constant(x))[0] if isinstance(frozen(tf.constant(x)), (list, tuple))
                         else frozen(tf.constant(x)) for x in xs])
    if "saved_model" in forms:
        sm = os.path.join(d, "saved_model")
        shutil.rmtree(sm, ignore_errors=True)
        if isinstance(m, tf.keras.Model):
            m.export(sm, format="tf_saved_model", verbose=False)
        else:
            tf.saved_model.save(m, sm)
        loaded = tf.saved_model.load(sm)
        fn = loaded.signatures["serving_default"]
        got = []
        for x in xs:
            res = fn(tf.constant(x))
            got.append(list(res.values())[0])
        agree("saved_model", got)
    if "ckpt" in forms or "meta" in forms:
        agree("ckpt", ckpt_form(conc, variables, xs, os.path.join(d, "ckpt")))
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)
    print(f"{name}: {size / 2**20:.1f} MiB in {d}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "zoo", "tf_apps"))
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("names", nargs="*", default=MODELS)
    a = ap.parse_args()
    forms = set(a.forms.split(","))
    for n in a.names:
        make(n, a.out, forms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
