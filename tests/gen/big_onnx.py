#!/usr/bin/env python3
"""Write an ONNX model with more than 4 GiB of external data, in seconds and little RAM.

    python3 tests/gen/big_onnx.py --out DIR [--rows R] [--width D] [--tables N]

Only numpy is needed (the OpenVINO venv will do): the ModelProto is encoded
here by hand (a dozen fields of onnx.proto), so the onnx package is not.
DIR receives
    model.onnx      the graph; every initializer is external data
    weights.bin     N tables of R x D float32, then the Gemm weight and bias
                    (default 4 x 278528 x 1024: 4.25 GiB, the last table
                    straddling the 4 GiB offset, the Gemm weight beyond it)
    inputs.npz      "idx": int64 [8], rows to look up
    reference.npz   out0 "s" [8, D], out1 "y" [8, 16], computed in numpy
    regions.json    where the written (non-hole) bytes of weights.bin are,
                    and each initializer's offset and size, for spot checks

The network: s = sum over tables of Gather(table_t, idx); y = Gemm(s, G, b,
alpha=0.5) (alpha is fused into G by mo, so G is read through the map and
scaled beyond the 4 GiB offset; the tables are copied as they are).

weights.bin is sparse: only some blocks are written (a 1 MiB block every
16 MiB, the rows idx picks, G and b); the rest are holes that read as
zeros, so the file costs about 1/16 of its size on disk and takes a second
to write.  Written values are a hash of their float32 index in the file,
in [-1, 1): unique per place, never all zero, so a weight read from the
wrong offset (a 32-bit truncation maps the last table's rows onto the
first's) gives other numbers.  idx picks rows at both ends of every table
and the two rows around the 4 GiB offset.
"""
import argparse
import json
import os
import sys

import numpy as np

from pbwire import fbytes, ffloat, fint

FLOAT, INT64 = 1, 7   # onnx.proto's TensorProto.DataType

BLOCK = 1 << 20           # written block
STRIDE = 16 << 20         # one written block per STRIDE bytes
OUT = 16                  # Gemm output width
ALPHA = 0.5


def pattern(first, n):
    """float32 values at float indices first..first+n-1 of weights.bin."""
    i = np.arange(first, first + n, dtype=np.uint64)
    h = (i * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)          # 24 bits
    return ((h & np.uint64(0xFFFF)).astype(np.float32) / np.float32(32768.0) - np.float32(1.0))


# --- protobuf encoding (onnx.proto field numbers) -------------------------------

def tensor_external(name, dtype, dims, offset, length):
    t = b"".join(fint(1, d) for d in dims) + fint(2, dtype) + fbytes(8, name)
    for k, v in (("location", "weights.bin"), ("offset", str(offset)), ("length", str(length))):
        t += fbytes(13, fbytes(1, k) + fbytes(2, v))
    return t + fint(14, 1)


def value_info(name, dtype, dims):
    shape = b"".join(fbytes(1, fint(1, d)) for d in dims)
    return fbytes(1, name) + fbytes(2, fbytes(1, fint(1, dtype) + fbytes(2, shape)))


def node(op, inputs, outputs, name, attrs=b""):
    return (b"".join(fbytes(1, i) for i in inputs) + b"".join(fbytes(2, o) for o in outputs) +
            fbytes(3, name) + fbytes(4, op) + attrs)


def attr_int(name, v):
    return fbytes(5, fbytes(1, name) + fint(3, v) + fint(20, 2))


def attr_float(name, v):
    return fbytes(5, fbytes(1, name) + ffloat(2, v) + fint(20, 1))


# --- the model ----------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=278528)
    ap.add_argument("--width", type=int, default=1024)
    ap.add_argument("--tables", type=int, default=4)
    a = ap.parse_args()
    R, D, N = a.rows, a.width, a.tables
    os.makedirs(a.out, exist_ok=True)
    tbytes = R * D * 4
    offs = [t * tbytes for t in range(N)]
    g_off = N * tbytes
    g_len = D * OUT * 4
    b_off = g_off + g_len
    total = b_off + OUT * 4

    # rows: both ends of each table, the middle, and around the 4 GiB offset
    # when the last table holds it
    idx = [0, 1, R // 2, R - 1]
    last = offs[-1]
    if last < 1 << 32 < last + tbytes:
        r4 = ((1 << 32) - last) // (D * 4)
        idx += [r4 - 1, r4]
    idx += [R // 3, (2 * R) // 3, R // 4, (3 * R) // 4][: 8 - len(idx)]
    idx = np.array(idx[:8], np.int64)

    written = []          # (offset, length) of every written range
    path = os.path.join(a.out, "weights.bin")
    with open(path, "wb") as f:
        f.truncate(total)
        ranges = [(o, min(BLOCK, total - o)) for o in range(0, g_off, STRIDE)]
        ranges += [(offs[t] + int(r) * D * 4, D * 4) for t in range(N) for r in idx]
        ranges.append((g_off, total - g_off))
        for o, n in sorted(set(ranges)):
            f.seek(o)
            f.write(pattern(o // 4, n // 4).tobytes())
            written.append([o, n])

    # the reference, from the pattern (every picked row was written)
    s = np.zeros((len(idx), D), np.float64)
    for t in range(N):
        for k, r in enumerate(idx):
            s[k] += pattern((offs[t] + int(r) * D * 4) // 4, D)
    G = pattern(g_off // 4, D * OUT).reshape(D, OUT).astype(np.float64)
    bias = pattern(b_off // 4, OUT).astype(np.float64)
    y = ALPHA * (s @ G) + bias

    inits = [tensor_external(f"table{t}", FLOAT, [R, D], offs[t], tbytes) for t in range(N)]
    inits += [tensor_external("G", FLOAT, [D, OUT], g_off, g_len), tensor_external("b", FLOAT, [OUT], b_off, OUT * 4)]
    nodes = [node("Gather", [f"table{t}", "idx"], [f"g{t}"], f"gather{t}", attr_int("axis", 0)) for t in range(N)]
    nodes.append(node("Sum", [f"g{t}" for t in range(N)], ["s"], "sum"))
    nodes.append(node("Gemm", ["s", "G", "b"], ["y"], "fc", attr_float("alpha", ALPHA) + attr_float("beta", 1.0)))
    graph = (b"".join(fbytes(1, n) for n in nodes) + fbytes(2, "big_onnx") +
             b"".join(fbytes(5, t) for t in inits) +
             fbytes(11, value_info("idx", INT64, [len(idx)])) +
             fbytes(12, value_info("s", FLOAT, [len(idx), D])) + fbytes(12, value_info("y", FLOAT, [len(idx), OUT])))
    model = fint(1, 8) + fbytes(2, "mo-tests big_onnx.py") + fbytes(7, graph) + fbytes(8, fbytes(1, "") + fint(2, 13))
    with open(os.path.join(a.out, "model.onnx"), "wb") as f:
        f.write(model)
    np.savez(os.path.join(a.out, "inputs.npz"), idx=idx)
    np.savez(os.path.join(a.out, "reference.npz"), out0=s.astype(np.float32), out1=y.astype(np.float32))
    tensors = {f"table{t}": [offs[t], tbytes] for t in range(N)}
    tensors.update(G=[g_off, g_len], b=[b_off, OUT * 4])
    with open(os.path.join(a.out, "regions.json"), "w") as f:
        json.dump({"written": written, "tensors": tensors, "size": total}, f)
    st = os.stat(path)
    print(f"big_onnx: {N} tables {R}x{D} + G {D}x{OUT}: weights.bin {total / 2**30:.3f} GiB "
          f"({st.st_blocks * 512 / 2**20:.0f} MiB on disk), idx {idx.tolist()}")


if __name__ == "__main__":
    sys.exit(main())
