#!/bin/sh
# run_tf_apps.sh - the TensorFlow zoo of issue 15, every model in every form:
# converted by mo, run in OpenVINO (CPU, f32), compared with TensorFlow.
#
# Not part of make check: the zoo is 1.2 GB.  One command, after building
# mo (the tf and ov venvs of tests/setup-venvs.sh):
#     tests/zoo/run_tf_apps.sh [NAME...]
# It first makes what the zoo lacks with tests/gen/tf_apps.py (1.2 GB, into
# tests/zoo/tf_apps, git-ignored; TF_ZOO overrides), then for each model
# (default: all of tf_apps.py's) and each form it finds:
#     frozen       --input_model model.pb
#     saved_model  --saved_model_dir saved_model
#     ckpt         --input_model ckpt/graph.pb --input_checkpoint ckpt/model.ckpt
#     meta         --input_meta_graph ckpt/model.ckpt.meta
# converts with mo under GNU time (wall seconds, peak RSS), runs the IR on
# inputs.npz (and inputs_b.npz, another batch and sequence, where there is
# one) and prints a markdown table: model, form, ok, max rel err (max |IR -
# TF| / max |TF| over every input set), mo seconds, mo peak RSS (MiB).
# A row is ok when the error is <= RTOL (1e-4) and the peak RSS is under
# RSS_MIB (64); the exit status is non-zero unless every row is.
# Environment: MO (default build/_install/bin/mo), TF_PY, OV_PY (the venvs'
# pythons), TF_ZOO, RTOL, RSS_MIB.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
venv=${MO_VENV_DIR:-$top/.venv}
ZOO="${TF_ZOO:-$top/tests/zoo/tf_apps}"
MO="${MO:-$top/build/_install/bin/mo}"
TF_PY="${TF_PY:-$venv/tf/bin/python}"
OV_PY="${OV_PY:-$venv/ov/bin/python}"
RTOL="${RTOL:-1e-4}"
RSS_MIB="${RSS_MIB:-64}"
# a build tree's mo finds its plugins beside it; an installed one its own
[ -d "$(dirname "$MO")/plugins" ] && : "${MO_PLUGIN_PATH:=$(dirname "$MO")/plugins}" && export MO_PLUGIN_PATH
# IRs are compiled only through tests/ovrun.py (f32 on every CPU)
PYTHONPATH="$top/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
[ -x "$MO" ] || { echo "run_tf_apps: no mo at $MO (build it, or set MO)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run_tf_apps: needs GNU time (/usr/bin/time)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mo-tfzoo.XXXXXX")
trap 'rm -rf "$T"' EXIT

if [ $# -gt 0 ]; then
    models="$*"
else
    models="MobileNetV2 ResNet50 InceptionV3 DenseNet121 EfficientNetB0 NASNetMobile TransformerEncoder WhileCond"
fi
missing=
for name in $models; do
    d="$ZOO/$name"
    if [ ! -f "$d/model.pb" ] || [ ! -f "$d/saved_model/saved_model.pb" ] || [ ! -f "$d/ckpt/graph.pb" ]; then
        missing="$missing $name"
    fi
done
if [ -n "$missing" ]; then
    echo "run_tf_apps: making$missing in $ZOO" >&2
    "$TF_PY" "$top/tests/gen/tf_apps.py" --out "$ZOO" $missing >&2 || exit 1
fi

cat > "$T/compare.py" <<'PY'
import sys
import numpy as np
import ovrun

xml, rtol = sys.argv[1], float(sys.argv[2])
pairs = sys.argv[3:]
compiled = ovrun.compile_ir(xml, who="run_tf_apps")
worst, ok = 0.0, True
for inputs, reference in zip(pairs[::2], pairs[1::2]):
    ins, refs = np.load(inputs), np.load(reference)
    feed = {}
    for i, port in enumerate(compiled.inputs):
        key = next((n for n in port.get_names() if n in ins.files), ins.files[i])
        feed[port] = ins[key]
    res = compiled(feed)
    for i, port in enumerate(compiled.outputs):
        k = f"out{i}"
        if k not in refs.files:
            continue
        want = refs[k].astype(np.float64)
        got = np.asarray(res[port]).astype(np.float64)
        if got.size != want.size:
            print(f"{inputs}: {k} has shape {got.shape}, TensorFlow's {want.shape}", file=sys.stderr)
            ok, worst = False, float("inf")
            continue
        got = got.reshape(want.shape)
        if np.ptp(want) == 0 or not np.all(np.isfinite(got)):
            ok = False
        worst = max(worst, float(np.abs(got - want).max() / max(np.abs(want).max(), 1e-30)))
print(f"{worst:.1e} {'ok' if ok and worst <= rtol else 'MISMATCH'}")
PY

rc=0
echo "| model | form | ok | max rel err | mo time (s) | mo peak RSS (MiB) |"
echo "|---|---|---|---:|---:|---:|"
for name in $models; do
    d="$ZOO/$name"
    for form in frozen saved_model ckpt meta; do
        case $form in
        frozen) src="$d/model.pb"; set -- --input_model "$src" ;;
        saved_model) src="$d/saved_model/saved_model.pb"; set -- --saved_model_dir "$d/saved_model" ;;
        ckpt) src="$d/ckpt/graph.pb"; set -- --input_model "$src" --input_checkpoint "$d/ckpt/model.ckpt" ;;
        meta) src="$d/ckpt/model.ckpt.meta"; set -- --input_meta_graph "$src" ;;
        esac
        [ -f "$src" ] || continue
        out="$T/$name-$form"
        if ! /usr/bin/time -o "$T/time" -f "%e %M" "$MO" "$@" --output_dir "$out" --model_name model \
                > "$T/log" 2>&1; then
            echo "| $name | $form | CONVERSION FAILED | | | |"
            grep -m1 ERROR "$T/log" | sed 's/^/    /' >&2
            rc=1
            continue
        fi
        secs=$(awk 'END {print $1}' "$T/time")
        rss=$(awk 'END {printf "%.1f", $2 / 1024}' "$T/time")
        set -- "$d/inputs.npz" "$d/reference.npz"
        [ -f "$d/inputs_b.npz" ] && set -- "$@" "$d/inputs_b.npz" "$d/reference_b.npz"
        if ! r=$("$OV_PY" "$T/compare.py" "$out/model.xml" "$RTOL" "$@" 2> "$T/cmp"); then
            r="- RUNTIME-FAILED"
            tail -n 3 "$T/cmp" | sed 's/^/    /' >&2
        fi
        set -- $r
        verdict=$2
        if [ "$verdict" = ok ] && ! awk -v r="$rss" -v m="$RSS_MIB" 'BEGIN {exit !(r < m)}'; then
            verdict="RSS >= $RSS_MIB MiB"
        fi
        [ "$verdict" = ok ] || rc=1
        echo "| $name | $form | $verdict | $1 | $secs | $rss |"
        rm -rf "$out"
    done
done
exit $rc
