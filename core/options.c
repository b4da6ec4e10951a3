/* options.c - conversion options as an ordered name -> value list. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mo/options.h>

struct opt {
    char *name, *value;
};

struct mo_options {
    struct opt *v;
    unsigned n, cap;
};

struct mo_options *mo_options_new(void) { return calloc(1, sizeof(struct mo_options)); }

void mo_options_free(struct mo_options *o)
{
    if (!o)
        return;
    for (unsigned i = 0; i < o->n; i++) {
        free(o->v[i].name);
        free(o->v[i].value);
    }
    free(o->v);
    free(o);
}

enum mo_status mo_options_set(struct mo_options *o, const char *name, const char *value)
{
    for (unsigned i = 0; i < o->n; i++) {
        if (strcmp(o->v[i].name, name) != 0)
            continue;
        if (!value) {
            free(o->v[i].name);
            free(o->v[i].value);
            memmove(&o->v[i], &o->v[i + 1], (o->n - i - 1) * sizeof o->v[0]);
            o->n--;
            return MO_OK;
        }
        char *c = strdup(value);
        if (!c)
            return MO_ERR_NOMEM;
        free(o->v[i].value);
        o->v[i].value = c;
        return MO_OK;
    }
    if (!value)
        return MO_OK;
    if (o->n == o->cap) {
        unsigned cap = o->cap ? o->cap * 2 : 16;
        struct opt *nv = realloc(o->v, cap * sizeof *nv);
        if (!nv)
            return MO_ERR_NOMEM;
        o->v = nv;
        o->cap = cap;
    }
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return MO_ERR_NOMEM;
    }
    o->v[o->n].name = n;
    o->v[o->n].value = v;
    o->n++;
    return MO_OK;
}

const char *mo_options_get(const struct mo_options *o, const char *name)
{
    if (!o)
        return NULL;
    for (unsigned i = 0; i < o->n; i++)
        if (!strcmp(o->v[i].name, name))
            return o->v[i].value;
    return NULL;
}

bool mo_options_flag(const struct mo_options *o, const char *name)
{
    const char *v = mo_options_get(o, name);
    return v && strcmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no");
}

bool mo_options_at(const struct mo_options *o, unsigned i, const char **name, const char **value)
{
    if (!o || i >= o->n)
        return false;
    *name = o->v[i].name;
    *value = o->v[i].value;
    return true;
}
