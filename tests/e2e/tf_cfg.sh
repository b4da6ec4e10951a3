#!/bin/sh
# tf_cfg.sh - transformations configs (--transformations_config) on a
# TensorFlow graph (tests/fixtures/tf_cfg, made by tests/gen/tf_cfg.py):
# its x * sigmoid(x) sub-graphs (scopes act_1/, act_2/ and the points
# pts/in .. pts/mul) are replaced by Swish
#  - by a test extension's handler (tests/ext/cfg_ext.c) and its translator,
#  - by the core's own id mo.ReplaceWithOp (a known IR op, and a new custom op),
#  - after --tensorflow_custom_operations_config_update filled in a scope
#    entry's inputs/outputs (the file written back, no IR);
#  - and, the option being framework-neutral, one ONNX model's Relu by Clamp;
# each IR runs in the OpenVINO Runtime and must match TensorFlow.  Broken
# configs each give one [ ERROR ] line, a non-zero exit and no output.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/tf_cfg"
M="$FIX/model.pb"
EXT="$top_builddir/tests/ext/cfg"
[ -f "$M" ] || fail "no fixture $M"
PY=$(command -v python3 || echo "$OV_PY")
types() { "$PY" "$top_srcdir/tests/ext/irq.py" "$1" --types | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' '; }
count() { "$PY" "$top_srcdir/tests/ext/irq.py" "$1" --types | grep -cx "$2" || true; }

# mo itself fuses x * sigmoid(x) into Swish (core/passes/act_fuse.c):
# --disable_fusing keeps the Sigmoids, so that each Swish counted below is
# one a replacement made.  The plain conversion keeps all three Sigmoids.
convert_ok plain "$M" "$T/plain" --model_name model --disable_fusing
run_ir "$T/plain/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" || fail "plain differs from TensorFlow"
[ "$(count "$T/plain/model.xml" Sigmoid)" -eq 3 ] || fail "plain: not 3 Sigmoids: $(types "$T/plain/model.xml")"

# 1. a plugin's handler: both act_ scopes (one pattern, two instances)
cat >"$T/ext.json" <<'J'
[{"id": "TestSwishReplacement", "match_kind": "scope", "instances": ["act_\\d+"],
  "custom_attributes": {"beta": 1.0}}]
J
convert_ok ext "$M" "$T/ext" --model_name model --disable_fusing --extensions "$EXT" --transformations_config "$T/ext.json"
run_ir "$T/ext/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" || fail "ext differs from TensorFlow"
[ "$(count "$T/ext/model.xml" Swish)" -eq 2 ] && [ "$(count "$T/ext/model.xml" Sigmoid)" -eq 1 ] ||
    fail "ext: not 2 Swish + 1 Sigmoid: $(types "$T/ext/model.xml")"
echo "ok ext: $(types "$T/ext/model.xml")"
# a beta that is not 1 reaches the translator: the result must differ now
sed 's/"beta": 1.0/"beta": 2.5/' "$T/ext.json" >"$T/ext2.json"
convert_ok ext_beta "$M" "$T/ext2" --model_name model --disable_fusing --extensions "$EXT" --transformations_config "$T/ext2.json"
if run_ir "$T/ext2/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" >"$T/ir.log" 2>&1; then
    fail "ext_beta: Swish with beta 2.5 still matches x * sigmoid(x)"
fi
echo "ok ext_beta: differs from TensorFlow, as it must"

# 2. the core's mo.ReplaceWithOp: scope with explicit inputs/outputs, and
# points (start included, and start excluded)
cat >"$T/gen.json" <<'J'
[
  {"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"],
   "inputs": [[{"node": "Sigmoid$", "port": 0}, {"node": "mul$", "port": 0}]],
   "outputs": [{"node": "mul$", "port": 0}],
   "custom_attributes": {"type": "Swish"}},
  {"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_2/"],
   "custom_attributes": {"type": "Swish"}},
  {"id": "mo.ReplaceWithOp", "match_kind": "points",
   "instances": {"start_points": ["pts/in"], "end_points": ["pts/mul"]},
   "custom_attributes": {"type": "Swish"}}
]
J
convert_ok generic "$M" "$T/gen" --model_name model --disable_fusing --transformations_config "$T/gen.json"
run_ir "$T/gen/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" || fail "generic differs from TensorFlow"
[ "$(count "$T/gen/model.xml" Swish)" -eq 3 ] && [ "$(count "$T/gen/model.xml" Sigmoid)" -eq 0 ] ||
    fail "generic: not 3 Swish and no Sigmoid: $(types "$T/gen/model.xml")"
echo "ok generic: $(types "$T/gen/model.xml")"
cat >"$T/pts.json" <<'J'
[{"id": "mo.ReplaceWithOp", "match_kind": "points",
  "instances": {"start_points": ["pts/in"], "end_points": ["pts/mul"]},
  "include_inputs_to_sub_graph": false, "custom_attributes": {"type": "Swish"}}]
J
convert_ok points_excl "$M" "$T/pts" --model_name model --disable_fusing --transformations_config "$T/pts.json"
run_ir "$T/pts/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" || fail "points_excl differs from TensorFlow"
[ "$(count "$T/pts/model.xml" Swish)" -eq 1 ] || fail "points_excl: not 1 Swish: $(types "$T/pts/model.xml")"
echo "ok points_excl: $(types "$T/pts/model.xml")"

# 3. a new custom op (a runtime extension would implement it): the IR layer
# carries the type, opset "extension", the attributes and the shape
cat >"$T/custom.json" <<'J'
[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"],
  "custom_attributes": {"type": "MySwish", "alpha": 0.5, "mode": "fast", "dims": [1, 2],
                        "output_shapes": [[2, 6]]}}]
J
convert_ok custom "$M" "$T/custom" --model_name model --disable_fusing --transformations_config "$T/custom.json"
got=$("$PY" "$top_srcdir/tests/ext/irq.py" "$T/custom/model.xml" act_1)
echo "$got" | grep -q "^MySwish extension .*alpha=0.5" && echo "$got" | grep -q "mode=fast" &&
    echo "$got" | grep -q "dims=1,2" && echo "$got" | grep -q "out=2,6" || fail "custom: layer is '$got'"
! grep -q "output_shapes\|mo\.type" "$T/custom/model.xml" || fail "custom: internal attributes in the IR"
echo "ok custom: $got"

# 4. the update mode: inputs/outputs filled in, the file rewritten, no IR
cat >"$T/upd.json" <<'J'
[{"id": "TestSwishReplacement", "match_kind": "scope", "instances": ["act_2"],
  "custom_attributes": {"beta": 1.0}}]
J
"$MO" --input_model "$M" --output_dir "$T/upd" --tensorflow_custom_operations_config_update "$T/upd.json" \
    >"$T/log" 2>&1 || { cat "$T/log"; fail "update mode failed"; }
[ ! -e "$T/upd/model.xml" ] && [ ! -e "$T/upd/model.bin" ] || fail "update mode wrote an IR"
grep -q "SUCCESS.*Updated" "$T/log" || { cat "$T/log"; fail "update mode: no success line"; }
"$PY" - "$T/upd.json" <<'P' || fail "update mode: wrong inputs/outputs in $(cat "$T/upd.json")"
import json, sys
e = json.load(open(sys.argv[1]))[0]
assert e["inputs"] == [[{"node": "Sigmoid$", "port": 0}, {"node": "mul$", "port": 0}]], e["inputs"]
assert e["outputs"] == [{"node": "mul$", "port": 0}], e["outputs"]
assert e["custom_attributes"] == {"beta": 1.0} and e["instances"] == ["act_2"]
P
ls "$T" | grep -q "^upd\.json\." && fail "update mode left a temporary file"
convert_ok updated "$M" "$T/upd2" --model_name model --disable_fusing --extensions "$EXT" --transformations_config "$T/upd.json"
run_ir "$T/upd2/model.xml" "$FIX/inputs.npz" "$FIX/reference.npz" || fail "updated differs from TensorFlow"
[ "$(count "$T/upd2/model.xml" Swish)" -eq 1 ] || fail "updated: not 1 Swish: $(types "$T/upd2/model.xml")"
echo "ok update round trip: $(tr -d ' \n' <"$T/upd.json" | cut -c1-160)"

# 5. the option is not TensorFlow's alone: an ONNX model (tests/fixtures/onnx/cnn),
# its Relu relu2 replaced by the equivalent Clamp through a points entry
OX="$top_srcdir/tests/fixtures/onnx/cnn"
cat >"$T/onnx.json" <<'J'
[{"id": "mo.ReplaceWithOp", "match_kind": "points",
  "instances": {"start_points": ["relu2"], "end_points": ["relu2"]},
  "custom_attributes": {"type": "Clamp", "min": 0.0, "max": 1e30}}]
J
convert_ok onnx "$OX/model.onnx" "$T/onnx" --model_name model --transformations_config "$T/onnx.json"
run_ir "$T/onnx/model.xml" "$OX/inputs.npz" "$OX/reference.npz" || fail "onnx differs from onnxruntime's reference"
[ "$(count "$T/onnx/model.xml" Clamp)" -eq 1 ] || fail "onnx: no Clamp: $(types "$T/onnx/model.xml")"
echo "ok onnx: $(types "$T/onnx/model.xml")"

# 6. broken configs and refused options: one [ ERROR ] line, non-zero exit,
# nothing written (and the config file untouched)
# bad NAME PATTERN JSON [options...]
bad() {
    name=$1 pat=$2 json=$3
    shift 3
    printf '%s' "$json" >"$T/$name.json"
    cp "$T/$name.json" "$T/$name.orig"
    out="$T/out-$name"
    rc=0
    "$MO" --input_model "$M" --output_dir "$out" --transformations_config "$T/$name.json" "$@" \
        >"$T/$name.log" 2>&1 || rc=$?
    [ "$rc" -ne 0 ] || { cat "$T/$name.log"; fail "$name: converted"; }
    [ "$rc" -lt 128 ] || { cat "$T/$name.log"; fail "$name: crashed ($rc)"; }
    ! grep -q "Sanitizer\|runtime error:" "$T/$name.log" || { cat "$T/$name.log"; fail "$name: sanitizer report"; }
    nerr=$(grep '\[ ERROR \]' "$T/$name.log" | grep -vc 'For more information' || true)
    [ "$nerr" -eq 1 ] || { cat "$T/$name.log"; fail "$name: $nerr [ ERROR ] lines (1 expected)"; }
    grep -m1 '\[ ERROR \]' "$T/$name.log" | grep -q -- "$pat" || { cat "$T/$name.log"; fail "$name: no '$pat'"; }
    [ ! -e "$out/model.xml" ] && [ ! -e "$out/model.bin" ] || fail "$name: left output behind"
    cmp -s "$T/$name.json" "$T/$name.orig" || fail "$name: the config changed"
    echo "ok $name: $(grep -m1 '\[ ERROR \]' "$T/$name.log")"
}
bad broken_json "broken_json.json': line 2, column [0-9]*: " '[{"id": "x",
  "match_kind": scope}]'
bad unknown_id "entry 0 (id 'NoSuchReplacement'): no loaded extension handles the id 'NoSuchReplacement': load" \
    '[{"id": "NoSuchReplacement", "match_kind": "scope", "instances": ["act_1"]}]'
bad no_match "entry 1 (id 'mo.ReplaceWithOp'): no scope of the model matches 'nothing_here/'" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"}},
      {"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["nothing_here"], "custom_attributes": {"type": "Swish"}}]'
bad bad_regex "entry 0 (id 'mo.ReplaceWithOp'): field 'instances'\[0\]: bad regex 'act_(1/'" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_(1"], "custom_attributes": {"type": "Swish"}}]'
bad bad_node_regex "field 'inputs'\[0\]\[1\]: bad regex 'mul\[\$'" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"},
       "inputs": [[{"node": "Sigmoid$", "port": 0}, {"node": "mul[$", "port": 0}]], "outputs": [{"node": "mul$", "port": 0}]}]'
bad match_kind "entry 0 (id 'X'): unknown match_kind 'subgraph'" '[{"id": "X", "match_kind": "subgraph"}]'
bad no_id "entry 1: field 'id' is missing" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"}},
      {"match_kind": "scope", "instances": ["a"]}]'
bad unknown_field "entry 0 (id 'X'): entry: unknown field 'instance'" '[{"id": "X", "match_kind": "scope", "instance": ["a"]}]'
bad not_list "expected a JSON list of replacement entries" '{"id": "X"}'
bad no_type "needs custom_attributes.type" '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"]}]'
bad node_no_match "node pattern 'Relu' matches no node of scope 'act_1/'" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"},
       "inputs": [[{"node": "Relu", "port": 0}]], "outputs": [{"node": "mul$", "port": 0}]}]'
bad two_nodes "node pattern '.\*' matches both 'act_1/Sigmoid' and 'act_1/mul'" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"},
       "inputs": [[{"node": ".*", "port": 0}]], "outputs": [{"node": "mul$", "port": 0}]}]'
bad missing_output "node 'MatMul_1' outside the sub-graph reads output 0 of 'act_1/mul' inside it" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"], "custom_attributes": {"type": "Swish"},
       "inputs": [[{"node": "Sigmoid$", "port": 0}]], "outputs": [{"node": "Sigmoid$", "port": 0}]}]'
bad points_input "reaches the model input 'x' without meeting a start point" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "points", "custom_attributes": {"type": "Swish"},
       "instances": {"start_points": ["act_1/Sigmoid"], "end_points": ["act_1/mul"]}}]'
bad points_name "start point 'nope' is no node of the model" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "points", "custom_attributes": {"type": "Swish"},
       "instances": {"start_points": ["nope"], "end_points": ["act_1/mul"]}}]'
bad known_op_shapes "'Swish' is a known IR op" \
    '[{"id": "mo.ReplaceWithOp", "match_kind": "scope", "instances": ["act_1"],
       "custom_attributes": {"type": "Swish", "output_shapes": [[2, 6]]}}]'
# a missing file
rc=0
"$MO" --input_model "$M" --output_dir "$T/out-nofile" --transformations_config "$T/none.json" >"$T/log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "ERROR .*cannot read the transformations config '.*none.json'" "$T/log" ||
    { cat "$T/log"; fail "missing config file"; }
# the update mode on a broken file leaves it as it was
printf '[{"id": "X", "match_kind": "scope", "instances": ["nothing_here"]}]' >"$T/upd_bad.json"
cp "$T/upd_bad.json" "$T/upd_bad.orig"
rc=0
"$MO" --input_model "$M" --output_dir "$T/out-upd" --tensorflow_custom_operations_config_update "$T/upd_bad.json" \
    >"$T/log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "ERROR .*entry 0 (id 'X'): scope pattern 'nothing_here/' matches no node" "$T/log" ||
    { cat "$T/log"; fail "update of a scope that matches nothing"; }
cmp -s "$T/upd_bad.json" "$T/upd_bad.orig" || fail "update mode changed a file it failed on"
echo "ok update_no_match: $(grep -m1 ERROR "$T/log")"
# --tensorboard_logdir is refused with what to do instead
rc=0
"$MO" --input_model "$M" --output_dir "$T/out-tb" --tensorboard_logdir "$T/tb" >"$T/log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && [ "$(grep -c ERROR "$T/log")" -eq 1 ] && grep -q "tensorboard_logdir is not supported.*Netron" "$T/log" ||
    { cat "$T/log"; fail "--tensorboard_logdir not refused"; }
[ ! -e "$T/out-tb/model.xml" ] && [ ! -e "$T/tb" ] || fail "--tensorboard_logdir wrote something"
echo "ok tensorboard_logdir: $(grep -m1 ERROR "$T/log")"
echo "PASS"
