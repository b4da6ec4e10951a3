/* tr_rnn.c - Paddle's rnn op (paddle.nn.LSTM, GRU, SimpleRNN) as the IR's
 * LSTMSequence-5 / GRUSequence-5 / RNNSequence-5, one per layer.
 *
 * The op is time major: Input [seq, batch, in], Out [seq, batch, D*H],
 * PreState and State [L*D, batch, H] each (h, and c for LSTM).  WeightList
 * holds every (layer, direction)'s weight_ih [G*H, in] and weight_hh
 * [G*H, H] first, in that order, then their bias_ih and bias_hh [G*H]:
 * index 2*(l*D + d) (+1) for the weights, 2*L*D + 2*(l*D + d) (+1) for the
 * biases.  Paddle's gates are i, f, c, o (LSTM) and r, z, c (GRU, the reset
 * applied after the recurrent product, the IR's linear_before_reset); the
 * IR's are f, i, c, o and z, r, h.  A layer's output (both directions'
 * features side by side) is the next layer's input. */
#include <config.h>

#include <string.h>

#include "paddle.h"

struct rnn_kind {
    const char *mode;        /* Paddle's mode attribute */
    const char *ir;
    int gates;
    const int64_t *order;    /* the IR's gate k is Paddle's gate order[k] */
    const char *act;         /* RNNSequence's activation */
};

static const int64_t lstm_order[] = {1, 0, 2, 3};
static const int64_t gru_order[] = {1, 0, 2};
static const struct rnn_kind kinds[] = {
    {"LSTM", "LSTMSequence", 4, lstm_order, NULL},
    {"GRU", "GRUSequence", 3, gru_order, NULL},
    {"RNN_TANH", "RNNSequence", 1, NULL, "tanh"},
    {"RNN_RELU", "RNNSequence", 1, NULL, "relu"},
};

/* v [G*H] (rank 1) or [G*H, cols] (rank 2) with its gate blocks in the
 * IR's order, then a leading direction dim: [1, G*H, ...].  The rank is
 * the caller's: a bias summed here has no shape inferred yet. */
static struct mo_value gates_ir(struct mo_build *b, const char *sfx, struct mo_value v,
                                const struct rnn_kind *k, int64_t H, int rank)
{
    struct mo_graph *g = mo_build_graph(b);
    if (k->order && mo_build_ok(b)) {
        struct mo_shape s = mo_value_shape(v);
        int64_t cols = rank == 2 && s.rank == 2 ? s.dims[1] : -1;
        if (rank == 2 && cols < 0) {
            mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "the rnn weights' shape must be known to reorder the gates");
            return MO_NO_VALUE;
        }
        int64_t split[3] = {k->gates, H, cols};
        struct mo_value r = mo_build_reshape(b, mo_graph_printf(g, "%s/gates", sfx), v, split, rank + 1, false);
        struct mo_value idx = mo_build_i64(b, mo_graph_printf(g, "%s/order", sfx), k->order, (size_t)k->gates);
        r = mo_build_gather(b, mo_graph_printf(g, "%s/reordered", sfx), r, idx, 0);
        int64_t back[2] = {k->gates * H, cols};
        v = mo_build_reshape(b, mo_graph_printf(g, "%s/flat", sfx), r, back, rank, false);
    }
    return mo_build_unsqueeze(b, sfx, v, (int64_t[]){0}, 1);
}

static enum mo_status tr_rnn(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_graph *g = mo_build_graph(b);
    const char *mode = mo_node_get_str(fw, "mode", "LSTM");
    const struct rnn_kind *k = NULL;
    for (size_t i = 0; i < MO_COUNT_OF(kinds); i++)
        if (!strcmp(kinds[i].mode, mode))
            k = &kinds[i];
    if (!k)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "rnn mode '%s' is not one of LSTM, GRU, RNN_TANH, RNN_RELU",
                              mode);
    bool lstm = k->gates == 4, gru = k->gates == 3;
    int64_t L = mo_node_get_int(fw, "num_layers", 1, NULL);
    int64_t D = mo_node_get_bool(fw, "is_bidirec", false, NULL) ? 2 : 1;
    int64_t H = mo_node_get_int(fw, "hidden_size", -1, NULL);
    unsigned nw = mo_pd_in_count(fw, "WeightList");
    if (L < 1 || L > 64 || H < 1)
        return mo_build_fail(b, "rnn has num_layers=%lld hidden_size=%lld", (long long)L, (long long)H);
    bool biases = nw == (unsigned)(4 * L * D);
    if (nw != (unsigned)(2 * L * D) && !biases)
        return mo_build_fail(b, "rnn has %u tensors in WeightList; %lld layers x %lld directions need %lld "
                             "(or %lld with biases)", nw, (long long)L, (long long)D, (long long)(2 * L * D),
                             (long long)(4 * L * D));
    struct mo_value x = mo_pd_in(b, "Input", 0);
    unsigned nstate = mo_pd_in_count(fw, "PreState");
    struct mo_value h0 = nstate > 0 ? mo_pd_in(b, "PreState", 0) : MO_NO_VALUE;
    struct mo_value c0 = lstm && nstate > 1 ? mo_pd_in(b, "PreState", 1) : MO_NO_VALUE;
    struct mo_value lens = mo_pd_in_opt(b, "SequenceLength", 0);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    enum mo_etype et = mo_value_et(x);

    struct mo_value bdim = mo_build_dims(b, "batch", x, (int64_t[]){1}, 1);
    if (lens.node) {
        if (mo_value_et(lens) != MO_ET_I32 && mo_value_et(lens) != MO_ET_I64)
            lens = mo_build_convert(b, "sequence_lens", lens, MO_ET_I32);
    } else {
        struct mo_value sl = mo_build_dims(b, "seq_len", x, (int64_t[]){0}, 1);
        lens = mo_build_op(b, "Broadcast", "sequence_lens", 2, sl, bdim);
    }
    /* states [L*D, batch, H] -> per layer [batch, D, H]; zeros when absent */
    struct mo_value init[2] = {h0, c0};
    for (int s = 0; s < (lstm ? 2 : 1); s++) {
        if (init[s].node)
            continue;
        const char *nm = s ? "initial_c" : "initial_h";
        struct mo_value ld = mo_build_i64(b, mo_graph_printf(g, "%s/ld", nm), (int64_t[]){L * D}, 1);
        struct mo_value hh = mo_build_i64(b, mo_graph_printf(g, "%s/h", nm), (int64_t[]){H}, 1);
        struct mo_value shp = mo_build_concat(b, mo_graph_printf(g, "%s/shape", nm), 0, 3,
                                              (struct mo_value[]){ld, bdim, hh});
        struct mo_value z = mo_build_scalar(b, mo_graph_printf(g, "%s/zero", nm), et, 0);
        init[s] = mo_build_op(b, "Broadcast", nm, 2, z, shp);
    }

    struct mo_value in = mo_build_transpose(b, "X_batch_first", x, (int64_t[]){1, 0, 2}, 3);
    struct mo_value hs[64], cs[64], y = MO_NO_VALUE;
    for (int64_t l = 0; l < L && mo_build_ok(b); l++) {
        struct mo_value w[2], r[2], bias[2];
        for (int64_t d = 0; d < D; d++) {
            unsigned wi = (unsigned)(2 * (l * D + d)), bi = (unsigned)(2 * L * D) + wi;
            const char *sfx = mo_graph_printf(g, "l%lld_d%lld", (long long)l, (long long)d);
            w[d] = gates_ir(b, mo_graph_printf(g, "%s/W", sfx), mo_pd_in(b, "WeightList", wi), k, H, 2);
            r[d] = gates_ir(b, mo_graph_printf(g, "%s/R", sfx), mo_pd_in(b, "WeightList", wi + 1), k, H, 2);
            if (biases) {
                struct mo_value bx = mo_pd_in(b, "WeightList", bi), bh = mo_pd_in(b, "WeightList", bi + 1);
                if (gru) {
                    /* z and r summed; the candidate's input and recurrent
                     * biases apart (linear_before_reset) */
                    struct mo_value sum = mo_build_op(b, "Add", mo_graph_printf(g, "%s/B/sum", sfx), 2, bx, bh);
                    struct mo_value zr = gates_ir(b, mo_graph_printf(g, "%s/B/zr_all", sfx), sum, k, H, 1);
                    zr = mo_build_slice(b, mo_graph_printf(g, "%s/B/zr", sfx), zr, (int64_t[]){0},
                                        (int64_t[]){2 * H}, (int64_t[]){1}, (int64_t[]){1}, 1);
                    struct mo_value wh = mo_build_slice(b, mo_graph_printf(g, "%s/B/wh", sfx), bx,
                                                        (int64_t[]){2 * H}, (int64_t[]){3 * H}, (int64_t[]){1},
                                                        (int64_t[]){0}, 1);
                    struct mo_value rh = mo_build_slice(b, mo_graph_printf(g, "%s/B/rh", sfx), bh,
                                                        (int64_t[]){2 * H}, (int64_t[]){3 * H}, (int64_t[]){1},
                                                        (int64_t[]){0}, 1);
                    wh = mo_build_unsqueeze(b, mo_graph_printf(g, "%s/B/wh1", sfx), wh, (int64_t[]){0}, 1);
                    rh = mo_build_unsqueeze(b, mo_graph_printf(g, "%s/B/rh1", sfx), rh, (int64_t[]){0}, 1);
                    bias[d] = mo_build_concat(b, mo_graph_printf(g, "%s/B", sfx), 1, 3,
                                              (struct mo_value[]){zr, wh, rh});
                } else {
                    struct mo_value sum = mo_build_op(b, "Add", mo_graph_printf(g, "%s/B/sum", sfx), 2, bx, bh);
                    bias[d] = gates_ir(b, mo_graph_printf(g, "%s/B", sfx), sum, k, H, 1);
                }
            } else {
                struct mo_value z = mo_build_scalar(b, mo_graph_printf(g, "%s/B/zero", sfx), et, 0);
                struct mo_value shp = mo_build_i64(b, mo_graph_printf(g, "%s/B/shape", sfx),
                                                   (int64_t[]){1, (gru ? 4 : k->gates) * H}, 2);
                bias[d] = mo_build_op(b, "Broadcast", mo_graph_printf(g, "%s/B", sfx), 2, z, shp);
            }
        }
        const char *ls = mo_graph_printf(g, "l%lld", (long long)l);
        struct mo_value W = D == 2 ? mo_build_concat(b, mo_graph_printf(g, "%s/W", ls), 0, 2, w) : w[0];
        struct mo_value R = D == 2 ? mo_build_concat(b, mo_graph_printf(g, "%s/R", ls), 0, 2, r) : r[0];
        struct mo_value B = D == 2 ? mo_build_concat(b, mo_graph_printf(g, "%s/B", ls), 0, 2, bias) : bias[0];
        struct mo_value st[2];
        for (int s = 0; s < (lstm ? 2 : 1); s++) {
            st[s] = mo_build_slice(b, mo_graph_printf(g, "%s/%s0", ls, s ? "c" : "h"), init[s],
                                   (int64_t[]){l * D}, (int64_t[]){(l + 1) * D}, (int64_t[]){1},
                                   (int64_t[]){0}, 1);
            st[s] = mo_build_transpose(b, mo_graph_printf(g, "%s/%s0_batch_first", ls, s ? "c" : "h"), st[s],
                                       (int64_t[]){1, 0, 2}, 3);
        }
        struct mo_value args[7];
        unsigned n = 0;
        args[n++] = in;
        args[n++] = st[0];
        if (lstm)
            args[n++] = st[1];
        args[n++] = lens;
        args[n++] = W;
        args[n++] = R;
        args[n++] = B;
        struct mo_value seq = mo_build_opv(b, k->ir, mo_graph_printf(g, "%s/sequence", ls), n, args);
        mo_build_set_str(b, seq, "direction", D == 2 ? "bidirectional" : "forward");
        mo_build_set_int(b, seq, "hidden_size", H);
        if (k->act)
            mo_build_set_strs(b, seq, "activations", (const char **)&k->act, 1);
        if (gru)
            mo_build_set_bool(b, seq, "linear_before_reset", true);
        /* Y [batch, D, seq, H] -> [batch, seq, D*H], the next layer's input */
        struct mo_value yt = mo_build_transpose(b, mo_graph_printf(g, "%s/Y_t", ls), seq, (int64_t[]){0, 2, 1, 3}, 4);
        in = mo_build_reshape(b, mo_graph_printf(g, "%s/Y", ls), yt, (int64_t[]){0, 0, -1}, 3, true);
        /* states [batch, D, H] -> [D, batch, H] */
        hs[l] = mo_build_transpose(b, mo_graph_printf(g, "%s/h", ls), mo_val(seq.node, 1), (int64_t[]){1, 0, 2}, 3);
        if (lstm)
            cs[l] = mo_build_transpose(b, mo_graph_printf(g, "%s/c", ls), mo_val(seq.node, 2),
                                       (int64_t[]){1, 0, 2}, 3);
    }
    y = mo_build_transpose(b, NULL, in, (int64_t[]){1, 0, 2}, 3);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    for (int s = 0; s < (lstm ? 2 : 1); s++) {
        int oi = mo_pd_out_index(fw, "State", (unsigned)s);
        if (oi < 0 || !fw->outputs[oi].n_names)
            continue;
        struct mo_value v = L == 1 ? (s ? cs[0] : hs[0])
                                   : mo_build_concat(b, s ? "State_c" : "State_h", 0, (unsigned)L, s ? cs : hs);
        mo_build_output(b, (unsigned)oi, v);
    }
    return mo_pd_set_out(b, "Out", y);
}

MO_PD_TABLE(mo_pd_tr_rnn,
            {"rnn", tr_rnn},
);
