#!/bin/sh
# A graph built through the public API, written as IR, run in the real
# OpenVINO Runtime and compared with an independent numpy computation.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
"$top_builddir/tests/e2e/api_graph" "$T" || fail "api_graph could not build/write the IR"
for f in api_graph.xml api_graph.bin api_graph.mapping; do
    [ -s "$T/$f" ] || fail "$f missing"
done
"$OV_PY" "$top_srcdir/tests/e2e/api_graph_ref.py" "$T" || fail "reference computation failed"
run_ir "$T/api_graph.xml" "$T/inputs.npz" "$T/reference.npz" --rtol 1e-5 || fail "IR output differs from numpy"
# determinism: a second write gives byte-identical files
mkdir "$T/again"
"$top_builddir/tests/e2e/api_graph" "$T/again" >/dev/null || fail "second write failed"
for f in api_graph.xml api_graph.bin api_graph.mapping; do
    cmp -s "$T/$f" "$T/again/$f" || fail "$f differs between two identical runs"
done
echo "PASS: api_graph matches numpy and is deterministic"
