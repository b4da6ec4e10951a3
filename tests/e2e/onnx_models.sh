#!/bin/sh
# onnx_models.sh - every ONNX fixture (tests/gen/onnx_models.py) converted by
# mo, run in the real OpenVINO Runtime (f32) and compared with onnxruntime's
# outputs (max relative error 1e-4); then the framework-agnostic options on
# the cnn fixture: --input_shape, --batch, --output (a cut at an inner
# tensor, compared with onnxruntime's value of it), --mean_values and
# --scale_values (the raw input made in numpy so that the unprocessed
# model's reference applies, tests/e2e/passes_prep.py), --compress_to_fp16.
#
# XFAIL lists fixtures that are expected not to convert yet, each with the
# error it must fail with (a regex) and why.  A listed fixture failing in
# another way fails the test; one that converts and matches is an XPASS
# and fails the test too: take it off the list.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/onnx"
[ -d "$FX/cnn" ] || fail "no fixtures in $FX (run tests/gen/onnx_models.py)"
"$MO" --list_plugins 2>/dev/null | grep -q onnx || fail "the build's mo has no ONNX frontend"
PREP="$top_srcdir/tests/e2e/passes_prep.py"
TILE="$top_srcdir/tests/e2e/passes_tile.py"

# one line each: NAME;regex of the expected error;reason
XFAIL=""

xfail_of() { printf '%s\n' "$XFAIL" | while IFS=';' read -r n re why; do [ "$n" = "$1" ] && printf '%s;%s\n' "$re" "$why"; done; }

n=0 nx=0 rc=0
for d in "$FX"/*/; do
    m=$(basename "$d")
    [ "$m" = bad ] && continue
    [ -f "$d/reference.npz" ] || continue
    out="$T/$m"
    xf=$(xfail_of "$m")
    ok=1
    if "$MO" --input_model "$d/model.onnx" --output_dir "$out" >"$T/$m.log" 2>&1; then
        run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4 >"$T/$m.run" 2>&1 || ok=0
    else
        ok=0
    fi
    if [ -z "$xf" ]; then
        if [ $ok = 1 ]; then
            sed 's/^/  /' "$T/$m.run"
            echo "ok: $m"
            n=$((n + 1))
        else
            cat "$T/$m.log" "$T/$m.run" 2>/dev/null
            echo "FAIL: $m: did not convert, or its IR's outputs differ from onnxruntime's"
            rc=1
        fi
        continue
    fi
    re=${xf%%;*} why=${xf#*;}
    if [ $ok = 1 ]; then
        echo "XPASS: $m converts and matches now: take it off XFAIL in $0"
        rc=1
    elif grep -Eq "$re" "$T/$m.log"; then
        echo "XFAIL: $m ($why): $(grep -m1 ERROR "$T/$m.log")"
        nx=$((nx + 1))
    else
        cat "$T/$m.log" "$T/$m.run" 2>/dev/null
        echo "FAIL: $m: expected to fail with /$re/ ($why), failed otherwise"
        rc=1
    fi
done
[ $((n + nx)) -ge 8 ] || fail "only $((n + nx)) fixtures under $FX"
[ $rc = 0 ] || exit 1

# --- the options, on cnn ----------------------------------------------------
C="$FX/cnn"
MODEL="$C/model.onnx"
# opt NAME TOL INPUTS REF [--prep PREP-ARGS --] MO-ARGS: convert, run, compare
opt() {
    name=$1 tol=$2 in=$3 ref=$4
    shift 4
    out="$T/opt-$name"
    if [ "${1:-}" = --prep ]; then
        shift
        prep=""
        while [ "$1" != "--" ]; do prep="$prep $1"; shift; done
        shift
        # shellcheck disable=SC2086
        "$OV_PY" "$PREP" "$in" "$T/$name-in.npz" $prep || fail "$name: preprocessing the input failed"
        in="$T/$name-in.npz"
    fi
    "$MO" --input_model "$MODEL" --output_dir "$out" "$@" >"$out.log" 2>&1 ||
        { cat "$out.log"; fail "$MODEL $name ($*): conversion failed"; }
    run_ir "$out/model.xml" "$in" "$ref" --rtol "$tol" --quiet ||
        fail "$MODEL $name ($*): the IR's output differs from the reference (tolerance $tol)"
    echo "ok: $(basename "$(dirname "$MODEL")") $name${*:+ ($*)}"
    n=$((n + 1))
}
layers() { grep -c "type=\"$2\"" "$T/opt-$1/model.xml"; }

"$OV_PY" "$TILE" "$C/inputs.npz" "$T/in2.npz" 2 && "$OV_PY" "$TILE" "$C/reference.npz" "$T/ref2.npz" 2 ||
    fail "tiling the cnn fixture for batch 2 failed"
opt input_shape 1e-4 "$T/in2.npz" "$T/ref2.npz" --input_shape [2,3,16,16]
grep -q 'shape="2,3,16,16"' "$T/opt-input_shape/model.xml" || fail "--input_shape [2,3,16,16] not applied"
opt batch 1e-4 "$T/in2.npz" "$T/ref2.npz" --batch 2
grep -q 'shape="2,3,16,16"' "$T/opt-batch/model.xml" || fail "--batch 2 not applied"
opt inline 1e-4 "$T/in2.npz" "$T/ref2.npz" --input 'x[2,3,16,16]'
grep -q 'shape="2,3,16,16"' "$T/opt-inline/model.xml" || fail "--input x[2,3,16,16] not applied"

# the dynamic batch of dyn: kept dynamic, or made static by an override
D="$FX/dyn"
MODEL="$D/model.onnx"
opt dyn 1e-4 "$D/inputs.npz" "$D/reference.npz"
grep -q 'shape="?,3,16,16"' "$T/opt-dyn/model.xml" || fail "dyn: the batch dim 'N' is not dynamic in the IR"
opt dyn_batch 1e-4 "$D/inputs.npz" "$D/reference.npz" -b 2
grep -q 'shape="2,3,16,16"' "$T/opt-dyn_batch/model.xml" || fail "dyn: -b 2 not applied"
MODEL="$C/model.onnx"

# --output at the first Relu's tensor: a Result there, the rest cut away
opt cut 1e-4 "$C/inputs.npz" "$C/cut.npz" --output relu1
[ "$(layers cut Result)" = 1 ] || fail "--output relu1: not one Result"
for ty in MaxPool MatMul; do
    [ "$(layers cut $ty)" = 0 ] || fail "--output relu1 left a $ty behind it"
done
[ "$(layers cut Convolution)" = 1 ] || fail "--output relu1 lost the first convolution"

# preprocessing: the IR computes model((raw - mean) / scale)
opt mean 1e-4 "$C/inputs.npz" "$C/reference.npz" --prep --mean 123,117,104 -- --mean_values [123,117,104]
opt mean_scale 1e-4 "$C/inputs.npz" "$C/reference.npz" --prep --mean 123,117,104 --scale 58,57,57 -- \
    --mean_values 'x[123,117,104]' --scale_values 'x[58,57,57]'
[ "$(layers mean_scale Multiply)" = 0 ] || fail "--scale_values not folded into the first convolution"
opt mean_scale_rev 1e-4 "$C/inputs.npz" "$C/reference.npz" --prep --mean 1,2,3 --scale 2,3,4 --reverse -- \
    --mean_values [1,2,3] --scale_values [2,3,4] --reverse_input_channels

# FP16 weights, f32 arithmetic: 1e-2 as the other frontends' fp16 tests
opt fp16 1e-2 "$C/inputs.npz" "$C/reference.npz" --compress_to_fp16
grep -q 'element_type="f16"' "$T/opt-fp16/model.xml" || fail "--compress_to_fp16: no f16 constant"
grep -q 'name="decompression"' "$T/opt-fp16/model.xml" || fail "--compress_to_fp16: no decompression Convert"

echo "PASS: $n ONNX conversions match onnxruntime ($nx expected failures)"
