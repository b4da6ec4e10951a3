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
# convert_ok LABEL MODEL OUTDIR [mo options]: mo converts MODEL into OUTDIR,
# which then holds model.xml and model.mapping (non-empty) and model.bin
# (empty when the IR has no constant); otherwise mo's output is shown and
# the test fails.  Needs scratch (the log goes to $T).
convert_ok() {
    _label=$1 _model=$2 _out=$3
    shift 3
    "$MO" --input_model "$_model" --output_dir "$_out" "$@" >"$T/log" 2>&1 ||
        { cat "$T/log"; fail "$_label did not convert"; }
    for _e in xml mapping; do
        [ -s "$_out/model.$_e" ] || fail "$_label: model.$_e missing"
    done
    [ -f "$_out/model.bin" ] || fail "$_label: model.bin missing"
}
