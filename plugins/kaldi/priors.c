/* priors.c - --remove_output_softmax and --counts (class counts -> log
 * priors subtracted from the output, as Kaldi's hybrid decoders do). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaldi.h"
#include "kio.h"
#include "model.h"

/* --- options -------------------------------------------------------------- */

/* Log priors from Kaldi's class counts, as its hybrid decoders use them:
 * log(c / sum c), a count under 1e-10 floored there first. */
static enum mo_status read_priors(const char *path, struct mo_tensor **out, struct mo_error *err)
{
    struct mo_file *f = mo_file_map(path, err);
    if (!f)
        return err ? err->code : MO_ERR_IO;
    struct mo_kio r;
    mo_kio_init(&r, f, 0, err);
    struct mo_tensor *t = NULL;
    enum mo_status st;
    if (r.binary || mo_kio_sniff(&r) == 'V') {
        st = mo_kio_vector(&r, &t);
    } else {
        /* plain numbers separated by whitespace */
        size_t n = 0, cap = 64;
        double *v = malloc(cap * sizeof *v);
        st = v ? MO_OK : MO_ERR_NOMEM;
        while (st == MO_OK && !mo_kio_eof(&r)) {
            if (n == cap) {
                double *nv = realloc(v, 2 * cap * sizeof *nv);
                if (!nv) {
                    st = MO_ERR_NOMEM;
                    break;
                }
                v = nv;
                cap *= 2;
            }
            st = mo_kio_float(&r, &v[n++]);
        }
        if (st == MO_OK) {
            struct mo_shape sh = mo_shape_of((int64_t)n);
            t = mo_tensor_new(MO_ET_F32, &sh, err);
            for (size_t i = 0; t && i < n; i++)
                mo_tensor_set_f64(t, (int64_t)i, v[i]);
            st = t ? MO_OK : MO_ERR_NOMEM;
        }
        free(v);
    }
    if (st == MO_OK && (!t || mo_tensor_numel(t) == 0)) {
        st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': the counts file holds no counts", path);
    }
    double sum = 0;
    int64_t n = st == MO_OK ? mo_tensor_numel(t) : 0;
    for (int64_t i = 0; i < n; i++) {
        double c = mo_tensor_get_f64(t, i);
        if (!(c >= 0) || isinf(c)) {
            st = mo_error_set(err, MO_ERR_FORMAT, 0, "'%s': count %lld is %g; counts are frequencies (>= 0)", path,
                              (long long)i, c);
            break;
        }
        sum += c < 1e-10 ? 1e-10 : c;
    }
    struct mo_tensor *lp = NULL;
    if (st == MO_OK) {
        struct mo_shape sh = mo_shape_of(n);
        lp = mo_tensor_new(MO_ET_F32, &sh, err);
        for (int64_t i = 0; lp && i < n; i++) {
            double c = mo_tensor_get_f64(t, i);
            mo_tensor_set_f64(lp, i, log((c < 1e-10 ? 1e-10 : c) / sum));
        }
        st = lp ? MO_OK : MO_ERR_NOMEM;
    }
    mo_tensor_unref(t);
    mo_file_unref(f);
    *out = lp;
    return st;
}

enum mo_status mo_kd_apply_options(struct ld *L, const struct mo_kaldi_opts *o, struct mo_error *err)
{
    struct mo_graph *fw = L->fw;
    if (!L->n_outs)
        return MO_OK;
    if (L->n_outs > 1 && (o->counts || o->remove_output_softmax))
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                            "--counts and --remove_output_softmax need a model with one output; this one has %u",
                            L->n_outs);
    struct mo_node *last = L->outs[0].node;
    struct mo_value outv = L->outs[0];
    if (o->remove_output_softmax && mo_kd_in_list(last->type, mo_kd_softmax_types) && last->n_inputs == 1) {
        outv = last->inputs[0];
        last = outv.node;
    }
    if (o->counts) {
        struct mo_tensor *lp = NULL;
        enum mo_status st = read_priors(o->counts, &lp, err);
        if (st != MO_OK)
            return st;
        int64_t n = mo_tensor_numel(lp);
        const struct mo_attr *bias = mo_kd_in_list(last->type, mo_kd_affine_types) ? mo_node_attr(last, "BiasParams") : NULL;
        if (bias && (bias->kind != MO_ATTR_TENSOR || mo_tensor_numel(bias->u.t) == 0))
            bias = NULL; /* a TdnnComponent without bias: the priors get a node of their own */
        if (bias && bias->kind == MO_ATTR_TENSOR && mo_tensor_numel(bias->u.t) == n) {
            /* fold: the affine layer's bias minus the log priors */
            struct mo_tensor *b = mo_tensor_convert(bias->u.t, MO_ET_F32, err);
            for (int64_t i = 0; b && i < n; i++)
                mo_tensor_set_f64(b, i, mo_tensor_get_f64(bias->u.t, i) - mo_tensor_get_f64(lp, i));
            mo_tensor_unref(lp);
            if (!b || mo_node_set_tensor(last, "BiasParams", b) != MO_OK) {
                mo_tensor_unref(b);
                return mo_kd_nomem(L);
            }
            mo_tensor_unref(b);
        } else {
            if (bias && bias->kind == MO_ATTR_TENSOR) {
                mo_tensor_unref(lp);
                return mo_error_set(err, MO_ERR_INVALID_ARG, 0,
                                    "--counts holds %lld counts, the model's output has %lld values per frame",
                                    (long long)n, (long long)mo_tensor_numel(bias->u.t));
            }
            /* a kept softmax gives posteriors: Kaldi subtracts the log priors from their log */
            struct tv x = {last, 0, 0, -1, false};
            if (!strcmp(last->type, "Softmax") || !strcmp(last->type, "SoftmaxComponent")) {
                last->type = "LogSoftmaxComponent";
            }
            char *nm = mo_graph_printf(fw, "%s/subtract_log_priors", last->name);
            struct mo_node *a = nm ? mo_kd_node(L, "AddShift", nm, 1, &x) : NULL;
            for (int64_t i = 0; i < n; i++)
                mo_tensor_set_f64(lp, i, -mo_tensor_get_f64(lp, i));
            if (!a || mo_node_set_tensor(a, "Shift", lp) != MO_OK) {
                mo_tensor_unref(lp);
                return mo_kd_nomem(L);
            }
            mo_tensor_unref(lp);
            outv = mo_val(a, 0);
        }
    }
    L->outs[0] = outv;
    return MO_OK;
}
