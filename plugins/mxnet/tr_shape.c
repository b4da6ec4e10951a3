/* tr_shape.c - MXNet ops that only move data: Reshape, Flatten, transpose,
 * SwapAxis, expand_dims, squeeze, slice*, Crop, Concat, stack, SliceChannel. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "tr_util.h"

#define MAXL (2 * MO_MAX_RANK + 4)

/* Most of these take the inferred input shape and emit a static Reshape:
 * exact, cheap for OpenVINO, and it needs no op beyond Reshape. */
static enum mo_status emit_reshape(struct mo_build *b, struct mo_value x, const int64_t *dims, int rank)
{
    return mo_build_done(b, mo_build_reshape(b, NULL, x, dims, rank, false));
}

/* MXNet's Reshape codes, as matrix_op-inl.h documents them:
 *   >0 the dim itself; 0 copy the input dim; -1 infer from the rest;
 *   -2 copy all remaining input dims; -3 merge two input dims;
 *   -4 split one input dim into the next two values (one may be -1).
 * reverse=True runs the same rules from the right. */
static enum mo_status mx_reshape_target(struct mo_build *b, const struct mo_shape *in, const int64_t *spec,
                                        int ns, bool reverse, struct mo_shape *out)
{
    int64_t src[MO_MAX_RANK], p[MAXL], o[MAXL];
    int r = in->rank;
    for (int i = 0; i < r; i++)
        src[i] = reverse ? in->dims[r - 1 - i] : in->dims[i];
    for (int i = 0; i < ns; i++)
        p[i] = reverse ? spec[ns - 1 - i] : spec[i];
    int no = 0, si = 0, inf = -1;
    for (int i = 0; i < ns; i++) {
        int64_t d = p[i];
        if (no >= MAXL - 2)
            return mo_build_fail(b, "Reshape: target has too many dims");
        if (d > 0) {
            o[no++] = d;
            si++;
        } else if (d == 0) {
            if (si >= r)
                return mo_build_fail(b, "Reshape: code 0 at position %d has no input dim to copy", i);
            o[no++] = src[si++];
        } else if (d == -1) {
            if (inf >= 0)
                return mo_build_fail(b, "Reshape: more than one -1 in the shape");
            inf = no;
            o[no++] = 1;
            si++;
        } else if (d == -2) {
            while (si < r && no < MAXL)
                o[no++] = src[si++];
        } else if (d == -3) {
            if (si + 1 >= r)
                return mo_build_fail(b, "Reshape: code -3 needs two input dims at position %d", i);
            o[no++] = src[si] * src[si + 1];
            si += 2;
        } else if (d == -4) {
            if (i + 2 >= ns || si >= r)
                return mo_build_fail(b, "Reshape: code -4 needs two values after it and an input dim");
            int64_t d1 = p[i + 1], d2 = p[i + 2];
            if (d1 == -1 && d2 > 0)
                d1 = src[si] / d2;
            else if (d2 == -1 && d1 > 0)
                d2 = src[si] / d1;
            if (d1 <= 0 || d2 <= 0 || d1 * d2 != src[si])
                return mo_build_fail(b, "Reshape: code -4 cannot split dim %lld into (%lld, %lld)",
                                     (long long)src[si], (long long)p[i + 1], (long long)p[i + 2]);
            o[no++] = d1;
            o[no++] = d2;
            si++;
            i += 2;
        } else {
            return mo_build_fail(b, "Reshape: invalid code %lld", (long long)d);
        }
    }
    if (no > MO_MAX_RANK)
        return mo_build_fail(b, "Reshape: target rank %d exceeds %d", no, MO_MAX_RANK);
    int64_t total = mo_mx_prod(in, 0, r);
    if (inf >= 0) {
        int64_t known = 1;
        for (int i = 0; i < no; i++)
            if (i != inf)
                known *= o[i];
        if (known == 0 || total % known)
            return mo_build_fail(b, "Reshape: cannot infer -1 for %lld elements", (long long)total);
        o[inf] = total / known;
    }
    int64_t prod = 1;
    for (int i = 0; i < no; i++)
        prod *= o[i];
    if (prod != total)
        return mo_build_fail(b, "Reshape: the input has %lld elements, the target %lld",
                             (long long)total, (long long)prod);
    out->rank = no;
    for (int i = 0; i < no; i++)
        out->dims[i] = reverse ? o[no - 1 - i] : o[i];
    return MO_OK;
}

static enum mo_status tr_reshape(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int64_t spec[MAXL];
    int ns = mo_node_get_ints(fw, "shape", spec, MAXL);
    if (ns < 0)
        /* the pre-1.0 target_shape/keep_highest form is left to extensions */
        return mo_node_attr(fw, "target_shape") ? mo_mx_decline(b)
                                                 : mo_build_fail(b, "Reshape has no shape attribute");
    bool reverse = mo_node_get_bool(fw, "reverse", false, NULL);
    if (reverse)
        for (int i = 0; i < ns; i++)
            if (spec[i] == -4)
                return mo_mx_decline(b);
    struct mo_shape in, out;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    if (mx_reshape_target(b, &in, spec, ns, reverse, &out) != MO_OK)
        return mo_build_status(b);
    return emit_reshape(b, x, out.dims, out.rank);
}

static enum mo_status tr_flatten(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (mo_value_static(x, &in)) {
        if (in.rank < 1)
            return mo_build_fail(b, "Flatten of a scalar");
        int64_t d[2] = {in.dims[0], mo_mx_prod(&in, 1, in.rank)};
        return emit_reshape(b, x, d, 2);
    }
    /* dynamic batch: keep dim 0, merge the rest */
    struct mo_value shape = mo_build_i64(b, "shape", (const int64_t[]){0, -1}, 2);
    return mo_build_done(b, mo_build_reshape_to(b, NULL, x, shape, true));
}

static enum mo_status tr_transpose(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                   struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_mx_decline(b);
    int64_t axes[MO_MAX_RANK], perm[MO_MAX_RANK];
    int na = mo_node_get_ints(fw, "axes", axes, MO_MAX_RANK);
    if (na <= 0) {
        for (int i = 0; i < rank; i++)
            perm[i] = rank - 1 - i;
    } else {
        if (na != rank)
            return mo_build_fail(b, "transpose: %d axes for an input of rank %d", na, rank);
        bool seen[MO_MAX_RANK] = {false};
        for (int i = 0; i < rank; i++) {
            int a;
            if (!mo_mx_axis(b, "axes", axes[i], rank, &a))
                return mo_build_status(b);
            if (seen[a])
                return mo_build_fail(b, "transpose: axis %d repeats", a);
            seen[a] = true;
            perm[i] = a;
        }
    }
    return mo_build_done(b, mo_build_transpose(b, NULL, x, perm, rank));
}

static enum mo_status tr_swapaxis(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                  struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    int rank = mo_value_shape(x).rank;
    if (rank < 0)
        return mo_mx_decline(b);
    int d1, d2;
    if (!mo_mx_axis(b, "dim1", mo_node_get_int(fw, "dim1", 0, NULL), rank, &d1) ||
        !mo_mx_axis(b, "dim2", mo_node_get_int(fw, "dim2", 0, NULL), rank, &d2))
        return mo_build_status(b);
    int64_t perm[MO_MAX_RANK];
    for (int i = 0; i < rank; i++)
        perm[i] = i;
    perm[d1] = d2;
    perm[d2] = d1;
    return mo_build_done(b, mo_build_transpose(b, NULL, x, perm, rank));
}

static enum mo_status tr_expand_dims(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                     struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    bool ok = true;
    int64_t axis = mo_node_get_int(fw, "axis", 0, &ok);
    if (!ok || !mo_node_attr(fw, "axis"))
        return mo_build_fail(b, "expand_dims needs an integer axis");
    struct mo_shape in;
    if (!mo_value_static(x, &in) || in.rank >= MO_MAX_RANK)
        return mo_mx_decline(b);
    /* the new axis may sit anywhere in [-(rank+1), rank] */
    int a;
    if (!mo_mx_axis(b, "axis", axis, in.rank + 1, &a))
        return mo_build_status(b);
    int64_t d[MO_MAX_RANK];
    for (int i = 0, k = 0; i <= in.rank; i++)
        d[i] = i == a ? 1 : in.dims[k++];
    return emit_reshape(b, x, d, in.rank + 1);
}

static enum mo_status tr_squeeze(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                 struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    bool drop[MO_MAX_RANK] = {false};
    int64_t axes[MO_MAX_RANK];
    int na = mo_mx_attr_none(fw, "axis") ? -1 : mo_node_get_ints(fw, "axis", axes, MO_MAX_RANK);
    for (int i = 0; na < 0 && i < in.rank; i++)
        drop[i] = in.dims[i] == 1;
    for (int i = 0; i < na; i++) {
        int a;
        if (!mo_mx_axis(b, "axis", axes[i], in.rank, &a))
            return mo_build_status(b);
        if (in.dims[a] != 1)
            return mo_build_fail(b, "squeeze: axis %d has size %lld, not 1", a, (long long)in.dims[a]);
        drop[a] = true;
    }
    int64_t d[MO_MAX_RANK];
    int n = 0;
    for (int i = 0; i < in.rank; i++)
        if (!drop[i])
            d[n++] = in.dims[i];
    /* MXNet never produces a 0-d array here: all ones leave shape (1,) */
    if (n == 0)
        d[n++] = 1;
    return emit_reshape(b, x, d, n);
}

/* --- slicing ------------------------------------------------------------- */

struct slice_spec {
    int64_t b[MO_MAX_RANK], e[MO_MAX_RANK], s[MO_MAX_RANK];
    bool to_front[MO_MAX_RANK];   /* negative step running through index 0 */
};

/* A full-range spec for every axis of rank. */
static void slice_full(struct slice_spec *sp, const struct mo_shape *in)
{
    for (int i = 0; i < in->rank; i++) {
        sp->b[i] = 0;
        sp->e[i] = in->dims[i];
        sp->s[i] = 1;
        sp->to_front[i] = false;
    }
}

/* One axis of MXNet slice semantics, resolved to concrete indices:
 * None begin/end mean the ends of the axis in the step's direction,
 * negative values count from the end, everything is clamped. */
static void slice_axis_set(struct slice_spec *sp, int ax, int64_t len, bool hb, int64_t b, bool he,
                           int64_t e, int64_t s)
{
    sp->s[ax] = s;
    sp->to_front[ax] = false;
    if (s > 0) {
        b = hb ? (b < 0 ? b + len : b) : 0;
        e = he ? (e < 0 ? e + len : e) : len;
        b = b < 0 ? 0 : b > len ? len : b;
        e = e < 0 ? 0 : e > len ? len : e;
        if (e < b)
            e = b;
    } else {
        b = hb ? (b < 0 ? b + len : b) : len - 1;
        b = b < 0 ? -1 : b > len - 1 ? len - 1 : b;
        if (!he) {
            e = -1;
        } else {
            e = e < 0 ? e + len : e;
            e = e < -1 ? -1 : e > len - 1 ? len - 1 : e;
        }
        if (e > b)
            e = b;
        sp->to_front[ax] = e < 0;
    }
    sp->b[ax] = b;
    sp->e[ax] = e;
}

/* The layer's StridedSlice over every axis of x (an axis running to the
 * front ends through end_mask). */
static enum mo_status emit_slice(struct mo_build *b, struct mo_value x, const struct slice_spec *sp, int rank)
{
    int64_t zero[MO_MAX_RANK] = {0}, em[MO_MAX_RANK], end[MO_MAX_RANK];
    for (int i = 0; i < rank; i++) {
        em[i] = sp->to_front[i] ? 1 : 0;
        end[i] = sp->to_front[i] ? 0 : sp->e[i];
    }
    struct mo_value n = mo_build_strided_slice(b, NULL, x, sp->b, end, sp->s, rank, zero, em);
    mo_build_set_ints(b, n, "new_axis_mask", zero, (size_t)rank);
    mo_build_set_ints(b, n, "shrink_axis_mask", zero, (size_t)rank);
    mo_build_set_ints(b, n, "ellipsis_mask", zero, (size_t)rank);
    return mo_build_done(b, n);
}

static enum mo_status tr_slice(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    int64_t bg[MO_MAX_RANK], e[MO_MAX_RANK], s[MO_MAX_RANK];
    bool hb[MO_MAX_RANK], he[MO_MAX_RANK], hs[MO_MAX_RANK];
    int nb = mo_mx_get_opt_ints(fw, "begin", bg, hb, MO_MAX_RANK);
    int ne = mo_mx_get_opt_ints(fw, "end", e, he, MO_MAX_RANK);
    int nst = mo_node_attr(fw, "step") ? mo_mx_get_opt_ints(fw, "step", s, hs, MO_MAX_RANK) : 0;
    if (nb < 0 || ne < 0 || nst < 0 || nb != ne || (nst && nst != nb))
        return mo_build_fail(b, "slice: begin, end and step must be lists of one length");
    if (nb > in.rank)
        return mo_build_fail(b, "slice: %d axes for an input of rank %d", nb, in.rank);
    struct slice_spec sp;
    slice_full(&sp, &in);
    for (int i = 0; i < nb; i++) {
        int64_t step = i < nst && hs[i] ? s[i] : 1;
        if (step == 0)
            return mo_build_fail(b, "slice: step 0 on axis %d", i);
        slice_axis_set(&sp, i, in.dims[i], hb[i], bg[i], he[i], e[i], step);
    }
    return emit_slice(b, x, &sp, in.rank);
}

static enum mo_status tr_slice_axis(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    int a;
    if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", 0, NULL), in.rank, &a))
        return mo_build_status(b);
    bool ok = true;
    int64_t bg = mo_node_get_int(fw, "begin", 0, &ok);
    bool he = !mo_mx_attr_none(fw, "end");
    int64_t e = he ? mo_node_get_int(fw, "end", 0, &ok) : 0;
    if (!ok)
        return mo_build_fail(b, "slice_axis: begin/end are not integers");
    struct slice_spec sp;
    slice_full(&sp, &in);
    slice_axis_set(&sp, a, in.dims[a], true, bg, he, e, 1);
    return emit_slice(b, x, &sp, in.rank);
}

static enum mo_status tr_slice_like(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                    struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL), like = mo_build_in(b, 1, NULL);
    struct mo_shape in, ls;
    if (!mo_value_static(x, &in) || !mo_value_static(like, &ls))
        return mo_mx_decline(b);
    int64_t axes[MO_MAX_RANK];
    int na = mo_node_get_ints(fw, "axes", axes, MO_MAX_RANK);
    struct slice_spec sp;
    slice_full(&sp, &in);
    if (na <= 0 && ls.rank != in.rank)
        return mo_build_fail(b, "slice_like: ranks %d and %d differ", in.rank, ls.rank);
    for (int i = 0; na <= 0 && i < in.rank; i++)
        sp.e[i] = ls.dims[i] < in.dims[i] ? ls.dims[i] : in.dims[i];
    for (int i = 0; i < na; i++) {
        int a;
        if (!mo_mx_axis(b, "axes", axes[i], in.rank, &a))
            return mo_build_status(b);
        if (a >= ls.rank)
            return mo_build_fail(b, "slice_like: axis %d is beyond the shape input", a);
        sp.e[a] = ls.dims[a] < in.dims[a] ? ls.dims[a] : in.dims[a];
    }
    return emit_slice(b, x, &sp, in.rank);
}

/* Crop works on the H and W of NCHW: either to h_w at offset, centred, or
 * to the H and W of a second input. */
static enum mo_status tr_crop(struct mo_tctx *t, const struct mo_node *fw, void *user,
                              struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    if (in.rank != 4)
        return mo_build_fail(b, "Crop needs a 4-D NCHW input, got rank %d", in.rank);
    int64_t num_args = mo_node_get_int(fw, "num_args", fw->n_inputs, NULL);
    int64_t off[2] = {0, 0}, hw[2] = {0, 0};
    if (mo_node_attr(fw, "offset") && mo_node_get_ints(fw, "offset", off, 2) != 2)
        return mo_build_fail(b, "Crop: offset must be (y, x)");
    if (num_args >= 2 && fw->n_inputs >= 2) {
        struct mo_shape ls;
        if (!mo_value_static(mo_build_in_opt(b, 1), &ls))
            return MO_ERR_DECLINED;
        if (ls.rank < 4)
            return mo_build_fail(b, "Crop: the reference input has rank %d, not 4", ls.rank);
        hw[0] = ls.dims[2];
        hw[1] = ls.dims[3];
    } else if (mo_node_get_ints(fw, "h_w", hw, 2) != 2 || hw[0] <= 0 || hw[1] <= 0) {
        return mo_build_fail(b, "Crop with one input needs h_w=(h, w)");
    }
    if (mo_node_get_bool(fw, "center_crop", false, NULL)) {
        off[0] = (in.dims[2] - hw[0]) / 2;
        off[1] = (in.dims[3] - hw[1]) / 2;
    }
    for (int i = 0; i < 2; i++)
        if (off[i] < 0 || off[i] + hw[i] > in.dims[2 + i])
            return mo_build_fail(b, "Crop: window %lld+%lld exceeds dim %lld", (long long)off[i],
                                 (long long)hw[i], (long long)in.dims[2 + i]);
    struct slice_spec sp;
    slice_full(&sp, &in);
    for (int i = 0; i < 2; i++) {
        sp.b[2 + i] = off[i];
        sp.e[2 + i] = off[i] + hw[i];
    }
    return emit_slice(b, x, &sp, in.rank);
}

/* --- joining and splitting ---------------------------------------------- */

#define MAX_JOINED 256

static enum mo_status tr_concat(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    if (fw->n_inputs == 0)
        return mo_build_fail(b, "Concat without inputs");
    struct mo_value in[MAX_JOINED];
    if (fw->n_inputs > MAX_JOINED)
        return MO_ERR_DECLINED;
    for (unsigned i = 0; i < fw->n_inputs; i++)
        in[i] = mo_build_in(b, i, NULL);
    int rank = mo_value_shape(in[0]).rank, a;
    if (rank < 0)
        return mo_mx_decline(b);
    if (!mo_mx_axis(b, "dim", mo_node_get_int(fw, "dim", 1, NULL), rank, &a))
        return mo_build_status(b);
    return mo_build_done(b, mo_build_concat(b, NULL, a, fw->n_inputs, in));
}

static enum mo_status tr_stack(struct mo_tctx *t, const struct mo_node *fw, void *user,
                               struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value in[MAX_JOINED];
    if (fw->n_inputs == 0)
        return mo_build_fail(b, "stack without inputs");
    if (fw->n_inputs > MAX_JOINED)
        return MO_ERR_DECLINED;
    struct mo_shape s0;
    if (!mo_value_static(mo_build_in_opt(b, 0), &s0) || s0.rank >= MO_MAX_RANK)
        return MO_ERR_DECLINED;
    int a;
    if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", 0, NULL), s0.rank + 1, &a))
        return mo_build_status(b);
    int64_t d[MO_MAX_RANK];
    for (int i = 0, k = 0; i <= s0.rank; i++)
        d[i] = i == a ? 1 : s0.dims[k++];
    for (unsigned i = 0; i < fw->n_inputs; i++) {
        struct mo_value x = mo_build_in(b, i, NULL);
        struct mo_shape si;
        if (!mo_value_static(x, &si))
            return mo_mx_decline(b);
        if (!mo_shape_equal(&si, &s0))
            return mo_build_fail(b, "stack: input %u has another shape than input 0", i);
        char sfx[32];
        snprintf(sfx, sizeof sfx, "unsqueeze%u", i);
        in[i] = mo_build_reshape(b, sfx, x, d, s0.rank + 1, false);
    }
    return mo_build_done(b, mo_build_concat(b, NULL, a, fw->n_inputs, in));
}

static enum mo_status tr_slice_channel(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                       struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, NULL);
    struct mo_shape in;
    if (!mo_value_static(x, &in))
        return mo_mx_decline(b);
    int64_t n = mo_node_get_int(fw, "num_outputs", 0, NULL);
    if (n <= 0)
        return mo_build_fail(b, "SliceChannel needs num_outputs > 0");
    /* split's sections form (a tuple of indices) has no fixed count */
    if (mo_node_attr(fw, "indices") && !mo_node_attr(fw, "num_outputs"))
        return MO_ERR_DECLINED;
    int a;
    if (!mo_mx_axis(b, "axis", mo_node_get_int(fw, "axis", 1, NULL), in.rank, &a))
        return mo_build_status(b);
    if (in.dims[a] % n)
        return mo_build_fail(b, "SliceChannel: dim %lld of axis %d does not split into %lld",
                             (long long)in.dims[a], a, (long long)n);
    if ((unsigned)n != fw->n_outputs)
        return mo_build_fail(b, "SliceChannel: num_outputs=%lld but the node has %u outputs", (long long)n,
                             fw->n_outputs);
    bool squeeze = mo_node_get_bool(fw, "squeeze_axis", false, NULL);
    if (squeeze && in.dims[a] != n)
        return mo_build_fail(b, "SliceChannel: squeeze_axis needs pieces of size 1");
    struct mo_value ax = mo_build_i64_scalar(b, "axis", a);
    struct mo_value sp = mo_build_op(b, "Split", NULL, 2, x, ax);
    mo_build_infer(b, mo_build_set_int(b, sp, "num_splits", n));
    int64_t d[MO_MAX_RANK];
    int nd = 0;
    for (int i = 0; i < in.rank; i++)
        if (i != a || !squeeze)
            d[nd++] = i == a ? in.dims[i] / n : in.dims[i];
    if (nd == 0)
        d[nd++] = 1;
    for (unsigned k = 0; k < (unsigned)n; k++) {
        struct mo_value v = mo_val(sp.node, k);
        if (squeeze) {
            char sfx[32];
            snprintf(sfx, sizeof sfx, "squeeze%u", k);
            v = mo_build_reshape(b, sfx, v, d, nd, false);
        }
        mo_build_output(b, k, v);
    }
    return mo_build_status(b);
}

MO_MX_TABLE(mo_mx_tr_shape,
            {"Reshape", tr_reshape},
            {"reshape", tr_reshape},
            {"Flatten", tr_flatten},
            {"flatten", tr_flatten},
            {"transpose", tr_transpose},
            {"SwapAxis", tr_swapaxis},
            {"swapaxes", tr_swapaxis},
            {"expand_dims", tr_expand_dims},
            {"squeeze", tr_squeeze},
            {"slice", tr_slice},
            {"crop", tr_slice},
            {"slice_axis", tr_slice_axis},
            {"slice_like", tr_slice_like},
            {"Crop", tr_crop},
            {"Concat", tr_concat},
            {"concat", tr_concat},
            {"stack", tr_stack},
            {"SliceChannel", tr_slice_channel},
            {"split", tr_slice_channel});
