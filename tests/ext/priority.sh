#!/bin/sh
# priority.sh - one layer type at three tiers: mapping > extension > standard (seed 004).
#
# testfw "relu" is converted by the testfw frontend's standard translator
# (IR Relu), by tests/ext/prio's extension (IR Clamp) and, when the
# CustomLayersMapping.xml names it, kept as a custom layer "relu".  Removing
# the higher tier each time must hand the layer to the next one; both the
# DEBUG log and the IR must say so.
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
M="$MODELS/relu.tfw"
cat >"$T/CustomLayersMapping.xml" <<XML
<CustomLayersMapping>
    <CustomLayer NativeType="relu" hasParam="true" protoParamName="relu_param"/>
</CustomLayersMapping>
XML

skipped=""
if mapping_wired; then
    run_mo --k "$T/CustomLayersMapping.xml" --extensions "$EXT_B/prio" --input_model "$M" \
        --output_dir "$T/map" --log_level DEBUG
    [ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with mapping + extension failed"; }
    expect_log "testfw layer type 'relu' is converted by the CustomLayersMapping.xml of '$T/CustomLayersMapping.xml'"
    got=$(irq "$T/map/relu.xml" r1)
    case "$got" in
    "relu extension negative_slope=0.1 mode=fast | in=1,3,4,4 out=1,3,4,4") ;;
    *) fail "mapping tier: r1 is '$got'" ;;
    esac
    echo "ok: mapping wins over extension and standard: $got"
else
    skipped="this mo does not read --k yet (core/cli/main.c must call mo_context_load_mapping)"
fi

run_mo --extensions "$EXT_B/prio" --input_model "$M" --output_dir "$T/ext" --log_level DEBUG
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with the extension failed"; }
expect_log "testfw layer type 'relu' is converted by the extension of 'prio_ext' (rank 0)"
got=$(irq "$T/ext/relu.xml" r1)
case "$got" in
"Clamp opset1 min=0 max="*"| in=1,3,4,4 out=1,3,4,4") ;;
*) fail "extension tier: r1 is '$got'" ;;
esac
echo "ok: without the mapping the extension wins: $got"

run_mo --extensions "" --input_model "$M" --output_dir "$T/std" --log_level DEBUG
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion without extensions failed"; }
expect_log "testfw layer type 'relu' is converted by the standard translator of 'testfw' (rank 0)"
got=$(irq "$T/std/relu.xml" r1)
[ "$got" = "Relu opset1  | in=1,3,4,4 out=1,3,4,4" ] || fail "standard tier: r1 is '$got'"
echo "ok: without the extension the standard translator converts it: $got"

# the tier decides, not the order the modules were found in: the extension
# directory listed after the frontend's changes nothing
run_mo --extensions "$EXT_B/fe,$EXT_B/prio" --input_model "$M" --output_dir "$T/order" --log_level DEBUG
expect_log "is converted by the extension of 'prio_ext'"
[ "$(irq "$T/order/relu.xml" r1)" = "$(irq "$T/ext/relu.xml" r1)" ] || fail "load order changed the IR"
echo "ok: load order does not matter"

# the standard and extension IRs compute the same thing in the real runtime
if [ -x "$OV_PY" ]; then
    "$OV_PY" - "$T" <<'PY' || fail "Relu and Clamp IRs differ in OpenVINO"
import sys, numpy as np, ovrun
t = sys.argv[1]
x = np.random.RandomState(5).uniform(-1, 1, (1, 3, 4, 4)).astype(np.float32)
outs = [ovrun.compile_ir(f"{t}/{d}/relu.xml", who="priority")([x])[0] for d in ("std", "ext")]
ref = np.tanh(np.maximum(x, 0))
assert np.abs(outs[0] - ref).max() < 1e-6 and np.abs(outs[1] - ref).max() < 1e-6
print("ok: both IRs run in OpenVINO and match numpy")
PY
fi
if [ -n "$skipped" ]; then
    echo "SKIP (mapping tier): $skipped"
    exit 77
fi
echo "PASS: mapping > extension > standard"
