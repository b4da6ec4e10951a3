/* misc.c - type and shape plumbing and a few elementwise extras: Convert,
 * ConvertLike, ShapeOf, Range, Select, Round, CumSum, NonZero, Einsum,
 * ReverseSequence, FakeQuantize, Bucketize. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "ops.h"

/* --- Convert (opset1), ConvertLike (opset1) ----------------------------- */
static enum mo_status infer_convert(struct mo_node *n, struct mo_error *err)
{
    const char *name = mo_attr_str(n, "destination_type");
    enum mo_etype et = mo_etype_parse(name);
    if (et == MO_ET_UNDEFINED)
        return mo_shape_error(n, err, "unknown destination_type '%s'", name);
    struct mo_shape x = mo_in_shape(n, 0);
    return mo_set_out(n, 0, et, &x);
}

/* Float to integer truncates toward zero (mo_tensor_convert's rule). */
static enum mo_status eval_convert(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0);
    if (!mo_elem_size(n->outputs[0].et) || !mo_elem_size(x->et))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_tensor_convert(x, n->outputs[0].et, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec convert_attrs[] = {{"destination_type", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_convert = {
    "Convert", "opset1", 1, 1, 1, convert_attrs, 1, infer_convert, eval_convert};

static enum mo_status infer_convert_like(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    return mo_set_out(n, 0, mo_in_et(n, 1), &x);
}

static const struct mo_op_def op_convert_like = {
    "ConvertLike", "opset1", 2, 2, 1, NULL, 0, infer_convert_like, NULL};

/* --- ShapeOf (opset3): [rank] of output_type (i64 or i32). -------------- */
static enum mo_status infer_shape_of(struct mo_node *n, struct mo_error *err)
{
    const char *name = mo_attr_str(n, "output_type");
    enum mo_etype et = mo_etype_parse(name);
    if (et != MO_ET_I64 && et != MO_ET_I32)
        return mo_shape_error(n, err, "output_type must be i64 or i32, got '%s'", name);
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t r = x.rank < 0 ? MO_DYN : x.rank;
    struct mo_shape o = mo_shape_make(1, &r);
    return mo_set_out(n, 0, et, &o);
}

/* Needs only a static input shape, not a constant input: the folding pass
 * may call it whenever the input shape is static. */
static enum mo_status eval_shape_of(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    if (!mo_shape_is_static(&x))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    for (int d = 0; d < x.rank; d++)
        mo_tensor_set_i64(r, d, x.dims[d]);
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec shape_of_attrs[] = {{"output_type", MO_ATTR_STRING, "i64"}};
static const struct mo_op_def op_shape_of = {
    "ShapeOf", "opset3", 1, 1, 1, shape_of_attrs, 1, infer_shape_of, eval_shape_of};

/* --- Range (opset4): max(ceil((stop - start) / step), 0) elements,
 * computed after casting the inputs to output_type (toward zero for
 * integer types). ---------------------------------------------------------- */
struct range_vals {
    bool ints;
    int64_t i0, i1, is;
    double f0, f1, fs;
};

static bool range_read(struct mo_node *n, enum mo_etype et, struct range_vals *v)
{
    double f[3];
    for (unsigned i = 0; i < 3; i++) {
        struct mo_tensor *t = mo_node_const_input(n, i);
        if (!t || mo_tensor_numel(t) != 1)
            return false;
        f[i] = mo_tensor_get_f64(t, 0);
    }
    v->ints = !mo_etype_is_float(et);
    v->f0 = f[0], v->f1 = f[1], v->fs = f[2];
    if (v->ints) {
        int64_t w[3];
        for (unsigned i = 0; i < 3; i++) {
            struct mo_tensor *t = mo_node_const_input(n, i);
            w[i] = mo_tensor_get_i64(t, 0); /* truncates floats toward zero */
        }
        v->i0 = w[0], v->i1 = w[1], v->is = w[2];
    }
    return true;
}

static int64_t range_count(const struct range_vals *v)
{
    if (v->ints) {
        int64_t d = v->i1 - v->i0, s = v->is;
        if ((d > 0) != (s > 0) || d == 0)
            return 0;
        return s > 0 ? (d + s - 1) / s : (d + s + 1) / s;
    }
    double c = ceil((v->f1 - v->f0) / v->fs);
    return c > 0 ? (int64_t)c : 0;
}

static enum mo_status infer_range(struct mo_node *n, struct mo_error *err)
{
    const char *name = mo_attr_str(n, "output_type");
    enum mo_etype et = mo_etype_parse(name);
    if (et == MO_ET_UNDEFINED || et == MO_ET_BOOLEAN || et == MO_ET_U1)
        return mo_shape_error(n, err, "output_type must be a numeric type, got '%s'", name);
    for (unsigned i = 0; i < 3; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (s.rank > 1 || (s.rank == 1 && s.dims[0] > 1))
            return mo_shape_error(n, err, "input %u must be a scalar", i);
    }
    struct range_vals v;
    int64_t len = MO_DYN;
    if (range_read(n, et, &v)) {
        if (v.ints ? v.is == 0 : !(v.fs != 0) || !isfinite(v.f0) || !isfinite(v.f1))
            return mo_shape_error(n, err, "step must be non-zero and the bounds finite");
        len = range_count(&v);
    }
    struct mo_shape o = mo_shape_make(1, &len);
    return mo_set_out(n, 0, et, &o);
}

static enum mo_status eval_range(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct range_vals v;
    if (!range_read(n, n->outputs[0].et, &v))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t cnt = mo_tensor_numel(r);
    for (int64_t i = 0; i < cnt; i++) {
        if (v.ints)
            mo_tensor_set_i64(r, i, v.i0 + i * v.is);
        else
            mo_tensor_set_f64(r, i, v.f0 + (double)i * v.fs);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec range_attrs[] = {{"output_type", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_range = {
    "Range", "opset4", 3, 3, 1, range_attrs, 1, infer_range, eval_range};

/* --- Select (opset1): cond ? then : else, all three broadcast. ---------- */
static enum mo_status infer_select(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape c = mo_in_shape(n, 0), a = mo_in_shape(n, 1), b = mo_in_shape(n, 2), t, o;
    enum mo_etype ct = mo_in_et(n, 0), ea = mo_in_et(n, 1), eb = mo_in_et(n, 2);
    if (ct != MO_ET_UNDEFINED && ct != MO_ET_BOOLEAN)
        return mo_shape_error(n, err, "cond must be boolean, got %s", mo_etype_name(ct));
    if (ea != MO_ET_UNDEFINED && eb != MO_ET_UNDEFINED && ea != eb)
        return mo_shape_error(n, err, "then and else have different element types (%s and %s)",
                              mo_etype_name(ea), mo_etype_name(eb));
    const char *ab = mo_attr_str(n, "auto_broadcast");
    enum mo_status st;
    if (!strcmp(ab, "none")) {
        const struct mo_shape *s[3] = {&c, &a, &b};
        o = mo_shape_unknown();
        for (int i = 0; i < 3; i++) {
            if (s[i]->rank < 0)
                continue;
            if (o.rank >= 0 && mo_shape_is_static(&o) && mo_shape_is_static(s[i]) &&
                !mo_shape_equal(&o, s[i]))
                return mo_shape_error(n, err, "auto_broadcast=none needs equal shapes");
            if (o.rank < 0)
                o = *s[i];
        }
    } else if (!strcmp(ab, "numpy")) {
        if ((st = mo_broadcast_numpy(n, &a, &b, &t, err)) != MO_OK ||
            (st = mo_broadcast_numpy(n, &c, &t, &o, err)) != MO_OK)
            return st;
    } else {
        return mo_shape_error(n, err, "auto_broadcast must be none or numpy, got '%s'", ab);
    }
    return mo_set_out(n, 0, ea != MO_ET_UNDEFINED ? ea : eb, &o);
}

static enum mo_status eval_select(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *c = mo_node_const_input(n, 0), *a = mo_node_const_input(n, 1),
                     *b = mo_node_const_input(n, 2);
    size_t esz = mo_elem_size(a->et);
    if (!esz || a->et != b->et)
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    int64_t idx[MO_MAX_RANK] = {0}, total = mo_tensor_numel(r);
    for (int64_t i = 0; i < total; i++) {
        bool pick = mo_tensor_get_i64(c, mo_bcast_index(&c->shape, &r->shape, idx)) != 0;
        struct mo_tensor *s = pick ? a : b;
        mo_copy_elem(r, i, s, mo_bcast_index(&s->shape, &r->shape, idx), esz);
        mo_idx_next(idx, &r->shape);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec select_attrs[] = {{"auto_broadcast", MO_ATTR_STRING, "numpy"}};
static const struct mo_op_def op_select = {
    "Select", "opset1", 3, 3, 1, select_attrs, 1, infer_select, eval_select};

/* --- Round (opset5) ------------------------------------------------------ */
static enum mo_status infer_round(struct mo_node *n, struct mo_error *err)
{
    const char *mode = mo_attr_str(n, "mode");
    if (strcmp(mode, "half_to_even") && strcmp(mode, "half_away_from_zero"))
        return mo_shape_error(n, err, "mode must be half_to_even or half_away_from_zero, got '%s'", mode);
    return mo_infer_identity(n, err);
}

static const struct mo_attr_spec round_attrs[] = {{"mode", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_round = {"Round", "opset5", 1, 1, 1, round_attrs, 1, infer_round, NULL};

/* --- CumSum (opset3): same shape; the optional axis input defaults to 0. */
static enum mo_status infer_cumsum(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t axis;
    if (n->n_inputs > 1) {
        struct mo_shape as = mo_in_shape(n, 1);
        if (as.rank > 0)
            return mo_shape_error(n, err, "axis must be a scalar");
        if (x.rank >= 0 && mo_const_scalar(n, 1, &axis) && mo_axis_norm(axis, x.rank) < 0)
            return mo_shape_error(n, err, "axis %lld is out of range for rank %d", (long long)axis, x.rank);
    }
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec cumsum_attrs[] = {
    {"exclusive", MO_ATTR_BOOL, "false"},
    {"reverse", MO_ATTR_BOOL, "false"},
};
static const struct mo_op_def op_cumsum = {
    "CumSum", "opset3", 1, 2, 1, cumsum_attrs, MO_COUNT_OF(cumsum_attrs), infer_cumsum, NULL};

/* --- NonZero (opset3): [rank, number of non-zeros]. ------------------- */
static enum mo_status infer_non_zero(struct mo_node *n, struct mo_error *err)
{
    const char *name = mo_attr_str(n, "output_type");
    enum mo_etype et = mo_etype_parse(name);
    if (et != MO_ET_I64 && et != MO_ET_I32)
        return mo_shape_error(n, err, "output_type must be i64 or i32, got '%s'", name);
    struct mo_shape x = mo_in_shape(n, 0);
    int64_t cnt = MO_DYN;
    if (mo_shape_numel(&x) == 0)
        cnt = 0;
    struct mo_shape o = mo_shape_of(x.rank < 0 ? MO_DYN : x.rank, cnt);
    return mo_set_out(n, 0, et, &o);
}

static const struct mo_attr_spec non_zero_attrs[] = {{"output_type", MO_ATTR_STRING, "i64"}};
static const struct mo_op_def op_non_zero = {
    "NonZero", "opset3", 1, 1, 1, non_zero_attrs, 1, infer_non_zero, NULL};

/* --- Einsum (opset7): letters label dims; the output lists labels after
 * "->", or (implicit form) the labels used once, in alphabetical order.
 * An ellipsis stands for the dims an input has beyond its labels; those of
 * all inputs broadcast (numpy, right-aligned) and take the output's "..."
 * (implicit form: they come first).  An ellipsis on an input of unknown
 * rank leaves the output rank unknown. */

/* Numpy broadcast of two dims (1 yields; a dynamic one yields to a known
 * size other than 1); -2 when they conflict. */
static int64_t einsum_bcast(int64_t a, int64_t b)
{
    if (a == 1)
        return b;
    if (b == 1)
        return a;
    if (a < 0)
        return b < 0 ? MO_DYN : b;
    if (b < 0)
        return a;
    return a == b ? a : -2;
}

static enum mo_status infer_einsum(struct mo_node *n, struct mo_error *err)
{
    const char *eq = mo_attr_str(n, "equation");
    enum mo_etype et = mo_in_et(n, 0);
    for (unsigned i = 1; i < n->n_inputs; i++)
        if (mo_in_et(n, i) != MO_ET_UNDEFINED && et != MO_ET_UNDEFINED && mo_in_et(n, i) != et)
            return mo_shape_error(n, err, "inputs have different element types");
    int64_t dim[128], ell[MO_MAX_RANK];
    int uses[128] = {0}, ell_rank = 0;
    bool ell_unknown = false;
    for (int c = 0; c < 128; c++)
        dim[c] = MO_DYN;
    const char *p = eq;
    unsigned in = 0;
    for (;; in++) {
        if (in >= n->n_inputs)
            return mo_shape_error(n, err, "equation '%s' names more inputs than the %u given", eq,
                                  n->n_inputs);
        struct mo_shape s = mo_in_shape(n, in);
        int letters = 0;
        bool has_ell = false;
        for (const char *q = p; *q && *q != ',' && *q != '-'; q++) {
            if (*q == '.') {
                if (strncmp(q, "...", 3) || has_ell)
                    return mo_shape_error(n, err, "bad ellipsis in equation '%s'", eq);
                has_ell = true;
                q += 2;
            } else if (*q != ' ') {
                letters++;
            }
        }
        int ell_n = has_ell && s.rank >= 0 ? s.rank - letters : 0;
        if (ell_n < 0)
            return mo_shape_error(n, err, "input %u has rank %d, fewer than its %d labels", in, s.rank, letters);
        if (has_ell && s.rank < 0)
            ell_unknown = true;
        int k = 0;
        for (; *p && *p != ',' && *p != '-'; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == ' ')
                continue;
            if (c == '.') {
                /* this input's extra dims, right-aligned against the others' */
                if (ell_n > ell_rank) {
                    memmove(ell + (ell_n - ell_rank), ell, (size_t)ell_rank * sizeof ell[0]);
                    for (int d = 0; d < ell_n - ell_rank; d++)
                        ell[d] = 1;
                    ell_rank = ell_n;
                }
                for (int d = 0; d < ell_n; d++) {
                    int64_t *t = &ell[ell_rank - ell_n + d];
                    int64_t m = einsum_bcast(*t, s.dims[k + d]);
                    if (m == -2)
                        return mo_shape_error(n, err, "the dims under '...' do not broadcast (%lld and %lld)",
                                              (long long)*t, (long long)s.dims[k + d]);
                    *t = m;
                }
                k += ell_n;
                p += 2;
                continue;
            }
            if (c >= 128 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                return mo_shape_error(n, err, "bad character '%c' in equation '%s'", *p, eq);
            uses[c]++;
            if (s.rank >= 0 && k < s.rank) {
                int64_t m = mo_dim_merge(dim[c], s.dims[k]);
                if (m == -2)
                    return mo_shape_error(n, err, "label '%c' has sizes %lld and %lld", c,
                                          (long long)dim[c], (long long)s.dims[k]);
                dim[c] = m;
            }
            k++;
        }
        if (s.rank >= 0 && k != s.rank)
            return mo_shape_error(n, err, "input %u has rank %d, the equation gives it %d labels", in,
                                  s.rank, k);
        if (*p != ',')
            break;
        p++;
    }
    if (in + 1 != n->n_inputs)
        return mo_shape_error(n, err, "equation '%s' names %u inputs, %u given", eq, in + 1, n->n_inputs);
    if (ell_unknown)
        return mo_out_unknown(n, 0, et);
    struct mo_shape o = {.rank = 0};
    if (*p == '-') {
        if (p[1] != '>')
            return mo_shape_error(n, err, "bad equation '%s'", eq);
        for (p += 2; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == ' ')
                continue;
            if (c == '.') {
                if (strncmp(p, "...", 3))
                    return mo_shape_error(n, err, "bad ellipsis in equation '%s'", eq);
                if (o.rank + ell_rank > MO_MAX_RANK)
                    return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
                for (int d = 0; d < ell_rank; d++)
                    o.dims[o.rank++] = ell[d];
                p += 2;
                continue;
            }
            if (c >= 128 || !uses[c])
                return mo_shape_error(n, err, "output label '%c' is not in any input", *p);
            if (o.rank >= MO_MAX_RANK)
                return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
            o.dims[o.rank++] = dim[c];
        }
    } else {
        for (int d = 0; d < ell_rank; d++)
            o.dims[o.rank++] = ell[d];
        for (int c = 'A'; c <= 'z'; c++)
            if (uses[c] == 1 && o.rank < MO_MAX_RANK)
                o.dims[o.rank++] = dim[c];
    }
    return mo_set_out(n, 0, et, &o);
}

static const struct mo_attr_spec einsum_attrs[] = {{"equation", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_einsum = {"Einsum", "opset7", 1, -1, 1, einsum_attrs, 1, infer_einsum, NULL};

/* --- ReverseSequence (opset1): same shape; seq_lengths is [batch]. ----- */
static enum mo_status infer_reverse_sequence(struct mo_node *n, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), l = mo_in_shape(n, 1);
    if (l.rank >= 0 && l.rank != 1)
        return mo_shape_error(n, err, "seq_lengths must be 1-D, got rank %d", l.rank);
    if (x.rank < 0)
        return mo_out_like_in0(n, &x);
    int64_t ba = mo_attr_int(n, "batch_axis"), sa = mo_attr_int(n, "seq_axis");
    int b = mo_axis_norm(ba, x.rank), s = mo_axis_norm(sa, x.rank);
    if (b < 0 || s < 0)
        return mo_shape_error(n, err, "batch_axis %lld or seq_axis %lld is out of range for rank %d",
                              (long long)ba, (long long)sa, x.rank);
    if (b == s)
        return mo_shape_error(n, err, "batch_axis and seq_axis are the same axis");
    if (l.rank == 1 && mo_dim_merge(l.dims[0], x.dims[b]) == -2)
        return mo_shape_error(n, err, "seq_lengths has %lld values, the batch is %lld",
                              (long long)l.dims[0], (long long)x.dims[b]);
    return mo_out_like_in0(n, &x);
}

static const struct mo_attr_spec reverse_sequence_attrs[] = {
    {"batch_axis", MO_ATTR_INT, "0"},
    {"seq_axis", MO_ATTR_INT, "1"},
};
static const struct mo_op_def op_reverse_sequence = {
    "ReverseSequence", "opset1", 2, 2, 1, reverse_sequence_attrs, MO_COUNT_OF(reverse_sequence_attrs),
    infer_reverse_sequence, NULL};

/* --- FakeQuantize (opset1): data and the four range inputs broadcast. -- */
static enum mo_status infer_fake_quantize(struct mo_node *n, struct mo_error *err)
{
    if (mo_attr_int(n, "levels") < 2)
        return mo_shape_error(n, err, "levels must be 2 or more, got %lld", (long long)mo_attr_int(n, "levels"));
    struct mo_shape o = mo_in_shape(n, 0);
    const char *ab = mo_attr_str(n, "auto_broadcast");
    bool none = !strcmp(ab, "none");
    if (!none && strcmp(ab, "numpy"))
        return mo_shape_error(n, err, "auto_broadcast must be none or numpy, got '%s'", ab);
    for (unsigned i = 1; i < 5; i++) {
        struct mo_shape s = mo_in_shape(n, i);
        if (none) {
            if (o.rank >= 0 && s.rank >= 0 && mo_shape_is_static(&o) && mo_shape_is_static(&s) &&
                !mo_shape_equal(&o, &s))
                return mo_shape_error(n, err, "auto_broadcast=none needs equal shapes (input %u)", i);
            continue;
        }
        enum mo_status st = mo_broadcast_numpy(n, &o, &s, &o, err);
        if (st != MO_OK)
            return st;
    }
    return mo_out_like_in0(n, &o);
}

static const struct mo_attr_spec fake_quantize_attrs[] = {
    {"levels", MO_ATTR_INT, NULL},
    {"auto_broadcast", MO_ATTR_STRING, "numpy"},
};
static const struct mo_op_def op_fake_quantize = {
    "FakeQuantize", "opset1", 5, 5, 1, fake_quantize_attrs, MO_COUNT_OF(fake_quantize_attrs),
    infer_fake_quantize, NULL};

/* --- Bucketize (opset3): for each element the index of its bucket among
 * the sorted 1-D boundaries: how many boundaries lie below it (below or
 * at it when with_right_bound is false).  Data's shape, output_type. --- */
static enum mo_status infer_bucketize(struct mo_node *n, struct mo_error *err)
{
    const char *name = mo_attr_str(n, "output_type");
    enum mo_etype et = mo_etype_parse(name);
    if (et != MO_ET_I64 && et != MO_ET_I32)
        return mo_shape_error(n, err, "output_type must be i64 or i32, got '%s'", name);
    struct mo_shape b = mo_in_shape(n, 1);
    if (b.rank >= 0 && b.rank != 1)
        return mo_shape_error(n, err, "buckets must be 1-D, got rank %d", b.rank);
    struct mo_shape x = mo_in_shape(n, 0);
    return mo_set_out(n, 0, et, &x);
}

static enum mo_status eval_bucketize(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_tensor *x = mo_node_const_input(n, 0), *b = mo_node_const_input(n, 1);
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    bool right = mo_attr_bool(n, "with_right_bound");
    int64_t cnt = mo_tensor_numel(x), nb = mo_tensor_numel(b);
    for (int64_t i = 0; i < cnt; i++) {
        double v = mo_tensor_get_f64(x, i);
        int64_t k = 0;
        /* boundaries are sorted: count them up to the first that is not below */
        while (k < nb && (right ? mo_tensor_get_f64(b, k) < v : mo_tensor_get_f64(b, k) <= v))
            k++;
        mo_tensor_set_i64(r, i, k);
    }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec bucketize_attrs[] = {
    {"output_type", MO_ATTR_STRING, "i64"},
    {"with_right_bound", MO_ATTR_BOOL, "true"},
};
static const struct mo_op_def op_bucketize = {
    "Bucketize", "opset3", 2, 2, 1, bucketize_attrs, MO_COUNT_OF(bucketize_attrs), infer_bucketize,
    eval_bucketize};

MO_OP_FAMILY(mo_ops_misc, &op_convert, &op_convert_like, &op_shape_of, &op_range, &op_select,
             &op_round, &op_cumsum, &op_non_zero, &op_einsum, &op_reverse_sequence, &op_fake_quantize,
             &op_bucketize);
