#!/bin/sh
# The ONNX backend node tests of tests/onnx/ci_cases.txt (Debian's
# libonnx-testdata) through the build's mo and the real runtime: every
# case listed without 'xfail' must match the expected outputs.  The whole
# suite, against OpenVINO's own reader too, is tests/onnx/run-node-suite.sh.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
data=/usr/share/libonnx-testdata/data/node
if [ ! -d "$data" ] || ! "$OV_PY" -c 'import onnx' >/dev/null 2>&1; then
    [ "${MO_REQUIRE_RUNTIME:-0}" = 1 ] &&
        fail "no ONNX node tests or no onnx module in the ov venv (tests/install-deps.sh installs both)"
    echo "SKIP: no ONNX node tests ($data) or no onnx module in $MO_VENV_DIR/ov"
    exit 77
fi
scratch
"$OV_PY" "$top_srcdir/tests/onnx/node_suite.py" --mo "$MO" --data "$data" --jobs 2 \
    --ci "$top_srcdir/tests/onnx/ci_cases.txt" --out "$T/out" || fail "node-suite regressions (above)"
