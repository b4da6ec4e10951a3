/* tr_shape.c - reshaping, joining, splitting, slicing, padding, tiling,
 * reversing, broadcasting and the depth/space and space/batch moves.
 * Shape-like inputs (shape, perm, multiples, begin/end) stay IR inputs,
 * constant or computed, converted to i64; only axes that decide the node's
 * structure (a Concat's axis, a Split's count) must be constant. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tf.h"

static enum mo_status tr_reshape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "tensor");
    struct mo_value s = mo_tf_in_i64(b, 1, "shape");
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, s, false));
}

static enum mo_status tr_transpose(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "x");
    struct mo_value p = mo_tf_in_i64(b, 1, "perm");
    return mo_build_done(b, mo_build_op(b, "Transpose", NULL, 2, x, p));
}

static enum mo_status tr_squeeze(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int64_t axes[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "squeeze_dims", axes, MO_MAX_RANK);
    if (n <= 0)
        n = mo_node_get_ints(fw, "axis", axes, MO_MAX_RANK);
    int rank = mo_value_shape(x).rank;
    for (int i = 0; i < n; i++)
        axes[i] = mo_tf_axis(b, axes[i], rank);
    return mo_build_done(b, mo_build_squeeze(b, NULL, x, axes, n > 0 ? n : 0));
}

static enum mo_status tr_expand_dims(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int64_t a;
    if (mo_tf_const_ints(b, 1, &a, 1) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the axis (input 1) must be one constant");
    int rank = mo_value_shape(x).rank;
    a = mo_tf_axis(b, a, rank < 0 ? -1 : rank + 1);
    return mo_build_done(b, mo_build_unsqueeze(b, NULL, x, &a, 1));
}

/* ConcatV2(values..., axis), Concat(axis, values...). */
static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool v1 = !strcmp(fw->type, "Concat");
    unsigned n = fw->n_inputs ? fw->n_inputs - 1 : 0, ai = v1 ? 0 : n;
    int64_t a;
    if (mo_tf_const_ints(b, ai, &a, 1) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the axis must be one constant");
    struct mo_value in[256];
    if (n > MO_COUNT_OF(in))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%u inputs (at most 256)", n);
    for (unsigned i = 0; i < n; i++)
        in[i] = mo_build_in(b, v1 ? i + 1 : i, "values");
    a = mo_tf_axis(b, a, mo_value_shape(in[0]).rank);
    return mo_build_done(b, mo_build_concat(b, NULL, a, n, in));
}

/* Pack: each value gets the new axis, then they are joined along it. */
static enum mo_status tr_pack(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = fw->n_inputs;
    struct mo_value in[256];
    if (n > MO_COUNT_OF(in) || !n)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%u inputs (1 to 256 supported)", n);
    int rank = mo_value_shape(mo_build_in(b, 0, "values")).rank;
    int64_t a = mo_tf_axis(b, mo_node_get_int(fw, "axis", 0, NULL), rank < 0 ? -1 : rank + 1);
    for (unsigned i = 0; i < n; i++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "value%u", i);
        in[i] = mo_build_unsqueeze(b, sfx, mo_build_in(b, i, "values"), &a, 1);
    }
    return mo_build_done(b, mo_build_concat(b, NULL, a, n, in));
}

/* Unpack: Split into num pieces along axis, each squeezed. */
static enum mo_status tr_unpack(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "value");
    int rank = mo_value_shape(x).rank;
    int64_t a = mo_tf_axis(b, mo_node_get_int(fw, "axis", 0, NULL), rank);
    int64_t num = mo_node_get_int(fw, "num", (int64_t)fw->n_outputs, NULL);
    if (num < (int64_t)fw->n_outputs)
        return mo_build_fail(b, "num=%lld but output %u is read", (long long)num, fw->n_outputs - 1);
    struct mo_value ax = mo_build_i64_scalar(b, "axis", a);
    struct mo_value s = mo_build_op(b, "Split", "split", 2, x, ax);
    mo_build_set_int(b, s, "num_splits", num);
    for (unsigned o = 0; o < fw->n_outputs; o++) {
        char sfx[32];
        snprintf(sfx, sizeof sfx, "out%u", o);
        struct mo_value p = s.node ? mo_val(s.node, o) : MO_NO_VALUE;
        mo_build_output(b, o, mo_build_squeeze(b, o ? sfx : NULL, p, &a, 1));
    }
    return mo_build_status(b);
}

/* Split(axis, value) num_split; SplitV(value, size_splits, axis). */
static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool v = !strcmp(fw->type, "SplitV");
    struct mo_value x = mo_build_in(b, v ? 0 : 1, "value");
    int64_t a;
    if (mo_tf_const_ints(b, v ? 2 : 0, &a, 1) != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the split axis must be one constant");
    a = mo_tf_axis(b, a, mo_value_shape(x).rank);
    struct mo_value ax = mo_build_i64_scalar(b, "axis", a), s;
    if (v) {
        struct mo_value len = mo_tf_in_i64(b, 1, "size_splits");
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, ax, len);
    } else {
        s = mo_build_op(b, "Split", NULL, 2, x, ax);
        mo_build_set_int(b, s, "num_splits", mo_node_get_int(fw, "num_split", (int64_t)fw->n_outputs, NULL));
    }
    for (unsigned o = 1; o < fw->n_outputs; o++)
        mo_build_output(b, o, s.node ? mo_val(s.node, o) : MO_NO_VALUE);
    return mo_build_done(b, s);
}

/* A TensorFlow bit mask as the IR's list of n 0/1 values. */
static void mask_list(int64_t bits, int n, int64_t *out)
{
    for (int i = 0; i < n; i++)
        out[i] = (bits >> i) & 1;
}

/* StridedSlice: the IR op has the same five masks, as lists. */
static enum mo_status tr_strided_slice(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value be = mo_tf_in_i64(b, 1, "begin"), en = mo_tf_in_i64(b, 2, "end");
    struct mo_value st = mo_tf_in_i64(b, 3, "strides");
    struct mo_shape bs = mo_value_shape(mo_build_in(b, 1, "begin"));
    if (mo_build_ok(b) && (bs.rank != 1 || bs.dims[0] < 0 || bs.dims[0] > 64))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "begin must be a 1-D tensor of static length");
    int n = mo_build_ok(b) ? (int)bs.dims[0] : 0;
    int64_t m[64];
    struct mo_value y = mo_build_op(b, "StridedSlice", NULL, 4, x, be, en, st);
    static const char *const tf_names[] = {"begin_mask", "end_mask", "new_axis_mask", "shrink_axis_mask",
                                           "ellipsis_mask"};
    for (unsigned k = 0; k < MO_COUNT_OF(tf_names); k++) {
        mask_list(mo_node_get_int(fw, tf_names[k], 0, NULL), n, m);
        mo_build_set_ints(b, y, tf_names[k], m, (size_t)n);
    }
    return mo_build_done(b, y);
}

/* Slice(input, begin, size): size -1 runs to the end of the dim. */
static enum mo_status tr_slice(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value be = mo_tf_in_i64(b, 1, "begin"), sz = mo_tf_in_i64(b, 2, "size");
    struct mo_shape bs = mo_value_shape(mo_build_in(b, 1, "begin"));
    if (mo_build_ok(b) && (bs.rank != 1 || bs.dims[0] < 0 || bs.dims[0] > MO_MAX_RANK))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "begin must be a 1-D tensor of static length");
    int n = mo_build_ok(b) ? (int)bs.dims[0] : 0;
    struct mo_value end = mo_build_op(b, "Add", "end_of_size", 2, be, sz);
    struct mo_value neg = mo_build_op(b, "Less", "to_end", 2, sz, mo_build_i64_scalar(b, "zero", 0));
    struct mo_value big = mo_build_i64_scalar(b, "max", INT64_MAX);
    end = mo_build_op(b, "Select", "end", 3, neg, big, end);
    int64_t ones[MO_MAX_RANK], axes[MO_MAX_RANK];
    for (int i = 0; i < n; i++)
        ones[i] = 1, axes[i] = i;
    struct mo_value step = mo_build_i64(b, "step", ones, (size_t)n);
    struct mo_value ax = mo_build_i64(b, "axes", axes, (size_t)n);
    return mo_build_done(b, mo_build_op(b, "Slice", NULL, 5, x, be, end, step, ax));
}

/* Pad, PadV2 (constant_values), MirrorPad (REFLECT, SYMMETRIC): paddings
 * [rank, 2] split into its begin and end columns. */
static enum mo_status tr_pad(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value p = mo_tf_in_i64(b, 1, "paddings");
    struct mo_value c0 = mo_build_i64_scalar(b, "begin_column", 0), c1 = mo_build_i64_scalar(b, "end_column", 1);
    struct mo_value pb = mo_build_gather(b, "pads_begin", p, c0, 1);
    struct mo_value pe = mo_build_gather(b, "pads_end", p, c1, 1);
    const char *mode = "constant";
    if (!strcmp(fw->type, "MirrorPad")) {
        const char *m = mo_node_get_str(fw, "mode", "REFLECT");
        if (!strcmp(m, "REFLECT"))
            mode = "reflect";
        else if (!strcmp(m, "SYMMETRIC"))
            mode = "symmetric";
        else
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "mode '%s' is not REFLECT or SYMMETRIC", m);
    }
    struct mo_value y;
    if (!strcmp(fw->type, "PadV2")) {
        struct mo_value v = mo_build_in(b, 2, "constant_values");
        y = mo_build_op(b, "Pad", NULL, 4, x, pb, pe, v);
    } else {
        y = mo_build_op(b, "Pad", NULL, 3, x, pb, pe);
    }
    return mo_build_done(b, mo_build_set_str(b, y, "pad_mode", mode));
}

static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value m = mo_tf_in_i64(b, 1, "multiples");
    return mo_build_done(b, mo_build_op(b, "Tile", NULL, 2, x, m));
}

/* ReverseV2(tensor, axis): a StridedSlice over every dim, stride -1 on the
 * reversed ones (any number of them). */
static enum mo_status tr_reverse(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "tensor");
    int rank = mo_value_shape(x).rank;
    int64_t ax[MO_MAX_RANK];
    int n = mo_tf_const_ints(b, 1, ax, MO_MAX_RANK);
    if (n < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the axes (input 1) must be constant");
    if (mo_build_ok(b) && rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the input's rank must be known");
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t zero[MO_MAX_RANK] = {0}, step[MO_MAX_RANK], ones[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        step[i] = 1, ones[i] = 1;
    for (int i = 0; i < n; i++)
        step[mo_tf_axis(b, ax[i], rank)] = -1;
    return mo_build_done(b, mo_build_strided_slice(b, NULL, x, zero, zero, step, rank, ones, ones));
}

static enum mo_status tr_broadcast_to(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input"), s = mo_tf_in_i64(b, 1, "shape");
    return mo_build_done(b, mo_build_op(b, "Broadcast", NULL, 2, x, s));
}

/* DepthToSpace, SpaceToDepth: TensorFlow orders the depth as (row in the
 * block, column in the block, channel), the IR's blocks_first. */
static enum mo_status tr_depth_space(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_tf_in_nchw(b, 0, "input", 4);
    struct mo_value y = mo_build_op(b, user, NULL, 1, x);
    mo_build_set_int(b, y, "block_size", mo_node_get_int(fw, "block_size", 2, NULL));
    mo_build_set_str(b, y, "mode", "blocks_first");
    return mo_tf_out_nhwc(b, y, 4);
}

/* SpaceToBatchND(input, block_shape, paddings), BatchToSpaceND(input,
 * block_shape, crops), and the 4-D SpaceToBatch(input, paddings) /
 * BatchToSpace(input, crops) with a block_size attribute: the IR's
 * SpaceToBatch-2 / BatchToSpace-2 take one block and pad per dim of the
 * data, so TensorFlow's M spatial dims after the batch get theirs and the
 * batch and the remaining dims 1 and 0.  Layout-free: the ops move whole
 * dims, NHWC as it comes.  user: the IR op type. */
static enum mo_status tr_space_batch(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool nd = fw->n_inputs >= 3, crops = !strcmp(user, "BatchToSpace");
    struct mo_value x = mo_build_in(b, 0, "input");
    int rank = mo_value_shape(x).rank;
    struct mo_value blk, pads;
    int m;
    if (nd) {
        struct mo_shape bs = mo_value_shape(mo_build_in(b, 1, "block_shape"));
        if (mo_build_ok(b) && (bs.rank != 1 || bs.dims[0] < 1))
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "block_shape must be 1-D of static length");
        m = mo_build_ok(b) ? (int)bs.dims[0] : 0;
        blk = mo_tf_in_i64(b, 1, "block_shape");
        pads = mo_tf_in_i64(b, 2, crops ? "crops" : "paddings");
    } else {
        m = 2;
        int64_t bsz = mo_node_get_int(fw, "block_size", 0, NULL);
        if (bsz < 1)
            return mo_build_fail(b, "block_size=%lld (must be at least 1)", (long long)bsz);
        blk = mo_build_i64(b, "block", (int64_t[]){bsz, bsz}, 2);
        pads = mo_tf_in_i64(b, 1, crops ? "crops" : "paddings");
    }
    if (mo_build_ok(b) && rank < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the input's rank must be known");
    if (mo_build_ok(b) && rank < m + 1)
        return mo_build_fail(b, "%d block dims for a rank-%d input", m, rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t zeros[MO_MAX_RANK] = {0}, ones[MO_MAX_RANK];
    for (int i = 0; i < MO_MAX_RANK; i++)
        ones[i] = 1;
    int rest = rank - 1 - m;
    struct mo_value one = mo_build_i64(b, "batch_block", ones, 1);
    struct mo_value zero = mo_build_i64(b, "batch_pad", zeros, 1);
    struct mo_value b_parts[3] = {one, blk, MO_NO_VALUE};
    struct mo_value c0 = mo_build_i64_scalar(b, "begin_column", 0), c1 = mo_build_i64_scalar(b, "end_column", 1);
    struct mo_value pb_parts[3] = {zero, mo_build_gather(b, "pads_begin_nd", pads, c0, 1), MO_NO_VALUE};
    struct mo_value pe_parts[3] = {zero, mo_build_gather(b, "pads_end_nd", pads, c1, 1), MO_NO_VALUE};
    unsigned np = 2;
    if (rest > 0) {
        b_parts[2] = mo_build_i64(b, "rest_block", ones, (size_t)rest);
        pb_parts[2] = pe_parts[2] = mo_build_i64(b, "rest_pad", zeros, (size_t)rest);
        np = 3;
    }
    struct mo_value bfull = mo_build_concat(b, "block_shape", 0, np, b_parts);
    struct mo_value pbf = mo_build_concat(b, "pads_begin", 0, np, pb_parts);
    struct mo_value pef = mo_build_concat(b, "pads_end", 0, np, pe_parts);
    return mo_build_done(b, mo_build_op(b, user, NULL, 4, x, bfull, pbf, pef));
}

/* Roll(input, shift, axis): the IR's Roll, the same inputs. */
static enum mo_status tr_roll(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value sh = mo_tf_in_i64(b, 1, "shift"), ax = mo_tf_in_i64(b, 2, "axis");
    return mo_build_done(b, mo_build_op(b, "Roll", NULL, 3, x, sh, ax));
}

/* ReverseSequence(input, seq_lengths) seq_dim, batch_dim: the IR's. */
static enum mo_status tr_reverse_sequence(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input"), l = mo_build_in(b, 1, "seq_lengths");
    int rank = mo_value_shape(x).rank;
    struct mo_value y = mo_build_op(b, "ReverseSequence", NULL, 2, x, l);
    mo_build_set_int(b, y, "seq_axis", mo_tf_axis(b, mo_node_get_int(fw, "seq_dim", 1, NULL), rank));
    return mo_build_done(b, mo_build_set_int(b, y, "batch_axis", mo_tf_axis(b, mo_node_get_int(fw, "batch_dim", 0, NULL), rank)));
}

MO_TF_TABLE(mo_tf_tr_shape,
            {"Reshape", tr_reshape, NULL},
            {"Transpose", tr_transpose, NULL},
            {"Squeeze", tr_squeeze, NULL},
            {"ExpandDims", tr_expand_dims, NULL},
            {"ConcatV2", tr_concat, NULL},
            {"Concat", tr_concat, NULL},
            {"Pack", tr_pack, NULL},
            {"Unpack", tr_unpack, NULL},
            {"Split", tr_split, NULL},
            {"SplitV", tr_split, NULL},
            {"StridedSlice", tr_strided_slice, NULL},
            {"Slice", tr_slice, NULL},
            {"Pad", tr_pad, NULL},
            {"PadV2", tr_pad, NULL},
            {"MirrorPad", tr_pad, NULL},
            {"Tile", tr_tile, NULL},
            {"ReverseV2", tr_reverse, NULL},
            {"BroadcastTo", tr_broadcast_to, NULL},
            {"DepthToSpace", tr_depth_space, "DepthToSpace"},
            {"SpaceToDepth", tr_depth_space, "SpaceToDepth"},
            {"SpaceToBatchND", tr_space_batch, "SpaceToBatch"},
            {"BatchToSpaceND", tr_space_batch, "BatchToSpace"},
            {"SpaceToBatch", tr_space_batch, "SpaceToBatch"},
            {"BatchToSpace", tr_space_batch, "BatchToSpace"},
            {"Roll", tr_roll, NULL},
            {"ReverseSequence", tr_reverse_sequence, NULL},)
