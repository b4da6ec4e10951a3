#!/usr/bin/env python3
"""tf_forms.py - TensorFlow models in their non-frozen forms (issue 15).

Writes under DIR (default tests/fixtures/tf_forms):
    graph_ckpt/graph.pb          a TF1 inference GraphDef whose weights are
                                 VariableV2 nodes (pruned to the output "y")
    graph_ckpt/model.ckpt.*      the V2 checkpoint tf.compat.v1.train.Saver
                                 wrote for it (index + one data shard)
    graph_ckpt/inputs.npz        x: the input
    graph_ckpt/reference.npz     out0: TensorFlow's value of y
    meta/model.ckpt.meta + .index/.data-*  the same model as Saver writes it
                                 (meta graph with saver and initialisers)
    saved_model_tf1/             the same model by tf.compat.v1 SavedModelBuilder
                                 (tags "serve", signature serving_default)
    saved_model_two_inputs/      a TF1 SavedModel of inputs p, q keyed z_first, a_second
    saved_model_tf2/             a tiny Keras model by tf.saved_model.save (variables
                                 keyed by object path in the checkpoint)
    saved_model_keras3/          a small Keras 3 model by model.export(): each
                                 variable tracked twice, its VarHandleOps renamed
                                 ("dense/kernel_1"); only the SavedModel's
                                 SavedObjectGraph ties them to checkpoint keys
    saved_model_tf2_noobj/       saved_model_tf2 with the SavedObjectGraph taken out of
                                 saved_model.pb: variables found by name through the
                                 checkpoint's own object graph
    partitioned/graph.pb + model.ckpt.*  a GraphDef + checkpoint whose variables are
                                 partitioned (get_variable with fixed_size_partitioner:
                                 w in 3 parts on axis 0, slice starts 67 and 134,
                                 v in 2 parts on axis 1): the checkpoint holds slices
    partitioned_meta/            the same as Saver's meta graph + checkpoint
    sliced_2d/graph.pb + model.ckpt.*  a plain variable m whose checkpoint (SaveV2
                                 with slice specs) holds it as four 2-D slices
    sliced_whole_dim/            the same from two slices whose first extent is "-"
Each folder holds inputs.npz (x) and reference.npz (out0).
Run with the tf venv (tests/setup-venvs.sh tf): python tests/gen/tf_forms.py [DIR] [NAME...]
"""
import os
import shutil
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1


def build(d, form):
    if form == "saved_model":
        shutil.rmtree(d, ignore_errors=True)  # the Builder wants a new folder
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(15)
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [1, 4], name="x")
        w = tf1.Variable(rng.standard_normal((4, 3)).astype(np.float32), name="w")
        b = tf1.Variable(rng.standard_normal((3,)).astype(np.float32), name="b")
        c = tf1.Variable(np.arange(3, dtype=np.int32), name="step")
        y = tf.nn.relu(tf.matmul(x, w) + b) * tf.cast(c + 1, tf.float32)
        y = tf.identity(y, name="y")
        saver = tf1.train.Saver()
        xv = rng.standard_normal((1, 4)).astype(np.float32)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            ref = s.run(y, {x: xv})
            if form == "saved_model":
                bld = tf1.saved_model.Builder(d)
                sig = tf1.saved_model.predict_signature_def({"x": x}, {"y": y})
                bld.add_meta_graph_and_variables(s, ["serve"], signature_def_map={"serving_default": sig})
                bld.save()
            else:
                saver.save(s, os.path.join(d, "model.ckpt"), write_meta_graph=form == "meta")
        gd = tf1.graph_util.extract_sub_graph(g.as_graph_def(), ["y"])
    if form == "graph":
        tf.io.write_graph(gd, d, "graph.pb", as_text=False)
    for f in os.listdir(d):
        if f == "checkpoint":
            os.remove(os.path.join(d, f))
    np.savez(os.path.join(d, "inputs.npz"), x=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def two_inputs(d):
    """A TF1 SavedModel of two inputs whose signature keys sort the other
    way round from the graph's order: the IR's inputs follow the keys."""
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(17)
    g = tf.Graph()
    with g.as_default():
        p = tf1.placeholder(tf.float32, [2, 3], name="p")
        q = tf1.placeholder(tf.float32, [2, 3], name="q")
        w = tf1.Variable(rng.standard_normal((3,)).astype(np.float32), name="w")
        y = tf.identity(p * w - q, name="y")
        pv = rng.standard_normal((2, 3)).astype(np.float32)
        qv = rng.standard_normal((2, 3)).astype(np.float32)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            ref = s.run(y, {p: pv, q: qv})
            bld = tf1.saved_model.Builder(d)
            sig = tf1.saved_model.predict_signature_def({"z_first": p, "a_second": q}, {"y": y})
            bld.add_meta_graph_and_variables(s, ["serve"], signature_def_map={"serving_default": sig})
            bld.save()
    # also under the signature's keys, the names OpenVINO's reader gives the inputs
    np.savez(os.path.join(d, "inputs.npz"), p=pv, q=qv, z_first=pv, a_second=qv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def keras_tf2(d):
    rng = np.random.default_rng(16)
    tf.keras.utils.set_random_seed(16)
    m = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="relu"),
                             tf.keras.layers.Dense(2)])
    tf.saved_model.save(m, d)
    for sub in ("assets",):
        p = os.path.join(d, sub)
        if os.path.isdir(p) and not os.listdir(p):
            os.rmdir(p)
    fp = os.path.join(d, "fingerprint.pb")
    if os.path.exists(fp):
        os.remove(fp)
    xv = rng.standard_normal((2, 4)).astype(np.float32)
    ref = m(xv).numpy()
    np.savez(os.path.join(d, "inputs.npz"), serving_default_inputs=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def keras3_export(d):
    """Keras 3's model.export(): a conv, batch norm (random statistics) and
    dense model whose SavedModel tracks every variable twice."""
    rng = np.random.default_rng(18)
    tf.keras.utils.set_random_seed(18)
    inp = tf.keras.Input((6, 6, 3), name="x")
    y = tf.keras.layers.Conv2D(4, 3, padding="same")(inp)
    y = tf.keras.layers.BatchNormalization()(y)
    y = tf.keras.layers.Flatten()(tf.keras.layers.ReLU()(y))
    m = tf.keras.Model(inp, tf.keras.layers.Dense(5)(y))
    bn = m.layers[2]
    g, b, mu, var = bn.get_weights()
    bn.set_weights([rng.uniform(0.5, 1.5, g.shape), rng.uniform(-0.2, 0.2, b.shape),
                    rng.uniform(-0.2, 0.2, mu.shape), rng.uniform(0.5, 1.5, var.shape)])
    shutil.rmtree(d, ignore_errors=True)
    m.export(d, format="tf_saved_model", verbose=False)
    for f in ("fingerprint.pb",):
        if os.path.exists(os.path.join(d, f)):
            os.remove(os.path.join(d, f))
    p = os.path.join(d, "assets")
    if os.path.isdir(p) and not os.listdir(p):
        os.rmdir(p)
    xv = rng.standard_normal((2, 6, 6, 3)).astype(np.float32)
    ref = m(xv, training=False).numpy()
    np.savez(os.path.join(d, "inputs.npz"), x=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def without_object_graph(src, d):
    """A copy of the SavedModel src with no SavedObjectGraph in its meta
    graph."""
    from tensorflow.core.protobuf import saved_model_pb2
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(src, d)
    sm = saved_model_pb2.SavedModel()
    with open(os.path.join(d, "saved_model.pb"), "rb") as f:
        sm.ParseFromString(f.read())
    for mg in sm.meta_graphs:
        mg.ClearField("object_graph_def")
    with open(os.path.join(d, "saved_model.pb"), "wb") as f:
        f.write(sm.SerializeToString())


def partitioned(d, form):
    """Partitioned variables: the graph reads NAME/part_K and concatenates
    them; the checkpoint stores NAME's slices under binary keys."""
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(21)
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [2, 200], name="x")
        w = tf1.get_variable("w", [200, 6], initializer=tf1.random_normal_initializer(seed=21),
                             partitioner=tf1.fixed_size_partitioner(3))
        v = tf1.get_variable("v", [6, 12], initializer=tf1.random_normal_initializer(seed=22),
                             partitioner=tf1.fixed_size_partitioner(2, axis=1))
        y = tf.identity(tf.matmul(tf.matmul(x, tf.convert_to_tensor(w)), tf.convert_to_tensor(v)), name="y")
        saver = tf1.train.Saver()
        xv = rng.standard_normal((2, 200)).astype(np.float32)
        with tf1.Session(graph=g) as s:
            s.run(tf1.global_variables_initializer())
            ref = s.run(y, {x: xv})
            saver.save(s, os.path.join(d, "model.ckpt"), write_meta_graph=form == "meta")
        gd = tf1.graph_util.extract_sub_graph(g.as_graph_def(), ["y"])
    if form == "graph":
        tf.io.write_graph(gd, d, "graph.pb", as_text=False)
    if os.path.exists(os.path.join(d, "checkpoint")):
        os.remove(os.path.join(d, "checkpoint"))
    np.savez(os.path.join(d, "inputs.npz"), x=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def sliced_2d(d, whole_dim=False):
    """A checkpoint holding a plain variable as 2-D slices (SaveV2 with
    slice specs), restored whole by TensorFlow as by mo; whole_dim: two
    slices whose first extent is the whole dim ("-", length -1 in the key)."""
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(23 if whole_dim else 22)
    m = rng.standard_normal((4, 6)).astype(np.float32)
    specs = ["4 6 0,2:0,3", "4 6 0,2:3,3", "4 6 2,2:0,3", "4 6 2,2:3,3"]
    parts = [m[:2, :3], m[:2, 3:], m[2:, :3], m[2:, 3:]]
    if whole_dim:
        specs, parts = ["4 6 -:0,3", "4 6 -:3,3"], [m[:, :3], m[:, 3:]]
    prefix = os.path.join(d, "model.ckpt")
    tf.raw_ops.SaveV2(prefix=prefix, tensor_names=["m"] * len(specs), shape_and_slices=specs,
                      tensors=[tf.constant(p) for p in parts])
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf.float32, [3, 4], name="x")
        mv = tf1.Variable(np.zeros((4, 6), np.float32), name="m")
        y = tf.identity(tf.matmul(x, mv), name="y")
        saver = tf1.train.Saver([mv])
        xv = rng.standard_normal((3, 4)).astype(np.float32)
        with tf1.Session(graph=g) as s:
            saver.restore(s, prefix)
            assert np.array_equal(s.run(mv), m)
            ref = s.run(y, {x: xv})
        gd = tf1.graph_util.extract_sub_graph(g.as_graph_def(), ["y"])
    tf.io.write_graph(gd, d, "graph.pb", as_text=False)
    np.savez(os.path.join(d, "inputs.npz"), x=xv)
    np.savez(os.path.join(d, "reference.npz"), out0=ref)


def main():
    args = sys.argv[1:]
    out = args.pop(0) if args else os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_forms")
    makers = {
        "graph_ckpt": lambda d: build(d, "graph"),
        "meta": lambda d: build(d, "meta"),
        "saved_model_tf1": lambda d: build(d, "saved_model"),
        "saved_model_tf2": keras_tf2,
        "saved_model_two_inputs": two_inputs,
        "saved_model_keras3": keras3_export,
        "saved_model_tf2_noobj": lambda d: without_object_graph(os.path.join(out, "saved_model_tf2"), d),
        "partitioned": lambda d: partitioned(d, "graph"),
        "partitioned_meta": lambda d: partitioned(d, "meta"),
        "sliced_2d": sliced_2d,
        "sliced_whole_dim": lambda d: sliced_2d(d, whole_dim=True),
    }
    for name in args or makers:
        makers[name](os.path.join(out, name))


if __name__ == "__main__":
    main()
