"""density_prior_box: Paddle 3 no longer has the operator (BlazeFace and
the face detectors of PaddleDetection 2.x use it), so these legacy
programs are made by Paddle 2.6.2 (tests/setup-venvs.sh paddle26):

    .venv/paddle26/bin/python tests/gen/paddle_ops.py --only 'det26_*'
"""
PADDLE_VERSION = "2.6"


def cases(paddle, np, Case):
    r = np.random.default_rng(81)

    def dpb(**kw):
        """The op appended by hand (no Python API calls it in 2.6 either)."""
        attrs = {"variances": [0.1, 0.1, 0.2, 0.2], "clip": False, "flatten_to_2d": False,
                 "step_w": 0.0, "step_h": 0.0, "offset": 0.5}
        attrs.update(kw)

        def fn(p, x, img):
            from paddle.base.layer_helper import LayerHelper
            h = LayerHelper("density_prior_box")
            boxes = h.create_variable_for_type_inference("float32")
            var = h.create_variable_for_type_inference("float32")
            h.append_op(type="density_prior_box", inputs={"Input": [x], "Image": [img]},
                        outputs={"Boxes": [boxes], "Variances": [var]}, attrs=attrs)
            return boxes, var
        return fn

    feat = r.uniform(-1, 1, [1, 2, 3, 4]).astype("float32")
    img = r.uniform(-1, 1, [1, 3, 30, 40]).astype("float32")
    sq = r.uniform(-1, 1, [1, 2, 4, 4]).astype("float32")
    img_sq = r.uniform(-1, 1, [1, 3, 32, 32]).astype("float32")
    L = ("legacy",)
    return [
        Case("det26_density_prior_box", dpb(densities=[3, 1], fixed_sizes=[8.0, 16.0],
                                             fixed_ratios=[1.0, 2.0], variances=[0.1, 0.1, 0.2, 0.2]),
             [feat, img], formats=L),
        # BlazeFace's form: one ratio, densities 2/1, clip, flattened
        Case("det26_density_prior_box_flat_clip",
             dpb(densities=[2, 1], fixed_sizes=[12.0, 28.0], fixed_ratios=[1.0], clip=True,
                 flatten_to_2d=True), [sq, img_sq], formats=L),
        # a step that is not the image / feature ratio, an odd density
        Case("det26_density_prior_box_steps",
             dpb(densities=[3], fixed_sizes=[10.0], fixed_ratios=[0.5, 1.0, 3.0],
                 step_w=7.0, step_h=9.0, offset=0.25), [feat, img], formats=L),
    ]
