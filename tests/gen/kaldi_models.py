#!/usr/bin/env python3
"""kaldi_models.py - write the Kaldi fixtures of tests/e2e/kaldi_models.sh.

Kaldi has no package for this machine, so the models are written here in
Kaldi's own serialization, both forms, as Kaldi's Write() functions lay them
out (nnet1 nnet-component.cc / nnet-affine-transform.h, nnet3
nnet-nnet.cc / nnet-simple-component.cc / nnet-normalize-component.cc /
nnet-tdnn-component.cc; matrices kaldi-matrix.cc, compressed-matrix.cc):
  binary: "\\0B", tokens followed by one space, ints and floats as a size
          byte + little-endian bytes, bools 'T'/'F', FM/FV/CM matrices;
  text:   the same words separated by spaces, matrices " [\\n rows ]".
The reference of every model is a numpy evaluation of Kaldi's definitions
of its components, frame by frame in time (an independent formulation: a
value at time t exists when everything it reads exists), on random frames.

Writes tests/fixtures/kaldi/<model>/{model.bin.<ext>, model.txt.<ext>,
inputs.npz, reference.npz, info} and the bad-input corpus
tests/fixtures/kaldi/bad/<case>/{model, expect}.

usage: python3 tests/gen/kaldi_models.py [OUTDIR]   (numpy only)
"""
import os
import struct
import sys

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "kaldi")
rng = np.random.default_rng(17)
T = 24  # frames per test window


class W:
    """A Kaldi stream writer, binary or text."""

    def __init__(self, binary):
        self.binary = binary
        self.b = bytearray(b"\0B" if binary else b"")

    def raw(self, s):
        self.b += s.encode() if isinstance(s, str) else s

    def tok(self, t):
        self.raw(t + " ")

    def int(self, i):
        if self.binary:
            self.raw(b"\x04" + struct.pack("<i", int(i)))
        else:
            self.raw("%d " % i)

    def float(self, f, size=4):
        if self.binary:
            self.raw(bytes([size]) + struct.pack("<f" if size == 4 else "<d", f))
        else:
            self.raw("%.9g " % f)

    def bool(self, v):
        self.raw(("T" if v else "F") + ("" if self.binary else " "))

    def ivec(self, v):
        if self.binary:
            self.raw(b"\x04" + struct.pack("<i", len(v)) + struct.pack("<%di" % len(v), *v))
        else:
            self.raw("[ " + " ".join(str(x) for x in v) + " ]\n")

    def mat(self, m, compressed=False):
        m = np.asarray(m, np.float32)
        if self.binary and compressed:
            self.raw(compress_cm(m))
        elif self.binary:
            self.tok("FM")
            self.int(m.shape[0])
            self.int(m.shape[1])
            self.raw(m.astype("<f4").tobytes())
        else:
            rows = "\n  ".join(" ".join("%.9g" % x for x in r) for r in m)
            self.raw(" [\n  " + rows + " ]\n")

    def vec(self, v):
        v = np.asarray(v, np.float32)
        if self.binary:
            self.tok("FV")
            self.int(v.shape[0])
            self.raw(v.astype("<f4").tobytes())
        else:
            self.raw(" [ " + " ".join("%.9g" % x for x in v) + " ]\n")


def compress_cm(m):
    """Kaldi's CompressedMatrix, kOneByteWithColHeaders ("CM"); returns the
    bytes and leaves the decoded values in compress_cm.decoded."""
    rows, cols = m.shape
    mn, mx = float(m.min()), float(m.max())
    rng_ = max(mx - mn, 1e-6)
    mn32, rng32 = np.float32(mn), np.float32(rng_)

    def u16(x):
        return int(min(65535, max(0, round((x - mn) / rng_ * 65535))))

    def f16(v):
        return np.float32(mn32 + rng32 * np.float32(1.52590218966964e-05) * np.float32(v))

    out = bytearray(b"CM ") + struct.pack("<ffii", mn, rng_, rows, cols)
    data = bytearray()
    dec = np.zeros_like(m)
    for c in range(cols):
        col = np.sort(m[:, c])
        q = [u16(col[int(k * (rows - 1))]) for k in (0, 0.25, 0.75, 1.0)]
        q[1] = max(q[1], q[0]); q[2] = max(q[2], q[1]); q[3] = max(q[3], q[2])
        out += struct.pack("<4H", *q)
        p0, p25, p75, p100 = (f16(x) for x in q)
        for r in range(rows):
            x = m[r, c]
            cands = []
            for b in range(256):
                if b <= 64:
                    y = p0 + (p25 - p0) * np.float32(b) * np.float32(1 / 64.0)
                elif b <= 192:
                    y = p25 + (p75 - p25) * np.float32(b - 64) * np.float32(1 / 128.0)
                else:
                    y = p75 + (p100 - p75) * np.float32(b - 192) * np.float32(1 / 63.0)
                cands.append(np.float32(y))
            b = int(np.argmin([abs(y - x) for y in cands]))
            data.append(b)
            dec[r, c] = cands[b]
    compress_cm.decoded = dec
    return bytes(out + data)


def rnd(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(x):
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def save(name, files, feats, ref, info, extra=None):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for fn, data in files.items():
        with open(os.path.join(d, fn), "wb") as f:
            f.write(data)
    np.savez(os.path.join(d, "inputs.npz"), input=feats.astype(np.float32),
             **{k: v.astype(np.float32) for k, v in (extra or {}).items()})
    np.savez(os.path.join(d, "reference.npz"), out0=ref.astype(np.float32))
    with open(os.path.join(d, "info"), "w") as f:
        for k, v in info.items():
            f.write("%s=%s\n" % (k, v))


# --- nnet1 DNN: Splice + AddShift + Rescale + AffineTransform + Sigmoid/Tanh/ReLU + Softmax

def nnet1_dnn(compressed_layer=None, legacy=False):
    """legacy: the form the legacy Model Optimizer reads (it knows neither
    nnet1's <Splice> nor <Tanh>): no splice, Sigmoid for Tanh."""
    D, ctx = (40, [0]) if legacy else (8, [-2, -1, 0, 1, 2])
    S = D * len(ctx)
    shift, scale = rnd(S), (1 + rnd(S, scale=0.2))
    layers = [("AffineTransform", rnd(32, S), rnd(32)), ("Sigmoid",),
              ("AffineTransform", rnd(24, 32), rnd(24)), ("Sigmoid",) if legacy else ("Tanh",),
              ("AffineTransform", rnd(16, 24), rnd(16)), ("Softmax",)]

    def write(binary):
        w = W(binary)
        w.tok("<Nnet>")
        if not binary:
            w.raw("\n")
        if not legacy:
            w.tok("<Splice>"); w.int(S); w.int(D); w.ivec(ctx); w.tok("<!EndOfComponent>")
        w.tok("<AddShift>"); w.int(S); w.int(S); w.tok("<LearnRateCoef>"); w.float(0); w.vec(shift)
        w.tok("<!EndOfComponent>")
        w.tok("<Rescale>"); w.int(S); w.int(S); w.tok("<LearnRateCoef>"); w.float(0); w.vec(scale)
        w.tok("<!EndOfComponent>")
        dim = S
        for i, l in enumerate(layers):
            if l[0] == "AffineTransform":
                _, m, b = l
                w.tok("<AffineTransform>"); w.int(m.shape[0]); w.int(m.shape[1])
                w.tok("<LearnRateCoef>"); w.float(1); w.tok("<BiasLearnRateCoef>"); w.float(1)
                w.tok("<MaxNorm>"); w.float(0)
                w.mat(m, compressed=(compressed_layer == i)); w.vec(b)
                dim = m.shape[0]
            else:
                w.tok("<%s>" % l[0]); w.int(dim); w.int(dim)
            w.tok("<!EndOfComponent>")
            if not binary:
                w.raw("\n")
        w.tok("</Nnet>")
        return bytes(w.b)

    files = {"model.bin.nnet": write(True)}
    if compressed_layer is None:
        files["model.txt.nnet"] = write(False)
    else:
        i = compressed_layer
        layers[i] = (layers[i][0], compress_cm.decoded, layers[i][2])
    feats = rnd(T, D, scale=1.0)
    # reference: time by time
    outs = []
    for t in range(-min(ctx), T - max(ctx)):
        x = np.concatenate([feats[t + o] for o in ctx])[None]
        x = (x + shift) * scale
        for l in layers:
            if l[0] == "AffineTransform":
                x = x @ l[1].T + l[2]
            elif l[0] == "Sigmoid":
                x = sigmoid(x)
            elif l[0] == "Tanh":
                x = np.tanh(x)
            elif l[0] == "Softmax":
                x = softmax(x)
        outs.append(x[0])
    return files, feats, np.array(outs), {"left": 2, "right": 2, "last_affine": layers[-2]}


# --- nnet3 ----------------------------------------------------------------------

class Net3:
    """An nnet3 network: config lines + components, with a numpy evaluator."""

    def __init__(self, in_dim):
        self.lines = ["input-node name=input dim=%d" % in_dim]
        self.comps = []  # (name, type, fields list, eval fn)
        self.nodes = {}  # node -> (component name, descriptor)
        self.in_dim = in_dim
        self.fns = {}
        self.extra = {}  # other input-nodes: name -> their frames

    def add_input(self, name, frames):
        self.lines.append("input-node name=%s dim=%d" % (name, frames.shape[1]))
        self.extra[name] = frames

    def comp(self, name, typ, fields, fn, desc):
        self.comps.append((name, typ, fields))
        self.fns[name] = fn
        self.nodes[name] = desc
        self.lines.append("component-node name=%s component=%s input=%s" % (name, name, desc))

    def dim_range(self, name, src, offset, dim):
        self.lines.append("dim-range-node name=%s input-node=%s dim-offset=%d dim=%d" % (name, src, offset, dim))
        self.nodes[name] = src
        self.fns[name] = lambda x, t, d: x[offset:offset + dim]

    def output(self, desc):
        self.lines.append("output-node name=output input=%s objective=linear" % desc)
        self.out = desc

    def write(self, binary, prefix=b""):
        w = W(binary)
        w.b = bytearray(prefix) + (b"\0B" if binary else b"")
        w.tok("<Nnet3>")
        w.raw("\n" + "\n".join(self.lines) + "\n\n")
        w.tok("<NumComponents>"); w.int(len(self.comps))
        if not binary:
            w.raw("\n")
        for name, typ, fields in self.comps:
            w.tok("<ComponentName>"); w.tok(name); w.tok("<%s>" % typ)
            for f in fields:
                kind, key, val = f
                if key:
                    w.tok("<%s>" % key)
                getattr(w, kind)(*val) if isinstance(val, tuple) else getattr(w, kind)(val)
            w.tok("</%s>" % typ)
            if not binary:
                w.raw("\n")
        w.tok("</Nnet3>")
        return bytes(w.b)

    # evaluation: a value at time t, or None where it does not exist
    def evaluate(self, feats):
        memo = {}

        def desc(d, t):
            d = d.strip()
            if "(" not in d:
                return node(d, t)
            head, rest = d.split("(", 1)
            args = split_args(rest[:-1])
            if head == "Append":
                parts = [desc(a, t) for a in args]
                return None if any(p is None for p in parts) else np.concatenate(parts)
            if head == "Sum":
                parts = [desc(a, t) for a in args]
                return None if any(p is None for p in parts) else parts[0] + parts[1]
            if head == "Offset":
                return desc(args[0], t + int(args[1]))
            if head == "Scale":
                v = desc(args[1], t)
                return None if v is None else np.float32(float(args[0])) * v
            if head == "ReplaceIndex":
                assert args[1] == "t"
                return desc(args[0], int(args[2]))
            raise ValueError(head)

        def node(n, t):
            if n == "input":
                return feats[t] if 0 <= t < len(feats) else None
            if n in self.extra:
                v = self.extra[n]
                return v[t] if 0 <= t < len(v) else None
            if (n, t) not in memo:
                x = desc(self.nodes[n], t) if not callable(self.nodes[n]) else None
                memo[(n, t)] = self.fns[n](x, t, desc) if x is not None or n in self.tdnn else None
            return memo[(n, t)]

        ts = [t for t in range(-40, len(feats) + 40) if desc(self.out, t) is not None]
        return np.array([desc(self.out, t) for t in ts]), ts[0], ts[-1] - (len(feats) - 1)


def split_args(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            out.append(cur); cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    out.append(cur)
    return [a.strip() for a in out]


def updatable(lr=0.001, max_change=0.75, l2=0.01):
    return [("float", "MaxChange", max_change), ("float", "L2Regularize", l2), ("float", "LearningRate", lr)]


def nonlinear(dim):
    return [("int", "Dim", dim), ("vec", "ValueAvg", np.zeros(dim)), ("vec", "DerivAvg", np.zeros(dim)),
            ("float", "Count", 0.0), ("float", "NumDimsSelfRepaired", 0.0), ("float", "NumDimsProcessed", 0.0)]


def add_affine(net, name, typ, din, dout, desc, bias=True):
    m, b = rnd(dout, din, scale=1.0 / np.sqrt(din) * 1.5), rnd(dout)
    if typ == "FixedAffineComponent":
        fields = [("mat", "LinearParams", m), ("vec", "BiasParams", b)]
    else:
        fields = updatable() + [("mat", "LinearParams", m), ("vec", "BiasParams", b)]
        if typ == "NaturalGradientAffineComponent":
            fields += [("int", "RankIn", 20), ("int", "RankOut", 80), ("int", "UpdatePeriod", 4),
                       ("float", "NumSamplesHistory", 2000.0), ("float", "Alpha", 4.0)]
    net.comp(name, typ, fields, lambda x, t, d: m @ x + b, desc)
    return dout


def add_relu(net, name, dim, desc):
    net.comp(name, "RectifiedLinearComponent", nonlinear(dim), lambda x, t, d: np.maximum(x, 0), desc)


def add_batchnorm(net, name, dim, desc, block=None):
    block = block or dim
    mean, var = rnd(block), (0.5 + rng.random(block)).astype(np.float32)
    eps, rms = 0.001, 1.0
    fields = [("int", "Dim", dim), ("int", "BlockDim", block), ("float", "Epsilon", eps),
              ("float", "TargetRms", rms), ("bool", "TestMode", False), ("float", "Count", (1000.0, 8)),
              ("vec", "StatsMean", mean), ("vec", "StatsVar", var)]

    def fn(x, t, d):
        xb = x.reshape(-1, block)
        return ((xb - mean) * (rms / np.sqrt(var + eps))).reshape(-1)
    net.comp(name, "BatchNormComponent", fields, fn, desc)


def add_normalize(net, name, dim, desc, rms=1.0):
    fields = [("int", "InputDim", dim), ("float", "TargetRms", rms), ("bool", "AddLogStddev", False)]
    net.comp(name, "NormalizeComponent", fields,
             lambda x, t, d: x * rms / np.sqrt(max(np.mean(x * x), 2.0 ** -66)), desc)


def nnet3_tdnn():
    D = 8
    net = Net3(D)
    net.tdnn = set()
    d = add_affine(net, "lda", "FixedAffineComponent", 3 * D, 3 * D,
                   "Append(Offset(input, -1), input, Offset(input, 1))")
    d = add_affine(net, "tdnn1.affine", "NaturalGradientAffineComponent", d, 32, "lda")
    add_relu(net, "tdnn1.relu", d, "tdnn1.affine")
    add_batchnorm(net, "tdnn1.batchnorm", d, "tdnn1.relu")
    d = add_affine(net, "tdnn2.affine", "NaturalGradientAffineComponent", 3 * d, 32,
                   "Append(Offset(tdnn1.batchnorm, -2), tdnn1.batchnorm, Offset(tdnn1.batchnorm, 2))")
    add_relu(net, "tdnn2.relu", d, "tdnn2.affine")
    add_normalize(net, "tdnn2.renorm", d, "tdnn2.relu", rms=0.8)
    d = add_affine(net, "output.affine", "AffineComponent", d, 12, "tdnn2.renorm")
    net.comp("output.log-softmax", "LogSoftmaxComponent", nonlinear(d),
             lambda x, t, dd: log_softmax(x[None])[0], "output.affine")
    net.output("output.log-softmax")
    return net


def add_tdnn(net, name, din, dout, offsets, src, bias=True):
    m = rnd(dout, din * len(offsets), scale=1.0 / np.sqrt(din * len(offsets)) * 1.5)
    b = rnd(dout) if bias else np.zeros(0, np.float32)
    fields = updatable() + [("ivec", "TimeOffsets", offsets), ("mat", "LinearParams", m),
                            ("vec", "BiasParams", b), ("float", "OrthonormalConstraint", -1.0 if bias else 0.0),
                            ("bool", "UseNaturalGradient", True), ("float", "NumSamplesHistory", 2000.0),
                            ("float", "AlphaInOut", (4.0,)), ("float", "", (4.0,)),
                            ("int", "RankInOut", 20), ("int", "", 20)]

    def fn(x, t, d):
        parts = [d(src, t + o) for o in offsets]
        if any(p is None for p in parts):
            return None
        y = m @ np.concatenate(parts)
        return y + b if bias else y
    net.tdnn.add(name)
    net.comp(name, "TdnnComponent", fields, fn, src)
    return dout


def add_linear(net, name, din, dout, src):
    m = rnd(dout, din, scale=0.3)
    net.comp(name, "LinearComponent",
             updatable() + [("mat", "Params", m), ("float", "OrthonormalConstraint", 1.0),
                            ("bool", "UseNaturalGradient", True), ("int", "RankInOut", (20,)), ("int", "", 20),
                            ("float", "Alpha", 4.0), ("float", "NumSamplesHistory", 2000.0),
                            ("int", "UpdatePeriod", 4)],
             lambda x, t, d: m @ x, src)


def nnet3_tdnnf():
    D = 8
    net = Net3(D)
    net.tdnn = set()
    d = add_affine(net, "lda", "FixedAffineComponent", 3 * D, 24,
                   "Append(Offset(input, -1), input, Offset(input, 1))")
    add_tdnn(net, "tdnnf1.linear", d, 10, [-1, 0], "lda", bias=False)
    add_tdnn(net, "tdnnf1.affine", 10, 24, [0, 1], "tdnnf1.linear")
    add_relu(net, "tdnnf1.relu", 24, "tdnnf1.affine")
    add_batchnorm(net, "tdnnf1.batchnorm", 24, "tdnnf1.relu", block=8)
    net.comp("tdnnf1.dropout", "GeneralDropoutComponent",
             [("int", "Dim", 24), ("int", "BlockDim", 24), ("int", "TimePeriod", 0),
              ("float", "DropoutProportion", 0.5), ("bool", "TestMode", False)],
             lambda x, t, d: x, "tdnnf1.batchnorm")
    net.comp("tdnnf1.noop", "NoOpComponent", [("int", "Dim", 24), ("float", "BackpropScale", 1.0)],
             lambda x, t, d: x, "Sum(Scale(0.66, tdnnf1.dropout), Offset(lda, -1))")
    add_linear(net, "prefinal.linear", 24, 16, "tdnnf1.noop")
    add_affine(net, "output.affine", "NaturalGradientAffineComponent", 16, 12, "prefinal.linear")
    net.output("output.affine")
    return net


def nnet3_flat():
    """Per-frame components only, plus one Append(x, Offset(x, -1)): the
    forms the legacy Model Optimizer converts as Kaldi defines them."""
    D = 8
    net = Net3(D)
    net.tdnn = set()
    d = add_affine(net, "lda", "FixedAffineComponent", 2 * D, 16, "Append(input, Offset(input, -1))")
    d = add_affine(net, "tdnn1.affine", "NaturalGradientAffineComponent", d, 24, "lda")
    add_relu(net, "tdnn1.relu", d, "tdnn1.affine")
    add_batchnorm(net, "tdnn1.batchnorm", d, "tdnn1.relu")
    add_normalize(net, "tdnn1.renorm", d, "tdnn1.batchnorm", rms=0.7)
    add_linear(net, "prefinal.linear", 24, 16, "tdnn1.renorm")
    d = add_affine(net, "output.affine", "AffineComponent", 16, 12, "prefinal.linear")
    net.comp("output.log-softmax", "LogSoftmaxComponent", nonlinear(d),
             lambda x, t, dd: log_softmax(x[None])[0], "output.affine")
    net.output("output.log-softmax")
    return net


def nnet3_ivector():
    """A TDNN with an i-vector input: Append(..., ReplaceIndex(ivector, t, 0)),
    a PnormComponent and a dim-range-node."""
    D = 8
    net = Net3(D)
    net.tdnn = set()
    net.add_input("ivector", rnd(1, 5, scale=1.0))
    d = add_affine(net, "lda", "FixedAffineComponent", 2 * D + 5, 16,
                   "Append(Offset(input, -1), input, ReplaceIndex(ivector, t, 0))")
    # nnet3's PnormComponent: the 2-norm of groups of InputDim/OutputDim values
    net.comp("tdnn1.pnorm", "PnormComponent", [("int", "InputDim", d), ("int", "OutputDim", d // 2)],
             lambda x, t, dd: np.sqrt((x.reshape(-1, 2) ** 2).sum(1)), "lda")
    net.dim_range("tdnn1.part", "tdnn1.pnorm", 2, 6)
    d = add_affine(net, "tdnn2.affine", "NaturalGradientAffineComponent", 2 * 6, 12,
                   "Append(tdnn1.part, Offset(tdnn1.part, 2))")
    net.comp("output.log-softmax", "LogSoftmaxComponent", nonlinear(d),
             lambda x, t, dd: log_softmax(x[None])[0], "tdnn2.affine")
    net.output("output.log-softmax")
    return net


def nnet3_files(net, ext):
    feats = rnd(T, net.in_dim, scale=1.0)
    ref, lo, hi = net.evaluate(feats)
    files = {"model.bin." + ext: net.write(True), "model.txt." + ext: net.write(False)}
    return files, feats, ref, {"left": lo, "right": -hi}


def transition_model():
    """A minimal <TransitionModel> block as a .mdl starts with (skipped)."""
    w = W(True)
    w.b = bytearray()
    w.tok("<TransitionModel>"); w.tok("<Topology>"); w.raw(b"\x04\x00\x00\x00\x00"); w.tok("</Topology>")
    w.tok("<Triples>"); w.int(0); w.tok("</Triples>"); w.tok("<LogProbs>"); w.vec(np.zeros(0))
    w.tok("</LogProbs>"); w.tok("</TransitionModel>")
    return bytes(w.b)


def main():
    files, feats, ref, info = nnet1_dnn()
    info_out = {"left": info["left"], "right": info["right"]}
    save("nnet1_dnn", files, feats, ref, info_out)
    # --remove_output_softmax and --counts on the DNN: references from the same weights
    m, b = info["last_affine"][1], info["last_affine"][2]
    counts = (rng.random(m.shape[0]) * 1000 + 1).round()
    counts[3] = 0  # a zero count is floored at 1e-10
    d = os.path.join(OUT, "nnet1_dnn")
    with open(os.path.join(d, "counts.txt"), "w") as f:
        f.write("[ " + " ".join("%d" % c for c in counts) + " ]\n")
    cf = np.maximum(counts, 1e-10)
    logp = np.log(cf / cf.sum())
    post = ref
    logits = np.log(post)  # softmax removed: the last affine's output, up to a per-frame constant
    np.savez(os.path.join(d, "ref_counts.npz"), out0=(np.log(post) - logp).astype(np.float32))
    np.savez(os.path.join(d, "logpriors.npz"), logp=logp.astype(np.float32))
    del logits

    files, feats, ref, info = nnet1_dnn(legacy=True)
    save("nnet1_dnn_flat", files, feats, ref, {"left": 0, "right": 0, "legacy": "yes"})
    files, feats, ref, info = nnet1_dnn(compressed_layer=2)
    save("nnet1_dnn_cm", files, feats, ref, info)

    for name, fn, ext in (("nnet3_tdnn", nnet3_tdnn, "raw"), ("nnet3_tdnnf", nnet3_tdnnf, "raw"),
                          ("nnet3_flat", nnet3_flat, "raw")):
        files, feats, ref, info = nnet3_files(fn(), ext)
        if name == "nnet3_flat":
            info["legacy"] = "yes"
        save(name, files, feats, ref, info)
    # counts for the TDNN (its LogSoftmax kept: log posteriors - log priors)
    d = os.path.join(OUT, "nnet3_tdnn")
    ref = np.load(os.path.join(d, "reference.npz"))["out0"]
    counts = np.array([(i * 37 % 11 + 1) * 10 for i in range(ref.shape[1])], np.float64)
    with open(os.path.join(d, "counts.txt"), "w") as f:
        f.write(" ".join("%d" % c for c in counts) + "\n")  # plain numbers, no brackets
    logp = np.log(counts / counts.sum())
    np.savez(os.path.join(d, "ref_counts.npz"), out0=(ref - logp).astype(np.float32))
    net = nnet3_ivector()
    files, feats, ref, info = nnet3_files(net, "raw")
    save("nnet3_ivector", files, feats, ref, info, extra=net.extra)
    # a .mdl: transition model, then the TDNN
    net = nnet3_tdnn()
    feats = rnd(T, net.in_dim, scale=1.0)
    ref, lo, hi = net.evaluate(feats)
    save("nnet3_mdl", {"model.bin.mdl": b"\0B" + transition_model() + net.write(True)[2:]}, feats, ref,
         {"left": lo, "right": -hi})
    bad_inputs()


def bad_inputs():
    base = os.path.join(OUT, "bad")
    good, _, _, _ = nnet1_dnn()
    model = good["model.bin.nnet"]
    cases = {}
    cases["truncated"] = (model[: len(model) * 2 // 3], ["the file ends", "byte "])
    cases["wrong_token"] = (model.replace(b"<!EndOfComponent> <AddShift>", b"<!EndOfComponent> AddShift>", 1),
                            ["found 'AddShift>'", "byte "])
    # the first affine matrix says 33 rows where the header says 32
    i = model.index(b"FM ")
    cases["matrix_size"] = (model[:i + 3] + b"\x04" + struct.pack("<i", 33) + model[i + 8:],
                            ["matrix", "32", "byte "])
    txt = good["model.txt.nnet"]
    cases["unknown_components"] = (txt.replace(b"<Sigmoid>", b"<Maxout>").replace(b"<Tanh>", b"<Blstm>"),
                                   ["'<Maxout>' at byte", "'<Blstm>' at byte", "2 components"])
    cases["not_kaldi"] = (b"\0B<Mnet> " + model[8:], ["not a Kaldi nnet1 or nnet3 model", "<Mnet>"])
    net = nnet3_tdnn()
    n3 = net.write(True)
    cases["nnet3_bad_descriptor"] = (n3.replace(b"Offset(input, 1)", b"Offst(input, 1)", 1),
                                     ["descriptor", "Offst", "node 'lda'"])
    cases["nnet3_truncated"] = (n3[: len(n3) - 300], ["the file ends", "byte "])
    for name, (data, expect) in cases.items():
        d = os.path.join(base, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "model.nnet"), "wb") as f:
            f.write(data)
        with open(os.path.join(d, "expect"), "w") as f:
            f.write("\n".join(expect) + "\n")


if __name__ == "__main__":
    main()
