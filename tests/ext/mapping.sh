#!/bin/sh
# mapping.sh - CustomLayersMapping.xml: custom IR layers with all or no parameters,
# the output-shape rule, and clear errors for bad files (file and line named).
. "$top_srcdir/tests/ext/lib_ext.sh"
scratch
mapping_wired || { echo "SKIP: this mo does not read --k yet (core/cli/main.c must call mo_context_load_mapping)"; exit 77; }
M="$MODELS/mapped.tfw"
X="$T/CustomLayersMapping.xml"
cat >"$X" <<XML
<?xml version="1.0"?>
<!-- layers of mapped.tfw mo has no translator for, plus one it has -->
<CustomLayersMapping>
    <CustomLayer NativeType="Proposal" hasParam="true" protoParamName="proposal_param"/>
    <CustomLayer NativeType="Blur" hasParam="false"/>
    <CustomLayer NativeType="Custom:MyOp" hasParam="true"/>
    <CustomLayer NativeType="Project" hasParam="true" output_shape="1,10"/>
    <CustomLayer NativeType="NotInTheModel"/>
</CustomLayersMapping>
XML
run_mo --k "$X" --input_model "$M" --output_dir "$T/o" --log_level DEBUG
[ "$rc" = 0 ] || { cat "$T/log"; fail "conversion with the mapping failed"; }
expect_log "\[ WARNING \]  CustomLayersMapping.xml '$X', line 8: layer type 'NotInTheModel' does not occur in the model"
check() {
    got=$(irq "$T/o/mapped.xml" "$1")
    [ "$got" = "$2" ] || fail "layer $1: got '$got', expected '$2'"
    echo "ok: $1: $got"
}
# hasParam=true: every attribute, protoParamName's prefix dropped; two inputs
# kept; Proposal is also a standard op (opset4), the mapping's layer wins
check prop "Proposal extension feat_stride=16 ratio=0.5,1,2 post_nms=300 | in=1,8,4,4;1,8 out=1,8,4,4"
# hasParam=false: no parameters at all
check blur "Blur extension  | in=1,8,4,4 out=1,8,4,4"
# MXNet-style Custom dispatch: the IR type is op_type, op_type itself dropped
check cu "MyOp extension gain=2 | in=1,8,4,4 out=1,8,4,4"
# output_shape overrides the like-input-0 rule
check proj "Project extension dim=10 | in=1,8,4,4 out=1,10"

# bad files: a clear error naming the file (and line), nothing written
bad() {
    printf '%s\n' "$2" >"$T/bad.xml"
    run_mo --k "$T/bad.xml" --input_model "$M" --output_dir "$T/b"
    [ "$rc" = 1 ] || { cat "$T/log"; fail "$1: expected status 1, got $rc"; }
    expect_log "\[ ERROR \]  CustomLayersMapping.xml '$T/bad.xml'$3"
    [ ! -e "$T/b/mapped.xml" ] || fail "$1: IR written despite a bad mapping"
    echo "ok: $1 -> $(grep ERROR "$T/log" | head -1)"
}
bad "malformed XML" '<CustomLayersMapping>
  <CustomLayer NativeType="A"
</CustomLayersMapping>' ", line 3: malformed XML"
bad "entry naming nothing" '<CustomLayersMapping>
  <CustomLayer hasParam="true"/>
</CustomLayersMapping>' ", line 2: <CustomLayer> names no layer type"
bad "empty NativeType" '<CustomLayersMapping><CustomLayer NativeType=""/></CustomLayersMapping>' \
    ", line 1: <CustomLayer> names no layer type"
bad "bad hasParam" '<CustomLayersMapping><CustomLayer NativeType="A" hasParam="yes please"/></CustomLayersMapping>' \
    ", line 1: hasParam is 'yes please'"
bad "unknown attribute" '<CustomLayersMapping><CustomLayer nativetype="A"/></CustomLayersMapping>' \
    ", line 1: <CustomLayer> has an unknown attribute 'nativetype'"
bad "unknown element" '<CustomLayersMapping>

  <Layer NativeType="A"/></CustomLayersMapping>' ", line 3: unknown element <Layer>"
bad "duplicate entry" '<CustomLayersMapping>
  <CustomLayer NativeType="A"/>
  <CustomLayer NativeType="A"/>
</CustomLayersMapping>' ", line 3: layer type 'A' is already mapped on line 2"
bad "bad output_shape" '<CustomLayersMapping><CustomLayer NativeType="A" output_shape="1,x"/></CustomLayersMapping>' \
    ", line 1: output_shape '1,x'"
run_mo --k "$T/missing.xml" --input_model "$M" --output_dir "$T/b"
[ "$rc" = 1 ] || fail "missing mapping file: status $rc"
expect_log "cannot read CustomLayersMapping.xml '$T/missing.xml'"
echo "PASS: CustomLayersMapping.xml"
