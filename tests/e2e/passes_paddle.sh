#!/bin/sh
# passes_paddle.sh - the framework-agnostic options end to end on a real
# Paddle model (issue 4: "the same tests run for every later frontend"),
# in both formats: the ProgramDesc .pdmodel and Paddle 3's PIR model.json.
# The classify fixture (tests/gen/paddle_models.py) has a 3-channel image
# input x and a first convolution, so every preprocessing option applies.
# Each IR runs in the real OpenVINO Runtime on the input preprocessed the
# same way in numpy (passes_prep.py) and is compared with Paddle's own
# outputs: max relative error <= 1e-4 in FP32, <= 1e-2 in FP16.  Every bad
# option -> numbered error (docs/faq.md), non-zero exit, nothing written.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/paddle/classify"
[ -f "$FX/legacy/model.pdmodel" ] && [ -f "$FX/pir/model.json" ] || { echo "SKIP: no Paddle fixtures"; exit 77; }
"$MO" --list_plugins 2>/dev/null | grep -q paddle || { echo "SKIP: no Paddle frontend"; exit 77; }
INPUTS="$FX/inputs.npz" REF="$FX/reference.npz"
. "$top_srcdir/tests/e2e/passes_lib.sh"
TILE="$top_srcdir/tests/e2e/passes_tile.py"
PD_PY="$MO_VENV_DIR/paddle/bin/python"
# the batch overrides: the one-sample input and reference repeated twice
"$OV_PY" "$TILE" "$INPUTS" "$T/in2.npz" 2 && "$OV_PY" "$TILE" "$REF" "$T/ref2.npz" 2 ||
    fail "tiling the fixture for batch 2 failed"
node_ref=""

for fmt in legacy pir; do
    case $fmt in
    legacy) MODEL="$FX/legacy/model.pdmodel" ;;
    pir) MODEL="$FX/pir/model.json" ;;
    esac
    INPUTS="$FX/inputs.npz" REF="$FX/reference.npz"
    f=$fmt
    convert "$f-plain" 1e-4 --
    x=$(layer_name "$f-plain" Parameter)
    [ -n "$x" ] || fail "$f: no Parameter in the IR"

    # preprocessing: plain and name[...] forms, reversed channels, --scale
    convert "$f-mean" 1e-4 --mean 123,117,104 -- --mean_values [123,117,104]
    convert "$f-scale" 1e-4 --scale 58,57,57 -- --scale_values "$x[58,57,57]"
    [ "$(layers "$f-scale" Multiply)" = 0 ] || fail "$f: scale values not folded into the first convolution"
    convert "$f-mean_scale" 1e-4 --mean 123,117,104 --scale 58,57,57 -- \
        --mean_values [123,117,104] --scale_values [58,57,57]
    convert "$f-mean_scale_rev" 1e-4 --mean 123,117,104 --scale 58,57,57 --reverse -- \
        --mean_values "$x[123,117,104]" --scale_values "$x[58,57,57]" --reverse_input_channels
    [ "$(layers "$f-mean_scale_rev" Gather)" = 0 ] || fail "$f: reversed channels not folded into the first convolution"
    [ "$(layers "$f-mean_scale_rev" Multiply)" = 0 ] || fail "$f: scale values not folded into the first convolution"
    convert "$f-rev" 1e-4 --reverse -- --reverse_input_channels
    convert "$f-gscale" 1e-4 --global-scale 255 -- --scale 255

    # shapes: the model's batch is dynamic (-1); each override makes it static
    convert "$f-input_shape" 1e-4 -- --input_shape [1,3,16,16]
    grep -q 'shape="1,3,16,16"' "$T/$f-input_shape/m.xml" || fail "$f: --input_shape not applied"
    convert "$f-inline" 1e-4 -- --input "$x[1,3,16,16]"
    grep -q 'shape="1,3,16,16"' "$T/$f-inline/m.xml" || fail "$f: --input $x[...] not applied"
    INPUTS="$T/in2.npz" REF="$T/ref2.npz"
    convert "$f-batch" 1e-4 -- --batch 2
    grep -q 'shape="2,3,16,16"' "$T/$f-batch/m.xml" || fail "$f: --batch 2 not applied"
    convert "$f-input_shape2" 1e-4 -- --input_shape [2,3,16,16]
    convert "$f-inline2" 1e-4 -- --input "$x[2,3,16,16]{f32}"
    grep -q 'shape="2,3,16,16"' "$T/$f-inline2/m.xml" || fail "$f: --input $x[2,...]{f32} not applied"
    convert "$f-batch_mean_rev" 1e-4 --mean 1,2,3 --reverse -- -b 2 --mean_values [1,2,3] --reverse_input_channels
    INPUTS="$FX/inputs.npz" REF="$FX/reference.npz"

    # precision
    convert "$f-fp16" 1e-2 -- --compress_to_fp16
    grep -q 'name="decompression"' "$T/$f-fp16/m.xml" || fail "$f: fp16: no decompression Convert"
    grep -q 'element_type="f16"' "$T/$f-fp16/m.xml" || fail "$f: fp16: no f16 constant"

    # optimizations off: other layers, same results
    convert "$f-nofuse" 1e-4 -- --disable_fusing
    [ "$(all_layers "$f-nofuse")" != "$(all_layers "$f-plain")" ] ||
        fail "$f: --disable_fusing gives the same $(all_layers "$f-plain") layers as fusing"
    [ "$(all_layers "$f-nofuse")" -gt "$(all_layers "$f-plain")" ] || fail "$f: fusing added layers"
    convert "$f-nofuse_mean" 1e-4 --scale 58,57,57 -- --disable_fusing --scale_values [58,57,57]
    [ "$(layers "$f-nofuse_mean" Multiply)" -ge 1 ] || fail "$f: --disable_fusing still folded the scale"

    # --report FILE.json: valid JSON, layer counts before and after
    convert "$f-report" 1e-4 -- --report "$T/$f-report.json"
    "$OV_PY" - "$T/$f-report.json" "$(all_layers "$f-report")" <<'PYEOF' || fail "$f: report content"
import json, sys
r = json.load(open(sys.argv[1]))
b, a = r["before"]["by_type"], r["after"]["by_type"]
assert b and a, r
assert a.get("Parameter") == 1 and a.get("Result") == 1, a
assert sum(a.values()) == int(sys.argv[2]), (a, sys.argv[2])
assert sum(a.values()) <= sum(b.values()), (b, a)
assert r["total_seconds"] > 0 and r["peak_memory_mb"] >= 0 and r["ir"]["xml"].endswith("m.xml"), r
PYEOF

    # --output cuts the graph at the first Relu: a Result there, the rest gone
    relu=$(layer_name "$f-plain" Relu)
    [ -n "$relu" ] || fail "$f: no Relu in the IR"
    out="$T/$f-cut"
    "$MO" --input_model "$MODEL" --output_dir "$out" --model_name m --output "$relu" >"$out.log" 2>&1 ||
        { cat "$out.log"; fail "$f: --output $relu failed"; }
    [ "$(layers "$f-cut" Result)" = 1 ] || fail "$f: --output $relu: not one Result"
    grep -q "name=\"$relu/sink_port_0\" type=\"Result\"" "$out/m.xml" || fail "$f: no Result at $relu"
    for ty in MaxPool GroupConvolution MatMul Softmax; do
        [ "$(layers "$f-cut" $ty)" = 0 ] || fail "$f: --output $relu left a $ty behind it"
    done
    [ "$(layers "$f-cut" Convolution)" = 1 ] || fail "$f: --output $relu lost the first convolution"
    # Paddle's own value of that variable (the ProgramDesc names it as the IR does)
    if [ "$fmt" = legacy ] && [ -x "$PD_PY" ]; then
        FLAGS_enable_pir_api=0 GLOG_minloglevel=2 "$PD_PY" "$top_srcdir/tests/e2e/passes_paddle_node.py" \
            "$FX/legacy/model" "$FX/inputs.npz" "$relu" "$T/node_ref.npz" >"$T/node_ref.log" 2>&1 &&
            node_ref="$T/node_ref.npz" || { cat "$T/node_ref.log"; fail "Paddle could not compute $relu"; }
    fi
    if [ -n "$node_ref" ]; then
        run_ir "$out/m.xml" "$FX/inputs.npz" "$node_ref" --rtol 1e-4 --quiet ||
            fail "$f: --output $relu differs from Paddle's value of it"
    else
        echo "note: no Paddle venv; --output checked on the IR structure only"
    fi
    n=$((n + 1))

    # bad options
    bad 15 --input nosuch
    bad 15 --output nosuch
    bad 15 --mean_values "nosuch[1,2,3]"
    bad 19 --mean_values "$x[1,2]"
    bad 19 --mean_values [1,2,3],[4,5,6]
    bad 19 --scale_values "$x[1,2,3,4]"
    bad 14 --input_shape [1,3,16]
    bad 14 --input "$x[1,3,16]"
    bad 13 --batch -1
    bad 13 -b -3
    bad 13 --batch 2 --input_shape [1,3,16,16]
    bad 20 --finegrain_fusing 'conv(('
done
echo "PASS: $n Paddle conversions and bad-option cases (legacy and PIR)"
