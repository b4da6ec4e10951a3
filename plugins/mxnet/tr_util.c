/* tr_util.c - MXNet attribute parsing and the SSD ending shared by the
 * MXNet translators (tr_util.h). */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tr_util.h"

bool mo_mx_axis(struct mo_build *b, const char *attr, int64_t axis, int rank, int *out)
{
    *out = mo_axis_norm(axis, rank);
    if (*out >= 0)
        return true;
    *out = 0;
    mo_build_fail(b, "%s=%lld is out of range for an input of rank %d", attr, (long long)axis, rank);
    return false;
}

enum mo_etype mo_mx_dtype(const char *name)
{
    static const struct {
        const char *mx;
        enum mo_etype et;
    } map[] = {
        {"float32", MO_ET_F32}, {"float16", MO_ET_F16}, {"float64", MO_ET_F64},
        {"bfloat16", MO_ET_BF16}, {"uint8", MO_ET_U8},  {"int8", MO_ET_I8},
        {"int32", MO_ET_I32},   {"int64", MO_ET_I64},   {"bool", MO_ET_BOOLEAN},
    };
    for (size_t i = 0; name && i < MO_COUNT_OF(map); i++)
        if (!strcmp(name, map[i].mx))
            return map[i].et;
    return MO_ET_UNDEFINED;
}

bool mo_mx_attr_none(const struct mo_node *fw, const char *name)
{
    const char *s = mo_node_get_str(fw, name, NULL);
    return !s || !strcmp(s, "None") || !*s;
}

int mo_mx_get_opt_ints(const struct mo_node *fw, const char *name, int64_t *v, bool *present,
                       int max)
{
    const char *s = mo_node_get_str(fw, name, NULL);
    if (!s) {
        /* attributes set programmatically may be typed lists already */
        int n = mo_node_get_ints(fw, name, v, max);
        for (int i = 0; i < n; i++)
            present[i] = true;
        return n;
    }
    int n = 0;
    const char *p = s;
    while (*p) {
        while (*p && (isspace((unsigned char)*p) || *p == '(' || *p == '[' || *p == ','))
            p++;
        if (!*p || *p == ')' || *p == ']')
            break;
        if (n >= max)
            return -2;
        if (!strncmp(p, "None", 4)) {
            present[n] = false;
            v[n++] = 0;
            p += 4;
            continue;
        }
        char *end;
        long long x = strtoll(p, &end, 10);
        if (end == p)
            return -2;
        /* "3L" spellings from Python 2 era symbols */
        while (*end == 'L' || *end == 'l')
            end++;
        present[n] = true;
        v[n++] = x;
        p = end;
    }
    return n;
}

struct mo_value mo_mx_detection_output(struct mo_build *b, struct mo_value loc, struct mo_value cls,
                                       struct mo_value anchors, int64_t na, const double *var,
                                       const struct mo_mx_detection *d)
{
    struct mo_value pb = mo_build_reshape(b, "priors", anchors, (const int64_t[]){1, 1, na * 4}, 3, false);
    struct mo_shape vs = mo_shape_of(1, 1, na * 4);
    struct mo_tensor *vt = mo_build_ok(b) ? mo_tensor_new(MO_ET_F32, &vs, NULL) : NULL;
    for (int64_t i = 0; vt && i < na * 4; i++)
        mo_tensor_set_f64(vt, i, (double)(float)var[i % 4]);
    struct mo_value vc = mo_build_tensor(b, "variances", vt);
    struct mo_value pr = mo_build_concat(b, "priors_var", 1, 2, (const struct mo_value[]){pb, vc});
    struct mo_value o = mo_build_op(b, "DetectionOutput", NULL, 3, loc, cls, pr);
    mo_build_set_int(b, o, "num_classes", d->num_classes);
    mo_build_set_int(b, o, "background_label_id", 0);
    mo_build_set_int(b, o, "top_k", d->top_k > 0 ? d->top_k : -1);
    mo_build_set_bool(b, o, "variance_encoded_in_target", false);
    mo_build_set_ints(b, o, "keep_top_k", &d->keep_top_k, 1);
    mo_build_set_str(b, o, "code_type", "caffe.PriorBoxParameter.CENTER_SIZE");
    mo_build_set_bool(b, o, "share_location", true);
    mo_build_set_float(b, o, "nms_threshold", d->nms_threshold);
    mo_build_set_float(b, o, "confidence_threshold", d->confidence_threshold);
    mo_build_set_bool(b, o, "clip_after_nms", false);
    mo_build_set_bool(b, o, "clip_before_nms", d->clip_before_nms);
    mo_build_set_bool(b, o, "decrease_label_id", false);
    mo_build_set_bool(b, o, "normalized", true);
    mo_build_set_int(b, o, "input_height", 1);
    mo_build_set_int(b, o, "input_width", 1);
    return mo_build_set_float(b, o, "objectness_score", 0.0);
}

bool mo_mx_tuple(struct mo_build *b, const char *name, int n, int64_t dflt, int64_t *out)
{
    int64_t tmp[MO_MAX_RANK];
    int c = mo_node_get_ints(mo_build_fw(b), name, tmp, MO_MAX_RANK);
    if (c != n && c > 1) {
        mo_build_error(b, MO_ERR_FORMAT, 2, "attribute %s has %d values for %d spatial dims", name, c, n);
        return false;
    }
    for (int i = 0; i < n; i++)
        out[i] = c <= 0 ? dflt : c == 1 ? tmp[0] : tmp[i];
    return true;
}

int64_t mo_mx_prod(const struct mo_shape *s, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++)
        p *= s->dims[i];
    return p;
}
