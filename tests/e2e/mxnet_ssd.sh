#!/bin/sh
# mxnet_ssd.sh - --enable_ssd_gluoncv: a GluonCV-style SSD whose box_nms tail becomes DetectionOutput
# gives the detections MXNet gives.
#
# MXNet's tail returns ids [1, K, 1], scores [1, K, 1] and boxes [1, K, 4]
# (rows with id -1 are empty); the IR returns DetectionOutput's [1, 1, K, 7]
# rows (image, label, score, x1, y1, x2, y2), ended by the first row whose
# image is -1, with label = GluonCV id + 1.  Both lists are cut at a score
# threshold, rows are paired closest first (equal scores may come in either
# order), and the pairs must agree within 1e-4 of the largest value; a
# detection whose score lies within 1e-4 of the threshold may be on either
# side of it, so it is not counted as missing.
. "$top_srcdir/tests/e2e/lib.sh"
need_runtime
scratch
FIX="$top_srcdir/tests/fixtures/mxnet/ssd_gluoncv_tiny"
[ -f "$FIX/detections.npz" ] || fail "no fixture in $FIX (run tests/gen/mxnet_models.py --only ssd_gluoncv)"
M="$FIX/model-0000.params"

# without the option the tail is not convertible: its op must be named
if "$MO" --input_model "$M" --input_shape "[1,3,64,64]" --output_dir "$T/plain" > "$T/plain.log" 2>&1; then
    fail "box_nms converted without --enable_ssd_gluoncv"
fi
grep -qE "_contrib_box_(nms|decode)" "$T/plain.log" || { cat "$T/plain.log"; fail "the error does not name the GluonCV tail op"; }
[ ! -e "$T/plain/model-0000.xml" ] || fail "partial output left after a failed conversion"
echo "ok: without --enable_ssd_gluoncv the GluonCV tail is refused, its op named"

# model-symbol.json decodes boxes with GluonCV 0.10's fused _contrib_box_decode,
# split-symbol.json with the split/exp form of older GluonCV; same weights
for form in model split; do
echo "== $form-symbol.json"
if ! "$MO" --input_model "$M" --input_symbol "$FIX/$form-symbol.json" --input_shape "[1,3,64,64]" \
        --enable_ssd_gluoncv --output_dir "$T/$form" --model_name model > "$T/$form.log" 2>&1; then
    cat "$T/$form.log"; fail "$form: conversion with --enable_ssd_gluoncv failed"
fi
grep -q 'type="DetectionOutput"' "$T/$form/model.xml" || fail "$form: no DetectionOutput in the IR"
if grep -q 'type="NonMaxSuppression"' "$T/$form/model.xml"; then fail "$form: the box_nms tail survived"; fi

"$OV_PY" - "$T/$form/model.xml" "$FIX/inputs.npz" "$FIX/detections.npz" <<'PY' || exit 1
import sys
import numpy as np
import ovrun

xml, inputs, dets = sys.argv[1:4]
compiled = ovrun.compile_ir(xml, who="mxnet_ssd")
if len(compiled.outputs) < 1 or compiled.outputs[0].get_partial_shape().to_shape()[3] != 7:
    sys.exit("FAIL: expected DetectionOutput's [1, 1, N, 7] output")
got = np.asarray(compiled({0: np.load(inputs)["data"]})[compiled.outputs[0]])[0, 0].astype(np.float64)
end = np.flatnonzero(got[:, 0] < 0)
got = got[:end[0] if len(end) else len(got)]
if np.any(got[:, 0] != 0):
    sys.exit("FAIL: a detection names an image other than 0")
got = got[:, 1:]                                   # label, score, box
ref = np.load(dets)
ids, scores, boxes = ref["ids"][0, :, 0], ref["scores"][0, :, 0], ref["boxes"][0]
keep = ids >= 0
want = np.column_stack([ids[keep] + 1, scores[keep], boxes[keep]]).astype(np.float64)
worst = 0.0
for thr in (0.01, 0.3, 0.6):
    w = want[want[:, 1] > thr]
    g = got[got[:, 1] > thr]
    edge = lambda a: np.sum(np.abs(a[:, 1] - thr) <= 1e-4)
    if abs(len(w) - len(g)) > max(edge(w), edge(g)) or len(w) == 0:
        sys.exit(f"FAIL: score > {thr}: {len(g)} detections in the IR, {len(w)} in MXNet")
    scale = np.abs(want).max()
    dist = np.abs(w[:, None, :] - g[None, :, :]).max(axis=2)
    used = np.zeros(len(g), bool)
    for k in np.argsort(-w[:, 1], kind="stable"):
        cand = np.where(used, np.inf, dist[k])
        j = int(np.argmin(cand))
        if not np.isfinite(cand[j]) or cand[j] > 1e-4 * scale:
            if abs(w[k, 1] - thr) <= 1e-4:
                continue
            sys.exit(f"FAIL: score > {thr}: MXNet detection {w[k].tolist()} has no match in the IR "
                     f"(closest differs by {cand[j]:.3g})")
        used[j] = True
        worst = max(worst, cand[j] / scale)
    print(f"ok: score > {thr}: {len(w)} detections match (labels, scores, boxes)")
print(f"ok: max relative error {worst:.2e}")
PY
done
