"""Writes the small .npz files tests/unit/test_npz.c reads (tests/fixtures/npz/),
with numpy itself, so the reader is checked against what numpy writes.
Run: $MO_VENV_DIR/ov/bin/python tests/gen/npz_files.py tests/fixtures/npz"""
import io
import sys
import zipfile

import numpy as np

out = sys.argv[1]
arrays = {
    "f32": np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.5) - 3,
    "f16": np.array([1.5, -2.25, 65504, 6e-8], dtype=np.float16),
    "f64": np.array([[1e300, -1e-300], [3.25, 0]], dtype=np.float64),
    "i64": np.array([-(2**62), 7, 2**40], dtype=np.int64),
    "i32": np.array([-5, 2**31 - 1], dtype=np.int32),
    "u8": np.array([0, 128, 255], dtype=np.uint8),
    "b": np.array([True, False, True]),
    "scalar": np.float32(2.5),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
np.savez(f"{out}/stored.npz", **arrays)
np.savez_compressed(f"{out}/compressed.npz", **arrays)


def one(name, arr, version=None, **kw):
    """a zip with one .npy written by numpy's own format module"""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version, **kw)
    with zipfile.ZipFile(f"{out}/{name}.npz", "w") as z:
        z.writestr("x.npy", buf.getvalue())


one("v2", np.arange(6, dtype=np.int32).reshape(2, 3), version=(2, 0))
one("v3", np.arange(6, dtype=np.int32).reshape(2, 3), version=(3, 0))
one("fortran", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
one("bigendian", np.arange(3, dtype=">f4"))
one("complex", np.arange(3, dtype=np.complex64))
