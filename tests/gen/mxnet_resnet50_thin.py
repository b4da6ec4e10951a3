#!/usr/bin/env python3
"""mxnet_resnet50_thin.py - a small ResNet-50-topology fixture for the layer-count tests.

Gluon's ResNet-50 v1 (BottleneckV1 blocks, layers [3, 4, 6, 3]) with the
channel widths cut from [64, 256, 512, 1024, 2048] to [8, 12, 16, 32, 64]
and 10 classes, so every convolution, BatchNorm, residual Add and strided
1x1 convolution of the real topology is there in a < 400 KB fixture: 53
Convolution + BatchNorm pairs, 16 residual Adds.  The widths must grow at
every stage, as in the original: ResNetV1 adds a block's projection
shortcut only where its width changes, so [8, 8, ...] would drop stage 1's.

Run with the MXNet virtual environment (MXNet 1.9.1):
    .venv/mxnet/bin/python tests/gen/mxnet_resnet50_thin.py
Writes tests/fixtures/mxnet/resnet50_thin/: model-symbol.json and
model-0000.params from HybridBlock.export, inputs.npz (data, 1x3x32x32),
reference.npz (out0 from MXNet's own forward) and mo_args.
"""
import os
import shutil
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402

for _n, _v in (("bool", bool), ("int", int), ("float", float), ("object", object), ("str", str)):
    if not hasattr(np, _n):
        setattr(np, _n, _v)
import mxnet as mx  # noqa: E402
from mxnet.gluon.model_zoo.vision.resnet import BottleneckV1, ResNetV1  # noqa: E402

NAME = "resnet50_thin"
SHAPE = (1, 3, 32, 32)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "mxnet", NAME)


def main():
    seed = zlib.crc32(NAME.encode()) & 0x7FFFFFFF
    mx.random.seed(seed)
    rng = np.random.RandomState(seed)
    net = ResNetV1(BottleneckV1, [3, 4, 6, 3], [8, 12, 16, 32, 64], classes=10, prefix="resnetv10_")
    net.initialize(mx.init.Xavier(magnitude=2))
    net(mx.nd.zeros(SHAPE))  # ends deferred initialisation: shapes become known
    # Non-trivial BatchNorm: the folding has real scales and shifts to fold,
    # and a wrong fold cannot hide behind identity statistics.
    for pname, p in net.collect_params().items():
        if "running_var" in pname:
            p.set_data(mx.nd.array(rng.uniform(0.5, 2.0, p.shape)))
        elif "running_mean" in pname:
            p.set_data(mx.nd.array(rng.uniform(-0.3, 0.3, p.shape)))
        elif "gamma" in pname:
            p.set_data(mx.nd.array(rng.uniform(0.5, 1.5, p.shape)))
        elif "beta" in pname or "bias" in pname:
            p.set_data(mx.nd.array(rng.uniform(-0.2, 0.2, p.shape)))
    net.hybridize()
    xin = rng.uniform(-1, 1, SHAPE).astype(np.float32)
    out = net(mx.nd.array(xin)).asnumpy()
    if np.ptp(out) == 0 or not np.all(np.isfinite(out)):
        print("the output does not vary; pick other weights", file=sys.stderr)
        return 1
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    net.export(os.path.join(OUT, "model"))
    np.savez(os.path.join(OUT, "inputs.npz"), data=xin)
    np.savez(os.path.join(OUT, "reference.npz"), out0=out)
    with open(os.path.join(OUT, "mo_args"), "w") as f:
        f.write("--input_shape\n[%s]\n" % ",".join(map(str, SHAPE)))
    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{NAME}: output {out.shape}, range [{out.min():.3f}, {out.max():.3f}], {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
