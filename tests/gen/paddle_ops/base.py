"""The two kinds of case: a layer saved by paddle.jit.save and a program
built op by op in static mode (paddle.static.save_inference_model)."""


def cases(paddle, np, Case):
    r = np.random.default_rng(1)
    x = r.uniform(-1, 1, [2, 3, 4]).astype("float32")

    class Lin(paddle.nn.Layer):
        def __init__(self):
            super().__init__()
            self.fc = paddle.nn.Linear(4, 5)

        def forward(self, x):
            return paddle.nn.functional.relu(self.fc(x))

    class BN(paddle.nn.Layer):
        """batch_norm in inference: random statistics so that it matters."""
        def __init__(self, layout):
            super().__init__()
            self.bn = paddle.nn.BatchNorm2D(3, data_format=layout)
            rng = np.random.default_rng(5)
            self.bn._mean.set_value(rng.normal(0, 0.5, [3]).astype("float32"))
            self.bn._variance.set_value(rng.uniform(0.5, 2, [3]).astype("float32"))
            self.bn.weight.set_value(rng.uniform(0.5, 1.5, [3]).astype("float32"))
            self.bn.bias.set_value(rng.normal(0, 0.5, [3]).astype("float32"))

        def forward(self, x):
            return self.bn(x)

    class PReLU(paddle.nn.Layer):
        def __init__(self, n):
            super().__init__()
            self.act = paddle.nn.PReLU(num_parameters=n, init=0.1)
            self.act._weight.set_value(np.linspace(0.05, 0.6, n).astype("float32"))

        def forward(self, x):
            return self.act(x)

    img = r.uniform(-1, 1, [2, 3, 4, 5]).astype("float32")
    nhwc = np.ascontiguousarray(img.transpose(0, 2, 3, 1))
    F = paddle.nn.functional
    return [
        Case("base_batch_norm", layer=lambda p: BN("NCHW"), inputs=[img], spec=[[-1, 3, 4, 5]]),
        Case("base_batch_norm_nhwc", layer=lambda p: BN("NHWC"), inputs=[nhwc]),
        Case("base_softmax", lambda p, a: F.softmax(a, axis=-1), [img]),
        Case("base_softmax_axis1", lambda p, a: F.softmax(a, axis=1), [img]),
        Case("base_log_softmax", lambda p, a: F.log_softmax(a, axis=-1), [img]),
        Case("base_log_softmax_axis0", lambda p, a: F.log_softmax(a, axis=0), [img]),
        Case("base_prelu_all", layer=lambda p: PReLU(1), inputs=[img]),
        Case("base_prelu_channel", layer=lambda p: PReLU(3), inputs=[img]),
        Case("base_relu_static", lambda p, a: p.nn.functional.relu(a), [x], kind="static"),
        Case("base_linear_dynbatch", layer=lambda p: Lin(), inputs=[x], spec=[[-1, 3, 4]]),
    ]
