#!/usr/bin/env python3
"""Build the ONNX test models with the real onnx package, their references with onnxruntime.

usage: onnx_models.py [--out DIR] [--only NAME,...]
       (run with the onnx venv: tests/setup-venvs.sh onnx; .venv/onnx/bin/python)

For every model NAME it writes into DIR/NAME/ (default DIR tests/fixtures/onnx):
    model.onnx       the model (weights.bin beside it for mlp_ext)
    inputs.npz       one array per graph input, keyed by the input's name
    reference.npz    out0, out1...: onnxruntime's outputs, graph output order
and for cnn, the options test of tests/e2e/onnx_models.sh:
    cut.npz          out0: the value of the inner tensor CUT_TENSOR, which
                     --output cuts at (onnxruntime with it made an output)

Weights are random (a fixed seed per model) and scaled to unit gain so that
every output varies; the script checks that no output is constant, zero or
non-finite before writing anything.  The models:
    cnn       Conv+BatchNormalization+Relu+MaxPool+Flatten+Gemm, opset 13, [1,3,16,16]
    dyn       cnn with the batch dim symbolic ('N'); inputs of batch 2
    mlp_ext   MatMul+Add+Relu+Gemm, weights as external data in weights.bin
    opset7    opset 7: BatchNormalization-7, Upsample-7 (scales attribute),
              Pad-2, Slice-1, Squeeze-1/Unsqueeze-1, ReduceMean-1 (axes
              attributes), Reshape-5; IR version 3, so the initializers
              are graph inputs too
    constants Constant nodes with value, value_float, value_floats,
              value_int, value_ints
    typed     initializers in the typed fields (float_data, int64_data,
              int32_data, double_data, FLOAT16 bits in int32_data) instead
              of raw_data
    unsorted  nodes listed in reverse topological order
    dtypes    an initializer of each type the IR holds (f16 f64 i8 u8 i16
              i32 i64 bool bf16, raw_data) cast to f32, one output each
"""
import argparse
import os
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CUT_TENSOR = "relu1"     # the cnn tensor --output cuts at


def rnd(seed):
    return np.random.default_rng(seed)


def w(r, *shape, fan_in=None):
    fan_in = fan_in or int(np.prod(shape[1:])) or 1
    return (r.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32)


def init(name, a):
    return numpy_helper.from_array(np.asarray(a), name)


def vi(name, et, shape):
    return helper.make_tensor_value_info(name, et, shape)


def model(graph, opset, ir=8):
    m = helper.make_model(graph, producer_name="mo-tests", opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir
    return m


# --- the models --------------------------------------------------------------

def cnn_graph(batch):
    r = rnd(13)
    nodes = [
        helper.make_node("Conv", ["x", "c1.w", "c1.b"], ["conv1"], name="conv1", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("BatchNormalization", ["conv1", "bn1.s", "bn1.b", "bn1.m", "bn1.v"], ["bn1"],
                         name="bn1", epsilon=1e-5),
        helper.make_node("Relu", ["bn1"], [CUT_TENSOR], name="relu1"),
        helper.make_node("MaxPool", [CUT_TENSOR], ["pool1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pool1", "c2.w"], ["conv2"], name="conv2", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("Relu", ["conv2"], ["relu2"], name="relu2"),
        helper.make_node("Flatten", ["relu2"], ["flat"], name="flat", axis=1),
        helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], ["y"], name="fc", transB=1, alpha=1.0, beta=1.0),
    ]
    inits = [
        init("c1.w", w(r, 8, 3, 3, 3)), init("c1.b", r.standard_normal(8).astype(np.float32) * 0.1),
        init("bn1.s", r.uniform(0.5, 1.5, 8).astype(np.float32)),
        init("bn1.b", r.standard_normal(8).astype(np.float32) * 0.1),
        init("bn1.m", r.standard_normal(8).astype(np.float32) * 0.1),
        init("bn1.v", r.uniform(0.5, 1.5, 8).astype(np.float32)),
        init("c2.w", w(r, 16, 8, 3, 3)),
        init("fc.w", w(r, 10, 16 * 4 * 4)), init("fc.b", r.standard_normal(10).astype(np.float32) * 0.1),
    ]
    g = helper.make_graph(nodes, "cnn", [vi("x", TensorProto.FLOAT, [batch, 3, 16, 16])],
                          [vi("y", TensorProto.FLOAT, [batch, 10])], inits)
    return g


def cnn():
    x = rnd(1).standard_normal((1, 3, 16, 16)).astype(np.float32)
    return model(cnn_graph(1), 13), {"x": x}


def dyn():
    x = rnd(2).standard_normal((2, 3, 16, 16)).astype(np.float32)
    return model(cnn_graph("N"), 13), {"x": x}


def mlp_ext():
    r = rnd(3)
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h1"], name="fc1"),
        helper.make_node("Add", ["h1", "b1"], ["h1b"], name="fc1_bias"),
        helper.make_node("Relu", ["h1b"], ["a1"], name="act1"),
        helper.make_node("Gemm", ["a1", "w2", "b2"], ["y"], name="fc2", alpha=0.5, beta=2.0),
    ]
    # big enough that onnx.save moves them out (its threshold is 1 KiB)
    inits = [init("w1", w(r, 64, 96, fan_in=64)), init("b1", r.standard_normal(96).astype(np.float32) * 0.1),
             init("w2", w(r, 96, 12, fan_in=96)), init("b2", r.standard_normal(12).astype(np.float32) * 0.1)]
    g = helper.make_graph(nodes, "mlp_ext", [vi("x", TensorProto.FLOAT, [3, 64])],
                          [vi("y", TensorProto.FLOAT, [3, 12])], inits)
    x = r.standard_normal((3, 64)).astype(np.float32)
    return model(g, 13), {"x": x}


def opset7():
    r = rnd(7)
    nodes = [
        helper.make_node("Conv", ["x", "c.w", "c.b"], ["conv"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["conv", "bn.s", "bn.b", "bn.m", "bn.v"], ["bn"], name="bn",
                         epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["relu"], name="relu"),
        helper.make_node("Upsample", ["relu"], ["up"], name="up", mode="nearest", scales=[1.0, 1.0, 2.0, 2.0]),
        helper.make_node("Pad", ["up"], ["pad"], name="pad", mode="constant", pads=[0, 0, 1, 1, 0, 0, 1, 1],
                         value=0.5),
        helper.make_node("Slice", ["pad"], ["slice"], name="slice", axes=[2, 3], starts=[1, 0], ends=[17, 16]),
        helper.make_node("ReduceMean", ["slice"], ["mean"], name="mean", axes=[3], keepdims=1),
        helper.make_node("Squeeze", ["mean"], ["sq"], name="sq", axes=[3]),
        helper.make_node("Unsqueeze", ["sq"], ["unsq"], name="unsq", axes=[1]),
        helper.make_node("Reshape", ["unsq", "shape"], ["y"], name="reshape"),
    ]
    inits = [init("c.w", w(r, 4, 2, 3, 3)), init("c.b", r.standard_normal(4).astype(np.float32) * 0.1),
             init("bn.s", r.uniform(0.5, 1.5, 4).astype(np.float32)),
             init("bn.b", r.standard_normal(4).astype(np.float32) * 0.1),
             init("bn.m", r.standard_normal(4).astype(np.float32) * 0.1),
             init("bn.v", r.uniform(0.5, 1.5, 4).astype(np.float32)),
             init("shape", np.array([1, 4, 16], np.int64))]
    # IR version 3: every initializer is also a graph input (the old style)
    g = helper.make_graph(nodes, "opset7", [vi("x", TensorProto.FLOAT, [1, 2, 8, 8])] +
                          [vi(t.name, t.data_type, list(t.dims)) for t in inits],
                          [vi("y", TensorProto.FLOAT, [1, 4, 16])], inits)
    x = r.standard_normal((1, 2, 8, 8)).astype(np.float32)
    return model(g, 7, ir=3), {"x": x}


def constants():
    r = rnd(11)
    t = r.standard_normal((3, 4)).astype(np.float32)
    nodes = [
        helper.make_node("Constant", [], ["k_value"], name="k_value", value=numpy_helper.from_array(t)),
        helper.make_node("Constant", [], ["k_float"], name="k_float", value_float=0.75),
        helper.make_node("Constant", [], ["k_floats"], name="k_floats", value_floats=[1.0, -2.0, 0.5, 3.0]),
        helper.make_node("Constant", [], ["k_int"], name="k_int", value_int=3),
        helper.make_node("Constant", [], ["k_ints"], name="k_ints", value_ints=[6, 4]),
        helper.make_node("Mul", ["x", "k_value"], ["m1"], name="m1"),
        helper.make_node("Add", ["m1", "k_float"], ["a1"], name="a1"),
        helper.make_node("Mul", ["a1", "k_floats"], ["m2"], name="m2"),
        helper.make_node("Cast", ["k_int"], ["k_int_f"], name="cast", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["m2", "k_int_f"], ["m3"], name="m3"),
        helper.make_node("Reshape", ["m3", "k_ints"], ["y"], name="reshape"),
    ]
    g = helper.make_graph(nodes, "constants", [vi("x", TensorProto.FLOAT, [2, 3, 4])],
                          [vi("y", TensorProto.FLOAT, [6, 4])])
    return model(g, 13), {"x": r.standard_normal((2, 3, 4)).astype(np.float32)}


def typed():
    r = rnd(17)
    wv = w(r, 8, 6, fan_in=8)
    bv = r.standard_normal(6).astype(np.float32)
    i32 = r.integers(-5, 6, (6,)).astype(np.int32)
    f64 = r.standard_normal(6)
    f16 = r.standard_normal(6).astype(np.float16)
    inits = [
        helper.make_tensor("w", TensorProto.FLOAT, wv.shape, wv.flatten().tolist()),               # float_data
        helper.make_tensor("b", TensorProto.FLOAT, bv.shape, bv.tolist()),
        helper.make_tensor("shape", TensorProto.INT64, [2], [2, 12]),                             # int64_data
        helper.make_tensor("i32", TensorProto.INT32, [6], i32.tolist()),                          # int32_data
        helper.make_tensor("f64", TensorProto.DOUBLE, [6], f64.tolist()),                         # double_data
        helper.make_tensor("f16", TensorProto.FLOAT16, [6], f16.view(np.uint16).tolist(), raw=False),
    ]
    inits[5].ClearField("int32_data")
    inits[5].int32_data.extend(f16.view(np.uint16).astype(np.int32).tolist())   # the FLOAT16 bits
    for t in inits:
        assert not t.HasField("raw_data"), t.name
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["mm"], name="mm"),
        helper.make_node("Add", ["mm", "b"], ["mmb"], name="mmb"),
        helper.make_node("Cast", ["i32"], ["i32f"], name="c_i32", to=TensorProto.FLOAT),
        helper.make_node("Cast", ["f64"], ["f64f"], name="c_f64", to=TensorProto.FLOAT),
        helper.make_node("Cast", ["f16"], ["f16f"], name="c_f16", to=TensorProto.FLOAT),
        helper.make_node("Mul", ["mmb", "i32f"], ["p1"], name="p1"),
        helper.make_node("Add", ["p1", "f64f"], ["p2"], name="p2"),
        helper.make_node("Mul", ["p2", "f16f"], ["p3"], name="p3"),
        helper.make_node("Reshape", ["p3", "shape"], ["y"], name="reshape"),
    ]
    g = helper.make_graph(nodes, "typed", [vi("x", TensorProto.FLOAT, [4, 8])],
                          [vi("y", TensorProto.FLOAT, [2, 12])], inits)
    return model(g, 13), {"x": r.standard_normal((4, 8)).astype(np.float32)}


def unsorted():
    r = rnd(19)
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h"], name="fc1"),
        helper.make_node("Sigmoid", ["h"], ["s"], name="sig"),
        helper.make_node("Mul", ["h", "s"], ["silu"], name="silu"),
        helper.make_node("MatMul", ["silu", "w2"], ["h2"], name="fc2"),
        helper.make_node("Add", ["h2", "x"], ["res"], name="residual"),
        helper.make_node("Tanh", ["res"], ["y"], name="tanh"),
    ]
    nodes.reverse()     # every consumer before its producer
    g = helper.make_graph(nodes, "unsorted", [vi("x", TensorProto.FLOAT, [2, 16])],
                          [vi("y", TensorProto.FLOAT, [2, 16])],
                          [init("w1", w(r, 16, 24, fan_in=16)), init("w2", w(r, 24, 16, fan_in=24))])
    return model(g, 13), {"x": r.standard_normal((2, 16)).astype(np.float32)}


def bf16_tensor(name, a):
    """A BFLOAT16 initializer in raw_data: the upper halves of the f32 bits
    (values chosen exactly representable, so the reference is exact)."""
    bits = (np.asarray(a, np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return helper.make_tensor(name, TensorProto.BFLOAT16, a.shape, bits.tobytes(), raw=True)


def dtypes():
    r = rnd(23)
    shape = (2, 5)
    vals = {
        "f16": r.standard_normal(shape).astype(np.float16),
        "f64": r.standard_normal(shape),
        "i8": r.integers(-128, 128, shape).astype(np.int8),
        "u8": r.integers(0, 256, shape).astype(np.uint8),
        "i16": r.integers(-30000, 30000, shape).astype(np.int16),
        "i32": r.integers(-100000, 100000, shape).astype(np.int32),
        "i64": r.integers(-10**6, 10**6, shape).astype(np.int64),
        "bool": r.integers(0, 2, shape).astype(bool),
    }
    inits = [init("k_" + k, v) for k, v in vals.items()]
    bf = (r.standard_normal(shape).astype(np.float32).view(np.uint32) & 0xFFFF0000).view(np.float32)
    inits.append(bf16_tensor("k_bf16", bf))
    for t in inits:
        assert t.HasField("raw_data"), t.name
    nodes, outs = [], []
    for t in inits:
        k = t.name[2:]
        nodes.append(helper.make_node("Cast", [t.name], ["f_" + k], name="cast_" + k, to=TensorProto.FLOAT))
        nodes.append(helper.make_node("Mul", ["x", "f_" + k], ["y_" + k], name="mul_" + k))
        outs.append(vi("y_" + k, TensorProto.FLOAT, list(shape)))
    g = helper.make_graph(nodes, "dtypes", [vi("x", TensorProto.FLOAT, list(shape))], outs, inits)
    x = (r.standard_normal(shape) + 2.0).astype(np.float32)
    return model(g, 13), {"x": x}


MODELS = {"cnn": cnn, "dyn": dyn, "mlp_ext": mlp_ext, "opset7": opset7, "constants": constants,
          "typed": typed, "unsorted": unsorted, "dtypes": dtypes}


# --- references ----------------------------------------------------------------

def run(m, feeds, extra_outputs=()):
    m = onnx.ModelProto.FromString(m.SerializeToString())
    for name in extra_outputs:
        m.graph.output.append(helper.make_empty_tensor_value_info(name))
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    s = ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"])
    return s.run(None, feeds)


def check(name, outs):
    for i, o in enumerate(outs):
        o = np.asarray(o, np.float64)
        if not np.all(np.isfinite(o)) or o.size < 2 or np.ptp(o) == 0 or not np.any(o):
            sys.exit(f"{name}: output {i} is constant, zero or non-finite: it would prove nothing")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "fixtures", "onnx"))
    ap.add_argument("--only")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else list(MODELS)
    for name in names:
        m, feeds = MODELS[name]()
        ref = m
        if name == "unsorted":
            # the checker (rightly) refuses it: check and run the sorted model
            ref = onnx.ModelProto.FromString(m.SerializeToString())
            nodes = list(ref.graph.node)[::-1]
            del ref.graph.node[:]
            ref.graph.node.extend(nodes)
        onnx.checker.check_model(ref)
        outs = run(ref, feeds)
        check(name, outs)
        d = os.path.join(a.out, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        path = os.path.join(d, "model.onnx")
        if name == "mlp_ext":
            onnx.save(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                      location="weights.bin", size_threshold=1024)
            loaded = onnx.load(path, load_external_data=False)
            ext = [t.name for t in loaded.graph.initializer
                   if t.data_location == TensorProto.EXTERNAL]
            assert ext == ["w1", "w2"], ext
            # onnxruntime reads the saved files themselves
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            again = s.run(None, feeds)
            assert all(np.array_equal(x, y) for x, y in zip(outs, again))
        else:
            onnx.save(m, path)
        np.savez(os.path.join(d, "inputs.npz"), **feeds)
        np.savez(os.path.join(d, "reference.npz"), **{f"out{i}": o for i, o in enumerate(outs)})
        if name == "cnn":
            cut = run(m, feeds, [CUT_TENSOR])[-1]
            check(name + " cut", [cut])
            np.savez(os.path.join(d, "cut.npz"), out0=cut)
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        print(f"{name}: {len(m.graph.node)} nodes, opset {m.opset_import[0].version}, "
              f"outputs {[np.shape(o) for o in outs]}, {size} bytes")


if __name__ == "__main__":
    main()
