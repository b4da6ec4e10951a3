#!/bin/sh
# tf_flow.sh - TensorFlow control flow (tests/fixtures/tf_flow, made by
# tests/gen/tf_flow.py with TensorFlow 2.21): tf.while_loop, tf.cond,
# TensorArray and Keras RNN layers, both as functional While/If (NAME_fn)
# and lowered to TF1 frames and Switch/Merge (NAME_v1, tf1_*).  Each IR
# must hold the control-flow ops expect.txt names (a Loop, an If: not an
# unrolled loop nor a Select over both branches) and match TensorFlow in
# the OpenVINO Runtime at f32.  TF_FLOW_ONLY=GLOB checks only some cases.
# tests/fixtures/tf_flow_bad: a While naming no library function, a TF1
# frame without its Switch must each fail with one clear error.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/tf_flow"
[ -d "$FIX" ] || fail "no fixtures in $FIX"
list="$T/list"
: >"$list"
bad=0
n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    case=${dir##*/}
    # shellcheck disable=SC2254
    case $case in ${TF_FLOW_ONLY:-*}) ;; *) continue ;; esac
    out="$T/$case"
    n=$((n + 1))
    src="--input_model $dir/model.pb"
    [ -f "$dir/saved_model.pb" ] && src="--saved_model_dir $dir"
    # shellcheck disable=SC2086
    if ! "$MO" $src --output_dir "$out" --model_name model >"$out.log" 2>&1; then
        echo "FAIL $case: conversion: $(grep -m1 ERROR "$out.log" || tail -n1 "$out.log")"
        bad=$((bad + 1))
        continue
    fi
    missing=
    for op in $(cat "$dir/expect.txt"); do
        grep -q "type=\"$op\"" "$out/model.xml" || missing="$missing $op"
    done
    if [ -n "$missing" ]; then
        echo "FAIL $case: the IR has no$missing"
        bad=$((bad + 1))
        continue
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$case" "$out/model.xml" "$dir/inputs.npz" "$dir/reference.npz" "" >>"$list"
done
[ "$n" -gt 0 ] || fail "no models under $FIX"
# broken control flow: one [ ERROR ] line naming the node, nothing written
for f in "$top_srcdir"/tests/fixtures/tf_flow_bad/*.pbtxt; do
    b=${f##*/}
    b=${b%.pbtxt}
    if "$MO" --input_model "$f" --output_dir "$T/bad-$b" >"$T/bad-$b.log" 2>&1; then
        echo "FAIL $b: converted"
        bad=$((bad + 1))
    elif [ -e "$T/bad-$b/model.xml" ] || ! grep -q "ERROR.*'[wm]'" "$T/bad-$b.log"; then
        echo "FAIL $b: $(head -n1 "$T/bad-$b.log")"
        bad=$((bad + 1))
    fi
done
rc=0
[ -s "$list" ] && { "$OV_PY" "$top_srcdir/tests/e2e/run_ir_many.py" "$list" || rc=$?; }
[ "$rc" -le 1 ] || fail "run_ir_many.py could not run (status $rc)"
echo "tf_flow: $n models, $bad did not convert or lack their Loop/If"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] || fail "TensorFlow control-flow fixtures differ from TensorFlow (above)"
echo "PASS"
