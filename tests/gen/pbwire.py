"""Protobuf wire encoding by hand, for the generators that write big models
without the framework (or the protobuf package) installed: big_onnx.py,
big_tf.py.  Field numbers are the callers' business."""
import struct


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fint(field, n):
    """A varint field (wire type 0)."""
    return varint(field << 3) + varint(n)


def fbytes(field, b):
    """A length-delimited field (wire type 2): bytes, a string or a message."""
    if isinstance(b, str):
        b = b.encode()
    return varint(field << 3 | 2) + varint(len(b)) + b


def ffloat(field, x):
    """A 32-bit float field (wire type 5)."""
    return varint(field << 3 | 5) + struct.pack("<f", x)
