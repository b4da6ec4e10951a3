#!/bin/sh
# Every Paddle fixture (tests/gen/paddle_models.py), in both formats -- the
# ProgramDesc .pdmodel and Paddle 3's PIR model.json -- converted by mo, run
# in the real OpenVINO Runtime and compared with Paddle's own outputs.
#
# Detection fixtures ending in multiclass_nms3 (NMS_FIXTURES) are compared
# as sets, not element by element: Paddle lists an image's detections class
# by class while the IR lists them best score first, so row order proves
# nothing.  nms_compare (below) checks, per image:
#   - the per-image counts (NmsRoisNum) are equal, and each image's rows
#     are within its count (the Index output is split the same way);
#   - sorted by (label, -score, x1, y1), the [label, score, x1, y1, x2, y2]
#     rows agree: labels exactly, scores and coordinates within 1e-4
#     relative to the largest magnitude (the usual FP32 bound);
#   - the Index rows (box positions in the flattened input) agree as sets;
#   - every score is at or above the threshold the model uses, and there is
#     at least one detection (an empty output would prove nothing).
# The fixture is built so that fewer boxes survive than keep_top_k and no
# score sits near the threshold; the threshold and NMS alone decide.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FX="$top_srcdir/tests/fixtures/paddle"
# name:score_threshold (tests/gen/paddle_models.py)
NMS_FIXTURES="ssd:0.6 picodet:0.55"

nms_compare() {
    "$OV_PY" - "$@" <<'EOF'
import sys
import numpy as np
import ovrun

xml, inputs, reference = sys.argv[1:4]
thresh = float(sys.argv[4])
c = ovrun.compile_ir(xml, who="nms_compare")
ins = np.load(inputs)
res = c({c.inputs[0]: ins[ins.files[0]]})
got = [np.asarray(res[p]) for p in c.outputs]
ref = np.load(reference)
want = [ref[f"out{k}"] for k in range(3)]
det_g, idx_g, num_g = got[0], got[1].reshape(-1), got[2].reshape(-1)
det_w, idx_w, num_w = want[0], want[1].reshape(-1), want[2].reshape(-1)
if not np.array_equal(num_g.astype(np.int64), num_w.astype(np.int64)):
    sys.exit(f"per-image counts differ: IR {num_g.tolist()} Paddle {num_w.tolist()}")
if det_w.shape[0] == 0:
    sys.exit("Paddle kept no detection; the fixture proves nothing")
scale = max(float(np.max(np.abs(det_w[:, 1:]))), 1e-30)
worst = 0.0
start = 0
for img, n in enumerate(num_w.astype(np.int64)):
    g, w = det_g[start:start + n], det_w[start:start + n]
    og = np.lexsort((g[:, 3], g[:, 2], -g[:, 1], g[:, 0]))
    ow = np.lexsort((w[:, 3], w[:, 2], -w[:, 1], w[:, 0]))
    g, w = g[og], w[ow]
    if not np.array_equal(g[:, 0], w[:, 0]):
        sys.exit(f"image {img}: labels differ")
    err = float(np.max(np.abs(g[:, 1:] - w[:, 1:]))) / scale if n else 0.0
    worst = max(worst, err)
    if err > 1e-4:
        sys.exit(f"image {img}: detections differ (max rel err {err:.3e})")
    if sorted(idx_g[start:start + n].tolist()) != sorted(idx_w[start:start + n].tolist()):
        sys.exit(f"image {img}: kept box indices differ")
    if n and float(g[:, 1].min()) < thresh:
        sys.exit(f"image {img}: a score is under the threshold {thresh}")
    start += n
print(f"detections: {num_w.tolist()} per image, same sets, max rel err {worst:.3e} ok")
EOF
}

n=0
for d in "$FX"/*/; do
    m=$(basename "$d")
    for f in legacy/model.pdmodel pir/model.json; do
        out="$T/$m-${f%%/*}"
        convert_ok "$m ($f)" "$d$f" "$out"
        echo "$m ($f):"
        case " $NMS_FIXTURES " in
        *" $m:"*)
            thr=${NMS_FIXTURES#*"$m:"}
            thr=${thr%% *}
            nms_compare "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" "$thr" ||
                fail "$m ($f): detections differ from Paddle's"
            ;;
        *)
            run_ir "$out/model.xml" "$d/inputs.npz" "$d/reference.npz" --rtol 1e-4 ||
                fail "$m ($f): IR output differs from Paddle's"
            ;;
        esac
        n=$((n + 1))
    done
done
[ "$n" -gt 0 ] || fail "no fixtures under $FX"
echo "PASS: $n Paddle conversions match Paddle"
