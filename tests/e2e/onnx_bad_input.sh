#!/bin/sh
# onnx_bad_input.sh - broken ONNX models (tests/fixtures/onnx/bad, written by
# tests/gen/onnx_bad.py; the symbolic links made here, git keeps none): each
# must fail with exactly one [ ERROR ] line (besides the FAQ pointer) that
# names the file or the node and says what is wrong, a non-zero exit, and
# nothing left in the output directory.  Controls: the external-data model
# with its data beside it, and behind a symbolic link that stays inside the
# folder, converts.
. "$top_srcdir/tests/e2e/lib.sh"
scratch
B="$top_srcdir/tests/fixtures/onnx/bad"
[ -f "$B/empty.onnx" ] || fail "no corpus in $B (run tests/gen/onnx_bad.py)"
"$MO" --list_plugins 2>/dev/null | grep -q onnx || fail "the build's mo has no ONNX frontend"
n=0

# expect_fail NAME MODEL REGEX: mo fails on MODEL with one [ ERROR ] line
# matching REGEX, into an existing empty output directory it leaves empty
expect_fail() {
    out="$T/out-$1"
    mkdir -p "$out"
    if "$MO" --input_model "$2" --output_dir "$out" >"$T/log" 2>&1; then
        cat "$T/log"; fail "$1: converted although the input is broken"
    fi
    errs=$(grep '^\[ ERROR \]' "$T/log" | grep -v 'For more information see')
    [ "$(printf '%s\n' "$errs" | grep -c .)" -eq 1 ] || { cat "$T/log"; fail "$1: not exactly one [ ERROR ] line"; }
    printf '%s\n' "$errs" | grep -Eq -- "$3" || { cat "$T/log"; fail "$1: the error does not match /$3/"; }
    [ -z "$(ls -A "$out")" ] || fail "$1: left files behind: $(ls -A "$out")"
    echo "ok $1: $errs"
    n=$((n + 1))
}
# q FILE: FILE as a regex matching it literally (paths hold dots and slashes)
q() { printf '%s' "$1" | sed 's/[].[^$*+?(){}|\\]/\\&/g'; }

f=$B/truncated.onnx;      expect_fail truncated "$f" "'$(q "$f")'.*(truncated|corrupt)"
f=$B/garbage.onnx;        expect_fail garbage "$f" "'$(q "$f")'.*(corrupt|not an ONNX model)"
f=$B/empty.onnx;          expect_fail empty "$f" "'$(q "$f")'.*(empty|not an ONNX model|no graph)"
f=$B/opset99.onnx;        expect_fail opset99 "$f" "'$(q "$f")' imports opset 99 of ai\\.onnx.*up to [0-9]+"
f=$B/dangling.onnx;       expect_fail dangling "$f" "'$(q "$f")'.*'nowhere' of node 'add_dangling'.*produced by no"
# both unknown types in the one error, each with its node
f=$B/unknown_ops.onnx;    expect_fail unknown-ops "$f" \
    "2 onnx layer types cannot be converted: .*'Foo' \\(1 node: foo_node\\).*'com\\.example:Bar' \\(1 node: bar_node\\)|2 onnx layer types cannot be converted: .*'com\\.example:Bar' \\(1 node: bar_node\\).*'Foo' \\(1 node: foo_node\\)"
# twelve unknown types behind long node names: too long to name every node,
# the error still lists every type (with its node count)
if "$OV_PY" -c 'import onnx' 2>/dev/null; then
    "$OV_PY" - "$T/many_unknown.onnx" <<'PY' || fail "could not write the many-unknown-types model"
import sys, onnx
from onnx import helper as h, TensorProto as T
nodes, prev = [], "x"
for i in range(12):
    name = f"block{i:02d}/" + "very_long_layer_name_" * 8
    nodes.append(h.make_node(f"Unknown{i:02d}", [prev], [f"t{i}"], name=name))
    prev = f"t{i}"
g = h.make_graph(nodes, "g", [h.make_tensor_value_info("x", T.FLOAT, [1, 4])],
                 [h.make_tensor_value_info(prev, T.FLOAT, [1, 4])])
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 17)]), sys.argv[1])
PY
    re="12 onnx layer types cannot be converted"
    for i in 00 01 02 03 04 05 06 07 08 09 10 11; do re="$re.*'Unknown$i'"; done
    expect_fail many-unknown-types "$T/many_unknown.onnx" "$re"
elif [ "${MO_REQUIRE_RUNTIME:-0}" = 1 ]; then
    fail "no onnx module in $MO_VENV_DIR/ov (tests/setup-venvs.sh ov)"
fi
f=$B/raw_too_long.onnx;   expect_fail raw-too-long "$f" "'$(q "$f")'.*initializer 'w' has 144 bytes .* need 128"
f=$B/huge_dims.onnx;      expect_fail huge-dims "$f" "'$(q "$f")'.*initializer 'huge' has an impossible dim 576460752303423488"
f=$B/string_init.onnx;    expect_fail string-initializer "$f" "'$(q "$f")'.*'labels'.*STRING"
f=$B/sequence_input.onnx; expect_fail sequence-input "$f" "'$(q "$f")'.*graph input 'xs' is a sequence"
f=$B/ext_missing/model.onnx; expect_fail ext-missing "$f" "'$(q "$f")'.*'weights\\.bin'.*cannot be opened"
f=$B/ext_short/model.onnx;   expect_fail ext-short "$f" "'$(q "$f")'.*initializer 'w'.*'weights\\.bin'.* only 100 bytes"
f=$B/ext_dotdot/model.onnx;  expect_fail ext-dotdot "$f" "'$(q "$f")'.*initializer 'w'.*'\\.\\./x', outside the model's folder"
f=$B/ext_abs/model.onnx;     expect_fail ext-absolute "$f" "'$(q "$f")'.*initializer 'w'.*'/etc/passwd', outside the model's folder"

# link.bin -> ../outside.bin: a real file of the right size, but outside
data="$T/w.bin"   # 32 real floats: the first of another fixture's weights
dd if="$top_srcdir/tests/fixtures/onnx/mlp_ext/weights.bin" of="$data" bs=128 count=1 2>/dev/null
[ "$(wc -c <"$data")" -eq 128 ] || fail "could not make 128 bytes of data"
mkdir -p "$T/sym"
cp "$B/ext_symlink/model.onnx" "$T/sym/"
cp "$data" "$T/outside.bin"
ln -s ../outside.bin "$T/sym/link.bin"
f=$T/sym/model.onnx;         expect_fail ext-symlink-out "$f" "'$(q "$f")'.*initializer 'w'.*'link\\.bin'.*outside the model's folder"
# the same to an absolute target outside
rm "$T/sym/link.bin"; ln -s "$T/outside.bin" "$T/sym/link.bin"
expect_fail ext-symlink-abs "$f" "'$(q "$f")'.*initializer 'w'.*'link\\.bin'.*outside the model's folder"

# controls: the same model converts with its data beside it, or behind a
# link that stays inside the folder
mkdir -p "$T/beside" "$T/inside/sub"
cp "$B/ext_symlink/model.onnx" "$T/beside/"; cp "$data" "$T/beside/link.bin"
convert_ok "external data beside the model" "$T/beside/model.onnx" "$T/out-beside"
cp "$B/ext_symlink/model.onnx" "$T/inside/"; cp "$data" "$T/inside/sub/real.bin"
ln -s sub/real.bin "$T/inside/link.bin"
convert_ok "external data behind a link inside the folder" "$T/inside/model.onnx" "$T/out-inside"
cmp -s "$T/out-beside/model.bin" "$T/out-inside/model.bin" || fail "the two controls wrote different weights"
cmp -s "$T/out-beside/model.bin" "$data" || fail "the control's .bin is not the external data"
echo "ok controls: external data beside the model and behind an inner link convert, .bin = the data"

echo "PASS: $n broken ONNX inputs rejected cleanly"
