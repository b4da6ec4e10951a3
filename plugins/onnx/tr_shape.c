/* tr_shape.c - Reshape, Shape, Size, Flatten, Squeeze, Unsqueeze,
 * Transpose, Concat, Split, Slice, Pad, Expand, Tile, DepthToSpace,
 * SpaceToDepth.
 *
 * Inputs that later opsets turned from attributes into tensors (axes,
 * splits, starts, pads, repeats) may be computed in the graph: they are
 * then wired into the IR op as values, so a model whose shapes are only
 * known at run time still converts. */
#include <config.h>

#include <string.h>

#include "onnx.h"

/* Reshape: the shape as an attribute (opset 1-4) or an input (5+); 0
 * copies the input dim unless allowzero (14+) says it is a real 0. */
static enum mo_status tr_reshape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    bool allowzero = mo_node_get_int(fw, "allowzero", 0, NULL) != 0;
    if (user) {
        int64_t d[MO_MAX_RANK];
        int n = mo_node_get_ints(fw, "shape", d, MO_MAX_RANK);
        if (n < 0)
            return mo_build_fail(b, "the shape attribute is missing");
        return mo_build_done(b, mo_build_reshape(b, NULL, x, d, n, true));
    }
    struct mo_value s = mo_ox_in_i64(b, 1, "shape");
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, s, !allowzero));
}

/* Flatten at axis: [prod(dims before), prod(dims from)]. */
static enum mo_status tr_flatten(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_shape s = mo_value_shape(x);
    int64_t axis = mo_node_get_int(fw, "axis", 1, NULL);
    if (axis < 0)
        axis += s.rank;
    if (mo_build_ok(b) && (s.rank < 0 || axis < 0 || axis > s.rank))
        return mo_build_fail(b, "axis %lld does not fit an input of rank %d", (long long)axis, s.rank);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    int64_t lead = 1, rest = 1;
    bool lead_static = true, rest_static = true;
    for (int i = 0; i < s.rank; i++) {
        bool st = s.dims[i] >= 0;
        if (i < axis) {
            lead_static &= st;
            lead *= st ? s.dims[i] : 1;
        } else {
            rest_static &= st;
            rest *= st ? s.dims[i] : 1;
        }
    }
    if (lead_static || rest_static) {
        int64_t d[2] = {lead_static ? lead : -1, rest_static ? rest : -1};
        if (axis == 1 && !lead_static)
            d[0] = 0;      /* keeps a dynamic batch as it is */
        return mo_build_done(b, mo_build_reshape(b, NULL, x, d, 2, axis == 1 && !lead_static));
    }
    struct mo_value shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value head = mo_build_slice(b, "head", shape, (int64_t[]){0}, (int64_t[]){axis}, (int64_t[]){1},
                                          (int64_t[]){0}, 1);
    struct mo_value zero = mo_build_i64(b, "axis0", (int64_t[]){0}, 1);
    struct mo_value n = mo_build_op(b, "ReduceProd", "lead", 2, head, zero);
    mo_build_set_bool(b, n, "keep_dims", true);
    struct mo_value m1 = mo_build_i64(b, "rest", (int64_t[]){-1}, 1);
    struct mo_value target = mo_build_concat(b, "target", 0, 2, (struct mo_value[]){n, m1});
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, target, false));
}

/* hits[p][j]: whether computed axis j names position p of a rank-n shape
 * (a boolean [n, k]; axes normalized with FloorMod, so -1 is n-1). */
static struct mo_value axes_hits(struct mo_build *b, struct mo_value axes, int n)
{
    int64_t pos[MO_MAX_RANK];
    for (int i = 0; i < n; i++)
        pos[i] = i;
    struct mo_value rank = mo_build_i64_scalar(b, "rank", n);
    struct mo_value an = mo_build_op(b, "FloorMod", "axes_norm", 2, axes, rank);
    struct mo_value row = mo_build_unsqueeze(b, "axes_row", an, (int64_t[]){0}, 1);
    struct mo_value col = mo_build_i64(b, "positions", pos, (size_t)n);
    col = mo_build_unsqueeze(b, "positions_col", col, (int64_t[]){1}, 1);
    return mo_build_op(b, "Equal", "hits", 2, col, row);
}

/* Which positions of a rank-n shape the computed axes name: boolean [n]. */
static struct mo_value axes_mark(struct mo_build *b, struct mo_value axes, int n)
{
    struct mo_value eq = axes_hits(b, axes, n);
    struct mo_value one = mo_build_i64(b, "axis1", (int64_t[]){1}, 1);
    return mo_build_op(b, "ReduceLogicalOr", "marked", 2, eq, one);
}

/* Squeeze or Unsqueeze by axes computed in the graph.  The IR graph must
 * know every rank, and the IR ops' inference cannot give one without
 * constant axes, so when the axes count is static (and the input rank
 * known) the op becomes a Reshape to a target computed at run time:
 * Unsqueeze puts 1 at the marked output positions and the input dims, in
 * order (their index is a running count of unmarked positions), at the
 * others; Squeeze keeps the dims at the unmarked positions, found as the
 * r - k smallest of (position, or position + r when marked). */
static struct mo_value squeeze_computed(struct mo_build *b, struct mo_value x, struct mo_value axes, bool un)
{
    int r = mo_value_shape(x).rank;
    struct mo_shape as = mo_value_shape(axes);
    if (!mo_build_ok(b))
        return MO_NO_VALUE;
    if (r < 0 || as.rank != 1 || as.dims[0] < 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%s by computed axes needs an input of known rank and "
                       "axes of static length", un ? "Unsqueeze" : "Squeeze");
        return MO_NO_VALUE;
    }
    int k = (int)as.dims[0], n = un ? r + k : r, keep = r - k;
    if (n > MO_MAX_RANK || keep < 0) {
        mo_build_fail(b, "%d axes do not fit an input of rank %d", k, r);
        return MO_NO_VALUE;
    }
    struct mo_value target;
    if (un && r == 0) {
        int64_t ones[MO_MAX_RANK];
        for (int i = 0; i < n; i++)
            ones[i] = 1;
        target = mo_build_i64(b, "target", ones, (size_t)n);
    } else if (!un && keep == 0) {
        target = mo_build_i64(b, "target", NULL, 0);
    } else {
        struct mo_value mark = axes_mark(b, axes, n);
        struct mo_value shape = mo_build_shape_of(b, "shape", x, MO_ET_I64);
        struct mo_value idx;
        if (un) {
            struct mo_value free_ = mo_build_op(b, "LogicalNot", "unmarked", 1, mark);
            struct mo_value cnt = mo_build_convert(b, "unmarked_i64", free_, MO_ET_I64);
            struct mo_value a0 = mo_build_i64_scalar(b, "axis0", 0);
            struct mo_value run = mo_build_op(b, "CumSum", "running", 2, cnt, a0);
            struct mo_value one = mo_build_i64_scalar(b, "one", 1);
            idx = mo_build_op(b, "Subtract", "source", 2, run, one);
        } else {
            int64_t pos[MO_MAX_RANK], off[MO_MAX_RANK];
            for (int i = 0; i < r; i++)
                pos[i] = i, off[i] = i + r;
            struct mo_value pv = mo_build_i64(b, "keep_key", pos, (size_t)r);
            struct mo_value ov = mo_build_i64(b, "drop_key", off, (size_t)r);
            struct mo_value key = mo_build_op(b, "Select", "key", 3, mark, ov, pv);
            struct mo_value kk = mo_build_i64_scalar(b, "kept", keep);
            struct mo_value tk = mo_build_op(b, "TopK", "smallest", 2, key, kk);
            mo_build_set_int(b, tk, "axis", 0);
            mo_build_set_str(b, tk, "mode", "min");
            mo_build_set_str(b, tk, "sort", "value");
            mo_build_set_str(b, tk, "index_element_type", "i64");
            idx = mo_val(tk.node, 1);
        }
        struct mo_value dims = mo_build_gather(b, "dims", shape, idx, 0);
        if (un) {
            struct mo_value one = mo_build_i64_scalar(b, "unit", 1);
            target = mo_build_op(b, "Select", "target", 3, mark, one, dims);
        } else {
            target = dims;
        }
    }
    return mo_build_reshape_to(b, NULL, x, target, false);
}

/* Squeeze and Unsqueeze: axes an attribute before opset 13, an input from
 * 13 (user "input"); Squeeze without axes drops every dim of size 1.  The
 * IR ops count negative axes the way ONNX does (Unsqueeze's against the
 * output rank). */
static enum mo_status tr_squeeze(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    bool un = !strcmp(fw->type, "Unsqueeze");
    struct mo_value x = mo_build_in(b, 0, "data");
    int64_t a[MO_MAX_RANK];
    int n;
    if (user) {
        n = mo_ox_const_ints(b, 1, a, MO_MAX_RANK);
        if (n == -2)
            return mo_build_done(b, squeeze_computed(b, x, mo_ox_in_i64(b, 1, "axes"), un));
    } else {
        n = mo_node_get_ints(fw, "axes", a, MO_MAX_RANK);
    }
    if (un && n < 0)
        return mo_build_fail(b, "the axes are missing");
    if (un)
        return mo_build_done(b, mo_build_unsqueeze(b, NULL, x, a, n));
    return mo_build_done(b, mo_build_squeeze(b, NULL, x, a, n < 0 ? 0 : n));
}

static enum mo_status tr_transpose(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int r = mo_value_shape(x).rank;
    int64_t p[MO_MAX_RANK];
    int n = mo_node_get_ints(fw, "perm", p, MO_MAX_RANK);
    if (n < 0) {
        if (r < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Transpose without perm needs a known rank");
        for (int i = 0; i < r; i++)
            p[i] = r - 1 - i;
        n = r;
    }
    return mo_build_done(b, mo_build_transpose(b, NULL, x, p, n));
}

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    unsigned n = fw->n_inputs;
    struct mo_value *in = mo_graph_alloc(mo_build_graph(b), (n ? n : 1) * sizeof *in);
    if (!in && mo_build_ok(b))
        return mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    unsigned k = 0;
    for (unsigned i = 0; i < n && in; i++)
        if (fw->inputs[i].node)
            in[k++] = mo_build_in(b, i, NULL);
    if (!k)
        return mo_build_fail(b, "Concat has no inputs");
    int r = mo_value_shape(in[0]).rank;
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 1, NULL), r, "axis");
    return mo_build_done(b, mo_build_concat(b, NULL, axis, k, in));
}

/* Shape, with start/end (15+) slicing the result. */
static enum mo_status tr_shape(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int r = mo_value_shape(x).rank;
    bool sliced = mo_node_attr(fw, "start") || mo_node_attr(fw, "end");
    struct mo_value s = mo_build_shape_of(b, sliced ? "full" : NULL, x, MO_ET_I64);
    if (!sliced)
        return mo_build_done(b, s);
    int64_t st = mo_node_get_int(fw, "start", 0, NULL), en = mo_node_get_int(fw, "end", INT64_MAX, NULL);
    if (r >= 0) {   /* clamp as ONNX does: out-of-range bounds are not errors */
        st = st < 0 ? (st + r < 0 ? 0 : st + r) : (st > r ? r : st);
        en = en < 0 ? (en + r < 0 ? 0 : en + r) : (en > r ? r : en);
    }
    return mo_build_done(b, mo_build_slice(b, NULL, s, &st, &en, (int64_t[]){1}, (int64_t[]){0}, 1));
}

/* Size: the element count as a 0-D i64. */
static enum mo_status tr_size(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    struct mo_value s = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value zero = mo_build_i64(b, "axis0", (int64_t[]){0}, 1);
    struct mo_value n = mo_build_op(b, "ReduceProd", NULL, 2, s, zero);
    return mo_build_done(b, mo_build_set_bool(b, n, "keep_dims", false));
}

/* Split into the node's outputs along axis.  The lengths come from the
 * split attribute (opset 1-12), or input 1 (opset 1 and 13+, possibly
 * computed: VariadicSplit takes them at run time); without them the dim is
 * cut into equal parts, one per output, or (18) num_outputs parts of
 * ceil(dim / n) with a shorter last one. */
static enum mo_status tr_split(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_shape xs = mo_value_shape(x);
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 0, NULL), xs.rank, "axis");
    unsigned nout = fw->n_outputs;
    int64_t lens[256];
    int nl = mo_node_get_ints(fw, "split", lens, 256);
    struct mo_value lv = MO_NO_VALUE;
    if (nl < 0 && mo_ox_has_in(b, 1)) {
        nl = mo_ox_const_ints(b, 1, lens, 256);
        if (nl == -2)
            lv = mo_ox_in_i64(b, 1, "split");
    }
    if (nl > 256)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "%d splits are more than mo supports (256)", nl);
    if (nl >= 0 && (unsigned)nl != nout)
        return mo_build_fail(b, "split has %d lengths for %u outputs", nl, nout);
    int64_t parts = mo_node_get_int(fw, "num_outputs", (int64_t)nout, NULL);
    if (parts != (int64_t)nout)
        return mo_build_fail(b, "num_outputs is %lld but the node has %u outputs", (long long)parts, nout);
    if (!mo_build_ok(b) || !nout)
        return mo_build_ok(b) ? mo_build_fail(b, "Split has no outputs") : mo_build_status(b);
    struct mo_value ax = mo_build_i64_scalar(b, "axis", axis);
    int64_t d = xs.rank > 0 ? xs.dims[axis] : MO_DYN;
    bool uneven_ok = mo_node_attr(fw, "num_outputs") != NULL;
    struct mo_value s;
    if (nl >= 0 || lv.node) {
        if (!lv.node)
            lv = mo_build_i64(b, "split_lengths", lens, (size_t)nl);
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, ax, lv);
    } else if (d >= 0 && d % (int64_t)nout && uneven_ok) {
        int64_t c = (d + (int64_t)nout - 1) / (int64_t)nout;
        for (unsigned k = 0; k < nout; k++)
            lens[k] = k + 1 < nout ? c : d - c * (int64_t)(nout - 1);
        lv = mo_build_i64(b, "split_lengths", lens, nout);
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, ax, lv);
    } else if (d < 0 && uneven_ok && nout > 1) {
        /* ceil(dim / n) for every part but the last, which takes the rest */
        struct mo_value dim = mo_build_dims(b, "dim", x, &axis, 1);
        struct mo_value nm1 = mo_build_i64(b, "n_minus_1", (int64_t[]){(int64_t)nout - 1}, 1);
        struct mo_value up = mo_build_op(b, "Add", "dim_up", 2, dim, nm1);
        struct mo_value nn = mo_build_i64(b, "n", (int64_t[]){(int64_t)nout}, 1);
        struct mo_value c = mo_build_op(b, "Divide", "chunk", 2, up, nn);
        struct mo_value heads = mo_build_op(b, "Broadcast", "heads", 2, c, nm1);
        struct mo_value rest = mo_build_i64(b, "last", (int64_t[]){-1}, 1);
        lv = mo_build_concat(b, "split_lengths", 0, 2, (struct mo_value[]){heads, rest});
        s = mo_build_op(b, "VariadicSplit", NULL, 3, x, ax, lv);
    } else {
        s = mo_build_op(b, "Split", NULL, 2, x, ax);
        mo_build_set_int(b, s, "num_splits", (int64_t)nout);
    }
    for (unsigned k = 1; k < nout; k++)
        mo_build_output(b, k, mo_val(s.node, k));
    return mo_build_done(b, s);
}

/* Slice.  Opset 1: starts/ends/axes attributes; 10+: inputs starts, ends,
 * axes, steps (the last two optional, any of them computed).  The IR's
 * Slice-8 follows ONNX's clamping rules, including INT64_MAX/INT64_MIN
 * bounds and negative steps, so the values pass through. */
static enum mo_status tr_slice(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    if (user) {
        int64_t st[MO_MAX_RANK], en[MO_MAX_RANK], ax[MO_MAX_RANK], one[MO_MAX_RANK];
        int ns = mo_node_get_ints(fw, "starts", st, MO_MAX_RANK);
        int ne = mo_node_get_ints(fw, "ends", en, MO_MAX_RANK);
        int na = mo_node_get_ints(fw, "axes", ax, MO_MAX_RANK);
        if (ns < 0 || ne != ns || (na >= 0 && na != ns))
            return mo_build_fail(b, "starts, ends (and axes) must be given with the same length");
        for (int i = 0; i < ns; i++) {
            one[i] = 1;
            if (na < 0)
                ax[i] = i;
        }
        return mo_build_done(b, mo_build_slice(b, NULL, x, st, en, one, ax, ns));
    }
    struct mo_value st = mo_ox_in_i64(b, 1, "starts");
    struct mo_value en = mo_ox_in_i64(b, 2, "ends");
    struct mo_value ax = mo_ox_has_in(b, 3) ? mo_ox_in_i64(b, 3, "axes") : MO_NO_VALUE;
    struct mo_value sp;
    if (mo_ox_has_in(b, 4)) {
        sp = mo_ox_in_i64(b, 4, "steps");
    } else {
        struct mo_shape ss = mo_value_shape(st);
        if (ss.rank == 1 && ss.dims[0] >= 0 && ss.dims[0] <= MO_MAX_RANK) {
            int64_t one[MO_MAX_RANK];
            for (int i = 0; i < ss.dims[0]; i++)
                one[i] = 1;
            sp = mo_build_i64(b, "steps", one, (size_t)ss.dims[0]);
        } else {
            struct mo_value n = mo_build_shape_of(b, "count", st, MO_ET_I64);
            struct mo_value one = mo_build_i64_scalar(b, "one", 1);
            sp = mo_build_op(b, "Broadcast", "steps", 2, one, n);
        }
    }
    if (ax.node)
        return mo_build_done(b, mo_build_op(b, "Slice", NULL, 5, x, st, en, sp, ax));
    return mo_build_done(b, mo_build_op(b, "Slice", NULL, 4, x, st, en, sp));
}

/* Pad: pads (begins of every padded axis, then ends) and the constant an
 * attribute before opset 11 (opset 1 spells pads "paddings"), inputs from
 * 11 (possibly computed); 18 adds axes, which pads then cover.  The IR's
 * Pad-12 wants full-rank begins and ends: they are gathered from
 * [0, pads...], index 0 standing for an axis that is not padded. */
static enum mo_status tr_pad(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "data");
    int r = mo_value_shape(x).rank;
    enum mo_etype et = mo_value_et(x);
    const char *mode = mo_node_get_str(fw, "mode", "constant");
    if (strcmp(mode, "constant") && strcmp(mode, "reflect") && strcmp(mode, "edge"))
        return mo_build_fail(b, "mode '%s' is not constant, reflect or edge", mode);
    struct mo_value pads, value = MO_NO_VALUE;
    int64_t ax[MO_MAX_RANK];
    int na = -1;
    if (user) {
        int64_t p[2 * MO_MAX_RANK];
        const char *name = mo_node_attr(fw, "pads") ? "pads" : "paddings";
        int np = mo_node_get_ints(fw, name, p, 2 * MO_MAX_RANK);
        if (np < 0)
            return mo_build_fail(b, "the pads attribute is missing");
        pads = mo_build_i64(b, "pads", p, (size_t)np);
        if (!strcmp(mode, "constant"))
            value = mo_build_scalar(b, "value", et, mo_node_get_float(fw, "value", 0.0, NULL));
    } else {
        pads = mo_ox_in_i64(b, 1, "pads");
        if (!strcmp(mode, "constant"))
            value = mo_ox_has_in(b, 2) ? mo_ox_scalar_of(b, "value", mo_build_in(b, 2, "constant_value"))
                                       : mo_build_scalar(b, "value", et, 0.0);
        na = mo_ox_const_ints(b, 3, ax, MO_MAX_RANK);
        if (na == -2 && r < 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Pad with computed axes needs an input of "
                                  "known rank");
        if (na == -2) {
            /* begin of axis p: the sum over j of pads[j] where axes[j] names p */
            struct mo_value hits = axes_hits(b, mo_ox_in_i64(b, 3, "axes"), r);
            struct mo_value h = mo_build_convert(b, "hits_i64", hits, MO_ET_I64);
            struct mo_value a0 = mo_build_i64_scalar(b, "axis0", 0);
            struct mo_value sp = mo_build_op(b, "Split", "halves", 2, pads, a0);
            mo_build_set_int(b, sp, "num_splits", 2);
            struct mo_value a1 = mo_build_i64(b, "axis1", (int64_t[]){1}, 1);
            struct mo_value side[2];
            for (unsigned k = 0; k < 2; k++) {
                const char *nm = k ? "pads_end" : "pads_begin";
                struct mo_value row = mo_build_unsqueeze(b, mo_graph_printf(mo_build_graph(b), "%s_row", nm),
                                                         mo_val(sp.node, k), (int64_t[]){0}, 1);
                struct mo_value m = mo_build_op(b, "Multiply", mo_graph_printf(mo_build_graph(b), "%s_hits", nm),
                                                2, h, row);
                side[k] = mo_build_op(b, "ReduceSum", nm, 2, m, a1);
            }
            struct mo_value y = value.node ? mo_build_op(b, "Pad", NULL, 4, x, side[0], side[1], value)
                                           : mo_build_op(b, "Pad", NULL, 3, x, side[0], side[1]);
            return mo_build_done(b, mo_build_set_str(b, y, "pad_mode", mode));
        }
    }
    if (r < 0 && na < 0) {
        /* rank unknown: pads is [begins, ends] of every axis */
        struct mo_value a0 = mo_build_i64_scalar(b, "axis0", 0);
        struct mo_value sp = mo_build_op(b, "Split", "halves", 2, pads, a0);
        mo_build_set_int(b, sp, "num_splits", 2);
        struct mo_value y = value.node ? mo_build_op(b, "Pad", NULL, 4, x, sp, mo_val(sp.node, 1), value)
                                       : mo_build_op(b, "Pad", NULL, 3, x, sp, mo_val(sp.node, 1));
        return mo_build_done(b, mo_build_set_str(b, y, "pad_mode", mode));
    }
    if (r < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Pad with axes needs an input of known rank");
    if (na < 0)
        for (na = 0; na < r; na++)
            ax[na] = na;
    int64_t ib[MO_MAX_RANK] = {0}, ie[MO_MAX_RANK] = {0};
    for (int j = 0; j < na; j++) {
        int64_t a = mo_ox_axis(b, ax[j], r, "axis");
        ib[a] = 1 + j;
        ie[a] = 1 + na + j;
    }
    struct mo_value z = mo_build_i64(b, "zero", (int64_t[]){0}, 1);
    struct mo_value p0 = mo_build_concat(b, "pads0", 0, 2, (struct mo_value[]){z, pads});
    struct mo_value bi = mo_build_i64(b, "begin_index", ib, (size_t)r);
    struct mo_value pb = mo_build_gather(b, "pads_begin", p0, bi, 0);
    struct mo_value ei = mo_build_i64(b, "end_index", ie, (size_t)r);
    struct mo_value pe = mo_build_gather(b, "pads_end", p0, ei, 0);
    struct mo_value y = value.node ? mo_build_op(b, "Pad", NULL, 4, x, pb, pe, value)
                                   : mo_build_op(b, "Pad", NULL, 3, x, pb, pe);
    return mo_build_done(b, mo_build_set_str(b, y, "pad_mode", mode));
}

/* Expand: numpy broadcasting both ways (a dim of 1 in the shape keeps the
 * input's). */
static enum mo_status tr_expand(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value s = mo_ox_in_i64(b, 1, "shape");
    struct mo_value y = mo_build_op(b, "Broadcast", NULL, 2, x, s);
    return mo_build_done(b, mo_build_set_str(b, y, "mode", "bidirectional"));
}

/* Tile by repeats computed in the graph: x as [1, d0, 1, d1, ...]
 * broadcast to [r0, d0, r1, d1, ...], then reshaped to [r0*d0, r1*d1, ...].
 * The CPU runtime's Tile gives wrong values for some repeats only known at
 * run time (more than two axes repeated, OpenVINO 2026.4), so this form is
 * emitted instead; with constant repeats Tile itself is. */
static struct mo_value tile_computed(struct mo_build *b, struct mo_value x, struct mo_value rep)
{
    int r = mo_value_shape(x).rank;
    struct mo_shape rs = mo_value_shape(rep);
    if (!mo_build_ok(b) || r < 1 || 2 * r > MO_MAX_RANK || rs.rank != 1 || rs.dims[0] != r)
        return mo_build_op(b, "Tile", NULL, 2, x, rep);
    int64_t even[MO_MAX_RANK];
    for (int i = 0; i < r; i++)
        even[i] = 2 * i;
    struct mo_value xu = mo_build_unsqueeze(b, "spread", x, even, r);
    struct mo_value sh = mo_build_shape_of(b, "shape", x, MO_ET_I64);
    struct mo_value rc = mo_build_unsqueeze(b, "repeats_col", rep, (int64_t[]){1}, 1);
    struct mo_value dc = mo_build_unsqueeze(b, "dims_col", sh, (int64_t[]){1}, 1);
    struct mo_value pairs = mo_build_concat(b, "pairs", 1, 2, (struct mo_value[]){rc, dc});
    struct mo_value tgt = mo_build_reshape(b, "spread_target", pairs, (int64_t[]){-1}, 1, false);
    struct mo_value bc = mo_build_op(b, "Broadcast", "tiled", 2, xu, tgt);
    struct mo_value out = mo_build_op(b, "Multiply", "target", 2, rep, sh);
    return mo_build_reshape_to(b, NULL, bc, out, false);
}

/* Tile: repeats per axis (6+); opset 1 repeats one axis `tiles` times
 * (inputs tiles and axis, 0-D). */
static enum mo_status tr_tile(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    int64_t known[MO_MAX_RANK];
    bool fixed = mo_ox_const_ints(b, 1, known, MO_MAX_RANK) >= 0;
    if (!user) {
        struct mo_value rep = mo_ox_in_i64(b, 1, "repeats");
        return mo_build_done(b, fixed ? mo_build_op(b, "Tile", NULL, 2, x, rep) : tile_computed(b, x, rep));
    }
    int r = mo_value_shape(x).rank;
    int64_t a;
    int na = mo_ox_const_ints(b, 2, &a, 1);
    if (na != 1)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Tile-1 needs a constant 1-element axis");
    if (r < 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "Tile-1 needs an input of known rank");
    a = mo_ox_axis(b, a, r, "axis");
    struct mo_value n = mo_ox_in_i64(b, 1, "tiles");
    n = mo_build_reshape(b, "tiles_1d", n, (int64_t[]){1}, 1, false);
    int64_t ones[MO_MAX_RANK];
    for (int i = 0; i < r; i++)
        ones[i] = 1;
    struct mo_value before = mo_build_i64(b, "before", ones, (size_t)a);
    struct mo_value after = mo_build_i64(b, "after", ones, (size_t)(r - a - 1));
    struct mo_value rep = mo_build_concat(b, "repeats", 0, 3, (struct mo_value[]){before, n, after});
    return mo_build_done(b, fixed ? mo_build_op(b, "Tile", NULL, 2, x, rep) : tile_computed(b, x, rep));
}

/* DepthToSpace (mode DCR, the default, or CRD from opset 11) and
 * SpaceToDepth, whose ONNX layout is the IR's blocks_first. */
static enum mo_status tr_depth_space(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    const char *mode = mo_node_get_str(fw, "mode", "DCR");
    if (strcmp(mode, "DCR") && strcmp(mode, "CRD"))
        return mo_build_fail(b, "mode '%s' is not DCR or CRD", mode);
    int64_t bs = mo_node_get_int(fw, "blocksize", 0, NULL);
    if (bs < 1)
        return mo_build_fail(b, "blocksize must be at least 1, got %lld", (long long)bs);
    struct mo_value y = mo_build_op(b, user, NULL, 1, x);
    mo_build_set_int(b, y, "block_size", bs);
    return mo_build_done(b, mo_build_set_str(b, y, "mode", !strcmp(mode, "CRD") ? "depth_first" : "blocks_first"));
}

MO_OX_TABLE(mo_ox_tr_shape,
    {"Reshape", 1, tr_reshape, "attribute"},
    {"Reshape", 5, tr_reshape, NULL},
    {"Flatten", 1, tr_flatten, NULL},
    {"Squeeze", 1, tr_squeeze, NULL},
    {"Squeeze", 13, tr_squeeze, "input"},
    {"Unsqueeze", 1, tr_squeeze, NULL},
    {"Unsqueeze", 13, tr_squeeze, "input"},
    {"Transpose", 1, tr_transpose, NULL},
    {"Concat", 1, tr_concat, NULL},
    {"Shape", 1, tr_shape, NULL},
    {"Size", 1, tr_size, NULL},
    {"Split", 1, tr_split, NULL},
    {"Slice", 1, tr_slice, "attribute"},
    {"Slice", 10, tr_slice, NULL},
    {"Pad", 1, tr_pad, "attribute"},
    {"Pad", 11, tr_pad, NULL},
    {"Expand", 8, tr_expand, NULL},
    {"Tile", 1, tr_tile, "axis"},
    {"Tile", 6, tr_tile, NULL},
    {"DepthToSpace", 1, tr_depth_space, "DepthToSpace"},
    {"SpaceToDepth", 1, tr_depth_space, "SpaceToDepth"},
)
