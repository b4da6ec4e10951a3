#!/usr/bin/env python3
"""Write the broken ONNX inputs tests/e2e/onnx_bad_input.sh feeds to mo.

usage: onnx_bad.py [--out DIR]        (the onnx venv; default DIR tests/fixtures/onnx/bad)

Each file is small and broken in one way (the test says which error each
must give):
    truncated.onnx        a valid model cut in the middle of a weight
    garbage.onnx          bytes of no format, named .onnx
    empty.onnx            nothing
    opset99.onnx          imports opset 99 of ai.onnx
    dangling.onnx         a node input that no node, initializer or input gives
    unknown_ops.onnx      ai.onnx "Foo" and "com.example:Bar" on parallel branches
    raw_too_long.onnx     an initializer with more raw_data bytes than its shape
    huge_dims.onnx        an f32 initializer of 2^59 elements and no bytes (its
                          bit count wraps 64 bits: once loaded as an empty tensor)
    string_init.onnx      a STRING initializer
    sequence_input.onnx   a graph input of sequence type
    ext_missing/          external data whose file is absent
    ext_short/            external data whose file is shorter than the tensor
    ext_dotdot/           external data at '../x'
    ext_abs/              external data at '/etc/passwd'
    ext_symlink/          external data at 'link.bin', which the test makes a
                          symbolic link out of the folder (git keeps no links)
"""
import argparse
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def vi(name, shape, et=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, et, shape)


def model(nodes, inputs, outputs, inits=(), opset=13, extra_opsets=()):
    g = helper.make_graph(nodes, "bad", inputs, outputs, list(inits))
    m = helper.make_model(g, producer_name="mo-tests",
                          opset_imports=[helper.make_opsetid("", opset)] +
                          [helper.make_opsetid(d, v) for d, v in extra_opsets])
    m.ir_version = 8
    return m


def matmul(w=None):
    """x [2,8] @ w [8,4] -> y: the base of most cases."""
    if w is None:
        w = numpy_helper.from_array(
            np.random.default_rng(5).standard_normal((8, 4)).astype(np.float32), "w")
    return model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")], [vi("x", [2, 8])],
                 [vi("y", [2, 4])], [w])


def external(location, length=128):
    """w [8,4] f32 as external data at location (128 bytes when whole)."""
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[8, 4])
    w.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", "0"), ("length", str(length))):
        e = w.external_data.add()
        e.key, e.value = k, v
    return matmul(w)


def save(out, rel, m):
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    data = m if isinstance(m, bytes) else m.SerializeToString()
    with open(p, "wb") as f:
        f.write(data)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "tests", "fixtures", "onnx", "bad"))
    a = ap.parse_args()
    out = a.out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)

    good = matmul()
    onnx.checker.check_model(good)
    b = good.SerializeToString()
    raw = good.graph.initializer[0].raw_data
    cut = b.index(raw) + len(raw) // 2
    save(out, "truncated.onnx", b[:cut])
    save(out, "garbage.onnx", bytes((i * 37 + 11) * (i >> 3) & 255 for i in range(1000)))
    save(out, "empty.onnx", b"")

    m = matmul()
    m.opset_import[0].version = 99
    save(out, "opset99.onnx", m)

    m = model([helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
               helper.make_node("Add", ["h", "nowhere"], ["y"], name="add_dangling")],
              [vi("x", [2, 8])], [vi("y", [2, 4])], good.graph.initializer)
    save(out, "dangling.onnx", m)

    m = model([helper.make_node("Foo", ["x"], ["a"], name="foo_node"),
               helper.make_node("Bar", ["x"], ["b"], name="bar_node", domain="com.example"),
               helper.make_node("Add", ["a", "b"], ["y"], name="add")],
              [vi("x", [2, 8])], [vi("y", [2, 8])], extra_opsets=[("com.example", 1)])
    save(out, "unknown_ops.onnx", m)

    w = numpy_helper.from_array(np.arange(32, dtype=np.float32).reshape(8, 4), "w")
    w.raw_data = w.raw_data + b"\0" * 16
    save(out, "raw_too_long.onnx", matmul(w))

    huge = TensorProto(name="huge", data_type=TensorProto.FLOAT, dims=[1 << 59], raw_data=b"")
    m = model([helper.make_node("Cast", ["huge"], ["y"], name="cast", to=TensorProto.FLOAT16)], [],
              [vi("y", [1 << 59], TensorProto.FLOAT16)], [huge])
    save(out, "huge_dims.onnx", m)

    s = helper.make_tensor("labels", TensorProto.STRING, [2], [b"cat", b"dog"])
    m = model([helper.make_node("Identity", ["labels"], ["y"], name="id")], [], [vi("y", [2], TensorProto.STRING)],
              [s])
    save(out, "string_init.onnx", m)

    seq = helper.make_tensor_sequence_value_info("xs", TensorProto.FLOAT, [2, 8])
    m = model([helper.make_node("SequenceAt", ["xs", "i"], ["y"], name="at")], [seq], [vi("y", [2, 8])],
              [numpy_helper.from_array(np.array(0, np.int64), "i")])
    save(out, "sequence_input.onnx", m)

    data = np.random.default_rng(6).standard_normal((8, 4)).astype(np.float32).tobytes()
    save(out, "ext_missing/model.onnx", external("weights.bin"))
    save(out, "ext_short/model.onnx", external("weights.bin"))
    with open(os.path.join(out, "ext_short", "weights.bin"), "wb") as f:
        f.write(data[:100])
    save(out, "ext_dotdot/model.onnx", external("../x"))
    save(out, "ext_abs/model.onnx", external("/etc/passwd"))
    save(out, "ext_symlink/model.onnx", external("link.bin"))
    total = 0
    for root, _, files in os.walk(out):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    print(f"onnx_bad: {sum(len(f) for _, _, f in os.walk(out))} files, {total} bytes in {out}")


if __name__ == "__main__":
    main()
