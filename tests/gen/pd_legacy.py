"""Paddle 3.3's legacy static mode, mended for the fixture generators.

Paddle 3.3.1 rebinds some fifty functions (paddle.tanh, paddle.sum,
paddle.logical_not, paddle.nn.functional.sigmoid...) to C entry points that
take only eager tensors and PIR values; under FLAGS_enable_pir_api=0 they
fail with "must be Value, but got Variable", and so does Paddle's own code
that calls them (paddle.static.nn.cond calls paddle.logical_not).  A legacy
.pdmodel with those ops is what users of older Paddle releases have, so the
fixtures need them: patch(paddle) puts back functions that append the
legacy operator to the current block (LayerHelper), with the operator name,
slots and attributes older Paddle wrote.  Only the legacy child calls it.
"""

# name -> (legacy op, input slots, output slot); unary ops are X -> Out
UNARY = ["acos", "acosh", "asin", "atanh", "ceil", "cos", "cosh", "exp", "expm1", "floor",
         "log", "log2", "log10", "log1p", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh",
         "sqrt", "tanh", "abs", "logical_not"]
BINARY = {"multiply": "elementwise_mul", "maximum": "elementwise_max",
          "minimum": "elementwise_min", "greater_than": "greater_than",
          "logical_and": "logical_and", "logical_or": "logical_or", "logical_xor": "logical_xor"}
BOOL_OUT = {"greater_than", "logical_and", "logical_or", "logical_xor", "logical_not"}
REDUCE = {"sum": "reduce_sum", "amax": "reduce_amax", "amin": "reduce_amin", "all": "reduce_all",
          "any": "reduce_any", "logsumexp": "logsumexp"}


def _append(paddle, op, inputs, attrs=None, dtype=None, like=None):
    from paddle.base.layer_helper import LayerHelper
    h = LayerHelper(op)
    out = h.create_variable_for_type_inference(dtype=dtype or like.dtype)
    h.append_op(type=op, inputs=inputs, outputs={"Out": out}, attrs=attrs or {})
    return out


def _axes(axis):
    if axis is None:
        return [0], True
    return (list(axis) if isinstance(axis, (list, tuple)) else [axis]), False


def patch(paddle):
    if not paddle.__version__.startswith("3."):
        return          # older releases build legacy programs themselves
    import paddle.base.core as core
    from paddle.base.framework import Variable

    def is_legacy(v):
        return isinstance(v, Variable)

    import importlib
    # (paddle.tensor is a function; the module is sys.modules["paddle.tensor"])
    mods = [paddle, importlib.import_module("paddle.tensor")] + [importlib.import_module("paddle.tensor." + m) for m in
                                      ("math", "logic", "ops", "linalg", "manipulation", "search",
                                       "stat", "creation", "attribute")]
    F = paddle.nn.functional
    mods += [F, importlib.import_module("paddle.nn.functional.activation")]

    def wrap(orig, legacy):
        def f(*a, **k):
            first = a[0] if a else next(iter(k.values()), None)
            return legacy(*a, **k) if is_legacy(first) else orig(*a, **k)
        return f

    import builtins
    real_setattr = builtins.setattr

    def setattr(obj, name, f):  # noqa: A001 - every module that has the name
        real_setattr(obj, name, f)
        if obj is paddle:
            for m in mods:
                if hasattr(m, name):
                    real_setattr(m, name, f)

    for name in UNARY:
        def un(x, name_=None, _op=name, **k):
            dt = core.VarDesc.VarType.BOOL if _op in BOOL_OUT else None
            return _append(paddle, _op, {"X": [x]}, dtype=dt, like=x)
        setattr(paddle, name, wrap(getattr(paddle, name), un))
    for name, op in BINARY.items():
        def bi(x, y, name_=None, _op=op, _n=name, **k):
            if not is_legacy(y):
                y = paddle.full([1], y, x.dtype)
            dt = core.VarDesc.VarType.BOOL if _n in BOOL_OUT else None
            attrs = {"axis": -1} if _op.startswith("elementwise") else {}
            return _append(paddle, _op, {"X": [x], "Y": [y]}, attrs, dtype=dt, like=x)
        setattr(paddle, name, wrap(getattr(paddle, name), bi))
    for name, op in REDUCE.items():
        def red(x, axis=None, keepdim=False, name_=None, dtype=None, _op=op, **k):
            dims, every = _axes(axis)
            attrs = ({"axis": dims, "keepdim": keepdim, "reduce_all": every} if _op == "logsumexp"
                     else {"dim": dims, "keep_dim": keepdim, "reduce_all": every})
            dt = core.VarDesc.VarType.BOOL if _op in ("reduce_all", "reduce_any") else None
            return _append(paddle, _op, {"X": [x]}, attrs, dtype=dt, like=x)
        setattr(paddle, name, wrap(getattr(paddle, name), red))
    def matmul(x, y, transpose_x=False, transpose_y=False, name=None):
        return _append(paddle, "matmul_v2", {"X": [x], "Y": [y]},
                       {"trans_x": transpose_x, "trans_y": transpose_y}, like=x)
    setattr(paddle, "matmul", wrap(paddle.matmul, matmul))
    for name in ("sigmoid", "tanh"):
        for m in mods[-2:]:
            real_setattr(m, name, getattr(paddle, name))

    def gelu(x, approximate=False, name=None):
        return _append(paddle, "gelu", {"X": [x]}, {"approximate": bool(approximate)}, like=x)

    def softplus(x, beta=1, threshold=20, name=None):
        return _append(paddle, "softplus", {"X": [x]}, {"beta": float(beta),
                                                          "threshold": float(threshold)}, like=x)
    for name, fn in (("gelu", gelu), ("softplus", softplus)):
        for m in mods[-2:] + [paddle]:
            if hasattr(m, name):
                real_setattr(m, name, wrap(getattr(m, name), fn))
    # Variable methods (x.tanh(), x.sum()) go through paddle.tensor
    for name in UNARY + list(REDUCE) + ["matmul"]:
        if hasattr(Variable, name):
            real_setattr(Variable, name, getattr(paddle, name))
