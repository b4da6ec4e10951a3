#!/usr/bin/env python3
"""Generate tests/fixtures/mxnet_custom/: conv -> Custom(op_type=MyScale) -> relu,
and tests/fixtures/mxnet_relu6/: conv -> Custom(op_type=MyReLU6).

Run with the MXNet virtual environment (MXNet 1.9.1, numpy 1.23.x):
    .venv/mxnet/bin/python tests/gen/mxnet_custom.py

MyScale is a Python mx.operator.CustomOp computing y = x * scale + shift,
the op extensions/mxnet_custom_scale teaches mo.  The saved symbol keeps the
layer as op "Custom" with attrs op_type/scale/shift (MXNet stores them as
strings), which is exactly what the extension has to dispatch on.
MyReLU6 (min(max(x, 0), 6)) is the layer of the out-of-tree template
extensions/template, which tests/ext/install_template.sh builds against the
installed SDK and converts mxnet_relu6 with.

Output files:
    model-symbol.json, model-0000.params   saved by MXNet itself
    inputs.npz                             key 'data'
    reference.npz                          out0 = MXNet's forward result
"""
import os
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402

for _n, _v in (("bool", bool), ("int", int), ("float", float), ("object", object), ("str", str)):
    if not hasattr(np, _n):
        setattr(np, _n, _v)
import mxnet as mx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "mxnet_custom")
OUT_RELU6 = os.path.join(HERE, "..", "fixtures", "mxnet_relu6")
SHAPE = (1, 3, 6, 6)


class MyScale(mx.operator.CustomOp):
    def __init__(self, scale, shift):
        super().__init__()
        self.scale = scale
        self.shift = shift

    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], in_data[0] * self.scale + self.shift)

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        self.assign(in_grad[0], req[0], out_grad[0] * self.scale)


class ElementwiseProp(mx.operator.CustomOpProp):
    """One input "data", one output of its shape."""

    def __init__(self):
        super().__init__(need_top_grad=True)

    def list_arguments(self):
        return ["data"]

    def list_outputs(self):
        return ["output"]

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0]], []


@mx.operator.register("MyScale")
class MyScaleProp(ElementwiseProp):
    def __init__(self, scale="1.0", shift="0.0"):
        super().__init__()
        self.scale = float(scale)
        self.shift = float(shift)

    def create_operator(self, ctx, shapes, dtypes):
        return MyScale(self.scale, self.shift)


class MyReLU6(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], mx.nd.clip(in_data[0], 0.0, 6.0))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        x = in_data[0]
        self.assign(in_grad[0], req[0], out_grad[0] * ((x > 0) * (x < 6)))


@mx.operator.register("MyReLU6")
class MyReLU6Prop(ElementwiseProp):
    def create_operator(self, ctx, shapes, dtypes):
        return MyReLU6()


def save(out, sym, args, x, y):
    os.makedirs(out, exist_ok=True)
    sym.save(os.path.join(out, "model-symbol.json"))
    mx.nd.save(os.path.join(out, "model-0000.params"), {"arg:" + k: v for k, v in args.items()})
    np.savez(os.path.join(out, "inputs.npz"), data=x)
    np.savez(os.path.join(out, "reference.npz"), out0=y)
    print("%s: output" % os.path.basename(out), y.shape, "range", float(y.min()), float(y.max()))


def conv_model(out_dir, seed, num_filter, scale, head):
    """data -> 3x3 Convolution -> head(conv), weights and input uniform in
    +-scale (bias +-scale/2), run by MXNet and saved with its output."""
    rng = np.random.RandomState(seed)
    data = mx.sym.Variable("data", shape=SHAPE)
    conv = mx.sym.Convolution(data, num_filter=num_filter, kernel=(3, 3), pad=(1, 1), name="conv")
    out = head(conv)
    args = {
        "conv_weight": mx.nd.array(rng.uniform(-scale, scale, (num_filter, 3, 3, 3)).astype(np.float32)),
        "conv_bias": mx.nd.array(rng.uniform(-scale / 2, scale / 2, (num_filter,)).astype(np.float32)),
    }
    x = rng.uniform(-scale, scale, SHAPE).astype(np.float32)
    exe = out.bind(mx.cpu(), dict(args, data=mx.nd.array(x)))
    y = exe.forward(is_train=False)[0].asnumpy()
    save(out_dir, out, args, x, y)


def main():
    # a negative shift makes relu cut a visible part of the values
    conv_model(OUT, 20240605, 4, 1.0, lambda conv: mx.sym.Activation(
        mx.sym.Custom(conv, op_type="MyScale", scale="1.75", shift="-0.25", name="myscale"),
        act_type="relu", name="relu"))
    # weights large enough that both clamps cut a visible part of the values
    conv_model(OUT_RELU6, 20240606, 2, 2.0,
               lambda conv: mx.sym.Custom(conv, op_type="MyReLU6", name="relu6"))


if __name__ == "__main__":
    main()
