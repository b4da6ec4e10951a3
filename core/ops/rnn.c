/* rnn.c - the recurrent sequence ops of opset5: LSTMSequence, GRUSequence,
 * RNNSequence.
 *
 * Inputs (S = states: 2 for LSTM, hidden and cell; 1 otherwise; G = gates:
 * 4 LSTM, 3 GRU, 1 RNN; D = num_directions, 2 for "bidirectional"):
 *   X [batch, seq_len, input_size], the S initial states [batch, D, hidden],
 *   sequence_lengths [batch], W [D, G*hidden, input_size],
 *   R [D, G*hidden, hidden], B [D, G*hidden] (GRU with linear_before_reset:
 *   [D, 4*hidden]).
 * Outputs: Y [batch, D, seq_len, hidden], then the S final states
 *   [batch, D, hidden], all of X's element type. */
#include <config.h>

#include <string.h>

#include "ops.h"

struct rnn_kind {
    int states, gates;
};

/* Merge dim `d` of input `in` (rank `rank` expected) into *v; an unknown
 * rank contributes nothing. */
static enum mo_status rnn_dim(struct mo_node *n, unsigned in, const char *what, int rank, int d,
                              int64_t *v, const char *dim_name, struct mo_error *err)
{
    struct mo_shape s = mo_in_shape(n, in);
    if (s.rank < 0)
        return MO_OK;
    if (s.rank != rank)
        return mo_shape_error(n, err, "%s must have rank %d, got %d", what, rank, s.rank);
    int64_t m = mo_dim_merge(*v, s.dims[d]);
    if (m == -2)
        return mo_shape_error(n, err, "%s dim %d is %lld where %s is %lld", what, d,
                              (long long)s.dims[d], dim_name, (long long)*v);
    *v = m;
    return MO_OK;
}

static enum mo_status infer_rnn_seq(struct mo_node *n, const struct rnn_kind *k, struct mo_error *err)
{
    const char *dir = mo_attr_str(n, "direction");
    int64_t ndir;
    if (!strcmp(dir, "forward") || !strcmp(dir, "reverse"))
        ndir = 1;
    else if (!strcmp(dir, "bidirectional"))
        ndir = 2;
    else
        return mo_shape_error(n, err, "direction '%s' is not forward, reverse or bidirectional", dir);
    int64_t hidden = mo_attr_int(n, "hidden_size");
    if (hidden <= 0)
        return mo_shape_error(n, err, "hidden_size must be positive, got %lld", (long long)hidden);
    if (mo_attr_float(n, "clip") < 0)
        return mo_shape_error(n, err, "clip must not be negative");
    bool lbr = k->gates == 3 && mo_attr_bool(n, "linear_before_reset");
    unsigned seq_in = 1 + (unsigned)k->states, w_in = seq_in + 1, r_in = w_in + 1, b_in = r_in + 1;
    int64_t batch = MO_DYN, seq = MO_DYN, isz = MO_DYN, d = ndir, h = hidden;
    int64_t gh = k->gates * hidden, bh = (lbr ? 4 : k->gates) * hidden;
    struct {
        unsigned in;
        const char *what;
        int rank, dim;
        int64_t *v;
        const char *name;
    } checks[] = {
        {0, "X", 3, 0, &batch, "batch"},
        {0, "X", 3, 1, &seq, "seq_len"},
        {0, "X", 3, 2, &isz, "input_size"},
        {seq_in, "sequence_lengths", 1, 0, &batch, "batch"},
        {w_in, "W", 3, 0, &d, "num_directions"},
        {w_in, "W", 3, 1, &gh, "gates * hidden_size"},
        {w_in, "W", 3, 2, &isz, "input_size"},
        {r_in, "R", 3, 0, &d, "num_directions"},
        {r_in, "R", 3, 1, &gh, "gates * hidden_size"},
        {r_in, "R", 3, 2, &h, "hidden_size"},
        {b_in, "B", 2, 0, &d, "num_directions"},
        {b_in, "B", 2, 1, &bh, "its gates * hidden_size"},
    };
    for (size_t i = 0; i < MO_COUNT_OF(checks); i++) {
        enum mo_status st = rnn_dim(n, checks[i].in, checks[i].what, checks[i].rank, checks[i].dim,
                                    checks[i].v, checks[i].name, err);
        if (st != MO_OK)
            return st;
    }
    for (unsigned s = 1; s <= (unsigned)k->states; s++) {
        const char *what = s == 1 ? "initial_hidden_state" : "initial_cell_state";
        enum mo_status st = rnn_dim(n, s, what, 3, 0, &batch, "batch", err);
        if (st == MO_OK)
            st = rnn_dim(n, s, what, 3, 1, &d, "num_directions", err);
        if (st == MO_OK)
            st = rnn_dim(n, s, what, 3, 2, &h, "hidden_size", err);
        if (st != MO_OK)
            return st;
    }
    enum mo_etype et = mo_in_et(n, 0);
    struct mo_shape y = mo_shape_of(batch, ndir, seq, hidden), st_shape = mo_shape_of(batch, ndir, hidden);
    enum mo_status st = mo_set_out(n, 0, et, &y);
    for (unsigned s = 1; st == MO_OK && s <= (unsigned)k->states; s++)
        st = mo_set_out(n, s, et, &st_shape);
    return st;
}

static enum mo_status infer_lstm_seq(struct mo_node *n, struct mo_error *err)
{
    static const struct rnn_kind lstm = {2, 4};
    return infer_rnn_seq(n, &lstm, err);
}

static enum mo_status infer_gru_seq(struct mo_node *n, struct mo_error *err)
{
    static const struct rnn_kind gru = {1, 3};
    return infer_rnn_seq(n, &gru, err);
}

static enum mo_status infer_rnn_seq1(struct mo_node *n, struct mo_error *err)
{
    static const struct rnn_kind rnn = {1, 1};
    return infer_rnn_seq(n, &rnn, err);
}

/* the order the runtime's own serializer writes them in */
#define RNN_ATTRS(acts)                                                                      \
    {"direction", MO_ATTR_STRING, NULL}, {"hidden_size", MO_ATTR_INT, NULL},                 \
        {"activations", MO_ATTR_STRINGS, acts}, {"activations_alpha", MO_ATTR_FLOATS, ""},  \
        {"activations_beta", MO_ATTR_FLOATS, ""}, {"clip", MO_ATTR_FLOAT, "0"}

static const struct mo_attr_spec lstm_attrs[] = {RNN_ATTRS("sigmoid,tanh,tanh")};
static const struct mo_attr_spec gru_attrs[] = {
    {"linear_before_reset", MO_ATTR_BOOL, "false"}, RNN_ATTRS("sigmoid,tanh")};
static const struct mo_attr_spec rnn_attrs[] = {RNN_ATTRS("tanh")};

static const struct mo_op_def op_lstm_seq = {
    "LSTMSequence", "opset5", 7, 7, 3, lstm_attrs, MO_COUNT_OF(lstm_attrs), infer_lstm_seq, NULL};
static const struct mo_op_def op_gru_seq = {
    "GRUSequence", "opset5", 6, 6, 2, gru_attrs, MO_COUNT_OF(gru_attrs), infer_gru_seq, NULL};
static const struct mo_op_def op_rnn_seq = {
    "RNNSequence", "opset5", 6, 6, 2, rnn_attrs, MO_COUNT_OF(rnn_attrs), infer_rnn_seq1, NULL};

MO_OP_FAMILY(mo_ops_rnn, &op_lstm_seq, &op_gru_seq, &op_rnn_seq);
