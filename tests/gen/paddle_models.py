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


    # --- the model families of issue 14: random weights, Paddle's own layers

    class CRNN(nn.Layer):
        """A PP-OCR-style text recognizer: a conv backbone pooled to height 1,
        the width as the sequence, a 2-layer BiLSTM, a CTC head (linear +
        softmax over the alphabet and the blank)."""
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2D(3, 8, 3, padding=1)
            self.b1 = nn.BatchNorm2D(8)
            self.c2 = nn.Conv2D(8, 16, 3, padding=1)
            self.b2 = nn.BatchNorm2D(16)
            self.rnn = nn.LSTM(16 * 2, 12, num_layers=2, direction="bidirect")
            self.fc = nn.Linear(24, 11)

        def forward(self, x):                                   # N 3 32 W
            y = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2, 2)     # N 8 16 W/2
            y = F.max_pool2d(F.hardswish(self.b2(self.c2(y))), (4, 2), (4, 2))  # N 16 4 W/4
            y = F.avg_pool2d(y, (2, 1), (2, 1))                     # N 16 2 W/4
            y = paddle.reshape(y, [0, 32, -1])                     # N 32 T
            y = paddle.transpose(y, [0, 2, 1])                     # N T 32
            y, _ = self.rnn(y)
            return F.softmax(self.fc(y), axis=-1)

    class PicoDet(nn.Layer):
        """A PP-YOLOE / PicoDet-style detector: a small backbone and neck, a
        decoupled head (class scores, distance-to-box regression) on two
        strides, anchor-free box decoding, multiclass_nms3."""
        def __init__(self):
            super().__init__()
            self.s1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.s2 = nn.Conv2D(8, 16, 3, stride=2, padding=1)      # stride 4
            self.s3 = nn.Conv2D(16, 16, 3, stride=2, padding=1)     # stride 8
            self.lat = nn.Conv2D(16, 16, 1)
            self.cls = nn.LayerList([nn.Conv2D(16, 3, 3, padding=1) for _ in range(2)])
            self.reg = nn.LayerList([nn.Conv2D(16, 4, 3, padding=1) for _ in range(2)])

        def forward(self, x):                                   # 1 3 32 32
            f1 = F.silu(self.s2(F.silu(self.s1(x))))                # 8x8
            f2 = F.silu(self.s3(f1))                                # 4x4
            f1 = f1 + F.interpolate(self.lat(f2), scale_factor=2, mode="nearest")
            boxes, scores = [], []
            for k, (f, stride) in enumerate(((f1, 4), (f2, 8))):
                h, w = f.shape[2], f.shape[3]
                sc = F.sigmoid(self.cls[k](f)).flatten(2)           # 1 C HW
                d = F.relu(self.reg[k](f)) * stride                 # 1 4 H W distances
                ys, xs = paddle.meshgrid(paddle.arange(h, dtype="float32"),
                                         paddle.arange(w, dtype="float32"))
                cx = (xs + 0.5) * stride
                cy = (ys + 0.5) * stride
                x1 = cx - d[:, 0]
                y1 = cy - d[:, 1]
                x2 = cx + d[:, 2]
                y2 = cy + d[:, 3]
                boxes.append(paddle.stack([x1, y1, x2, y2], axis=-1).reshape([1, -1, 4]))
                scores.append(sc)
            bb = paddle.concat(boxes, axis=1)                       # 1 M 4
            ss = paddle.concat(scores, axis=2)                      # 1 C M
            out, index, num = multiclass_nms3(bb, ss, 0.55, 100, 20, nms_threshold=0.5,
                                              normalized=False, background_label=-1)
            return out, index, num

    class Encoder(nn.Layer):
        """A BERT/ERNIE-style encoder: token + position embeddings, a padding
        mask from the ids, two paddle.nn.TransformerEncoder layers, a pooled
        [CLS] head; dynamic batch and sequence length."""
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(50, 16, padding_idx=0)
            self.pos = nn.Embedding(32, 16)
            self.ln = nn.LayerNorm(16)
            layer = nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, activation="gelu")
            self.enc = nn.TransformerEncoder(layer, 2)
            self.pool = nn.Linear(16, 16)

        def forward(self, ids):                                 # N S int64
            s = paddle.shape(ids)[1]
            pos = paddle.arange(s, dtype="int64").unsqueeze(0)
            h = self.ln(self.tok(ids) + self.pos(pos))
            mask = (ids != 0).astype("float32")                 # N S
            mask = (1.0 - mask.unsqueeze([1, 2])) * -1e4        # N 1 1 S
            h = self.enc(h, mask)
            return h, paddle.tanh(self.pool(h[:, 0]))

    class LiteSeg(nn.Layer):
        """A PP-LiteSeg / BiSeNet-like segmentation net: a detail path and a
        context path with adaptive average pooling to sizes that do not
        divide the input (3x3, 1x1), bilinear_interp_v2 upsampling with both
        align_corners settings, channel concat, a per-pixel head."""
        def __init__(self):
            super().__init__()
            self.d1 = nn.Conv2D(3, 8, 3, stride=2, padding=1)
            self.d2 = nn.Conv2D(8, 8, 3, padding=1)
            self.c1 = nn.Conv2D(8, 16, 3, stride=2, padding=1)
            self.c2 = nn.Conv2D(16, 16, 3, stride=2, padding=1)
            self.pp = nn.LayerList([nn.Conv2D(16, 8, 1) for _ in range(2)])
            self.fuse = nn.Conv2D(8 + 16 + 8, 8, 3, padding=1)
            self.bn = nn.BatchNorm2D(8)
            self.head = nn.Conv2D(8, 4, 1)

        def forward(self, x):                                   # N 3 40 40
            d = F.relu(self.d2(F.relu(self.d1(x))))                 # 20x20
            c = F.relu(self.c2(F.relu(self.c1(d))))                 # 5x5
            size = paddle.shape(d)[2:]
            ctx = [F.interpolate(self.pp[k](F.adaptive_avg_pool2d(c, s)), size=size,
                                 mode="bilinear", align_corners=k == 0)
                   for k, s in enumerate((3, 1))]
            cu = F.interpolate(c, size=size, mode="bilinear", align_corners=False)
            y = F.relu(self.bn(self.fuse(paddle.concat([d, cu, ctx[0] + ctx[1]], axis=1))))
            y = self.head(y)
            return F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=False)

    return {
        "ssd": (SSD, [2, 3, 24, 24], [2, 3, 24, 24]),
        "boxcoder": (BoxCoder, [1, 3, 4, 4], [1, 3, 4, 4]),
        "yolo": (Yolo, [1, 3, 32, 32], [1, 3, 32, 32]),
        "segment": (Segment, [1, 3, 24, 24], [-1, 3, 24, 24]),
        "classify": (Classify, [1, 3, 16, 16], [-1, 3, 16, 16]),
        "activations": (Activations, [2, 4, 6, 6], [-1, 4, 6, 6]),
        "shapes": (Shapes, [2, 4, 3, 4], [-1, 4, 3, 4]),
        "resize": (Resize, [1, 3, 8, 8], [1, 3, 8, 8]),
        "crnn": (CRNN, [2, 3, 32, 40], [-1, 3, 32, 40]),
        "picodet": (PicoDet, [1, 3, 32, 32], [1, 3, 32, 32]),
        "encoder": (Encoder, "ids", [-1, -1]),
        "liteseg": (LiteSeg, [1, 3, 40, 40], [-1, 3, 40, 40]),
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


# Paddle 3.3's legacy dy2static (jit.save with FLAGS_enable_pir_api=0)
# cannot save nn.LSTM ("Unknown place type"), and paddle.matmul or
# F.sigmoid in a legacy static program fail ("must be Value, but got
# Variable") unless pd_legacy.patch() mends them.  These models are saved
# in the legacy format as static programs built from the same layer class; their weights come from det_weight() in both
# formats, so the two children agree without sharing a process.
STATIC_LEGACY = {"crnn", "encoder", "picodet"}


def det_weight(key, shape):
    """Deterministic values for state_dict entry key: batch-norm statistics
    as randomize() makes them, anything else uniform in +-1/sqrt(fan_in)."""
    import zlib
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    if key.endswith("_variance"):
        return rng.uniform(0.5, 1.5, shape).astype("float32")
    if key.endswith("_mean"):
        return rng.normal(0, 0.1, shape).astype("float32")
    fan = int(np.prod(shape[1:])) if len(shape) > 1 else int(shape[0]) if shape else 1
    a = 1.0 / np.sqrt(max(fan, 1))
    return rng.uniform(-a, a, shape).astype("float32")


def save_static(paddle, ctor, x, spec, dtype, iname, prefix):
    """Build ctor() in a static program with det_weight() weights and save
    it as an inference model at prefix; returns its outputs on x."""
    paddle.enable_static()
    try:
        main, startup = paddle.static.Program(), paddle.static.Program()
        with paddle.static.program_guard(main, startup):
            xv = paddle.static.data(iname, spec, dtype)
            sm = ctor()
            sm.eval()
            outs = sm(xv)
            outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
        exe = paddle.static.Executor(paddle.CPUPlace())
        exe.run(startup)
        scope = paddle.static.global_scope()
        for k, var in sm.state_dict().items():
            t = scope.find_var(var.name).get_tensor()
            t.set(det_weight(k, list(np.array(t).shape)), paddle.CPUPlace())
        got = exe.run(main, feed={iname: x}, fetch_list=outs)
        paddle.static.save_inference_model(prefix, [xv], outs, exe, program=main)
        return [np.asarray(g) for g in got]
    finally:
        paddle.disable_static()


def save(fmt, out, zoo, only):
    import paddle
    if fmt == "legacy":
        sys.path.insert(0, HERE)
        import pd_legacy
        pd_legacy.patch(paddle)
    paddle.disable_static()
    # without a device set, saving nn.LSTM's dropout state in the legacy
    # format fails ("Unknown place type: Place(undefined:0)")
    paddle.set_device("cpu")
    table = zoo_models(paddle) if zoo else small_models(paddle)
    for i, (name, (ctor, shape, spec)) in enumerate(sorted(table.items())):
        if only and name not in only:
            continue
        paddle.seed(100 + i)
        np.random.seed(100 + i)
        d = os.path.join(out, name)
        os.makedirs(os.path.join(d, fmt), exist_ok=True)
        if shape == "ids":
            # token ids, the second sequence padded with id 0 at its end
            x = np.random.default_rng(7 + i).integers(1, 50, [2, 7]).astype("int64")
            x[1, 5:] = 0
            iname, dtype = "ids", "int64"
        else:
            x = np.random.default_rng(7 + i).uniform(-1, 1, shape).astype("float32")
            iname, dtype = "x", "float32"
        prefix = os.path.join(d, fmt, "model")
        if name in STATIC_LEGACY and fmt == "legacy":
            res = save_static(paddle, ctor, x, spec, dtype, iname, prefix)
        else:
            m = ctor()
            if name in STATIC_LEGACY:
                for k, v in m.state_dict().items():
                    v.set_value(det_weight(k, list(v.shape)))
            else:
                randomize(paddle, m, 100 + i)
            m.eval()
            res = m(paddle.to_tensor(x))
            res = [r.numpy() for r in (res if isinstance(res, (list, tuple)) else [res])]
            paddle.jit.save(m, prefix, input_spec=[paddle.static.InputSpec(spec, dtype, iname)])
        if fmt == "legacy":
            np.savez(os.path.join(d, "inputs.npz"), **{iname: x})
            np.savez(os.path.join(d, "reference.npz"), **{f"out{k}": r for k, r in enumerate(res)})
        elif name in STATIC_LEGACY:
            # the two formats hold the same weights: they must agree
            ref = np.load(os.path.join(d, "reference.npz"))
            for k, r in enumerate(res):
                if not np.allclose(r, ref[f"out{k}"], rtol=1e-4, atol=1e-5):
                    sys.exit(f"{name}: the PIR model computes other values than the legacy one")
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
