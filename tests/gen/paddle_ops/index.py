"""Indexing, gather/scatter, sorting, one_hot and embedding ops (tr_index.c,
gather in tr_misc.c): every attribute variant, int32 and int64 indices, both
formats.

Inputs are built so that results vary and are unambiguous: no ties where an
op sorts (top_k, argsort, unique), and no duplicate indices where Paddle's
order of writes is not fixed (put_along_axis assign); the scatter cases with
duplicates are the ones Paddle's CPU kernel defines (last write wins,
overwrite False sums)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _layers  # noqa: E402


def cases(paddle, np, Case):
    r = np.random.default_rng(11)
    F = paddle.nn.functional

    L, wrappers = _layers.case_maker(paddle, Case)

    def raw(p, op, inputs, attrs, dtype="float32", outs=("Out",), dtypes=None):
        """Append legacy operator op to the current static program; returns
        its outputs (one variable per output slot)."""
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper(op)
        dtypes = dtypes or [dtype] * len(outs)
        res = {o: [h.create_variable_for_type_inference(t)] for o, t in zip(outs, dtypes)}
        h.append_op(type=op, inputs=inputs, outputs=res, attrs=attrs)
        v = [res[o][0] for o in outs]
        return v[0] if len(v) == 1 else tuple(v)

    def pir_mode(p):
        return p.framework.in_pir_mode()

    def pick(p, api, legacy):
        return api() if p.in_dynamic_mode() or pir_mode(p) else legacy()

    def u(*shape, lo=-1.0, hi=1.0):
        return r.uniform(lo, hi, shape).astype("float32")

    def perm_vals(*shape):
        """Distinct values (no ties) in random order."""
        n = int(np.prod(shape))
        return (r.permutation(n).astype("float32") * 0.37 - n * 0.1).reshape(shape)

    def ints(lo, hi, shape, dt):
        return r.integers(lo, hi, shape).astype(dt)

    x34 = u(3, 4)
    x234 = u(2, 3, 4)
    c = []

    # --- gather_nd -----------------------------------------------------------
    c += [
        L("index_gather_nd_full", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.array([[1, 2, 3], [0, 0, 1], [1, 1, 0]], "int64")]),
        L("index_gather_nd_full_i32", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.array([[1, 0, 2], [0, 2, 1]], "int32")]),
        L("index_gather_nd_depth1", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.array([[1], [0], [1]], "int64")]),
        L("index_gather_nd_depth2_i32", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.array([[[1, 2], [0, 1]], [[0, 0], [1, 0]]], "int32")]),
        # an empty index tuple: all of x for each of the 3 index rows
        L("index_gather_nd_empty", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.zeros([3, 0], "int64")]),
    ]
    c += [
        L("index_gather_nd_dyn", lambda p, a, i: p.gather_nd(a, i),
          [x234, np.array([[1, 2], [0, 1]], "int64")], spec=[[-1, 3, 4], [-1, 2]]),
    ]
    # --- gather (the variants beyond shape_gather_*) ---------------------------
    c += [
        L("index_gather_axis_tensor_i32",
          lambda p, a, i: p.gather(a, i, axis=p.full([1], 1, "int32")), [x234, ints(0, 3, (4,), "int32")]),
    ]
    # --- index_select ------------------------------------------------------------
    c += [
        L("index_index_select_axis1", lambda p, a, i: p.index_select(a, i, axis=1),
          [x234, np.array([2, 0, 2, 1], "int64")]),
        L("index_index_select_neg_axis", lambda p, a, i: p.index_select(a, i, axis=-1),
          [x234, np.array([3, 1], "int32")]),
        L("index_index_select_axis0", lambda p, a, i: p.index_select(a, i),
          [x34, np.array([1, 1, 0], "int64")]),
    ]
    # --- index_sample --------------------------------------------------------------
    c += [
        L("index_index_sample", lambda p, a, i: p.index_sample(a, i),
          [u(3, 5), ints(0, 5, (3, 4), "int64")]),
        L("index_index_sample_i32", lambda p, a, i: p.index_sample(a, i),
          [u(3, 5), ints(0, 5, (3, 2), "int32")]),
    ]
    # --- take_along_axis / put_along_axis --------------------------------------------
    c += [
        L("index_take_along_axis", lambda p, a, i: p.take_along_axis(a, i, axis=1),
          [x234, ints(0, 3, (2, 2, 4), "int64")]),
        L("index_take_along_axis_bcast", lambda p, a, i: p.take_along_axis(a, i, axis=2),
          [x234, ints(0, 4, (1, 3, 2), "int64")]),
        L("index_take_along_axis_nobcast",
          lambda p, a, i: p.take_along_axis(a, i, axis=1, broadcast=False),
          [x234, ints(0, 3, (1, 2, 2), "int64")]),
        L("index_take_along_axis_neg_i32", lambda p, a, i: p.take_along_axis(a, i, axis=-1),
          [x34, ints(0, 4, (3, 5), "int32")]),
    ]
    # assign with indices distinct along the axis (a permutation per column)
    perm_idx = np.stack([r.permutation(3) for _ in range(4)], axis=1)[:2].astype("int64")
    c += [
        L("index_put_along_axis_assign",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=0), [x34, perm_idx, u(2, 4)]),
        L("index_put_along_axis_assign_i32",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=0),
          [x34, perm_idx.astype("int32"), u(2, 4)]),
        L("index_put_along_axis_add",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=1, reduce="add"),
          [x34, ints(0, 4, (3, 3), "int64"), u(3, 3)]),
        L("index_put_along_axis_mul",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=1, reduce="multiply"),
          [x34, ints(0, 4, (3, 3), "int64"), u(3, 3)]),
        L("index_put_along_axis_amax",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=1, reduce="amax"),
          [x34, ints(0, 4, (3, 3), "int64"), u(3, 3)]),
        L("index_put_along_axis_amin_i32",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=0, reduce="amin"),
          [x34, ints(0, 3, (2, 4), "int32"), u(2, 4)]),
        L("index_put_along_axis_amin_noself",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=1, reduce="amin", include_self=False),
          [x34, ints(0, 4, (3, 3), "int64"), u(3, 3)]),
        L("index_put_along_axis_mean",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=0, reduce="mean"),
          [x34, ints(0, 3, (2, 4), "int32"), u(2, 4)]),
        L("index_put_along_axis_add_noself",
          lambda p, a, i, v: p.put_along_axis(a, i, v, axis=-1, reduce="add", include_self=False),
          [x234, ints(0, 4, (2, 3, 2), "int64"), u(2, 3, 2)]),
        L("index_put_along_axis_scalar",
          lambda p, a, i: p.put_along_axis(a, i, 2.5, axis=1), [x34, ints(0, 4, (3, 1), "int64")]),
    ]
    # --- scatter -------------------------------------------------------------------------
    upd = u(3, 4)
    c += [
        L("index_scatter_overwrite", lambda p, a, i, v: p.scatter(a, i, v),
          [u(5, 4), np.array([3, 0, 1], "int64"), upd]),
        L("index_scatter_overwrite_dup", lambda p, a, i, v: p.scatter(a, i, v),
          [u(5, 4), np.array([3, 0, 3], "int64"), upd]),
        L("index_scatter_add_dup", lambda p, a, i, v: p.scatter(a, i, v, overwrite=False),
          [u(5, 4), np.array([3, 0, 3], "int64"), upd]),
        L("index_scatter_overwrite_i32", lambda p, a, i, v: p.scatter(a, i, v),
          [u(5, 4), np.array([4, 2, 1], "int32"), upd]),
        L("index_scatter_dyn", lambda p, a, i, v: p.scatter(a, i, v),
          [u(5, 4), np.array([3, 0], "int64"), u(2, 4)], spec=[[-1, 4], [-1], [-1, 4]]),
        L("index_scatter_add_i32", lambda p, a, i, v: p.scatter(a, i, v, overwrite=False),
          [u(5, 4), np.array([1, 1, 2], "int32"), upd]),
    ]
    # --- scatter_nd_add / scatter_nd -------------------------------------------------------
    c += [
        L("index_scatter_nd_add", lambda p, a, i, v: p.scatter_nd_add(a, i, v),
          [x234, np.array([[1, 2], [0, 1], [1, 2]], "int64"), u(3, 4)]),
        L("index_scatter_nd_add_full_i32", lambda p, a, i, v: p.scatter_nd_add(a, i, v),
          [x234, np.array([[1, 2, 3], [0, 1, 0], [1, 2, 3], [0, 0, 0]], "int32"), u(4)]),
        L("index_scatter_nd", lambda p, i, v: p.scatter_nd(i, v, [3, 4]),
          [np.array([[1], [2], [1]], "int64"), u(3, 4)]),
        L("index_scatter_nd_i32", lambda p, i, v: p.scatter_nd(i, v, [2, 3, 4]),
          [np.array([[1, 2], [0, 0]], "int32"), u(2, 4)]),
    ]
    # --- embedding ----------------------------------------------------------------------------
    class Emb(paddle.nn.Layer):
        def __init__(self, pad):
            super().__init__()
            self.pad = pad
            self.w = self.create_parameter(
                [6, 4], default_initializer=paddle.nn.initializer.Assign(u(6, 4)))

        def forward(self, ids):
            return F.embedding(ids, self.w, padding_idx=self.pad)

    ids = np.array([[0, 2, 5], [2, 1, 4]])
    for pad, s, dt in ((None, "plain", "int64"), (2, "pad", "int64"), (2, "pad_i32", "int32"),
                       (-1, "pad_neg", "int64")):
        c.append(Case(f"index_embedding_{s}", layer=lambda p, pad=pad: Emb(pad),
                      inputs=[ids.astype(dt)]))
    c.append(L("index_lookup_table_v1",
               lambda p, i, w: raw(p, "lookup_table", {"Ids": [i], "W": [w]}, {"padding_idx": 1}),
               [ids.reshape(6, 1).astype("int64"), u(6, 3)], kind="static", formats=("legacy",)))
    c.append(Case("index_embedding_dyn", layer=lambda p: Emb(5), inputs=[ids.astype("int64")],
                  spec=[[-1, 3]]))
    # --- one_hot ----------------------------------------------------------------------------------
    c += [
        L("index_one_hot", lambda p, a: F.one_hot(a, 5), [ints(0, 5, (2, 3), "int64")]),
        L("index_one_hot_i32", lambda p, a: F.one_hot(a, 4), [ints(0, 4, (5,), "int32")]),
        # Paddle 3.3's legacy static one_hot turns a tensor num_classes into
        # max(x) + 1: the legacy form appends the operator with depth_tensor
        L("index_one_hot_depth_tensor",
          lambda p, a: pick(p, lambda: F.one_hot(a, p.full([1], 6, "int32")),
                            lambda: raw(p, "one_hot_v2",
                                        {"X": [a], "depth_tensor": [p.full([1], 6, "int32")]},
                                        {"depth": -1, "dtype": 5, "allow_out_of_range": False})),
          [ints(0, 5, (2, 3), "int64")]),
        # allow_out_of_range True: Paddle 3.3's CPU kernel still refuses ids
        # past depth, so there is no reference for it (OneHot gives them zero rows);
        # the v1 one_hot operator is no longer registered in Paddle 3.3
    ]
    # --- top_k ---------------------------------------------------------------------------------------
    xt = perm_vals(3, 6)
    xt3 = perm_vals(2, 5, 3)
    c += [
        L("index_topk", lambda p, a: p.topk(a, 3), [xt]),
        L("index_topk_axis0", lambda p, a: p.topk(a, 2, axis=0), [xt]),
        L("index_topk_smallest", lambda p, a: p.topk(a, 2, axis=1, largest=False), [xt3]),
        L("index_topk_k_tensor", lambda p, a: p.topk(a, p.full([1], 4, "int32")), [xt]),
        L("index_topk_k_input", lambda p, a, k: p.topk(a, k, axis=1), [xt3, np.array([3], "int64")]),
        L("index_topk_int64", lambda p, a: p.topk(a, 2, axis=0, largest=False),
          [r.permutation(20).reshape(4, 5).astype("int64")]),
        L("index_topk_unsorted",
          lambda p, a: p.sort(p.topk(a, 3, sorted=False)[0]), [xt]),
        L("index_top_k_v1",
          lambda p, a: raw(p, "top_k", {"X": [a]}, {"k": 2}, outs=("Out", "Indices"),
                           dtypes=("float32", "int64")),
          [xt], kind="static", formats=("legacy",)),
    ]
    # --- argsort / sort ---------------------------------------------------------------------------------
    c += [
        L("index_argsort", lambda p, a: p.argsort(a), [xt]),
        L("index_argsort_desc_axis0", lambda p, a: p.argsort(a, axis=0, descending=True), [xt3]),
        L("index_argsort_stable", lambda p, a: p.argsort(a, axis=1, stable=True),
          [np.array([[1, 3, 1, 2, 3, 0], [2, 2, 2, 1, 0, 1]], "float32")]),
        L("index_sort", lambda p, a: p.sort(a, axis=1), [xt3]),
        L("index_sort_desc", lambda p, a: p.sort(a, descending=True), [xt]),
        L("index_argsort_int32", lambda p, a: p.argsort(a, descending=True),
          [r.permutation(12).reshape(2, 6).astype("int32")]),
        L("index_argsort_dyn", lambda p, a: p.argsort(a, axis=1), [xt3], spec=[[-1, 5, 3]]),
        L("index_argsort_both",
          lambda p, a: raw(p, "argsort", {"X": [a]}, {"axis": -1, "descending": False},
                           outs=("Out", "Indices"), dtypes=("float32", "int64")),
          [xt], kind="static", formats=("legacy",)),
    ]
    # --- unique -----------------------------------------------------------------------------------------------
    xu = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], "float32")
    xu2 = np.array([[2, 1], [0, 3], [2, 1], [0, 3], [1, 1]], "int64")
    c += [
        L("index_unique", lambda p, a: p.unique(a), [xu]),
        L("index_unique_all",
          lambda p, a: p.unique(a, return_index=True, return_inverse=True, return_counts=True),
          [xu]),
        L("index_unique_2d_flat",
          lambda p, a: p.unique(a, return_inverse=True, return_counts=True), [ints(0, 5, (3, 4), "int64").astype("float32")]),
        L("index_unique_axis0",
          lambda p, a: p.unique(a, return_index=True, return_inverse=True, return_counts=True,
                                axis=0), [xu2]),
        L("index_unique_axis1",
          lambda p, a: p.unique(a, return_inverse=True, return_counts=True, axis=1), [xu2.T.copy()]),
        L("index_unique_int64_index",
          lambda p, a: p.unique(a, return_index=True), [np.array([7, 3, 7, 1, 3, 3, 9], "int64")]),
        L("index_unique_neg_axis",
          lambda p, a: p.unique(a, return_counts=True, axis=-1), [xu2.T.copy()]),
        # is_sorted False (the older operator's order of first appearance):
        # no python API makes it any more
        L("index_unique_unsorted",
          lambda p, a: raw(p, "unique", {"X": [a]}, {"dtype": 3, "is_sorted": False},
                           outs=("Out", "Index"), dtypes=("float32", "int64")),
          [xu], kind="static", formats=("legacy",)),
        L("index_unique_i32",
          lambda p, a: p.unique(a, return_inverse=True, dtype="int32"),
          [np.array([4, 2, 4, 7, 2, 0], "int32")]),
    ]
    # --- nonzero / masked_select ---------------------------------------------------------------------------
    c += [
        # masks are fed as inputs: the comparisons that would make them are
        # another family's ops
        L("index_nonzero", lambda p, a: p.nonzero(a), [x234 > 0]),
        L("index_nonzero_float", lambda p, a: p.nonzero(a), [np.array([[0, 1.5, 0], [2, 0, -1]], "float32")]),
        L("index_nonzero_1d_i64", lambda p, a: p.nonzero(a), [np.array([0, 3, 0, 0, 7, 1], "int64")]),
        L("index_nonzero_dyn", lambda p, a: p.nonzero(a), [x234 > 0.3], spec=[[-1, 3, 4]]),
        L("index_nonzero_tuple", lambda p, a: p.nonzero(a, as_tuple=True), [x34 > 0]),
        L("index_masked_select", lambda p, a, m: p.masked_select(a, m), [x234, u(2, 3, 4) > 0.2]),
        L("index_masked_select_bcast",
          lambda p, a, m: p.masked_select(a, m), [x34, np.array([True, False, True, True])]),
        L("index_masked_select_dyn", lambda p, a, m: p.masked_select(a, m), [x234, x234 > 0],
          spec=[[-1, 3, 4], [-1, 3, 4]]),
    ]
    # --- index_put --------------------------------------------------------------------------------------------
    # the python API only builds PIR programs: the legacy form appends the
    # index_put operator itself
    def index_put(p, a, idx, v, acc=False):
        return pick(p, lambda: p.index_put(a, idx, v, accumulate=acc),
                    lambda: raw(p, "index_put", {"x": [a], "indices": list(idx), "value": [v]},
                                {"accumulate": acc}, outs=("out",)))

    c += [
        L("index_index_put", lambda p, a, i, j, v: index_put(p, a, (i, j), v),
          [x34, np.array([0, 2, 1], "int64"), np.array([3, 0, 1], "int64"), u(3)]),
        L("index_index_put_accumulate", lambda p, a, i, j, v: index_put(p, a, (i, j), v, True),
          [x34, np.array([0, 2, 0], "int64"), np.array([3, 0, 3], "int64"), u(3)]),
        L("index_index_put_row", lambda p, a, i, v: index_put(p, a, (i,), v),
          [x34, np.array([2, 0], "int32"), u(1, 4)]),
        L("index_index_put_bcast_value", lambda p, a, i, v: index_put(p, a, (i,), v, True),
          [x234, np.array([1, 1], "int64"), u(4)]),
    ]
    # --- gather_tree ------------------------------------------------------------------------------------------
    c += [
        L("index_gather_tree", lambda p, a, b: F.gather_tree(a, b),
          [ints(0, 9, (4, 2, 3), "int64"), ints(0, 3, (4, 2, 3), "int64")]),
        L("index_gather_tree_i32", lambda p, a, b: F.gather_tree(a, b),
          [ints(0, 9, (5, 1, 4), "int32"), ints(0, 4, (5, 1, 4), "int32")]),
    ]
    return c

