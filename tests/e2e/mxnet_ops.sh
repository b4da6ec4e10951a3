#!/bin/sh
# mxnet_ops.sh - every MXNet translator, one tiny model per variant: convert
# with mo, run the IR in the real OpenVINO Runtime, compare with MXNet's own
# output (tests/fixtures/mxnet_ops, made by tests/gen/mxnet_ops.py).
# A case whose directory holds a file XFAIL (the reason inside) is a known
# mismatch: its failure is reported but not counted; if it passes, say so.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/mxnet_ops"
[ -d "$FIX" ] || fail "no fixtures in $FIX"
pass=0
failed=0
xfail=0
failures=
report() {
    if [ -f "$FIX/$1/XFAIL" ]; then
        echo "XFAIL $1: $2 (known: $(head -n1 "$FIX/$1/XFAIL"))"
        xfail=$((xfail + 1))
    else
        echo "FAIL $1: $2"
        failed=$((failed + 1))
        failures="$failures $1"
    fi
}
for dir in "$FIX"/*/; do
    dir=${dir%/}
    case=${dir##*/}
    if ! "$MO" --input_model "$dir/model-0000.params" --output_dir "$T/$case" \
            >"$T/$case.log" 2>&1; then
        report "$case" "conversion: $(grep -m1 ERROR "$T/$case.log" || tail -n1 "$T/$case.log")"
        continue
    fi
    if out=$(run_ir "$T/$case/model-0000.xml" "$dir/inputs.npz" "$dir/reference.npz" \
            --rtol 1e-4 2>&1); then
        [ -f "$dir/XFAIL" ] && echo "XPASS $case: listed as a known mismatch but matches now"
        echo "PASS $case: $(echo "$out" | sed -n 's/.*max_rel_err \([^ ]*\).*/\1/p' | sort -g | tail -n1 | sed 's/^/max_rel_err /')"
        pass=$((pass + 1))
    else
        report "$case" "runtime: $(echo "$out" | grep -v '^ *$' | tail -n 2 | tr '\n' ' ')"
    fi
done
echo "mxnet_ops: $pass passed, $failed failed, $xfail known mismatches"
[ "$failed" -eq 0 ] || { echo "failed:$failures"; exit 1; }
