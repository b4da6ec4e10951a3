"""onnx_intermediate.py MODEL.onnx INPUTS.npz OUT.npz [REFERENCE.npz]

Every tensor a node of MODEL computes, by its ONNX name, on INPUTS, as
onnxruntime computes it, plus out0, out1, ... for the model's outputs: the
--validate_reference file whose intermediate tensors let --validate bisect
to the first wrong layer.  With REFERENCE (the fixture's reference.npz,
made by the frameworks' runtimes), the outputs are checked against it first,
so this file agrees with the reference the e2e tests use.  (Not
onnx.reference.ReferenceEvaluator: onnx 1.23's BatchNormalization there
is 2% off numpy's formula and onnxruntime on tests/fixtures/onnx/cnn.)
Runs in the onnx venv (tests/setup-venvs.sh onnx)."""
import sys

import numpy as np
import onnx
import onnxruntime as ort

model_path, inputs_path, out_path = sys.argv[1:4]
model = onnx.load(model_path)
ins = dict(np.load(inputs_path))
names = [o for n in model.graph.node for o in n.output if o]
outputs = [o.name for o in model.graph.output]
# every node output becomes a graph output (typed, as onnxruntime wants),
# so the session returns it
typed = {v.name: v for v in onnx.shape_inference.infer_shapes(model).graph.value_info}
typed.update({o.name: o for o in model.graph.output})
del model.graph.output[:]
for n in names:
    model.graph.output.append(typed[n])
sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
values = dict(zip(names, sess.run(names, ins)))
res = {n: np.asarray(v) for n, v in values.items()}
for i, o in enumerate(outputs):
    res[f"out{i}"] = res[o]
if len(sys.argv) > 4:
    ref = np.load(sys.argv[4])
    for i, _ in enumerate(outputs):
        want = ref[f"out{i}"]
        err = np.max(np.abs(res[f"out{i}"] - want)) / max(np.max(np.abs(want)), 1e-30)
        if err > 1e-4:
            sys.exit(f"onnx_intermediate: out{i} differs from {sys.argv[4]} by {err:.3e}")
for k, v in res.items():
    if v.size > 1 and np.ptp(v) == 0:
        sys.exit(f"onnx_intermediate: {k} is constant: it would prove nothing")
np.savez(out_path, **res)
print(f"onnx_intermediate: {len(res)} tensors -> {out_path}")
