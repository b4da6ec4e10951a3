# lib_ext.sh - shared by the tests/ext scripts (sourced, not run).
. "$top_srcdir/tests/e2e/lib.sh"
EXT_B="$top_builddir/tests/ext"
MODELS="$top_srcdir/tests/ext/models"
# the testfw frontend first, so these tests need no real framework
MO_PLUGIN_PATH="$EXT_B/fe${MO_PLUGIN_PATH:+:$MO_PLUGIN_PATH}"
export MO_PLUGIN_PATH
PY=$(command -v python3 || echo "$OV_PY")
# irq FILE.xml NAME: "type version attr=v ... | out=d,d" of layer NAME
irq() { "$PY" "$top_srcdir/tests/ext/irq.py" "$@"; }
# mo ARGS...: run mo, keep stdout+stderr in $T/log, status in $rc; a crash
# (status > 128: a signal) or a sanitizer report fails the test whatever
# the expectation was
run_mo() {
    rc=0
    "$MO" "$@" >"$T/log" 2>&1 || rc=$?
    [ "$rc" -lt 128 ] || { cat "$T/log"; fail "mo crashed (status $rc): mo $*"; }
    # sanitizer builds exit 1 on a finding, which an error case would accept
    ! grep -q "Sanitizer\|runtime error:" "$T/log" || { cat "$T/log"; fail "sanitizer report: mo $*"; }
}
expect_log() { grep -q -- "$1" "$T/log" || { cat "$T/log"; fail "expected in mo's output: $1"; }; }
reject_log() { ! grep -q -- "$1" "$T/log" || { cat "$T/log"; fail "unexpected in mo's output: $1"; }; }
# Whether this mo reads --k (CustomLayersMapping.xml): core/cli/main.c
# must call mo_context_load_mapping().
mapping_wired() {
    "$MO" --k "$T/no-such-mapping.xml" --list_plugins >"$T/wired" 2>&1
    grep -q "no-such-mapping.xml" "$T/wired"
}
