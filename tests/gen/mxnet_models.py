#!/usr/bin/env python3
"""Generate the MXNet model fixtures (small whole models) and, with --zoo, the big zoo.

Run with the MXNet virtual environment (MXNet 1.9.1, numpy 1.23.x):
    .venv/mxnet/bin/python tests/gen/mxnet_models.py            # tests/fixtures/mxnet/
    .venv/mxnet/bin/python tests/gen/mxnet_models.py --zoo      # tests/zoo/mxnet/ (git-ignored)
    ... --only NAME_SUBSTRING

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


SMALL = [("conv_bn_relu_pool_fc", m_conv_bn_relu_pool_fc), ("grouped_deconv", m_grouped_deconv),
         ("pooling", m_pooling), ("activations", m_activations), ("eltwise", m_eltwise),
         ("norms", m_norms), ("gluon_export", lambda r: m_gluon(r, False)),
         ("gluon_plain_names", lambda r: m_gluon(r, True)), ("legacy_dialect", m_legacy),
         ("nd_merge", m_nd_merge), ("ndarray_versions", m_ndarray_versions), ("bad", m_bad)]


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


def zoo(root, only):
    cases = [("vgg16", "vgg16", (1, 3, 224, 224)), ("vgg19", "vgg19", (1, 3, 224, 224)),
             ("resnet152_v1", "resnet152_v1", (1, 3, 224, 224)),
             ("squeezenet1.1", "squeezenet1_1", (1, 3, 224, 224)),
             ("densenet121", "densenet121", (1, 3, 224, 224)), ("densenet161", "densenet161", (1, 3, 224, 224)),
             ("densenet169", "densenet169", (1, 3, 224, 224)), ("densenet201", "densenet201", (1, 3, 224, 224)),
             ("mobilenet1.0", "mobilenet1_0", (1, 3, 224, 224)),
             ("mobilenetv2_1.0", "mobilenet_v2_1_0", (1, 3, 224, 224)),
             ("inceptionv3", "inception_v3", (1, 3, 299, 299))]
    for name, ctor, shape in cases:
        if only and only not in name:
            continue
        gluon_zoo_case(root, name, ctor, shape)
    if not only or only in "caffenet":
        sym_case(root, "caffenet", caffenet_sym(), {"data": (1, 3, 227, 227)},
                 mo_args=["--input_shape", "[1,3,227,227]"])
    # Inception-BN, SSD variants, FCN8 and the style-transfer decoder need the
    # shape/detection translators of the other work items: not built here yet.


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", action="store_true", help="build the big topologies into tests/zoo/mxnet")
    ap.add_argument("--only", default="")
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
