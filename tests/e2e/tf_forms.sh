#!/bin/sh
# tf_forms.sh - TensorFlow models in their non-frozen forms
# (tests/fixtures/tf_forms, made by tests/gen/tf_forms.py with TensorFlow
# 2.21): a GraphDef whose weights are variables plus the V2 checkpoint
# tf.compat.v1.train.Saver wrote (--input_checkpoint); the same model as
# Saver's meta graph + checkpoint (--input_meta_graph, the saver and
# initialisers cut away) and as a TF1 SavedModel (--saved_model_dir, the
# serving_default signature's outputs), and a TF2 Keras SavedModel.  mo converts each;
# the OpenVINO Runtime runs the IR, and its output must match TensorFlow's.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/tf_forms"
[ -d "$FIX" ] || fail "no fixtures in $FIX"

d="$FIX/graph_ckpt"
convert_ok graph_ckpt "$d/graph.pb" "$T/graph_ckpt" --input_checkpoint "$d/model.ckpt" --model_name model
run_ir "$T/graph_ckpt/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "graph_ckpt differs from TensorFlow"
# the prefix may be given as the index file's path
convert_ok graph_ckpt_index "$d/graph.pb" "$T/graph_ckpt2" --input_checkpoint "$d/model.ckpt.index" \
    --model_name model

d="$FIX/meta"
"$MO" --input_meta_graph "$d/model.ckpt.meta" --output_dir "$T/meta" --model_name model >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "meta did not convert"; }
run_ir "$T/meta/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "meta differs from TensorFlow"

d="$FIX/saved_model_tf1"
"$MO" --saved_model_dir "$d" --output_dir "$T/sm1" --model_name model >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "saved_model_tf1 did not convert"; }
run_ir "$T/sm1/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "saved_model_tf1 differs from TensorFlow"
# the IR is the model alone: one input, one output
[ "$(grep -c 'type="Parameter"' "$T/sm1/model.xml")" -eq 1 ] || fail "saved_model_tf1: not one input"
[ "$(grep -c 'type="Result"' "$T/sm1/model.xml")" -eq 1 ] || fail "saved_model_tf1: not one output"
if "$MO" --saved_model_dir "$d" --saved_model_tags train --output_dir "$T/sm1t" >"$T/log" 2>&1; then
    fail "saved_model_tf1: converted with tags it lacks"
fi
grep -q "none of its 1 meta graphs has the tags 'train'" "$T/log" || { cat "$T/log"; fail "saved_model_tags: no message"; }
# two inputs: the IR's follow the signature's keys (a_second: q, z_first: p)
d="$FIX/saved_model_two_inputs"
"$MO" --saved_model_dir "$d" --output_dir "$T/sm3" --model_name model >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "saved_model_two_inputs did not convert"; }
run_ir "$T/sm3/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "saved_model_two_inputs differs from TensorFlow"
order=$(grep -o 'name="[^"]*" type="Parameter"' "$T/sm3/model.xml" | cut -d'"' -f2 | tr '\n' ' ')
[ "$order" = "q p " ] || fail "saved_model_two_inputs: inputs in the order '$order', not 'q p'"

# TF2 (tf.saved_model.save of a Keras model): variables found through the
# checkpoint's object graph
d="$FIX/saved_model_tf2"
"$MO" --saved_model_dir "$d" --output_dir "$T/sm2" --model_name model >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "saved_model_tf2 did not convert"; }
run_ir "$T/sm2/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "saved_model_tf2 differs from TensorFlow"
# the signature's keys name the IR's input and output tensors too
grep -q 'names="serving_default_inputs,inputs"' "$T/sm2/model.xml" || fail "saved_model_tf2: no tensor name 'inputs'"
grep -q 'names="[^"]*output_0"' "$T/sm2/model.xml" || fail "saved_model_tf2: no tensor name 'output_0'"

# Keras 3's model.export(): every variable tracked twice, the VarHandleOps
# the signature captures renamed ("dense/kernel_1"); their values are found
# through the SavedModel's SavedObjectGraph (bound inputs -> object path)
# saved_model_matches NAME: $FIX/NAME converts and its IR gives TensorFlow's outputs
saved_model_matches() {
    "$MO" --saved_model_dir "$FIX/$1" --output_dir "$T/$1" --model_name model >"$T/log" 2>&1 ||
        { cat "$T/log"; fail "$1 did not convert"; }
    run_ir "$T/$1/model.xml" "$FIX/$1/inputs.npz" "$FIX/$1/reference.npz" || fail "$1 differs from TensorFlow"
}
saved_model_matches saved_model_keras3
# without the SavedObjectGraph: by name through the checkpoint's object graph
saved_model_matches saved_model_tf2_noobj
# partitioned variables: the graph reads w/part_0..2 (axis 0, slices from
# rows 67 and 134) and v/part_0..1 (axis 1); the checkpoint holds slices
d="$FIX/partitioned"
convert_ok partitioned "$d/graph.pb" "$T/part" --input_checkpoint "$d/model.ckpt" --model_name model
run_ir "$T/part/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "partitioned differs from TensorFlow"
d="$FIX/partitioned_meta"
"$MO" --input_meta_graph "$d/model.ckpt.meta" --output_dir "$T/partm" --model_name model >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "partitioned_meta did not convert"; }
run_ir "$T/partm/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "partitioned_meta differs from TensorFlow"
[ "$(grep -c 'type="Result"' "$T/partm/model.xml")" -eq 1 ] || fail "partitioned_meta: not one output"
# a whole variable assembled from four 2-D slices
d="$FIX/sliced_2d"
convert_ok sliced_2d "$d/graph.pb" "$T/sl2" --input_checkpoint "$d/model.ckpt" --model_name model
run_ir "$T/sl2/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "sliced_2d differs from TensorFlow"
# ... and from slices whose first extent is the whole dim
d="$FIX/sliced_whole_dim"
convert_ok sliced_whole_dim "$d/graph.pb" "$T/slw" --input_checkpoint "$d/model.ckpt" --model_name model
run_ir "$T/slw/model.xml" "$d/inputs.npz" "$d/reference.npz" || fail "sliced_whole_dim differs from TensorFlow"
echo "PASS"
