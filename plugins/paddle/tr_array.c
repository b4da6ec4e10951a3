/* tr_array.c - Paddle tensor arrays (LoDTensorArray, PIR's
 * dense_tensor_array): write_to_array (PIR array_write_), read_from_array
 * (array_read), lod_array_length (array_length), tensor_array_to_tensor
 * (array_to_tensor).
 *
 * The IR has no arrays, so an array is held as one tensor [length,
 * element...]: writing element i is Concat(A[:i], x, A[i+1:]) along 0,
 * which replaces element i or, with i equal to the length, appends (the
 * way a loop fills an array); the loaders give an array read before any
 * write as an empty Const [0, element...], and mark array values
 * (MO_PD_ARRAY) so that a loop carrying one lets its length vary
 * (tr_flow.c).  Elements must therefore share one shape, as the arrays
 * tensor_array_to_tensor stacks do. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "paddle.h"

/* Index input I as a 1-D i64 value of one element. */
static struct mo_value index_of(struct mo_build *b)
{
    struct mo_value i = mo_pd_scalar(b, "index", mo_pd_in(b, "I", 0), MO_ET_I64);
    return mo_build_unsqueeze(b, "index/1d", i, (int64_t[]){0}, 1);
}

static enum mo_status tr_write_to_array(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_pd_in(b, "X", 0);
    struct mo_value a = mo_pd_in_opt(b, "Array", 0);
    struct mo_value one = mo_build_unsqueeze(b, "element", x, (int64_t[]){0}, 1);
    struct mo_value i = index_of(b);
    if (!a.node) {
        /* no array before: Paddle's new array, of which this is element 0 */
        struct mo_tensor *k = mo_node_const_input(fw, (unsigned)mo_pd_in_index(fw, "I", 0));
        if (k && k->shape.rank <= 1 && mo_tensor_numel(k) == 1 && mo_tensor_get_i64(k, 0) != 0)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                                  "write_to_array writes element %lld of a new array; only "
                                  "element 0 (or the next one) can start an array here",
                                  (long long)mo_tensor_get_i64(k, 0));
        return mo_pd_set_out(b, "Out", one);
    }
    if (mo_value_et(a) != MO_ET_UNDEFINED && mo_value_et(x) != MO_ET_UNDEFINED &&
        mo_value_et(a) != mo_value_et(x))
        one = mo_build_convert(b, "element/type", one, mo_value_et(a));
    struct mo_value zero = mo_build_i64(b, "start", (int64_t[]){0}, 1);
    struct mo_value step = mo_build_i64(b, "step", (int64_t[]){1}, 1);
    struct mo_value axes = mo_build_i64(b, "axes", (int64_t[]){0}, 1);
    struct mo_value end = mo_build_i64(b, "end", (int64_t[]){INT64_MAX}, 1);
    struct mo_value head = mo_build_op(b, "Slice", "head", 5, a, zero, i, step, axes);
    struct mo_value next = mo_build_op(b, "Add", "next", 2, i, step);
    struct mo_value tail = mo_build_op(b, "Slice", "tail", 5, a, next, end, step, axes);
    struct mo_value y = mo_build_concat(b, NULL, 0, 3, (struct mo_value[]){head, one, tail});
    return mo_pd_set_out(b, "Out", y);
}

static enum mo_status tr_read_from_array(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_pd_in(b, "X", 0);
    struct mo_value i = mo_pd_scalar(b, "index", mo_pd_in(b, "I", 0), MO_ET_I64);
    return mo_pd_set_out(b, "Out", mo_build_gather(b, NULL, a, i, 0));
}

static enum mo_status tr_array_length(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                      struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_pd_in(b, "X", 0);
    /* Paddle gives the length as an int64 [1] */
    return mo_pd_set_out(b, "Out", mo_build_dims(b, NULL, a, (int64_t[]){0}, 1));
}

/* The elements stacked along a new axis (use_stack) or concatenated along
 * an existing one; OutIndex gives each element's extent along it. */
static enum mo_status tr_array_to_tensor(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                         struct mo_error *err)
{
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value a = mo_pd_in(b, "X", 0);
    bool stack = mo_node_get_bool(fw, "use_stack", false, NULL);
    int r = mo_value_shape(a).rank - 1;      /* element rank */
    if (r < 0 && mo_build_ok(b))
        return mo_build_fail(b, "the array's rank is unknown");
    if (!stack && r < 1 && mo_build_ok(b))
        return mo_build_fail(b, "concatenating scalar elements (use_stack false) is undefined");
    int ax = mo_pd_axis(b, "axis", 0, stack ? r + 1 : r);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    /* the length axis 0 moved to position ax */
    int64_t perm[MO_MAX_RANK];
    for (int k = 0; k <= r; k++)
        perm[k] = k < ax ? k + 1 : k == ax ? 0 : k;
    struct mo_value y = mo_build_transpose(b, "move", a, perm, r + 1);
    struct mo_value len = mo_build_dims(b, "length", a, (int64_t[]){0}, 1);
    struct mo_value extent;
    if (stack) {
        extent = mo_build_i64(b, "extent", (int64_t[]){1}, 1);
    } else {
        /* merge the length with the element's axis ax */
        struct mo_value sh = mo_build_shape_of(b, "moved/shape", y, MO_ET_I64);
        struct mo_value parts[3];
        unsigned np = 0;
        if (ax > 0)
            parts[np++] = mo_build_slice(b, "before", sh, (int64_t[]){0}, (int64_t[]){ax}, (int64_t[]){1},
                                         (int64_t[]){0}, 1);
        parts[np++] = mo_build_i64(b, "merged", (int64_t[]){-1}, 1);
        if (ax + 2 <= r)
            parts[np++] = mo_build_slice(b, "after", sh, (int64_t[]){ax + 2}, (int64_t[]){INT64_MAX},
                                         (int64_t[]){1}, (int64_t[]){0}, 1);
        struct mo_value target = mo_build_concat(b, "target", 0, np, parts);
        y = mo_build_reshape_to(b, NULL, y, target, false);
        extent = mo_build_dims(b, "extent", a, (int64_t[]){ax + 1}, 1);
    }
    struct mo_value idx = mo_build_op(b, "Broadcast", "index", 2, extent, len);
    idx = mo_build_convert(b, "index/i32", idx, MO_ET_I32);
    int oi = mo_pd_out_index(fw, "OutIndex", 0);
    if (oi >= 0)
        mo_build_output(b, (unsigned)oi, idx);
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_TABLE(mo_pd_tr_array,
            {"write_to_array", tr_write_to_array},
            {"read_from_array", tr_read_from_array},
            {"lod_array_length", tr_array_length},
            {"tensor_array_to_tensor", tr_array_to_tensor},
);
