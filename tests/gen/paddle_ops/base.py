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

    return [
        Case("base_relu_static", lambda p, a: p.nn.functional.relu(a), [x], kind="static"),
        Case("base_linear_dynbatch", layer=lambda p: Lin(), inputs=[x], spec=[[-1, 3, 4]]),
    ]
