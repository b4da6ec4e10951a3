#!/usr/bin/env python3
"""Run the IRs tests/e2e/api_ops_onnx.c wrote into DIR in the real OpenVINO
Runtime (compiled at f32 through tests/ovrun.py) and compare every output
with an independent numpy computation written here from the op
specifications (no OpenVINO reference code, no mo code).

Each case builds its inputs, its expected outputs keyed by output tensor
name, and an optional per-output tolerance; random ops are checked by the
properties their specification guarantees.  Exit 0 when every output of
every case matches, 1 otherwise."""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ovrun  # noqa: E402  (tests/ovrun.py: f32 on every CPU)

D = sys.argv[1]
RNG = np.random.default_rng(20261202)
failures = []


def weights(case, name, shape):
    return np.fromfile(f"{D}/{case}.{name}.f32", dtype="<f4").reshape(shape).astype(np.float64)


def run(case, feed):
    compiled = ovrun.compile_ir(f"{D}/{case}.xml", who="api_ops_onnx")
    inputs = {}
    for port in compiled.inputs:
        name = next(n for n in port.get_names() if n in feed)
        inputs[port] = feed[name]
    res = compiled(inputs)
    got = {}
    for port in compiled.outputs:
        for n in port.get_names():
            got[n] = res[port]
    return got


def compare(case, got, refs, tol=None, exact=()):
    tol = tol or {}
    for name, ref in refs.items():
        if name not in got:
            failures.append(f"{case}: no output {name}")
            continue
        g = np.asarray(got[name])
        ref = np.asarray(ref)
        if g.shape != ref.shape:
            failures.append(f"{case}/{name}: shape {g.shape}, expected {ref.shape}")
            continue
        if name in exact or ref.dtype.kind in "biu":
            ok = np.array_equal(g.astype(np.int64), ref.astype(np.int64))
            err = "values differ" if not ok else ""
        else:
            scale = max(float(np.max(np.abs(ref))), 1e-6) if ref.size else 1.0
            e = float(np.max(np.abs(g.astype(np.float64) - ref))) / scale if ref.size else 0.0
            ok = e <= tol.get(name, 1e-5)
            err = f"max rel error {e:.3g}"
        if not ok:
            failures.append(f"{case}/{name}: {err}\n  got {g.ravel()[:12]}\n  ref {ref.ravel()[:12]}")
        else:
            print(f"api_ops_onnx: {case}/{name} ok {list(g.shape)}")


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


# --- unary ------------------------------------------------------------------
def unary():
    x = RNG.uniform(-0.9, 0.9, (2, 5)).astype(np.float32)
    y = RNG.uniform(1.0, 3.0, (2, 5)).astype(np.float32)
    s = np.array([np.inf, -np.inf, np.nan, 1.5, -2.0, 0.0, np.inf, np.nan], np.float32)
    xd, yd = x.astype(np.float64), y.astype(np.float64)
    refs = {
        "Acos": np.arccos(xd), "Asin": np.arcsin(xd), "Atan": np.arctan(xd),
        "Atanh": np.arctanh(xd), "Cosh": np.cosh(xd), "Sinh": np.sinh(xd), "Tan": np.tan(xd),
        "SoftSign": xd / (1 + np.abs(xd)), "Asinh": np.arcsinh(xd), "Acosh": np.arccosh(yd),
        "HardSigmoid": np.clip(np.float32(0.3) * yd + np.float32(-0.2), 0, 1),
        "IsNaN": np.isnan(s), "IsFinite": np.isfinite(s), "IsInf": np.isinf(s),
        "IsInfPos": np.isposinf(s),
    }
    compare("unary", run("unary", {"x": x, "y": y, "s": s}), refs)


# --- bitwise ----------------------------------------------------------------
def bitwise():
    a = RNG.integers(-1000, 1000, (2, 3)).astype(np.int32)
    b = np.array([0, 3, 7], np.int32)
    p = np.array([True, True, False, False])
    q = np.array([True, False, True, False])
    refs = {
        "BitwiseAnd": a & b, "BitwiseOr": a | b, "BitwiseXor": a ^ b, "BitwiseNot": ~a,
        "BitwiseLeftShift": a << b, "BitwiseRightShift": a >> b,
        "BoolAnd": p & q, "BoolNot": ~p,
    }
    compare("bitwise", run("bitwise", {"a": a, "b": b, "p": p, "q": q}), refs)


# --- gather / scatter ---------------------------------------------------------
def gather():
    data = RNG.uniform(-1, 1, (3, 4)).astype(np.float32)
    gidx = RNG.integers(-4, 4, (3, 2)).astype(np.int64)
    sidx = RNG.integers(0, 3, (2, 4)).astype(np.int64)
    upd = RNG.uniform(-1, 1, (2, 4)).astype(np.float32)
    ndupd = RNG.uniform(-1, 1, (3, 4)).astype(np.float32)
    d = data.astype(np.float64)
    ge = np.take_along_axis(d, np.where(gidx < 0, gidx + 4, gidx), axis=1)
    # reduction over the updates landing on each element (axis 0)
    hit = {}
    for i in range(2):
        for j in range(4):
            hit.setdefault((int(sidx[i, j]), j), []).append(float(upd[i, j]))
    ssum, smax, smean = d.copy(), d.copy(), d.copy()
    for (r, c), us in hit.items():
        ssum[r, c] = sum(us)                        # use_init_val false
        smax[r, c] = max([d[r, c]] + us)            # use_init_val true
        smean[r, c] = (d[r, c] + sum(us)) / (len(us) + 1)
    nd = d.copy()
    for k, row in enumerate([1, 1, 2]):
        nd[row] += ndupd[k]
    refs = {"GatherElements": ge, "ScatterSum": ssum, "ScatterMax": smax, "ScatterMean": smean,
            "ScatterND": nd}
    got = run("gather", {"data": data, "gidx": gidx, "sidx": sidx, "upd": upd, "ndupd": ndupd})
    compare("gather", got, refs)


# --- pooling -------------------------------------------------------------------
def pool_out(n, k, s, pb, pe, d, mode):
    span = (k - 1) * d + 1
    num = n + pb + pe - span
    o = (-(-num // s) if mode != "floor" else num // s) + 1
    if mode == "ceil_torch" and (o - 1) * s >= n + pb:
        o -= 1
    return o


def maxpool(x, k, s, pb, pe, d, mode):
    nb, c, h, w = x.shape
    oh, ow = pool_out(h, k, s, pb, pe, d, mode), pool_out(w, k, s, pb, pe, d, mode)
    y = np.zeros((nb, c, oh, ow))
    idx = np.zeros((nb, c, oh, ow), np.int64)
    for b in range(nb):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    best, where = -np.inf, -1
                    for a in range(k):
                        for e in range(k):
                            r, q = i * s - pb + a * d, j * s - pb + e * d
                            if 0 <= r < h and 0 <= q < w and x[b, ch, r, q] > best:
                                best, where = x[b, ch, r, q], ((b * c + ch) * h + r) * w + q
                    y[b, ch, i, j], idx[b, ch, i, j] = best, where
    return y, idx


def avgpool_exclude(x, k, s, pb, pe, mode):
    nb, c, h, w = x.shape
    oh, ow = pool_out(h, k, s, pb, pe, 1, mode), pool_out(w, k, s, pb, pe, 1, mode)
    y = np.zeros((nb, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, q0 = i * s - pb, j * s - pb
            win = x[:, :, max(r0, 0):min(r0 + k, h), max(q0, 0):min(q0 + k, w)]
            y[:, :, i, j] = win.mean(axis=(2, 3))
    return y


def pool():
    x = RNG.uniform(-1, 1, (1, 2, 7, 7)).astype(np.float32)
    xd = x.astype(np.float64)
    m8, i8 = maxpool(xd, 2, 2, 0, 1, 2, "ceil")
    m14, i14 = maxpool(xd, 2, 2, 1, 1, 1, "ceil_torch")
    refs = {"MaxPool8": m8, "MaxPool8_idx": i8, "MaxPool14": m14, "MaxPool14_idx": i14,
            "AvgPool14": avgpool_exclude(xd, 3, 3, 1, 1, "ceil_torch")}
    compare("pool", run("pool", {"x": x}), refs)


# --- recurrent sequences (gate orders: LSTM f, i, c, o; GRU z, r, h) --------
def lstm_dir(x, h, c, w, r, b, reverse):
    hs = w.shape[0] // 4
    steps = range(x.shape[1] - 1, -1, -1) if reverse else range(x.shape[1])
    ys = np.zeros((x.shape[0], x.shape[1], hs))
    for t in steps:
        gates = x[:, t] @ w.T + h @ r.T + b
        f, i, cc, o = (gates[:, k * hs:(k + 1) * hs] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(cc)
        h = sigmoid(o) * np.tanh(c)
        ys[:, t] = h
    return ys, h, c


def gru_lbr(x, h, w, r, b):
    hs = w.shape[0] // 3
    ys = np.zeros((x.shape[0], x.shape[1], hs))
    wz, wr, wh = (w[k * hs:(k + 1) * hs] for k in range(3))
    rz, rr, rh = (r[k * hs:(k + 1) * hs] for k in range(3))
    bz, br, bwh, brh = (b[k * hs:(k + 1) * hs] for k in range(4))
    for t in range(x.shape[1]):
        z = sigmoid(x[:, t] @ wz.T + h @ rz.T + bz)
        rg = sigmoid(x[:, t] @ wr.T + h @ rr.T + br)
        hh = np.tanh(x[:, t] @ wh.T + rg * (h @ rh.T + brh) + bwh)
        h = (1 - z) * hh + z * h
        ys[:, t] = h
    return ys, h


def rnn_rev_clip(x, h, w, r, b, clip):
    ys = np.zeros((x.shape[0], x.shape[1], w.shape[0]))
    for t in range(x.shape[1] - 1, -1, -1):
        h = np.tanh(np.clip(x[:, t] @ w.T + h @ r.T + b, -clip, clip))
        ys[:, t] = h
    return ys, h


def rnn():
    x = RNG.uniform(-1, 1, (2, 4, 3)).astype(np.float32)
    h2 = RNG.uniform(-1, 1, (2, 2, 5)).astype(np.float32)
    c2 = RNG.uniform(-1, 1, (2, 2, 5)).astype(np.float32)
    h1 = RNG.uniform(-1, 1, (2, 1, 5)).astype(np.float32)
    xd, h2d, c2d, h1d = (v.astype(np.float64) for v in (x, h2, c2, h1))
    lw, lr, lb = (weights("rnn", n, s) for n, s in (("lw", (2, 20, 3)), ("lr", (2, 20, 5)), ("lb", (2, 20))))
    ly = np.zeros((2, 2, 4, 5))
    lh = np.zeros((2, 2, 5))
    lc = np.zeros((2, 2, 5))
    for dd in range(2):
        ly[:, dd], lh[:, dd], lc[:, dd] = lstm_dir(xd, h2d[:, dd], c2d[:, dd], lw[dd], lr[dd], lb[dd], dd == 1)
    gw, gr, gb = (weights("rnn", n, s) for n, s in (("gw", (1, 15, 3)), ("gr", (1, 15, 5)), ("gb", (1, 20))))
    gy, gh = gru_lbr(xd, h1d[:, 0], gw[0], gr[0], gb[0])
    rw, rr, rb = (weights("rnn", n, s) for n, s in (("rw", (1, 5, 3)), ("rr", (1, 5, 5)), ("rb", (1, 5))))
    ry, rh = rnn_rev_clip(xd, h1d[:, 0], rw[0], rr[0], rb[0], np.float32(0.7))
    refs = {"LSTM_Y": ly, "LSTM_H": lh, "LSTM_C": lc, "GRU_Y": gy[:, None], "GRU_H": gh[:, None],
            "RNN_Y": ry[:, None], "RNN_H": rh[:, None]}
    got = run("rnn", {"x": x, "h2": h2, "c2": c2, "h1": h1})
    compare("rnn", got, refs, tol={k: 1e-5 for k in refs})


# --- misc --------------------------------------------------------------------
def misc():
    x = RNG.uniform(-1, 1, (3, 4)).astype(np.float32)
    x[0, 0], x[1, 1] = -0.5, 0.0  # on a boundary: without the right bound it goes above
    x[:, 3] = x[:, 1]             # two equal columns for Unique along axis 1
    u = np.array([3, 1, 3, 7, 1, 1, 9, 0, 7, 3], np.float32)
    vals, idx, rev, cnt = np.unique(u, return_index=True, return_inverse=True, return_counts=True)
    cols, crev = np.unique(x, axis=1, return_inverse=True)
    eye = np.broadcast_to(np.eye(3, 4, k=1), (2, 3, 4))
    refs = {"Roll": np.roll(x, (1, -2), axis=(0, 1)),
            "Bucketize": np.searchsorted(np.array([-0.5, 0.0, 0.5], np.float32), x, side="right").astype(np.int32),
            "Unique": vals, "Unique_idx": idx, "Unique_rev": rev, "Unique_cnt": cnt,
            "UniqueAxis": cols, "UniqueAxis_rev": crev.ravel(), "EyeX": eye * x}
    compare("misc", run("misc", {"x": x, "u": u}), refs)


# --- random ops: the specification's guarantees -------------------------------
def random_ops():
    p = np.array([[0, 0, 1, 0], [1, 0, 0, 0]], np.float32)  # each row certain: deterministic
    got = run("random", {"p": p})
    ru = np.asarray(got.get("RandomUniform", np.zeros(0))) - 2.0  # p sums to 2
    if ru.shape != (4, 16) or not (np.all(ru >= 2.0) and np.all(ru < 5.0)) or np.ptp(ru) < 0.5:
        failures.append(f"random/RandomUniform: shape {ru.shape}, range [{ru.min()}, {ru.max()}]")
    else:
        print("api_ops_onnx: random/RandomUniform ok [4, 16], values in [2, 5)")
    compare("random", got, {"Multinomial": np.array([[2] * 6, [0] * 6], np.int32)})


# --- Fourier transforms -------------------------------------------------------
def cplx(a):
    return a[..., 0] + 1j * a[..., 1]


def split(z):
    return np.stack([z.real, z.imag], axis=-1)


def fft():
    c = RNG.uniform(-1, 1, (2, 8, 2)).astype(np.float32)
    r = RNG.uniform(-1, 1, (3, 8)).astype(np.float32)
    h = RNG.uniform(-1, 1, (3, 5, 2)).astype(np.float32)
    cz = cplx(c.astype(np.float64))
    refs = {"DFT": split(np.fft.fft(cz, axis=1)),
            "IDFT": split(np.fft.ifftn(cz, s=(2, 6), axes=(0, 1))),
            "RDFT": split(np.fft.rfft(r.astype(np.float64), axis=-1)),
            "IRDFT": np.fft.irfft(cplx(h.astype(np.float64)), n=8, axis=1)}
    compare("fft", run("fft", {"c": c, "r": r, "h": h}), refs, tol={k: 1e-5 for k in refs})


# --- vision and linear algebra ---------------------------------------------------
def grid_sample(img, grid, align, padding):
    n, ch, hh, ww = img.shape
    _, oh, ow, _ = grid.shape
    out = np.zeros((n, ch, oh, ow))

    def unnorm(v, size):
        return (v + 1) / 2 * (size - 1) if align else ((v + 1) * size - 1) / 2

    def pix(b, yy, xx):
        if padding == "border":
            yy, xx = min(max(yy, 0), hh - 1), min(max(xx, 0), ww - 1)
        elif not (0 <= yy < hh and 0 <= xx < ww):
            return np.zeros(ch)
        return img[b, :, yy, xx]

    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                gx, gy = unnorm(grid[b, i, j, 0], ww), unnorm(grid[b, i, j, 1], hh)
                if padding == "border":
                    gx, gy = min(max(gx, 0), ww - 1), min(max(gy, 0), hh - 1)
                x0, y0 = math.floor(gx), math.floor(gy)
                fx, fy = gx - x0, gy - y0
                out[b, :, i, j] = ((1 - fy) * ((1 - fx) * pix(b, y0, x0) + fx * pix(b, y0, x0 + 1)) +
                                   fy * ((1 - fx) * pix(b, y0 + 1, x0) + fx * pix(b, y0 + 1, x0 + 1)))
    return out


def col2im(cols, size, k, s, pb):
    n, ck, nblocks = cols.shape
    c = ck // (k[0] * k[1])
    out = np.zeros((n, c, size[0], size[1]))
    bh = (size[0] + 2 * 0 + pb[0] - k[0]) // s[0] + 1
    bw = (size[1] + pb[1] - k[1]) // s[1] + 1
    assert bh * bw == nblocks
    for ch in range(c):
        for a in range(k[0]):
            for e in range(k[1]):
                row = (ch * k[0] + a) * k[1] + e
                for bi in range(bh):
                    for bj in range(bw):
                        y, x = bi * s[0] - pb[0] + a, bj * s[1] - pb[1] + e
                        if 0 <= y < size[0] and 0 <= x < size[1]:
                            out[:, ch, y, x] += cols[:, row, bi * bw + bj]
    return out


def bilinear(plane, y, x):
    hh, ww = plane.shape
    y0, x0 = math.floor(y), math.floor(x)
    v = 0.0
    for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
        for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
            if 0 <= yy < hh and 0 <= xx < ww:
                v += wy * wx * plane[yy, xx]
    return v


def deform_conv(x, off, w, mask, stride, groups, dgroups):
    n, cin, hh, ww = x.shape
    cout, cpg, kh, kw = w.shape
    oh, ow = off.shape[2], off.shape[3]
    out = np.zeros((n, cout, oh, ow))
    cin_per_dg = cin // dgroups
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                # the deformed samples of every input channel
                cols = np.zeros((cin, kh * kw))
                for ch in range(cin):
                    dg = ch // cin_per_dg
                    for a in range(kh):
                        for e in range(kw):
                            k = a * kw + e
                            dy = off[b, dg * 2 * kh * kw + 2 * k, i, j]
                            dx = off[b, dg * 2 * kh * kw + 2 * k + 1, i, j]
                            m = mask[b, dg * kh * kw + k, i, j]
                            cols[ch, k] = m * bilinear(x[b, ch], i * stride + a + dy, j * stride + e + dx)
                for oc in range(cout):
                    gidx = oc // (cout // groups)
                    out[b, oc, i, j] = np.sum(cols[gidx * cpg:(gidx + 1) * cpg] * w[oc].reshape(cpg, -1))
    return out


def vision():
    img = RNG.uniform(-1, 1, (1, 2, 5, 6)).astype(np.float32)
    grid = RNG.uniform(-1.2, 1.2, (1, 3, 4, 2)).astype(np.float32)
    cols = RNG.uniform(-1, 1, (1, 8, 6)).astype(np.float32)
    m = (RNG.uniform(-1, 1, (2, 3, 3)) + 3 * np.eye(3)).astype(np.float32)
    gx = RNG.uniform(-1, 1, (2, 6, 3, 3)).astype(np.float32)
    dx = RNG.uniform(-1, 1, (1, 4, 8, 8)).astype(np.float32)
    off = RNG.uniform(0, 0.9, (1, 36, 3, 3)).astype(np.float32)
    mask = RNG.uniform(0, 1, (1, 18, 3, 3)).astype(np.float32)
    gs, gb = weights("vision", "gscale", (6,)), weights("vision", "gbias", (6,))
    g = gx.astype(np.float64).reshape(2, 3, -1)
    gn = ((g - g.mean(axis=2, keepdims=True)) / np.sqrt(g.var(axis=2, keepdims=True) + 1e-5)).reshape(gx.shape)
    gn = gn * gs[None, :, None, None] + gb[None, :, None, None]
    imgd, gridd = img.astype(np.float64), grid.astype(np.float64)
    refs = {"GridSample": grid_sample(imgd, gridd, False, "zeros"),
            "GridSampleBorder": grid_sample(imgd, gridd, True, "border"),
            "Col2Im": col2im(cols.astype(np.float64), (4, 5), (2, 2), (2, 2), (0, 1)),
            "Inverse": np.linalg.inv(m.astype(np.float64)),
            "GroupNorm": gn,
            "DeformConv": deform_conv(dx.astype(np.float64), off.astype(np.float64),
                                      weights("vision", "dw", (6, 2, 3, 3)), mask.astype(np.float64), 2, 2, 2)}
    got = run("vision", {"img": img, "grid": grid, "cols": cols, "m": m, "gx": gx, "dx": dx, "off": off,
                         "mask": mask})
    compare("vision", got, refs, tol={k: 1e-5 for k in refs})


for case in (unary, bitwise, gather, pool, rnn, misc, random_ops, fft, vision):
    try:
        case()
    except Exception as e:  # a load or compile error names the case
        failures.append(f"{case.__name__}: {type(e).__name__}: {e}")

for f in failures:
    print("api_ops_onnx: FAIL", f, file=sys.stderr)
sys.exit(1 if failures else 0)
