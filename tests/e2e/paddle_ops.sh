#!/bin/sh
# paddle_ops.sh - every Paddle translator, one tiny model per attribute
# variant (tests/fixtures/paddle_ops, made by tests/gen/paddle_ops.py with
# Paddle 3.3), in both formats: mo converts the ProgramDesc .pdmodel and the
# PIR model.json, the real OpenVINO Runtime runs both IRs, and the outputs
# must match Paddle's (max relative error 1e-4 unless the case's case.json
# says otherwise, with the reason).  A case whose case.json has "xfail" is a
# known mismatch: reported, not counted.  All IRs are checked by one Python
# process (run_ir_many.py): one interpreter start for hundreds of models.
# PADDLE_OPS_ONLY=GLOB (e.g. 'math_*') checks only the cases it matches.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/paddle_ops"
[ -d "$FIX" ] || fail "no fixtures in $FIX"
list="$T/list"
: >"$list"
conv_failed=0
n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    case=${dir##*/}
    # shellcheck disable=SC2254
    case $case in ${PADDLE_OPS_ONLY:-*}) ;; *) continue ;; esac
    opts=
    [ -f "$dir/case.json" ] && opts=$(tr -d '\n' <"$dir/case.json")
    for f in legacy/model.pdmodel pir/model.json; do
        [ -f "$dir/$f" ] || continue
        fmt=${f%%/*}
        out="$T/$case-$fmt"
        n=$((n + 1))
        if ! "$MO" --input_model "$dir/$f" --output_dir "$out" --log_level DEBUG >"$out.log" 2>&1; then
            case $opts in
            *'"xfail"'*) echo "XFAIL $case ($fmt): conversion: $(grep -m1 ERROR "$out.log")" ;;
            *) echo "FAIL $case ($fmt): conversion: $(grep -m1 ERROR "$out.log" || tail -n1 "$out.log")"
               conv_failed=$((conv_failed + 1)) ;;
            esac
            continue
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$case ($fmt)" "$out/model.xml" "$dir/inputs.npz" \
            "$dir/reference.npz" "$opts" >>"$list"
    done
done
[ "$n" -gt 0 ] || fail "no models under $FIX"
# every translator the frontend registers converts at least one fixture
# (in either format), but those of operators no Paddle release we can run
# still has (their v2 twins are tested; the names stay for old models)
if [ -z "${PADDLE_OPS_ONLY:-}" ]; then
    no_fixture="one_hot sync_batch_norm bicubic_interp linear_interp trilinear_interp"
    cat "$T"/*.log | sed -n "s/.*paddle layer type '\([a-z0-9_]*\)' is converted by.*/\1/p" |
        sort -u >"$T/used"
    grep -ho '{"[a-z0-9_]*", *tr_[a-z0-9_]*}' "$top_srcdir"/plugins/paddle/tr_*.c |
        sed 's/{"\([a-z0-9_]*\)".*/\1/' | sort -u >"$T/registered"
    untested=
    for op in $(comm -23 "$T/registered" "$T/used"); do
        case " $no_fixture " in *" $op "*) ;; *) untested="$untested $op" ;; esac
    done
    [ -z "$untested" ] || fail "registered translators no fixture converts:$untested"
    echo "paddle_ops: $(wc -l <"$T/registered") registered translators, $(wc -l <"$T/used") used by the fixtures"
fi
rc=0
"$OV_PY" "$top_srcdir/tests/e2e/run_ir_many.py" "$list" || rc=$?
[ "$rc" -le 1 ] || fail "run_ir_many.py could not run (status $rc)"
echo "paddle_ops: $n models, $conv_failed did not convert"
[ "$rc" -eq 0 ] && [ "$conv_failed" -eq 0 ] || fail "Paddle op fixtures differ from Paddle (above)"
echo "PASS"
