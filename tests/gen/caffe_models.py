#!/usr/bin/env python3
"""caffe_models.py - the Caffe fixtures of tests/e2e/caffe_models.sh.

No Caffe package exists for this machine, so each case is written with
Python's protobuf from the generator's own caffe.proto (tests/gen/caffe/,
written from Caffe's published format; compiled here with grpcio-tools'
protoc): a deploy.prototxt and a model.caffemodel holding the whole net
with random blobs (BatchNorm with non-trivial statistics and scale
factor).  The reference outputs come from OpenCV's dnn module
(cv2.dnn.readNetFromCaffe: its own Caffe reader and layers, fusion off);
the few layers OpenCV's Caffe importer cannot read get numpy versions of
Caffe's formulas instead (marked "ref": "numpy" in case.json).

usage: caffe_models.py [OUT_DIR [CASE...]]   (default tests/fixtures/caffe)
Run in the `caffe` venv (tests/setup-venvs.sh caffe).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def load_pb2():
    out = tempfile.mkdtemp(prefix="caffe_pb2.")
    subprocess.check_call([sys.executable, "-m", "grpc_tools.protoc", f"--proto_path={HERE}/caffe",
                           f"--python_out={out}", f"{HERE}/caffe/caffe.proto"])
    sys.path.insert(0, out)
    import caffe_pb2  # noqa: E402
    return caffe_pb2


pb = load_pb2()
from google.protobuf import text_format  # noqa: E402
import cv2  # noqa: E402


class E(str):
    """An enum value (written bare in the prototxt)."""


def render(d, ind="  "):
    out = []
    for k, v in d.items():
        for x in (v if isinstance(v, list) else [v]):
            if isinstance(x, dict):
                out.append(f"{ind}{k} {{\n{render(x, ind + '  ')}{ind}}}\n")
            elif isinstance(x, bool):
                out.append(f"{ind}{k}: {'true' if x else 'false'}\n")
            elif isinstance(x, E):
                out.append(f"{ind}{k}: {x}\n")
            elif isinstance(x, str):
                out.append(f'{ind}{k}: "{x}"\n')
            else:
                out.append(f"{ind}{k}: {x!r}\n")
    return "".join(out)


class Net:
    def __init__(self, seed, v1=False):
        self.rng = np.random.RandomState(seed)
        self.head, self.body = "", []
        self.blobs, self.inputs, self.v1 = {}, {}, v1
        self.writer = {}       # blob -> last layer writing it
        self.read = set()
        self.numpy_ref = None
        self.opts = {}

    def rnd(self, *shape, lo=-1.0, hi=1.0):
        return self.rng.uniform(lo, hi, shape).astype(np.float32)

    def input(self, name, shape, form="input_shape"):
        self.inputs[name] = self.rnd(*shape)
        if form == "input_shape":
            self.head += f'input: "{name}"\ninput_shape {{ {" ".join(f"dim: {d}" for d in shape)} }}\n'
        elif form == "input_dim":
            self.head += f'input: "{name}"\n' + "".join(f"input_dim: {d}\n" for d in shape)
        self.writer[name] = None
        return name

    def input_layer(self, name, tops, shapes):
        for t, s in zip(tops, shapes * (len(tops) if len(shapes) == 1 else 1)):
            self.inputs[t] = self.rnd(*s)
            self.writer[t] = None
        sh = "".join(f"    shape {{ {' '.join(f'dim: {d}' for d in s)} }}\n" for s in shapes)
        self.body.append(f'layer {{\n  name: "{name}"\n  type: "Input"\n' +
                         "".join(f'  top: "{t}"\n' for t in tops) + f"  input_param {{\n{sh}  }}\n}}\n")

    def add(self, name, type_, bottom, top, params=None, blobs=None):
        bottom = [bottom] if isinstance(bottom, str) else bottom
        top = [top] if isinstance(top, str) else top
        key = "layers" if self.v1 else "layer"
        if self.v1 and not isinstance(type_, E):
            type_ = E({"Convolution": "CONVOLUTION", "Pooling": "POOLING", "InnerProduct": "INNER_PRODUCT",
                       "Deconvolution": "DECONVOLUTION"}[type_])
        t = f"type: {type_}" if self.v1 else f'type: "{type_}"'
        s = f'{key} {{\n  name: "{name}"\n  {t}\n'
        s += "".join(f'  bottom: "{b}"\n' for b in bottom) + "".join(f'  top: "{x}"\n' for x in top)
        s += render(params or {}) + "}\n"
        self.body.append(s)
        for b in bottom:
            self.read.add((b, self.writer.get(b)))
        for x in top:
            self.writer[x] = name
        if blobs:
            self.blobs[name] = blobs
        return top[0] if top else None

    def outputs(self):
        """(blob, last layer) of every blob no layer reads after it was written."""
        return [(b, w) for b, w in self.writer.items() if w is not None and (b, w) not in self.read]

    def text(self):
        return 'name: "net"\n' + self.head + "".join(self.body)


def fill_blob(bp, a, legacy=False, double=False):
    if legacy:
        d = [1] * (4 - a.ndim) + list(a.shape)
        bp.num, bp.channels, bp.height, bp.width = d
    else:
        bp.shape.dim.extend(a.shape)
    if double:
        bp.double_data.extend(a.astype(np.float64).ravel().tolist())
    else:
        bp.data.extend(a.ravel().tolist())


def write_case(out, name, net):
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    text = net.text()
    proto = os.path.join(d, "model.prototxt")
    with open(proto, "w") as f:
        f.write(text)
    m = text_format.Parse(text, pb.NetParameter())
    layers = m.layers if net.v1 else m.layer
    for ly in layers:
        for a in net.blobs.get(ly.name, []):
            fill_blob(ly.blobs.add(), a, legacy=net.opts.get("legacy_blobs", False),
                      double=net.opts.get("double_blobs", False))
    model = os.path.join(d, "model.caffemodel")
    with open(model, "wb") as f:
        f.write(m.SerializeToString())
    if net.opts.get("double_blobs"):
        # OpenCV reads float blobs only: the same values as floats for it
        for ly in layers:
            for bp in ly.blobs:
                bp.data.extend(bp.double_data)
                del bp.double_data[:]
        model = os.path.join(tempfile.mkdtemp(prefix="caffe_ref."), "float.caffemodel")
        with open(model, "wb") as f:
            f.write(m.SerializeToString())
    outs = net.outputs()
    if net.numpy_ref:
        refs = net.numpy_ref(net)
    else:
        cvnet = cv2.dnn.readNetFromCaffe(proto, model)
        cvnet.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        cvnet.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        cvnet.enableFusion(False)
        names = list(net.inputs)
        for k in names:
            cvnet.setInput(net.inputs[k], k)
        got = cvnet.forward([w for _, w in outs])
        refs = {b: np.asarray(g) for (b, _), g in zip(outs, got)}
    for b, r in refs.items():
        r = np.asarray(r, dtype=np.float32)
        if not np.all(np.isfinite(r)) or (r.size > 1 and float(np.std(r)) == 0):
            raise SystemExit(f"{name}: reference {b} is constant or not finite")
        refs[b] = r
    np.savez(os.path.join(d, "inputs.npz"), **net.inputs)
    np.savez(os.path.join(d, "reference.npz"), **refs)
    opts = dict(net.opts)
    opts.pop("legacy_blobs", None)
    opts.pop("double_blobs", None)
    if net.numpy_ref:
        opts["ref"] = "numpy"
    if opts:
        with open(os.path.join(d, "case.json"), "w") as f:
            json.dump(opts, f)


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


# --- helpers writing one layer with its blobs ------------------------------

def conv(n, name, b, t, cin, cout, k=3, group=1, bias=True, p=None, deconv=False, kshape=None):
    kh, kw = kshape or (k, k)
    w = n.rnd(cin, cout // group, kh, kw) if deconv else n.rnd(cout, cin // group, kh, kw)
    blobs = [w] + ([n.rnd(cout)] if bias else [])
    params = {"num_output": cout}
    if kshape is None:
        params["kernel_size"] = k
    if group != 1:
        params["group"] = group
    if not bias:
        params["bias_term"] = False
    params.update(p or {})
    return n.add(name, "Deconvolution" if deconv else "Convolution", b, t,
                 {"convolution_param": params}, blobs)


def bn(n, name, b, t, c, scale=True, sname=None):
    mean, var = n.rnd(c), n.rnd(c, lo=0.2, hi=2.0)
    sf = np.array([0.75], np.float32)
    n.add(name, "BatchNorm", b, t, {"batch_norm_param": {"use_global_stats": True, "eps": 1e-4}},
          [mean * sf[0], var * sf[0], sf])
    if scale:
        n.add(sname or name + "_scale", "Scale", t, t, {"scale_param": {"bias_term": True}},
              [n.rnd(c, lo=0.5, hi=1.5), n.rnd(c)])
    return t


# --- per-layer cases ----------------------------------------------------------

@case
def conv_basic(n):
    conv(n, "conv", n.input("data", [1, 3, 8, 8]), "conv", 3, 4, p={"pad": 1})


@case
def conv_hw(n):
    conv(n, "conv", n.input("data", [1, 2, 9, 11]), "conv", 2, 3, kshape=(3, 2),
         p={"kernel_h": 3, "kernel_w": 2, "stride_h": 2, "stride_w": 1, "pad_h": 1, "pad_w": 0})


@case
def conv_repeated(n):
    conv(n, "conv", n.input("data", [1, 2, 9, 10]), "conv", 2, 3, kshape=(3, 2),
         p={"kernel_size": [3, 2], "stride": [1, 2], "pad": [2, 1]})


@case
def conv_group(n):
    conv(n, "conv", n.input("data", [1, 4, 7, 7]), "conv", 4, 6, group=2, p={"stride": 2, "pad": 1})


@case
def conv_depthwise(n):
    conv(n, "conv", n.input("data", [1, 4, 7, 7]), "conv", 4, 4, group=4, p={"pad": 1})


@case
def conv_dilation(n):
    conv(n, "conv", n.input("data", [1, 2, 10, 10]), "conv", 2, 3, p={"dilation": 2, "pad": 2})


@case
def conv_nobias(n):
    conv(n, "conv", n.input("data", [2, 3, 6, 6]), "conv", 3, 2, k=1, bias=False)


@case
def deconv(n):
    conv(n, "up", n.input("data", [1, 3, 5, 5]), "up", 3, 2, k=4, deconv=True, p={"stride": 2, "pad": 1})


@case
def deconv_group(n):
    conv(n, "up", n.input("data", [1, 4, 5, 5]), "up", 4, 6, k=3, group=2, deconv=True, p={"stride": 2})


def pool(n, name, b, t, **p):
    return n.add(name, "Pooling", b, t, {"pooling_param": p})


@case
def pool_max_ceil(n):
    # ceil rounding: 8 + 2 - 3 = 7 / 2 -> 4 + 1 windows
    pool(n, "pool", n.input("data", [1, 2, 8, 8]), "pool", pool=E("MAX"), kernel_size=3, stride=2, pad=1)


@case
def pool_max_clip(n):
    # the last window would start in the end padding: Caffe drops it
    pool(n, "pool", n.input("data", [1, 2, 6, 6]), "pool", pool=E("MAX"), kernel_size=2, stride=2, pad=1)


@case
def pool_ave_pad(n):
    pool(n, "pool", n.input("data", [1, 2, 7, 7]), "pool", pool=E("AVE"), kernel_size=3, stride=2, pad=1)


@case
def pool_ave_ceil(n):
    pool(n, "pool", n.input("data", [1, 2, 8, 9]), "pool", pool=E("AVE"), kernel_h=3, kernel_w=2, stride_h=2,
         stride_w=2)


@case
def pool_global_max(n):
    pool(n, "pool", n.input("data", [1, 3, 5, 6]), "pool", pool=E("MAX"), global_pooling=True)


@case
def pool_global_ave(n):
    pool(n, "pool", n.input("data", [2, 3, 5, 6]), "pool", pool=E("AVE"), global_pooling=True)


def ip(n, name, b, t, k, o, **p):
    w = n.rnd(k, o) if p.get("transpose") else n.rnd(o, k)
    p = dict(p, num_output=o)
    return n.add(name, "InnerProduct", b, t, {"inner_product_param": p},
                 [w] + ([n.rnd(o)] if p.get("bias_term", True) else []))


@case
def ip_basic(n):
    ip(n, "fc", n.input("data", [2, 3, 4, 4]), "fc", 48, 5)


@case
def ip_axis2(n):
    ip(n, "fc", n.input("data", [2, 3, 4, 5]), "fc", 20, 6, axis=2)


@case
def ip_transpose(n):
    # Caffe keeps W as [K, O] and computes x W; OpenCV ignores transpose
    ip(n, "fc", n.input("data", [2, 10]), "fc", 10, 4, transpose=True)
    n.numpy_ref = lambda n: {"fc": n.inputs["data"] @ n.blobs["fc"][0] + n.blobs["fc"][1]}


@case
def ip_nobias(n):
    ip(n, "fc", n.input("data", [3, 8]), "fc", 8, 4, bias_term=False)


@case
def batchnorm(n):
    bn(n, "bn", n.input("data", [2, 4, 3, 3]), "bn", 4, scale=False)


@case
def batchnorm_scale(n):
    bn(n, "bn", n.input("data", [1, 4, 3, 3]), "bn", 4)


@case
def scale_bias(n):
    n.add("sc", "Scale", n.input("data", [1, 3, 4, 4]), "sc", {"scale_param": {"bias_term": True}},
          [n.rnd(3), n.rnd(3)])


@case
def scale_two_axes(n):
    n.add("sc", "Scale", n.input("data", [2, 3, 4, 5]), "sc", {"scale_param": {"axis": 1, "num_axes": 2}},
          [n.rnd(3, 4)])


@case
def scale_two_bottoms(n):
    n.add("sc", "Scale", [n.input("data", [1, 3, 4, 4]), n.input("s", [1, 3])], "sc", {"scale_param": {"axis": 0}})


@case
def bias(n):
    n.add("b", "Bias", n.input("data", [1, 3, 4, 4]), "b", {}, [n.rnd(3)])
    n.numpy_ref = lambda n: {"b": n.inputs["data"] + n.blobs["b"][0].reshape(1, 3, 1, 1)}


@case
def eltwise_sum_coeff(n):
    n.add("e", "Eltwise", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 2, 3, 3])], "e",
          {"eltwise_param": {"operation": E("SUM"), "coeff": [0.5, -2.0]}})


@case
def eltwise_prod(n):
    n.add("e", "Eltwise", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 2, 3, 3]), n.input("c", [1, 2, 3, 3])],
          "e", {"eltwise_param": {"operation": E("PROD")}})


@case
def eltwise_max(n):
    n.add("e", "Eltwise", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 2, 3, 3])], "e",
          {"eltwise_param": {"operation": E("MAX")}})


@case
def concat(n):
    n.add("c", "Concat", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 3, 3, 3])], "c")


@case
def concat_axis(n):
    n.add("c", "Concat", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 2, 2, 3])], "c", {"concat_param": {"axis": 2}})


@case
def slice_points(n):
    # OpenCV's forward() gives a layer's first top only: numpy
    n.add("s", "Slice", n.input("data", [1, 6, 3, 3]), ["s0", "s1", "s2"], {"slice_param": {"slice_point": [1, 4]}})
    n.numpy_ref = lambda n: dict(zip(["s0", "s1", "s2"], np.split(n.inputs["data"], [1, 4], axis=1)))


@case
def slice_even(n):
    n.add("s", "Slice", n.input("data", [1, 2, 6, 3]), ["s0", "s1"], {"slice_param": {"axis": 2}})
    n.numpy_ref = lambda n: dict(zip(["s0", "s1"], np.split(n.inputs["data"], 2, axis=2)))


@case
def split(n):
    x = n.add("s", "Split", n.input("data", [1, 2, 3, 3]), ["s0", "s1"])
    n.add("r", "ReLU", "s0", "r")
    n.add("t", "TanH", "s1", "t")


@case
def flatten(n):
    n.add("f", "Flatten", n.input("data", [2, 3, 2, 2]), "f")


@case
def flatten_end_axis(n):
    n.add("f", "Flatten", n.input("data", [2, 3, 2, 4]), "f", {"flatten_param": {"axis": 1, "end_axis": 2}})


@case
def reshape(n):
    n.add("r", "Reshape", n.input("data", [2, 3, 4, 2]), "r", {"reshape_param": {"shape": {"dim": [0, -1, 4]}}})


@case
def reshape_axis(n):
    n.add("r", "Reshape", n.input("data", [2, 6, 4]), "r",
          {"reshape_param": {"shape": {"dim": [2, 3]}, "axis": 1, "num_axes": 1}})


@case
def permute(n):
    n.add("p", "Permute", n.input("data", [1, 2, 3, 4]), "p", {"permute_param": {"order": [0, 2, 3, 1]}})


@case
def crop(n):
    n.add("c", "Crop", [n.input("data", [1, 2, 7, 8]), n.input("ref", [1, 2, 4, 5])], "c",
          {"crop_param": {"axis": 2, "offset": [1, 2]}})


def act(name, type_, params=None, shape=(1, 3, 4, 4), lo=-2.0, hi=2.0, ref=None):
    def fn(n):
        x = n.input("data", list(shape))
        n.inputs["data"] = n.rnd(*shape, lo=lo, hi=hi)
        n.add("act", type_, x, "act", params)
        if ref:
            n.numpy_ref = lambda n: {"act": ref(n.inputs["data"])}
    fn.__name__ = name
    CASES[name] = fn


act("relu", "ReLU")
act("relu_leaky", "ReLU", {"relu_param": {"negative_slope": 0.1}})
act("elu", "ELU", {"elu_param": {"alpha": 0.7}})
act("sigmoid", "Sigmoid")
act("tanh", "TanH")
act("absval", "AbsVal")
act("bnll", "BNLL")
act("power", "Power", {"power_param": {"power": 2.0, "scale": 0.5, "shift": 1.5}})
act("exp", "Exp", {"exp_param": {"scale": 0.5, "shift": 0.1}})
act("exp_base", "Exp", {"exp_param": {"base": 2.0, "scale": 1.5}})
# OpenCV's Log ignores base, scale and shift: Caffe's formula in numpy
act("log", "Log", {"log_param": {"scale": 2.0, "shift": 0.5}}, lo=0.1, hi=3.0,
    ref=lambda x: np.log(0.5 + 2.0 * x))
act("log_base", "Log", {"log_param": {"base": 10.0}}, lo=0.1, hi=3.0, ref=np.log10)
act("softmax", "Softmax")
act("softmax_axis", "Softmax", {"softmax_param": {"axis": -1}})


def lrn_across_ref(x, n=3, alpha=0.5, beta=0.75, k=2.0):
    sq = np.pad(x.astype(np.float64) ** 2, ((0, 0), ((n - 1) // 2, n // 2), (0, 0), (0, 0)))
    s = sum(sq[:, i:i + x.shape[1]] for i in range(n))
    return x * (k + alpha / n * s) ** -beta


# OpenCV's LRN ignores k: Caffe's formula in numpy
act("lrn_across", "LRN", {"lrn_param": {"local_size": 3, "alpha": 0.5, "beta": 0.75, "k": 2.0}}, shape=(1, 5, 4, 4),
    ref=lrn_across_ref)
act("lrn_across_k1", "LRN", {"lrn_param": {"local_size": 5, "alpha": 0.5, "beta": 0.75}}, shape=(1, 7, 3, 3))
act("lrn_within", "LRN", {"lrn_param": {"local_size": 3, "alpha": 0.5, "beta": 0.75,
                                        "norm_region": E("WITHIN_CHANNEL")}}, shape=(1, 2, 5, 5))
act("mvn", "MVN", shape=(2, 3, 4, 4))
act("mvn_across", "MVN", {"mvn_param": {"across_channels": True}}, shape=(2, 3, 4, 4))
act("mvn_mean_only", "MVN", {"mvn_param": {"normalize_variance": False}}, shape=(2, 3, 4, 4))
act("relu6", "ReLU6", lo=-3.0, hi=9.0)


@case
def tile(n):
    n.add("t", "Tile", n.input("data", [1, 2, 2, 3]), "t", {"tile_param": {"axis": 2, "tiles": 3}})
    n.numpy_ref = lambda n: {"t": np.tile(n.inputs["data"], (1, 1, 3, 1))}
act("shufflechannel", "ShuffleChannel", {"shuffle_channel_param": {"group": 2}}, shape=(1, 6, 3, 3))


@case
def dropout(n):
    x = n.add("d", "Dropout", n.input("data", [1, 3, 4, 4]), "data", {"dropout_param": {"dropout_ratio": 0.3}})
    n.add("r", "Sigmoid", x, "out")


@case
def prelu(n):
    n.add("p", "PReLU", n.input("data", [1, 3, 4, 4]), "p", {}, [n.rnd(3)])


@case
def prelu_shared(n):
    n.add("p", "PReLU", n.input("data", [1, 3, 4, 4]), "p", {"prelu_param": {"channel_shared": True}},
          [np.array([0.3], np.float32)])


@case
def normalize(n):
    n.add("n", "Normalize", n.input("data", [1, 3, 4, 4]), "n",
          {"norm_param": {"across_spatial": False, "channel_shared": False}}, [n.rnd(3, lo=1, hi=20)])


@case
def normalize_spatial(n):
    n.add("n", "Normalize", n.input("data", [1, 3, 4, 4]), "n", {"norm_param": {"across_spatial": True}},
          [np.array([5.0], np.float32)])


@case
def argmax(n):
    # Caffe: over each sample flattened, [N, 2, top_k, 1] = indices then values
    n.add("a", "ArgMax", n.input("data", [2, 5, 1, 1]), "a", {"argmax_param": {"top_k": 2, "out_max_val": True}})

    def ref(n):
        x = n.inputs["data"].reshape(2, -1)
        idx = np.argsort(-x, axis=1, kind="stable")[:, :2]
        val = np.take_along_axis(x, idx, axis=1)
        return {"a": np.stack([idx.astype(np.float32), val], axis=1)[..., None]}
    n.numpy_ref = ref


@case
def argmax_axis(n):
    n.add("a", "ArgMax", n.input("data", [2, 5, 3, 4]), "a", {"argmax_param": {"axis": 1}})
    n.numpy_ref = lambda n: {"a": np.argmax(n.inputs["data"], axis=1)[:, None].astype(np.float32)}


@case
def interp_zoom(n):
    n.add("i", "Interp", n.input("data", [1, 2, 4, 5]), "i", {"interp_param": {"zoom_factor": 2}})


@case
def interp_size(n):
    n.add("i", "Interp", n.input("data", [1, 2, 4, 5]), "i", {"interp_param": {"height": 7, "width": 9}})


@case
def input_layer_two_tops(n):
    n.input_layer("input", ["a", "b"], [[1, 2, 3, 3]])
    n.add("e", "Eltwise", ["a", "b"], "e", {"eltwise_param": {"operation": E("PROD")}})
    n.numpy_ref = lambda n: {"e": n.inputs["a"] * n.inputs["b"]}


@case
def input_dim_two(n):
    a = n.input("a", [1, 2, 3, 3], form="input_dim")
    b = n.input("b", [1, 2, 3, 3], form="input_dim")
    n.add("e", "Eltwise", [a, b], "e")


@case
def batchnorm_batch_stats(n):
    # use_global_stats false: the statistics of the batch itself (numpy: Caffe's formula)
    x = n.input("data", [2, 3, 3, 4])
    n.add("bn", "BatchNorm", x, "bn", {"batch_norm_param": {"use_global_stats": False, "eps": 1e-3}},
          [n.rnd(3), n.rnd(3, lo=0.5, hi=1), np.array([1.0], np.float32)])

    def ref(n):
        x = n.inputs["data"].astype(np.float64)
        m = x.mean(axis=(0, 2, 3), keepdims=True)
        v = ((x - m) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        return {"bn": (x - m) / np.sqrt(v + 1e-3)}
    n.numpy_ref = ref


@case
def concat_dim(n):
    n.add("c", "Concat", [n.input("a", [1, 2, 2, 3]), n.input("b", [1, 2, 2, 2])], "c",
          {"concat_param": {"concat_dim": 3}})
    # OpenCV ignores the deprecated concat_dim
    n.numpy_ref = lambda n: {"c": np.concatenate([n.inputs["a"], n.inputs["b"]], axis=3)}


@case
def eltwise_sum3(n):
    n.add("e", "Eltwise", [n.input("a", [1, 2, 3, 3]), n.input("b", [1, 2, 3, 3]), n.input("c", [1, 2, 3, 3])], "e")


@case
def interp_shrink(n):
    n.add("i", "Interp", n.input("data", [1, 2, 9, 7]), "i", {"interp_param": {"shrink_factor": 2}})
    # OpenCV's Interp has no shrink_factor: Caffe's (in - 1) / shrink + 1, corners aligned
    n.numpy_ref = lambda n: {"i": bilinear_aligned(n.inputs["data"], 5, 4)}


def bilinear_aligned(x, oh, ow):
    """Caffe's caffe_cpu_interp2: bilinear, the corner pixels aligned."""
    _, _, h, w = x.shape
    ys = np.arange(oh) * ((h - 1) / (oh - 1) if oh > 1 else 0)
    xs = np.arange(ow) * ((w - 1) / (ow - 1) if ow > 1 else 0)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    dy, dx = (ys - y0)[:, None], (xs - x0)[None, :]
    x = x.astype(np.float64)
    top = x[:, :, y0][:, :, :, x0] * (1 - dx) + x[:, :, y0][:, :, :, x1] * dx
    bot = x[:, :, y1][:, :, :, x0] * (1 - dx) + x[:, :, y1][:, :, :, x1] * dx
    return top * (1 - dy) + bot * dy


@case
def crop_one_offset(n):
    n.add("c", "Crop", [n.input("data", [1, 3, 6, 6]), n.input("ref", [1, 2, 4, 4])], "c",
          {"crop_param": {"axis": 1, "offset": [1]}})


@case
def reshape_infer_mid(n):
    n.add("r", "Reshape", n.input("data", [2, 3, 4]), "r", {"reshape_param": {"shape": {"dim": [2, -1, 2, 1]}}})


@case
def scale_two_bottoms_bias(n):
    n.add("sc", "Scale", [n.input("data", [1, 3, 4, 4]), n.input("s", [3])], "sc",
          {"scale_param": {"bias_term": True}}, [n.rnd(3)])
    # Caffe: the scale is bottom 1, the bias blob 0; OpenCV's result is neither
    n.numpy_ref = lambda n: {"sc": n.inputs["data"] * n.inputs["s"].reshape(1, 3, 1, 1)
                             + n.blobs["sc"][0].reshape(1, 3, 1, 1)}


@case
def pool_pad_hw(n):
    pool(n, "pool", n.input("data", [1, 2, 7, 8]), "pool", pool=E("MAX"), kernel_size=3, stride=2, pad_h=1, pad_w=0)


@case
def softmax_2d(n):
    n.add("p", "Softmax", n.input("data", [3, 7]), "p")


@case
def threshold(n):
    n.add("t", "Threshold", n.input("data", [1, 3, 4, 4]), "t", {"threshold_param": {"threshold": 0.2}})
    n.numpy_ref = lambda n: {"t": (n.inputs["data"] > 0.2).astype(np.float32)}


@case
def axpy(n):
    # SENet's Axpy (no OpenCV layer): scale [N, C, 1, 1] * x + y
    n.add("ax", "Axpy", [n.input("a", [2, 3, 1, 1]), n.input("x", [2, 3, 4, 4]), n.input("y", [2, 3, 4, 4])], "ax")
    n.numpy_ref = lambda n: {"ax": n.inputs["a"] * n.inputs["x"] + n.inputs["y"]}


def reduction(name, op, axis, coeff, fn):
    def f(n):
        n.add("r", "Reduction", n.input("data", [2, 3, 4]), "r",
              {"reduction_param": {"operation": E(op), "axis": axis, "coeff": coeff}})
        n.numpy_ref = lambda n: {"r": (coeff * fn(n.inputs["data"].astype(np.float64),
                                                  tuple(range(axis, 3)))).astype(np.float32)}
    f.__name__ = name
    CASES[name] = f


# (no Reduction layer in OpenCV's Caffe importer: numpy)
reduction("reduction_sum", "SUM", 1, 1.0, lambda x, a: x.sum(axis=a))
reduction("reduction_asum", "ASUM", 2, 0.5, lambda x, a: np.abs(x).sum(axis=a))
reduction("reduction_sumsq", "SUMSQ", 1, 2.0, lambda x, a: (x * x).sum(axis=a))
reduction("reduction_mean", "MEAN", 0, 1.0, lambda x, a: x.mean(axis=a))


@case
def silence(n):
    n.add("s", "Slice", n.input("data", [1, 4, 3, 3]), ["s0", "s1"])
    n.add("quiet", "Silence", "s1", [])
    n.add("r", "TanH", "s0", "r")
    n.numpy_ref = lambda n: {"r": np.tanh(n.inputs["data"][:, :2])}


@case
def priorbox(n):
    img = n.input("data", [1, 3, 30, 30])
    n.input("fmap", [1, 4, 3, 3])
    n.add("pb", "PriorBox", ["fmap", img], "pb",
          {"prior_box_param": {"min_size": 8.0, "max_size": 20.0, "aspect_ratio": [2.0, 3.0], "flip": True,
                               "clip": False, "variance": [0.1, 0.1, 0.2, 0.2]}})


@case
def priorbox_step_clip(n):
    img = n.input("data", [1, 3, 32, 40])
    n.input("fmap", [1, 2, 4, 5])
    n.add("pb", "PriorBox", ["fmap", img], "pb",
          {"prior_box_param": {"min_size": [10.0, 16.0], "aspect_ratio": 2.0, "flip": False, "clip": True,
                               "variance": 0.1, "step": 8.0, "offset": 0.25}})


@case
def roi_pooling(n):
    x = n.input("data", [1, 3, 12, 16])
    n.input("rois", [4, 5])
    # valid boxes in image coordinates (spatial_scale 1/2): batch 0
    n.inputs["rois"] = np.array([[0, 0, 0, 20, 15], [0, 3.4, 5.6, 30, 22], [0, 10, 2, 12, 8],
                                 [0, 7, 7, 31, 23]], np.float32)
    n.add("roi", "ROIPooling", [x, "rois"], "roi",
          {"roi_pooling_param": {"pooled_h": 3, "pooled_w": 2, "spatial_scale": 0.5}})


@case
def ssd_detection_output(n):
    # compared as sets of boxes by tests/e2e/caffe_detections.py
    img = n.input("data", [1, 3, 24, 24])
    n.input("fmap", [1, 2, 3, 3])
    P, C = 3 * 3 * 4, 3
    n.input("loc", [1, P * 4])
    n.inputs["loc"] = n.rnd(1, P * 4, lo=-0.5, hi=0.5)
    n.input("conf", [1, P * C])
    n.inputs["conf"] = n.rnd(1, P * C, lo=-3, hi=3)
    n.add("priors", "PriorBox", ["fmap", img], "priors",
          {"prior_box_param": {"min_size": 8.0, "max_size": 16.0, "aspect_ratio": 2.0, "flip": True,
                               "clip": False, "variance": [0.1, 0.1, 0.2, 0.2]}})
    x = n.add("conf_reshape", "Reshape", "conf", "conf_reshape", {"reshape_param": {"shape": {"dim": [0, -1, C]}}})
    x = n.add("conf_softmax", "Softmax", x, "conf_softmax", {"softmax_param": {"axis": 2}})
    x = n.add("conf_flatten", "Flatten", x, "conf_flatten")
    n.add("detection_out", "DetectionOutput", ["loc", x, "priors"], "detection_out",
          {"detection_output_param": {"num_classes": C, "share_location": True, "background_label_id": 0,
                                      "nms_param": {"nms_threshold": 0.45, "top_k": 20},
                                      "code_type": E("CENTER_SIZE"), "keep_top_k": 10,
                                      "confidence_threshold": 0.2}})


@case
def ssd_mobilenet_head(n):
    # MobileNet-SSD's pattern: two feature maps, per map conv -> Permute ->
    # Flatten for locations and confidences, PriorBoxes concatenated on
    # axis 2, Softmax over classes, DetectionOutput
    img = n.input("data", [1, 3, 32, 32])
    x = conv(n, "conv0", img, "conv0", 3, 4, k=3, p={"stride": 4, "pad": 1})
    n.add("conv0/relu", "ReLU", x, x)
    y = conv(n, "conv1", x, "conv1", 4, 4, k=3, p={"stride": 2, "pad": 1})
    n.add("conv1/relu", "ReLU", y, y)
    C, locs, confs, pris = 3, [], [], []
    for f, (name, np_) in zip([x, y], [("m0", 3), ("m1", 4)]):
        lo = conv(n, f"{name}_loc", f, f"{name}_loc", 4, np_ * 4, k=1)
        lo = n.add(f"{name}_loc_perm", "Permute", lo, f"{name}_loc_perm", {"permute_param": {"order": [0, 2, 3, 1]}})
        locs.append(n.add(f"{name}_loc_flat", "Flatten", lo, f"{name}_loc_flat"))
        co = conv(n, f"{name}_conf", f, f"{name}_conf", 4, np_ * C, k=1)
        co = n.add(f"{name}_conf_perm", "Permute", co, f"{name}_conf_perm", {"permute_param": {"order": [0, 2, 3, 1]}})
        confs.append(n.add(f"{name}_conf_flat", "Flatten", co, f"{name}_conf_flat"))
        pp = {"min_size": 8.0 if name == "m0" else 16.0, "aspect_ratio": 2.0, "flip": True, "clip": False,
              "variance": [0.1, 0.1, 0.2, 0.2]}
        if name == "m1":
            pp["max_size"] = 28.0
        pris.append(n.add(f"{name}_priors", "PriorBox", [f, img], f"{name}_priors", {"prior_box_param": pp}))
    loc = n.add("mbox_loc", "Concat", locs, "mbox_loc")
    conf = n.add("mbox_conf", "Concat", confs, "mbox_conf")
    pri = n.add("mbox_priorbox", "Concat", pris, "mbox_priorbox", {"concat_param": {"axis": 2}})
    conf = n.add("mbox_conf_reshape", "Reshape", conf, "mbox_conf_reshape", {"reshape_param": {"shape": {"dim": [0, -1, C]}}})
    conf = n.add("mbox_conf_softmax", "Softmax", conf, "mbox_conf_softmax", {"softmax_param": {"axis": 2}})
    conf = n.add("mbox_conf_flatten", "Flatten", conf, "mbox_conf_flatten")
    n.add("detection_out", "DetectionOutput", [loc, conf, pri], "detection_out",
          {"detection_output_param": {"num_classes": C, "share_location": True, "background_label_id": 0,
                                      "nms_param": {"nms_threshold": 0.45, "top_k": 30},
                                      "code_type": E("CENTER_SIZE"), "keep_top_k": 15,
                                      "confidence_threshold": 0.3}})


@case
def double_blobs(n):
    n.opts["double_blobs"] = True
    conv(n, "conv", n.input("data", [1, 2, 5, 5]), "conv", 2, 3)


# --- small nets -------------------------------------------------------------

@case
def net_caffenet(n):
    x = n.input("data", [1, 3, 35, 35])
    x = conv(n, "conv1", x, "conv1", 3, 8, k=5, p={"stride": 2})
    n.add("relu1", "ReLU", x, x)
    x = pool(n, "pool1", x, "pool1", pool=E("MAX"), kernel_size=3, stride=2)
    x = n.add("norm1", "LRN", x, "norm1", {"lrn_param": {"local_size": 5, "alpha": 1e-4, "beta": 0.75}})
    x = conv(n, "conv2", x, "conv2", 8, 8, k=3, group=2, p={"pad": 1})
    n.add("relu2", "ReLU", x, x)
    x = pool(n, "pool2", x, "pool2", pool=E("MAX"), kernel_size=3, stride=2)
    x = ip(n, "fc6", x, "fc6", 8 * 4 * 4, 16)
    n.add("relu6", "ReLU", x, x)
    n.add("drop6", "Dropout", x, x, {"dropout_param": {"dropout_ratio": 0.5}})
    x = ip(n, "fc8", x, "fc8", 16, 10)
    n.add("prob", "Softmax", x, "prob")


@case
def net_resnet_block(n):
    x = n.input("data", [1, 4, 8, 8])
    a = conv(n, "res2a_branch1", x, "res2a_branch1", 4, 8, k=1, bias=False)
    bn(n, "bn2a_branch1", a, a, 8, sname="scale2a_branch1")
    y = conv(n, "res2a_branch2a", x, "res2a_branch2a", 4, 8, k=3, bias=False, p={"pad": 1})
    bn(n, "bn2a_branch2a", y, y, 8, sname="scale2a_branch2a")
    n.add("res2a_branch2a_relu", "ReLU", y, y)
    y = conv(n, "res2a_branch2b", y, "res2a_branch2b", 8, 8, k=3, bias=False, p={"pad": 1})
    bn(n, "bn2a_branch2b", y, y, 8, sname="scale2a_branch2b")
    s = n.add("res2a", "Eltwise", [a, y], "res2a")
    n.add("res2a_relu", "ReLU", s, s)


@case
def net_squeezenet_fire(n):
    x = n.input("data", [1, 3, 15, 15])
    x = conv(n, "conv1", x, "conv1", 3, 8, k=3, p={"stride": 2})
    n.add("relu_conv1", "ReLU", x, x)
    x = pool(n, "pool1", x, "pool1", pool=E("MAX"), kernel_size=3, stride=2)
    s = conv(n, "fire2/squeeze1x1", x, "fire2/squeeze1x1", 8, 4, k=1)
    n.add("fire2/relu_squeeze1x1", "ReLU", s, s)
    e1 = conv(n, "fire2/expand1x1", s, "fire2/expand1x1", 4, 6, k=1)
    n.add("fire2/relu_expand1x1", "ReLU", e1, e1)
    e3 = conv(n, "fire2/expand3x3", s, "fire2/expand3x3", 4, 6, k=3, p={"pad": 1})
    n.add("fire2/relu_expand3x3", "ReLU", e3, e3)
    c = n.add("fire2/concat", "Concat", [e1, e3], "fire2/concat")
    x = conv(n, "conv10", c, "conv10", 12, 5, k=1)
    x = pool(n, "pool10", x, "pool10", pool=E("AVE"), global_pooling=True)
    n.add("prob", "Softmax", x, "prob")


@case
def net_mobilenet_dw(n):
    x = n.input("data", [1, 3, 12, 12])
    x = conv(n, "conv1", x, "conv1", 3, 8, k=3, bias=False, p={"stride": 2, "pad": 1})
    bn(n, "conv1/bn", x, x, 8, sname="conv1/scale")
    n.add("relu1", "ReLU", x, x)
    x = conv(n, "conv2_1/dw", x, "conv2_1/dw", 8, 8, k=3, group=8, bias=False, p={"pad": 1})
    bn(n, "conv2_1/dw/bn", x, x, 8, sname="conv2_1/dw/scale")
    n.add("relu2_1/dw", "ReLU", x, x)
    x = conv(n, "conv2_1/sep", x, "conv2_1/sep", 8, 16, k=1, bias=False)
    bn(n, "conv2_1/sep/bn", x, x, 16, sname="conv2_1/sep/scale")
    n.add("relu2_1/sep", "ReLU", x, x)
    x = pool(n, "pool6", x, "pool6", pool=E("AVE"), global_pooling=True)
    x = conv(n, "fc7", x, "fc7", 16, 10, k=1)
    n.add("prob", "Softmax", x, "prob")


@case
def net_v1_layers(n):
    n.v1 = True
    n.opts["legacy_blobs"] = True
    x = n.input("data", [1, 3, 10, 10], form="input_dim")
    x = conv(n, "conv1", x, "conv1", 3, 6, k=3)
    n.add("relu1", E("RELU"), x, x)
    x = pool(n, "pool1", x, "pool1", pool=E("AVE"), kernel_size=2, stride=2)
    y = n.add("split", E("SPLIT"), x, ["p_a", "p_b"])
    a = n.add("sig", E("SIGMOID"), "p_a", "sig")
    b = n.add("tanh", E("TANH"), "p_b", "tanh")
    x = n.add("cat", E("CONCAT"), [a, b], "cat")
    x = ip(n, "fc", x, "fc", 12 * 4 * 4, 7)
    n.add("prob", E("SOFTMAX"), x, "prob")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "tests", "fixtures", "caffe")
    names = sys.argv[2:] or list(CASES)
    os.makedirs(out, exist_ok=True)
    bad = 0
    for name in sorted(CASES):
        if name not in names:
            continue
        # a seed of the case's own: adding a case changes no other fixture
        n = Net(zlib.crc32(name.encode()))
        CASES[name](n)
        try:
            write_case(out, name, n)
        except (cv2.error, SystemExit) as e:
            print("FAILED", name, str(e).strip().splitlines()[-1])
            bad += 1
            continue
        print("wrote", name)
    if bad:
        raise SystemExit(f"{bad} cases could not be written")


if __name__ == "__main__":
    main()
