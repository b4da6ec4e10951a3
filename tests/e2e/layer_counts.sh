#!/bin/sh
# layer_counts.sh - the optimizations counted on a ResNet-50-topology MXNet model:
# BatchNorm folded into the convolutions (no BatchNorm, no Multiply, one bias
# Add at most between a Convolution and its consumer), strides moved up by the
# ResNet optimization, outputs unchanged in the real OpenVINO Runtime; with
# --disable_fusing the Multiplies stay and the outputs still match MXNet's.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
M="$top_srcdir/tests/fixtures/mxnet/resnet50_thin"
[ -f "$M/model-0000.params" ] ||
    { echo "SKIP: no resnet50_thin fixture (tests/gen/mxnet_resnet50_thin.py)"; exit 77; }
"$MO" --list_plugins 2>/dev/null | grep -q mxnet || { echo "SKIP: no MXNet frontend"; exit 77; }

# convert NAME MO-ARGS...: convert the fixture and compare with MXNet's outputs
convert() {
    name=$1
    shift
    "$MO" --input_model "$M/model-0000.params" --input_shape '[1,3,32,32]' --output_dir "$T/$name" \
        --model_name m "$@" >"$T/$name.log" 2>&1 || { cat "$T/$name.log"; fail "$name: conversion failed"; }
    run_ir "$T/$name/m.xml" "$M/inputs.npz" "$M/reference.npz" --rtol 1e-4 ||
        fail "$name: IR output differs from MXNet's"
}

# check XML MODE: layer counts by type and the shape of what follows each
# Convolution, read from the IR's edges.  MODE fused: 53 convolutions (the
# topology's), no BatchNorm*, no Multiply anywhere, and after a Convolution
# at most one Add with a constant operand before a consumer that is not a
# per-channel Multiply/Add/Subtract/Divide; the stride optimization's 3
# subsampling MaxPools are there.  MODE unfused: the 53 BatchNorms
# are still there as Multiply by their scale.
check() {
    "$OV_PY" - "$1" "$2" <<'EOF'
import collections
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
mode = sys.argv[2]
types = {l.get("id"): l.get("type") for l in root.iter("layer")}
names = {l.get("id"): l.get("name") for l in root.iter("layer")}
users = collections.defaultdict(list)
feeds = collections.defaultdict(list)
for e in root.iter("edge"):
    users[e.get("from-layer")].append(e.get("to-layer"))
    feeds[e.get("to-layer")].append(e.get("from-layer"))
count = collections.Counter(types.values())
print(mode, dict(sorted(count.items())))
bad = []

def const_operand(lid):
    return any(types[f] == "Const" for f in feeds[lid])

if count["Convolution"] != 53:
    bad.append(f"{count['Convolution']} Convolution layers, the topology has 53")
if mode == "fused":
    bn = [t for t in count if t.lower().startswith("batchnorm")]
    if bn:
        bad.append(f"BatchNorm layers left: {bn}")
    if count["Multiply"]:
        bad.append(f"{count['Multiply']} Multiply layers left")
    linear = {"Multiply", "Add", "Subtract", "Divide"}
    biases = 0
    for cid, t in types.items():
        if t != "Convolution":
            continue
        nxt = users[cid]
        if len(nxt) == 1 and types[nxt[0]] == "Add" and const_operand(nxt[0]):
            biases += 1
            nxt = users[nxt[0]]
        for u in nxt:
            if types[u] in linear and const_operand(u):
                bad.append(f"{types[u]} {names[u]} by a constant between {names[cid]} and its consumer")
    if biases != 53:
        bad.append(f"{biases} convolutions with a bias Add, expected all 53 (BatchNorm shifts)")
    # ResNet stride optimization: stages 2-4 move their stride up into the
    # block before, whose residual input gets a 1x1 subsampling MaxPool
    if count["MaxPool"] != 4:
        bad.append(f"{count['MaxPool']} MaxPool layers: expected the stem's and 3 subsampling ones")
else:
    if count["Multiply"] < 53:
        bad.append(f"--disable_fusing: {count['Multiply']} Multiply layers, expected the 53 BatchNorm scales")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF
}

convert fused
check "$T/fused/m.xml" fused || fail "BatchNorm not folded as it should be"
convert unfused --disable_fusing
check "$T/unfused/m.xml" unfused || fail "--disable_fusing changed the linear ops"
echo "PASS: resnet50_thin: folded and unfolded IRs match MXNet"
