#!/bin/sh
# run_mxnet_zoo.sh - convert every MXNet zoo model with mo, run it in OpenVINO, compare with MXNet.
#
# Not part of make check: the zoo is large.  Build it first with
#     .venv/mxnet/bin/python tests/gen/mxnet_models.py --zoo [--only NAME]
# then run
#     MO=/tmp/b/mo MO_PLUGIN_PATH=/tmp/b/plugins tests/zoo/run_mxnet_zoo.sh [NAME...]
# One line per model: name, conversion seconds, max relative error, ok/MISMATCH.
# Detection models (output [N, A, 6] from MultiBoxDetection) are compared as
# detection lists: the IR's DetectionOutput rows [image, label, score, box]
# (up to the first row with image -1) against MXNet's valid rows [class,
# score, box] (class >= 0, label = class + 1); rows are paired closest first
# (near-equal scores may swap places), the error is max |diff| / max |ref|
# over the pairs, and a different number of detections is a MISMATCH.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ZOO="${MXNET_ZOO:-$top/tests/zoo/mxnet}"
MO="${MO:-/tmp/b/mo}"
: "${MO_PLUGIN_PATH:=$(dirname "$MO")/plugins}"
export MO_PLUGIN_PATH
OV_PY="${OV_PY:-$top/.venv/ov/bin/python}"
RTOL="${RTOL:-1e-4}"
# IRs are compiled only through tests/ovrun.py (f32 on every CPU)
PYTHONPATH="$top/tests${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
T=$(mktemp -d "${TMPDIR:-/tmp}/mo-zoo.XXXXXX")
trap 'rm -rf "$T"' EXIT

cat > "$T/compare.py" <<'PY'
import sys
import numpy as np
import ovrun

xml, inputs, reference, rtol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
compiled = ovrun.compile_ir(xml, who="run_mxnet_zoo")
ins = np.load(inputs)
refs = np.load(reference)
feed = {}
for i, port in enumerate(compiled.inputs):
    key = next((n for n in port.get_names() if n in ins.files), f"in{i}")
    feed[port] = ins[key]
res = compiled(feed)
worst = 0.0
ok = True
for i, port in enumerate(compiled.outputs):
    want = refs[f"out{i}"].astype(np.float64)
    got = np.asarray(res[port]).astype(np.float64)
    if want.ndim == 3 and want.shape[2] == 6 and got.ndim == 4 and got.shape[3] == 7:
        # MultiBoxDetection vs DetectionOutput
        w = want[0][want[0][:, 0] >= 0]
        w = np.concatenate([w[:, :1] + 1, w[:, 1:]], axis=1)
        # the IR's list ends at the first row whose image id is -1 (zeros follow)
        rows = got[0, 0]
        end = np.flatnonzero(rows[:, 0] < 0)
        g = rows[:end[0] if len(end) else len(rows), 1:]
        if len(w) != len(g) or len(w) == 0:
            print(f"detections: {len(g)} in the IR, {len(w)} in MXNet", file=sys.stderr)
            ok = False
            worst = float("inf")
            continue
        # near-equal scores may come out in either order: pair each MXNet
        # row with the closest unused IR row instead of trusting the order
        dist = np.abs(w[:, None, :] - g[None, :, :]).max(axis=2)
        used = np.zeros(len(g), bool)
        pair = np.empty(len(w), int)
        for k in np.argsort(-w[:, 1], kind="stable"):
            j = int(np.argmin(np.where(used, np.inf, dist[k])))
            used[j] = True
            pair[k] = j
        want, got = w, g[pair]
    elif got.size == want.size:
        got = got.reshape(want.shape)
    else:
        print(f"out{i}: shape {got.shape} != {want.shape}", file=sys.stderr)
        ok = False
        worst = float("inf")
        continue
    if np.ptp(want) == 0 or not np.all(np.isfinite(got)):
        ok = False
    scale = np.abs(want).max()
    rel = np.abs(got - want).max() / scale if scale > 0 else np.abs(got - want).max()
    worst = max(worst, float(rel))
print(f"{worst:.2e} {'ok' if ok and worst <= rtol else 'MISMATCH'}")
PY

if [ $# -gt 0 ]; then models="$*"; else models=$(ls "$ZOO"); fi
rc=0
printf '%-18s %8s %10s %s\n' model conv_s max_rel result
for name in $models; do
    d="$ZOO/$name"
    [ -f "$d/reference.npz" ] || { printf '%-18s %8s %10s %s\n' "$name" - - "MISSING"; rc=1; continue; }
    set --
    if [ -f "$d/mo_args" ]; then
        while IFS= read -r a; do set -- "$@" "$a"; done < "$d/mo_args"
    fi
    case " $* " in
        *" --input_symbol "*) ;;
        *) set -- "$@" --input_model model-0000.params ;;
    esac
    # mo_args name files relative to the model directory
    t0=$(date +%s.%N)
    if ! (cd "$d" && "$MO" "$@" --output_dir "$T/$name" --model_name model) > "$T/$name.log" 2>&1; then
        printf '%-18s %8s %10s %s\n' "$name" - - "CONVERSION FAILED"
        sed 's/^/    /' "$T/$name.log" | tail -n 5
        rc=1
        continue
    fi
    t1=$(date +%s.%N)
    secs=$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}')
    if ! r=$("$OV_PY" "$T/compare.py" "$T/$name/model.xml" "$d/inputs.npz" "$d/reference.npz" "$RTOL" \
            2> "$T/$name.cmp"); then
        r="- RUNTIME FAILED"
        sed 's/^/    /' "$T/$name.cmp" | tail -n 5
    fi
    set -- $r
    printf '%-18s %8s %10s %s\n' "$name" "$secs" "$1" "$2"
    [ "$2" = ok ] || { rc=1; sed 's/^/    /' "$T/$name.cmp" | tail -n 3; }
    rm -rf "${T:?}/$name"
done
exit $rc
