#!/bin/sh
# Run the ONNX backend node test suite through mo and through OpenVINO's own
# ONNX reader (tests/onnx/node_suite.py; docs/onnx.md says what is measured).
# Builds nothing: it runs the mo of an existing build, $MO if set, else
# build/_install/bin/mo, else the uninstalled build/mo.  Results go to
# tests/out/onnx-node/ (git-ignored): results.json, results.md.
#   tests/onnx/run-node-suite.sh                  every case, both sides
#   tests/onnx/run-node-suite.sh --update-doc     ... and the table into docs/onnx.md
#   tests/onnx/run-node-suite.sh --ci             the cases of tests/onnx/ci_cases.txt;
#                                                 exit 1 if one expected to pass fails
# Any other node_suite.py option passes through (--filter GLOB, --jobs N, -v, ...).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${MO_VENV_DIR:-$top/.venv}

# the venv that has both onnx (to read the TensorProto data) and openvino
py=
for v in onnx ov; do
    if [ -x "$dir/$v/bin/python" ] &&
       "$dir/$v/bin/python" -c 'import onnx, openvino' >/dev/null 2>&1; then
        py=$dir/$v/bin/python
        break
    fi
done
if [ -z "$py" ]; then
    echo "run-node-suite.sh: no venv in $dir has both onnx and openvino;" \
         "run tests/setup-venvs.sh onnx (or set MO_VENV_DIR)" >&2
    exit 2
fi
[ -d /usr/share/libonnx-testdata/data/node ] ||
    { echo "run-node-suite.sh: the test data is missing; run tests/onnx/install-testdata.sh" >&2; exit 2; }

mo=${MO:-}
if [ -z "$mo" ]; then
    for m in "$top/build/_install/bin/mo" "$top/build/mo"; do
        if [ -x "$m" ]; then mo=$m; break; fi
    done
fi
[ -n "$mo" ] || { mo=$top/build/_install/bin/mo; echo "run-node-suite.sh: no mo built; every 'ours' case will fail" >&2; }
exec "$py" "$top/tests/onnx/node_suite.py" --mo "$mo" "$@"
