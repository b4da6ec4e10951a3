/* build.c - the translator's builder (mo/build.h): node construction with a
 * sticky first error.
 *
 * Every public call starts with `if (!live(b)) return MO_NO_VALUE;`, so the
 * first failure turns the rest of a translator into no-ops.  Failures of the
 * graph calls underneath already wrote err; fail_from_err() only records
 * their status (or, when they wrote nothing, out of memory). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mo/build.h>
#include <mo/op.h>

struct mo_build {
    struct mo_tctx *t;
    const struct mo_node *fw;
    struct mo_graph *g;
    struct mo_error *err;
    struct mo_error own;        /* used when the caller gave no err */
    enum mo_status st;
    unsigned first;             /* id of the first node this translation made */
};

static bool live(const struct mo_build *b)
{
    return b && b->st == MO_OK;
}

/* After a graph call failed: it normally filled err; keep its status. */
static struct mo_value fail_from_err(struct mo_build *b)
{
    if (b->err->code != MO_OK)
        b->st = b->err->code;
    else
        b->st = mo_error_set(b->err, MO_ERR_NOMEM, 0, "out of memory");
    return MO_NO_VALUE;
}

static enum mo_status fail_v(struct mo_build *b, enum mo_status code, int faq, const char *fmt, va_list ap)
{
    if (!live(b))
        return mo_build_status(b);
    b->st = mo_error_vset(b->err, code, faq, fmt, ap);
    return b->st;
}

/* Fail with a message and hand back the invalid value (for idioms). */
static struct mo_value fail_value(struct mo_build *b, enum mo_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static struct mo_value fail_value(struct mo_build *b, enum mo_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(b, code, 0, fmt, ap);
    va_end(ap);
    return MO_NO_VALUE;
}

struct mo_build *mo_build_begin(struct mo_tctx *t, const struct mo_node *fw, struct mo_error *err)
{
    struct mo_graph *g = mo_tctx_graph(t);
    struct mo_build *b = g ? mo_graph_alloc(g, sizeof *b) : NULL;
    if (!b) {
        mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        return NULL;
    }
    b->t = t;
    b->fw = fw;
    b->g = g;
    b->err = err ? err : &b->own;
    b->st = MO_OK;
    b->first = mo_graph_n_nodes(g);
    return b;
}

bool mo_build_ok(const struct mo_build *b)
{
    return live(b);
}

enum mo_status mo_build_status(const struct mo_build *b)
{
    return b ? b->st : MO_ERR_NOMEM;
}

enum mo_status mo_build_error(struct mo_build *b, enum mo_status code, int faq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum mo_status st = fail_v(b, code, faq, fmt, ap);
    va_end(ap);
    return st;
}

enum mo_status mo_build_fail(struct mo_build *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum mo_status st = fail_v(b, MO_ERR_FORMAT, 0, fmt, ap);
    va_end(ap);
    return st;
}

enum mo_status mo_build_check(struct mo_build *b, enum mo_status st)
{
    if (st == MO_OK || !live(b))
        return mo_build_status(b);
    if (b->err->code == MO_OK || !b->err->msg[0])
        mo_error_set(b->err, st, 0, "%s", mo_status_str(st));
    b->err->code = st;
    b->st = st;
    return st;
}

enum mo_status mo_build_output(struct mo_build *b, unsigned i, struct mo_value v)
{
    if (!live(b))
        return mo_build_status(b);
    if (!v.node)
        return mo_build_error(b, MO_ERR_INTERNAL, 0, "output %u of the translation is an invalid value", i);
    /* checked here too so that the message does not name the node twice */
    if (i >= b->fw->n_outputs)
        return mo_build_error(b, MO_ERR_INTERNAL, 0, "output %u declared, the node has %u", i, b->fw->n_outputs);
    if (mo_tctx_set_output(b->t, i, v, b->err) != MO_OK)
        fail_from_err(b);
    return b->st;
}

enum mo_status mo_build_done(struct mo_build *b, struct mo_value v)
{
    if (live(b) && v.node)
        return mo_build_output(b, 0, v);
    return mo_build_status(b);
}

struct mo_tctx *mo_build_tctx(const struct mo_build *b)
{
    return b ? b->t : NULL;
}

const struct mo_node *mo_build_fw(const struct mo_build *b)
{
    return b ? b->fw : NULL;
}

struct mo_graph *mo_build_graph(const struct mo_build *b)
{
    return b ? b->g : NULL;
}

const char *mo_build_name(struct mo_build *b, const char *suffix)
{
    if (!live(b))
        return NULL;
    const char *name = suffix ? mo_graph_printf(b->g, "%s/%s", b->fw->name, suffix)
                              : mo_graph_strdup(b->g, b->fw->name);
    if (!name)
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    return name;
}

/* "<suffix>/<role>", or dflt/role when suffix is NULL; dflt NULL gives
 * the bare role.  Arena-allocated (NULL and failed on OOM). */
static const char *helper_suffix(struct mo_build *b, const char *suffix, const char *dflt,
                                 const char *role)
{
    const char *base = suffix ? suffix : dflt;
    if (!base)
        return role;
    const char *s = mo_graph_printf(b->g, "%s/%s", base, role);
    if (!s)
        mo_build_error(b, MO_ERR_NOMEM, 0, "out of memory");
    return s;
}

/* --- inputs and values --------------------------------------------------- */

struct mo_value mo_build_in_opt(struct mo_build *b, unsigned i)
{
    if (!live(b))
        return MO_NO_VALUE;
    return mo_tctx_input(b->t, i);
}

struct mo_value mo_build_in(struct mo_build *b, unsigned i, const char *what)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_value v = mo_tctx_input(b->t, i);
    if (v.node)
        return v;
    if (what)
        mo_build_error(b, MO_ERR_FORMAT, 2, "input %u (%s) is missing", i, what);
    else
        mo_build_error(b, MO_ERR_FORMAT, 2, "input %u is missing (the node has %u)", i, b->fw->n_inputs);
    return MO_NO_VALUE;
}

enum mo_etype mo_value_et(struct mo_value v)
{
    if (!v.node || v.port >= v.node->n_outputs)
        return MO_ET_UNDEFINED;
    return v.node->outputs[v.port].et;
}

struct mo_shape mo_value_shape(struct mo_value v)
{
    if (!v.node || v.port >= v.node->n_outputs)
        return mo_shape_unknown();
    return v.node->outputs[v.port].shape;
}

bool mo_value_static(struct mo_value v, struct mo_shape *out)
{
    struct mo_shape s = mo_value_shape(v);
    if (s.rank < 0 || !mo_shape_is_static(&s))
        return false;
    if (out)
        *out = s;
    return true;
}

struct mo_tensor *mo_value_const(struct mo_value v)
{
    return v.node && v.node->value && !strcmp(v.node->type, "Const") ? v.node->value : NULL;
}

struct mo_value mo_build_infer(struct mo_build *b, struct mo_value v)
{
    if (!live(b))
        return MO_NO_VALUE;
    if (!v.node)
        return fail_value(b, MO_ERR_INTERNAL, "mo_build_infer: invalid value");
    if (v.node->graph != b->g || v.node->id < b->first) {
        /* made before this translation: inferred already */
        return mo_node_infer(v.node, b->err) == MO_OK ? v : fail_from_err(b);
    }
    /* The nodes v depends on that this translation made are not inferred
     * either (the core infers them after the translator returns): mark
     * them, walking back from v, and infer them in creation order, which
     * puts producers before consumers. */
    unsigned n = v.node->id - b->first + 1;
    bool *need = mo_graph_alloc(b->g, n);
    if (!need)
        return fail_from_err(b);
    need[n - 1] = true;
    for (unsigned i = n; i-- > 0;) {
        const struct mo_node *node = mo_graph_node(b->g, b->first + i);
        for (unsigned k = 0; need[i] && k < node->n_inputs; k++) {
            const struct mo_node *src = node->inputs[k].node;
            if (src && src->id >= b->first && src->id < b->first + i)
                need[src->id - b->first] = true;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        struct mo_node *node = mo_graph_node(b->g, b->first + i);
        if (need[i] && !node->dead && mo_node_infer(node, b->err) != MO_OK)
            return fail_from_err(b);
    }
    return v;
}

/* --- operations ---------------------------------------------------------- */

struct mo_value mo_build_opv(struct mo_build *b, const char *type, const char *suffix, unsigned n,
                             const struct mo_value *in)
{
    if (!live(b))
        return MO_NO_VALUE;
    for (unsigned i = 0; i < n; i++)
        if (!in[i].node) {
            mo_build_error(b, MO_ERR_INTERNAL, 0, "input %u of the %s node%s%s is an invalid value", i,
                           type, suffix ? " " : "", suffix ? suffix : "");
            return MO_NO_VALUE;
        }
    struct mo_node *node = mo_tctx_op(b->t, type, suffix, n, in, b->err);
    return node ? mo_val(node, 0) : fail_from_err(b);
}

struct mo_value mo_build_op(struct mo_build *b, const char *type, const char *suffix, unsigned n, ...)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_value small[16];
    struct mo_value *in = n <= MO_COUNT_OF(small) ? small : mo_graph_alloc(b->g, n * sizeof *in);
    if (!in)
        return fail_from_err(b);
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        in[i] = va_arg(ap, struct mo_value);
    va_end(ap);
    return mo_build_opv(b, type, suffix, n, in);
}

/* Common tail of the setters: v must be a node, the setter's status. */
static struct mo_value set_done(struct mo_build *b, struct mo_value v, enum mo_status st)
{
    if (st != MO_OK) {
        mo_build_error(b, st, 0, "%s", st == MO_ERR_NOMEM ? "out of memory" : mo_status_str(st));
        return MO_NO_VALUE;
    }
    return v;
}

static bool settable(struct mo_build *b, struct mo_value v, const char *name)
{
    if (!live(b))
        return false;
    if (!v.node) {
        mo_build_error(b, MO_ERR_INTERNAL, 0, "attribute %s set on an invalid value", name);
        return false;
    }
    return true;
}

struct mo_value mo_build_set_int(struct mo_build *b, struct mo_value v, const char *name, int64_t x)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_int(v.node, name, x)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_float(struct mo_build *b, struct mo_value v, const char *name, double x)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_float(v.node, name, x)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_bool(struct mo_build *b, struct mo_value v, const char *name, bool x)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_bool(v.node, name, x)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_str(struct mo_build *b, struct mo_value v, const char *name, const char *x)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_str(v.node, name, x)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_ints(struct mo_build *b, struct mo_value v, const char *name,
                                  const int64_t *x, size_t n)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_ints(v.node, name, x, n)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_floats(struct mo_build *b, struct mo_value v, const char *name,
                                    const double *x, size_t n)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_floats(v.node, name, x, n)) : MO_NO_VALUE;
}

struct mo_value mo_build_set_strs(struct mo_build *b, struct mo_value v, const char *name,
                                  const char *const *x, size_t n)
{
    return settable(b, v, name) ? set_done(b, v, mo_node_set_strs(v.node, name, x, n)) : MO_NO_VALUE;
}

struct mo_value mo_build_copy_attr(struct mo_build *b, struct mo_value v, const struct mo_attr *a)
{
    /* a NULL a is mo_node_attr() of an attribute the model left out */
    if (!a)
        return settable(b, v, "(absent)") ? v : MO_NO_VALUE;
    return settable(b, v, a->name) ? set_done(b, v, mo_node_copy_attr(v.node, a)) : MO_NO_VALUE;
}

/* --- constants ----------------------------------------------------------- */

struct mo_value mo_build_tensor(struct mo_build *b, const char *suffix, struct mo_tensor *t)
{
    if (!live(b)) {
        mo_tensor_unref(t);
        return MO_NO_VALUE;
    }
    if (!t)
        return fail_from_err(b);
    const char *name = mo_build_name(b, suffix);
    if (!name) {
        mo_tensor_unref(t);
        return MO_NO_VALUE;
    }
    struct mo_node *c = mo_const(b->g, name, t, b->err);
    return c ? mo_val(c, 0) : fail_from_err(b);
}

struct mo_value mo_build_i64(struct mo_build *b, const char *suffix, const int64_t *v, size_t n)
{
    if (!live(b))
        return MO_NO_VALUE;
    /* a zero-length list still needs a valid pointer for the copy */
    static const int64_t none = 0;
    struct mo_shape s = mo_shape_of((int64_t)n);
    return mo_build_tensor(b, suffix, mo_tensor_from_data(MO_ET_I64, &s, n ? v : &none, n * sizeof *v, b->err));
}

struct mo_value mo_build_i64_scalar(struct mo_build *b, const char *suffix, int64_t v)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_shape s = mo_shape_scalar();
    return mo_build_tensor(b, suffix, mo_tensor_from_data(MO_ET_I64, &s, &v, sizeof v, b->err));
}

struct mo_value mo_build_const(struct mo_build *b, const char *suffix, enum mo_etype et,
                               const struct mo_shape *sh, const double *vals)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_tensor *c = mo_tensor_new(et, sh, b->err);
    if (c) {
        int64_t n = mo_tensor_numel(c);
        for (int64_t i = 0; i < n; i++)
            mo_tensor_set_f64(c, i, vals[i]);
    }
    return mo_build_tensor(b, suffix, c);
}

struct mo_value mo_build_scalar(struct mo_build *b, const char *suffix, enum mo_etype et, double x)
{
    struct mo_shape s = mo_shape_scalar();
    return mo_build_const(b, suffix, et == MO_ET_UNDEFINED ? MO_ET_F32 : et, &s, &x);
}

/* --- idioms -------------------------------------------------------------- */

/* An op on v and a 1-D i64 Const named helper_suffix(suffix, dflt, role). */
static struct mo_value op_with_list(struct mo_build *b, const char *type, const char *suffix,
                                    const char *dflt, const char *role, struct mo_value v,
                                    const int64_t *list, int n)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_value c = mo_build_i64(b, helper_suffix(b, suffix, dflt, role), list, (size_t)(n > 0 ? n : 0));
    return mo_build_op(b, type, suffix, 2, v, c);
}

struct mo_value mo_build_reshape_to(struct mo_build *b, const char *suffix, struct mo_value v,
                                    struct mo_value shape, bool special_zero)
{
    struct mo_value r = mo_build_op(b, "Reshape", suffix, 2, v, shape);
    return mo_build_set_bool(b, r, "special_zero", special_zero);
}

struct mo_value mo_build_reshape(struct mo_build *b, const char *suffix, struct mo_value v,
                                 const int64_t *dims, int rank, bool special_zero)
{
    struct mo_value r = op_with_list(b, "Reshape", suffix, "reshape", "shape", v, dims, rank);
    return mo_build_set_bool(b, r, "special_zero", special_zero);
}

struct mo_value mo_build_reshape_value(struct mo_build *b, const char *suffix, struct mo_value v,
                                       const struct mo_shape *sh)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_tensor *c = mo_value_const(v);
    if (!c)
        return mo_build_reshape(b, suffix, v, sh->dims, sh->rank, false);
    if (mo_tensor_numel(c) != mo_shape_numel(sh)) {
        char have[96], want[96];
        mo_build_error(b, MO_ERR_SHAPE, 0, "weight '%s' has shape [%s], %lld values; the layer needs [%s]",
                       v.node->name, mo_shape_str(&c->shape, have, sizeof have),
                       (long long)mo_tensor_numel(c), mo_shape_str(sh, want, sizeof want));
        return MO_NO_VALUE;
    }
    return mo_build_tensor(b, suffix, mo_tensor_reshaped(c, sh, b->err));
}

struct mo_value mo_build_transpose(struct mo_build *b, const char *suffix, struct mo_value v,
                                   const int64_t *perm, int rank)
{
    return op_with_list(b, "Transpose", suffix, "transpose", "order", v, perm, rank);
}

struct mo_value mo_build_convert(struct mo_build *b, const char *suffix, struct mo_value v, enum mo_etype et)
{
    struct mo_value c = mo_build_op(b, "Convert", suffix, 1, v);
    return mo_build_set_str(b, c, "destination_type", mo_etype_name(et));
}

struct mo_value mo_build_squeeze(struct mo_build *b, const char *suffix, struct mo_value v,
                                 const int64_t *axes, int n)
{
    if (n <= 0)
        return mo_build_op(b, "Squeeze", suffix, 1, v);
    return op_with_list(b, "Squeeze", suffix, "squeeze", "axes", v, axes, n);
}

struct mo_value mo_build_unsqueeze(struct mo_build *b, const char *suffix, struct mo_value v,
                                   const int64_t *axes, int n)
{
    return op_with_list(b, "Unsqueeze", suffix, "unsqueeze", "axes", v, axes, n);
}

struct mo_value mo_build_concat(struct mo_build *b, const char *suffix, int64_t axis, unsigned n,
                                const struct mo_value *in)
{
    return mo_build_set_int(b, mo_build_opv(b, "Concat", suffix, n, in), "axis", axis);
}

struct mo_value mo_build_strided_slice(struct mo_build *b, const char *suffix, struct mo_value v,
                                       const int64_t *begin, const int64_t *end,
                                       const int64_t *stride, int n, const int64_t *begin_mask,
                                       const int64_t *end_mask)
{
    if (!live(b))
        return MO_NO_VALUE;
    size_t k = (size_t)(n > 0 ? n : 0);
    if (k > MO_MAX_RANK && (!begin_mask || !end_mask))
        return fail_value(b, MO_ERR_INTERNAL, "mo_build_strided_slice: %d axes need explicit masks", n);
    struct mo_value cb = mo_build_i64(b, helper_suffix(b, suffix, NULL, "begin"), begin, k);
    struct mo_value ce = mo_build_i64(b, helper_suffix(b, suffix, NULL, "end"), end, k);
    struct mo_value cs = mo_build_i64(b, helper_suffix(b, suffix, NULL, "stride"), stride, k);
    struct mo_value s = mo_build_op(b, "StridedSlice", suffix, 4, v, cb, ce, cs);
    int64_t zero[MO_MAX_RANK] = {0};
    mo_build_set_ints(b, s, "begin_mask", begin_mask ? begin_mask : zero, k);
    return mo_build_set_ints(b, s, "end_mask", end_mask ? end_mask : zero, k);
}

struct mo_value mo_build_slice(struct mo_build *b, const char *suffix, struct mo_value v,
                               const int64_t *start, const int64_t *stop, const int64_t *step,
                               const int64_t *axes, int n)
{
    if (!live(b))
        return MO_NO_VALUE;
    size_t k = (size_t)(n > 0 ? n : 0);
    struct mo_value c0 = mo_build_i64(b, helper_suffix(b, suffix, NULL, "start"), start, k);
    struct mo_value c1 = mo_build_i64(b, helper_suffix(b, suffix, NULL, "stop"), stop, k);
    struct mo_value c2 = mo_build_i64(b, helper_suffix(b, suffix, NULL, "step"), step, k);
    struct mo_value c3 = mo_build_i64(b, helper_suffix(b, suffix, NULL, "axes"), axes, k);
    return mo_build_op(b, "Slice", suffix, 5, v, c0, c1, c2, c3);
}

struct mo_value mo_build_shape_of(struct mo_build *b, const char *suffix, struct mo_value v, enum mo_etype et)
{
    struct mo_value s = mo_build_op(b, "ShapeOf", suffix, 1, v);
    return mo_build_set_str(b, s, "output_type", mo_etype_name(et == MO_ET_UNDEFINED ? MO_ET_I64 : et));
}

struct mo_value mo_build_gather(struct mo_build *b, const char *suffix, struct mo_value data,
                                struct mo_value idx, int64_t axis)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_value a = mo_build_i64_scalar(b, helper_suffix(b, suffix, NULL, "axis"), axis);
    return mo_build_op(b, "Gather", suffix, 3, data, idx, a);
}

struct mo_value mo_build_dims(struct mo_build *b, const char *suffix, struct mo_value v,
                              const int64_t *idx, int n)
{
    if (!live(b))
        return MO_NO_VALUE;
    struct mo_shape s = mo_value_shape(v);
    if (s.rank < 0)
        return fail_value(b, MO_ERR_SHAPE, "the dims of an input of unknown rank are needed");
    if (n < 0 || n > MO_MAX_RANK)
        return fail_value(b, MO_ERR_INTERNAL, "mo_build_dims: %d dims", n);
    int64_t at[MO_MAX_RANK], dims[MO_MAX_RANK];
    bool known = true;
    for (int i = 0; i < n; i++) {
        int a = mo_axis_norm(idx[i], s.rank);
        if (a < 0)
            return fail_value(b, MO_ERR_SHAPE, "dim %lld of a rank-%d input does not exist",
                              (long long)idx[i], s.rank);
        at[i] = a;
        dims[i] = s.dims[a];
        known = known && dims[i] >= 0;
    }
    const char *sfx = suffix ? suffix : "dims";
    if (known)
        return mo_build_i64(b, sfx, dims, (size_t)n);
    struct mo_value shape = mo_build_shape_of(b, helper_suffix(b, sfx, NULL, "shape"), v, MO_ET_I64);
    struct mo_value ind = mo_build_i64(b, helper_suffix(b, sfx, NULL, "indices"), at, (size_t)n);
    return mo_build_gather(b, sfx, shape, ind, 0);
}

struct mo_value mo_build_align_numpy(struct mo_build *b, const char *suffix, struct mo_value v, int rank)
{
    if (!live(b))
        return MO_NO_VALUE;
    int r = mo_value_shape(v).rank;
    if (r < 0 || r >= rank)
        return v;
    int64_t axes[MO_MAX_RANK];
    int n = rank - r;
    for (int i = 0; i < n && i < MO_MAX_RANK; i++)
        axes[i] = i;
    return op_with_list(b, "Unsqueeze", suffix, "align", "axes", v, axes, n < MO_MAX_RANK ? n : MO_MAX_RANK);
}

struct mo_value mo_build_align_axis(struct mo_build *b, const char *suffix, struct mo_value v,
                                    int axis, int rank)
{
    if (!live(b))
        return MO_NO_VALUE;
    int r = mo_value_shape(v).rank;
    if (r < 0 || axis < 0 || r == rank || axis + r >= rank)
        return v;
    /* v's dims sit at [axis, axis + r) of the other operand: pad the tail
     * with ones so that numpy broadcasting lines them up the same way */
    int64_t axes[MO_MAX_RANK];
    int n = rank - axis - r;
    for (int i = 0; i < n && i < MO_MAX_RANK; i++)
        axes[i] = r + i;
    return op_with_list(b, "Unsqueeze", suffix, "align", "axes", v, axes, n < MO_MAX_RANK ? n : MO_MAX_RANK);
}

static struct mo_value layout_move(struct mo_build *b, const char *suffix, const char *dflt,
                                   struct mo_value v, int rank, bool to_first)
{
    if (!live(b))
        return MO_NO_VALUE;
    if (rank < 3 || rank > MO_MAX_RANK)
        return fail_value(b, MO_ERR_SHAPE, "a layout change needs rank 3..%d, not %d", MO_MAX_RANK, rank);
    int64_t perm[MO_MAX_RANK];
    perm[0] = 0;
    for (int i = 1; i < rank; i++)
        perm[i] = to_first ? (i == 1 ? rank - 1 : i - 1) : (i == rank - 1 ? 1 : i + 1);
    return mo_build_transpose(b, suffix ? suffix : dflt, v, perm, rank);
}

struct mo_value mo_build_to_nchw(struct mo_build *b, const char *suffix, struct mo_value v, int rank)
{
    return layout_move(b, suffix, "to_nchw", v, rank, true);
}

struct mo_value mo_build_to_nhwc(struct mo_build *b, const char *suffix, struct mo_value v, int rank)
{
    return layout_move(b, suffix, "to_nhwc", v, rank, false);
}
