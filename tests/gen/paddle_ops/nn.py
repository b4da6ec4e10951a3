"""Convolution, pooling, normalization, interpolation and the other NN ops
(tr_pool.c, tr_conv.c, tr_norm.c, tr_resize.c, tr_matmul.c, tr_nn.c):
attribute variants, both formats.

A case given by a function is saved through a layer of fixed arity (W1..W3):
paddle.jit.save reads forward's signature."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _layers  # noqa: E402


def cases(paddle, np, Case):
    r = np.random.default_rng(11)
    F = paddle.nn.functional

    L, wrappers = _layers.case_maker(paddle, Case)

    def raw(p, op, inputs, attrs, outs=("Out",)):
        """Append legacy operator op to the current static program: Paddle
        3.3's Python API of several ops only traces into PIR."""
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper(op)
        res = {o: [h.create_variable_for_type_inference("float32")] for o in outs}
        h.append_op(type=op, inputs=inputs, outputs=res, attrs=attrs)
        return res[outs[0]][0]

    def pick(p, api, legacy):
        """api() in eager and PIR mode, legacy() when saving a ProgramDesc."""
        return api() if p.in_dynamic_mode() or p.framework.in_pir_mode() else legacy()

    def S(name, fn, inputs, **kw):
        return Case(name, fn, inputs, kind="static", **kw)

    def M(name, inputs, *fns, **kw):
        """Several variants of one op family on the same inputs, in one model
        (their outputs flattened): each is still compared, and the family's
        fixtures stay small."""
        def fn(p, *a):
            res = []
            for f in fns:
                r = f(p, *a)
                res.extend(r if isinstance(r, (list, tuple)) else [r])
            return tuple(res)
        return (S if kw.pop("static", False) else L)(name, fn, inputs, **kw)

    def f32(*shape, lo=-1.0, hi=1.0):
        return r.uniform(lo, hi, shape).astype("float32")

    out = []
    # --- pooling ------------------------------------------------------------
    x = f32(1, 2, 7, 10)
    xh = f32(1, 7, 10, 2)
    x3 = f32(1, 2, 5, 6, 7)
    x3h = f32(1, 5, 6, 7, 2)
    out += [
        M("nn_adaptive_pool2d", [x],
          lambda p, a: F.adaptive_avg_pool2d(a, [4, 3]),
          lambda p, a: F.adaptive_max_pool2d(a, [4, 3]),
          lambda p, a: F.adaptive_max_pool2d(a, [3, 4], return_mask=True),
          lambda p, a: F.adaptive_avg_pool2d(a, 1)),
        L("nn_adaptive_avg_pool2d_dyn", lambda p, a: F.adaptive_avg_pool2d(a, [3, 4]), [x],
          spec=[[-1, 2, -1, -1]]),
        M("nn_max_pool2d_mask", [x],
          lambda p, a: F.max_pool2d(a, 3, 2, 1, return_mask=True),
          lambda p, a: F.max_pool2d(a, [2, 3], [1, 2], [0, 1], return_mask=True)),
        # kernels larger than the padded input, one window by ceil_mode
        M("nn_pool2d_ceil_big_kernel", [x],
          lambda p, a: F.max_pool2d(a, [8, 4], 3, 0, ceil_mode=True),
          lambda p, a: F.avg_pool2d(a, [8, 4], 3, 0, ceil_mode=True)),
        M("nn_avg_pool2d_noexcl", [x],
          lambda p, a: F.avg_pool2d(a, 3, 2, 1, ceil_mode=True, exclusive=False),
          lambda p, a: F.avg_pool2d(a, 3, 2, [1, 0, 2, 1], ceil_mode=True, exclusive=False),
          lambda p, a: F.avg_pool2d(a, 3, 2, 1, exclusive=False),
          lambda p, a: F.avg_pool2d(a, 3, 1, [2, 0, 0, 2], exclusive=False),
          lambda p, a: F.avg_pool2d(a, 3, 2, [2, 1, 1, 0], ceil_mode=True, exclusive=False)),
        M("nn_pool2d_same_valid_pad4", [x],
          lambda p, a: F.avg_pool2d(a, 3, 2, "SAME"),
          lambda p, a: F.max_pool2d(a, [2, 4], 3, "SAME"),
          lambda p, a: F.max_pool2d(a, 3, 2, "VALID"),
          lambda p, a: F.max_pool2d(a, 3, 2, [1, 0, 2, 1])),
        M("nn_pool2d_nhwc", [xh],
          lambda p, a: F.avg_pool2d(a, 3, 2, 1, data_format="NHWC"),
          lambda p, a: F.max_pool2d(a, 3, 2, "SAME", data_format="NHWC"),
          lambda p, a: F.adaptive_avg_pool2d(a, 3, data_format="NHWC")),
        L("nn_max_pool2d_dyn", lambda p, a: F.max_pool2d(a, 3, 2, 1, ceil_mode=True), [x],
          spec=[[-1, 2, -1, -1]]),
        M("nn_pool3d", [x3],
          lambda p, a: F.avg_pool3d(a, 2, 2, 1),
          lambda p, a: F.avg_pool3d(a, 3, 2, 1, ceil_mode=True, exclusive=False),
          lambda p, a: F.max_pool3d(a, [2, 3, 2], [1, 2, 2], 0),
          lambda p, a: F.max_pool3d(a, 3, 2, 1, return_mask=True)),
        M("nn_adaptive_pool3d", [x3],
          lambda p, a: F.adaptive_avg_pool3d(a, [2, 4, 3]),
          lambda p, a: F.adaptive_max_pool3d(a, [3, 4, 5]),
          lambda p, a: F.adaptive_max_pool3d(a, [2, 4, 3], return_mask=True),
          lambda p, a: F.adaptive_max_pool3d(a, 1)),
        M("nn_pool3d_ndhwc", [x3h],
          lambda p, a: F.max_pool3d(a, 2, 2, "SAME", data_format="NDHWC"),
          lambda p, a: F.adaptive_avg_pool3d(a, [2, 4, 3], data_format="NDHWC")),
    ]

    # --- convolution --------------------------------------------------------
    xc = f32(1, 4, 5, 4)
    xch = f32(1, 5, 4, 4)
    xc3 = f32(1, 2, 3, 4, 3)
    N = paddle.nn

    def layer(name, make, inputs, **kw):
        return Case(name, layer=lambda p: make(), inputs=inputs, **kw)

    class Multi(paddle.nn.Layer):
        """Several layers on one input, their outputs in a tuple."""
        def __init__(self, makers):
            super().__init__()
            self.ms = paddle.nn.LayerList([m() for m in makers])

        def forward(self, a):
            return tuple(m(a) for m in self.ms)

    def multi(name, inputs, *makers, **kw):
        return Case(name, layer=lambda p: Multi(makers), inputs=inputs, **kw)

    out += [
        multi("nn_conv2d_nhwc", [xch],
              lambda: N.Conv2D(4, 3, 3, 2, "SAME", data_format="NHWC"),
              lambda: N.Conv2D(4, 8, 3, 1, 1, groups=4, data_format="NHWC")),
        layer("nn_conv2d_valid_dil", lambda: N.Conv2D(4, 3, 3, 1, "VALID", dilation=2),
              [f32(1, 4, 7, 6)]),
        multi("nn_conv2d_groups_same_dil", [xc],
              lambda: N.Conv2D(4, 6, [3, 2], [2, 1], [1, 0, 2, 1], groups=2),
              lambda: N.Conv2D(4, 2, 3, 2, "SAME", dilation=2)),
        # Paddle's SAME for a transposed conv: the pads of a forward conv of
        # the input (9x7 at stride 2 gives 17x13, not 18x14)
        multi("nn_conv2d_transpose", [xc],
              lambda: N.Conv2DTranspose(4, 3, 3, 2, "SAME"),
              lambda: N.Conv2DTranspose(4, 2, [3, 2], [3, 2], "SAME"),
              lambda: N.Conv2DTranspose(4, 2, 3, 2, "VALID"),
              lambda: N.Conv2DTranspose(4, 6, 3, 2, [1, 2], groups=2, dilation=2),
              lambda: N.Conv2DTranspose(4, 4, 3, 2, 1, groups=4)),
        layer("nn_conv2d_transpose_nhwc_outpad",
              lambda: N.Conv2DTranspose(4, 3, 3, 2, 1, output_padding=1, data_format="NHWC"),
              [xch]),
        L("nn_conv2d_transpose_output_size",
          lambda p, a, w: F.conv2d_transpose(a, w, stride=2, padding=1, output_size=[10, 8]),
          [xc, f32(4, 2, 3, 3)]),
        # output_size from another tensor's shape: known at run time only.  PIR
        # only: Paddle's legacy program drops the computed size (output_size 0)
        L("nn_conv2d_transpose_output_size_runtime",
          lambda p, a, w, k: F.conv2d_transpose(a, w, stride=2, padding=1,
                                                output_size=p.shape(k)[2:]),
          [xc, f32(4, 2, 3, 3), f32(1, 1, 10, 8)],
          spec=[[1, 4, 5, 4], [4, 2, 3, 3], [1, 1, -1, -1]], formats=("pir",)),
        multi("nn_conv3d", [xc3],
              lambda: N.Conv3D(2, 3, 3, [1, 2, 1], 1),
              lambda: N.Conv3DTranspose(2, 3, 3, 2, 1, output_padding=1),
              lambda: N.Conv3DTranspose(2, 2, 2, 2, "SAME")),
        layer("nn_conv3d_ndhwc_same_groups",
              lambda: N.Conv3D(2, 4, 2, 2, "SAME", groups=2, data_format="NDHWC"),
              [f32(1, 3, 4, 3, 2)]),
    ]

    # --- normalization, matmul ---------------------------------------------
    xn = f32(2, 6, 3, 4)
    xnh = f32(2, 3, 4, 6)
    xv = f32(2, 3, 5)
    out += [
        layer("nn_group_norm", lambda: N.GroupNorm(3, 6), [xn]),
        layer("nn_group_norm_nhwc_noaffine",
              lambda: N.GroupNorm(2, 6, weight_attr=False, bias_attr=False, data_format="NHWC"),
              [xnh]),
        layer("nn_group_norm_3d", lambda: N.GroupNorm(2, 4, epsilon=1e-3), [f32(2, 4, 5)]),
        layer("nn_instance_norm", lambda: N.InstanceNorm2D(6), [xn]),
        layer("nn_instance_norm_noaffine",
              lambda: N.InstanceNorm2D(6, weight_attr=False, bias_attr=False), [xn]),
        layer("nn_instance_norm_1d", lambda: N.InstanceNorm1D(3, epsilon=1e-3), [xv]),
        layer("nn_layer_norm_2axes", lambda: N.LayerNorm([3, 4]), [xn]),
        L("nn_layer_norm_noaffine", lambda p, a: F.layer_norm(a, [6, 3, 4]), [xn]),
        M("nn_p_norm", [xv],
          lambda p, a: p.linalg.norm(a, p=2, axis=1),
          lambda p, a: p.linalg.norm(a, p=1, axis=-1, keepdim=True),
          lambda p, a: p.linalg.norm(a, p=float("inf"), axis=2),
          lambda p, a: p.linalg.norm(a, p=float("-inf"), axis=0),
          lambda p, a: p.linalg.norm(a, p=1.5, axis=1),
          lambda p, a: p.linalg.vector_norm(a, p=3)),
        L("nn_p_norm_0", lambda p, a: p.linalg.norm(a, p=0, axis=1),
          [np.where(xv > 0.2, xv, 0).astype("float32")]),
        # F.normalize: Paddle 3.3 cannot trace it into a ProgramDesc
        L("nn_normalize", lambda p, a: F.normalize(a, axis=1), [xv], formats=("pir",)),
        S("nn_bmm", lambda p, a, b: pick(p, lambda: p.bmm(a, b),
                                         lambda: raw(p, "bmm", {"X": a, "Y": b}, {})),
          [xv, f32(2, 5, 4)]),
    ]

    def mm(tx=False, ty=False):
        return lambda p, a, b: pick(
            p, lambda: p.matmul(a, b, transpose_x=tx, transpose_y=ty),
            lambda: raw(p, "matmul_v2", {"X": a, "Y": b}, {"trans_x": tx, "trans_y": ty}))

    out += [
        # broadcast batch, vector x matrix, transposed matrix x vector,
        # transposed broadcast, vector x vector
        M("nn_matmul_variants",
          [f32(2, 1, 3, 4), f32(3, 4, 2), f32(4), f32(2, 4, 3), f32(3, 4), f32(2, 5, 4)],
          lambda p, a, b, v, m, t, u: mm()(p, a, b),
          lambda p, a, b, v, m, t, u: mm()(p, v, m),
          lambda p, a, b, v, m, t, u: mm(tx=True)(p, m, v),
          lambda p, a, b, v, m, t, u: mm(ty=True)(p, t, u),
          lambda p, a, b, v, m, t, u: mm()(p, v, v), static=True),
    ]

    # --- interpolation -------------------------------------------------------
    xi = f32(1, 2, 4, 5)
    xih = f32(1, 4, 5, 2)
    xl = f32(1, 2, 6)
    xt = f32(1, 2, 3, 4, 3)

    def itp(**kw):
        return lambda p, a: F.interpolate(a, **kw)

    i32 = lambda *v: np.array(v, dtype="int32")
    out += [
        L("nn_nearest_size", itp(size=[7, 8], mode="nearest"), [xi]),
        L("nn_nearest_scale_nhwc", itp(scale_factor=[1.5, 2.0], mode="nearest",
                                       data_format="NHWC"), [xih]),
        L("nn_nearest_outsize_tensor",
          lambda p, a, s: F.interpolate(a, size=s, mode="nearest"), [xi, i32(6, 3)]),
        L("nn_nearest_3d", itp(size=[5, 6, 2], mode="nearest"), [xt]),
        M("nn_bilinear_coords", [xi],
          itp(size=[7, 9], mode="bilinear", align_corners=True),
          itp(size=[7, 3], mode="bilinear", align_mode=0),
          itp(size=[7, 8], mode="bilinear", align_mode=1),
          itp(scale_factor=1.7, mode="bilinear"),
          # an output size of 1: Paddle's ratio 0 takes the first row
          itp(size=[1, 6], mode="bilinear", align_mode=0)),
        L("nn_bilinear_nhwc_scale_asym",
          itp(scale_factor=[2.0, 1.5], mode="bilinear", align_mode=1, data_format="NHWC"),
          [xih]),
        L("nn_bilinear_sizetensor",
          lambda p, a, h, w: F.interpolate(a, size=[h, w], mode="bilinear"),
          [xi, i32(6), i32(7)]),
        L("nn_bilinear_sizetensor_mixed",
          lambda p, a, h: F.interpolate(a, size=[h, 8], mode="bilinear", align_corners=True),
          [xi, i32(3)]),
        L("nn_bilinear_scale_tensor",
          lambda p, a, s: F.interpolate(a, scale_factor=s, mode="bilinear"),
          [xi, np.array([1.5, 2.0], "float32")]),
        M("nn_bicubic", [xi], itp(size=[7, 8], mode="bicubic"),
          itp(size=[6, 9], mode="bicubic", align_corners=True),
          itp(size=[1, 6], mode="bicubic")),
        L("nn_bicubic_scale_nhwc", itp(scale_factor=2.0, mode="bicubic", data_format="NHWC"),
          [xih]),
        L("nn_linear_align_nwc", itp(size=[4], mode="linear", align_corners=True,
                                     data_format="NWC"), [f32(1, 6, 2)]),
        M("nn_linear", [xl], itp(size=[9], mode="linear", data_format="NCW"),
          itp(size=[1], mode="linear", data_format="NCW"),
          itp(scale_factor=1.5, mode="linear", align_mode=1, data_format="NCW")),
        M("nn_trilinear", [xt], itp(size=[4, 6, 5], mode="trilinear"),
          itp(size=[1, 6, 1], mode="trilinear"),
          itp(scale_factor=[1.5, 1.0, 2.0], mode="trilinear", align_mode=1)),
        L("nn_trilinear_align_ndhwc", itp(size=[2, 5, 4], mode="trilinear",
                                          align_corners=True, data_format="NDHWC"),
          [f32(1, 3, 4, 3, 2)]),
    ]

    # --- pad3d, deformable conv, grid_sample, quantization -------------------
    xp = f32(1, 2, 3, 4, 3)
    out += [
        M("nn_pad3d_modes", [xp],
          lambda p, a: F.pad(a, [1, 2, 0, 1, 2, 1], mode="circular"),
          lambda p, a: F.pad(a, [1, 2, 0, 1, 2, 1], mode="reflect"),
          lambda p, a: F.pad(a, [1, 0, 0, 2, 1, 1], value=0.5)),
        L("nn_pad3d_circular_ndhwc",
          lambda p, a: F.pad(a, [1, 0, 2, 1, 1, 1], mode="circular", data_format="NDHWC"), [xp]),
        L("nn_pad3d_circular_4d",
          lambda p, a: F.pad(a, [1, 1, 2, 0], mode="circular"), [f32(1, 2, 3, 4)]),
        L("nn_pad3d_replicate_ndhwc",
          lambda p, a: F.pad(a, [1, 2, 0, 1, 2, 1], mode="replicate", data_format="NDHWC"), [xp]),
        L("nn_pad3d_tensor", lambda p, a, q: F.pad(a, q, mode="replicate"),
          [xp, np.array([1, 0, 2, 1, 0, 1], "int32")]),
    ]

    class Deform(paddle.nn.Layer):
        def __init__(self, mask, **kw):
            super().__init__()
            self.conv = paddle.vision.ops.DeformConv2D(**kw)
            self.mask = mask

        def forward(self, a, off, m=None):
            return self.conv(a, off, m)

    class Deform2(Deform):
        def forward(self, a, off):
            return self.conv(a, off)

    xd = f32(1, 4, 4, 4)
    out += [
        Case("nn_deformable_conv_v2",
             layer=lambda p: Deform(True, in_channels=4, out_channels=3, kernel_size=3,
                                    padding=1),
             inputs=[xd, f32(1, 18, 4, 4, lo=-2, hi=2), f32(1, 9, 4, 4, lo=0, hi=1)]),
        Case("nn_deformable_conv_v1_groups",
             layer=lambda p: Deform2(False, in_channels=4, out_channels=4, kernel_size=[3, 2],
                                     stride=[1, 2], padding=[1, 0], deformable_groups=2,
                                     groups=2),
             inputs=[xd, f32(1, 24, 4, 2, lo=-2, hi=2)]),
        Case("nn_deformable_conv_v2_dil",
             layer=lambda p: Deform(True, in_channels=4, out_channels=2, kernel_size=2,
                                    stride=2, padding=1, dilation=2),
             inputs=[xd, f32(1, 8, 2, 2, lo=-2, hi=2), f32(1, 4, 2, 2, lo=0, hi=1)]),
    ]

    xg = f32(1, 2, 4, 5)
    grid = f32(1, 3, 4, 2, lo=-1.3, hi=1.3)

    def gs(mode="bilinear", padding_mode="zeros", align_corners=True):
        attrs = dict(mode=mode, padding_mode=padding_mode, align_corners=align_corners)
        return lambda p, a, g: pick(
            p, lambda: F.grid_sample(a, g, **attrs),
            lambda: raw(p, "grid_sampler", {"X": a, "Grid": g}, attrs, outs=("Output",)))

    out += [
        M("nn_grid_sample", [xg, grid], gs(), gs(mode="nearest", padding_mode="border"),
          gs(padding_mode="reflection", align_corners=False),
          gs(padding_mode="border", align_corners=False),
          gs(mode="nearest", padding_mode="reflection"), static=True),
    ]

    Q = paddle.nn.quant.format

    class QD(paddle.nn.Layer):
        def __init__(self, scales, axis, bits=8, dequant=True):
            super().__init__()
            zp = [0.0] * len(scales)
            self.q = Q.LinearQuanter(scales, zp, quant_axis=axis, bit_length=bits)
            self.d = (Q.LinearDequanter(scales, zp, quant_axis=axis, bit_length=bits)
                      if dequant else None)

        def forward(self, a):
            y = self.q(a)
            return (y, self.d(y)) if self.d else y

    xq = f32(2, 3, 4, lo=-2, hi=2)
    out += [
        Case("nn_quant_dequant_tensor", layer=lambda p: QD([1.5], -1), inputs=[xq]),
        Case("nn_quant_dequant_channel", layer=lambda p: QD([1.0, 2.5, 0.5], 1), inputs=[xq]),
        Case("nn_quantize_channel_axis0", layer=lambda p: QD([1.0, 0.7], 0, dequant=False),
             inputs=[xq]),
    ]

    def deq_int8(p, a, sc, zp):
        """int8 weights dequantized per channel (axis 0), scales fed."""
        attrs = dict(quant_axis=0, bit_length=8, qmin=-128, qmax=127)
        if p.framework.in_pir_mode():
            return p._C_ops.dequantize_linear(a, sc, zp, None, None, 0, 8, -128, 127, 0, True,
                                              False)[0]
        return raw(p, "dequantize_linear", {"X": a, "Scale": sc, "ZeroPoint": zp}, attrs,
                   outs=("Y",))

    # --- dynamic spatial dims: the paths without static pads ------------------
    dyn4 = [[-1, 4, -1, -1]]
    out += [
        layer("nn_conv2d_same_dyn", lambda: N.Conv2D(4, 2, 3, 2, "SAME", dilation=2), [xc],
              spec=dyn4),
        layer("nn_conv2d_transpose_dyn", lambda: N.Conv2DTranspose(4, 2, 3, 2, 1), [xc],
              spec=dyn4),
        multi("nn_conv2d_transpose_same_dyn", [xc],
              lambda: N.Conv2DTranspose(4, 3, 3, 2, "SAME"),
              lambda: N.Conv2DTranspose(4, 2, [3, 2], [3, 2], "SAME"),
              lambda: N.Conv2DTranspose(4, 2, 4, 2, "SAME", groups=2), spec=dyn4),
        L("nn_max_pool2d_same_dyn", lambda p, a: F.max_pool2d(a, 3, 2, "SAME"), [xc],
          spec=dyn4),
        L("nn_avg_pool2d_ceil_noexcl_dyn",
          lambda p, a: F.avg_pool2d(a, 3, 2, 1, ceil_mode=True, exclusive=False), [x],
          spec=[[-1, 2, -1, -1]]),
        L("nn_avg_pool2d_ceil_dyn", lambda p, a: F.avg_pool2d(a, 3, 2, 1, ceil_mode=True), [x],
          spec=[[-1, 2, -1, -1]]),
        L("nn_avg_pool2d_pad4_noexcl_dyn",
          lambda p, a: F.avg_pool2d(a, 3, 2, [1, 2, 0, 1], ceil_mode=True, exclusive=False),
          [x], spec=[[-1, 2, -1, -1]]),
        # an exclusive average whose end pads (with ceil_mode) reach a
        # whole window: the runtime refuses such pads, Paddle gives NaN
        # where a window holds padding only (the peer's avgPool_test2);
        # inputs of their own RNG, so the cases after keep theirs
        L("nn_avg_pool2d_pads_cover_window",
          lambda p, a: F.avg_pool2d(a, 3, 3, [2, 2, 1, 1], ceil_mode=True),
          [np.random.default_rng(91).uniform(-1, 1, [1, 2, 4, 4]).astype("float32")],
          allow_nan=True),
        L("nn_avg_pool3d_pads_cover_window",
          lambda p, a: F.avg_pool3d(a, 2, 2, 2, ceil_mode=False),
          [np.random.default_rng(92).uniform(-1, 1, [1, 2, 3, 4, 4]).astype("float32")],
          allow_nan=True),
        layer("nn_group_norm_dyn", lambda: N.GroupNorm(2, 4), [xc], spec=dyn4),
        L("nn_bilinear_scale_dyn", itp(scale_factor=1.5, mode="bilinear", align_mode=0),
          [xc], spec=dyn4),
    ]

    # --- attribute forms the Python API no longer emits -----------------------
    def pool_raw(pooling_type, ksize, global_pooling=False, with_index=False):
        def fn(p, a):
            if p.framework.in_pir_mode():
                if with_index:
                    return p._C_ops.max_pool2d_with_index(a, ksize, [1, 1], [0, 0],
                                                          global_pooling, False, False)
                return p._C_ops.pool2d(a, ksize, [1, 1], [0, 0], False, True, "NCHW",
                                       pooling_type, global_pooling, False, "EXPLICIT")
            attrs = dict(ksize=ksize, strides=[1, 1], paddings=[0, 0],
                         global_pooling=global_pooling, adaptive=False, ceil_mode=False)
            if with_index:
                from paddle.base.layer_helper import LayerHelper
                h = LayerHelper("max_pool2d_with_index")
                o = h.create_variable_for_type_inference("float32")
                m = h.create_variable_for_type_inference("int32")
                h.append_op(type="max_pool2d_with_index", inputs={"X": a},
                            outputs={"Out": o, "Mask": m}, attrs=attrs)
                return o, m
            attrs.update(pooling_type=pooling_type, exclusive=True, data_format="NCHW",
                         padding_algorithm="EXPLICIT")
            return raw(p, "pool2d", {"X": a}, attrs)
        return fn

    def nearest_raw(align):
        def fn(p, a):
            if p.framework.in_pir_mode():
                return p._C_ops.nearest_interp(a, None, None, None, "NCHW", -1, 7, 9, [],
                                               "nearest", align, 1)
            return raw(p, "nearest_interp_v2", {"X": a},
                       dict(data_layout="NCHW", out_d=-1, out_h=7, out_w=9, scale=[],
                            interp_method="nearest", align_corners=align, align_mode=1))
        return fn

    out += [
        S("nn_pool2d_global_avg_attr", pool_raw("avg", [2, 2], global_pooling=True), [x]),
        S("nn_pool2d_global_max_attr", pool_raw("max", [3, 3], global_pooling=True), [x]),
        S("nn_max_pool2d_with_index_global", pool_raw("max", [2, 2], True, True), [x]),
        S("nn_nearest_align_corners", nearest_raw(True), [xi]),
    ]

    # PIR's dequantize_linear takes float32 only (its dtype check), so legacy only
    out.append(S("nn_dequantize_int8_channel", deq_int8,
                 [r.integers(-128, 128, (3, 2, 4)).astype("int8"),
                  np.array([0.5, 1.0, 2.0], "float32"), np.zeros(3, "float32")],
                 formats=("legacy",)))

    # --- an NHWC chain: the layout Transposes the translators put around each
    # convolution and pool meet between them and cancel (transpose_sink.c);
    # the Reshape and the outputs keep theirs
    class NhwcChain(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.c1 = N.Conv2D(4, 8, 3, 1, 1, data_format="NHWC")
            self.c2 = N.Conv2D(8, 4, 1, data_format="NHWC")
            self.c3 = N.Conv2D(8, 4, 3, 1, 1, data_format="NHWC")
            self.c4 = N.Conv2D(8, 6, 1, data_format="NHWC")
            self.b = self.create_parameter([8])

        def forward(self, a):
            y = F.relu(self.c1(a)) + self.b
            z = F.sigmoid(paddle.concat([self.c2(y), self.c3(y)], axis=-1)) * 0.5
            p = F.max_pool2d(z, 2, 2, data_format="NHWC")
            q = self.c4(F.pad(p, [0, 0, 1, 1, 1, 1, 0, 0], value=0.25))
            m = paddle.mean(F.tanh(q), axis=[1, 2])
            return p, m, paddle.reshape(z, [1, -1])

    # its own RNG: appended cases must not move the inputs of the others
    chain_x = np.random.default_rng(93).uniform(-1, 1, [1, 6, 4, 4]).astype("float32")
    out += [layer("nn_nhwc_chain", lambda: NhwcChain(), [chain_x])]
    return out
