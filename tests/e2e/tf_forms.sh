#!/bin/sh
# tf_forms.sh - TensorFlow models in their non-frozen forms
# (tests/fixtures/tf_forms, made by tests/gen/tf_forms.py with TensorFlow
# 2.21): a GraphDef whose weights are variables plus the V2 checkpoint
# tf.compat.v1.train.Saver wrote (--input_checkpoint).  mo converts each;
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
echo "PASS"
