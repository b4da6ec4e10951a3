/* generation.c - ops that make a tensor from sizes and seeds rather than
 * from data: Eye-9, RandomUniform-8, Multinomial-13. */
#include <config.h>

#include <string.h>

#include "ops.h"

/* The element type attribute `name` of node n; MO_ET_UNDEFINED (err
 * filled) when missing or not one of the allowed ones. */
static enum mo_etype type_attr(struct mo_node *n, const char *name, const enum mo_etype *ok,
                               unsigned n_ok, struct mo_error *err)
{
    const char *v = mo_attr_str(n, name);
    enum mo_etype et = mo_etype_parse(v);
    for (unsigned i = 0; i < n_ok; i++)
        if (et == ok[i])
            return et;
    mo_shape_error(n, err, "%s '%s' is not an element type this op produces", name, v);
    return MO_ET_UNDEFINED;
}

/* Input i must be a scalar or a one-element 1-D tensor. */
static enum mo_status scalar_input(struct mo_node *n, unsigned i, const char *what, struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, i);
    if (s.rank > 1 || (s.rank == 1 && s.dims[0] >= 0 && s.dims[0] != 1))
        return mo_shape_error(n, err, "%s must be a scalar or hold one value", what);
    return MO_OK;
}

/* A 1-D shape input turned into a shape: its values when constant, else
 * as many unknown dims as it has elements (unknown rank if that count is). */
static enum mo_status shape_input(struct mo_node *n, unsigned i, const char *what, struct mo_shape *o,
                                  struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, i);
    if (s.rank > 1)
        return mo_shape_error(n, err, "%s must be 1-D", what);
    int64_t v[MO_MAX_RANK];
    int c = mo_const_ints(n, i, v, MO_MAX_RANK);
    if (c > MO_MAX_RANK || (s.rank == 1 && s.dims[0] > MO_MAX_RANK))
        return mo_shape_error(n, err, "%s has more than %d values", what, MO_MAX_RANK);
    if (c >= 0) {
        *o = (struct mo_shape){.rank = c};
        for (int k = 0; k < c; k++) {
            if (v[k] < 0)
                return mo_shape_error(n, err, "%s value %lld is negative", what, (long long)v[k]);
            o->dims[k] = v[k];
        }
        return MO_OK;
    }
    *o = mo_shape_unknown();
    if (s.rank == 0)
        *o = (struct mo_shape){.rank = 0};
    else if (s.rank == 1 && s.dims[0] >= 0) {
        o->rank = (int)s.dims[0];
        for (int k = 0; k < o->rank; k++)
            o->dims[k] = MO_DYN;
    }
    return MO_OK;
}

/* --- Eye (opset9): num_rows, num_columns, diagonal_index and an optional
 * batch_shape; out = batch_shape + [num_rows, num_columns], ones on the
 * diagonal shifted by diagonal_index (right when positive). */
static const enum mo_etype eye_types[] = {MO_ET_F32, MO_ET_F16, MO_ET_BF16, MO_ET_F64, MO_ET_I8,
                                          MO_ET_I32, MO_ET_I64, MO_ET_U8, MO_ET_BOOLEAN};

static enum mo_status infer_eye(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = type_attr(n, "output_type", eye_types, MO_COUNT_OF(eye_types), err);
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_SHAPE;
    static const char *const names[] = {"num_rows", "num_columns", "diagonal_index"};
    int64_t rc[2] = {MO_DYN, MO_DYN};
    for (unsigned i = 0; i < 3; i++) {
        enum mo_status st = scalar_input(n, i, names[i], err);
        if (st != MO_OK)
            return st;
        int64_t v;
        if (i < 2 && mo_const_scalar(n, i, &v)) {
            if (v < 0)
                return mo_shape_error(n, err, "%s %lld is negative", names[i], (long long)v);
            rc[i] = v;
        }
    }
    struct mo_shape o = {.rank = 0};
    if (n->n_inputs > 3) {
        enum mo_status st = shape_input(n, 3, "batch_shape", &o, err);
        if (st != MO_OK)
            return st;
        if (o.rank < 0)
            return mo_out_unknown(n, 0, et);
        if (o.rank + 2 > MO_MAX_RANK)
            return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
    }
    o.dims[o.rank++] = rc[0];
    o.dims[o.rank++] = rc[1];
    return mo_set_out(n, 0, et, &o);
}

static enum mo_status eval_eye(struct mo_node *n, struct mo_tensor **out, struct mo_error *err)
{
    int64_t diag;
    if (!mo_const_scalar(n, 2, &diag))
        return MO_ERR_UNSUPPORTED;
    struct mo_tensor *r = mo_eval_out(n, 0, err);
    if (!r)
        return MO_ERR_UNSUPPORTED;
    const struct mo_shape *s = &r->shape;
    int64_t rows = s->dims[s->rank - 2], cols = s->dims[s->rank - 1];
    int64_t mats = rows > 0 && cols > 0 ? mo_shape_numel(s) / (rows * cols) : 0;
    for (int64_t m = 0; m < mats; m++)
        for (int64_t i = 0; i < rows; i++) {
            int64_t j = i + diag;
            if (j >= 0 && j < cols)
                mo_tensor_set_f64(r, (m * rows + i) * cols + j, 1.0);
        }
    out[0] = r;
    return MO_OK;
}

static const struct mo_attr_spec eye_attrs[] = {{"output_type", MO_ATTR_STRING, NULL}};
static const struct mo_op_def op_eye = {"Eye", "opset9", 3, 4, 1, eye_attrs, 1, infer_eye, eval_eye};

/* --- RandomUniform (opset8): output_shape (1-D), min and max (scalars);
 * values in [min, max).  Never folded: the runtime's generator decides
 * the values. */
static const enum mo_etype random_types[] = {MO_ET_F32, MO_ET_F16, MO_ET_BF16, MO_ET_F64,
                                             MO_ET_I32, MO_ET_I64};

static enum mo_status infer_random_uniform(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = type_attr(n, "output_type", random_types, MO_COUNT_OF(random_types), err);
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_SHAPE;
    const char *al = mo_attr_str(n, "alignment");
    if (strcmp(al, "tensorflow") && strcmp(al, "pytorch"))
        return mo_shape_error(n, err, "alignment '%s' is not tensorflow or pytorch", al);
    if (mo_attr_int(n, "global_seed") < 0 || mo_attr_int(n, "op_seed") < 0)
        return mo_shape_error(n, err, "seeds must not be negative");
    for (unsigned i = 1; i < 3; i++) {
        enum mo_status st = scalar_input(n, i, i == 1 ? "min" : "max", err);
        if (st != MO_OK)
            return st;
        enum mo_etype it = mo_in_et(n, i);
        if (it != MO_ET_UNDEFINED && it != et)
            return mo_shape_error(n, err, "%s is %s, the output_type %s", i == 1 ? "min" : "max",
                                  mo_etype_name(it), mo_etype_name(et));
    }
    struct mo_shape o;
    enum mo_status st = shape_input(n, 0, "output_shape", &o, err);
    return st != MO_OK ? st : mo_set_out(n, 0, et, &o);
}

static const struct mo_attr_spec random_uniform_attrs[] = {
    {"output_type", MO_ATTR_STRING, NULL},
    {"op_seed", MO_ATTR_INT, "0"},
    {"global_seed", MO_ATTR_INT, "0"},
    {"alignment", MO_ATTR_STRING, "tensorflow"},
};
static const struct mo_op_def op_random_uniform = {
    "RandomUniform", "opset8", 3, 3, 1, random_uniform_attrs, MO_COUNT_OF(random_uniform_attrs),
    infer_random_uniform, NULL};

/* --- Multinomial (opset13): probs [batch, classes], num_samples (scalar);
 * out [batch, num_samples] of convert_type (i32 or i64) class indices. */
static const enum mo_etype index_types[] = {MO_ET_I32, MO_ET_I64};

static enum mo_status infer_multinomial(struct mo_node *n, struct mo_error *err)
{
    enum mo_etype et = type_attr(n, "convert_type", index_types, MO_COUNT_OF(index_types), err);
    if (et == MO_ET_UNDEFINED)
        return MO_ERR_SHAPE;
    struct mo_shape p = mo_in_shape(n, 0);
    if (p.rank >= 0 && p.rank != 2)
        return mo_shape_error(n, err, "probs must be 2-D [batch, classes], got rank %d", p.rank);
    enum mo_etype pt = mo_in_et(n, 0);
    if (pt != MO_ET_UNDEFINED && !mo_etype_is_float(pt))
        return mo_shape_error(n, err, "probs must be floating-point, got %s", mo_etype_name(pt));
    enum mo_status st = scalar_input(n, 1, "num_samples", err);
    if (st != MO_OK)
        return st;
    int64_t ns = MO_DYN;
    if (mo_const_scalar(n, 1, &ns) && ns < 0)
        return mo_shape_error(n, err, "num_samples %lld is negative", (long long)ns);
    struct mo_shape o = mo_shape_of(p.rank == 2 ? p.dims[0] : MO_DYN, ns);
    return mo_set_out(n, 0, et, &o);
}

static const struct mo_attr_spec multinomial_attrs[] = {
    {"convert_type", MO_ATTR_STRING, NULL},
    {"with_replacement", MO_ATTR_BOOL, NULL},
    {"log_probs", MO_ATTR_BOOL, NULL},
    {"global_seed", MO_ATTR_INT, "0"},
    {"op_seed", MO_ATTR_INT, "0"},
};
static const struct mo_op_def op_multinomial = {
    "Multinomial", "opset13", 2, 2, 1, multinomial_attrs, MO_COUNT_OF(multinomial_attrs),
    infer_multinomial, NULL};

MO_OP_FAMILY(mo_ops_generation, &op_eye, &op_random_uniform, &op_multinomial);
