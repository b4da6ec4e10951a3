#!/bin/sh
# passes.sh - the framework-agnostic options end to end: real MXNet models
# converted with preprocessing, precision and optimization options, run in
# the real OpenVINO Runtime on inputs preprocessed the same way in numpy
# (passes_prep.py), compared with the frameworks' reference outputs; layer
# counts read from the IR; every bad option -> numbered error, no files.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/mxnet"
M="$FX/conv_bn_relu_pool_fc"
[ -f "$M/model-0000.params" ] || { echo "SKIP: no MXNet fixtures"; exit 77; }
"$MO" --list_plugins 2>/dev/null | grep -q mxnet || { echo "SKIP: no MXNet frontend"; exit 77; }
MODEL="$M/model-0000.params" INPUTS="$M/inputs.npz" REF="$M/reference.npz"
. "$top_srcdir/tests/e2e/passes_lib.sh"

convert plain 1e-4 --
# BatchNorm folded: no Multiply left, each convolution followed only by its bias Add
[ "$(layers plain Multiply)" = 0 ] || fail "plain: Multiply left after fusing"
convert nofuse 1e-4 -- --disable_fusing
[ "$(layers nofuse Multiply)" -ge 1 ] || fail "--disable_fusing still fused"
convert finegrain 1e-4 -- --finegrain_fusing 'bn1.*'
[ "$(layers finegrain Multiply)" = 1 ] || fail "--finegrain_fusing bn1.* should keep bn1's Multiply only"

convert mean 1e-4 --mean 123,117,104 -- --mean_values data[123,117,104]
convert scale 1e-4 --scale 58,57,57 -- --scale_values [58,57,57]
[ "$(layers scale Multiply)" = 0 ] || fail "scale values not folded into the first convolution"
convert gscale 1e-4 --global-scale 255 -- --scale 255
convert mean_scale_rev 1e-4 --mean 123,117,104 --scale 58,57,57 --reverse -- \
    --mean_values data[123,117,104] --scale_values data[58,57,57] --reverse_input_channels
[ "$(layers mean_scale_rev Gather)" = 0 ] || fail "reversed channels not folded into the first convolution"
# conv1 pads, so the mean cannot fold exactly and must stay
[ "$(layers mean_scale_rev Subtract)" = 1 ] || fail "mean folded across a padded convolution"
convert layout 1e-4 --mean 1,2,3 -- --layout 'data(nchw)' --mean_values [1,2,3]
convert to_nhwc 1e-4 --to-nhwc -- --layout 'data(nchw->nhwc)'
convert fp16 1e-2 -- --compress_to_fp16
grep -q 'name="decompression"' "$T/fp16/m.xml" || fail "fp16: no decompression Convert"
grep -q 'element_type="f16"' "$T/fp16/m.xml" || fail "fp16: no f16 constant"
convert dt_half 1e-2 -- --data_type half
convert dt_fp32 1e-4 -- --data_type FP32
grep -q 'element_type="f16"' "$T/dt_fp32/m.xml" && fail "--data_type FP32 compressed weights"
convert static 1e-4 -- --static_shape --input_shape [1,3,16,16]
convert input_shape 1e-4 -- --input data[1,3,16,16]{f32}
convert report 1e-4 -- --report "$T/report.json"
"$OV_PY" - "$T/report.json" <<'EOF' || fail "report content"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["before"]["by_type"]["Multiply"] == 2, r["before"]
assert "Multiply" not in r["after"]["by_type"], r["after"]
assert r["passes"]["linear_fusing"]["multiply_into_weights"] == 2, r["passes"]
assert r["total_seconds"] > 0 and r["peak_memory_mb"] >= 0 and r["ir"]["xml"].endswith("m.xml")
EOF

# --output cuts the graph: relu1's output becomes the only Result
out="$T/cut"
"$MO" --input_model "$M/model-0000.params" --output_dir "$out" --model_name m --output relu1 >/dev/null 2>&1 ||
    fail "--output relu1 failed"
[ "$(layers cut Result)" = 1 ] && [ "$(layers cut MatMul)" = 0 ] || fail "--output did not cut the graph"
# --input at an inner node: a new Parameter replaces pool1's input
"$MO" --input_model "$M/model-0000.params" --output_dir "$T/cutin" --model_name m \
    --input 'pool1[1,8,16,16]' >/dev/null 2>&1 || fail "--input pool1 failed"
[ "$(layers cutin Convolution)" = 1 ] || fail "--input at an inner node did not cut conv1 away"
grep -q 'shape="1,8,16,16"' "$T/cutin/m.xml" || fail "cut input has the wrong shape"

# an API-built graph with work for every optimization: the optimized IR
# must give what the IR as built gives, both run in OpenVINO
PG="$top_builddir/tests/e2e/passes_graph"
[ -x "$PG" ] || PG="$top_builddir/passes_graph"
if [ -x "$PG" ]; then
    mkdir -p "$T/pg_raw" "$T/pg_opt" "$T/pg_fp16"
    "$PG" "$T/pg_raw" raw && "$PG" "$T/pg_opt" opt && "$PG" "$T/pg_fp16" opt compress_to_fp16=1 ||
        fail "passes_graph could not write its IRs"
    "$OV_PY" - "$T" <<'PYEOF' || fail "running the raw IR failed"
import sys
import numpy as np
import ovrun
t = sys.argv[1]
x = np.random.default_rng(7).uniform(-1, 1, (1, 4, 17, 17)).astype(np.float32)
np.savez(f"{t}/pg_in.npz", data=x)
c = ovrun.compile_ir(f"{t}/pg_raw/passes_graph.xml", who="passes")
np.savez(f"{t}/pg_ref.npz", out=np.asarray(c({"data": x})[c.outputs[0]]))
PYEOF
    run_ir "$T/pg_opt/passes_graph.xml" "$T/pg_in.npz" "$T/pg_ref.npz" --rtol 1e-4 --quiet ||
        fail "optimized graph differs from the graph as built"
    run_ir "$T/pg_fp16/passes_graph.xml" "$T/pg_in.npz" "$T/pg_ref.npz" --rtol 1e-2 --quiet ||
        fail "fp16 graph differs from the graph as built beyond 1e-2"
    for ty in Split Concat Pad Multiply; do
        grep -q "type=\"$ty\"" "$T/pg_opt/passes_graph.xml" && fail "$ty left in the optimized graph"
    done
    grep -q 'type="GroupConvolution"' "$T/pg_opt/passes_graph.xml" || fail "no GroupConvolution made"
    grep -A1 'name="conv_a"' "$T/pg_opt/passes_graph.xml" | grep -q 'strides="2,2"' ||
        fail "stride not moved up to conv_a"
    n=$((n + 3))
fi

# bad options: numbered error, non-zero exit, nothing written (passes_lib.sh)
bad 15 --input nosuch
bad 15 --output nosuch
bad 19 --mean_values data[1,2]
bad 19 --mean_values [1,2,3],[4,5,6]
bad 19 --scale_values data[1,2,3,4]
bad 15 --mean_values nosuch[1,2,3]
bad 14 --input_shape [1,3,16]
bad 14 --input 'data[1,3,16]'
bad 13 --batch -1
bad 13 --batch 2 --input_shape [1,3,16,16]
bad 20 --finegrain_fusing 'conv(('
bad 22 --data_type FP8
bad 21 --layout 'data(nchwx)'
bad 18 --input 'data->[1 2 x]'
bad 24 --report /nonexistent/dir/r.json
echo "PASS: $n conversions and bad-option cases"
