#!/usr/bin/env python3
"""Build the Paddle test models with real PaddlePaddle (tests/setup-venvs.sh paddle).

usage: paddle_models.py [--out DIR] [--zoo] [--only NAME,...]

For every model NAME it writes
    DIR/NAME/legacy/model.pdmodel + model.pdiparams   (ProgramDesc, FLAGS_enable_pir_api=0)
    DIR/NAME/pir/model.json + model.pdiparams         (Paddle 3's PIR program)
    DIR/NAME/inputs.npz     (key = the input name)
    DIR/NAME/reference.npz  (out0, out1...: Paddle's own outputs, eval mode)
Default DIR is tests/fixtures/paddle (small models, committed); --zoo builds
paddle.vision.models into tests/zoo/paddle (large, never committed).

The legacy format needs the PIR switch off before paddle is imported, so
each format is saved by a child process (--save FORMAT).
"""
import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def small_models(paddle):
    nn = paddle.nn
    F = paddle.nn.functional

    class Classify(nn.Layer):
        """The classification set: conv/bn/pool/fc/softmax."""
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.b1 = nn.BatchNorm2D(8)
            self.dw = nn.Conv2D(8, 8, 3, padding=1, groups=8, bias_attr=False)
            self.b2 = nn.BatchNorm2D(8)
            self.c2 = nn.Conv2D(8, 16, 1, groups=2)
            self.fc = nn.Linear(16, 10)

        def forward(self, x):
            y = F.relu(self.b1(self.c1(x)))
            y = F.max_pool2d(y, 3, stride=1, padding=1)
            y = F.relu6(self.b2(self.dw(y)))
            y = F.avg_pool2d(y, 2, 2)
            y = self.c2(y)
            y = F.adaptive_avg_pool2d(y, 1)
            y = paddle.flatten(y, 1)
            y = F.dropout(self.fc(y), 0.3, training=False)
            return F.softmax(y)

    class Activations(nn.Layer):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2D(4, 6, 3, padding=1)
            self.prelu = nn.PReLU(6, 0.1)
            self.prelu1 = nn.PReLU(1, 0.3)

        def forward(self, x):
            y = self.c(x)
            a = F.hardswish(y) + F.hardsigmoid(y) * y
            b = F.swish(y) - F.silu(y) * 0.5 + F.leaky_relu(y, 0.1)
            c = self.prelu(y) + self.prelu1(y)
            d = paddle.clip(y, -0.5, 0.7) + F.elu(y)
            return paddle.concat([a, b, c, d], axis=1)

    class Shapes(nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(12, 6)
            self.ln = nn.LayerNorm(6)

        def forward(self, x):                      # x: [N, 4, 3, 4]
            y = paddle.transpose(x, [0, 2, 3, 1])  # N 3 4 4
            y = paddle.reshape(y, [-1, 3, 16])
            a, b = paddle.split(y, 2, axis=2)      # N 3 8 each
            c = paddle.concat([b, a], axis=1)      # N 6 8
            s = c[:, 1:5, ::2]                     # N 4 4
            u = paddle.unsqueeze(s, [1])
            q = paddle.squeeze(u, [1])
            st = paddle.stack([q, q * 2.0], axis=1)  # N 2 4 4
            f = paddle.flatten(st, 2)               # N 2 16
            m = f * f
            r = paddle.reshape(x, [-1, 4, 12])
            h = self.ln(self.fc(r))                  # N 4 6
            z = paddle.scale(h, 0.5, 1.0) + h[:, :1, :] * 0.1
            z = z - h * 0.3 / (h * h + 1.0)
            return F.log_softmax(z, axis=-1), m

    class Resize(nn.Layer):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2D(3, 4, 3, padding=1)
            self.up = nn.Conv2DTranspose(4, 4, 4, stride=2, padding=1)

        def forward(self, x):
            y = self.c(x)
            a = F.interpolate(y, scale_factor=2, mode="nearest")
            b = F.interpolate(y, size=[16, 16], mode="bilinear", align_corners=False)
            c = F.interpolate(y, size=[16, 16], mode="bilinear", align_corners=True)
            d = self.up(y)
            e = F.pad(y, [1, 1, 2, 2], mode="reflect")
            e = F.interpolate(e, size=[16, 16], mode="nearest")
            return paddle.concat([a, b, c, d, e], axis=1)

    return {
        "classify": (Classify, [1, 3, 16, 16], [-1, 3, 16, 16]),
        "activations": (Activations, [2, 4, 6, 6], [-1, 4, 6, 6]),
        "shapes": (Shapes, [2, 4, 3, 4], [-1, 4, 3, 4]),
        "resize": (Resize, [1, 3, 8, 8], [1, 3, 8, 8]),
    }


def zoo_models(paddle):
    vm = paddle.vision.models
    img = [1, 3, 224, 224]
    spec = [-1, 3, 224, 224]
    z = {
        "alexnet": vm.alexnet, "vgg16": vm.vgg16, "vgg19": vm.vgg19,
        "squeezenet1_0": vm.squeezenet1_0, "squeezenet1_1": vm.squeezenet1_1,
        "resnet50": vm.resnet50, "resnet101": vm.resnet101, "resnet152": vm.resnet152,
        "googlenet": vm.googlenet, "mobilenet_v1": vm.mobilenet_v1,
        "mobilenet_v2": vm.mobilenet_v2, "mobilenet_v3_large": vm.mobilenet_v3_large,
        "shufflenet_v2_x1_0": vm.shufflenet_v2_x1_0, "densenet121": vm.densenet121,
    }
    out = {k: (v, img, spec) for k, v in z.items()}
    out["inception_v3"] = (vm.inception_v3, [1, 3, 299, 299], [-1, 3, 299, 299])
    return out


def randomize(paddle, model, seed):
    """Random BN statistics, so that normalization is really exercised."""
    rng = np.random.default_rng(seed)
    for name, buf in model.named_buffers():
        v = buf.numpy()
        if name.endswith("_mean"):
            buf.set_value(rng.normal(0, 0.1, v.shape).astype(v.dtype))
        elif name.endswith("_variance"):
            buf.set_value(rng.uniform(0.5, 1.5, v.shape).astype(v.dtype))


def save(fmt, out, zoo, only):
    import paddle
    paddle.disable_static()
    table = zoo_models(paddle) if zoo else small_models(paddle)
    for i, (name, (ctor, shape, spec)) in enumerate(sorted(table.items())):
        if only and name not in only:
            continue
        paddle.seed(100 + i)
        np.random.seed(100 + i)
        m = ctor()
        randomize(paddle, m, 100 + i)
        m.eval()
        d = os.path.join(out, name)
        os.makedirs(os.path.join(d, fmt), exist_ok=True)
        x = np.random.default_rng(7 + i).uniform(-1, 1, shape).astype("float32")
        if fmt == "legacy":
            np.savez(os.path.join(d, "inputs.npz"), x=x)
            res = m(paddle.to_tensor(x))
            res = res if isinstance(res, (list, tuple)) else [res]
            np.savez(os.path.join(d, "reference.npz"),
                     **{f"out{k}": r.numpy() for k, r in enumerate(res)})
        paddle.jit.save(m, os.path.join(d, fmt, "model"),
                        input_spec=[paddle.static.InputSpec(spec, "float32", "x")])
        for extra in ("model.pdiparams.info",):
            p = os.path.join(d, fmt, extra)
            if os.path.exists(p):
                os.remove(p)
        print(f"{fmt}: {name}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--zoo", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--save", choices=["legacy", "pir"])
    a = ap.parse_args()
    out = a.out or os.path.join(TOP, "tests", "zoo" if a.zoo else "fixtures", "paddle")
    only = set(filter(None, a.only.split(",")))
    if a.save:
        save(a.save, out, a.zoo, only)
        return 0
    for fmt, flag in (("legacy", "0"), ("pir", "1")):
        env = dict(os.environ, FLAGS_enable_pir_api=flag, GLOG_minloglevel="2")
        cmd = [sys.executable, os.path.abspath(__file__), "--save", fmt, "--out", out]
        if a.zoo:
            cmd.append("--zoo")
        if a.only:
            cmd += ["--only", a.only]
        subprocess.run(cmd, check=True, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
