/* tr_rnn.c - LSTM, GRU, RNN as the IR's LSTMSequence-5, GRUSequence-5,
 * RNNSequence-5.
 *
 * The IR keeps batch first: X [batch, seq, input], states [batch, D,
 * hidden], Y [batch, D, seq, hidden]; ONNX's layout 0 puts seq (X, Y) and
 * D (states) first, layout 1 is batch first with Y [batch, seq, D,
 * hidden].  LSTM's gates are i, o, f, c in ONNX and f, i, c, o in the IR;
 * GRU's are z, r, h in both.  ONNX's B holds the input and the recurrent
 * biases one after the other; the IR wants their sum (GRU with
 * linear_before_reset: the sums of z and r, then both h biases). */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "onnx.h"

struct rnn_kind {
    const char *ir;
    int gates;               /* per direction: 4 LSTM, 3 GRU, 1 RNN */
    const int64_t *order;    /* the IR's gate k is ONNX's gate order[k]; NULL: the same */
    const char *acts;        /* ONNX's default activations, comma-separated */
};

static const int64_t lstm_order[] = {2, 0, 3, 1};
static const struct rnn_kind k_lstm = {"LSTMSequence", 4, lstm_order, "sigmoid,tanh,tanh"};
static const struct rnn_kind k_gru = {"GRUSequence", 3, NULL, "sigmoid,tanh"};
static const struct rnn_kind k_rnn = {"RNNSequence", 1, NULL, "tanh"};

/* v [D, G*H, ...] with its G gate blocks put in the IR's order. */
static struct mo_value reorder(struct mo_build *b, const char *sfx, struct mo_value v, const struct rnn_kind *k,
                               int rank)
{
    if (!k->order)
        return v;
    struct mo_graph *g = mo_build_graph(b);
    /* [D, G, H, last]: the last dim spelled out, special_zero copies by index */
    struct mo_shape vs = mo_value_shape(v);
    int64_t last = rank == 3 && vs.rank == 3 ? vs.dims[2] : 0;
    if (rank == 3 && last < 0) {
        mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the weights' last dim must be known to reorder the gates");
        return MO_NO_VALUE;
    }
    int64_t split[4] = {0, k->gates, -1, last}, back[3] = {0, -1, last};
    struct mo_value s = mo_build_reshape(b, mo_graph_printf(g, "%s/gates", sfx), v, split, rank + 1, true);
    struct mo_value idx = mo_build_i64(b, mo_graph_printf(g, "%s/order", sfx), k->order, (size_t)k->gates);
    s = mo_build_gather(b, mo_graph_printf(g, "%s/reordered", sfx), s, idx, 1);
    return mo_build_reshape(b, sfx, s, back, rank, true);
}

static bool wanted(const struct mo_node *fw, unsigned i)
{
    return i < fw->n_outputs && fw->outputs[i].n_names;
}

static enum mo_status tr_rnn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct rnn_kind *k = user;
    bool lstm = k->gates == 4, gru = k->gates == 3;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value w = mo_build_in(b, 1, "W");
    struct mo_value r = mo_build_in(b, 2, "R");
    struct mo_value bias = mo_build_in_opt(b, 3);
    struct mo_value lens = mo_build_in_opt(b, 4);
    struct mo_value h0 = mo_build_in_opt(b, 5);
    struct mo_value c0 = lstm ? mo_build_in_opt(b, 6) : MO_NO_VALUE;
    if (!mo_build_ok(b))
        return mo_build_status(b);
    const char *dir = mo_node_get_str(fw, "direction", "forward");
    int64_t D = !strcmp(dir, "bidirectional") ? 2 : 1;
    int layout = (int)mo_node_get_int(fw, "layout", 0, NULL);
    struct mo_shape rs = mo_value_shape(r);
    int64_t H = mo_node_get_int(fw, "hidden_size", rs.rank == 3 ? rs.dims[2] : -1, NULL);
    if (H <= 0)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "hidden_size is not given and R's shape is not known");
    if (lstm && mo_node_get_int(fw, "input_forget", 0, NULL))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "input_forget=1 (coupled input and forget gates) has no "
                              "counterpart in the IR's LSTMSequence");
    if (lstm && mo_ox_has_in(b, 7)) {
        struct mo_tensor *p = mo_value_const(mo_build_in(b, 7, "P"));
        bool zero = p != NULL;
        for (int64_t i = 0; zero && i < mo_tensor_numel(p); i++)
            zero = mo_tensor_get_f64(p, i) == 0.0;
        if (!zero)
            return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "peepholes (input P) have no counterpart in the IR's "
                                  "LSTMSequence");
    }
    if (mo_node_attr(fw, "activation_alpha") || mo_node_attr(fw, "activation_beta"))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "activation_alpha/activation_beta are not supported");

    /* activations: ONNX names them per direction; the IR once for both */
    int na = k->gates == 4 ? 3 : k->gates == 3 ? 2 : 1;
    char acts[6][16];
    const char *actp[6];
    const struct mo_attr *aa = mo_node_attr(fw, "activations");
    int given = 0;
    if (aa) {
        const char *list[6];
        given = aa->kind == MO_ATTR_STRINGS && aa->u.strs.n <= 6 ? (int)aa->u.strs.n : -1;
        if (given != na && given != na * D)
            return mo_build_fail(b, "activations has %d names; %s needs %d per direction", given, fw->type, na);
        for (int i = 0; i < given; i++)
            list[i] = aa->u.strs.v[i];
        for (int i = 0; i < given; i++) {
            snprintf(acts[i], sizeof acts[i], "%s", list[i]);
            for (char *c = acts[i]; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            if (strcmp(acts[i], "sigmoid") && strcmp(acts[i], "tanh") && strcmp(acts[i], "relu"))
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "activation '%s' is not supported (the IR's "
                                      "sequences take sigmoid, tanh, relu)", list[i]);
            if (i >= na && strcmp(acts[i], acts[i - na]))
                return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "different activations per direction are not "
                                      "supported");
        }
    } else {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", k->acts);
        char *save = NULL;
        for (char *s = strtok_r(tmp, ",", &save); s && given < 6; s = strtok_r(NULL, ",", &save))
            snprintf(acts[given++], sizeof acts[0], "%s", s);
    }
    for (int i = 0; i < na; i++)
        actp[i] = acts[i];

    /* X and the states batch first */
    if (layout == 0)
        x = mo_build_transpose(b, "X_batch_first", x, (int64_t[]){1, 0, 2}, 3);
    struct mo_value bdim = mo_build_dims(b, "batch", mo_build_in(b, 0, "X"), (int64_t[]){layout == 0 ? 1 : 0}, 1);
    struct mo_value init[2] = {h0, c0};
    for (int s = 0; s < (lstm ? 2 : 1); s++) {
        const char *nm = s ? "initial_c" : "initial_h";
        if (init[s].node) {
            if (layout == 0)
                init[s] = mo_build_transpose(b, nm, init[s], (int64_t[]){1, 0, 2}, 3);
            continue;
        }
        struct mo_value dh = mo_build_i64(b, mo_graph_printf(mo_build_graph(b), "%s/dh", nm), (int64_t[]){D, H}, 2);
        struct mo_value shp = mo_build_concat(b, mo_graph_printf(mo_build_graph(b), "%s/shape", nm), 0, 2,
                                              (struct mo_value[]){bdim, dh});
        struct mo_value z = mo_build_scalar(b, mo_graph_printf(mo_build_graph(b), "%s/zero", nm), mo_value_et(x), 0);
        init[s] = mo_build_op(b, "Broadcast", nm, 2, z, shp);
    }
    if (lens.node) {
        if (mo_value_et(lens) != MO_ET_I32 && mo_value_et(lens) != MO_ET_I64)
            lens = mo_build_convert(b, "sequence_lens", lens, MO_ET_I32);
    } else {
        struct mo_value sl = mo_build_dims(b, "seq_len", mo_build_in(b, 0, "X"), (int64_t[]){layout == 0 ? 0 : 1}, 1);
        lens = mo_build_op(b, "Broadcast", "sequence_lens", 2, sl, bdim);
    }

    /* weights and biases in the IR's order */
    w = reorder(b, "W", w, k, 3);
    r = reorder(b, "R", r, k, 3);
    bool lbr = gru && mo_node_get_int(fw, "linear_before_reset", 0, NULL) != 0;
    if (!bias.node) {
        struct mo_value z = mo_build_scalar(b, "B/zero", mo_value_et(x), 0);
        struct mo_value shp = mo_build_i64(b, "B/shape", (int64_t[]){D, (lbr ? 4 : k->gates) * H}, 2);
        bias = mo_build_op(b, "Broadcast", "B", 2, z, shp);
    } else if (lbr) {
        /* [D, 2, 3, H]: z and r summed, h kept apart for both */
        struct mo_value wr = mo_build_reshape(b, "B/parts", bias, (int64_t[]){0, 2, 3, -1}, 4, true);
        struct mo_value wb = mo_build_slice(b, "B/input", wr, (int64_t[]){0}, (int64_t[]){1}, (int64_t[]){1},
                                            (int64_t[]){1}, 1);
        struct mo_value rb = mo_build_slice(b, "B/recurrent", wr, (int64_t[]){1}, (int64_t[]){2}, (int64_t[]){1},
                                            (int64_t[]){1}, 1);
        struct mo_value sum = mo_build_op(b, "Add", "B/sum", 2, wb, rb);
        struct mo_value zr = mo_build_slice(b, "B/zr", sum, (int64_t[]){0}, (int64_t[]){2}, (int64_t[]){1},
                                            (int64_t[]){2}, 1);
        struct mo_value wh = mo_build_slice(b, "B/wh", wb, (int64_t[]){2}, (int64_t[]){3}, (int64_t[]){1},
                                            (int64_t[]){2}, 1);
        struct mo_value rh = mo_build_slice(b, "B/rh", rb, (int64_t[]){2}, (int64_t[]){3}, (int64_t[]){1},
                                            (int64_t[]){2}, 1);
        struct mo_value cat = mo_build_concat(b, "B/gates", 2, 3, (struct mo_value[]){zr, wh, rh});
        bias = mo_build_reshape(b, "B", cat, (int64_t[]){0, -1}, 2, true);
    } else {
        struct mo_value wr = mo_build_reshape(b, "B/parts", bias, (int64_t[]){0, 2, -1}, 3, true);
        struct mo_value ax = mo_build_i64(b, "B/axis", (int64_t[]){1}, 1);
        bias = mo_build_set_bool(b, mo_build_op(b, "ReduceSum", "B/sum", 2, wr, ax), "keep_dims", false);
        bias = reorder(b, "B", bias, k, 2);
    }

    struct mo_value in[7];
    unsigned n = 0;
    in[n++] = x;
    in[n++] = init[0];
    if (lstm)
        in[n++] = init[1];
    in[n++] = lens;
    in[n++] = w;
    in[n++] = r;
    in[n++] = bias;
    struct mo_value seq = mo_build_opv(b, k->ir, "sequence", n, in);
    mo_build_set_str(b, seq, "direction", dir);
    mo_build_set_int(b, seq, "hidden_size", H);
    mo_build_set_strs(b, seq, "activations", actp, (size_t)na);
    bool ok = false;
    double clip = mo_node_get_float(fw, "clip", 0.0, &ok);
    mo_build_set_float(b, seq, "clip", ok ? clip : 0.0);
    if (gru)
        mo_build_set_bool(b, seq, "linear_before_reset", lbr);

    /* outputs back in ONNX's layout */
    struct mo_value y = MO_NO_VALUE;
    if (wanted(fw, 0))
        y = mo_build_transpose(b, NULL, seq, layout == 0 ? (int64_t[]){2, 1, 0, 3} : (int64_t[]){0, 2, 1, 3}, 4);
    for (unsigned s = 1; s <= (lstm ? 2u : 1u); s++) {
        if (!wanted(fw, s))
            continue;
        struct mo_value st = mo_val(seq.node, s);
        if (layout == 0)
            st = mo_build_transpose(b, s == 1 ? "Y_h" : "Y_c", st, (int64_t[]){1, 0, 2}, 3);
        mo_build_output(b, s, st);
    }
    if (!y.node)
        return mo_build_status(b);
    return mo_build_done(b, y);
}

MO_OX_TABLE(mo_ox_tr_rnn,
    {"LSTM", 7, tr_rnn, &k_lstm},
    {"GRU", 7, tr_rnn, &k_gru},
    {"RNN", 7, tr_rnn, &k_rnn},
)
