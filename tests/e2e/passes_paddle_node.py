#!/usr/bin/env python3
"""Paddle's own value of an inner variable of a ProgramDesc model.

usage: passes_paddle_node.py PREFIX INPUTS.npz VAR OUT.npz

Loads PREFIX.pdmodel/.pdiparams with Paddle's static executor (run with
FLAGS_enable_pir_api=0), feeds the first array of INPUTS.npz and saves VAR
as out0 in OUT.npz: the reference for a graph cut there with --output.
"""
import sys

import numpy as np
import paddle


def main():
    prefix, inputs, var, out = sys.argv[1:5]
    paddle.enable_static()
    exe = paddle.static.Executor(paddle.CPUPlace())
    prog, feeds, _ = paddle.static.load_inference_model(prefix, exe)
    x = np.load(inputs)
    res = exe.run(prog, feed={feeds[0]: x[x.files[0]]},
                  fetch_list=[prog.global_block().var(var)])
    np.savez(out, out0=np.asarray(res[0]))


if __name__ == "__main__":
    main()
