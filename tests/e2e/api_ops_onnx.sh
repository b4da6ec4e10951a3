#!/bin/sh
# The ops added for the ONNX frontend (tests/e2e/api_ops_onnx.c builds one
# IR per group), loaded and run in the real OpenVINO Runtime at f32 and
# compared with independent numpy computations (api_ops_onnx.py).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
"$top_builddir/tests/e2e/api_ops_onnx" "$T" || fail "api_ops_onnx could not build/write the IRs"
"$OV_PY" "$top_srcdir/tests/e2e/api_ops_onnx.py" "$T" || fail "an IR differs from numpy or does not load"
echo "PASS: api_ops_onnx: every new op loads and matches numpy"
