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
# big_setup GIB LIMIT_MIB: the set-up of the tests that convert big models in
# a memory cgroup.  Skips (77) when $T (needs scratch) has under GIB GiB free
# or no memory cgroup can be made (root or a delegated cgroup, v1 or v2).
# Sets MEMCG (the cgroup runner) and limit_mib: LIMIT_MIB, or twice that
# under AddressSanitizer, which keeps freed blocks in a quarantine (256 MiB
# by default, cut to 8 here) and adds shadow memory and redzones.
big_setup() {
    _gib=$1 limit_mib=$2
    trap 'exit 1' INT TERM HUP  # so the EXIT trap removes the scratch directory
    _avail=$(df -Pk "$T" | awk 'NR == 2 { print $4 }')
    if [ "${_avail:-0}" -lt $((_gib * 1024 * 1024)) ]; then
        echo "SKIP: $T's file system has $((${_avail:-0} / 1024)) MiB free; this test needs $_gib GiB" \
             "(set TMPDIR to a roomier place)"
        exit 77
    fi
    MEMCG="$OV_PY $top_srcdir/tests/e2e/memcg.py"
    _probe=$($MEMCG probe) || { echo "SKIP: $_probe"; exit 77; }
    echo "$_probe"
    # whatever links ASan answers help=1
    if ASAN_OPTIONS=help=1 "$MO" --version 2>&1 | grep -q AddressSanitizer; then
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8:malloc_context_size=4"
        export ASAN_OPTIONS
        limit_mib=$((limit_mib * 2))
        echo "AddressSanitizer build: quarantine 8 MiB, limit $limit_mib MiB"
    fi
}
# mo_in_cgroup MAX_RSS_MIB WHY mo-args...: mo in the cgroup of big_setup,
# which must succeed with a peak RSS under MAX_RSS_MIB (else: fail, saying
# WHY); sets rss (MiB).  The log goes to $T/mo.log.
mo_in_cgroup() {
    _max=$1 _why=$2
    shift 2
    $MEMCG run --limit-mib "$limit_mib" --label "mo" -- "$MO" "$@" >"$T/mo.log" 2>&1 ||
        { cat "$T/mo.log"; fail "mo failed in a $limit_mib MiB memory cgroup"; }
    _line=$(grep '^mo: ' "$T/mo.log")
    echo "$_line"
    rss=$(printf '%s\n' "$_line" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p')
    [ -n "$rss" ] || fail "no peak RSS in: $_line"
    awk -v r="$rss" -v m="$_max" 'BEGIN { exit !(r < m) }' || fail "peak RSS $rss MiB, over $_max MiB: $_why"
}
# bad_case NAME MODEL EXPECT OUTDIR: mo must refuse MODEL with exactly one
# [ ERROR ] line holding every line of the file EXPECT, a non-zero exit (no
# crash, no sanitizer report) and nothing in OUTDIR.  Prints ok/FAIL;
# returns 1 on a failure.  Needs scratch.
bad_case() {
    _name=$1 _model=$2 _expect=$3 _out=$4
    mkdir -p "$_out"
    "$MO" --input_model "$_model" --output_dir "$_out" > "$T/stdout" 2> "$T/stderr"
    _st=$?
    if [ $_st -eq 0 ]; then
        echo "FAIL: $_name: converted (exit 0)"; return 1
    fi
    if [ $_st -ge 126 ]; then
        echo "FAIL: $_name: crashed (exit $_st)"; cat "$T/stderr"; return 1
    fi
    if grep -q 'Sanitizer\|runtime error:' "$T/stderr"; then
        echo "FAIL: $_name: sanitizer report"; cat "$T/stderr"; return 1
    fi
    if [ -n "$(ls -A "$_out")" ]; then
        echo "FAIL: $_name: left files in the output directory: $(ls -A "$_out")"; return 1
    fi
    # one error line (plus the FAQ pointer MO prints after it)
    grep '^\[ ERROR \]' "$T/stderr" | grep -v 'For more information see' > "$T/errs"
    _errs=$(wc -l < "$T/errs")
    if [ "$_errs" -ne 1 ]; then
        echo "FAIL: $_name: expected one [ ERROR ] line, got $_errs:"; cat "$T/stderr"; return 1
    fi
    _line=$(cat "$T/errs")
    _ok=0
    while IFS= read -r _want; do
        [ -z "$_want" ] && continue
        case "$_line" in
            *"$_want"*) ;;
            *) echo "FAIL: $_name: error lacks '$_want': $_line"; _ok=1 ;;
        esac
    done < "$_expect"
    [ $_ok = 0 ] && echo "ok: $_name: $_line"
    return $_ok
}
