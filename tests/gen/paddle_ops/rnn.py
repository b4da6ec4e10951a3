"""paddle.nn.LSTM / GRU / SimpleRNN: Paddle's rnn op, one or two
directions, one to three layers, given and zero initial states, batch or
time major, dynamic batch."""


def cases(paddle, np, Case):
    r = np.random.default_rng(41)
    x = r.uniform(-1, 1, [2, 5, 4]).astype("float32")          # batch, seq, in
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))             # seq, batch, in

    def net(kind, layers=1, direction="forward", time_major=False, act=None):
        """A static program: the layer's parameters come from Paddle's own
        initializer (uniform in +-1/sqrt(hidden): every gate matters)."""
        def fn(p, x, *st):
            kw = {"activation": act} if act else {}
            rnn = getattr(p.nn, kind)(4, 3, num_layers=layers, direction=direction,
                                      time_major=time_major, **kw)
            if kind == "LSTM" and st:
                o, (h, c) = rnn(x, (st[0], st[1]))
                return o, h, c
            if st:
                o, h = rnn(x, st[0])
                return o, h
            o, s = rnn(x)
            return (o, s[0], s[1]) if kind == "LSTM" else (o, s)
        return fn

    D = lambda d: 2 if d == "bidirect" else 1  # noqa: E731
    out = []
    for kind in ("LSTM", "GRU", "SimpleRNN"):
        k = kind.lower()
        for layers, direction in ((1, "forward"), (2, "bidirect"), (3, "forward")):
            out.append(Case(f"rnn_{k}_l{layers}_{direction}",
                            net(kind, layers, direction), [x], spec=[[-1, 5, 4]]))
        n = 2 * D("bidirect")
        st = [r.uniform(-1, 1, [n, 2, 3]).astype("float32") for _ in range(2 if kind == "LSTM" else 1)]
        out.append(Case(f"rnn_{k}_l2_bidirect_states",
                        net(kind, 2, "bidirect"), [x] + st))
        out.append(Case(f"rnn_{k}_time_major",
                        net(kind, 1, "bidirect", time_major=True), [xt], spec=[[5, -1, 4]]))
    out.append(Case("rnn_simplernn_relu", net("SimpleRNN", 2, "forward", act="relu"), [x]))
    return out
