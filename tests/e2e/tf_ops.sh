#!/bin/sh
# tf_ops.sh - every TensorFlow translator, one tiny frozen graph per
# attribute variant (tests/fixtures/tf_ops, made by tests/gen/tf_ops.py with
# TensorFlow 2.21), plus cut-down keras.applications models: mo converts the
# binary model.pb and, where there is one, the text model.pbtxt; the real
# OpenVINO Runtime runs every IR, and the outputs must match TensorFlow's
# (max relative error 1e-4 unless the case's case.json says otherwise).
# All IRs are checked by one Python process (run_ir_many.py).
# TF_OPS_ONLY=GLOB (e.g. 'conv2d_*') checks only the cases it matches.
# TF_OPS_DIR=DIR checks the cases of another folder (tests/gen/tf_apps.py).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="${TF_OPS_DIR:-$top_srcdir/tests/fixtures/tf_ops}"
[ -d "$FIX" ] || fail "no fixtures in $FIX"
list="$T/list"
: >"$list"
conv_failed=0
n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    case=${dir##*/}
    # shellcheck disable=SC2254
    case $case in ${TF_OPS_ONLY:-*}) ;; *) continue ;; esac
    opts=
    [ -f "$dir/case.json" ] && opts=$(tr -d '\n' <"$dir/case.json")
    for f in model.pb model.pbtxt; do
        [ -f "$dir/$f" ] || continue
        fmt=${f#model.}
        out="$T/$case-$fmt"
        n=$((n + 1))
        if ! "$MO" --input_model "$dir/$f" --output_dir "$out" >"$out.log" 2>&1; then
            echo "FAIL $case ($fmt): conversion: $(grep -m1 ERROR "$out.log" || tail -n1 "$out.log")"
            conv_failed=$((conv_failed + 1))
            continue
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$case ($fmt)" "$out/model.xml" "$dir/inputs.npz" \
            "$dir/reference.npz" "$opts" >>"$list"
    done
done
[ "$n" -gt 0 ] || fail "no models under $FIX"
rc=0
"$OV_PY" "$top_srcdir/tests/e2e/run_ir_many.py" "$list" || rc=$?
[ "$rc" -le 1 ] || fail "run_ir_many.py could not run (status $rc)"
echo "tf_ops: $n models, $conv_failed did not convert"
[ "$rc" -eq 0 ] && [ "$conv_failed" -eq 0 ] || fail "TensorFlow op fixtures differ from TensorFlow (above)"
echo "PASS"
