# lib.sh - shared by the end-to-end test scripts (sourced, not run).
# Exit 77 = skipped; when MO_REQUIRE_RUNTIME=1 (CI), a missing runtime fails.
set -u
: "${top_srcdir:?run through make check}"
OV_PY="$MO_VENV_DIR/ov/bin/python"
# Python run by the tests compiles IRs only through tests/ovrun.py (f32 on
# every CPU): make it importable from scripts embedded in the tests.
PYTHONPATH="$top_srcdir/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
need_runtime() {
    if [ ! -x "$OV_PY" ]; then
        if [ "${MO_REQUIRE_RUNTIME:-0}" = 1 ]; then
            echo "FAIL: no OpenVINO runtime venv at $MO_VENV_DIR/ov (run tests/setup-venvs.sh)"
            exit 1
        fi
        echo "SKIP: no OpenVINO runtime venv at $MO_VENV_DIR/ov"
        exit 77
    fi
}
# A fresh scratch directory removed on exit.
scratch() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/mo-e2e.XXXXXX")
    trap 'rm -rf "$T"' EXIT
}
fail() { echo "FAIL: $*"; exit 1; }
# run_ir MODEL.xml INPUTS.npz REF.npz [args]: real runtime vs reference
run_ir() { "$OV_PY" "$top_srcdir/tests/e2e/run_ir.py" "$@"; }
