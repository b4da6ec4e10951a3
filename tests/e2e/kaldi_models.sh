#!/bin/sh
# kaldi_models.sh - convert every Kaldi fixture (binary and text forms), run it
# in OpenVINO (f32) and compare with the numpy evaluation of Kaldi's components
# (tests/gen/kaldi_models.py); then --remove_output_softmax and --counts.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/kaldi"
[ -d "$FIX" ] || fail "no fixtures in $FIX (run tests/gen/kaldi_models.py)"
rc=0
n=0
for d in "$FIX"/*/; do
    name=$(basename "$d")
    [ "$name" = bad ] && continue
    for m in "$d"/model.*; do
        form=$(basename "$m")
        out="$T/$name-$form"
        if ! "$MO" --input_model "$m" --output_dir "$out" --model_name model > "$T/log" 2>&1; then
            echo "FAIL: $name/$form: conversion failed"; cat "$T/log"; rc=1; continue
        fi
        if ! run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4 > "$T/run" 2>&1; then
            echo "FAIL: $name/$form: IR results differ from the numpy evaluation"; cat "$T/run"; rc=1; continue
        fi
        echo "ok: $name/$form: $(grep max_rel_err "$T/run")"
        n=$((n + 1))
    done
done
[ $n -ge 10 ] || { echo "FAIL: only $n models converted and matched"; rc=1; }

# --remove_output_softmax: the DNN's output is then the last affine layer's,
# whose softmax is the reference; --counts on top subtracts the log priors
# from it (folded into the last bias), so softmax(out) is unchanged while
# out - log_softmax(out) differs by a per-frame constant from -log priors
DNN="$FIX/nnet1_dnn"
for opt in plain counts; do
    out="$T/rs-$opt"
    set -- --remove_output_softmax
    [ $opt = counts ] && set -- "$@" --counts "$DNN/counts.txt"
    convert_ok "nnet1_dnn $*" "$DNN/model.bin.nnet" "$out" --model_name model "$@"
    grep -q 'type="SoftMax"\|type="Softmax"' "$out/model.xml" && { echo "FAIL: $opt: a softmax is left"; rc=1; }
    "$OV_PY" - "$out/model.xml" "$DNN/inputs.npz" "$DNN/reference.npz" "$DNN/logpriors.npz" "$opt" <<'PY' || rc=1
import sys
import numpy as np
import ovrun
xml, ins, ref, lp, opt = sys.argv[1:]
got = np.asarray(ovrun.compile_ir(xml, who="kaldi_models")(np.load(ins)["input"])[0])
want = np.load(ref)["out0"]
e = np.exp(got - got.max(1, keepdims=True))
sm = e / e.sum(1, keepdims=True)
logp = np.load(lp)["logp"]
if opt == "plain":
    err = np.abs(sm - want).max() / np.abs(want).max()
    print("ok:" if err <= 1e-4 else "FAIL:", "--remove_output_softmax: softmax(output) vs the model's posteriors", "%.2e" % err)
    sys.exit(int(err > 1e-4))
# counts: output = logits - log priors; so output + log priors - log_softmax
# of it... compare against log(posteriors) - log priors up to a per-frame constant
want2 = np.log(want) - logp
d = got - want2
spread = (d.max(1) - d.min(1)).max() / np.abs(want2).max()
print("ok:" if spread <= 1e-4 else "FAIL:", "--remove_output_softmax --counts: output = log posteriors - log priors + c(frame),",
      "spread %.2e" % spread)
sys.exit(int(spread > 1e-4))
PY
done
# --counts with the softmax kept: log posteriors minus log priors, exactly
out="$T/counts"
convert_ok "nnet1_dnn --counts" "$DNN/model.txt.nnet" "$out" --model_name model --counts "$DNN/counts.txt"
run_ir "$out/model.xml" "$DNN/inputs.npz" "$DNN/ref_counts.npz" --rtol 1e-4 > "$T/run" 2>&1 &&
    echo "ok: --counts (softmax kept): $(grep max_rel_err "$T/run")" ||
    { echo "FAIL: --counts with the softmax kept"; cat "$T/run"; rc=1; }
# nnet3: --remove_output_softmax drops the LogSoftmaxComponent too (the
# output's log-softmax is the model's); --counts with it kept subtracts the
# log priors after it
TD="$FIX/nnet3_tdnn"
out="$T/td-rs"
convert_ok "nnet3_tdnn --remove_output_softmax" "$TD/model.bin.raw" "$out" --model_name model --remove_output_softmax
grep -q 'type="LogSoftmax"' "$out/model.xml" && { echo "FAIL: nnet3 --remove_output_softmax left the LogSoftmax"; rc=1; }
"$OV_PY" - "$out/model.xml" "$TD/inputs.npz" "$TD/reference.npz" <<'PY' || rc=1
import sys
import numpy as np
import ovrun
xml, ins, ref = sys.argv[1:]
got = np.asarray(ovrun.compile_ir(xml, who="kaldi_models")(np.load(ins)["input"])[0])
m = got.max(1, keepdims=True)
ls = got - m - np.log(np.exp(got - m).sum(1, keepdims=True))
want = np.load(ref)["out0"]
err = np.abs(ls - want).max() / np.abs(want).max()
print("ok:" if err <= 1e-4 else "FAIL:", "nnet3 --remove_output_softmax: log_softmax(output) vs the model's", "%.2e" % err)
sys.exit(int(err > 1e-4))
PY
out="$T/td-counts"
convert_ok "nnet3_tdnn --counts" "$TD/model.txt.raw" "$out" --model_name model --counts "$TD/counts.txt"
run_ir "$out/model.xml" "$TD/inputs.npz" "$TD/ref_counts.npz" --rtol 1e-4 > "$T/run" 2>&1 &&
    echo "ok: nnet3 --counts (LogSoftmax kept): $(grep max_rel_err "$T/run")" ||
    { echo "FAIL: nnet3 --counts"; cat "$T/run"; rc=1; }
# a fixed window with --input_shape gives the same rows
out="$T/fixed"
convert_ok "nnet3_tdnn --input_shape" "$FIX/nnet3_tdnn/model.bin.raw" "$out" --model_name model --input_shape "[24,8]"
grep -q '<dim>24</dim>' "$out/model.xml" || { echo "FAIL: --input_shape [24,8] is not in the IR"; rc=1; }
run_ir "$out/model.xml" "$FIX/nnet3_tdnn/inputs.npz" "$FIX/nnet3_tdnn/reference.npz" --rtol 1e-4 > "$T/run" 2>&1 &&
    echo "ok: --input_shape [24,8]: $(grep max_rel_err "$T/run")" ||
    { echo "FAIL: --input_shape [24,8]"; cat "$T/run"; rc=1; }
# --remove_memory has nothing to act on in a window IR: refused, not ignored
mkdir -p "$T/rm"
if "$MO" --input_model "$DNN/model.bin.nnet" --output_dir "$T/rm" --remove_memory > "$T/log" 2>&1; then
    echo "FAIL: --remove_memory was accepted"; rc=1
elif grep -q 'remove_memory' "$T/log" && [ -z "$(ls -A "$T/rm")" ]; then
    echo "ok: --remove_memory refused: $(grep '^\[ ERROR' "$T/log" | head -1)"
else
    echo "FAIL: --remove_memory: unclear error"; cat "$T/log"; rc=1
fi
exit $rc
