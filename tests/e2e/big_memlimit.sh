#!/bin/sh
# big_memlimit.sh - a model with 1 GiB of weights converts inside a memory
# cgroup limited to 256 MiB, FP32 and --compress_to_fp16, and both IRs give
# the model's output in OpenVINO (issue 12: memory does not grow with the
# model).  The model (tests/gen/big_mxnet.py) fuses a BatchNorm and a scalar
# into its big FullyConnected weights, so fusing is under the limit too.
#
# Since the lazy weights, both variants must convert under the limit.
# MO_BIG_EXPECT_OOM (default empty) may list variants (fp32, fp16) expected
# to be OOM-killed, for comparing with a build from before them: a listed
# variant that is OOM-killed is reported as XFAIL and converted once more
# without a limit, so its IR is still checked; one that converts under the
# limit is an XPASS and fails the test.
# Skips (77) when the disk has under 4 GiB free or no memory cgroup can be
# made (needs root or a delegated cgroup, v1 or v2).
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
expect_oom=${MO_BIG_EXPECT_OOM-}
scratch
big_setup 4 256

# the model: MXNet's own forward for the reference when its venv is there
GEN_PY="$MO_VENV_DIR/mxnet/bin/python"
[ -x "$GEN_PY" ] || GEN_PY=$OV_PY
"$GEN_PY" -W ignore "$top_srcdir/tests/gen/big_mxnet.py" --gb 1 --out "$T/model" --quiet \
    >"$T/gen.log" 2>&1 || { cat "$T/gen.log"; fail "the 1 GiB model could not be generated"; }
grep -E '^(big_mxnet|reference):' "$T/gen.log"

rc=0
for v in fp32 fp16; do
    set -- --input_model "$T/model/model-0000.params" --output_dir "$T/$v" --model_name model
    rtol=1e-4
    if [ $v = fp16 ]; then
        set -- "$@" --compress_to_fp16
        rtol=2e-3  # measured 3e-4: f16 weights, f32 arithmetic
    fi
    case " $expect_oom " in *" $v "*) xf=1 ;; *) xf=0 ;; esac
    if $MEMCG run --limit-mib $limit_mib --label "$v" -- "$MO" "$@" >"$T/$v.log" 2>&1; then
        grep "^$v: " "$T/$v.log"
        if [ $xf = 1 ]; then
            echo "XPASS: $v converted under $limit_mib MiB: remove '$v' from MO_BIG_EXPECT_OOM in $0"
            rc=1
        fi
    else
        grep "^$v: " "$T/$v.log"
        if [ $xf = 1 ] && grep -q "^$v: OOM-killed" "$T/$v.log"; then
            echo "XFAIL: $v: OOM-killed under $limit_mib MiB, expected until lazy weights land" \
                 "(MO_BIG_EXPECT_OOM); checking its IR from a conversion without a limit"
            [ ! -e "$T/$v/model.xml" ] || fail "$v: the killed conversion left $T/$v/model.xml"
            # in a cgroup too, for its peak usage; the limit is only a backstop
            $MEMCG run --limit-mib 65536 --label "$v without a limit" -- "$MO" "$@" >"$T/$v.log" 2>&1 ||
                { cat "$T/$v.log"; fail "$v: no conversion even without a limit"; }
            grep "^$v without a limit: " "$T/$v.log"
        else
            cat "$T/$v.log"
            echo "FAIL: $v: mo failed in a $limit_mib MiB memory cgroup"
            rc=1
            continue
        fi
    fi
    run_ir "$T/$v/model.xml" "$T/model/inputs.npz" "$T/model/reference.npz" --rtol $rtol ||
        { echo "FAIL: $v: the IR's output differs from the model's"; rc=1; }
    rm -rf "${T:?}/$v"  # keep at most one IR on disk
done
exit $rc
