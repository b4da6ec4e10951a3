"""Control flow: paddle.static.nn.while_loop (legacy while + sub-block,
PIR pd_op.while + region) and paddle.static.nn.cond (legacy two
conditional_blocks + select_input, PIR pd_op.if), nested, with weights
read inside a body, data-dependent trip counts, dynamic batch."""


def cases(paddle, np, Case):
    r = np.random.default_rng(61)
    x = r.uniform(-1, 1, [2, 3]).astype("float32")
    big = r.uniform(2, 3, [2, 3]).astype("float32")
    F = paddle.nn.functional

    def counter_loop(p, a):
        # the loop works on a copy: legacy while writes its results back
        # into the variables it was given, PIR does not
        acc0 = a * 1.0
        i = p.full([1], 0, "int64")
        n = p.full([1], 4, "int64")
        _, y = p.static.nn.while_loop(lambda i, acc: i < n,
                                      lambda i, acc: (i + 1, acc * 0.5 + p.tanh(acc)), [i, acc0])
        return y

    def data_loop(p, a):
        # runs until the values pass 8: how often depends on the input
        acc0 = p.abs(a) + 0.5
        k0 = p.full([1], 0, "int64")
        k, y = p.static.nn.while_loop(lambda k, acc: p.max(acc) < 8.0,
                                      lambda k, acc: (k + 1, acc * 1.7), [k0, acc0])
        return y, k

    def nested_loop(p, a):
        acc0 = a * 1.0
        i = p.full([1], 0, "int64")

        def outer_body(i, acc):
            j = p.full([1], 0, "int64")
            _, acc2 = p.static.nn.while_loop(lambda j, v: j < i + 1,
                                             lambda j, v: (j + 1, v + 0.25 * F.relu(v)), [j, acc])
            return i + 1, acc2
        _, y = p.static.nn.while_loop(lambda i, acc: i < 3, outer_body, [i, acc0])
        return y

    def weight_loop(p, a):
        # a weight made outside, read inside the body (a captured Const)
        w = p.create_parameter([3, 3], "float32",
                               default_initializer=p.nn.initializer.Uniform(-0.6, 0.6))
        acc0 = a * 1.0
        i = p.full([1], 0, "int64")
        _, y = p.static.nn.while_loop(lambda i, acc: i < 3,
                                      lambda i, acc: (i + 1, p.tanh(p.matmul(acc, w))), [i, acc0])
        return y

    def cond_sum(p, a):
        s = p.sum(a)
        acc = a * 1.0
        return p.static.nn.cond(s > 0, lambda: acc + 1.0, lambda: acc * -2.0)

    def cond_two_out(p, a):
        s = p.max(a)
        b = a * 1.0
        return p.static.nn.cond(s > 2.5, lambda: (b * 2.0, b - 1.0), lambda: (b * 3.0, b + 1.0))

    def cond_in_loop(p, a):
        acc0 = a * 1.0
        i = p.full([1], 0, "int64")

        def body(i, acc):
            odd = (i % 2) == 1
            nxt = p.static.nn.cond(odd, lambda: acc * 0.5, lambda: acc + 1.0)
            return i + 1, nxt
        _, y = p.static.nn.while_loop(lambda i, acc: i < 5, body, [i, acc0])
        return y

    def array_loop(before, axis, stack):
        """A tensor array filled by a loop (element 0 written before it when
        `before`), then stacked or concatenated, its length, one element."""
        def fn(p, a):
            T = p.tensor
            arr = T.create_array("float32")
            i = p.zeros([1], "int64")
            if before:
                arr = T.array_write(a * 1.0, i, array=arr)
            n = p.full([1], 4, "int64")

            def body(i, v, arr):
                v2 = v * 0.5 + 1.0
                i2 = i + 1 if before else i
                arr = T.array_write(v2, i2, array=arr)
                return (i2 if before else i + 1), v2, arr
            _, _, arr = p.static.nn.while_loop(lambda i, v, arr: i < n, body, [i, a * 1.0, arr])
            # (the executor fetches OutIndex as None: it is left out)
            y, _ = T.manipulation.tensor_array_to_tensor(arr, axis=axis, use_stack=stack)
            return (y, T.array_length(arr),
                    T.array_read(arr, p.full([1], 2, "int64")))
        return fn

    def increment_loop(p, a):
        # the counter advanced by paddle.increment (the legacy increment op)
        acc0 = a * 1.0
        i = p.full([1], 0, "float32")

        def body(i, acc):
            return p.increment(i, 1.5), acc * 0.5 + i
        _, y = p.static.nn.while_loop(lambda i, acc: i < 5.0, body, [i, acc0])
        return y

    pos = np.abs(x) + 0.1
    return [
        # PIR: Paddle 3.3 saves the in-place increment_ of a loop variable
        # in a form its own executor runs differently; legacy only
        Case("flow_while_increment", increment_loop, [x], formats=("legacy",)),
        Case("flow_while_counter", counter_loop, [x]),
        Case("flow_while_dynbatch", counter_loop, [x], spec=[[-1, 3]]),
        Case("flow_while_data_trips", data_loop, [x]),
        Case("flow_while_data_trips_big", data_loop, [big]),
        Case("flow_while_nested", nested_loop, [x]),
        Case("flow_while_weight", weight_loop, [x]),
        Case("flow_cond_true", cond_sum, [pos]),
        Case("flow_cond_false", cond_sum, [-pos]),
        Case("flow_cond_two_out_true", cond_two_out, [big]),
        Case("flow_cond_two_out_false", cond_two_out, [x]),
        Case("flow_cond_in_while", cond_in_loop, [x]),
        Case("flow_array_stack", array_loop(True, 0, True), [x]),
        Case("flow_array_stack_axis2", array_loop(True, 2, True), [x]),
        Case("flow_array_concat_axis1", array_loop(True, 1, False), [x]),
        Case("flow_array_first_in_loop", array_loop(False, 0, True), [x]),
    ]
