/* tr_signal.c - GridSample, the window functions (Hann, Hamming,
 * Blackman), DFT and ReverseSequence. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "onnx.h"

/* GridSample-16 names its modes and its padding the way GridSample-9 of
 * the IR does, and both read the grid as (x, y) in [-1, 1]. */
static enum mo_status tr_grid_sample(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "X");
    struct mo_value g = mo_build_in(b, 1, "grid");
    const char *mode = mo_node_get_str(fw, "mode", "bilinear");
    const char *pad = mo_node_get_str(fw, "padding_mode", "zeros");
    if (strcmp(mode, "bilinear") && strcmp(mode, "nearest") && strcmp(mode, "bicubic"))
        return mo_build_fail(b, "mode '%s' is not bilinear, nearest or bicubic", mode);
    if (strcmp(pad, "zeros") && strcmp(pad, "border") && strcmp(pad, "reflection"))
        return mo_build_fail(b, "padding_mode '%s' is not zeros, border or reflection", pad);
    if (mo_value_shape(x).rank >= 0 && mo_value_shape(x).rank != 4)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "only 4-D input is supported, got rank %d",
                              mo_value_shape(x).rank);
    struct mo_value y = mo_build_op(b, "GridSample", NULL, 2, x, g);
    mo_build_set_bool(b, y, "align_corners", mo_node_get_int(fw, "align_corners", 0, NULL) != 0);
    mo_build_set_str(b, y, "mode", mode);
    return mo_build_done(b, mo_build_set_str(b, y, "padding_mode", pad));
}

/* --- windows ---------------------------------------------------------------
 * A generalized cosine window of `size` points,
 *   w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N),
 * N = size when periodic (the default), size - 1 when symmetric. */
struct window {
    double a0, a1, a2;
};
static const struct window w_hann = {0.5, 0.5, 0.0};
static const struct window w_hamming = {25.0 / 46.0, 21.0 / 46.0, 0.0};
static const struct window w_blackman = {0.42, 0.5, 0.08};

static enum mo_status tr_window(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    const struct window *w = user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value size = mo_ox_scalar_of(b, "size_scalar", mo_build_in(b, 0, "size"));
    bool periodic = mo_node_get_int(fw, "periodic", 1, NULL) != 0;
    int dt = (int)mo_node_get_int(fw, "output_datatype", 1, NULL);
    enum mo_etype et = mo_ox_etype(dt);
    if (et == MO_ET_UNDEFINED) {
        char buf[16];
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "output_datatype %s is not supported",
                              mo_ox_dtype_name(dt, buf));
    }
    struct mo_value sf = mo_build_convert(b, "size_f32", size, MO_ET_F32);
    struct mo_value start = mo_build_scalar(b, "range/start", MO_ET_F32, 0.0);
    struct mo_value step = mo_build_scalar(b, "range/step", MO_ET_F32, 1.0);
    struct mo_value n = mo_build_op(b, "Range", "n", 3, start, sf, step);
    mo_build_set_str(b, n, "output_type", "f32");
    struct mo_value den = sf;
    if (!periodic) {
        struct mo_value one = mo_build_scalar(b, "one", MO_ET_F32, 1.0);
        den = mo_build_op(b, "Subtract", "size_1", 2, sf, one);
    }
    struct mo_value tp = mo_build_scalar(b, "two_pi", MO_ET_F32, 2.0 * M_PI);
    struct mo_value ang = mo_build_op(b, "Multiply", "n_2pi", 2, n, tp);
    ang = mo_build_op(b, "Divide", "angle", 2, ang, den);
    struct mo_value c1 = mo_build_op(b, "Cos", "cos1", 1, ang);
    struct mo_value a1 = mo_build_scalar(b, "a1", MO_ET_F32, w->a1);
    struct mo_value t1 = mo_build_op(b, "Multiply", "term1", 2, c1, a1);
    struct mo_value a0 = mo_build_scalar(b, "a0", MO_ET_F32, w->a0);
    bool last = w->a2 == 0.0 && et == MO_ET_F32;
    struct mo_value y = mo_build_op(b, "Subtract", last ? NULL : "w1", 2, a0, t1);
    if (w->a2 != 0.0) {
        struct mo_value two = mo_build_scalar(b, "two", MO_ET_F32, 2.0);
        struct mo_value ang2 = mo_build_op(b, "Multiply", "angle2", 2, ang, two);
        struct mo_value c2 = mo_build_op(b, "Cos", "cos2", 1, ang2);
        struct mo_value a2 = mo_build_scalar(b, "a2", MO_ET_F32, w->a2);
        struct mo_value t2 = mo_build_op(b, "Multiply", "term2", 2, c2, a2);
        y = mo_build_op(b, "Add", et == MO_ET_F32 ? NULL : "w2", 2, y, t2);
    }
    if (et != MO_ET_F32)
        y = mo_build_convert(b, NULL, y, et);
    return mo_build_done(b, y);
}

/* --- DFT-17 -------------------------------------------------------------------
 * The input is [..., 1] (real) or [..., 2] (complex), the transform along
 * `axis` (which may not be the last, complex dim), dft_length padding or
 * cutting the signal as the IR's signal_size does.  A real forward
 * onesided transform is the IR's RDFT; anything else is made complex
 * (a zero imaginary part) for DFT or IDFT, which both scale as ONNX does
 * (IDFT divides by n). */
static enum mo_status tr_dft(struct mo_tctx *t, const struct mo_node *fw, void *user, struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_shape s = mo_value_shape(x);
    if (!mo_build_ok(b))
        return mo_build_status(b);
    if (s.rank < 2)
        return mo_build_fail(b, "the input needs rank 2 or more (a last dim of 1 or 2), got %d", s.rank);
    int r = s.rank;
    int64_t last = s.dims[r - 1];
    if (last != 1 && last != 2)
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0,
                              "the input's last dim must be 1 (real) or 2 (complex), got %lld", (long long)last);
    int64_t axis = mo_ox_axis(b, mo_node_get_int(fw, "axis", 1, NULL), r, "axis");
    if (axis == r - 1)
        return mo_build_fail(b, "axis %lld is the complex dim", (long long)axis);
    bool inverse = mo_node_get_int(fw, "inverse", 0, NULL) != 0;
    bool onesided = mo_node_get_int(fw, "onesided", 0, NULL) != 0;
    if (onesided && (inverse || last == 2))
        return mo_build_error(b, MO_ERR_UNSUPPORTED, 0, "onesided is only defined for a real forward transform");
    struct mo_value axes = mo_build_i64(b, "axes", &axis, 1);
    struct mo_value len = MO_NO_VALUE;
    if (mo_ox_has_in(b, 1)) {
        len = mo_build_in(b, 1, "dft_length");
        if (mo_value_et(len) != MO_ET_I64)
            len = mo_build_convert(b, "dft_length_i64", len, MO_ET_I64);
        len = mo_build_reshape(b, "signal_size", len, (int64_t[]){1}, 1, false);
    }
    if (onesided) {
        int64_t sq = r - 1;
        struct mo_value re = mo_build_squeeze(b, "real", x, &sq, 1);
        if (len.node) {
            /* OpenVINO's CPU RDFT takes neither a computed signal_size nor
             * one past the input, so the signal is fitted to it here: Pad
             * pads with zeros, and a negative pad cuts. */
            struct mo_value d = mo_build_dims(b, "axis_dim", x, &axis, 1);
            struct mo_value parts[3];
            unsigned np = 0;
            int64_t zeros[MO_MAX_RANK] = {0};
            if (axis > 0)
                parts[np++] = mo_build_i64(b, "pads_end/before", zeros, (size_t)axis);
            parts[np++] = mo_build_op(b, "Subtract", "pads_end/axis", 2, len, d);
            if (axis < r - 2)
                parts[np++] = mo_build_i64(b, "pads_end/after", zeros, (size_t)(r - 2 - axis));
            struct mo_value pe = np > 1 ? mo_build_concat(b, "pads_end", 0, np, parts) : parts[0];
            struct mo_value pb = mo_build_i64(b, "pads_begin", zeros, (size_t)(r - 1));
            struct mo_value pv = mo_build_scalar(b, "pad_value", mo_value_et(re), 0.0);
            re = mo_build_op(b, "Pad", "fitted", 4, re, pb, pe, pv);
            mo_build_set_str(b, re, "pad_mode", "constant");
        }
        return mo_build_done(b, mo_build_op(b, "RDFT-9", NULL, 2, re, axes));
    }
    if (last == 1) {
        struct mo_value sh = mo_build_shape_of(b, "shape", x, MO_ET_I64);
        struct mo_value z0 = mo_build_scalar(b, "zero", mo_value_et(x), 0.0);
        struct mo_value z = mo_build_op(b, "Broadcast", "imag", 2, z0, sh);
        x = mo_build_concat(b, "complex", r - 1, 2, (struct mo_value[]){x, z});
    }
    const char *op = inverse ? "IDFT-7" : "DFT-7";
    struct mo_value y = len.node ? mo_build_op(b, op, NULL, 3, x, axes, len) : mo_build_op(b, op, NULL, 2, x, axes);
    return mo_build_done(b, y);
}

/* ReverseSequence-10: the IR's op with time_axis as seq_axis; the defaults
 * differ (ONNX batch 1, time 0; the IR batch 0, seq 1), so both are set. */
static enum mo_status tr_reverse_sequence(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                          struct mo_error *err)
{
    (void)user;
    struct mo_build *b = mo_build_begin(t, fw, err);
    struct mo_value x = mo_build_in(b, 0, "input");
    struct mo_value l = mo_build_in(b, 1, "sequence_lens");
    struct mo_value y = mo_build_op(b, "ReverseSequence", NULL, 2, x, l);
    mo_build_set_int(b, y, "batch_axis", mo_node_get_int(fw, "batch_axis", 1, NULL));
    return mo_build_done(b, mo_build_set_int(b, y, "seq_axis", mo_node_get_int(fw, "time_axis", 0, NULL)));
}

MO_OX_TABLE(mo_ox_tr_signal,
    {"GridSample", 16, tr_grid_sample, NULL},
    {"HannWindow", 17, tr_window, &w_hann},
    {"HammingWindow", 17, tr_window, &w_hamming},
    {"BlackmanWindow", 17, tr_window, &w_blackman},
    {"DFT", 17, tr_dft, NULL},
    {"ReverseSequence", 10, tr_reverse_sequence, NULL},
)
