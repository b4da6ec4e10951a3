#!/bin/sh
# transpose_sink.sh - the layout Transposes of NHWC models (core/passes/
# transpose_sink.c) on the Paddle NHWC fixtures, both formats: each model is
# converted with and without --disable_transpose_sinking.  With sinking the
# IR never has more Transposes, and on nn_nhwc_chain (five NHWC convolutions
# and pools with Relu, a bias Add, Concat, Pad, a mean over H and W and a
# Reshape between them) only the three at the model's boundaries remain: the
# input's, the one before the Reshape (which sees NHWC order) and the one
# before the NHWC pooled output.  Both IRs run in the real OpenVINO Runtime
# and must match Paddle; the Results read values with the same names and
# the .mapping lists the same framework names.  --report counts the moves.
# Two TensorFlow fixtures keep only their input's Transpose.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/paddle_ops"
"$MO" --list_plugins 2>/dev/null | grep -q paddle || { echo "SKIP: no Paddle frontend"; exit 77; }
[ -d "$FIX/nn_nhwc_chain" ] || fail "no nn_nhwc_chain fixture"
count() { grep -c 'type="Transpose"' "$1/model.xml"; }
# the framework names the Results read, and those of the .mapping
outs() {
    "$OV_PY" - "$1/model.xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
layers = {l.get("id"): l for l in r.iter("layer")}
edges = {(e.get("to-layer"), e.get("to-port")): (e.get("from-layer"), e.get("from-port"))
         for e in r.iter("edge")}
names = []
for l in layers.values():
    if l.get("type") == "Result":
        fl, fp = edges[(l.get("id"), "0")]
        for p in layers[fl].iter("port"):
            if p.get("id") == fp:
                names.append(p.get("names") or "")
print(" ".join(sorted(names)))
PYEOF
}
fwnames() { grep -o 'framework name="[^"]*"' "$1/model.mapping" | sort -u; }
list="$T/list"
: >"$list"
n=0
for dir in "$FIX"/*nhwc*/; do
    dir=${dir%/}
    case=${dir##*/}
    for f in legacy/model.pdmodel pir/model.json; do
        [ -f "$dir/$f" ] || continue
        fmt=${f%%/*}
        on="$T/$case-$fmt" off="$T/$case-$fmt-off"
        convert_ok "$case ($fmt)" "$dir/$f" "$on"
        convert_ok "$case ($fmt, off)" "$dir/$f" "$off" --disable_transpose_sinking
        a=$(count "$off") b=$(count "$on")
        echo "$case ($fmt): $a -> $b Transposes"
        [ "$b" -le "$a" ] || fail "$case ($fmt): sinking added Transposes ($a -> $b)"
        [ "$(outs "$on")" = "$(outs "$off")" ] ||
            fail "$case ($fmt): the outputs' names changed: '$(outs "$off")' -> '$(outs "$on")'"
        fwnames "$off" >"$T/a" && fwnames "$on" >"$T/b"
        cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b"; fail "$case ($fmt): the .mapping lost names"; }
        if [ "$case" = nn_nhwc_chain ]; then
            [ "$a" -ge 8 ] && [ "$b" -eq 3 ] ||
                fail "$case ($fmt): $a -> $b Transposes, want >= 8 -> 3"
        fi
        for o in "$on" "$off"; do
            printf '%s\t%s\t%s\t%s\t\n' "$case ($fmt${o##*"$fmt"})" "$o/model.xml" "$dir/inputs.npz" \
                "$dir/reference.npz" >>"$list"
        done
        n=$((n + 1))
    done
done
[ "$n" -ge 20 ] || fail "only $n NHWC models"
# --layout moves the input's boundary: the Transpose it adds cancels with
# the first convolution's, the input is NCHW and fed transposed
CH="$FIX/nn_nhwc_chain"
convert_ok "layout" "$CH/legacy/model.pdmodel" "$T/layout" --layout "x0(nhwc->nchw)"
[ "$(count "$T/layout")" -eq 2 ] || fail "--layout nhwc->nchw: $(count "$T/layout") Transposes, want 2"
"$OV_PY" -c 'import sys, numpy as np
a = np.load(sys.argv[1]); np.savez(sys.argv[2], x0=a["x0"].transpose(0, 3, 1, 2))' \
    "$CH/inputs.npz" "$T/in_nchw.npz" || fail "transposing the input failed"
run_ir "$T/layout/model.xml" "$T/in_nchw.npz" "$CH/reference.npz" || fail "--layout IR differs from Paddle"
# --report counts the moves and the cancelled pairs
convert_ok "report" "$FIX/nn_nhwc_chain/legacy/model.pdmodel" "$T/report" --report "$T/report.json"
"$OV_PY" - "$T/report.json" <<'PYEOF' || fail "--report lacks the transpose_sinking counts"
import json, sys
p = json.load(open(sys.argv[1]))["passes"]["transpose_sinking"]
assert p["cancelled_pairs"] >= 3 and p["moved_through"] >= 3, p
PYEOF
# TensorFlow: keras.applications' building blocks (bias under padding,
# batch norm, Cropping2D, pools, a squeeze-excite block's Reshape to
# [N, 1, 1, C], residual Adds) keep only the input's Transpose; an output
# [N, classes] needs none
TFX="$top_srcdir/tests/fixtures/tf_ops"
for case in keras_layout mobilenet_v2; do
    d="$TFX/$case"
    [ -f "$d/model.pb" ] || fail "no TensorFlow fixture $case"
    convert_ok "tf $case" "$d/model.pb" "$T/tf-$case"
    [ "$(count "$T/tf-$case")" -eq 1 ] || fail "tf $case: $(count "$T/tf-$case") Transposes, want 1"
    printf '%s\t%s\t%s\t%s\t\n' "tf $case" "$T/tf-$case/model.xml" "$d/inputs.npz" "$d/reference.npz" >>"$list"
done
# --layout on a TF input: its Transpose cancels with the first convolution's,
# none is left, and the IR takes NCHW; --source_layout nhwc --target_layout
# nchw says the same in two options
"$OV_PY" -c 'import sys, numpy as np
a = np.load(sys.argv[1]); np.savez(sys.argv[2], x=a["x"].transpose(0, 3, 1, 2))' \
    "$TFX/mobilenet_v2/inputs.npz" "$T/tf_nchw.npz" || fail "transposing the input failed"
for how in layout split; do
    if [ $how = layout ]; then set -- --layout "x(nhwc->nchw)"; else set -- --source_layout nhwc --target_layout nchw; fi
    convert_ok "tf $how" "$TFX/mobilenet_v2/model.pb" "$T/tf-$how" "$@"
    [ "$(count "$T/tf-$how")" -eq 0 ] || fail "tf mobilenet_v2 $*: $(count "$T/tf-$how") Transposes, want 0"
    grep -A1 'name="x" type="Parameter"' "$T/tf-$how/model.xml" | grep -q 'shape="1,3,32,32"' ||
        fail "tf $how: the input is not NCHW [1,3,32,32]"
    printf '%s\t%s\t%s\t%s\t\n' "tf mobilenet_v2 $*" "$T/tf-$how/model.xml" "$T/tf_nchw.npz" \
        "$TFX/mobilenet_v2/reference.npz" >>"$list"
done
rc=0
"$OV_PY" "$top_srcdir/tests/e2e/run_ir_many.py" "$list" || rc=$?
[ "$rc" -eq 0 ] || fail "IRs differ from Paddle (above)"
echo "PASS"
