#!/bin/sh
# big_tf.sh - a frozen TensorFlow graph with 270 MB of weights, most of which
# must be changed on the way to the .bin (two 85 MB HWIO filters read as OIHW,
# one with a batch norm folded into it; a 100 MB MatMul weight is copied;
# tests/gen/big_tf.py, written at test time) converts inside a memory
# cgroup of 256 MiB with a peak RSS under 64 MiB, and the IR gives numpy's
# answer in OpenVINO.  What it guards: the lazy transposes of large mapped
# weights (core/lazy.c's windows), without which the filters become
# resident whole (109 MiB peak RSS for this model).  Skips (77) where
# big_memlimit.sh skips (no memory cgroup) or with under 1 GiB of disk.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
big_setup 1 256
t0=$(date +%s)
"$OV_PY" "$top_srcdir/tests/gen/big_tf.py" --out "$T/m" >"$T/gen.log" 2>&1 ||
    { cat "$T/gen.log"; fail "the model could not be generated"; }
cat "$T/gen.log"
mo_in_cgroup 64 "large transposed weights are not streamed" \
    --input_model "$T/m/model.pb" --output_dir "$T/ir"
run_ir "$T/ir/model.xml" "$T/m/inputs.npz" "$T/m/reference.npz" --rtol 1e-4 ||
    fail "the IR's outputs differ from numpy's"
echo
echo "PASS: 270 MB of transposed and folded TF weights converted in $rss MiB of RSS; $(($(date +%s) - t0)) s in all"
