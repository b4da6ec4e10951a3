#!/bin/sh
# Control flow built through mo/body.h (tests/e2e/api_body.c), written as
# IR, checked for the structure OpenVINO reads (port maps, back edges,
# bodies, body weights in the one .bin) and run in the real OpenVINO
# Runtime against the numpy references of api_body_ref.py.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
"$top_builddir/tests/e2e/api_body" "$T" >"$T/log" 2>&1 || { cat "$T/log"; fail "api_body could not build/write the IRs"; }
for m in body_if body_loop body_ti body_ti_rev body_big body_big16; do
    for e in xml bin mapping; do
        [ -s "$T/$m.$e" ] || fail "$m.$e missing"
    done
done
has() { grep -q -- "$2" "$T/$1.xml" || fail "$1.xml lacks $2"; }
has body_if '<layer id="[0-9]*" name="choose" type="If" version="opset8">'
has body_if '<then_port_map>'
has body_if '<else_port_map>'
has body_if '<then_body>'
has body_if '<else_body>'
has body_loop 'type="Loop" version="opset5"'
has body_loop 'purpose="current_iteration"'
has body_loop 'purpose="execution_condition"'
has body_loop '<back_edges>'
has body_loop 'axis="0" start="0" end="-1" stride="1" part_size="1"'
has body_ti 'type="TensorIterator" version="opset1"'
has body_ti '<input external_port_id="0" internal_layer_id="[0-9]*" axis="1" start="0" end="-1" stride="1" part_size="1"/>'
has body_ti_rev '<input external_port_id="0" internal_layer_id="[0-9]*" axis="1" start="-1" end="0" stride="-1" part_size="1"/>'
# the body's 1.4 MiB constant equals the outer one: the .bin holds it once
big=$(wc -c <"$T/body_big.bin")
[ "$big" -ge 1440000 ] && [ "$big" -lt 1500000 ] || fail "body_big.bin is $big bytes, expected one 1440000-byte copy"
grep -c 'element_type="f32" shape="600,600"' "$T/body_big.xml" | grep -qx 2 || fail "body_big.xml: both 600x600 constants expected"
# fp16: the body's constant is compressed too, behind a decompression Convert
big16=$(wc -c <"$T/body_big16.bin")
[ "$big16" -ge 720000 ] && [ "$big16" -lt 750000 ] || fail "body_big16.bin is $big16 bytes, expected one f16 copy"
grep -c 'element_type="f16" shape="600,600"' "$T/body_big16.xml" | grep -qx 2 || fail "body_big16.xml: both constants should be f16"
grep -q 'name="repeat/W" type="Convert"' "$T/body_big16.xml" || fail "body_big16.xml: no decompression Convert in the body"
# the .mapping lists the framework names of body tensors too
grep -q '<framework name="body/x"' "$T/body_loop.mapping" || fail "body_loop.mapping lacks the body's tensors"

"$OV_PY" "$top_srcdir/tests/e2e/api_body_ref.py" "$T" || fail "reference computation failed"
for c in if_true:body_if if_false:body_if loop_early:body_loop loop_trip:body_loop \
         loop_once:body_loop ti:body_ti ti_rev:body_ti_rev big:body_big big16:body_big16; do
    case_=${c%%:*} model=${c#*:}
    echo "$case_ ($model):"
    run_ir "$T/$model.xml" "$T/${case_}_in.npz" "$T/${case_}_ref.npz" --rtol 1e-5 ||
        fail "$case_: the IR's output differs from numpy"
done
# determinism: a second write gives byte-identical files
mkdir "$T/again"
"$top_builddir/tests/e2e/api_body" "$T/again" >/dev/null || fail "second write failed"
for m in body_if body_loop body_ti body_ti_rev body_big body_big16; do
    for e in xml bin mapping; do
        cmp -s "$T/$m.$e" "$T/again/$m.$e" || fail "$m.$e differs between two identical runs"
    done
done
echo "PASS: If, Loop, TensorIterator match numpy; body weights in the .bin, fp16 too"
