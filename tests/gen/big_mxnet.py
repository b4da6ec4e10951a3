#!/usr/bin/env python3
"""Write an MXNet model with a requested total weight size, in little RAM.

    python3 tests/gen/big_mxnet.py --gb 1 --out DIR        # 1 GiB of weights
    python3 tests/gen/big_mxnet.py --mb 64 --out DIR       # 64 MiB
        [--name model] [--seed 12] [--reference auto|mxnet|numpy|none] [--plain] [--quiet]

Any python with numpy runs it (the OpenVINO venv will do); MXNet itself is
needed only for an MXNet reference.  DIR receives
    NAME-symbol.json, NAME-0000.params   the model (params in MXNet's NDArray
                                         list format, written here with struct)
    inputs.npz                           "data", float32 (2, 3, 32, 32)
    reference.npz                        "out0", the network's output
    info.json                            sizes, hidden width, reference source

The network puts the weights where mo's weight handling is exercised:

    data -> conv1 3x3 (16) -> BatchNorm -> relu -> max pool 2x2 -> flatten (4096)
         -> fc1 (H) -> BatchNorm -> relu          BN fused into fc1's big weights
         -> fc2 (H) -> _mul_scalar 0.5 -> relu    the scalar fused into fc2's
         -> fc3 (10)                              big weights

--plain leaves out the BatchNorm after fc1 and the scalar after fc2 (their
parameters stay in the file, unused), so nothing is fused into the big
weights: it tells the cost of fusing apart from the cost of copying.
H is chosen so that all parameters together hold the requested number of
bytes (float32; --gb and --mb are binary units) to well within 1%.

Memory: weights are generated, written and multiplied into the numpy
reference a chunk of rows at a time (at most CHUNK_ELEMS values), so the
generator's RAM does not grow with the model.  The values come from PCG64's
raw 64-bit output (numpy.random.PCG64.random_raw, a stable stream), split
into two 24-bit uniforms, so files are byte-identical for a given seed
whatever numpy version writes them; they are uniform in +-sqrt(3/fan_in)
(unit gain), so activations neither vanish nor saturate and outputs vary.

Reference: "auto" uses MXNet when it can be imported (it loads the written
files with mx.sym.load / mx.nd.load and runs the forward pass; that needs
RAM for the whole model), else the numpy implementation computed during
generation (float64, chunked).  When both exist they are compared and the
run fails if they disagree; the line "reference: ..." says which was used.
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time
import zlib

import numpy as np

LIST_MAGIC = 0x112
V2_MAGIC = 0xF993FAC9
CHUNK_ELEMS = 1 << 22            # 4 Mi values: 16 MiB of f32 per write
IN_SHAPE = (2, 3, 32, 32)        # batch 2, so the check sees two samples
C1 = 16                          # conv1 filters
FLAT = C1 * 16 * 16              # after the 2x2 pool on 32x32
OUT = 10
BN_EPS = 1e-5
MUL = 0.5


# --- values -------------------------------------------------------------------

class Stream:
    """Uniform float32 values in [lo, hi) from PCG64's raw output: two 24-bit
    uniforms per 64-bit word, so the stream does not depend on numpy's
    float-generation code, only on PCG64 (stable by design)."""

    def __init__(self, seed, index):
        self.bg = np.random.PCG64(np.random.SeedSequence([seed, index]))

    def uniform(self, n, lo, hi):
        raw = self.bg.random_raw((n + 1) // 2).view(np.uint32)[:n]
        u = (raw >> np.uint32(8)).astype(np.float32)
        u *= np.float32((hi - lo) / float(1 << 24))
        u += np.float32(lo)
        return u


# --- the NDArray list file ----------------------------------------------------

class ParamsWriter:
    """Streams MXNet's NDArray list format (as plugins/mxnet/ndarray.c reads
    it): u64 0x112, u64 0, u64 count, then per array u32 V2 magic, i32
    storage type 0 (dense), i32 ndim, i64 dims, i32 dev_type 1 + i32 dev_id 0
    (cpu(0)), i32 type flag 0 (float32), raw little-endian data; then u64
    count and the names ("arg:" / "aux:" + name) as u64 length + bytes."""

    def __init__(self, path, count):
        self.f = open(path, "wb")
        self.count = count
        self.names = []
        self.data_bytes = 0
        self.f.write(struct.pack("<QQQ", LIST_MAGIC, 0, count))

    def begin(self, name, shape):
        self.names.append(name)
        self.f.write(struct.pack("<Iii", V2_MAGIC, 0, len(shape)))
        self.f.write(struct.pack("<%dq" % len(shape), *shape))
        self.f.write(struct.pack("<iii", 1, 0, 0))

    def data(self, a):
        a = np.ascontiguousarray(a, dtype="<f4")
        self.f.write(memoryview(a).cast("B"))
        self.data_bytes += a.nbytes

    def close(self):
        assert len(self.names) == self.count, (len(self.names), self.count)
        self.f.write(struct.pack("<Q", self.count))
        for n in self.names:
            b = n.encode()
            self.f.write(struct.pack("<Q", len(b)) + b)
        self.f.close()


# --- sizing -------------------------------------------------------------------

def n_params(h):
    conv = C1 * 3 * 9 + C1 + 4 * C1
    return conv + (h * FLAT + h) + 4 * h + (h * h + h) + (OUT * h + OUT)


def hidden_for(target_bytes):
    """The width H whose total comes closest to target_bytes."""
    n = target_bytes / 4.0
    b = FLAT + 1 + 4 + 1 + OUT
    h = max(1, int((-b + math.sqrt(b * b + 4 * n)) / 2))
    best = min((h, h + 1), key=lambda x: abs(4 * n_params(x) - target_bytes))
    return max(best, 1)


# --- the symbol JSON ----------------------------------------------------------

def symbol_json(h, plain=False):
    nodes, arg_nodes = [], []

    def var(name, shape=None):
        attrs = {"__shape__": str(tuple(shape))} if shape else {}
        arg_nodes.append(len(nodes))
        nodes.append({"op": "null", "name": name, "attrs": attrs, "inputs": []} if attrs else
                     {"op": "null", "name": name, "inputs": []})
        return len(nodes) - 1

    def op(kind, name, inputs, **attrs):
        nodes.append({"op": kind, "name": name, "attrs": {k: str(v) for k, v in attrs.items()},
                      "inputs": [[i, 0, 0] for i in inputs]})
        return len(nodes) - 1

    def bn(x, name):
        ins = [x] + [var(f"{name}_{s}") for s in ("gamma", "beta", "moving_mean", "moving_var")]
        return op("BatchNorm", name, ins, eps=BN_EPS, fix_gamma="False", momentum=0.9)

    def fc(x, name, n):
        return op("FullyConnected", name, [x, var(f"{name}_weight"), var(f"{name}_bias")], num_hidden=n)

    x = var("data", IN_SHAPE)
    y = op("Convolution", "conv1", [x, var("conv1_weight"), var("conv1_bias")],
           kernel="(3, 3)", pad="(1, 1)", num_filter=C1)
    y = bn(y, "bn1")
    y = op("Activation", "relu1", [y], act_type="relu")
    y = op("Pooling", "pool1", [y], kernel="(2, 2)", stride="(2, 2)", pool_type="max")
    y = op("Flatten", "flat", [y])
    y = fc(y, "fc1", h)
    if not plain:
        y = bn(y, "bn2")
    y = op("Activation", "relu2", [y], act_type="relu")
    y = fc(y, "fc2", h)
    if not plain:
        y = op("_mul_scalar", "scale2", [y], scalar=MUL)
    y = op("Activation", "relu3", [y], act_type="relu")
    y = fc(y, "fc3", OUT)
    row = [0]
    for n in nodes:  # BatchNorm has 3 outputs (out, mean, var), the rest 1
        row.append(row[-1] + (3 if n["op"] == "BatchNorm" else 1))
    return {"nodes": nodes, "arg_nodes": arg_nodes, "node_row_ptr": row,
            "heads": [[len(nodes) - 1, 0, 0]], "attrs": {"mxnet_version": ["int", 10901]}}


# --- the numpy forward pass (float64) -------------------------------------------

def conv3x3(x, w, b):
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    hh, ww = x.shape[2], x.shape[3]
    y = np.zeros((x.shape[0], w.shape[0], hh, ww))
    for ky in range(3):
        for kx in range(3):
            y += np.einsum("bchw,oc->bohw", xp[:, :, ky:ky + hh, kx:kx + ww], w[:, :, ky, kx])
    return y + b.reshape(1, -1, 1, 1)


def batchnorm(x, g, beta, mean, var, axis=1):
    shp = [1] * x.ndim
    shp[axis] = -1
    r = lambda v: v.astype(np.float64).reshape(shp)  # noqa: E731
    return (x - r(mean)) / np.sqrt(r(var) + BN_EPS) * r(g) + r(beta)


# --- generation -----------------------------------------------------------------

def generate(out, name, target_bytes, seed, plain):
    h = hidden_for(target_bytes)
    os.makedirs(out, exist_ok=True)
    prefix = os.path.join(out, name)
    with open(prefix + "-symbol.json", "w") as f:
        json.dump(symbol_json(h, plain), f, indent=2)
    streams = iter(range(1000))

    def small(shape, lo, hi):
        return Stream(seed, next(streams)).uniform(int(np.prod(shape)), lo, hi).reshape(shape)

    data = small(IN_SHAPE, -1.0, 1.0)
    a1 = math.sqrt(3.0 / 27)
    p = {"conv1_weight": small((C1, 3, 3, 3), -a1, a1), "conv1_bias": small((C1,), -0.2, 0.2)}

    def bn_params(bn, c):
        return {f"{bn}_gamma": small((c,), 0.5, 1.5), f"{bn}_beta": small((c,), -0.5, 0.5),
                f"{bn}_moving_mean": small((c,), -0.3, 0.3), f"{bn}_moving_var": small((c,), 0.5, 2.0)}

    p.update(bn_params("bn1", C1))
    p.update(bn_params("bn2", h))
    # biases small against the weighted sums, so relu keeps about half
    p["fc1_bias"] = small((h,), -0.1, 0.1)
    p["fc2_bias"] = small((h,), -0.1, 0.1)
    p["fc3_bias"] = small((OUT,), -0.1, 0.1)
    big = [("fc1_weight", (h, FLAT)), ("fc2_weight", (h, h)), ("fc3_weight", (OUT, h))]
    aux = {k for k in p if "moving" in k}
    order = list(p) + [n for n, _ in big]
    w = ParamsWriter(prefix + "-0000.params", len(order))
    for k in p:
        w.begin(("aux:" if k in aux else "arg:") + k, p[k].shape)
        w.data(p[k])

    # the front in float64, then each big layer as its rows stream out
    x = conv3x3(data.astype(np.float64), p["conv1_weight"].astype(np.float64), p["conv1_bias"])
    x = np.maximum(batchnorm(x, *(p[f"bn1_{s}"] for s in ("gamma", "beta", "moving_mean", "moving_var"))), 0)
    b_, c_, hh, ww = x.shape
    x = x.reshape(b_, c_, hh // 2, 2, ww // 2, 2).max(axis=(3, 5)).reshape(b_, -1)
    bn2 = [p[f"bn2_{s}"] for s in ("gamma", "beta", "moving_mean", "moving_var")]
    post = {
        "fc1_weight": lambda y: np.maximum(y + p["fc1_bias"] if plain else
                                           batchnorm(y + p["fc1_bias"], *bn2), 0),
        "fc2_weight": lambda y: np.maximum((y + p["fc2_bias"]) * (1 if plain else MUL), 0),
        "fc3_weight": lambda y: y + p["fc3_bias"],
    }
    for k, (rows, cols) in big:
        w.begin("arg:" + k, (rows, cols))
        s = Stream(seed, next(streams))
        a = math.sqrt(3.0 / cols)
        y = np.empty((x.shape[0], rows))
        step = max(1, CHUNK_ELEMS // cols)
        for r0 in range(0, rows, step):
            r1 = min(rows, r0 + step)
            chunk = s.uniform((r1 - r0) * cols, -a, a).reshape(r1 - r0, cols)
            w.data(chunk)
            y[:, r0:r1] = x @ chunk.T.astype(np.float64)
            del chunk
        x = post[k](y)
    w.close()
    np.savez(os.path.join(out, "inputs.npz"), data=data)
    return h, w.data_bytes, data, x.astype(np.float32)


def mxnet_forward(out, name, data):
    """MXNet's own result from the written files (whole model in RAM)."""
    import warnings
    warnings.filterwarnings("ignore")
    for n, v in (("bool", bool), ("int", int), ("float", float), ("object", object), ("str", str)):
        if not hasattr(np, n):
            setattr(np, n, v)
    import mxnet as mx
    prefix = os.path.join(out, name)
    sym = mx.sym.load(prefix + "-symbol.json")
    saved = mx.nd.load(prefix + "-0000.params")
    args = {k[4:]: v for k, v in saved.items() if k.startswith("arg:")}
    auxs = {k[4:]: v for k, v in saved.items() if k.startswith("aux:")}
    args["data"] = mx.nd.array(data)
    ex = sym.bind(mx.cpu(), args, aux_states=auxs, grad_req="null")
    res = ex.forward(is_train=False)[0].asnumpy()
    return res, mx.__version__


def have_mxnet():
    import importlib.util
    return importlib.util.find_spec("mxnet") is not None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--gb", type=float, help="weights in GiB")
    size.add_argument("--mb", type=float, help="weights in MiB")
    ap.add_argument("--out", required=True, help="directory to write into")
    ap.add_argument("--name", default="model")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--reference", choices=("auto", "mxnet", "numpy", "none"), default="auto")
    ap.add_argument("--plain", action="store_true", help="nothing to fuse into the big weights")
    ap.add_argument("--quiet", action="store_true", help="only the summary lines")
    a = ap.parse_args()
    target = int((a.gb * 1024 if a.gb is not None else a.mb) * 2**20)
    if target < 4 * n_params(1):
        ap.error("the requested size is below the smallest model this network makes")
    t0 = time.perf_counter()
    h, nbytes, data, ref_np = generate(a.out, a.name, target, a.seed ^ zlib.crc32(a.name.encode()), a.plain)
    t_gen = time.perf_counter() - t0
    rss_gen = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    dev = (nbytes - target) / target
    assert abs(dev) < 0.01, f"weights {nbytes} are {dev:+.2%} off the request {target}"
    print(f"big_mxnet: {a.out}/{a.name}: H={h}, weights {nbytes} bytes ({nbytes / 2**20:.1f} MiB, "
          f"{dev:+.3%} of the request), written in {t_gen:.1f} s, peak RSS {rss_gen:.0f} MiB")

    ref, source = ref_np, "numpy (float64, chunked)"
    mode = a.reference
    if mode == "auto":
        mode = "mxnet" if have_mxnet() else "numpy"
        if mode == "numpy":
            source += ", MXNet not importable by " + sys.executable
    if mode == "mxnet":
        t1 = time.perf_counter()
        ref_mx, ver = mxnet_forward(a.out, a.name, data)
        scale = float(np.max(np.abs(ref_mx)))
        diff = float(np.max(np.abs(ref_mx.astype(np.float64) - ref_np))) / scale
        if not diff <= 1e-4:
            sys.exit(f"big_mxnet: MXNet and the numpy implementation disagree: max relative "
                     f"difference {diff:.3e}")
        ref = ref_mx
        source = (f"MXNet {ver} forward of the written files ({time.perf_counter() - t1:.1f} s); "
                  f"the numpy implementation agrees to {diff:.1e}")
    if mode != "none":
        if not (np.all(np.isfinite(ref)) and np.ptp(ref) > 0 and np.ptp(ref[0] - ref[1]) > 0):
            sys.exit(f"big_mxnet: the reference output is constant or not finite: {ref}")
        np.savez(os.path.join(a.out, "reference.npz"), out0=ref)
        print(f"reference: {source}")
    with open(os.path.join(a.out, "info.json"), "w") as f:
        json.dump({"hidden": h, "plain": a.plain, "weight_bytes": nbytes, "request_bytes": target,
                   "params_file": f"{a.name}-0000.params", "reference": source if mode != "none" else None,
                   "seconds": round(t_gen, 2), "peak_rss_mib": round(rss_gen, 1)}, f, indent=1)
    if not a.quiet:
        print(f"output: {np.array2string(ref.ravel()[:6], precision=4)} ...")


if __name__ == "__main__":
    main()
