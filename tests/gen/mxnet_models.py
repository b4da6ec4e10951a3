#!/usr/bin/env python3
"""Generate the MXNet model fixtures (small whole models) and, with --zoo, the big zoo.

Run with the MXNet virtual environment (MXNet 1.9.1, numpy 1.23.x):
    .venv/mxnet/bin/python tests/gen/mxnet_models.py            # tests/fixtures/mxnet/
    .venv/mxnet/bin/python tests/gen/mxnet_models.py --zoo      # tests/zoo/mxnet/ (git-ignored)
    ... --only NAME          one model (exact name, else every name containing it)

Each model becomes <dir>/<name>/ with
    model-symbol.json, model-0000.params   saved by MXNet itself (or, for the
                                           legacy cases, rewritten in an older
                                           dialect that MXNet 1.9.1 still loads)
    inputs.npz                             one array per input, by name
    reference.npz                          out0, out1, ... from MXNet's forward
    mo_args (optional)                     extra mo options, one per line
Weights are random (seeded by the model name) and scaled so activations
neither vanish nor saturate; inputs are random too, so no output is constant.
"""
import argparse
import json
import os
import shutil
import struct
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402

for _n, _v in (("bool", bool), ("int", int), ("float", float), ("object", object), ("str", str)):
    if not hasattr(np, _n):
        setattr(np, _n, _v)
import mxnet as mx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "mxnet")
ZOO = os.path.join(HERE, "..", "zoo", "mxnet")
S = mx.sym


def rng_for(name):
    return np.random.RandomState(zlib.crc32(name.encode()) & 0x7FFFFFFF)


def init_params(sym, shapes, rng, fixed=None):
    """Random weights for every argument that is not an input, and BN stats."""
    fixed = fixed or {}
    arg_shapes, _, aux_shapes = sym.infer_shape(**shapes)
    args, auxs = {}, {}
    for name, shp in zip(sym.list_arguments(), arg_shapes):
        if name in shapes:
            continue
        if name in fixed:
            args[name] = mx.nd.array(fixed[name])
            continue
        fan_in = int(np.prod(shp[1:])) if len(shp) > 1 else 1
        if name.endswith("_gamma"):
            v = rng.uniform(0.5, 1.5, shp)
        elif name.endswith("_beta") or name.endswith("_bias"):
            v = rng.uniform(-0.5, 0.5, shp)
        elif name.endswith("_alpha"):
            v = rng.uniform(0.05, 0.3, shp)
        else:
            v = rng.normal(0, 1.0 / np.sqrt(max(fan_in, 1)), shp)
        args[name] = mx.nd.array(v.astype(np.float32))
    for name, shp in zip(sym.list_auxiliary_states(), aux_shapes):
        if name.endswith("_var"):
            v = rng.uniform(0.5, 2.0, shp)
        else:
            v = rng.uniform(-0.3, 0.3, shp)
        auxs[name] = mx.nd.array(v.astype(np.float32))
    return args, auxs


def forward(sym, args, auxs, inputs):
    ex = sym.bind(mx.cpu(), {**args, **{k: mx.nd.array(v) for k, v in inputs.items()}},
                  aux_states=auxs, grad_req="null")
    return [o.asnumpy() for o in ex.forward(is_train=False)]


def save_case(root, name, sym, args, auxs, inputs, outs, mo_args=None, json_text=None, params_bytes=None):
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    prefix = os.path.join(d, "model")
    if json_text is None:
        sym.save(prefix + "-symbol.json")
    else:
        with open(prefix + "-symbol.json", "w") as f:
            f.write(json_text)
    if params_bytes is None:
        save = {("arg:" + k): v for k, v in args.items()}
        save.update({("aux:" + k): v for k, v in auxs.items()})
        mx.nd.save(prefix + "-0000.params", save)
    else:
        with open(prefix + "-0000.params", "wb") as f:
            f.write(params_bytes)
    np.savez(os.path.join(d, "inputs.npz"), **inputs)
    np.savez(os.path.join(d, "reference.npz"), **{f"out{i}": o for i, o in enumerate(outs)})
    if mo_args:
        with open(os.path.join(d, "mo_args"), "w") as f:
            f.write("\n".join(mo_args) + "\n")
    for o in outs:
        assert np.ptp(o) > 0, f"{name}: constant output"
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{name}: {size / 1024:.1f} KiB, outputs {[o.shape for o in outs]}")


def sym_case(root, name, sym, shapes, mo_args=None, fixed=None, ints=()):
    """ints: inputs drawn from a few integers, so equality tests hit both ways."""
    rng = rng_for(name)
    args, auxs = init_params(sym, shapes, rng, fixed)
    inputs = {k: (rng.randint(-2, 3, s) if k in ints else rng.uniform(-1, 1, s)).astype(np.float32)
              for k, s in shapes.items()}
    outs = forward(sym, args, auxs, inputs)
    save_case(root, name, sym, args, auxs, inputs, outs, mo_args)


# --- small models -----------------------------------------------------------

def m_conv_bn_relu_pool_fc(root):
    x = S.Variable("data", shape=(1, 3, 16, 16))
    y = S.Convolution(x, num_filter=8, kernel=(3, 3), pad=(1, 1), name="conv1")
    y = S.BatchNorm(y, fix_gamma=False, eps=1e-5, name="bn1")
    y = S.Activation(y, act_type="relu", name="relu1")
    y = S.Pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    y = S.Convolution(y, num_filter=8, kernel=(3, 3), pad=(1, 1), no_bias=True, name="conv2")
    y = S.BatchNorm(y, name="bn2")  # MXNet's defaults: fix_gamma, eps 1e-3
    y = S.Activation(y, act_type="relu", name="relu2")
    y = S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="avg", pooling_convention="full", name="pool2")
    y = S.Flatten(y, name="flat")
    y = S.FullyConnected(y, num_hidden=10, name="fc1")
    y = S.SoftmaxOutput(y, name="softmax")
    sym_case(root, "conv_bn_relu_pool_fc", y, {"data": (1, 3, 16, 16)})


def m_grouped_deconv(root):
    x = S.Variable("data", shape=(1, 4, 8, 8))
    y = S.Convolution(x, num_filter=8, kernel=(3, 3), pad=(1, 1), num_group=2, name="gconv")
    y = S.Convolution(y, num_filter=8, kernel=(3, 3), pad=(1, 1), num_group=8, stride=(2, 2), name="dwconv")
    y = S.LeakyReLU(y, act_type="leaky", slope=0.1, name="lrelu")
    y = S.Deconvolution(y, num_filter=6, kernel=(4, 4), stride=(2, 2), pad=(1, 1), no_bias=False, name="up")
    y = S.Deconvolution(y, num_filter=4, kernel=(3, 3), stride=(2, 2), num_group=2, pad=(1, 1),
                        name="gup")
    z = S.Deconvolution(y, num_filter=2, kernel=(3, 3), stride=(2, 2), target_shape=(31, 31), name="tgt")
    z2 = S.Convolution(S.Variable("data1d", shape=(1, 3, 20)), num_filter=4, kernel=(5,), stride=(2,),
                       dilate=(2,), pad=(3,), name="conv1d")
    sym_case(root, "grouped_deconv", S.Group([z, z2]), {"data": (1, 4, 8, 8), "data1d": (1, 3, 20)})


def m_pooling(root):
    x = S.Variable("data", shape=(1, 3, 11, 11))
    outs = [
        S.Pooling(x, kernel=(3, 3), stride=(2, 2), pool_type="max", pooling_convention="full", name="max_full"),
        S.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg", count_include_pad=False,
                  name="avg_excl"),
        S.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg", name="avg_incl"),
        S.Pooling(x, kernel=(2, 2), stride=(2, 2), pool_type="sum", name="sum"),
        S.Pooling(x, kernel=(2, 2), stride=(1, 1), pool_type="lp", p_value=2, name="lp2"),
        S.Pooling(x, kernel=(1, 1), global_pool=True, pool_type="avg", name="gavg"),
        S.Pooling(x, kernel=(1, 1), global_pool=True, pool_type="max", name="gmax"),
        S.Pooling(S.Variable("seq", shape=(1, 2, 9)), kernel=(3,), stride=(2,), pool_type="max", name="max1d"),
    ]
    # pooling_convention='same' cannot be built: MXNet 1.9.1's shape check
    # reads pad[1] of a 1-D pad and fails
    sym_case(root, "pooling", S.Group(outs), {"data": (1, 3, 11, 11), "seq": (1, 2, 9)})


def m_activations(root):
    x = S.Variable("data", shape=(2, 4, 5, 5))
    x3 = x * 3
    outs = [S.Activation(x3, act_type=a, name=a) for a in ("relu", "sigmoid", "tanh", "softrelu", "softsign")]
    outs += [S.LeakyReLU(x3, act_type="leaky", slope=0.2, name="leaky"),
             S.LeakyReLU(x3, act_type="prelu", name="prelu"),
             S.LeakyReLU(x3, act_type="elu", slope=0.7, name="elu"),
             S.LeakyReLU(x3, act_type="selu", name="selu"),
             S.LeakyReLU(x3, act_type="gelu", name="gelu"),
             S.LeakyReLU(x3, act_type="rrelu", name="rrelu")[0],  # [1] is the training mask
             S.clip(x3, a_min=-1.5, a_max=2.0, name="clip"),
             S.hard_sigmoid(x3, alpha=0.3, beta=0.4, name="hsig"),
             S.relu(x3, name="relu_op"), S.sigmoid(x3, name="sigmoid_op"), S.erf(x, name="erf_op"),
             S.softsign(x3, name="softsign_op")]
    rng = rng_for("prelu")
    sym_case(root, "activations", S.Group(outs), {"data": (2, 4, 5, 5)},
             fixed={"prelu_gamma": rng.uniform(0.05, 0.5, (4,)).astype(np.float32)})


def m_eltwise(root):
    a = S.Variable("a", shape=(2, 3, 4, 5))
    b = S.Variable("b", shape=(2, 3, 4, 5))
    c = S.Variable("c", shape=(1, 3, 1, 5))
    ia = S.Variable("ia", shape=(2, 3, 4, 5))
    ic = S.Variable("ic", shape=(1, 3, 1, 5))
    outs = [a + b, a - b, a * b, a / (S.abs(b) + 1), S.maximum(a, b), S.minimum(a, b),
            S.broadcast_add(a, c), S.broadcast_sub(a, c), S.broadcast_mul(a, c), S.broadcast_div(a, c + 3),
            S.broadcast_maximum(a, c), S.broadcast_minimum(a, c), S.broadcast_power(S.abs(a) + 0.5, c),
            S.broadcast_equal(ia, ic), S.broadcast_greater(a, c), S.broadcast_greater_equal(ia, ic),
            S.broadcast_lesser(a, c), S.broadcast_lesser_equal(ia, ic), S.broadcast_not_equal(ia, ic),
            S.broadcast_logical_and(ia, ic), S.broadcast_logical_or(ia, ic), S.broadcast_logical_xor(ia, ic),
            a + 2.5, a - 1.5, 3 - a, a * -2, a / 4, 2 / (S.abs(a) + 1), (S.abs(a) + 0.1) ** 1.7,
            2 ** a, S.maximum(a, 0.2), S.minimum(a, -0.1), a > 0.1, a >= 0.2, a < -0.3, a <= -0.2,
            ia == 1, ia != 1, ia == ia * ia - 2, ia != ia * ia - 2,
            S.add_n(a, b, a * b, name="sum3"), S.ElementWiseSum(a, b, name="ews"),
            S.negative(a), S.abs(a), S.exp(a), S.log(S.abs(a) + 0.5), S.sqrt(S.abs(a)), S.square(a),
            S.reciprocal(S.abs(a) + 0.5), S.rsqrt(S.abs(a) + 0.5), S.log1p(S.abs(a)), S.expm1(a),
            S.log2(S.abs(a) + 0.5), S.log10(S.abs(a) + 0.5)]
    sym_case(root, "eltwise", S.Group(outs),
             {"a": (2, 3, 4, 5), "b": (2, 3, 4, 5), "c": (1, 3, 1, 5), "ia": (2, 3, 4, 5), "ic": (1, 3, 1, 5)},
             ints=("ia", "ic"))


def m_norms(root):
    x = S.Variable("data", shape=(2, 6, 5, 5))
    outs = [S.InstanceNorm(x, eps=1e-4, name="inorm"),
            S.LRN(x, nsize=3, alpha=1e-2, beta=0.6, knorm=1.5, name="lrn"),
            S.L2Normalization(x, mode="instance", name="l2i"),
            S.L2Normalization(x, mode="channel", name="l2c"),
            S.L2Normalization(x, mode="spatial", name="l2s"),
            S.BatchNorm(S.Variable("seq", shape=(2, 5, 3)), axis=2, fix_gamma=False, name="bn_axis2")]
    sym_case(root, "norms", S.Group(outs), {"data": (2, 6, 5, 5), "seq": (2, 5, 3)})


class _Block(mx.gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.conv = mx.gluon.nn.Conv2D(8, 3, padding=1, in_channels=3)
            self.bn = mx.gluon.nn.BatchNorm(in_channels=8)
            self.conv2 = mx.gluon.nn.Conv2D(8, 3, padding=1, groups=8, in_channels=8)
            self.dense = mx.gluon.nn.Dense(5, in_units=8)

    def hybrid_forward(self, F, x):
        y = F.relu(self.bn(self.conv(x)))
        y = y + self.conv2(y)
        y = F.Pooling(y, global_pool=True, kernel=(1, 1), pool_type="avg")
        return self.dense(y)


def m_gluon(root, plain_names):
    """A HybridBlock exported by Gluon; plain_names re-saves the params with
    the prefix-less keys save_parameters writes."""
    name = "gluon_plain_names" if plain_names else "gluon_export"
    mx.random.seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)
    net = _Block(prefix="net_")
    net.initialize(mx.init.Xavier())
    rng = rng_for(name)
    for pname, p in net.collect_params().items():
        if "running_var" in pname:
            p.set_data(mx.nd.array(rng.uniform(0.5, 2, p.shape)))
        elif "running_mean" in pname or "beta" in pname or "bias" in pname:
            p.set_data(mx.nd.array(rng.uniform(-0.3, 0.3, p.shape)))
    net.hybridize()
    xin = rng.uniform(-1, 1, (1, 3, 8, 8)).astype(np.float32)
    out = net(mx.nd.array(xin)).asnumpy()
    tmp = os.path.join(root, name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    net.export(os.path.join(tmp, "model"))
    sym = mx.sym.load(os.path.join(tmp, "model-symbol.json"))
    params = mx.nd.load(os.path.join(tmp, "model-0000.params"))
    shutil.rmtree(tmp)
    args = {k[4:]: v for k, v in params.items() if k.startswith("arg:")}
    auxs = {k[4:]: v for k, v in params.items() if k.startswith("aux:")}
    pbytes = None
    if plain_names:
        path = os.path.join(root, name + ".params.tmp")
        mx.nd.save(path, {**args, **auxs})
        with open(path, "rb") as f:
            pbytes = f.read()
        os.remove(path)
    save_case(root, name, sym, args, auxs, {"data": xin}, [out],
              mo_args=["--input_shape", "[1,3,8,8]"], params_bytes=pbytes)


def legacy_params(arrays):
    """The oldest .params layout: no per-array magic, u32 ndim and u32 dims."""
    out = bytearray(struct.pack("<QQQ", 0x112, 0, len(arrays)))
    for _, a in arrays:
        a = np.ascontiguousarray(a, dtype=np.float32)
        out += struct.pack("<I", a.ndim) + struct.pack(f"<{a.ndim}I", *a.shape)
        out += struct.pack("<ii", 1, 0) + struct.pack("<i", 0) + a.tobytes()
    out += struct.pack("<Q", len(arrays))
    for k, _ in arrays:
        out += struct.pack("<Q", len(k)) + k.encode()
    return bytes(out)


def m_legacy(root):
    """A pre-0.9 style symbol ('param'/'attr' keys, BatchNorm without its
    auxiliary inputs, no node_row_ptr) with legacy-layout params; MXNet 1.9.1
    itself loads both, and its upgraded forward is the reference."""
    name = "legacy_dialect"
    x = S.Variable("data", shape=(1, 3, 8, 8))
    y = S.Convolution(x, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv")
    y = S.BatchNorm(y, fix_gamma=False, name="bn")
    y = S.Activation(y, act_type="relu", name="relu")
    y = S.Concat(y, S.Pooling(y, kernel=(1, 1), stride=(1, 1), pool_type="max", name="pool"), dim=1,
                 name="cat")
    y = S.FullyConnected(y, num_hidden=6, name="fc")
    rng = rng_for(name)
    shapes = {"data": (1, 3, 8, 8)}
    args, auxs = init_params(y, shapes, rng)
    js = json.loads(y.tojson())
    ids = {}
    nodes = []
    for i, n in enumerate(js["nodes"]):
        if n["op"] == "null" and n["name"].endswith(("_moving_mean", "_moving_var")):
            continue  # pre-0.9 files did not list auxiliary states
        ids[i] = len(nodes)
        m = {"op": n["op"], "name": n["name"], "inputs": [], "backward_source_id": -1}
        if n["op"] != "null":
            m["param"] = dict(n.get("attrs", {}))
            m["attr"] = {"ctx_group": "stage1"}
        elif "__shape__" in n.get("attrs", {}):
            m["attr"] = {"__shape__": n["attrs"]["__shape__"]}
        m["_inputs"] = n["inputs"]
        nodes.append(m)
    for m in nodes:
        m["inputs"] = [[ids[e[0]], e[1]] for e in m.pop("_inputs") if e[0] in ids]
    old = {"nodes": nodes, "arg_nodes": [i for i, m in enumerate(nodes) if m["op"] == "null"],
           "heads": [[ids[h[0]], h[1]] for h in js["heads"]]}
    text = json.dumps(old, indent=2)
    arrays = [("arg:" + k, v.asnumpy()) for k, v in args.items()]
    arrays += [("aux:" + k, v.asnumpy()) for k, v in auxs.items()]
    pbytes = legacy_params(arrays)
    d = os.path.join(root, name + ".tmp")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "m-symbol.json"), "w") as f:
        f.write(text)
    with open(os.path.join(d, "m-0000.params"), "wb") as f:
        f.write(pbytes)
    sym, a2, x2 = mx.model.load_checkpoint(os.path.join(d, "m"), 0)  # real MXNet reads both
    shutil.rmtree(d)
    inputs = {"data": rng.uniform(-1, 1, shapes["data"]).astype(np.float32)}
    outs = forward(sym, a2, x2, inputs)
    save_case(root, name, sym, args, auxs, inputs, outs, json_text=text, params_bytes=pbytes,
              mo_args=["--legacy_mxnet_model"])


def m_nd_merge(root):
    """The style-transfer recipe: a pretrained checkpoint (encoder) plus a
    decoder whose weights live in <prefix>_args.nd / _auxs.nd."""
    name = "nd_merge"
    x = S.Variable("data", shape=(1, 3, 8, 8))
    enc = S.Activation(S.Convolution(x, num_filter=6, kernel=(3, 3), pad=(1, 1), name="enc_conv"),
                       act_type="relu", name="enc_relu")
    y = S.Convolution(enc, num_filter=6, kernel=(3, 3), pad=(1, 1), name="deco_conv1")
    y = S.BatchNorm(y, fix_gamma=False, name="deco_bn1")
    y = S.Activation(y, act_type="relu", name="deco_relu1")
    y = S.Deconvolution(y, num_filter=3, kernel=(4, 4), stride=(2, 2), pad=(1, 1), name="deco_up")
    rng = rng_for(name)
    shapes = {"data": (1, 3, 8, 8)}
    args, auxs = init_params(y, shapes, rng)
    inputs = {"data": rng.uniform(-1, 1, shapes["data"]).astype(np.float32)}
    outs = forward(y, args, auxs, inputs)
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    enc.save(os.path.join(d, "enc-symbol.json"))
    y.save(os.path.join(d, "nst-symbol.json"))
    mx.nd.save(os.path.join(d, "enc-0000.params"),
               {"arg:" + k: v for k, v in args.items() if k.startswith("enc_")})
    mx.nd.save(os.path.join(d, "dec_args.nd"), {k: v for k, v in args.items() if k.startswith("deco_")})
    mx.nd.save(os.path.join(d, "dec_auxs.nd"), auxs)
    np.savez(os.path.join(d, "inputs.npz"), **inputs)
    np.savez(os.path.join(d, "reference.npz"), out0=outs[0])
    print(f"{name}: outputs {[o.shape for o in outs]}")


def m_bad(root):
    """The bad-input corpus: each case a symbol + params pair that must be
    refused with one clear error; `expect` holds substrings the message must
    contain, one per line."""
    base = os.path.join(root, "bad")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    x = S.Variable("data", shape=(1, 3, 8, 8))
    y = S.Convolution(x, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv1")
    y = S.Activation(y, act_type="relu", name="relu1")
    y = S.FullyConnected(y, num_hidden=3, name="fc1")
    rng = rng_for("bad")
    args, _ = init_params(y, {"data": (1, 3, 8, 8)}, rng)
    good_json = y.tojson()
    tmp = os.path.join(base, "good.params")
    mx.nd.save(tmp, {"arg:" + k: v for k, v in args.items()})
    with open(tmp, "rb") as f:
        good = f.read()
    os.remove(tmp)

    def put(name, expect, params=good, text=good_json):
        d = os.path.join(base, name)
        os.makedirs(d)
        with open(os.path.join(d, "model-symbol.json"), "w") as f:
            f.write(text)
        with open(os.path.join(d, "model-0000.params"), "wb") as f:
            f.write(params)
        with open(os.path.join(d, "expect"), "w") as f:
            f.write("\n".join(expect) + "\n")

    put("truncated_data", ["truncated", "model-0000.params", "array 2", "offset"], good[:len(good) // 2])
    put("truncated_header", ["truncated", "offset"], good[:12])
    put("truncated_names", ["truncated", "name"], good[:-3])
    put("empty_params", ["truncated", "model-0000.params"], b"")
    put("wrong_magic", ["not an MXNet NDArray file", "0x112"], b"\x13" + good[1:])
    corrupt = bytearray(good)
    corrupt[24 + 8:24 + 12] = struct.pack("<i", 40)  # first array's ndim
    put("corrupt_ndim", ["corrupt", "array 0", "rank"], bytes(corrupt))
    corrupt = bytearray(good)
    struct.pack_into("<Q", corrupt, 16, 1 << 40)  # array count
    put("corrupt_count", ["corrupt", "arrays"], bytes(corrupt))
    dims_at = 24 + 12
    corrupt = bytearray(good)
    struct.pack_into("<q", corrupt, dims_at, 1 << 38)  # a huge first dim
    put("corrupt_dim", ["model-0000.params", "array 0"], bytes(corrupt))
    sp = os.path.join(base, "sparse.params")
    mx.nd.save(sp, {"arg:" + k: (v.tostype("row_sparse") if k == "fc1_weight" else v) for k, v in args.items()})
    with open(sp, "rb") as f:
        sparse = f.read()
    os.remove(sp)
    put("sparse", ["row_sparse", "model-0000.params", "dense"], sparse)
    # the params lack conv1_bias and fc1_weight
    tmp = os.path.join(base, "missing.params")
    mx.nd.save(tmp, {"arg:" + k: v for k, v in args.items() if k not in ("conv1_bias", "fc1_weight")})
    with open(tmp, "rb") as f:
        missing = f.read()
    os.remove(tmp)
    put("missing_weight", ["missing", "'conv1_bias'", "'fc1_weight'"], missing)
    tmp = os.path.join(base, "shape.params")
    wrong = dict(args)
    wrong["conv1_weight"] = mx.nd.zeros((4, 3, 5, 5))
    mx.nd.save(tmp, {"arg:" + k: v for k, v in wrong.items()})
    with open(tmp, "rb") as f:
        badshape = f.read()
    os.remove(tmp)
    put("weight_shape", ["conv1", "conv1_weight", "4,3,5,5", "4,3,3,3"], badshape)
    # two unknown types on separate branches: both must be named in one error
    z = S.Group([y, S.FullyConnected(x, num_hidden=2, name="fc2")])
    js = json.loads(z.tojson())
    for n in js["nodes"]:
        if n["name"] == "relu1":
            n["op"] = "MyFancyActivation"
        if n["name"] == "fc2":
            n["op"] = "MyFancyDense"
    z_args, _ = init_params(z, {"data": (1, 3, 8, 8)}, rng)
    tmp = os.path.join(base, "z.params")
    mx.nd.save(tmp, {"arg:" + k: v for k, v in z_args.items()})
    with open(tmp, "rb") as f:
        zp = f.read()
    os.remove(tmp)
    put("unknown_ops", ["2 mxnet layer types", "MyFancyActivation", "MyFancyDense", "relu1", "fc2"], zp,
        text=json.dumps(js, indent=2))
    # names as a damaged or hostile file may hold them (JSON \u escapes of
    # terminal controls, a C1 control, non-ASCII): the error line shows the
    # controls as \xNN, never raw
    raw = json.loads(json.dumps(js))
    for n in raw["nodes"]:
        if n["name"] == "relu1":
            n["op"] = "MyFancy\x1b[2J\x9bAct"
            n["name"] = "relu\x1b]0;pwned\x07\u00e9"
    put("raw_bytes", ["2 mxnet layer types", "'MyFancy\\x1b[2J\\xc2\\x9bAct' (1 node: relu\\x1b]0;pwned\\x07",
                      "MyFancyDense"], zp, text=json.dumps(raw, indent=2))
    js = json.loads(good_json)
    lines = json.dumps(js, indent=2).split("\n")
    lines[5] = lines[5] + " oops,"
    put("malformed_json", ["malformed JSON", "line 6", "column"], text="\n".join(lines))
    put("not_symbol", ["no \"nodes\""], text='{"hello": 1}')
    print("bad: %d cases" % len(os.listdir(base)))


def m_ndarray_versions(root):
    """A V3 (np-shape) 0-D array and a V1 6-D array in one container, written
    by hand since MXNet 1.9.1 itself only writes V2; the reference is numpy."""
    name = "ndarray_versions"
    x = S.Variable("data", shape=(1, 2, 3, 2, 2, 2))
    y = S.broadcast_add(S.broadcast_mul(x, S.Variable("s")), S.Variable("w"), name="out")
    rng = rng_for(name)
    sv = np.array(1.75, np.float32)
    wv = rng.uniform(-1, 1, (1, 2, 3, 2, 2, 2)).astype(np.float32)
    out = bytearray(struct.pack("<QQQ", 0x112, 0, 2))
    out += struct.pack("<Iii", 0xF993FACA, 0, 0) + struct.pack("<iii", 1, 0, 0) + sv.tobytes()
    out += struct.pack("<Ii", 0xF993FAC8, 6) + struct.pack("<6q", *wv.shape) + struct.pack("<iii", 1, 0, 0)
    out += wv.tobytes() + struct.pack("<Q", 2)
    for k in ("arg:s", "arg:w"):
        out += struct.pack("<Q", len(k)) + k.encode()
    xi = rng.uniform(-1, 1, (1, 2, 3, 2, 2, 2)).astype(np.float32)
    save_case(root, name, y, {}, {}, {"data": xi}, [xi * sv + wv], params_bytes=bytes(out))


class _GluonCVStyleSSD(mx.gluon.HybridBlock):
    """A tiny SSD with GluonCV's inference tail, op for op as GluonCV 0.10
    builds it: center-form pixel anchors held as constants and cut to the
    feature map with slice_like, NormalizedBoxCenterDecoder (fused=True:
    GluonCV 0.10's _contrib_box_decode; False: the split / scale by the
    variances 0.1/0.1/0.2/0.2 / exp / corners of older GluonCV), MultiPerClassDecoder
    (softmax, '> thresh' masks, where), one [cls_id, score, box] table per
    class, _contrib_box_nms (topk 400, per class), then the first post_nms
    rows split into ids, scores and boxes."""

    def __init__(self, num_classes=3, im=64, **kw):
        super().__init__(**kw)
        self.num_classes = num_classes
        self.stds = (0.1, 0.1, 0.2, 0.2)
        self.fused = True
        with self.name_scope():
            self.body = mx.gluon.nn.HybridSequential()
            for nf in (8, 16, 16, 32):
                self.body.add(mx.gluon.nn.Conv2D(nf, 3, strides=2, padding=1, activation="relu"))
            self.extra = mx.gluon.nn.Conv2D(32, 3, strides=2, padding=1, activation="relu")
            self.cls = mx.gluon.nn.HybridSequential()
            self.box = mx.gluon.nn.HybridSequential()
            sizes = ((20, 30), (40, 52))
            ratios = (1, 2, 0.5)
            for i, (fm, step) in enumerate(((4, 16), (2, 32))):
                na = len(sizes[i]) - 1 + len(ratios)
                self.cls.add(mx.gluon.nn.Conv2D(na * (num_classes + 1), 3, padding=1))
                self.box.add(mx.gluon.nn.Conv2D(na * 4, 3, padding=1))
                a = []
                for r in range(fm):
                    for c in range(fm):
                        cy, cx = (r + 0.5) * step, (c + 0.5) * step
                        a.append([cx, cy, sizes[i][0], sizes[i][0]])
                        s2 = np.sqrt(sizes[i][0] * sizes[i][1])
                        a.append([cx, cy, s2, s2])
                        for q in ratios[1:]:
                            a.append([cx, cy, sizes[i][0] * np.sqrt(q), sizes[i][0] / np.sqrt(q)])
                setattr(self, "anchor_%d" % i, self.params.get_constant(
                    "anchor_%d" % i, np.array(a, np.float32).reshape(1, 1, fm, fm, -1)))

    def hybrid_forward(self, F, x, **anchors):
        f1 = self.body(x)
        feats = [f1, self.extra(f1)]
        cls = [F.flatten(F.transpose(p(f), axes=(0, 2, 3, 1))) for p, f in zip(self.cls, feats)]
        box = [F.flatten(F.transpose(p(f), axes=(0, 2, 3, 1))) for p, f in zip(self.box, feats)]
        anc = [F.reshape(F.slice_like(anchors["anchor_%d" % i], f * 0, axes=(2, 3)), shape=(1, -1))
               for i, f in enumerate(feats)]
        cls_preds = F.reshape(F.concat(*cls, dim=1), shape=(0, -1, self.num_classes + 1))
        box_preds = F.reshape(F.concat(*box, dim=1), shape=(0, -1, 4))
        anchors_all = F.reshape(F.concat(*anc, dim=1), shape=(1, -1, 4))
        # NormalizedBoxCenterDecoder
        if self.fused:
            return self._tail(F, box_preds, anchors_all, cls_preds,
                              F.contrib.box_decode(box_preds, anchors_all, std0=self.stds[0], std1=self.stds[1],
                                                   std2=self.stds[2], std3=self.stds[3], clip=-1,
                                                   format="center"))
        p = F.split(box_preds, axis=-1, num_outputs=4)
        a = F.split(anchors_all, axis=-1, num_outputs=4)
        ox = F.broadcast_add(F.broadcast_mul(p[0] * self.stds[0], a[2]), a[0])
        oy = F.broadcast_add(F.broadcast_mul(p[1] * self.stds[1], a[3]), a[1])
        dw = F.broadcast_mul(F.exp(p[2] * self.stds[2]), a[2]) / 2
        dh = F.broadcast_mul(F.exp(p[3] * self.stds[3]), a[3]) / 2
        return self._tail(F, box_preds, anchors_all, cls_preds,
                          F.concat(ox - dw, oy - dh, ox + dw, oy + dh, dim=-1))

    def _tail(self, F, box_preds, anchors_all, cls_preds, bboxes):
        # MultiPerClassDecoder
        prob = F.softmax(cls_preds, axis=-1)
        scores = F.slice_axis(prob, axis=-1, begin=1, end=None)
        template = F.zeros_like(F.slice_axis(prob, axis=-1, begin=0, end=1))
        ids = F.broadcast_add(template, F.reshape(F.arange(self.num_classes), shape=(1, 1, self.num_classes)))
        mask = scores > 0.01
        ids = F.where(mask, ids, F.ones_like(ids) * -1)
        scores = F.where(mask, scores, F.zeros_like(scores))
        results = []
        for i in range(self.num_classes):
            results.append(F.concat(F.slice_axis(ids, axis=-1, begin=i, end=i + 1),
                                    F.slice_axis(scores, axis=-1, begin=i, end=i + 1), bboxes, dim=-1))
        result = F.contrib.box_nms(F.concat(*results, dim=1), overlap_thresh=0.45, topk=400, valid_thresh=0.01,
                                   id_index=0, score_index=1, coord_start=2, force_suppress=False)
        result = F.slice_axis(result, axis=1, begin=0, end=100)
        return (F.slice_axis(result, axis=2, begin=0, end=1), F.slice_axis(result, axis=2, begin=1, end=2),
                F.slice_axis(result, axis=2, begin=2, end=6))


def m_ssd_gluoncv(root):
    """The --enable_ssd_gluoncv fixture: exported like a GluonCV model
    (model-symbol.json with the fused decoder, split-symbol.json without, one
    model-0000.params for both); the reference is MXNet's (ids, scores, boxes) in detections.npz (not
    reference.npz: the IR's layout differs, tests/e2e/mxnet_ssd.sh compares)."""
    name = "ssd_gluoncv_tiny"
    mx.random.seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)
    net = _GluonCVStyleSSD(prefix="ssd0_")
    net.initialize(mx.init.Xavier(magnitude=3))
    rng = rng_for(name)
    xin = rng.uniform(-1, 1, (1, 3, 64, 64)).astype(np.float32) * 50
    net(mx.nd.array(xin))
    for pname, p in net.collect_params().items():
        if "cls" in pname and pname.endswith("weight"):  # spread the class scores: few near-ties
            p.set_data(p.data() * 4)
    net.hybridize()
    ids, scores, boxes = [o.asnumpy() for o in net(mx.nd.array(xin))]
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    net.export(os.path.join(d, "model"))
    # the same weights with older GluonCV's unfused decoder: split-symbol.json
    net.fused = False
    net._clear_cached_op()
    again = [o.asnumpy() for o in net(mx.nd.array(xin))]
    assert all(np.allclose(a, b, rtol=1e-5, atol=1e-4) for a, b in zip(again, (ids, scores, boxes)))
    net.export(os.path.join(d, "split"))
    os.remove(os.path.join(d, "split-0000.params"))
    np.savez(os.path.join(d, "inputs.npz"), data=xin)
    np.savez(os.path.join(d, "detections.npz"), ids=ids, scores=scores, boxes=boxes)
    with open(os.path.join(d, "mo_args"), "w") as f:
        f.write("--input_shape\n[1,3,64,64]\n--enable_ssd_gluoncv\n")
    valid = ids[0, :, 0] >= 0
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    print(f"{name}: {size / 1024:.1f} KiB, {int(valid.sum())} detections, scores "
          f"{scores[0, valid, 0].min():.3f}..{scores[0, valid, 0].max():.3f}")


SMALL = [("conv_bn_relu_pool_fc", m_conv_bn_relu_pool_fc), ("grouped_deconv", m_grouped_deconv),
         ("pooling", m_pooling), ("activations", m_activations), ("eltwise", m_eltwise),
         ("norms", m_norms), ("gluon_export", lambda r: m_gluon(r, False)),
         ("gluon_plain_names", lambda r: m_gluon(r, True)), ("legacy_dialect", m_legacy),
         ("nd_merge", m_nd_merge), ("ndarray_versions", m_ndarray_versions), ("bad", m_bad),
         ("ssd_gluoncv_tiny", m_ssd_gluoncv)]


# --- the zoo (big topologies, not committed) ---------------------------------

def gluon_zoo_case(root, name, ctor, shape):
    from mxnet.gluon.model_zoo import vision
    mx.random.seed(zlib.crc32(name.encode()) & 0x7FFFFFFF)
    net = getattr(vision, ctor)(pretrained=False)
    net.initialize(mx.init.Xavier(magnitude=2))
    rng = rng_for(name)
    net(mx.nd.zeros(shape))  # finishes deferred initialisation: shapes become known
    for pname, p in net.collect_params().items():
        if "running_var" in pname:
            p.set_data(mx.nd.array(rng.uniform(0.5, 2, p.shape)))
        elif "running_mean" in pname or "beta" in pname:
            p.set_data(mx.nd.array(rng.uniform(-0.2, 0.2, p.shape)))
    net.hybridize()
    xin = rng.uniform(-1, 1, shape).astype(np.float32)
    out = net(mx.nd.array(xin)).asnumpy()
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    net.export(os.path.join(d, "model"))
    np.savez(os.path.join(d, "inputs.npz"), data=xin)
    np.savez(os.path.join(d, "reference.npz"), out0=out)
    with open(os.path.join(d, "mo_args"), "w") as f:
        f.write("--input_shape\n[%s]\n" % ",".join(map(str, shape)))
    print(f"{name}: output {out.shape}")


def caffenet_sym():
    x = S.Variable("data")
    y = S.Activation(S.Convolution(x, num_filter=96, kernel=(11, 11), stride=(4, 4), name="conv1"), act_type="relu")
    y = S.LRN(S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="max"), nsize=5, alpha=1e-4, beta=0.75)
    y = S.Activation(S.Convolution(y, num_filter=256, kernel=(5, 5), pad=(2, 2), num_group=2, name="conv2"),
                     act_type="relu")
    y = S.LRN(S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="max"), nsize=5, alpha=1e-4, beta=0.75)
    y = S.Activation(S.Convolution(y, num_filter=384, kernel=(3, 3), pad=(1, 1), name="conv3"), act_type="relu")
    y = S.Activation(S.Convolution(y, num_filter=384, kernel=(3, 3), pad=(1, 1), num_group=2, name="conv4"),
                     act_type="relu")
    y = S.Activation(S.Convolution(y, num_filter=256, kernel=(3, 3), pad=(1, 1), num_group=2, name="conv5"),
                     act_type="relu")
    y = S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="max")
    y = S.Dropout(S.Activation(S.FullyConnected(y, num_hidden=4096, name="fc6"), act_type="relu"), p=0.5)
    y = S.Dropout(S.Activation(S.FullyConnected(y, num_hidden=4096, name="fc7"), act_type="relu"), p=0.5)
    return S.SoftmaxOutput(S.FullyConnected(y, num_hidden=1000, name="fc8"), name="prob")


def conv_bn_relu(x, nf, k, s=1, p=0, name=""):
    y = S.Convolution(x, num_filter=nf, kernel=(k, k), stride=(s, s), pad=(p, p), no_bias=True,
                      name=name + "_conv")
    return S.Activation(S.BatchNorm(y, fix_gamma=False, eps=1e-5, name=name + "_bn"), act_type="relu",
                        name=name + "_relu")


def inception_bn_sym():
    """BN-Inception (the MXNet model zoo's Inception-BN) in mx.sym."""
    def block(x, n1, n3r, n3, nd3r, nd3, pool, proj, name):
        b1 = conv_bn_relu(x, n1, 1, name=name + "_1x1")
        b2 = conv_bn_relu(conv_bn_relu(x, n3r, 1, name=name + "_3x3r"), n3, 3, p=1, name=name + "_3x3")
        b3 = conv_bn_relu(conv_bn_relu(x, nd3r, 1, name=name + "_d3x3r"), nd3, 3, p=1, name=name + "_d3x3a")
        b3 = conv_bn_relu(b3, nd3, 3, p=1, name=name + "_d3x3b")
        b4 = S.Pooling(x, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool, name=name + "_pool")
        b4 = conv_bn_relu(b4, proj, 1, name=name + "_proj")
        return S.Concat(b1, b2, b3, b4, dim=1, name=name + "_concat")

    def reduce(x, n3r, n3, nd3r, nd3, name):
        b1 = conv_bn_relu(conv_bn_relu(x, n3r, 1, name=name + "_3x3r"), n3, 3, s=2, p=1, name=name + "_3x3")
        b2 = conv_bn_relu(conv_bn_relu(x, nd3r, 1, name=name + "_d3x3r"), nd3, 3, p=1, name=name + "_d3x3a")
        b2 = conv_bn_relu(b2, nd3, 3, s=2, p=1, name=name + "_d3x3b")
        b3 = S.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="max", name=name + "_pool")
        return S.Concat(b1, b2, b3, dim=1, name=name + "_concat")

    x = S.Variable("data")
    y = conv_bn_relu(x, 64, 7, s=2, p=3, name="conv1")
    y = S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="max", name="pool1")
    y = conv_bn_relu(y, 64, 1, name="conv2red")
    y = conv_bn_relu(y, 192, 3, p=1, name="conv2")
    y = S.Pooling(y, kernel=(3, 3), stride=(2, 2), pool_type="max", name="pool2")
    y = block(y, 64, 64, 64, 64, 96, "avg", 32, "in3a")
    y = block(y, 64, 64, 96, 64, 96, "avg", 64, "in3b")
    y = reduce(y, 128, 160, 64, 96, "in3c")
    y = block(y, 224, 64, 96, 96, 128, "avg", 128, "in4a")
    y = block(y, 192, 96, 128, 96, 128, "avg", 128, "in4b")
    y = block(y, 160, 128, 160, 128, 160, "avg", 128, "in4c")
    y = block(y, 96, 128, 192, 160, 192, "avg", 128, "in4d")
    y = reduce(y, 128, 192, 192, 256, "in4e")
    y = block(y, 352, 192, 320, 160, 224, "avg", 128, "in5a")
    y = block(y, 352, 192, 320, 192, 224, "max", 128, "in5b")
    y = S.Pooling(y, kernel=(7, 7), stride=(1, 1), global_pool=True, pool_type="avg", name="global_pool")
    y = S.FullyConnected(S.Flatten(y), num_hidden=1000, name="fc1")
    return S.SoftmaxOutput(y, name="softmax")


def vgg16_reduced_feats(x):
    """The classic MXNet SSD's VGG16: fc6/fc7 as (dilated) convolutions;
    returns (conv4_3 relu, fc7 relu)."""
    y = x
    feats = {}
    for i, (n, nf) in enumerate(((2, 64), (2, 128), (3, 256), (3, 512), (3, 512)), 1):
        for j in range(1, n + 1):
            y = S.Activation(S.Convolution(y, num_filter=nf, kernel=(3, 3), pad=(1, 1), name=f"conv{i}_{j}"),
                             act_type="relu", name=f"relu{i}_{j}")
        feats[i] = y
        if i < 5:
            y = S.Pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="max", pooling_convention="full",
                          name=f"pool{i}")
    y = S.Pooling(y, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type="max", name="pool5")
    y = S.Activation(S.Convolution(y, num_filter=1024, kernel=(3, 3), pad=(6, 6), dilate=(6, 6), name="fc6"),
                     act_type="relu", name="relu6")
    y = S.Activation(S.Convolution(y, num_filter=1024, kernel=(1, 1), name="fc7"), act_type="relu", name="relu7")
    return feats[4], y


def gluon_feature_maps(ctor, shape, sizes):
    """A Gluon model-zoo network traced on a symbol; returns the last
    internal output of each spatial size in `sizes`."""
    from mxnet.gluon.model_zoo import vision
    net = getattr(vision, ctor)(pretrained=False)
    out = net.features(S.Variable("data"))
    internals = out.get_internals()
    names = [n for n in internals.list_outputs() if n.endswith("_output")]
    _, oshapes, _ = internals.infer_shape(data=shape)
    by = dict(zip(internals.list_outputs(), oshapes))
    picked = []
    for sz in sizes:
        cand = [n for n in names if len(by[n]) == 4 and by[n][2] == sz]
        picked.append(internals[cand[-1]])
    return picked


def ssd_sym(feats, num_classes, sizes, ratios, extra, l2_first=False):
    """The classic MXNet SSD example's inference graph: extra layers, per-map
    loc/cls heads, MultiBoxPrior anchors, SoftmaxActivation, then
    MultiBoxDetection."""
    layers = list(feats)
    y = layers[-1]
    for i, (nf1, nf2, stride, pad) in enumerate(extra):
        y = S.Activation(S.Convolution(y, num_filter=nf1, kernel=(1, 1), name=f"multi_feat_{i}_conv_1x1"),
                         act_type="relu", name=f"multi_feat_{i}_relu_1x1")
        y = S.Activation(S.Convolution(y, num_filter=nf2, kernel=(3, 3), stride=(stride, stride), pad=(pad, pad),
                                       name=f"multi_feat_{i}_conv_3x3"), act_type="relu",
                         name=f"multi_feat_{i}_relu_3x3")
        layers.append(y)
    locs, clss, anchors = [], [], []
    for i, f in enumerate(layers):
        if i == 0 and l2_first:
            f = S.L2Normalization(f, mode="channel", name="conv4_3_norm")
            scale = S.Variable("conv4_3_scale", shape=(1, 512, 1, 1), init=mx.init.Constant(20))
            f = S.broadcast_mul(scale, f, name="conv4_3_scaled")
        na = len(sizes[i]) + len(ratios[i]) - 1
        loc = S.Convolution(f, num_filter=na * 4, kernel=(3, 3), pad=(1, 1), name=f"head{i}_loc_pred_conv")
        locs.append(S.Flatten(S.transpose(loc, axes=(0, 2, 3, 1)), name=f"head{i}_loc_flat"))
        cls = S.Convolution(f, num_filter=na * (num_classes + 1), kernel=(3, 3), pad=(1, 1),
                            name=f"head{i}_cls_pred_conv")
        clss.append(S.Flatten(S.transpose(cls, axes=(0, 2, 3, 1)), name=f"head{i}_cls_flat"))
        a = S.contrib.MultiBoxPrior(f, sizes=sizes[i], ratios=ratios[i], clip=False, name=f"head{i}_anchors")
        anchors.append(S.Flatten(a, name=f"head{i}_anchors_flat"))
    loc_preds = S.Concat(*locs, dim=1, name="multibox_loc_pred")
    cls_preds = S.transpose(S.Reshape(S.Concat(*clss, dim=1), shape=(0, -1, num_classes + 1)), axes=(0, 2, 1),
                            name="multibox_cls_pred")
    anchor_boxes = S.Reshape(S.Concat(*anchors, dim=1), shape=(0, -1, 4), name="multibox_anchors")
    cls_prob = S.SoftmaxActivation(cls_preds, mode="channel", name="cls_prob")
    return S.contrib.MultiBoxDetection(cls_prob, loc_preds, anchor_boxes, name="detection", nms_threshold=0.45,
                                       force_suppress=False, variances=(0.1, 0.1, 0.2, 0.2), nms_topk=-1,
                                       threshold=0.01), cls_preds


def ssd_case(root, name, feats, shape, extra, l2_first=False):
    n = len(feats) + len(extra)
    smin, smax = 0.2, 0.95
    steps = [smin + (smax - smin) * i / (n - 1) for i in range(n)] + [1.0]
    sizes = [[steps[i], float(np.sqrt(steps[i] * steps[i + 1]))] for i in range(n)]
    ratios = [[1, 2, 0.5]] + [[1, 2, 0.5, 3, 1.0 / 3]] * (n - 3) + [[1, 2, 0.5]] * 2
    det, cls_preds = ssd_sym(feats, 20, sizes, ratios, extra, l2_first)
    rng = rng_for(name)
    shapes = {"data": shape}
    args, auxs = init_params(det, shapes, rng, fixed={"conv4_3_scale": np.full((1, 512, 1, 1), 20, np.float32)}
                             if l2_first else None)
    inputs = {"data": rng.uniform(-1, 1, shape).astype(np.float32)}
    # random backbones make logits of any scale: rescale the class heads so
    # the softmax is neither flat (everything ties at 1/21) nor saturated
    logits = forward(cls_preds, args, auxs, inputs)[0]
    k = 2.0 / max(float(np.std(logits)), 1e-6)
    for a in args:
        if "cls_pred_conv" in a:
            args[a] = args[a] * k
    outs = forward(det, args, auxs, inputs)
    save_case(root, name, det, args, auxs, inputs, outs,
              mo_args=["--input_shape", "[%s]" % ",".join(map(str, shape))])
    valid = outs[0][0][outs[0][0][:, 0] >= 0]
    print(f"  {name}: {len(valid)} detections, top score {valid[:, 1].max():.3f}")


def fcn8_sym(num_classes=21):
    """FCN-8s on VGG16 as the MXNet fcn-xs example builds it: pad 100,
    fc6/fc7 as convolutions, Deconvolution upsampling, Crop, add."""
    x = S.Variable("data")
    y = x
    pools = {}
    for i, (n, nf) in enumerate(((2, 64), (2, 128), (3, 256), (3, 512), (3, 512)), 1):
        for j in range(1, n + 1):
            y = S.Activation(S.Convolution(y, num_filter=nf, kernel=(3, 3), pad=(100, 100) if (i, j) == (1, 1)
                                           else (1, 1), name=f"conv{i}_{j}"), act_type="relu", name=f"relu{i}_{j}")
        y = S.Pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="max", pooling_convention="full", name=f"pool{i}")
        pools[i] = y
    y = S.Dropout(S.Activation(S.Convolution(y, num_filter=4096, kernel=(7, 7), name="fc6"), act_type="relu"))
    y = S.Dropout(S.Activation(S.Convolution(y, num_filter=4096, kernel=(1, 1), name="fc7"), act_type="relu"))
    score = S.Convolution(y, num_filter=num_classes, kernel=(1, 1), name="score")
    score2 = S.Deconvolution(score, num_filter=num_classes, kernel=(4, 4), stride=(2, 2), no_bias=True,
                             name="score2")
    sp4 = S.Convolution(pools[4], num_filter=num_classes, kernel=(1, 1), name="score_pool4")
    fuse4 = score2 + S.Crop(sp4, score2, offset=(5, 5), name="score_pool4c")
    score4 = S.Deconvolution(fuse4, num_filter=num_classes, kernel=(4, 4), stride=(2, 2), no_bias=True,
                             name="score4")
    sp3 = S.Convolution(pools[3], num_filter=num_classes, kernel=(1, 1), name="score_pool3")
    fuse3 = score4 + S.Crop(sp3, score4, offset=(9, 9), name="score_pool3c")
    big = S.Deconvolution(fuse3, num_filter=num_classes, kernel=(16, 16), stride=(8, 8), no_bias=True,
                          name="bigscore")
    return S.SoftmaxOutput(S.Crop(big, x, offset=(31, 31), name="upscore"), multi_output=True, name="softmax")


def style_transfer_case(root, name, shape):
    """Seed 001's recipe: a VGG19 encoder (pretrained checkpoint
    vgg19-0000.params) joined with a decoder whose weights live in
    13_decoder_args.nd / 13_decoder_auxs.nd; converted with
    --nd_prefix_name 13_decoder --pretrained_model_name vgg19-0000.params."""
    x = S.Variable("data")
    y = x
    for i, (n, nf) in enumerate(((2, 64), (2, 128), (4, 256), (1, 512)), 1):
        for j in range(1, n + 1):
            y = S.Activation(S.Convolution(y, num_filter=nf, kernel=(3, 3), pad=(1, 1), name=f"conv{i}_{j}"),
                             act_type="relu", name=f"relu{i}_{j}")
        if i < 4:
            y = S.Pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="max", name=f"pool{i}")
    enc = y
    for i, nf in enumerate((256, 128, 64), 1):
        y = S.Convolution(y, num_filter=nf, kernel=(3, 3), pad=(1, 1), name=f"deco_conv{i}")
        y = S.Activation(S.BatchNorm(y, fix_gamma=False, name=f"deco_bn{i}"), act_type="relu",
                         name=f"deco_relu{i}")
        if i == 2:
            y = S.Deconvolution(y, num_filter=nf, kernel=(4, 4), stride=(2, 2), pad=(1, 1), name="deco_up2")
        else:
            y = S.UpSampling(y, scale=2, sample_type="nearest", name=f"deco_up{i}")
    y = S.Activation(S.Convolution(y, num_filter=3, kernel=(3, 3), pad=(1, 1), name="deco_out"), act_type="tanh",
                     name="deco_tanh")
    y = y * 150  # the sample scales the tanh output to pixel range
    rng = rng_for(name)
    shapes = {"data": shape}
    args, auxs = init_params(y, shapes, rng)
    inputs = {"data": rng.uniform(-1, 1, shape).astype(np.float32)}
    outs = forward(y, args, auxs, inputs)
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    enc.save(os.path.join(d, "vgg19-symbol.json"))
    y.save(os.path.join(d, "nst_vgg19-symbol.json"))
    mx.nd.save(os.path.join(d, "vgg19-0000.params"), {"arg:" + k: v for k, v in args.items() if k.startswith("conv")})
    mx.nd.save(os.path.join(d, "13_decoder_args.nd"), {k: v for k, v in args.items() if k.startswith("deco_")})
    mx.nd.save(os.path.join(d, "13_decoder_auxs.nd"), auxs)
    np.savez(os.path.join(d, "inputs.npz"), **inputs)
    np.savez(os.path.join(d, "reference.npz"), out0=outs[0])
    with open(os.path.join(d, "mo_args"), "w") as f:
        f.write("\n".join(["--input_symbol", "nst_vgg19-symbol.json", "--framework", "mxnet", "--nd_prefix_name",
                           "13_decoder", "--pretrained_model_name", "vgg19-0000.params", "--input_shape",
                           "[%s]" % ",".join(map(str, shape))]) + "\n")
    assert np.ptp(outs[0]) > 0
    print(f"{name}: outputs {[o.shape for o in outs]}")


ZOO_GLUON = [("vgg16", "vgg16", (1, 3, 224, 224)), ("vgg19", "vgg19", (1, 3, 224, 224)),
             ("resnet152_v1", "resnet152_v1", (1, 3, 224, 224)),
             ("squeezenet1.1", "squeezenet1_1", (1, 3, 224, 224)),
             ("densenet121", "densenet121", (1, 3, 224, 224)), ("densenet161", "densenet161", (1, 3, 224, 224)),
             ("densenet169", "densenet169", (1, 3, 224, 224)), ("densenet201", "densenet201", (1, 3, 224, 224)),
             ("mobilenet1.0", "mobilenet1_0", (1, 3, 224, 224)),
             ("mobilenetv2_1.0", "mobilenet_v2_1_0", (1, 3, 224, 224)),
             ("inceptionv3", "inception_v3", (1, 3, 299, 299))]


def zoo_sym_cases():
    """name -> builder(root) for the topologies built with mx.sym."""
    def caffenet(root):
        sym_case(root, "caffenet", caffenet_sym(), {"data": (1, 3, 227, 227)},
                 mo_args=["--input_shape", "[1,3,227,227]"])

    def inception_bn(root):
        sym_case(root, "inception_bn", inception_bn_sym(), {"data": (1, 3, 224, 224)},
                 mo_args=["--input_shape", "[1,3,224,224]"])

    def ssd_vgg16(root):
        c43, fc7 = vgg16_reduced_feats(S.Variable("data"))
        ssd_case(root, "ssd_vgg16_300", [c43, fc7], (1, 3, 300, 300),
                 [(256, 512, 2, 1), (128, 256, 2, 1), (128, 256, 1, 0), (128, 256, 1, 0)], l2_first=True)

    def ssd_resnet50(root):
        feats = gluon_feature_maps("resnet50_v1", (1, 3, 300, 300), (19, 10))
        ssd_case(root, "ssd_resnet50", feats, (1, 3, 300, 300),
                 [(256, 512, 2, 1), (128, 256, 2, 1), (128, 256, 2, 1), (128, 128, 2, 1)])

    def ssd_inceptionv3(root):
        feats = gluon_feature_maps("inception_v3", (1, 3, 299, 299), (17, 8))
        ssd_case(root, "ssd_inceptionv3", feats, (1, 3, 299, 299),
                 [(256, 512, 2, 1), (128, 256, 2, 1), (128, 256, 2, 1), (128, 128, 2, 1)])

    def fcn8(root):
        sym_case(root, "fcn8s_vgg16", fcn8_sym(), {"data": (1, 3, 192, 192)},
                 mo_args=["--input_shape", "[1,3,192,192]"])

    def nst(root):
        style_transfer_case(root, "style_transfer", (1, 3, 224, 224))

    return [("caffenet", caffenet), ("inception_bn", inception_bn), ("ssd_vgg16_300", ssd_vgg16),
            ("ssd_resnet50", ssd_resnet50), ("ssd_inceptionv3", ssd_inceptionv3), ("fcn8s_vgg16", fcn8),
            ("style_transfer", nst)]


def zoo(root, only):
    """only: an exact model name, or a substring of several."""
    names = [c[0] for c in ZOO_GLUON] + [c[0] for c in zoo_sym_cases()]
    pick = (lambda n: True) if not only else (lambda n: n == only) if only in names else (lambda n: only in n)
    for name, ctor, shape in ZOO_GLUON:
        if pick(name):
            gluon_zoo_case(root, name, ctor, shape)
    for name, fn in zoo_sym_cases():
        if pick(name):
            fn(root)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", action="store_true", help="build the big topologies into tests/zoo/mxnet")
    ap.add_argument("--only", default="", metavar="NAME",
                    help="build only this model (exact name, else every name containing it)")
    a = ap.parse_args()
    if a.zoo:
        os.makedirs(ZOO, exist_ok=True)
        zoo(ZOO, a.only)
        return 0
    os.makedirs(FIXTURES, exist_ok=True)
    for name, fn in SMALL:
        if a.only and a.only not in name:
            continue
        fn(FIXTURES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
