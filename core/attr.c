/* attr.c - typed node attributes, stored in the graph arena.
 *
 * Getters accept string-valued attributes and parse them, because several
 * frameworks (MXNet above all) store every attribute as text such as
 * "(3, 3)", "True" or "None". */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mo/graph.h>

const struct mo_attr *mo_node_attr(const struct mo_node *n, const char *name)
{
    for (unsigned i = 0; i < n->n_attrs; i++)
        if (!strcmp(n->attrs[i].name, name))
            return &n->attrs[i];
    return NULL;
}

void mo_node_del_attr(struct mo_node *n, const char *name)
{
    for (unsigned i = 0; i < n->n_attrs; i++) {
        if (strcmp(n->attrs[i].name, name) != 0)
            continue;
        if (n->attrs[i].kind == MO_ATTR_TENSOR)
            mo_tensor_unref(n->attrs[i].u.t);
        memmove(&n->attrs[i], &n->attrs[i + 1], (n->n_attrs - i - 1) * sizeof n->attrs[0]);
        n->n_attrs--;
        return;
    }
}

/* Slot for name: the existing one (its old value released) or a new one. */
static struct mo_attr *slot(struct mo_node *n, const char *name)
{
    for (unsigned i = 0; i < n->n_attrs; i++) {
        if (!strcmp(n->attrs[i].name, name)) {
            if (n->attrs[i].kind == MO_ATTR_TENSOR)
                mo_tensor_unref(n->attrs[i].u.t);
            n->attrs[i].kind = MO_ATTR_NONE;
            return &n->attrs[i];
        }
    }
    /* arrays grow in the arena by doubling; the old block is abandoned */
    unsigned cap = 4;
    while (cap < n->n_attrs)
        cap *= 2;
    if (n->n_attrs == cap || n->n_attrs == 0) {
        unsigned ncap = n->n_attrs == 0 ? 4 : cap * 2;
        struct mo_attr *a = mo_graph_alloc(n->graph, ncap * sizeof *a);
        if (!a)
            return NULL;
        if (n->n_attrs)
            memcpy(a, n->attrs, n->n_attrs * sizeof *a);
        n->attrs = a;
    }
    struct mo_attr *a = &n->attrs[n->n_attrs];
    a->name = mo_graph_strdup(n->graph, name);
    if (!a->name)
        return NULL;
    n->n_attrs++;
    return a;
}

enum mo_status mo_node_set_int(struct mo_node *n, const char *name, int64_t v)
{
    struct mo_attr *a = slot(n, name);
    if (!a)
        return MO_ERR_NOMEM;
    a->kind = MO_ATTR_INT;
    a->u.i = v;
    return MO_OK;
}

enum mo_status mo_node_set_float(struct mo_node *n, const char *name, double v)
{
    struct mo_attr *a = slot(n, name);
    if (!a)
        return MO_ERR_NOMEM;
    a->kind = MO_ATTR_FLOAT;
    a->u.f = v;
    return MO_OK;
}

enum mo_status mo_node_set_bool(struct mo_node *n, const char *name, bool v)
{
    struct mo_attr *a = slot(n, name);
    if (!a)
        return MO_ERR_NOMEM;
    a->kind = MO_ATTR_BOOL;
    a->u.b = v;
    return MO_OK;
}

enum mo_status mo_node_set_str(struct mo_node *n, const char *name, const char *v)
{
    char *s = mo_graph_strdup(n->graph, v ? v : "");
    struct mo_attr *a = s ? slot(n, name) : NULL;
    if (!a)
        return MO_ERR_NOMEM;
    a->kind = MO_ATTR_STRING;
    a->u.s = s;
    return MO_OK;
}

enum mo_status mo_node_set_ints(struct mo_node *n, const char *name, const int64_t *v, size_t cnt)
{
    int64_t *c = mo_graph_alloc(n->graph, (cnt ? cnt : 1) * sizeof *c);
    struct mo_attr *a = c ? slot(n, name) : NULL;
    if (!a)
        return MO_ERR_NOMEM;
    if (cnt)
        memcpy(c, v, cnt * sizeof *c);
    a->kind = MO_ATTR_INTS;
    a->u.ints.v = c;
    a->u.ints.n = cnt;
    return MO_OK;
}

enum mo_status mo_node_set_floats(struct mo_node *n, const char *name, const double *v, size_t cnt)
{
    double *c = mo_graph_alloc(n->graph, (cnt ? cnt : 1) * sizeof *c);
    struct mo_attr *a = c ? slot(n, name) : NULL;
    if (!a)
        return MO_ERR_NOMEM;
    if (cnt)
        memcpy(c, v, cnt * sizeof *c);
    a->kind = MO_ATTR_FLOATS;
    a->u.floats.v = c;
    a->u.floats.n = cnt;
    return MO_OK;
}

enum mo_status mo_node_set_strs(struct mo_node *n, const char *name, const char *const *v, size_t cnt)
{
    const char **c = mo_graph_alloc(n->graph, (cnt ? cnt : 1) * sizeof *c);
    if (!c)
        return MO_ERR_NOMEM;
    for (size_t i = 0; i < cnt; i++)
        if (!(c[i] = mo_graph_strdup(n->graph, v[i] ? v[i] : "")))
            return MO_ERR_NOMEM;
    struct mo_attr *a = slot(n, name);
    if (!a)
        return MO_ERR_NOMEM;
    a->kind = MO_ATTR_STRINGS;
    a->u.strs.v = c;
    a->u.strs.n = cnt;
    return MO_OK;
}

enum mo_status mo_node_set_tensor(struct mo_node *n, const char *name, struct mo_tensor *t)
{
    /* reference first: slot() releases the old value, which may be t itself */
    mo_tensor_ref(t);
    struct mo_attr *a = slot(n, name);
    if (!a) {
        mo_tensor_unref(t);
        return MO_ERR_NOMEM;
    }
    a->kind = MO_ATTR_TENSOR;
    a->u.t = t;
    return MO_OK;
}

enum mo_status mo_node_copy_attr(struct mo_node *n, const struct mo_attr *a)
{
    switch (a->kind) {
    case MO_ATTR_INT: return mo_node_set_int(n, a->name, a->u.i);
    case MO_ATTR_FLOAT: return mo_node_set_float(n, a->name, a->u.f);
    case MO_ATTR_BOOL: return mo_node_set_bool(n, a->name, a->u.b);
    case MO_ATTR_STRING: return mo_node_set_str(n, a->name, a->u.s);
    case MO_ATTR_INTS: return mo_node_set_ints(n, a->name, a->u.ints.v, a->u.ints.n);
    case MO_ATTR_FLOATS: return mo_node_set_floats(n, a->name, a->u.floats.v, a->u.floats.n);
    case MO_ATTR_STRINGS: return mo_node_set_strs(n, a->name, a->u.strs.v, a->u.strs.n);
    case MO_ATTR_TENSOR: return mo_node_set_tensor(n, a->name, a->u.t);
    default: return MO_ERR_INVALID_ARG;
    }
}

/* --- parsing text values -------------------------------------------------- */

static const char *skip_ws(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

static bool parse_bool_text(const char *s, bool *out)
{
    s = skip_ws(s);
    if (!strcasecmp(s, "true") || !strcmp(s, "1")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(s, "false") || !strcmp(s, "0")) {
        *out = false;
        return true;
    }
    return false;
}

/* double -> int64 without the undefined behaviour of an out-of-range cast */
static int64_t sat_i64(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775808.0)
        return INT64_MAX;
    if (d < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

/* Parse a number list written as "3", "(3, 3)", "[1,2]", "(1L, 2L)" or
 * "()"; "None" entries count as def_none.  Integer tokens are read as
 * integers so that INT64_MAX-style sentinels survive (a double has only 53
 * bits).  Up to max values go to dout and/or iout (either may be NULL).
 * Returns the count or -1. */
static int parse_num_list(const char *s, double *dout, int64_t *iout, int max, double def_none)
{
    int n = 0;
    s = skip_ws(s);
    if (*s == '(' || *s == '[')
        s++;
    for (;;) {
        s = skip_ws(s);
        if (*s == ')' || *s == ']' || *s == 0)
            break;
        double v;
        int64_t iv;
        if (!strncmp(s, "None", 4)) {
            v = def_none;
            iv = sat_i64(def_none);
            s += 4;
        } else {
            char *end;
            errno = 0;
            long long ll = strtoll(s, &end, 10);
            if (end != s && errno == 0 && *end != '.' && *end != 'e' && *end != 'E') {
                iv = ll;
                v = (double)ll;
            } else {
                v = strtod(s, &end);
                if (end == s)
                    return -1;
                iv = sat_i64(v);
            }
            s = end;
            if (*s == 'L' || *s == 'l')
                s++;
        }
        if (n < max) {
            if (dout)
                dout[n] = v;
            if (iout)
                iout[n] = iv;
        }
        n++;
        s = skip_ws(s);
        if (*s == ',')
            s++;
        else if (*s != ')' && *s != ']' && *s != 0)
            return -1;
    }
    return n;
}

int64_t mo_node_get_int(const struct mo_node *n, const char *name, int64_t dflt, bool *ok)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (ok)
        *ok = true;
    if (!a)
        return dflt;
    switch (a->kind) {
    case MO_ATTR_INT: return a->u.i;
    case MO_ATTR_BOOL: return a->u.b;
    case MO_ATTR_FLOAT: return sat_i64(a->u.f);
    case MO_ATTR_INTS:
        if (a->u.ints.n == 1)
            return a->u.ints.v[0];
        break;
    case MO_ATTR_STRING: {
        bool b;
        if (parse_bool_text(a->u.s, &b) && strcmp(skip_ws(a->u.s), "0") && strcmp(skip_ws(a->u.s), "1"))
            return b;
        if (!strcmp(skip_ws(a->u.s), "None"))
            return dflt;
        char *end;
        const char *s = skip_ws(a->u.s);
        long long v = strtoll(s, &end, 10);
        if (end != s) {
            end = (char *)skip_ws(end);
            if (*end == 'L')
                end++;
            if (*skip_ws(end) == 0)
                return v;
        }
        int64_t one[1];
        if (parse_num_list(s, NULL, one, 1, 0) == 1)
            return one[0];
        break;
    }
    default: break;
    }
    if (ok)
        *ok = false;
    return dflt;
}

double mo_node_get_float(const struct mo_node *n, const char *name, double dflt, bool *ok)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (ok)
        *ok = true;
    if (!a)
        return dflt;
    switch (a->kind) {
    case MO_ATTR_FLOAT: return a->u.f;
    case MO_ATTR_INT: return (double)a->u.i;
    case MO_ATTR_BOOL: return a->u.b;
    case MO_ATTR_FLOATS:
        if (a->u.floats.n == 1)
            return a->u.floats.v[0];
        break;
    case MO_ATTR_STRING: {
        const char *s = skip_ws(a->u.s);
        if (!strcmp(s, "None"))
            return dflt;
        char *end;
        double v = strtod(s, &end);
        if (end != s && *skip_ws(end) == 0)
            return v;
        break;
    }
    default: break;
    }
    if (ok)
        *ok = false;
    return dflt;
}

bool mo_node_get_bool(const struct mo_node *n, const char *name, bool dflt, bool *ok)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (ok)
        *ok = true;
    if (!a)
        return dflt;
    switch (a->kind) {
    case MO_ATTR_BOOL: return a->u.b;
    case MO_ATTR_INT: return a->u.i != 0;
    case MO_ATTR_FLOAT: return a->u.f != 0;
    case MO_ATTR_STRING: {
        bool b;
        if (parse_bool_text(a->u.s, &b))
            return b;
        if (!strcmp(skip_ws(a->u.s), "None"))
            return dflt;
        break;
    }
    default: break;
    }
    if (ok)
        *ok = false;
    return dflt;
}

const char *mo_node_get_str(const struct mo_node *n, const char *name, const char *dflt)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (!a || a->kind != MO_ATTR_STRING)
        return dflt;
    return a->u.s;
}

int mo_node_get_ints(const struct mo_node *n, const char *name, int64_t *out, int max)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (!a)
        return -1;
    switch (a->kind) {
    case MO_ATTR_INTS:
        for (size_t i = 0; i < a->u.ints.n && (int)i < max; i++)
            out[i] = a->u.ints.v[i];
        return (int)a->u.ints.n;
    case MO_ATTR_INT:
        if (max > 0)
            out[0] = a->u.i;
        return 1;
    case MO_ATTR_STRING: return parse_num_list(a->u.s, NULL, out, max, -1);
    default: return -1;
    }
}

int mo_node_get_floats(const struct mo_node *n, const char *name, double *out, int max)
{
    const struct mo_attr *a = mo_node_attr(n, name);
    if (!a)
        return -1;
    switch (a->kind) {
    case MO_ATTR_FLOATS:
        for (size_t i = 0; i < a->u.floats.n && (int)i < max; i++)
            out[i] = a->u.floats.v[i];
        return (int)a->u.floats.n;
    case MO_ATTR_INTS:
        for (size_t i = 0; i < a->u.ints.n && (int)i < max; i++)
            out[i] = (double)a->u.ints.v[i];
        return (int)a->u.ints.n;
    case MO_ATTR_FLOAT:
        if (max > 0)
            out[0] = a->u.f;
        return 1;
    case MO_ATTR_INT:
        if (max > 0)
            out[0] = (double)a->u.i;
        return 1;
    case MO_ATTR_STRING: return parse_num_list(a->u.s, out, NULL, max, 0);
    default: return -1;
    }
}
