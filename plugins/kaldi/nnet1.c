/* nnet1.c - Kaldi nnet1 networks (<Nnet> ... </Nnet>): components one
 * after another, each "<Type> out_dim in_dim data <!EndOfComponent>". */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaldi.h"
#include "kio.h"
#include "model.h"

/* --- nnet1 ------------------------------------------------------------------ */

static enum mo_status check_shape(struct ld *L, const char *what, const struct mo_tensor *t, int64_t d0,
                                  int64_t d1)
{
    bool ok = d1 < 0 ? t->shape.rank == 1 && t->shape.dims[0] == d0
                     : t->shape.rank == 2 && t->shape.dims[0] == d0 && t->shape.dims[1] == d1;
    if (ok)
        return MO_OK;
    char s[64];
    if (d1 < 0)
        return mo_kio_fail(&L->r, "the %s has %s values, the component's header says %lld", what,
                           mo_shape_str(&t->shape, s, sizeof s), (long long)d0);
    return mo_kio_fail(&L->r, "the %s is %s, the component's header says %lld x %lld (output x input)", what,
                       mo_shape_str(&t->shape, s, sizeof s), (long long)d0, (long long)d1);
}

/* nnet1 learning options (<LearnRateCoef> 1 ...) before a component's data. */
static enum mo_status skip_options(struct ld *L, struct mo_node *n)
{
    struct mo_kio *r = &L->r;
    while (mo_kio_at_token(r)) {
        char tok[MO_KALDI_TOKEN_MAX];
        mo_kio_peek(r, tok, sizeof tok);
        if (!strcmp(tok, "<!EndOfComponent>") || !strcmp(tok, "</Nnet>") || !strcmp(tok, "<ReadVector>") ||
            !strcmp(tok, "<BuildVector>"))
            return MO_OK;
        enum mo_status st = mo_kio_token(r, tok, sizeof tok);
        if (st != MO_OK)
            return st;
        size_t len = strlen(tok);
        if (len > 2 && tok[len - 1] == '>')
            tok[len - 1] = 0;
        /* each option is one number; the data follows without a token */
        double v;
        if ((st = mo_kio_float(r, &v)) != MO_OK)
            return st;
        if (mo_node_set_float(n, tok + 1, v) != MO_OK)
            return mo_kd_nomem(L);
    }
    return MO_OK;
}

static enum mo_status nnet1_component(struct ld *L, const char *type, struct tv *x, unsigned idx)
{
    struct mo_kio *r = &L->r;
    int64_t od, id;
    enum mo_status st;
    if ((st = mo_kio_int(r, &od)) != MO_OK || (st = mo_kio_int(r, &id)) != MO_OK)
        return st;
    if (od < 0 || id < 0)
        return mo_kio_fail(r, "negative dimensions %lld x %lld", (long long)od, (long long)id);
    if (x->dim >= 0 && id != x->dim)
        return mo_kio_fail(r, "the component takes %lld values per frame, the one before it gives %lld",
                           (long long)id, (long long)x->dim);
    char *name = mo_graph_printf(L->fw, "%s_%u", type, idx);
    if (!name)
        return mo_kd_nomem(L);
    if (!strcmp(type, "Splice")) {
        int64_t *off;
        size_t n;
        char tok[MO_KALDI_TOKEN_MAX];
        mo_kio_peek(r, tok, sizeof tok);
        if (!strcmp(tok, "<ReadVector>") && (st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            return st;
        if (!strcmp(tok, "<BuildVector>"))
            return mo_kio_fail(r, "<BuildVector> in a Splice is not supported yet: write the offsets as a vector");
        if ((st = mo_kio_int_vector(r, &off, &n)) != MO_OK)
            return st;
        if (n && (int64_t)n * id != od) {
            free(off);
            return mo_kio_fail(r, "the splice has %zu offsets of %lld values, the header says %lld", n,
                               (long long)id, (long long)od);
        }
        struct tv out;
        st = mo_kd_splice(L, name, *x, off, n, &out);
        free(off);
        if (st == MO_OK) {
            out.dim = od;
            *x = out;
        }
        return st;
    }
    static const char *const plain[] = {"Sigmoid", "Tanh", "Softmax", "RectifiedLinear", "Dropout", NULL};
    struct mo_node *n = mo_kd_node(L, type, name, 1, x);
    if (!n)
        return mo_kd_nomem(L);
    if (!mo_kd_in_list(type, plain)) {
        if ((st = skip_options(L, n)) != MO_OK)
            return st;
        struct mo_tensor *t = NULL;
        if (!strcmp(type, "AffineTransform") || !strcmp(type, "LinearTransform")) {
            if ((st = mo_kio_matrix(r, &t)) != MO_OK)
                return st;
            st = mo_node_set_tensor(n, "LinearParams", t);
            mo_tensor_unref(t);
            if (st != MO_OK)
                return mo_kd_nomem(L);
            if ((st = check_shape(L, "linearity matrix", t, od, id)) != MO_OK)
                return st;
            if (!strcmp(type, "AffineTransform")) {
                if ((st = mo_kio_vector(r, &t)) != MO_OK)
                    return st;
                st = mo_node_set_tensor(n, "BiasParams", t);
                mo_tensor_unref(t);
                if (st != MO_OK)
                    return mo_kd_nomem(L);
                if ((st = check_shape(L, "bias vector", t, od, -1)) != MO_OK)
                    return st;
            }
        } else if (!strcmp(type, "AddShift") || !strcmp(type, "Rescale")) {
            if (od != id)
                return mo_kio_fail(r, "a %s must keep the dimension (header: %lld x %lld)", type, (long long)od,
                                   (long long)id);
            if ((st = mo_kio_vector(r, &t)) != MO_OK)
                return st;
            st = mo_node_set_tensor(n, !strcmp(type, "AddShift") ? "Shift" : "Scale", t);
            mo_tensor_unref(t);
            if (st != MO_OK)
                return mo_kd_nomem(L);
            if ((st = check_shape(L, "vector", t, od, -1)) != MO_OK)
                return st;
        }
    } else if (od != id) {
        return mo_kio_fail(r, "a %s must keep the dimension (header: %lld x %lld)", type, (long long)od,
                           (long long)id);
    }
    *x = (struct tv){n, x->lo, x->hi, od, x->fixed};
    return MO_OK;
}

static const char *const nnet1_types[] = {"AffineTransform", "LinearTransform", "Splice", "Sigmoid", "Tanh",
                                          "Softmax", "RectifiedLinear", "AddShift", "Rescale", "Dropout", NULL};


enum mo_status mo_kd_read_nnet1(struct ld *L)
{
    struct mo_kio *r = &L->r;
    struct mo_node *in = mo_graph_add_node(L->fw, "Parameter", "input", 0, 1);
    if (!in)
        return mo_kd_nomem(L);
    in->outputs[0].et = MO_ET_F32;
    mo_node_add_output_name(in, 0, "input");
    struct tv x = {in, 0, 0, -1, false};
    unsigned idx = 0;
    enum mo_status st;
    for (;;) {
        char tok[MO_KALDI_TOKEN_MAX], type[MO_KALDI_TOKEN_MAX], q[MO_QUOTE_SIZE];
        if (mo_kio_eof(r))
            return mo_kio_fail(r, "the file ends before </Nnet> (truncated?)");
        size_t at = r->pos;
        if ((st = mo_kio_token(r, tok, sizeof tok)) != MO_OK)
            return st;
        if (!strcmp(tok, "</Nnet>"))
            break;
        if (!strcmp(tok, "<!EndOfComponent>") || !strcmp(tok, "<Components>") || !strcmp(tok, "</Components>"))
            continue;
        if (!strcmp(tok, "<NumComponents>")) {
            int64_t k;
            if ((st = mo_kio_int(r, &k)) != MO_OK)
                return st;
            continue;
        }
        if (!mo_kd_type_of(tok, type, sizeof type)) {
            r->pos = at;
            return mo_kio_fail(r, "expected a component token (such as <AffineTransform>) or </Nnet>, found '%s'",
                               mo_quote(q, tok));
        }
        idx++;
        if (mo_kd_ends_with(type, "Component")) {
            char *name = mo_graph_printf(L->fw, "%s_%u", type, idx);
            if (!name)
                return mo_kd_nomem(L);
            if ((st = mo_kd_keyed_component(L, type, name, x, &x)) != MO_OK)
                return st;
            continue;
        }
        if (!mo_kd_in_list(type, nnet1_types)) {
            mo_kd_note_unknown(L, tok, at);
            if ((st = mo_kd_skip_to(L, "<!EndOfComponent>")) != MO_OK)
                return st;
            continue;
        }
        if (in->outputs[0].shape.rank != 2) {
            /* the first component's input dim is the model's */
            size_t p = r->pos;
            int64_t od, id;
            if ((st = mo_kio_int(r, &od)) != MO_OK || (st = mo_kio_int(r, &id)) != MO_OK)
                return st;
            r->pos = p;
            in->outputs[0].shape = mo_shape_of(MO_DYN, id);
            x.dim = id;
        }
        if ((st = nnet1_component(L, type, &x, idx)) != MO_OK)
            return st;
    }
    if (!idx)
        return mo_kio_fail(r, "the nnet1 model has no components");
    if (in->outputs[0].shape.rank != 2)
        in->outputs[0].shape = mo_shape_of(MO_DYN, x.dim);
    return mo_kd_add_out(L, mo_val(x.n, 0), NULL);
}
