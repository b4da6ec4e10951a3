"""Detection heads (PaddleDetection / PaddleOCR): prior_box, box_coder,
yolo_box, multiclass_nms3, matrix_nms, generate_proposals_v2, roi_align,
roi_pool, psroi_pool, distribute_fpn_proposals.

NMS-like ops are compared as sets per image ("compare": "nms", see
tests/e2e/run_ir_many.py): Paddle lists detections class by class or by
score, the IR in its own order.  Their inputs are drawn until every score
is clear of the score threshold, no two scores tie and no pair of boxes has
an IoU near the NMS threshold, so that thresholds alone decide and
rounding cannot flip a box in or out."""


def cases(paddle, np, Case):
    V = paddle.vision.ops

    def C(*a, **kw):
        """Static programs: the ops' own builders, the same in both formats."""
        kw.setdefault("kind", "static")
        return Case(*a, **kw)

    # every section below draws from its own generator r, so that a case
    # added to one section leaves the inputs of the others as they are

    def f32(*shape, lo=-1.0, hi=1.0):
        return r.uniform(lo, hi, shape).astype("float32")

    def pir_mode():
        from paddle.framework import in_dynamic_or_pir_mode
        return in_dynamic_or_pir_mode()

    def append(op, inputs, outputs, attrs):
        """A legacy static op that has no Python API any more."""
        from paddle.base.layer_helper import LayerHelper
        h = LayerHelper(op)
        outs = {k: [h.create_variable_for_type_inference(dt) for dt in v] for k, v in outputs.items()}
        h.append_op(type=op, inputs={k: v for k, v in inputs.items() if v is not None},
                    outputs=outs, attrs=attrs)
        return outs

    # --- prior_box: only the shapes of its inputs matter -------------------
    r = np.random.default_rng(101)
    feat = f32(1, 2, 3, 4)
    img = f32(1, 3, 24, 32)

    def prior(**kw):
        return lambda p, x, im: V.prior_box(x, im, **kw)

    out = [
        C("det_prior_box_basic", prior(min_sizes=[4.0]), [feat, img]),
        C("det_prior_box_flip_clip_max",
             prior(min_sizes=[4.0, 8.0], max_sizes=[9.0, 12.0], aspect_ratios=[2.0, 3.0],
                   flip=True, clip=True), [feat, img]),
        C("det_prior_box_minmax_order",
             prior(min_sizes=[4.0, 8.0], max_sizes=[9.0, 12.0], aspect_ratios=[2.0, 0.5],
                   flip=False, min_max_aspect_ratios_order=True), [feat, img]),
        C("det_prior_box_steps_offset",
             prior(min_sizes=[6.0], aspect_ratios=[1.0, 2.0], flip=True, steps=[8.0, 8.0],
                   offset=0.3, variance=[0.1, 0.2, 0.3, 0.4]), [feat, img]),
        C("det_prior_box_steps_uneven",
             prior(min_sizes=[6.0], max_sizes=[10.0], aspect_ratios=[2.0], steps=[6.0, 10.0],
                   clip=True), [feat, img]),
        C("det_prior_box_dynamic", prior(min_sizes=[5.0], aspect_ratios=[3.0], flip=True),
             [feat, img], spec=[[-1, 2, -1, -1], [-1, 3, -1, -1]]),
        C("det_prior_box_dynamic_minmax_order_clip",
             prior(min_sizes=[4.0, 8.0], max_sizes=[9.0, 12.0], aspect_ratios=[2.0, 0.5],
                   flip=True, clip=True, min_max_aspect_ratios_order=True, steps=[7.0, 7.0],
                   offset=0.4), [feat, img], spec=[[1, 2, -1, -1], [1, 3, -1, -1]]),
    ]

    # --- box_coder ---------------------------------------------------------
    r = np.random.default_rng(102)
    def boxes(n, lo=0.0, hi=1.0, minsize=0.05):
        a = r.uniform(lo, hi, (n, 2))
        s = r.uniform(minsize * (hi - lo), 0.4 * (hi - lo), (n, 2))
        return np.concatenate([a, a + s], axis=1).astype("float32")

    def box_coder_novar(p, prior, target):
        """No PriorBoxVar and no variance: the Python API always passes one."""
        attrs = dict(code_type="decode_center_size", box_normalized=True, axis=1)
        if pir_mode():
            return p._C_ops.box_coder(prior, None, target, "decode_center_size", True, 1, [])
        return append("box_coder", {"PriorBox": prior, "TargetBox": target},
                      {"OutputBox": ["float32"]}, attrs)["OutputBox"][0]

    pb, pv = boxes(5), r.uniform(0.1, 0.3, (5, 4)).astype("float32")
    tb = boxes(3)
    pbu, tbu = boxes(5, 0, 50, 0.1), boxes(3, 0, 50, 0.1)
    deltas = f32(3, 5, 4, lo=-0.5, hi=0.5)
    out += [
        C("det_box_coder_encode_var_tensor",
             lambda p, a, v, t: V.box_coder(a, v, t, "encode_center_size"), [pb, pv, tb]),
        C("det_box_coder_encode_var_attr",
             lambda p, a, t: V.box_coder(a, [0.1, 0.1, 0.2, 0.2], t, "encode_center_size"),
             [pb, tb]),
        C("det_box_coder_encode_unnormalized",
             lambda p, a, v, t: V.box_coder(a, v, t, "encode_center_size", box_normalized=False),
             [pbu, pv, tbu]),
        C("det_box_coder_decode_axis0",
             lambda p, a, v, t: V.box_coder(a, v, t, "decode_center_size"), [pb, pv, deltas]),
        C("det_box_coder_decode_axis1",
             lambda p, a, v, t: V.box_coder(a, v, t, "decode_center_size", axis=1),
             [boxes(3), r.uniform(0.1, 0.3, (3, 4)).astype("float32"), deltas]),
        C("det_box_coder_decode_var_attr_unnormalized",
             lambda p, a, t: V.box_coder(a, [0.1, 0.2, 0.3, 0.4], t, "decode_center_size",
                                         box_normalized=False), [pbu, deltas]),
        C("det_box_coder_decode_no_var", lambda p, a, t: box_coder_novar(p, a, t),
             [boxes(3), deltas]),
    ]

    # --- yolo_box: no confidence within 0.02 of the threshold ----------------
    r = np.random.default_rng(103)
    def yolo_input(n, a, c, h, w, thresh, iou=False):
        ch = a * (6 + c) if iou else a * (5 + c)
        while True:
            x = f32(n, ch, h, w, lo=-2.0, hi=2.0)
            sig = lambda v: 1 / (1 + np.exp(-v))
            rest = x[:, a:] if iou else x
            conf = sig(rest.reshape(n, a, 5 + c, h, w)[:, :, 4])
            if iou:
                conf = conf ** 0.6 * sig(x[:, :a]) ** 0.4  # the factor the cases use
            if np.min(np.abs(conf - thresh)) > 0.02 and (conf > thresh).any():
                return x

    img_sz = np.array([[96, 128], [80, 64]], "int32")

    def yolo(**kw):
        return lambda p, x, s: V.yolo_box(x, s, **kw)

    anchors = [10, 13, 16, 30]
    out += [
        C("det_yolo_box_basic",
          yolo(anchors=anchors, class_num=3, conf_thresh=0.5, downsample_ratio=32),
          [yolo_input(2, 2, 3, 3, 4, 0.5), img_sz]),
        C("det_yolo_box_noclip_scale_ds16",
          yolo(anchors=anchors + [33, 23], class_num=2, conf_thresh=0.4, downsample_ratio=16,
               clip_bbox=False, scale_x_y=1.05),
          [yolo_input(2, 3, 2, 4, 3, 0.4), img_sz]),
        C("det_yolo_box_iou_aware",
          yolo(anchors=anchors, class_num=2, conf_thresh=0.45, downsample_ratio=8,
               iou_aware=True, iou_aware_factor=0.4),
          [yolo_input(2, 2, 2, 3, 3, 0.45, iou=True), img_sz]),
        C("det_yolo_box_dynamic_batch",
          yolo(anchors=anchors, class_num=3, conf_thresh=0.5, downsample_ratio=32),
          [yolo_input(2, 2, 3, 3, 4, 0.5), img_sz], spec=[[-1, 16, 3, 4], [-1, 2]]),
        C("det_yolo_box_dynamic_hw_iou_aware",
          yolo(anchors=anchors, class_num=3, conf_thresh=0.3, downsample_ratio=16,
               iou_aware=True, iou_aware_factor=0.4, scale_x_y=1.1),
          [yolo_input(2, 2, 3, 4, 5, 0.3, iou=True), img_sz], spec=[[-1, 18, -1, -1], [-1, 2]]),
    ]

    # --- multiclass_nms3 ------------------------------------------------------
    r = np.random.default_rng(104)
    def iou(a, b, normalized):
        off = 0.0 if normalized else 1.0
        iw = np.minimum(a[2], b[2]) - np.maximum(a[0], b[0]) + off
        ih = np.minimum(a[3], b[3]) - np.maximum(a[1], b[1]) + off
        if iw <= 0 or ih <= 0:
            return 0.0
        inter = iw * ih
        area = lambda q: (q[2] - q[0] + off) * (q[3] - q[1] + off)
        return inter / (area(a) + area(b) - inter)

    def clustered(m, scale):
        """m boxes in pairs: each pair overlaps strongly, pairs hardly."""
        out = []
        for _ in range((m + 1) // 2):
            c = r.uniform(0.2, 0.8, 2)
            sz = r.uniform(0.15, 0.3, 2)
            a = np.concatenate([c - sz / 2, c + sz / 2])
            j = a + r.uniform(-0.1, 0.1, 4) * np.concatenate([sz, sz])
            out += [a, j]
        return (np.array(out[:m]) * scale).astype("float32")

    def nms_case(n, m, c, score_thr, iou_thrs, normalized=True, per_class_boxes=False,
                 run=None, vary=(), post=None):
        """Boxes [n, m, 4] (per_class_boxes: [n, m, c, 4]) and scores [n, c, m]
        clear of every threshold.  run(boxes, scores, **changes) is the op
        in eager mode (its detections as an array); each change in vary
        must alter them, so that the case tells the attribute's value.
        post: matrix_nms's post_threshold, which every decayed score must
        clear too."""
        # unnormalized boxes are a few pixels wide: their +1 counts
        scale = 1.0 if normalized else 12.0
        for _ in range(3000):
            if per_class_boxes:
                bx = np.stack([np.stack([clustered(m, scale) for _ in range(c)], 1)
                               for _ in range(n)])
                sets = [bx[i, :, k] for i in range(n) for k in range(c)]
            else:
                bx = np.stack([clustered(m, scale) for _ in range(n)])
                sets = list(bx)
            ious = [iou(q[i], q[j], normalized) for q in sets
                    for i in range(m) for j in range(i + 1, m)]
            sc = r.uniform(0.0, 1.0, (n, c, m)).astype("float32")
            flat = np.sort(sc.reshape(n, -1), axis=1)
            if (min((abs(v - t) for v in ious for t in iou_thrs), default=1) > 0.01
                    and np.min(np.abs(sc - score_thr)) > 0.01
                    and np.min(np.diff(flat, axis=1)) > 1e-3
                    and max(ious) > max(iou_thrs, default=0.3) and (sc > score_thr).sum(axis=(1, 2)).min() > 2):
                base = run(bx, sc) if run else None
                if post is not None:
                    d = run(bx, sc, post_threshold=0.0, keep_top_k=-1)
                    if not len(d) or np.min(np.abs(d[:, 1] - post)) <= 0.01:
                        continue
                if all(not np.array_equal(base, run(bx, sc, **ch)) for ch in vary):
                    return bx.astype("float32"), sc
        raise RuntimeError("no draw of NMS inputs meets the conditions")

    def mc_nms(p, bb, sc, num=None, score_threshold=0.3, nms_top_k=-1, keep_top_k=-1,
               nms_threshold=0.5, normalized=True, nms_eta=1.0, background_label=0):
        if pir_mode():
            return p._C_ops.multiclass_nms3(bb, sc, num, score_threshold, nms_top_k, keep_top_k,
                                            nms_threshold, normalized, nms_eta, background_label)
        o = append("multiclass_nms3", {"BBoxes": bb, "Scores": sc, "RoisNum": num},
                   {"Out": ["float32"], "Index": ["int32"], "NmsRoisNum": ["int32"]},
                   dict(score_threshold=score_threshold, nms_top_k=nms_top_k,
                        keep_top_k=keep_top_k, nms_threshold=nms_threshold,
                        normalized=normalized, nms_eta=nms_eta,
                        background_label=background_label))
        return o["Out"][0], o["Index"][0], o["NmsRoisNum"][0]

    def eta_thresholds(t, eta):
        out = [t]
        while eta < 1 and t > 0.5:
            t *= eta
            out.append(t)
        return out

    def nms_op(**kw):
        return lambda p, b, s: mc_nms(p, b, s, **kw)

    def nms_eager(**kw):
        def run(bx, sc, **ch):
            res = mc_nms(paddle, paddle.to_tensor(bx), paddle.to_tensor(sc), **dict(kw, **ch))
            return res[0].numpy()
        return run

    def nms_fixture(name, n, m, c, iou_thrs, vary=(), normalized=True, **kw):
        return C(name, nms_op(normalized=normalized, **kw),
                 nms_case(n, m, c, kw["score_threshold"], iou_thrs, normalized,
                          run=nms_eager(normalized=normalized, **kw), vary=vary),
                 compare="nms")

    out += [
        nms_fixture("det_multiclass_nms3_basic", 2, 6, 3, [0.5],
                    vary=[dict(keep_top_k=-1), dict(nms_threshold=1.01)],
                    score_threshold=0.3, nms_top_k=20, keep_top_k=5, nms_threshold=0.5),
        nms_fixture("det_multiclass_nms3_no_background_all", 2, 6, 3, [0.5],
                    vary=[dict(background_label=0)],
                    score_threshold=0.4, background_label=-1, nms_threshold=0.5),
        nms_fixture("det_multiclass_nms3_background_2_topk", 2, 6, 3, [0.5],
                    vary=[dict(background_label=0), dict(nms_top_k=-1), dict(keep_top_k=-1)],
                    score_threshold=0.2, background_label=2, nms_top_k=2, keep_top_k=3,
                    nms_threshold=0.5),
        nms_fixture("det_multiclass_nms3_unnormalized", 2, 6, 3, [0.5], normalized=False,
                    vary=[dict(normalized=True)],
                    score_threshold=0.3, nms_threshold=0.5, keep_top_k=8),
        nms_fixture("det_multiclass_nms3_eta", 1, 8, 2, eta_thresholds(0.8, 0.9),
                    vary=[dict(nms_eta=1.0)],
                    score_threshold=0.1, nms_threshold=0.8, nms_eta=0.9, background_label=-1),
    ]
    dyn = nms_fixture("det_multiclass_nms3_dynamic", 2, 6, 3, [0.5],
                      score_threshold=0.3, keep_top_k=10, nms_threshold=0.5)
    dyn.spec = [[-1, -1, 4], [-1, 3, -1]]
    out.append(dyn)
    bx, sc = nms_case(1, 7, 3, 0.3, [0.5], per_class_boxes=True)
    out.append(
        C("det_multiclass_nms3_rois_num",
          lambda p, b, s, n: mc_nms(p, b, s, n, score_threshold=0.3, nms_threshold=0.5,
                                    keep_top_k=10),
          [bx[0], sc[0].T.copy(), np.array([3, 4], "int32")], compare="nms"))

    # --- matrix_nms -------------------------------------------------------------
    r = np.random.default_rng(105)
    def mx_nms(p, bb, sc, **kw):
        o, num, idx = V.matrix_nms(bb, sc, return_index=True, return_rois_num=True, **kw)
        return o, idx, num

    def mx_fixture(name, n, m, c, iou_thrs, vary=(), normalized=True, **kw):
        def run(bx, sc, **ch):
            a = dict(kw, normalized=normalized)
            a.update(ch)
            return mx_nms(paddle, paddle.to_tensor(bx), paddle.to_tensor(sc), **a)[0].numpy()
        return C(name, lambda p, b, s: mx_nms(p, b, s, normalized=normalized, **kw),
                 nms_case(n, m, c, kw["score_threshold"], iou_thrs, normalized, run=run,
                          vary=vary, post=kw["post_threshold"]),
                 compare="nms")

    out += [
        mx_fixture("det_matrix_nms_linear", 2, 6, 3, [],
                   vary=[dict(keep_top_k=-1), dict(post_threshold=0.0), dict(use_gaussian=True)],
                   score_threshold=0.1, post_threshold=0.3, nms_top_k=-1, keep_top_k=3),
        mx_fixture("det_matrix_nms_gaussian", 2, 6, 3, [],
                   vary=[dict(gaussian_sigma=2.0), dict(use_gaussian=False)],
                   score_threshold=0.1, post_threshold=0.25, nms_top_k=-1, keep_top_k=-1,
                   use_gaussian=True, gaussian_sigma=0.5),
        mx_fixture("det_matrix_nms_unnormalized_no_background", 2, 6, 3, [], normalized=False,
                   vary=[dict(normalized=True), dict(background_label=0), dict(nms_top_k=-1)],
                   score_threshold=0.2, post_threshold=0.3, nms_top_k=4, keep_top_k=-1,
                   background_label=-1),
    ]

    # --- generate_proposals_v2 --------------------------------------------------
    r = np.random.default_rng(106)
    def stable_draw(draw, run, stable=(), vary=()):
        """Inputs from draw() whose result run(inputs, **changes) stays the
        same under each small change in stable (no box sits at a threshold)
        and differs under each change in vary.  The last result is a count
        per image: the images must differ in it (a constant proves nothing)."""
        for _ in range(2000):
            x = draw()
            base = run(x)
            if (len(base[0]) > 2 and (len(base[-1]) < 2 or np.ptp(base[-1]) > 0)
                    and all(all(np.array_equal(u, v) for u, v in zip(base, run(x, **ch)))
                            for ch in stable)
                    and all(not all(np.array_equal(u, v) for u, v in zip(base, run(x, **ch)))
                            for ch in vary)):
                return x
        raise RuntimeError("no draw meets the conditions")

    def anchors_grid(h, w, stride, sizes):
        out = np.zeros((h, w, len(sizes), 4), "float32")
        for i in range(h):
            for j in range(w):
                cy, cx = (i + 0.5) * stride, (j + 0.5) * stride
                for k, (sw, sh) in enumerate(sizes):
                    out[i, j, k] = [cx - sw / 2, cy - sh / 2, cx + sw / 2, cy + sh / 2]
        return out

    def proposals(p, sc, d, im, an, var, **kw):
        rois, probs, num = V.generate_proposals(sc, d, im, an, var, return_rois_num=True, **kw)
        return rois, probs, num

    def gp_fixture(name, n, h, w, vary=(), **kw):
        sizes = [(6.0, 10.0), (12.0, 8.0)]
        a = len(sizes)
        an = anchors_grid(h, w, 8.0, sizes)
        im = np.array([[h * 8.0, w * 8.0], [h * 8.0 - 5, w * 8.0 - 3]][:n], "float32")

        def draw():
            sc = r.uniform(0, 1, (n, a, h, w)).astype("float32")
            d = r.uniform(-0.6, 0.6, (n, 4 * a, h, w)).astype("float32")
            var = r.uniform(0.5, 1.0, (h, w, a, 4)).astype("float32")
            return sc, d, var

        def run(x, **ch):
            t = paddle.to_tensor
            k = dict(kw)
            k.update(ch)
            res = proposals(paddle, t(x[0]), t(x[1]), t(im), t(an), t(x[2]), **k)
            return [q.numpy() for q in res]

        stable = [dict(nms_thresh=kw["nms_thresh"] + 0.01), dict(nms_thresh=kw["nms_thresh"] - 0.01),
                  dict(min_size=kw["min_size"] * 1.02 + 0.01), dict(min_size=kw["min_size"] * 0.98)]
        sc, d, var = stable_draw(draw, run, stable, vary)
        return C(name, lambda p, s, dd, i, aa, v: proposals(p, s, dd, i, aa, v, **kw),
                 [sc, d, im, an, var])

    out += [
        gp_fixture("det_generate_proposals_v2_basic", 2, 3, 4,
                   vary=[dict(pixel_offset=True), dict(pre_nms_top_n=100)],
                   pre_nms_top_n=8, post_nms_top_n=10, nms_thresh=0.5, min_size=0.1),
        gp_fixture("det_generate_proposals_v2_pixel_offset_min_size", 1, 4, 4,
                   vary=[dict(pixel_offset=False), dict(min_size=0.1), dict(post_nms_top_n=100)],
                   pre_nms_top_n=30, post_nms_top_n=6, nms_thresh=0.6, min_size=7.0,
                   pixel_offset=True),
    ]
    # --- roi_align, roi_pool, psroi_pool -------------------------------------------
    r = np.random.default_rng(107)
    def rois(nums, hw, lo=0.3, hi=0.8):
        """Boxes in pixels inside an image of size hw, per image counts nums."""
        h, w = hw
        out = []
        for _ in range(sum(nums)):
            x1, y1 = r.uniform(0, w * 0.6), r.uniform(0, h * 0.6)
            out.append([x1, y1, x1 + r.uniform(lo, hi) * w * 0.5 + 0.7,
                        y1 + r.uniform(lo, hi) * h * 0.5 + 0.7])
        return np.array(out, "float32")

    feat2 = f32(2, 3, 8, 10)
    bx2, nums2 = rois([2, 3], (16, 20)), np.array([2, 3], "int32")
    out += [
        C("det_roi_align_aligned",
          lambda p, x, b, n: V.roi_align(x, b, n, 2, spatial_scale=0.5, aligned=True),
          [feat2, bx2, nums2]),
        C("det_roi_align_unaligned_sampling2",
          lambda p, x, b, n: V.roi_align(x, b, n, (2, 3), spatial_scale=0.5, sampling_ratio=2,
                                         aligned=False),
          [feat2, bx2, nums2]),
        C("det_roi_align_scale1_adaptive",
          lambda p, x, b, n: V.roi_align(x, b, n, (3, 2), spatial_scale=1.0, sampling_ratio=-1,
                                         aligned=False),
          [f32(1, 2, 9, 7), rois([4], (9, 7)), np.array([4], "int32")]),
        C("det_roi_pool",
          lambda p, x, b, n: V.roi_pool(x, b, n, 2, spatial_scale=0.5),
          [feat2, bx2, nums2]),
        C("det_roi_pool_rect_scale1",
          lambda p, x, b, n: V.roi_pool(x, b, n, (3, 2), spatial_scale=1.0),
          [f32(1, 2, 9, 7), rois([4], (9, 7)), np.array([4], "int32")]),
    ]

    def psroi(p, x, b, n, size, scale):
        """The legacy builder of the Python API drops boxes_num (and
        Paddle's executor then crashes on boxes without LoD): pass it."""
        if pir_mode():
            return V.psroi_pool(x, b, n, size, spatial_scale=scale)
        return append("psroi_pool", {"X": x, "ROIs": b, "RoisNum": n}, {"Out": ["float32"]},
                      dict(output_channels=x.shape[1] // (size * size), spatial_scale=scale,
                           pooled_height=size, pooled_width=size))["Out"][0]

    out += [
        C("det_psroi_pool", lambda p, x, b, n: psroi(p, x, b, n, 2, 0.5),
          [f32(2, 8, 8, 10), bx2, nums2]),
        C("det_psroi_pool_3x3_scale1", lambda p, x, b, n: psroi(p, x, b, n, 3, 1.0),
          [f32(1, 18, 9, 7), rois([4], (9, 7)), np.array([4], "int32")]),
    ]

    # ROIs under one cell: aligned keeps them, unaligned widens them to one
    small = rois([3, 2], (16, 20), lo=0.02, hi=0.12)
    out += [
        C("det_roi_align_aligned_small_rois",
          lambda p, x, b, n: V.roi_align(x, b, n, 2, spatial_scale=0.25, sampling_ratio=2,
                                         aligned=True), [feat2, small, nums2]),
        C("det_roi_align_unaligned_small_rois",
          lambda p, x, b, n: V.roi_align(x, b, n, 2, spatial_scale=0.25, aligned=False),
          [feat2, small, nums2]),
    ]

    # --- distribute_fpn_proposals -------------------------------------------------
    r = np.random.default_rng(108)
    def fpn_rois(levels, refer_scale, refer_level, pixel_offset):
        """One box per wanted level, its scale well inside the level's range
        (min/max levels clamp: those get scales beyond the range)."""
        out = []
        off = 1.0 if pixel_offset else 0.0
        for lv in levels:
            s = refer_scale * 2.0 ** (lv - refer_level + r.uniform(0.2, 0.8))
            ar = r.uniform(0.6, 1.6)
            w, h = s * np.sqrt(ar) - off, s / np.sqrt(ar) - off
            x1, y1 = r.uniform(0, 50), r.uniform(0, 50)
            out.append([x1, y1, x1 + w, y1 + h])
        return np.array(out, "float32")

    class Distribute(paddle.nn.Layer):
        """A saved layer, its reference from eager mode: the static
        executor's results keep LoD, which it will not fetch as arrays."""

        def __init__(self, **kw):
            super().__init__()
            self.kw = kw

        def forward(self, rois, num):
            multi, restore, nums = V.distribute_fpn_proposals(rois, rois_num=num, **self.kw)
            return tuple(multi) + (restore,) + tuple(nums)

    # levels per image chosen so that every level and every per-level count
    # varies; 1 and 6 lie outside min/max and are clamped.  The last box,
    # 223.5 pixels square, is level 3 as it is and level 4 with the pixel
    # offset's +1 (224.5 > refer_scale): it tells pixel_offset apart.
    lv = [1, 5, 3, 6, 3, 2, 2, 4, 4, 3]
    edge = np.array([[10.0, 20.0, 233.5, 243.5]], "float32")
    fpn = dict(min_level=2, max_level=5, refer_level=4, refer_scale=224)
    nums = np.array([4, 7], "int32")
    out += [
        Case("det_distribute_fpn_proposals", layer=lambda p: Distribute(**fpn),
             inputs=[np.concatenate([fpn_rois(lv, 224, 4, False), edge]), nums]),
        Case("det_distribute_fpn_proposals_pixel_offset",
             layer=lambda p: Distribute(pixel_offset=True, **fpn),
             inputs=[np.concatenate([fpn_rois(lv, 224, 4, True), edge]), nums]),
    ]

    return out
