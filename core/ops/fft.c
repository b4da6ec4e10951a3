/* fft.c - discrete Fourier transforms: DFT-7, IDFT-7 (complex to complex),
 * RDFT-9 (real to complex), IRDFT-9 (complex to real).
 *
 * A complex tensor is real data with a last dim of 2 (re, im).  Inputs:
 * data, axes (1-D, counted over the signal dims, i.e. without that last
 * dim of a complex input), optional signal_size (one per axis, -1 keeps
 * the input's size).  Output sizes along the axes:
 *   DFT/IDFT: signal_size, else the input's;
 *   RDFT:     as DFT, the last axis then n / 2 + 1, and a last dim of 2;
 *   IRDFT:    the last axis signal_size, else 2 * (n - 1); others as DFT;
 *             the last dim of 2 is removed. */
#include <config.h>

#include <string.h>

#include "ops.h"

enum fft_kind { FFT_C2C, FFT_R2C, FFT_C2R };

static enum mo_status infer_fft(struct mo_node *n, enum fft_kind kind, struct mo_error *err)
{
    struct mo_shape x = mo_in_shape(n, 0), as = mo_in_shape(n, 1);
    enum mo_etype et = mo_in_et(n, 0);
    if (et != MO_ET_UNDEFINED && !mo_etype_is_float(et))
        return mo_shape_error(n, err, "data must be floating-point, got %s", mo_etype_name(et));
    if (as.rank >= 0 && as.rank != 1)
        return mo_shape_error(n, err, "axes must be 1-D, got rank %d", as.rank);
    if (n->n_inputs > 2) {
        struct mo_shape ss = mo_in_shape(n, 2);
        if (ss.rank >= 0 && ss.rank != 1)
            return mo_shape_error(n, err, "signal_size must be 1-D, got rank %d", ss.rank);
        if (ss.rank == 1 && as.rank == 1 && mo_dim_merge(ss.dims[0], as.dims[0]) == -2)
            return mo_shape_error(n, err, "signal_size has %lld values for %lld axes",
                                  (long long)ss.dims[0], (long long)as.dims[0]);
    }
    bool complex_in = kind != FFT_R2C;
    if (x.rank < 0)
        return mo_out_unknown(n, 0, et);
    int min_rank = complex_in ? 2 : 1;
    if (x.rank < min_rank)
        return mo_shape_error(n, err, "data must have rank %d or more, got %d", min_rank, x.rank);
    if (complex_in && x.dims[x.rank - 1] >= 0 && x.dims[x.rank - 1] != 2)
        return mo_shape_error(n, err, "the last dim of complex data must be 2, got %lld",
                              (long long)x.dims[x.rank - 1]);
    int sig_rank = complex_in ? x.rank - 1 : x.rank;
    int out_rank = kind == FFT_C2C ? x.rank : kind == FFT_R2C ? x.rank + 1 : x.rank - 1;
    if (out_rank > MO_MAX_RANK)
        return mo_shape_error(n, err, "output rank exceeds %d", MO_MAX_RANK);
    struct mo_shape o = {.rank = out_rank};
    for (int d = 0; d < sig_rank; d++)
        o.dims[d] = x.dims[d];
    if (kind != FFT_C2R)
        o.dims[out_rank - 1] = 2;
    int64_t axes[MO_MAX_RANK], sizes[MO_MAX_RANK];
    int na = mo_const_ints(n, 1, axes, MO_MAX_RANK);
    if (na < 0) {
        /* DFT without signal_size keeps the shape; otherwise the axes
         * decide which signal dims change */
        if (kind != FFT_C2C || n->n_inputs > 2)
            for (int d = 0; d < sig_rank && d < out_rank; d++)
                o.dims[d] = MO_DYN;
        return mo_set_out(n, 0, et, &o);
    }
    if (na < 1 || na > sig_rank)
        return mo_shape_error(n, err, "%d axes for %d signal dims", na, sig_rank);
    enum mo_status st = mo_norm_axes(n, axes, na, sig_rank, false, err);
    if (st != MO_OK)
        return st;
    int ns = -1;
    if (n->n_inputs > 2) {
        ns = mo_const_ints(n, 2, sizes, MO_MAX_RANK);
        if (ns >= 0 && ns != na)
            return mo_shape_error(n, err, "signal_size has %d values for %d axes", ns, na);
    }
    bool sizes_unknown = n->n_inputs > 2 && ns < 0;
    for (int i = 0; i < na; i++) {
        int a = (int)axes[i];
        bool last = i == na - 1;
        if (sizes_unknown) {
            o.dims[a] = MO_DYN;
            continue;
        }
        int64_t want = n->n_inputs > 2 ? sizes[i] : -1, in = x.dims[a], dim;
        if (want == 0 || want < -1)
            return mo_shape_error(n, err, "signal_size %lld is neither positive nor -1", (long long)want);
        if (kind == FFT_C2R && last) {
            dim = want > 0 ? want : in < 0 ? MO_DYN : 2 * (in - 1);
        } else {
            dim = want > 0 ? want : in;
            if (kind == FFT_R2C && last)
                dim = dim < 0 ? MO_DYN : dim / 2 + 1;
        }
        o.dims[a] = dim;
    }
    return mo_set_out(n, 0, et, &o);
}

static enum mo_status infer_dft(struct mo_node *n, struct mo_error *err)
{
    return infer_fft(n, FFT_C2C, err);
}

static enum mo_status infer_rdft(struct mo_node *n, struct mo_error *err)
{
    return infer_fft(n, FFT_R2C, err);
}

static enum mo_status infer_irdft(struct mo_node *n, struct mo_error *err)
{
    return infer_fft(n, FFT_C2R, err);
}

static const struct mo_op_def op_dft = {"DFT", "opset7", 2, 3, 1, NULL, 0, infer_dft, NULL};
static const struct mo_op_def op_idft = {"IDFT", "opset7", 2, 3, 1, NULL, 0, infer_dft, NULL};
static const struct mo_op_def op_rdft = {"RDFT", "opset9", 2, 3, 1, NULL, 0, infer_rdft, NULL};
static const struct mo_op_def op_irdft = {"IRDFT", "opset9", 2, 3, 1, NULL, 0, infer_irdft, NULL};

MO_OP_FAMILY(mo_ops_fft, &op_dft, &op_idft, &op_rdft, &op_irdft);
