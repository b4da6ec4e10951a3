"""Operators of older Paddle releases that Paddle 3.3 still runs but no
longer emits from its Python API (mul, matmul v1, lrn, lookup_table,
bilinear_interp / nearest_interp v1): appended to a legacy program by hand
(LayerHelper), as a model saved by Paddle 1.x / 2.x holds them.  Legacy
format only (PIR has no such ops).  Paddle 3.3 has no kernel at all for
one_hot (v1), sync_batch_norm, bicubic_interp, linear_interp and
trilinear_interp (v1): their translators (aliases of the v2 ones) have no
fixture."""


def cases(paddle, np, Case):
    r = np.random.default_rng(71)

    def legacy_op(op, slots, attrs, outs=("Out",), dtype=None):
        """fn(p, *inputs) appending op with inputs in slots[] order."""
        def fn(p, *xs):
            from paddle.base.layer_helper import LayerHelper
            h = LayerHelper(op)
            o = {k: h.create_variable_for_type_inference(dtype or xs[0].dtype) for k in outs}
            h.append_op(type=op, inputs={s: [x] for s, x in zip(slots, xs)},
                        outputs={k: [v] for k, v in o.items()}, attrs=attrs)
            return o[outs[0]]
        return fn

    f = lambda *s: r.uniform(-1, 1, s).astype("float32")  # noqa: E731
    ids = r.integers(0, 5, [4, 1]).astype("int64")
    ids[2, 0] = 1
    L = ("legacy",)
    return [
        Case("v1_mul", legacy_op("mul", ("X", "Y"), {"x_num_col_dims": 1, "y_num_col_dims": 1}),
             [f(2, 3), f(3, 4)], formats=L),
        Case("v1_mul_flatten", legacy_op("mul", ("X", "Y"), {"x_num_col_dims": 2, "y_num_col_dims": 1}),
             [f(2, 3, 2, 2), f(4, 5)], formats=L),
        Case("v1_matmul_alpha_ty", legacy_op("matmul", ("X", "Y"),
                                             {"transpose_X": False, "transpose_Y": True, "alpha": 2.0}),
             [f(2, 3), f(4, 3)], formats=L),
        Case("v1_matmul_batch_tx", legacy_op("matmul", ("X", "Y"),
                                             {"transpose_X": True, "transpose_Y": False, "alpha": 1.0}),
             [f(2, 3, 4), f(2, 3, 5)], formats=L),
        Case("v1_lrn", legacy_op("lrn", ("X",), {"n": 3, "k": 1.0, "alpha": 0.5, "beta": 0.75},
                                 outs=("Out", "MidOut")),
             [f(1, 4, 3, 3)], formats=L),
        Case("v1_lookup_table", legacy_op("lookup_table", ("W", "Ids"), {"padding_idx": -1},
                                          dtype="float32"),
             [f(5, 3), ids], formats=L),
        Case("v1_lookup_table_pad", legacy_op("lookup_table", ("W", "Ids"), {"padding_idx": 1},
                                              dtype="float32"),
             [f(5, 3), ids], formats=L),
        Case("v1_bilinear_interp", legacy_op("bilinear_interp", ("X",),
                                             {"out_h": 6, "out_w": 5, "align_corners": False,
                                              "align_mode": 0, "interp_method": "bilinear"}),
             [f(1, 2, 3, 3)], formats=L),
        Case("v1_bilinear_interp_corners", legacy_op("bilinear_interp", ("X",),
                                                     {"out_h": 6, "out_w": 5, "align_corners": True,
                                                      "align_mode": 1, "interp_method": "bilinear"}),
             [f(1, 2, 3, 3)], formats=L),
        Case("v1_nearest_interp", legacy_op("nearest_interp", ("X",),
                                            {"out_h": 6, "out_w": 6, "align_corners": False,
                                             "interp_method": "nearest"}),
             [f(1, 2, 3, 3)], formats=L),
    ]
