#!/bin/sh
# mxnet_models.sh - convert every MXNet model fixture, run it in OpenVINO, compare with MXNet.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/mxnet"
[ -d "$FIX" ] || fail "no fixtures in $FIX (run tests/gen/mxnet_models.py)"
rc=0
for d in "$FIX"/*/; do
    name=$(basename "$d")
    [ "$name" = bad ] && continue
    [ -f "$d/reference.npz" ] || continue
    out="$T/$name"
    set --
    if [ -f "$d/mo_args" ]; then
        while IFS= read -r a; do set -- "$@" "$a"; done < "$d/mo_args"
    fi
    if [ "$name" = nd_merge ]; then
        # the style-transfer recipe; --save_params_from_nd writes beside the
        # symbol, so work on a copy of the fixture
        cp -r "$d" "$T/nd_src"
        set -- "$@" --input_symbol "$T/nd_src/nst-symbol.json" --nd_prefix_name dec \
            --pretrained_model_name "$T/nd_src/enc-0000.params" --save_params_from_nd --framework mxnet
    else
        set -- "$@" --input_model "$d/model-0000.params"
    fi
    if ! "$MO" "$@" --output_dir "$out" --model_name model > "$T/$name.log" 2>&1; then
        echo "FAIL: $name: conversion failed"; cat "$T/$name.log"; rc=1; continue
    fi
    if ! run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4; then
        echo "FAIL: $name: IR results differ from MXNet"; rc=1; continue
    fi
    echo "ok: $name"
done
# the merged parameters must be loadable by MXNet itself when it is around
MX_PY="$MO_VENV_DIR/mxnet/bin/python"
if [ -f "$T/nd_src/nst-0000.params" ] && [ -x "$MX_PY" ]; then
    if "$MX_PY" -W ignore -c "
import sys, numpy as np
for n, v in (('bool', bool), ('int', int), ('float', float), ('object', object)):
    hasattr(np, n) or setattr(np, n, v)
import mxnet as mx
sym, args, auxs = mx.model.load_checkpoint(sys.argv[1], 0)
assert 'deco_conv1_weight' in args and 'enc_conv_weight' in args and 'deco_bn1_moving_var' in auxs
ex = sym.bind(mx.cpu(), {**args, 'data': mx.nd.array(np.load(sys.argv[2])['data'])}, aux_states=auxs, grad_req='null')
got = ex.forward(is_train=False)[0].asnumpy()
want = np.load(sys.argv[3])['out0']
assert np.abs(got - want).max() <= 1e-5 * np.abs(want).max(), 'merged params give other results'
" "$T/nd_src/nst" "$FIX/nd_merge/inputs.npz" "$FIX/nd_merge/reference.npz" > "$T/mxload.log" 2>&1; then
        echo "ok: nd_merge: --save_params_from_nd output loads in MXNet with the same results"
    else
        echo "FAIL: --save_params_from_nd output does not load in MXNet"; cat "$T/mxload.log"; rc=1
    fi
fi
exit $rc
