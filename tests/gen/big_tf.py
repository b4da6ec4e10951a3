#!/usr/bin/env python3
"""Write a frozen TensorFlow GraphDef with ~270 MB of weights, without TensorFlow.

    python3 tests/gen/big_tf.py --out DIR [--channels C] [--units N]

Only numpy is needed (the OpenVINO venv will do): the GraphDef is encoded
here by hand (the few fields of graph.proto, node_def.proto, attr_value.proto,
tensor.proto and tensor_shape.proto it uses), so no TensorFlow is needed in CI.
DIR receives
    model.pb        the frozen graph, every weight a Const's tensor_content
    inputs.npz      "x": float32 [1, 6, 6, C] (NHWC, as TensorFlow feeds it)
    reference.npz   out0: float32 [1, N], computed here in float64 numpy

The network is the shape of a Keras convolution stack, chosen so that every
big weight has to be *changed* on its way to the .bin, not just copied:

    x -> Conv2D 3x3 (HWIO filter, transposed to OIHW)
      -> FusedBatchNormV3 (folded into the filter: a per-channel scale)
      -> Relu
      -> Conv2D 3x3 + BiasAdd -> Relu6
      -> Mean over H, W
      -> MatMul [C, N] (+ BiasAdd)

With C = 1536 and N = 16384 the two filters are 85 MB each (read as OIHW,
one scaled by the batch norm) and the MatMul weight 100 MB (copied as it
is): a converter that materializes a transposed or scaled copy of
any of them goes far past 64 MiB of RSS.  Weights are seeded random values
scaled by 1/sqrt(fan in), so every output differs and none is all zero.
"""
import argparse
import os

import numpy as np

from pbwire import fbytes as field, ffloat, fint as vfield, varint

DT_FLOAT, DT_INT32 = 1, 3


def shape_proto(dims):
    return b"".join(field(2, vfield(1, d)) for d in dims)


def tensor_proto(arr):
    dtype = DT_INT32 if arr.dtype == np.int32 else DT_FLOAT
    return (vfield(1, dtype) + field(2, shape_proto(arr.shape)) +
            field(4, np.ascontiguousarray(arr).tobytes()))


def attr(key, value):
    """One map<string, AttrValue> entry; value is the AttrValue's bytes."""
    return field(5, field(1, key.encode()) + field(2, value))


def a_type(t):
    return vfield(6, t)


def a_str(s):
    return field(2, s.encode())


def a_f(x):
    return ffloat(4, x)


def a_b(v):
    return vfield(5, int(v))


def a_ints(xs):
    return field(1, field(3, b"".join(varint(x) for x in xs)))  # ListValue.i, packed


def node(name, op, inputs=(), attrs=b""):
    return field(1, field(1, name.encode()) + field(2, op.encode()) +
                 b"".join(field(3, i.encode()) for i in inputs) + attrs)


def const(name, arr):
    t = DT_INT32 if arr.dtype == np.int32 else DT_FLOAT
    return node(name, "Const", (), attr("dtype", a_type(t)) + attr("value", field(8, tensor_proto(arr))))


def conv_nhwc(x, w):
    """SAME 3x3 stride 1 convolution, NHWC x HWIO, in float64."""
    n, h, wd, c = x.shape
    p = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    cols = np.stack([p[:, i:i + h, j:j + wd, :] for i in range(3) for j in range(3)], axis=3)
    return cols.reshape(n * h * wd, 9 * c) @ w.reshape(9 * c, -1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--channels", type=int, default=1536)
    ap.add_argument("--units", type=int, default=16384)
    a = ap.parse_args()
    c, n_units, hw = a.channels, a.units, 6
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(11)

    def rand(shape, fan_in):
        return (rng.standard_normal(shape, dtype=np.float32) / np.float32(np.sqrt(fan_in)))

    x = rng.standard_normal((1, hw, hw, c), dtype=np.float32)
    w1 = rand((3, 3, c, c), 9 * c)
    gamma = rng.uniform(0.5, 1.5, c).astype(np.float32)
    beta = rng.uniform(-0.2, 0.2, c).astype(np.float32)
    mean = rng.uniform(-0.1, 0.1, c).astype(np.float32)
    var = rng.uniform(0.5, 2.0, c).astype(np.float32)
    w2 = rand((3, 3, c, c), 9 * c)
    b2 = rng.uniform(-0.1, 0.1, c).astype(np.float32)
    wm = rand((c, n_units), c)
    bm = rng.uniform(-0.1, 0.1, n_units).astype(np.float32)
    eps = 1e-3

    f = a_type(DT_FLOAT)
    conv_attrs = (attr("T", f) + attr("strides", a_ints([1, 1, 1, 1])) + attr("padding", a_str("SAME")) +
                  attr("data_format", a_str("NHWC")) + attr("dilations", a_ints([1, 1, 1, 1])))
    g = b"".join([
        node("x", "Placeholder", (), attr("dtype", f) + attr("shape", field(7, shape_proto(x.shape)))),
        const("w1", w1),
        node("conv1", "Conv2D", ("x", "w1"), conv_attrs),
        const("gamma", gamma), const("beta", beta), const("mean", mean), const("var", var),
        node("bn", "FusedBatchNormV3", ("conv1", "gamma", "beta", "mean", "var"),
             attr("T", f) + attr("U", f) + attr("epsilon", a_f(eps)) + attr("is_training", a_b(False)) +
             attr("data_format", a_str("NHWC"))),
        node("relu1", "Relu", ("bn",), attr("T", f)),
        const("w2", w2),
        node("conv2", "Conv2D", ("relu1", "w2"), conv_attrs),
        const("b2", b2),
        node("bias2", "BiasAdd", ("conv2", "b2"), attr("T", f) + attr("data_format", a_str("NHWC"))),
        node("relu2", "Relu6", ("bias2",), attr("T", f)),
        const("axes", np.array([1, 2], np.int32)),
        node("pool", "Mean", ("relu2", "axes"), attr("T", f) + attr("Tidx", a_type(DT_INT32)) +
             attr("keep_dims", a_b(False))),
        const("wm", wm),
        node("fc", "MatMul", ("pool", "wm"), attr("T", f) + attr("transpose_a", a_b(False)) +
             attr("transpose_b", a_b(False))),
        const("bm", bm),
        node("out", "BiasAdd", ("fc", "bm"), attr("T", f)),
    ]) + field(4, vfield(1, 1808))  # versions { producer }
    with open(os.path.join(a.out, "model.pb"), "wb") as fp:
        fp.write(g)

    x64 = x.astype(np.float64)
    y = conv_nhwc(x64, w1.astype(np.float64)).reshape(1, hw, hw, c)
    y = (y - mean) / np.sqrt(var.astype(np.float64) + eps) * gamma + beta
    y = np.maximum(y, 0)
    y = conv_nhwc(y, w2.astype(np.float64)).reshape(1, hw, hw, c) + b2
    y = np.clip(y, 0, 6).mean(axis=(1, 2))
    out = y @ wm.astype(np.float64) + bm
    np.savez(os.path.join(a.out, "inputs.npz"), x=x)
    np.savez(os.path.join(a.out, "reference.npz"), out0=out.astype(np.float32))
    mb = sum(t.nbytes for t in (w1, w2, wm)) / 1e6
    print(f"big_tf: {a.out}/model.pb, {os.path.getsize(os.path.join(a.out, 'model.pb')) / 1e6:.0f} MB "
          f"({mb:.0f} MB in the two filters and the MatMul weight); out0 std {out.std():.3g}")


if __name__ == "__main__":
    main()
