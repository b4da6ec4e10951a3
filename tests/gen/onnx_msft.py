"""Node cases for the com.microsoft ops the ONNX frontend converts, with
reference outputs from onnxruntime, in the layout of the ONNX backend node
suite (CASE/model.onnx, CASE/test_data_set_0/{input,output}_N.pb).

usage: python tests/gen/onnx_msft.py OUTDIR   (the onnx venv: onnx + onnxruntime)
Not run by make check; the models are made here, never downloaded."""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

MS = "com.microsoft"
rng = np.random.default_rng(7)


def case(name, op, inputs, n_out=1, consts=(), out_names=None, ref=None, **attrs):
    """inputs: list of (name, array) fed at run time; consts: (name, array)
    initializers; out_names: the node's outputs ('' leaves one unused);
    ref: numpy reference for an op onnxruntime runs on GPUs only."""
    out_names = out_names or [f"y{i}" for i in range(n_out)]
    node = helper.make_node(op, [n for n, _ in inputs] + [n for n, _ in consts] if not attrs.get("_order")
                            else attrs.pop("_order"), out_names, domain=MS, **attrs)
    g = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info(n, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape) for n, a in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in out_names if n],
        [numpy_helper.from_array(a, n) for n, a in consts])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)])
    m.ir_version = 8
    if ref:
        outs = ref(*[a for _, a in inputs], *[a for _, a in consts])
    else:
        sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
        outs = sess.run(None, {n: a for n, a in inputs})
    d = os.path.join(OUT, name, "test_data_set_0")
    os.makedirs(d, exist_ok=True)
    onnx.save(m, os.path.join(OUT, name, "model.onnx"))
    for i, (n, a) in enumerate(inputs):
        onnx.save_tensor(numpy_helper.from_array(a, n), os.path.join(d, f"input_{i}.pb"))
    for i, a in enumerate(outs):
        onnx.save_tensor(numpy_helper.from_array(np.asarray(a), f"y{i}"), os.path.join(d, f"output_{i}.pb"))
    print(name)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


OUT = sys.argv[1]
x = f32(2, 5, 8)
case("test_msft_gelu", "Gelu", [("x", x)])
case("test_msft_bias_gelu", "BiasGelu", [("x", x)], consts=[("b", f32(8))])
case("test_msft_fast_gelu", "FastGelu", [("x", x)])
case("test_msft_fast_gelu_bias", "FastGelu", [("x", x)], consts=[("b", f32(8))])
case("test_msft_quick_gelu", "QuickGelu", [("x", x)])
case("test_msft_quick_gelu_alpha", "QuickGelu", [("x", x)], alpha=1.5)
case("test_msft_bias_add", "BiasAdd", [("x", x)], consts=[("b", f32(8)), ("s", f32(2, 5, 8))],
     ref=lambda x, b, s: [x + b + s])
case("test_msft_fused_matmul", "FusedMatMul", [("a", f32(2, 3, 4))], consts=[("w", f32(4, 5))])
case("test_msft_fused_matmul_trans_alpha", "FusedMatMul", [("a", f32(2, 4, 3))], consts=[("w", f32(5, 4))],
     transA=1, transB=1, alpha=0.5)
case("test_msft_skip_layer_norm", "SkipLayerNormalization", [("x", x), ("s", f32(2, 5, 8))],
     consts=[("g", f32(8)), ("be", f32(8))], epsilon=1e-5)
case("test_msft_skip_layer_norm_bias_sum", "SkipLayerNormalization", [("x", x), ("s", f32(2, 5, 8))],
     consts=[("g", f32(8)), ("be", f32(8)), ("bi", f32(8))], out_names=["y0", "", "", "y1"], epsilon=1e-5)
case("test_msft_skip_layer_norm_no_beta", "SkipLayerNormalization", [("x", x), ("s", f32(2, 5, 8))],
     consts=[("g", f32(8))])


def ln_ref(axis, eps):
    """onnxruntime registers its LayerNormalization in the default domain
    only, so the com.microsoft spelling some exporters write is checked
    against numpy."""
    def f(x, g, be=None):
        ax = tuple(range(axis % x.ndim, x.ndim))
        m = x.mean(axis=ax, keepdims=True)
        v = ((x - m) ** 2).mean(axis=ax, keepdims=True)
        y = (x - m) / np.sqrt(v + eps) * g
        return [y + be if be is not None else y]
    return f


case("test_msft_layer_norm", "LayerNormalization", [("x", x)], consts=[("g", f32(8)), ("be", f32(8))],
     ref=ln_ref(-1, 1e-5))
case("test_msft_layer_norm_axis", "LayerNormalization", [("x", x)], consts=[("g", f32(5, 8))], axis=1,
     epsilon=1e-3, ref=ln_ref(1, 1e-3))
