"""Shared by the family files (the loader skips names starting with "_"):
a case whose body is a function of its inputs, saved as a layer.

paddle.jit.save traces a layer's forward from its source, so the wrappers
are real classes with a fixed number of inputs, written out here rather
than generated."""


def case_maker(paddle, Case):
    """L(name, fn, inputs, **kw): a Case running fn(paddle, *inputs) in a
    layer's forward (kind "static": a static program instead)."""

    class W1(paddle.nn.Layer):
        def __init__(self, fn):
            super().__init__()
            self.fn = fn

        def forward(self, a):
            return self.fn(paddle, a)

    class W2(W1):
        def forward(self, a, b):
            return self.fn(paddle, a, b)

    class W3(W1):
        def forward(self, a, b, c):
            return self.fn(paddle, a, b, c)

    class W4(W1):
        def forward(self, a, b, c, d):
            return self.fn(paddle, a, b, c, d)

    wrappers = {1: W1, 2: W2, 3: W3, 4: W4}

    def L(name, fn, inputs, **kw):
        if kw.get("kind") == "static":
            return Case(name, fn, inputs, **kw)
        n = len(inputs)
        return Case(name, layer=lambda p: wrappers[n](fn), inputs=inputs, **kw)
    return L, wrappers
