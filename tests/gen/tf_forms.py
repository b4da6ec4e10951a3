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
    partitioned/graph.pb + model.ckpt.*  a GraphDef + checkpoint whose variables are
                                 partitioned (get_variable with fixed_size_partitioner:
                                 w in 3 parts on axis 0, slice starts 67 and 134,
                                 v in 2 parts on axis 1): the checkpoint holds slices
    partitioned_meta/            the same as Saver's meta graph + checkpoint
    sliced_2d/graph.pb + model.ckpt.*  a plain variable m whose checkpoint (SaveV2
                                 with slice specs) holds it as four 2-D slices
    sliced_whole_dim/            the same from two slices whose first extent is "-"
Each folder holds inputs.npz (x) and reference.npz (out0).
Run with the tf venv (tests/setup-venvs.sh tf): python tests/gen/tf_forms.py [DIR]
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
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures",
                                                               "tf_forms")
    build(os.path.join(out, "graph_ckpt"), "graph")
    build(os.path.join(out, "meta"), "meta")
    build(os.path.join(out, "saved_model_tf1"), "saved_model")
    keras_tf2(os.path.join(out, "saved_model_tf2"))
    two_inputs(os.path.join(out, "saved_model_two_inputs"))
    partitioned(os.path.join(out, "partitioned"), "graph")
    partitioned(os.path.join(out, "partitioned_meta"), "meta")
    sliced_2d(os.path.join(out, "sliced_2d"))
    sliced_2d(os.path.join(out, "sliced_whole_dim"), whole_dim=True)


if __name__ == "__main__":
    main()
