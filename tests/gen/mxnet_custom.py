#!/usr/bin/env python3
"""Generate tests/fixtures/mxnet_custom/: conv -> Custom(op_type=MyScale) -> relu.

Run with the MXNet virtual environment (MXNet 1.9.1, numpy 1.23.x):
    .venv/mxnet/bin/python tests/gen/mxnet_custom.py

MyScale is a Python mx.operator.CustomOp computing y = x * scale + shift,
the op extensions/mxnet_custom_scale teaches mo.  The saved symbol keeps the
layer as op "Custom" with attrs op_type/scale/shift (MXNet stores them as
strings), which is exactly what the extension has to dispatch on.

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


@mx.operator.register("MyScale")
class MyScaleProp(mx.operator.CustomOpProp):
    def __init__(self, scale="1.0", shift="0.0"):
        super().__init__(need_top_grad=True)
        self.scale = float(scale)
        self.shift = float(shift)

    def list_arguments(self):
        return ["data"]

    def list_outputs(self):
        return ["output"]

    def infer_shape(self, in_shape):
        return in_shape, [in_shape[0]], []

    def create_operator(self, ctx, shapes, dtypes):
        return MyScale(self.scale, self.shift)


def main():
    rng = np.random.RandomState(20240605)
    data = mx.sym.Variable("data", shape=SHAPE)
    conv = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv")
    # a negative shift makes relu cut a visible part of the values
    scaled = mx.sym.Custom(conv, op_type="MyScale", scale="1.75", shift="-0.25", name="myscale")
    out = mx.sym.Activation(scaled, act_type="relu", name="relu")

    args = {
        "conv_weight": mx.nd.array(rng.uniform(-1, 1, (4, 3, 3, 3)).astype(np.float32)),
        "conv_bias": mx.nd.array(rng.uniform(-0.5, 0.5, (4,)).astype(np.float32)),
    }
    x = rng.uniform(-1, 1, SHAPE).astype(np.float32)
    exe = out.bind(mx.cpu(), dict(args, data=mx.nd.array(x)))
    y = exe.forward(is_train=False)[0].asnumpy()

    os.makedirs(OUT, exist_ok=True)
    out.save(os.path.join(OUT, "model-symbol.json"))
    mx.nd.save(os.path.join(OUT, "model-0000.params"), {"arg:" + k: v for k, v in args.items()})
    np.savez(os.path.join(OUT, "inputs.npz"), data=x)
    np.savez(os.path.join(OUT, "reference.npz"), out0=y)
    print("mxnet_custom: output", y.shape, "range", float(y.min()), float(y.max()))


if __name__ == "__main__":
    main()
