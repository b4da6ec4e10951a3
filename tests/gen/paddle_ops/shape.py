"""Tensor creation and shape ops (tr_create.c, tr_shape.c, tr_misc.c):
shapes, values and axes given as attributes or as tensors, both formats.

A case given by a function is saved through a layer of fixed arity (W1..W4
below): paddle.jit.save reads forward's signature, so one with *args gives
it nothing to match the input specs against."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _layers  # noqa: E402


def cases(paddle, np, Case):
    r = np.random.default_rng(7)
    F = paddle.nn.functional

    L, wrappers = _layers.case_maker(paddle, Case)

    def raw(p, op, inputs, attrs, dtype="float32", outs=("Out",), n_out=1):
        """Append legacy operator op to the current static program (for ops
        and attribute forms the Python API of Paddle 3 no longer emits);
        returns the Out variable(s)."""
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper(op)
        res = {o: [h.create_variable_for_type_inference(dtype) for _ in range(n_out)] for o in outs}
        h.append_op(type=op, inputs=inputs, outputs=res, attrs=attrs)
        v = res[outs[0]]
        return v[0] if n_out == 1 else v

    def pir_mode(p):
        return p.framework.in_pir_mode()

    def pick(p, api, legacy):
        """api() in eager and PIR mode, legacy() (usually raw) when saving the
        legacy program: several Paddle 3.3 APIs (roll, tril, abs...) fail to
        trace into a ProgramDesc."""
        return api() if p.in_dynamic_mode() or pir_mode(p) else legacy()

    def u(*shape, lo=-1.0, hi=1.0, dtype="float32"):
        return r.uniform(lo, hi, shape).astype(dtype)

    def i64(*v):
        return np.array(v, dtype="int64")

    def i32(*v):
        return np.array(v, dtype="int32")

    x234 = u(2, 3, 4)
    x34 = u(3, 4)
    c = []

    def fill_bsl(p, a, shape, value, in_idx, out_idx, dtype="float32"):
        vt = {"float32": 5, "int64": 3}[dtype]
        return pick(p, lambda: p._C_ops.full_batch_size_like(
            a, shape, getattr(p, dtype), value, in_idx, out_idx, p.CPUPlace()),
            lambda: raw(p, "fill_constant_batch_size_like", {"Input": [a]},
                        {"shape": shape, "value": float(value), "dtype": vt, "str_value": "",
                         "input_dim_idx": in_idx, "output_dim_idx": out_idx}, dtype=dtype))

    # Paddle 3.3 has no PIR partial_concat / partial_sum (their _C_ops take
    # eager tensors only): legacy form alone
    LEGACY = ("legacy",)

    def partial(p, op, xs, start, length):
        return pick(p, lambda: getattr(p._C_ops, op)(xs, start, length),
                    lambda: raw(p, op, {"X": xs}, {"start_index": start, "length": length}))

    def expand_as(p, a, b):
        return pick(p, lambda: p.expand_as(a, b),
                    lambda: raw(p, "expand_as_v2", {"X": [a], "Y": [b]},
                                {"target_shape": list(b.shape)}))

    # --- fill_constant / full ---------------------------------------------
    c += [
        L("shape_full_shape_tensor",
          lambda p, a: a + p.full(p.shape(a), 2.5, "float32"), [x234], spec=[[-1, 3, 4]]),
        L("shape_full_shape_list",
          lambda p, a: a + p.full([p.shape(a)[0], 3, 4], 1.5, "float32"), [x234],
          spec=[[-1, 3, 4]]),
        L("shape_full_value_tensor",
          lambda p, a: a * p.full([3, 4], p.max(a), "float32"), [x34]),
        L("shape_full_int64",
          lambda p, a: p.cast(a * 10, "int64") + p.full([3, 4], 7, "int64"), [x34]),
        L("shape_full_static",
          lambda p, a: a + p.full([1, 4], -0.5, "float32"), [x34], kind="static"),
        L("shape_full_shape_input",
          lambda p, a, s: a + p.full(s, 0.25, "float32"), [x234, i64(2, 3, 4)]),
        L("shape_full_shape_input32",
          lambda p, a, s: a + p.full(s, 0.25, "float32"), [x234, i32(2, 3, 4)]),
    ]
    # --- reshape -------------------------------------------------------------
    c += [
        L("shape_reshape_attr", lambda p, a: p.reshape(a, [4, -1]), [x234]),
        L("shape_reshape_zero", lambda p, a: p.reshape(a, [0, -1]), [x234], spec=[[-1, 3, 4]]),
        L("shape_reshape_tensor", lambda p, a, s: p.reshape(a, s), [x234, i64(6, 4)]),
        L("shape_reshape_tensor32", lambda p, a, s: p.reshape(a, s), [x234, i32(4, -1)]),
        L("shape_reshape_list",
          lambda p, a: p.reshape(a, [p.shape(a)[0], -1]), [x234], spec=[[-1, 3, 4]]),
        L("shape_reshape_list_zero",
          lambda p, a: p.reshape(a, [0, p.shape(a)[2], 3]), [x234], spec=[[-1, 3, 4]]),
        L("shape_reshape_shapeof", lambda p, a, b: p.reshape(a, p.shape(b)), [x234, u(4, 6)]),
    ]
    # --- expand ----------------------------------------------------------------
    x14 = u(1, 4)
    c += [
        L("shape_expand_attr", lambda p, a: p.expand(a, [2, 3, 4]), [x14]),
        L("shape_expand_minus1", lambda p, a: p.expand(a, [3, -1]), [x14]),
        L("shape_expand_tensor", lambda p, a, s: p.expand(a, s), [x14, i64(2, 3, 4)]),
        L("shape_expand_tensor_minus1", lambda p, a, s: p.expand(a, s), [u(3, 1), i64(2, -1, 4)]),
        L("shape_expand_list",
          lambda p, a, b: p.expand(a, [p.shape(b)[0], 3, 4]), [x14, u(2, 5)], spec=[[1, 4], [-1, 5]]),
        L("shape_expand_list_minus1",
          lambda p, a, b: p.expand(a, [p.shape(b)[0], -1]), [x14, u(3, 5)]),
        L("shape_expand_as", lambda p, a, b: expand_as(p, a, b), [x14, u(2, 3, 4)]),
        L("shape_expand_as_dyn", lambda p, a, b: expand_as(p, a, b), [x14, u(2, 3, 4)],
          spec=[[1, 4], [-1, 3, 4]]),
        L("shape_broadcast_to", lambda p, a: p.broadcast_to(a, [3, 4]), [x14]),
    ]
    # --- gather ------------------------------------------------------------------
    c += [
        L("shape_gather_dyn", lambda p, a, i: p.gather(a, i, axis=1), [x234, i64(2, 2, 0)],
          spec=[[-1, 3, 4], [-1]]),
        L("shape_gather_axis0", lambda p, a, i: p.gather(a, i), [x34, i64(2, 0, 2)]),
        L("shape_gather_axis1", lambda p, a, i: p.gather(a, i, axis=1), [x34, i32(3, 1)]),
        L("shape_gather_axis_tensor",
          lambda p, a, i: p.gather(a, i, axis=p.to_tensor(1)), [x234, i64(2, 0)]),
        L("shape_gather_axis_full",
          lambda p, a, i: p.gather(a, i, axis=p.full([1], 2, "int64")), [x234, i64(1, 0)]),
        L("shape_gather_neg_axis", lambda p, a, i: p.gather(a, i, axis=-1), [x234, i64(3, 0, 1)]),
    ]
    # --- split -------------------------------------------------------------------
    x66 = u(2, 6, 3)
    c += [
        L("shape_split_num", lambda p, a: p.split(a, 3, axis=1), [x66]),
        L("shape_split_sections", lambda p, a: p.split(a, [1, 2, 3], axis=1), [x66]),
        L("shape_split_minus1", lambda p, a: p.split(a, [2, -1], axis=1), [x66]),
        L("shape_split_neg_axis", lambda p, a: p.split(a, 3, axis=-1), [x66]),
        L("shape_split_axis_tensor",
          lambda p, a: p.split(a, 2, axis=p.full([1], 1, "int64")), [x66]),
        L("shape_split_sections_axis_tensor",
          lambda p, a: p.split(a, [1, -1], axis=p.to_tensor(2)), [x66]),
        L("shape_split_sections_tensor",
          lambda p, a, b: p.split(a, [p.shape(b)[0], 6 - 2], axis=1), [x66, u(2, 3)]),
        L("shape_split_dyn", lambda p, a: p.split(a, 2, axis=1), [x66], spec=[[-1, 6, 3]]),
        L("shape_chunk", lambda p, a: p.chunk(a, 2, axis=1), [x66]),
    ]
    # --- concat ------------------------------------------------------------------
    c += [
        L("shape_concat_axis", lambda p, a, b: p.concat([a, b], axis=1), [x234, u(2, 2, 4)]),
        L("shape_concat_neg", lambda p, a, b: p.concat([a, b], axis=-1), [x234, u(2, 3, 2)]),
        L("shape_concat_axis_tensor",
          lambda p, a, b: p.concat([a, b], axis=p.full([1], 2, "int64")), [x234, u(2, 3, 4)]),
        L("shape_concat_dyn", lambda p, a, b: p.concat([a, b], axis=0), [x234, u(1, 3, 4)],
          spec=[[-1, 3, 4], [-1, 3, 4]]),
    ]
    # --- squeeze / unsqueeze ----------------------------------------------------
    x1314 = u(1, 3, 1, 4)
    c += [
        L("shape_squeeze_axes", lambda p, a: p.squeeze(a, [0, 2]), [x1314]),
        L("shape_squeeze_all", lambda p, a: p.squeeze(a), [x1314]),
        L("shape_squeeze_neg", lambda p, a: p.squeeze(a, -2), [x1314]),
        L("shape_squeeze_not1", lambda p, a: p.squeeze(a, [1, 2]), [x1314]),
        L("shape_squeeze_dyn", lambda p, a: p.squeeze(a, [2]), [x1314], spec=[[-1, 3, 1, 4]]),
        L("shape_squeeze_axes_tensor",
          lambda p, a: p.squeeze(a, p.to_tensor(np.array([2, -1], "int64"))), [u(1, 3, 1, 4, 1)]),
        L("shape_unsqueeze_axes", lambda p, a: p.unsqueeze(a, [0, 2]), [x34]),
        L("shape_unsqueeze_neg", lambda p, a: p.unsqueeze(a, -1), [x34]),
        L("shape_unsqueeze_unsorted", lambda p, a: p.unsqueeze(a, [2, 0]), [x34]),
        L("shape_unsqueeze_mixed", lambda p, a: p.unsqueeze(a, [-1, 1, -4]), [x34]),
        L("shape_unsqueeze_axes_input2", lambda p, a, ax: p.unsqueeze(a, ax), [x34, i64(2, 0)]),
        L("shape_unsqueeze_axes_input", lambda p, a, ax: p.unsqueeze(a, ax), [x34, i64(1)]),
        L("shape_unsqueeze_axes_list",
          lambda p, a, ax: p.unsqueeze(a, [ax, 0]), [x34, i64(2)]),
        L("shape_unsqueeze_dyn", lambda p, a: p.unsqueeze(a, [1]), [x34], spec=[[-1, 4]]),
    ]
    # --- slice / strided_slice ---------------------------------------------------
    x456 = u(4, 5, 6)
    c += [
        L("shape_slice_attr", lambda p, a: a[1:3, :, 2:-1], [x456]),
        L("shape_slice_api", lambda p, a: p.slice(a, [0, 2], [1, -4], [3, 100]), [x456]),
        L("shape_slice_decrease", lambda p, a: a[2, 1:4], [x456]),
        L("shape_slice_decrease_all", lambda p, a: a[2, 1, 3], [x456]),
        L("shape_slice_starts_tensor",
          lambda p, a, s: p.slice(a, [0, 1], s, [4, 5]), [x456, i64(1, 2)]),
        L("shape_slice_ends_tensor",
          lambda p, a, e: p.slice(a, [0, 2], [1, 1], e), [x456, i64(3, -1)]),
        L("shape_slice_ends_list",
          lambda p, a, e: p.slice(a, [1], [0], [e]), [x456, i64(3)]),
        L("shape_slice_starts_list32",
          lambda p, a, s: p.slice(a, [0, 2], [s, 1], [3, 5]), [x456, i32(1)]),
        L("shape_slice_dyn", lambda p, a: a[:, 1:4], [x456], spec=[[-1, 5, 6]]),
        L("shape_slice_dyn_end", lambda p, a: a[1:, :, :-2], [x456], spec=[[-1, 5, -1]]),
        L("shape_strided_attr",
          lambda p, a: p.strided_slice(a, [0, 2], [0, 0], [4, 6], [2, 3]), [x456]),
        L("shape_strided_neg",
          lambda p, a: p.strided_slice(a, [1, 2], [-1, 4], [-6, 0], [-2, -1]), [x456]),
        L("shape_strided_index", lambda p, a: a[::-1, 1::2, ::3], [x456]),
        L("shape_strided_tensor",
          lambda p, a, s, e, st: p.strided_slice(a, [0, 2], s, e, st),
          [x456, i64(0, 1), i64(4, 6), i64(2, 2)]),
        L("shape_strided_list",
          lambda p, a, s: p.strided_slice(a, [1], [s], [5], [2]), [x456, np.array(1, "int32")]),
        L("shape_strided_dyn", lambda p, a: a[:, ::2], [x456], spec=[[-1, 5, 6]]),
        L("shape_strided_decrease", lambda p, a: a[::-1, 2, 1::2], [x456]),
    ]
    # --- tile ------------------------------------------------------------------
    c += [
        L("shape_tile_attr", lambda p, a: p.tile(a, [2, 1, 3]), [x234]),
        L("shape_tile_more", lambda p, a: p.tile(a, [2, 1, 2]), [x34]),
        L("shape_tile_tensor", lambda p, a, t: p.tile(a, t), [x34, i64(2, 3)]),
        L("shape_tile_list", lambda p, a, t: p.tile(a, [t, 2]), [x34, np.array(3, "int64")]),
        L("shape_tile_dyn", lambda p, a: p.tile(a, [1, 2]), [x34], spec=[[-1, 4]]),
    ]
    # --- full_like / fill_any_like / fill_constant_batch_size_like ------------------
    c += [
        L("shape_full_like", lambda p, a: a + p.full_like(a, 3.0), [x234]),
        L("shape_full_like_int", lambda p, a: p.full_like(a, 2, "int32") * p.cast(a * 5, "int32"),
          [x34]),
        L("shape_full_like_dyn", lambda p, a: a * p.ones_like(a), [x234], spec=[[-1, 3, 4]]),
        L("shape_zeros_like_bool", lambda p, a: p.cast(p.zeros_like(a, "bool"), "float32") + a,
          [x34]),
        L("shape_fill_bsl", lambda p, a: a + fill_bsl(p, a, [-1, 4], 1.5, 0, 0),
          [x34], spec=[[-1, 4]]),
        L("shape_fill_bsl_idx", lambda p, a: fill_bsl(p, a, [2, -1, 1], 0.5, 1, 1) * a[0:2],
          [u(5, 3, 1)]),
        L("shape_fill_bsl_int", lambda p, a: fill_bsl(p, a, [-1, 3], 4, 0, 0, "int64")
          + p.cast(a[:, :3] * 10, "int64"), [x34], spec=[[-1, 4]]),
    ]
    # --- range / linspace / eye / meshgrid -----------------------------------------
    c += [
        L("shape_arange_static", lambda p, a: a + p.arange(0, 4, 1, "float32"), [x34]),
        L("shape_arange_step", lambda p, a: a * p.arange(1.5, 0.0, -0.5, "float32"), [x34[:, :3]]),
        L("shape_arange_int", lambda p, a: p.arange(2, 14, 3, "int64") * p.cast(a * 9, "int64"),
          [x34]),
        L("shape_arange_tensor",
          lambda p, a, s, e: p.cast(p.arange(s, e, 1), "float32") + a, [x34, i64(1), i64(5)]),
        L("shape_arange_tensor_f",
          lambda p, s, e, st: p.arange(s, e, st), [np.array([0.5], "float32"),
                                                   np.array([3.0], "float32"),
                                                   np.array([0.25], "float32")]),
        L("shape_arange_shape",
          lambda p, a: a + p.cast(p.arange(p.shape(a)[2]), "float32"), [x234], spec=[[2, 3, -1]]),
        L("shape_linspace_static", lambda p, a: a * p.linspace(-1.0, 2.0, 4), [x34]),
        L("shape_linspace_one", lambda p, a: a + p.linspace(3.0, 5.0, 1), [x34]),
        L("shape_linspace_tensor",
          lambda p, s, e: p.linspace(s, e, 5),
          [np.array([-2.0], "float32"), np.array([3.0], "float32")]),
        L("shape_linspace_num_tensor",
          lambda p, a, n: p.linspace(0.0, 1.0, n) + a[0, 0], [x34, np.array([6], "int32")]),
        L("shape_linspace_int", lambda p, a: p.linspace(0, 10, 4, "int32") + p.cast(a * 10, "int32"),
          [x34]),
        L("shape_eye_square", lambda p, a: a + p.eye(3), [u(3, 3)]),
        L("shape_eye_rect", lambda p, a: a * p.eye(3, 4), [x34]),
        L("shape_eye_int", lambda p, a: p.eye(3, 4, "int64") + p.cast(a * 10, "int64"), [x34]),
        L("shape_meshgrid2", lambda p, a, b: p.meshgrid(a, b), [u(3), u(4)]),
        L("shape_meshgrid3", lambda p, a, b, c: p.meshgrid(a, b, c), [u(2), u(3), u(4)]),
        L("shape_meshgrid_dyn", lambda p, a, b: p.meshgrid(a, b), [u(3), u(4)], spec=[[-1], [-1]]),
    ]
    # --- assign / assign_value / share_data / memcpy ---------------------------------
    c += [
        L("shape_assign", lambda p, a: p.assign(a) * 2.0, [x34]),
        L("shape_assign_value_f32",
          lambda p, a: a + p.to_tensor(np.array([[0.5, -1.5, 2.0, 3.25]], "float32")), [x34]),
        L("shape_assign_value_i32",
          lambda p, a: p.cast(a * 10, "int32") + p.to_tensor(np.array([1, -2, 3, 4], "int32")),
          [x34]),
        L("shape_assign_value_i64",
          lambda p, a: p.cast(a * 10, "int64") * p.to_tensor(np.array([[1], [-2], [3]], "int64")),
          [x34]),
        L("shape_assign_value_bool",
          lambda p, a: p.cast(p.to_tensor(np.array([True, False, False, True])), "float32") * a,
          [x34]),
        L("shape_assign_value_f64",
          lambda p, a: p.cast(a, "float64") + p.to_tensor(np.array([0.25, 1.5, -3.0, 7.0], "float64")),
          [x34]),
        L("shape_assign_value_scalar",
          lambda p, a: a * p.to_tensor(np.array(2.5, "float32")), [x34]),
        L("shape_share_data", lambda p, a: pick(
            p, lambda: p._C_ops.share_data(a), lambda: raw(p, "share_data", {"X": [a]}, {})) * 3.0,
          [x34]),
        L("shape_memcpy", lambda p, a: pick(
            p, lambda: a if p.in_dynamic_mode() else p._C_ops.memcpy(a, 0),
            lambda: raw(p, "memcpy", {"X": [a]}, {"dst_place_type": 0})) + 1.0, [x34]),
        L("shape_memcpy_h2d", lambda p, a: pick(
            p, lambda: a if p.in_dynamic_mode() else p._C_ops.memcpy_h2d(a, 0),
            lambda: raw(p, "memcpy_h2d", {"X": [a]}, {"dst_place_type": 0})) * 2.0, [x34]),
        L("shape_memcpy_d2h", lambda p, a: pick(
            p, lambda: p._C_ops.memcpy_d2h(a, 0),
            lambda: raw(p, "memcpy_d2h", {"X": [a]}, {"dst_place_type": 0})) - 1.0, [x34]),
    ]
    # --- set_value (slice assignment) ------------------------------------------------
    def sv_scalar(p, a):
        b = a * 1.0
        b[0:2, 1] = 3.5
        return b

    def sv_tensor(p, a, v):
        b = a * 1.0
        b[1:3, :, 1] = v
        return b

    def sv_steps(p, a):
        b = a * 1.0
        b[::2, 1:4:2] = -2.0
        return b

    def sv_decrease(p, a, v):
        b = a * 1.0
        b[1] = v
        return b

    def sv_broadcast(p, a, v):
        b = a * 1.0
        b[:, 1:3] = v
        return b

    def sv_none(p, a, v):
        b = a * 1.0
        b[None, 1, 0:2] = v
        return b

    def sv_neg_step(p, a, v):
        b = a * 1.0
        b[3:0:-2] = v
        return b

    def sv_tensor_start(p, a, i):
        b = a * 1.0
        b[i:i + 2] = 0.0
        return b

    def sv_int(p, a):
        b = p.cast(a * 10, "int64")
        b[:, 0] = 7
        return b

    def sv_dyn(p, a):
        b = a * 1.0
        b[:, 1] = 9.0
        return b

    def sv_ellipsis(p, a, v):
        b = a * 1.0
        b[..., 2] = v
        return b

    # the out-of-place PIR forms (set_value, set_value_with_tensor); the
    # legacy program gets the usual set_value
    def sv_op_scalar(p, a):
        if pir_mode(p):
            return p._C_ops.set_value(a, [1], [3], [1], [0], [], [], [1], [2.5])
        return sv_scalar_rows(p, a)

    def sv_scalar_rows(p, a):
        b = a * 1.0
        b[1:3] = 2.5
        return b

    def sv_op_tensor(p, a, v):
        if pir_mode(p):
            return p._C_ops.set_value_with_tensor(a, v, [0], [2], [1], [1], [], [])
        b = a * 1.0
        b[:, 0:2] = v
        return b

    x45 = u(4, 5)
    c += [
        L("shape_set_value_op_scalar", sv_op_scalar, [x45]),
        L("shape_set_value_op_tensor", sv_op_tensor, [x45, u(4, 2)]),
        L("shape_set_value_scalar", sv_scalar, [x456]),
        L("shape_set_value_tensor", sv_tensor, [x456, u(2, 5)]),
        L("shape_set_value_steps", sv_steps, [x456]),
        L("shape_set_value_decrease", sv_decrease, [x456, u(5, 6)]),
        L("shape_set_value_broadcast", sv_broadcast, [x45, u(2)]),
        L("shape_set_value_none", sv_none, [x456, u(1, 2, 6)]),
        L("shape_set_value_neg_step", sv_neg_step, [x456, u(2, 5, 6)]),
        L("shape_set_value_tensor_start", sv_tensor_start, [x456, np.array(1, "int64")]),
        L("shape_set_value_int", sv_int, [x45]),
        L("shape_set_value_dyn", sv_dyn, [x45], spec=[[-1, 5]]),
        L("shape_set_value_tensor_dyn", sv_tensor, [x456, u(2, 5)], spec=[[-1, 5, 6], [2, 5]]),
        L("shape_set_value_ellipsis", sv_ellipsis, [x456, u(4, 5)]),
    ]
    # --- stack / unstack / partial_* -----------------------------------------------------
    c += [
        L("shape_stack0", lambda p, a, b: p.stack([a, b]), [x34, u(3, 4)]),
        L("shape_stack_neg", lambda p, a, b, d: p.stack([a, b, d], axis=-1), [x34, u(3, 4), u(3, 4)]),
        L("shape_stack_dyn", lambda p, a, b: p.stack([a, b], axis=1), [x34, u(3, 4)],
          spec=[[-1, 4], [-1, 4]]),
        L("shape_unstack0", lambda p, a: p.unstack(a), [x234]),
        L("shape_unstack_neg", lambda p, a: p.unstack(a, axis=-1), [x234]),
        L("shape_unstack_dyn", lambda p, a: p.unstack(a, axis=1), [x234], spec=[[-1, 3, 4]]),
        L("shape_partial_concat", lambda p, a, b: partial(p, "partial_concat", [a, b], 1, 2),
          [u(3, 5), u(3, 5)], formats=LEGACY),
        L("shape_partial_concat_all", lambda p, a, b: partial(p, "partial_concat", [a, b], -3, -1),
          [u(3, 5), u(3, 5)], formats=LEGACY),
        L("shape_partial_concat_dyn", lambda p, a, b: partial(p, "partial_concat", [a, b], 0, 3),
          [u(3, 5), u(3, 5)], spec=[[-1, 5], [-1, 5]], formats=LEGACY),
        L("shape_partial_sum", lambda p, a, b: partial(p, "partial_sum", [a, b], 2, 3),
          [u(3, 6), u(3, 6)], formats=LEGACY),
        L("shape_partial_sum_all", lambda p, a, b, d: partial(p, "partial_sum", [a, b, d], 0, -1),
          [u(3, 6), u(3, 6), u(3, 6)], formats=LEGACY),
    ]
    # --- pixel / channel shuffles ------------------------------------------------------
    x8 = u(1, 8, 2, 3)
    c += [
        L("shape_pixel_shuffle", lambda p, a: F.pixel_shuffle(a, 2), [x8]),
        L("shape_pixel_shuffle_nhwc", lambda p, a: F.pixel_shuffle(a, 2, "NHWC"), [u(1, 2, 3, 8)]),
        L("shape_pixel_shuffle_dyn", lambda p, a: F.pixel_shuffle(a, 2), [x8],
          spec=[[-1, 8, 2, 3]]),
        L("shape_pixel_unshuffle", lambda p, a: F.pixel_unshuffle(a, 2), [u(1, 2, 4, 6)]),
        L("shape_pixel_unshuffle_nhwc", lambda p, a: F.pixel_unshuffle(a, 2, "NHWC"),
          [u(1, 4, 6, 2)]),
        L("shape_channel_shuffle", lambda p, a: F.channel_shuffle(a, 4), [x8]),
        L("shape_channel_shuffle_dyn", lambda p, a: F.channel_shuffle(a, 2), [x8],
          spec=[[-1, 8, -1, -1]]),
        L("shape_channel_shuffle_nhwc", lambda p, a: F.channel_shuffle(a, 2, "NHWC"),
          [u(1, 2, 3, 8)]),
        L("shape_shuffle_channel", lambda p, a: pick(
            p, lambda: p._C_ops.shuffle_channel(a, 2),
            lambda: raw(p, "shuffle_channel", {"X": [a]}, {"group": 2})), [x8]),
    ]
    def tri(p, a, d, lower):
        return pick(p, lambda: (p.tril if lower else p.triu)(a, d),
                    lambda: raw(p, "tril_triu", {"X": [a]}, {"diagonal": d, "lower": lower}))

    # --- flip / roll / tril / triu ----------------------------------------------------------
    c += [
        L("shape_flip", lambda p, a: p.flip(a, [0, 2]), [x234]),
        L("shape_flip_neg", lambda p, a: p.flip(a, -1), [x234]),
        L("shape_flip_dyn", lambda p, a: p.flip(a, [1]), [x234], spec=[[-1, -1, 4]]),
        L("shape_reverse", lambda p, a: pick(
            p, lambda: p._C_ops.reverse(a, [1]), lambda: raw(p, "reverse", {"X": [a]}, {"axis": [1]})),
          [x234]),
        L("shape_roll_axis", lambda p, a: pick(
            p, lambda: p.roll(a, [1, -2], [0, 2]),
            lambda: raw(p, "roll", {"X": [a]}, {"shifts": [1, -2], "axis": [0, 2]})), [x234]),
        L("shape_roll_flat", lambda p, a: pick(
            p, lambda: p.roll(a, 5), lambda: raw(p, "roll", {"X": [a]}, {"shifts": [5], "axis": []})),
          [x234]),
        L("shape_roll_tensor", lambda p, a, s: pick(
            p, lambda: p.roll(a, s, [1]),
            lambda: raw(p, "roll", {"X": [a], "ShiftsTensor": [s]}, {"shifts": [], "axis": [1]})),
          [x234, np.array(2, "int64")]),
        L("shape_roll_flat_dyn", lambda p, a: pick(
            p, lambda: p.roll(a, -3), lambda: raw(p, "roll", {"X": [a]}, {"shifts": [-3], "axis": []})),
          [x234], spec=[[-1, 3, 4]]),
        L("shape_roll_dyn", lambda p, a: pick(
            p, lambda: p.roll(a, 1, 1), lambda: raw(p, "roll", {"X": [a]}, {"shifts": [1], "axis": [1]})),
          [x234], spec=[[-1, 3, 4]]),
        L("shape_tril", lambda p, a: tri(p, a, 0, True), [u(4, 5)]),
        L("shape_tril_diag", lambda p, a: tri(p, a, -1, True), [u(2, 4, 5)]),
        L("shape_tril_diag_pos", lambda p, a: tri(p, a, 2, True), [u(5, 4)]),
        L("shape_triu", lambda p, a: tri(p, a, 0, False), [u(4, 5)]),
        L("shape_triu_diag", lambda p, a: tri(p, a, 2, False), [u(4, 5)]),
        L("shape_triu_diag_neg", lambda p, a: tri(p, a, -2, False), [u(5, 4)]),
        L("shape_triu_dyn", lambda p, a: tri(p, a, 1, False), [u(2, 4, 5)], spec=[[-1, 4, 5]]),
        L("shape_tril_dyn", lambda p, a: tri(p, a, 0, True), [u(2, 4, 5)], spec=[[-1, -1, -1]]),
    ]
    # --- flatten / transpose / shape / numel --------------------------------------------------
    x2345 = u(2, 3, 4, 5)
    c += [
        L("shape_flatten_default", lambda p, a: p.flatten(a), [x2345]),
        L("shape_flatten_mid", lambda p, a: p.flatten(a, 1, 2), [x2345]),
        L("shape_flatten_tail", lambda p, a: p.flatten(a, 2), [x2345]),
        L("shape_flatten_neg", lambda p, a: p.flatten(a, -3, -2), [x2345]),
        L("shape_flatten_dyn", lambda p, a: p.flatten(a, 1), [x2345], spec=[[-1, 3, 4, 5]]),
        L("shape_flatten_mid_dyn", lambda p, a: p.flatten(a, 1, 2), [x2345], spec=[[-1, 3, 4, -1]]),
        L("shape_flatten2",
          lambda p, a: raw(p, "flatten2", {"X": [a]}, {"axis": 2}, outs=("Out", "XShape")),
          [x2345], kind="static", formats=("legacy",)),
        L("shape_flatten2_axis0",
          lambda p, a: raw(p, "flatten2", {"X": [a]}, {"axis": 0}, outs=("Out", "XShape")),
          [x234], kind="static", formats=("legacy",)),
        L("shape_transpose", lambda p, a: p.transpose(a, [2, 0, 1]), [x234]),
        L("shape_transpose_dyn", lambda p, a: p.transpose(a, [1, 0, 3, 2]), [x2345],
          spec=[[-1, 3, 4, -1]]),
        L("shape_shape", lambda p, a: p.shape(a), [x234]),
        L("shape_shape_dyn", lambda p, a: p.shape(a) * 2, [x234], spec=[[-1, 3, -1]]),
        L("shape_shape_legacy32",
          lambda p, a: raw(p, "shape", {"Input": [a]}, {}, dtype="int32"),
          [x234], kind="static", formats=("legacy",)),
        L("shape_numel", lambda p, a: p.numel(a), [x234]),
        L("shape_numel_dyn", lambda p, a: p.numel(a) + 1, [x234], spec=[[-1, 3, 4]]),
    ]
    # --- the first-generation ops (no XShape output), legacy programs only ---
    def v1(p, op, a, attrs, api):
        """The first-generation op: Paddle 3.3 no longer registers flatten,
        squeeze and unsqueeze, so the program gets the v2 op (same
        attributes, plus an XShape output) renamed."""
        def legacy():
            v2 = {"flatten": "flatten2", "squeeze": "squeeze2", "unsqueeze": "unsqueeze2"}
            if op not in v2:
                return raw(p, op, {"X": [a]}, attrs)
            y = raw(p, v2[op], {"X": [a]}, attrs, outs=("Out", "XShape"))
            p.static.default_main_program().current_block().ops[-1].desc.set_type(op)
            return y
        return pick(p, api, legacy)

    c += [
        L("shape_v1_reshape", lambda p, a: v1(p, "reshape", a, {"shape": [4, 0, -1]},
                                              lambda: p.reshape(a, [4, 2, -1])),
          [u(4, 2, 3)], formats=LEGACY),
        L("shape_v1_transpose", lambda p, a: v1(p, "transpose", a, {"axis": [1, 2, 0]},
                                                lambda: p.transpose(a, [1, 2, 0])),
          [x234], formats=LEGACY),
        L("shape_v1_flatten", lambda p, a: v1(p, "flatten", a, {"axis": 2},
                                              lambda: p.reshape(a, [6, 4])),
          [x234], formats=LEGACY),
        L("shape_v1_squeeze", lambda p, a: v1(p, "squeeze", a, {"axes": [2]},
                                              lambda: p.squeeze(a, [2])),
          [x1314], formats=LEGACY),
        L("shape_v1_unsqueeze", lambda p, a: v1(p, "unsqueeze", a, {"axes": [1]},
                                                lambda: p.unsqueeze(a, [1])),
          [x34], formats=LEGACY),
    ]
    # --- cast -------------------------------------------------------------------------------
    xc = u(3, 4, lo=-5, hi=5)
    c += [
        L("shape_cast_i32", lambda p, a: p.cast(a, "int32"), [xc]),
        L("shape_cast_i64", lambda p, a: p.cast(a, "int64"), [xc]),
        L("shape_cast_f64", lambda p, a: p.cast(a, "float64"), [xc]),
        L("shape_cast_f16", lambda p, a: p.cast(a, "float16"), [xc]),
        L("shape_cast_bool", lambda p, a: p.cast(p.cast(a, "int32"), "bool"), [xc]),
        L("shape_cast_from_bool", lambda p, a: p.cast(p.cast(a, "bool"), "float32") * a, [xc]),
        L("shape_cast_u8", lambda p, a: p.cast(a * a * 9, "uint8"), [xc]),
        L("shape_cast_i8", lambda p, a: p.cast(a * 20, "int8"), [xc]),
        L("shape_cast_i16", lambda p, a: p.cast(a * 300, "int16"), [xc]),
        L("shape_cast_int_to_f", lambda p, a: p.cast(a, "float32") * 0.5, [i64(3, -4, 9, 0)]),
    ]
    # --- dropout --------------------------------------------------------------------------------
    c += [
        L("shape_dropout_upscale",
          lambda p, a: F.dropout(a, 0.3, training=False, mode="upscale_in_train"), [x34]),
        L("shape_dropout_downscale",
          lambda p, a: F.dropout(a, 0.3, training=False, mode="downscale_in_infer"), [x34]),
        Case("shape_dropout_layer",
             layer=lambda p: p.nn.Dropout(0.25, mode="downscale_in_infer"), inputs=[x34]),
    ]
    # --- pad (old op) / crop_tensor -----------------------------------------------------------
    c += [
        L("shape_pad_const", lambda p, a: F.pad(a, [1, 0, 0, 2], value=0.5), [x34]),
        L("shape_pad_const3", lambda p, a: F.pad(a, [0, 1, 1, 1, 2, 0], value=-1.0), [x234]),
        L("shape_pad_dyn", lambda p, a: F.pad(a, [0, 0, 1, 2], value=2.0), [x34], spec=[[-1, 4]]),
        L("shape_pad_legacy",
          lambda p, a: raw(p, "pad", {"X": [a]}, {"paddings": [0, 1, 2, 0], "pad_value": 1.5}),
          [x34], kind="static", formats=("legacy",)),
        L("shape_crop", lambda p, a: p.crop(a, [2, 2, 3], [0, 1, 1]), [x234]),
        L("shape_crop_minus1", lambda p, a: p.crop(a, [-1, 2, 2], [1, 0, 2]), [x234]),
        L("shape_crop_shape_tensor", lambda p, a, s: p.crop(a, s, [0, 1, 0]), [x234, i32(2, 2, 3)]),
        L("shape_crop_offsets_tensor", lambda p, a, o: p.crop(a, [1, 2, 2], o), [x234, i32(1, 0, 1)]),
        L("shape_crop_dyn", lambda p, a: p.crop(a, [-1, 2, 2], [0, 1, 1]), [x234],
          spec=[[-1, 3, 4]]),
        L("shape_crop_list", lambda p, a, o: p.crop(
            a, [2, 2, 2], [0, o if p.in_dynamic_mode() else p.reshape(o, [1]), 1]),
          [x234, np.array(1, "int32")]),
    ]
    # --- documented exceptions: what the IR cannot express --------------------
    c += [
        L("shape_squeeze_axes_runtime", lambda p, a, ax: p.squeeze(a, ax), [x1314, i64(0, 2)],
          xfail="squeeze axes computed at run time: Paddle skips axes whose dim is not 1, so "
                "the output rank would depend on the data; mo refuses it with a message"),
        # the axis fed at run time (moved to the front by a computed Transpose)
        L("shape_gather_axis_runtime", lambda p, a, i, ax: p.gather(a, i, axis=ax),
          [x234, i64(1, 0), i64(2)]),
        L("shape_gather_axis_runtime_neg", lambda p, a, i, ax: p.gather(a, i, axis=ax),
          [x234, i64(2, 0, 1), i64(-2)]),
        L("shape_gather_axis_runtime_0", lambda p, a, i, ax: p.gather(a, i, axis=ax),
          [x234, i64(1, 1, 0), i64(0)]),
        L("shape_concat_axis_runtime", lambda p, a, b, ax: p.concat([a, b], axis=ax),
          [x234, u(2, 3, 4), i64(0)],
          xfail="concat axis computed at run time: the IR's Concat takes the axis as an "
                "attribute; mo refuses it with a message"),
    ]
    return c
