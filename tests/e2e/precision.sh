#!/bin/sh
# precision.sh - every IR the tests, benchmarks and zoo scripts run is
# compiled through tests/ovrun.py, which pins the CPU's inference precision
# to f32: on a CPU with native bf16 (avx512_bf16, AMX) OpenVINO would
# otherwise run f32 models in bf16 and every accuracy check would depend on
# the processor.
#   1. no file but tests/ovrun.py calls compile_model (so a new script
#      cannot bring the processor's default back; the pattern is written
#      compile_model[(] here so that this file does not match itself);
#   2. a real IR compiled by the helper runs at f32 and the helper says so;
#   3. a compiled model that reports another precision is refused.
. "$top_srcdir/tests/e2e/lib.sh"
scratch

# 1 - the source tree's text files; not build trees, venvs, generated zoos
hits=$(cd "$top_srcdir" && find . \( -name .git -o -name '.venv*' -o -name 'build*' \
        -o -name autom4te.cache -o -name _install -o -name 'mo-[0-9]*' \
        -o -path './*/out' -o -path './tests/zoo/*' -type d \) -prune -o -type f -print |
    xargs -r grep -Il 'compile_model[(]' | grep -v -x -e ./tests/ovrun.py -e ./core/check/ov_rt.c || true)
[ -z "$hits" ] || fail "compile_model called outside tests/ovrun.py (use ovrun.compile_ir): $hits"
# --validate's C call (core/check/ov_rt.c) pins the precision itself
grep -q '"INFERENCE_PRECISION_HINT", "f32")' "$top_srcdir/core/check/ov_rt.c" ||
    fail "core/check/ov_rt.c compiles models without INFERENCE_PRECISION_HINT f32"
echo "ok: tests/ovrun.py (and --validate's ov_rt.c, pinned to f32) are the only callers of compile_model"

need_runtime
M="$top_srcdir/tests/fixtures/mxnet/conv_bn_relu_pool_fc/model-0000.params"
"$MO" --input_model "$M" --output_dir "$T/ir" --model_name m > "$T/mo.log" 2>&1 ||
    { cat "$T/mo.log"; fail "conversion of $M failed"; }

# 2 and 3
"$OV_PY" - "$T/ir/m.xml" 2> "$T/py.err" <<'PY' || { cat "$T/py.err"; fail "the precision checks failed"; }
import sys
import openvino as ov
import ovrun

default = ov.Core().get_property("CPU", "INFERENCE_PRECISION_HINT").get_type_name()
print(f"this CPU's default inference precision: {default} (the helper pins f32)")
c = ovrun.compile_ir(sys.argv[1], who="precision")
assert ovrun.check_precision(c) == "f32"
print("ok: the compiled IR runs at f32")


class Bf16:  # what a compiled model says when the pin did not take
    def get_property(self, name):
        assert name == "INFERENCE_PRECISION_HINT"
        return ov.Type.bf16


try:
    ovrun.check_precision(Bf16())
except ovrun.PrecisionError as e:
    print(f"ok: a bf16 model is refused: {e}")
else:
    sys.exit("FAIL: a model reporting bf16 was accepted")
PY
cat "$T/py.err"
grep -qx 'precision: CPU inference precision f32' "$T/py.err" ||
    fail "the helper did not print the precision it compiled at"
echo "PASS: one compile site, f32 pinned and reported"
