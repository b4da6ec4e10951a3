#!/usr/bin/env python3
"""The tf.keras.applications models as frozen graphs, for a check outside CI.

usage: tf_apps.py [--out DIR] [NAME ...]

Writes DIR/NAME/{model.pb, inputs.npz, reference.npz} (the layout of
tests/fixtures/tf_ops) for each model (default: MobileNetV2 ResNet50
InceptionV3 DenseNet121 EfficientNetB0 NASNetMobile) at its default input
size, weights=None (seeded), batch norm statistics random, so that
    TF_OPS_DIR=DIR make check TESTS=tests/e2e/tf_ops.sh
converts and checks them.  DIR defaults to tests/zoo/tf_apps (git-ignored;
about 300 MB for all six).
"""
import argparse
import os
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
MODELS = ["MobileNetV2", "ResNet50", "InceptionV3", "DenseNet121", "EfficientNetB0", "NASNetMobile"]


def make(name, out):
    seed = zlib.crc32(name.encode())
    tf.keras.utils.set_random_seed(seed % (2 ** 31))
    rng = np.random.default_rng(seed)
    m = getattr(tf.keras.applications, name)(weights=None)
    for layer in m.layers:
        if isinstance(layer, tf.keras.layers.BatchNormalization):
            # [gamma,] [beta,] mean, variance: random, variance positive
            ws = layer.get_weights()
            new = [rng.uniform(-0.2, 0.2, w.shape).astype(np.float32) for w in ws]
            new[-1] = rng.uniform(0.5, 1.5, ws[-1].shape).astype(np.float32)
            if len(ws) == 4:
                new[0] = rng.uniform(0.5, 1.5, ws[0].shape).astype(np.float32)
            layer.set_weights(new)
    shape = (1,) + tuple(m.input_shape[1:])
    conc = tf.function(lambda x: m(x, training=False)).get_concrete_function(
        tf.TensorSpec(shape, tf.float32, name="x"))
    frozen = convert_variables_to_constants_v2(conc)
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.pb"), "wb") as f:
        f.write(frozen.graph.as_graph_def().SerializeToString())
    x = rng.uniform(0, 1, shape).astype(np.float32)
    y = frozen(tf.constant(x))
    y = y[0] if isinstance(y, (list, tuple)) else y
    np.savez(os.path.join(d, "inputs.npz"), x=x)
    np.savez(os.path.join(d, "reference.npz"), out0=y.numpy())
    print(f"{name}: {os.path.getsize(os.path.join(d, 'model.pb'))} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "zoo", "tf_apps"))
    ap.add_argument("names", nargs="*", default=MODELS)
    a = ap.parse_args()
    for n in a.names:
        make(n, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
