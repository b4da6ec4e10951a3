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

    def multiclass_nms3(bboxes, scores, score_threshold, nms_top_k, keep_top_k,
                        nms_threshold=0.45, normalized=True, nms_eta=1.0, background_label=0):
        """multiclass_nms3 has no public API: the C op (dygraph, PIR) or the
        legacy operator appended by hand (ProgramDesc)."""
        from paddle.framework import in_dynamic_or_pir_mode
        if in_dynamic_or_pir_mode():
            return paddle._C_ops.multiclass_nms3(
                bboxes, scores, None, score_threshold, nms_top_k, keep_top_k,
                nms_threshold, normalized, nms_eta, background_label)
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper("multiclass_nms3")
        out = h.create_variable_for_type_inference(bboxes.dtype)
        index = h.create_variable_for_type_inference("int32")
        num = h.create_variable_for_type_inference("int32")
        h.append_op(type="multiclass_nms3", inputs={"BBoxes": bboxes, "Scores": scores},
                    outputs={"Out": out, "Index": index, "NmsRoisNum": num},
                    attrs={"background_label": background_label,
                           "score_threshold": score_threshold, "nms_top_k": nms_top_k,
                           "nms_threshold": nms_threshold, "keep_top_k": keep_top_k,
                           "nms_eta": nms_eta, "normalized": normalized})
        return out, index, num

    def argmax(x, axis):
        """paddle.argmax is PIR-only in Paddle 3.3: append arg_max by hand in
        a ProgramDesc."""
        from paddle.framework import in_dynamic_or_pir_mode
        if in_dynamic_or_pir_mode():
            return paddle.argmax(x, axis=axis)
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper("arg_max")
        out = h.create_variable_for_type_inference("int64")
        h.append_op(type="arg_max", inputs={"X": x}, outputs={"Out": out},
                    attrs={"axis": axis, "keepdims": False, "flatten": False, "dtype": 3})
        return out

    class SSD(nn.Layer):
        """SSD-style: two feature maps, prior_box on each (both aspect-ratio
        orders), loc/conf heads, box_coder decode, softmax, multiclass_nms3."""
        classes = 4

        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.b1 = nn.BatchNorm2D(8)
            self.c2 = nn.Conv2D(8, 16, 3, stride=2, padding=1)
            self.c3 = nn.Conv2D(16, 16, 3, stride=2, padding=1)
            # priors per cell: 1 + |max| + 2 ratios flipped = 4
            self.loc = nn.LayerList([nn.Conv2D(16, 4 * 4, 1) for _ in range(2)])
            self.conf = nn.LayerList([nn.Conv2D(16, 4 * self.classes, 1)
                                      for _ in range(2)])

        def forward(self, x):
            f1 = F.relu(self.c2(F.relu(self.b1(self.c1(x)))))   # 6x6
            f2 = F.relu(self.c3(f1))                            # 3x3
            boxes, variances, locs, confs = [], [], [], []
            for i, (f, mn, mx) in enumerate(((f1, 6.0, 14.0), (f2, 14.0, 26.0))):
                b, v = paddle.vision.ops.prior_box(
                    f, x, min_sizes=[mn], max_sizes=[mx], aspect_ratios=[2.0],
                    variance=[0.1, 0.1, 0.2, 0.2], flip=True, clip=True,
                    steps=[0.0, 0.0] if i else [4.0, 4.0], offset=0.5,
                    min_max_aspect_ratios_order=bool(i))
                boxes.append(paddle.reshape(b, [-1, 4]))
                variances.append(paddle.reshape(v, [-1, 4]))
                lo = paddle.transpose(self.loc[i](f), [0, 2, 3, 1])
                locs.append(paddle.reshape(lo, [0, -1, 4]))
                co = paddle.transpose(self.conf[i](f), [0, 2, 3, 1])
                confs.append(paddle.reshape(co, [0, -1, self.classes]))
            prior = paddle.concat(boxes)
            pvar = paddle.concat(variances)
            loc = paddle.concat(locs, axis=1)
            conf = F.softmax(paddle.concat(confs, axis=1) * 3.0)
            dec = paddle.vision.ops.box_coder(prior, pvar, loc, code_type="decode_center_size",
                                              box_normalized=True)
            scores = paddle.transpose(conf, [0, 2, 1])
            # keep_top_k above what survives: the threshold and NMS decide
            out, index, num = multiclass_nms3(dec, scores, score_threshold=0.6, nms_top_k=64,
                                              keep_top_k=100, nms_threshold=0.45)
            return out, index, num

    class BoxCoder(nn.Layer):
        """box_coder's other modes: pixel (unnormalized) boxes with the
        variance as an attribute, decoding along axis 1, and encoding."""
        def __init__(self):
            super().__init__()
            self.c = nn.Conv2D(3, 2 * 4, 3, padding=1)

        def forward(self, x):                                   # [1, 3, 4, 4]
            f = self.c(x)
            prior, pvar = paddle.vision.ops.prior_box(
                f, x, min_sizes=[1.5], aspect_ratios=[2.0], flip=False, clip=False)
            prior = paddle.reshape(prior, [-1, 4])              # [32, 4]
            pvar = paddle.reshape(pvar, [-1, 4])
            loc = paddle.reshape(paddle.transpose(f, [0, 2, 3, 1]), [1, -1, 4]) * 0.5
            a = paddle.vision.ops.box_coder(prior * 100.0, [0.1, 0.1, 0.2, 0.2], loc,
                                            code_type="decode_center_size",
                                            box_normalized=False)
            t2 = paddle.reshape(loc, [16, 2, 4])
            b = paddle.vision.ops.box_coder(prior[:16], pvar[:16], t2,
                                            code_type="decode_center_size", axis=1)
            dec = paddle.vision.ops.box_coder(prior, pvar, loc, code_type="decode_center_size")
            c = paddle.vision.ops.box_coder(prior, pvar, dec[0, :6],
                                            code_type="encode_center_size")
            return a, b, c

    class Yolo(nn.Layer):
        """A YOLOv3-style head: yolo_box on two scales (boxes and scores)."""
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.c2 = nn.Conv2D(8, 8, 3, stride=2, padding=1)
            self.h1 = nn.Conv2D(8, 2 * (5 + 3), 1)
            self.h2 = nn.Conv2D(8, 2 * (5 + 3), 1)

        def forward(self, x):
            f1 = F.leaky_relu(self.c1(x), 0.1)            # 16x16
            f2 = F.leaky_relu(self.c2(f1), 0.1)           # 8x8
            size = paddle.to_tensor([[48, 64]], dtype="int32")
            b1, s1 = paddle.vision.ops.yolo_box(self.h1(f1), size, [10, 13, 16, 30], 3, 0.3, 2,
                                                clip_bbox=True)
            b2, s2 = paddle.vision.ops.yolo_box(self.h2(f2), size, [30, 61, 62, 45], 3, 0.2, 4,
                                                clip_bbox=False, scale_x_y=1.05)
            return paddle.concat([b1, b2], axis=1), paddle.concat([s1, s2], axis=1)

    class Segment(nn.Layer):
        """A small UNet/FCN: strided convs down, conv2d_transpose and
        bilinear interpolation (both align_corners variants) up, skip
        concat, per-pixel class scores and argmax."""
        def __init__(self):
            super().__init__()
            self.d1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.n1 = nn.BatchNorm2D(8)
            self.d2 = nn.Conv2D(8, 16, 3, stride=2, padding=1)
            self.up = nn.Conv2DTranspose(16, 8, 3, stride=2, padding=1, output_padding=1)
            self.fuse = nn.Conv2D(16, 8, 3, padding=1)
            self.head = nn.Conv2D(8, 5, 1)
            self.aux = nn.Conv2D(16, 5, 1)

        def forward(self, x):
            e1 = F.relu(self.n1(self.d1(x)))               # 12x12
            e2 = F.relu(self.d2(e1))                       # 6x6
            u = F.relu(self.up(e2))                        # 12x12
            y = F.relu(self.fuse(paddle.concat([u, e1], axis=1)))
            y = F.interpolate(self.head(y), scale_factor=2, mode="bilinear",
                              align_corners=False)
            a = F.interpolate(self.aux(e2), size=[24, 24], mode="bilinear",
                              align_corners=True)
            logits = y + 0.4 * a
            return logits, argmax(logits, 1)

    return {
        "ssd": (SSD, [2, 3, 24, 24], [2, 3, 24, 24]),
        "boxcoder": (BoxCoder, [1, 3, 4, 4], [1, 3, 4, 4]),
        "yolo": (Yolo, [1, 3, 32, 32], [1, 3, 32, 32]),
        "segment": (Segment, [1, 3, 24, 24], [-1, 3, 24, 24]),
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


def strip_callstacks(path):
    """Drop the op_callstack debug attribute (Python tracebacks of this
    script) from a ProgramDesc: it is most of a small model's bytes."""
    from paddle.base.proto import framework_pb2
    prog = framework_pb2.ProgramDesc()
    with open(path, "rb") as f:
        prog.ParseFromString(f.read())
    for block in prog.blocks:
        for op in block.ops:
            keep = [a for a in op.attrs if a.name != "op_callstack"]
            del op.attrs[:]
            op.attrs.extend(keep)
    with open(path, "wb") as f:
        f.write(prog.SerializeToString())


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
        if fmt == "legacy":
            strip_callstacks(os.path.join(d, fmt, "model.pdmodel"))
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
