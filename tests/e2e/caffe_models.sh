#!/bin/sh
# caffe_models.sh - every Caffe translator, one tiny model per layer and
# setting, and small nets (CaffeNet-like, a ResNet block with BatchNorm +
# Scale, a SqueezeNet fire module, a MobileNet depthwise block, a net in the
# legacy `layers` form) from tests/fixtures/caffe (tests/gen/caffe_models.py:
# written with protobuf from Caffe's published format, references from
# OpenCV's dnn module, or numpy where case.json says "ref": "numpy").  mo
# converts model.caffemodel with the model.prototxt beside it (the default;
# the net_* cases pass it with -d), the real OpenVINO Runtime runs every IR,
# and the outputs must match (max relative error 1e-4).
# CAFFE_ONLY=GLOB checks only the cases it matches.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/caffe"
[ -d "$FIX" ] || fail "no fixtures in $FIX"
list="$T/list"
: >"$list"
conv_failed=0
det_failed=0
n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    case=${dir##*/}
    # shellcheck disable=SC2254
    case $case in ${CAFFE_ONLY:-*}) ;; *) continue ;; esac
    opts=
    [ -f "$dir/case.json" ] && opts=$(tr -d '\n' <"$dir/case.json")
    out="$T/$case"
    n=$((n + 1))
    set -- --input_model "$dir/model.caffemodel"
    case $case in net_*) set -- "$@" -d "$dir/model.prototxt" ;; esac
    if ! "$MO" "$@" --output_dir "$out" >"$out.log" 2>&1; then
        echo "FAIL $case: conversion: $(grep -m1 ERROR "$out.log" || tail -n1 "$out.log")"
        conv_failed=$((conv_failed + 1))
        continue
    fi
    case $case in
    ssd_*)
        # detections: compared as sets (caffe_detections.py)
        if "$OV_PY" "$top_srcdir/tests/e2e/caffe_detections.py" "$out/model.xml" "$dir/inputs.npz" \
            "$dir/reference.npz" >"$out.cmp" 2>&1; then
            echo "PASS $case: $(tail -n1 "$out.cmp")"
        else
            echo "FAIL $case: $(tail -n1 "$out.cmp")"
            det_failed=$((det_failed + 1))
        fi
        continue ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$case" "$out/model.xml" "$dir/inputs.npz" "$dir/reference.npz" "$opts" >>"$list"
done
[ "$n" -gt 0 ] || fail "no models under $FIX"
rc=0
if [ -s "$list" ]; then
    "$OV_PY" "$top_srcdir/tests/e2e/run_ir_many.py" "$list" || rc=$?
fi
[ "$rc" -le 1 ] || fail "run_ir_many.py could not run (status $rc)"
echo "caffe_models: $n models, $conv_failed did not convert"
# --input_shape overrides the prototxt's input_shape
if [ -z "${CAFFE_ONLY:-}" ]; then
    "$MO" --input_model "$FIX/conv_basic/model.caffemodel" --input_shape "[2,3,10,12]" --output_dir "$T/reshaped" \
        >"$T/reshaped.log" 2>&1 || { cat "$T/reshaped.log"; fail "conv_basic with --input_shape did not convert"; }
    tr -d ' \t\n' <"$T/reshaped/model.xml" | grep -q '<dim>2</dim><dim>4</dim><dim>10</dim><dim>12</dim>' ||
        fail "conv_basic with --input_shape [2,3,10,12]: the IR's output is not [2,4,10,12]"
    echo "ok --input_shape [2,3,10,12] gives an output [2,4,10,12]"
    # -k CustomLayersMapping.xml keeps a layer as itself, its settings as attributes
    printf '<CustomLayersMapping>\n<CustomLayer NativeType="Foo" hasParam="true" protoParamName="relu_param"/>\n</CustomLayersMapping>\n' \
        >"$T/map.xml"
    printf 'input: "data"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: "a" type: "Foo" bottom: "data" top: "a" relu_param { negative_slope: 0.5 } }\nlayer { name: "r" type: "ReLU" bottom: "a" top: "r" }\n' \
        >"$T/foo.prototxt"
    "$MO" --input_model "$FIX/conv_basic/model.caffemodel" -d "$T/foo.prototxt" -k "$T/map.xml" --output_dir "$T/mapped" \
        >"$T/mapped.log" 2>&1 || { cat "$T/mapped.log"; fail "a mapped layer did not convert"; }
    tr -d '\t\n' <"$T/mapped/model.xml" | grep -q 'name="a" type="Foo" version="extension"><data negative_slope="0.5"/>' ||
        fail "the mapped layer Foo is not in the IR with its negative_slope"
    echo "ok -k CustomLayersMapping.xml: layer Foo kept, negative_slope=0.5"
fi
[ "$rc" -eq 0 ] && [ "$conv_failed" -eq 0 ] && [ "$det_failed" -eq 0 ] || fail "Caffe fixtures differ from their references (above)"
echo "PASS"
