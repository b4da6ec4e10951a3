#!/bin/sh
# tf_bad_input.sh - broken TensorFlow graphs: a truncated binary .pb and a
# .pbtxt with a syntax error each give one clear [ ERROR ] line naming the
# file (and, for the text, the line and column), a non-zero exit, and no
# output file; broken checkpoints (index, shard and object-graph CRCs,
# truncated index and shard, a missing shard, variable, slice or checkpoint).
. "$top_srcdir/tests/e2e/lib.sh"
scratch
FIX="$top_srcdir/tests/fixtures/tf_ops"
good="$FIX/conv2d_same/model.pb"
[ -f "$good" ] || fail "no fixture $good"

# check NAME MODEL PATTERN [options...]: the conversion fails with exactly one
# [ ERROR ] line matching PATTERN and writes nothing
check() {
    name=$1 model=$2 pat=$3
    shift 3
    out="$T/out-$name"
    if "$MO" --input_model "$model" --output_dir "$out" "$@" >"$T/$name.log" 2>&1; then
        cat "$T/$name.log"
        fail "$name: converted"
    fi
    # the message, then at most the line pointing to docs/faq.md
    nerr=$(grep '\[ ERROR \]' "$T/$name.log" | grep -vc 'For more information' || true)
    [ "$nerr" -eq 1 ] || { cat "$T/$name.log"; fail "$name: $nerr [ ERROR ] lines (1 expected)"; }
    grep -m1 '\[ ERROR \]' "$T/$name.log" | grep -q -- "$pat" || { cat "$T/$name.log"; fail "$name: no '$pat'"; }
    [ ! -e "$out/model.xml" ] && [ ! -e "$out/model.bin" ] || fail "$name: left output behind"
    echo "ok $name: $(grep -m1 '\[ ERROR \]' "$T/$name.log")"
}

size=$(wc -c <"$good")
head -c $((size / 2)) "$good" >"$T/model.pb"
check truncated "$T/model.pb" "model.pb"

printf 'node {\n  name: "x"\n  op: "Placeholder"\n  attr { key: "dtype" value { type: DT_FLOAT } }\n}\nnode {\n  name: "y"\n  op: "Relu"\n  input: "x"\n  attr { key "T" value { type: DT_FLOAT } \n}\n' >"$T/model.pbtxt"
check text_syntax "$T/model.pbtxt" "model.pbtxt' line 10, column [0-9]"

printf 'node {\n  name: "y"\n  op: "Relu"\n  input: "nowhere"\n}\n' >"$T/missing.pbtxt"
check missing_input "$T/missing.pbtxt" "nowhere"

# unknown ops: every type listed at once
printf 'node {\n name: "x"\n op: "Placeholder"\n attr { key: "dtype" value { type: DT_FLOAT } }\n}\nnode { name: "a" op: "Foo" input: "x" }\nnode { name: "b" op: "Bar" input: "a" }\nnode { name: "c" op: "Foo" input: "b" }\n' >"$T/unknown.pbtxt"
check unknown_ops "$T/unknown.pbtxt" "'Foo' (2 nodes: a, c), 'Bar' (1 node: b)"

printf 'this is not a graph' >"$T/garbage.pb"
check garbage "$T/garbage.pb" "garbage.pb"
# checkpoints (--input_checkpoint): a copy of the graph_ckpt fixture, broken
CK="$top_srcdir/tests/fixtures/tf_forms/graph_ckpt"
# flip_byte FILE OFFSET: that byte changed (any other value)
flip_byte() {
    _b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf %o $(((_b + 1) % 256)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
ck_copy() {
    mkdir -p "$T/$1"
    cp "$CK/model.ckpt.index" "$CK/model.ckpt.data-00000-of-00001" "$T/$1/"
}
ck_copy crc && flip_byte "$T/crc/model.ckpt.index" 20
check ckpt_index_crc "$CK/graph.pb" "model.ckpt.index': CRC mismatch in the data block" \
    --input_checkpoint "$T/crc/model.ckpt"
ck_copy dcrc && flip_byte "$T/dcrc/model.ckpt.data-00000-of-00001" 5
check ckpt_data_crc "$CK/graph.pb" "data-00000-of-00001': CRC mismatch in the bytes of variable" \
    --input_checkpoint "$T/dcrc/model.ckpt"
ck_copy noshard && rm "$T/noshard/model.ckpt.data-00000-of-00001"
check ckpt_missing_shard "$CK/graph.pb" "lives in shard '.*model.ckpt.data-00000-of-00001', which cannot be read" \
    --input_checkpoint "$T/noshard/model.ckpt"
ck_copy trunc && head -c 40 "$CK/model.ckpt.data-00000-of-00001" >"$T/trunc/model.ckpt.data-00000-of-00001"
check ckpt_truncated_shard "$CK/graph.pb" "the shard is truncated" --input_checkpoint "$T/trunc/model.ckpt"
head -c 100 "$CK/model.ckpt.index" >"$T/trunc/model.ckpt.index"
check ckpt_truncated_index "$CK/graph.pb" "not a TensorFlow checkpoint index" --input_checkpoint "$T/trunc/model.ckpt"
printf 'node { name: "v" op: "VarHandleOp" attr { key: "shared_name" value { s: "nothere" } } attr { key: "dtype" value { type: DT_FLOAT } } }\nnode { name: "r" op: "ReadVariableOp" input: "v" }\n' >"$T/var.pbtxt"
mkdir -p "$T/nock" && cp "$top_srcdir/tests/fixtures/tf_forms/meta/model.ckpt.meta" "$T/nock/"
if "$MO" --input_meta_graph "$T/nock/model.ckpt.meta" --output_dir "$T/out-nock" >"$T/nock.log" 2>&1; then
    fail "meta graph without its checkpoint: converted"
fi
grep -q "variable '.*' (VarHandleOp) has no value without its checkpoint" "$T/nock.log" ||
    { cat "$T/nock.log"; fail "meta graph without its checkpoint: no message"; }
echo "ok ckpt_absent: $(grep -m1 '\[ ERROR \]' "$T/nock.log")"
# a TF2 SavedModel whose checkpoint's object graph is corrupt (one without a
# SavedObjectGraph, which needs the checkpoint's to find its variables)
SM2="$top_srcdir/tests/fixtures/tf_forms/saved_model_tf2_noobj"
mkdir -p "$T/sm2/variables" && cp "$SM2/saved_model.pb" "$T/sm2/" && cp "$SM2"/variables/* "$T/sm2/variables/"
flip_byte "$T/sm2/variables/variables.data-00000-of-00001" 300
if "$MO" --saved_model_dir "$T/sm2" --output_dir "$T/out-sm2" >"$T/sm2.log" 2>&1; then
    fail "TF2 SavedModel with a corrupt object graph: converted"
fi
grep -q "CRC mismatch in the bytes of '_CHECKPOINTABLE_OBJECT_GRAPH'" "$T/sm2.log" ||
    { cat "$T/sm2.log"; fail "TF2 SavedModel with a corrupt object graph: no message"; }
echo "ok ckpt_object_graph_crc: $(grep -m1 '\[ ERROR \]' "$T/sm2.log")"
check ckpt_missing_variable "$T/var.pbtxt" "has no variable 'nothere'" --input_checkpoint "$CK/model.ckpt"
# a partitioned variable one of whose slices is missing: the key of m's
# last slice ([2:4, 3:6]) changed, its data block's CRC made good again
SL="$top_srcdir/tests/fixtures/tf_forms/sliced_2d"
mkdir -p "$T/slice" && cp "$SL/model.ckpt.index" "$SL/model.ckpt.data-00000-of-00001" "$T/slice/"
py=python3
[ -x "$OV_PY" ] && py=$OV_PY
"$py" - "$T/slice/model.ckpt.index" <<'PYEOF' || fail "could not edit the sliced checkpoint"
import struct, sys
def crc32c(b):
    c = 0xffffffff
    for x in b:
        c ^= x
        for _ in range(8):
            c = (c >> 1) ^ 0x82f63b78 if c & 1 else c >> 1
    c ^= 0xffffffff
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff
def varint(b, p):
    v = s = 0
    while True:
        v |= (b[p] & 0x7f) << s
        s += 7
        p += 1
        if not b[p - 1] & 0x80:
            return v, p
b = bytearray(open(sys.argv[1], "rb").read())
p = len(b) - 48
_, p = varint(b, p); _, p = varint(b, p)
ioff, p = varint(b, p); ilen, p = varint(b, p)
_, q = varint(b, ioff); un, q = varint(b, q); _, q = varint(b, q)
doff, q = varint(b, q + un); dlen, q = varint(b, q)   # the first (only) data block
nr = struct.unpack_from("<I", b, doff + dlen - 4)[0]
p, end, key, last = doff, doff + dlen - 4 - 4 * nr, b"", None
while p < end:
    sh, p = varint(b, p); un, p = varint(b, p); vl, p = varint(b, p)
    key = key[:sh] + bytes(b[p:p + un])
    if key[:1] == b"\0" and un:
        last = p + un - 1   # the last byte of the last slice key so far
    p += un + vl
assert last is not None
b[last] += 1
struct.pack_into("<I", b, doff + dlen + 1, crc32c(b[doff:doff + dlen + 1]))
open(sys.argv[1], "wb").write(b)
PYEOF
check ckpt_missing_slice "$SL/graph.pb" "slice \[2:4, 3:6\] of partitioned variable 'm' is missing" \
    --input_checkpoint "$T/slice/model.ckpt"
# another model's checkpoint: graph_ckpt's w [4, 3] against the partitioned
# fixture's w (assembled [200, 6])
check ckpt_wrong_shape "$CK/graph.pb" "VarHandleOp 'w' has shape \[4,3\], but its value in the checkpoint has shape \[200,6\]" \
    --input_checkpoint "$top_srcdir/tests/fixtures/tf_forms/partitioned/model.ckpt"
echo "PASS"
