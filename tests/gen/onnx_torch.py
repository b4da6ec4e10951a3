#!/usr/bin/python3
"""onnx_torch.py - the small PyTorch-exported ONNX fixture CI converts
(tests/fixtures/onnx/torch_small/, checked by tests/e2e/onnx_models.sh).

usage: /usr/bin/python3 tests/gen/onnx_torch.py [OUT_DIR]

Needs Debian's python3-torch (1.13).  One network with what the exporter
writes for real models and the frontend's passes must undo or keep exact:
Conv + BatchNorm (random statistics) + SiLU (x * Sigmoid(x)), GELU (the
erf form), LayerNormalization, a transformer encoder layer (attention's
shape arithmetic: Shape/Gather/Unsqueeze/Concat/Reshape), with a dynamic
batch axis.  Random weights, seeded; PyTorch's outputs are the reference.
The bigger zoo is tests/gen/onnx_zoo.py (outside CI).
"""
import os
import sys

import numpy as np
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.proj = nn.Linear(8, 32)
        self.enc = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, activation="gelu")
        self.norm = nn.LayerNorm(32)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        y = nn.functional.silu(self.bn(self.conv(x)))          # [N, 8, H, W]
        t = y.flatten(2).transpose(1, 2)                         # [N, H*W, 8]
        t = self.enc(self.proj(t))
        return self.head(self.norm(t).mean(1))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "fixtures", "onnx", "torch_small")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(13)
    net = Net().eval()
    with torch.no_grad():
        net.bn.running_mean.uniform_(-0.2, 0.2)
        net.bn.running_var.uniform_(0.5, 2.0)
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.2, 0.2)
        net.norm.weight.uniform_(0.5, 1.5)
        net.norm.bias.uniform_(-0.2, 0.2)
    x = torch.randn(2, 3, 6, 6)
    path = os.path.join(out, "model.onnx")
    torch.onnx.export(net, (x,), path, opset_version=17, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    with torch.no_grad():
        ref = net(x).numpy()
    assert np.ptp(ref) > 0.1 and np.isfinite(ref).all(), "degenerate output"
    np.savez(os.path.join(out, "inputs.npz"), x=x.numpy())
    np.savez(os.path.join(out, "reference.npz"), out0=ref)
    print(f"{path}: {os.path.getsize(path)} bytes, output {ref.shape}, range {ref.min():.3f}..{ref.max():.3f}")


if __name__ == "__main__":
    main()
