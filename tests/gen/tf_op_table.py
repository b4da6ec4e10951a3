#!/usr/bin/env python3
"""The "Supported operations" table of docs/tensorflow.md, from the sources.

usage: tf_op_table.py [--update] [--check]

Reads the translator tables of plugins/tensorflow/tr_*.c (MO_TF_TABLE
entries {"Op", function, arg}) and, for each TensorFlow op, lists
  - the IR ops its translator can emit: the types named in the function's
    mo_build_op/mo_build_opv calls (and in the static helpers of its file
    that it calls), the builder idioms it uses (mo_build_reshape: Reshape,
    mo_build_to_nchw: Transpose...), and the entry's arg when the function
    builds the op named by it;
  - a note: the first sentence of the comment above the function;
  - the fixtures that hold the op: every model.pb / saved_model.pb under
    tests/fixtures/tf_*/ whose NodeDefs (or whose library's) name it.
Prints the table; --update rewrites it in docs/tensorflow.md between the
lines "<!-- tf_op_table begin -->" and "<!-- tf_op_table end -->"; --check
exits 1 when the doc's table differs from the sources.  Standard library
only (no TensorFlow needed).
"""
import argparse
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BEGIN, END = "<!-- tf_op_table begin -->", "<!-- tf_op_table end -->"

# builder idioms of sdk/include/mo/build.h and the TensorFlow helpers of
# plugins/tensorflow/tr_util.c, by the IR op they make
IDIOMS = {
    "mo_build_reshape": "Reshape", "mo_build_reshape_to": "Reshape", "mo_build_transpose": "Transpose",
    "mo_build_to_nchw": "Transpose", "mo_build_to_nhwc": "Transpose", "mo_tf_in_nchw": "Transpose",
    "mo_tf_out_nhwc": "Transpose", "mo_build_convert": "Convert", "mo_build_squeeze": "Squeeze",
    "mo_build_unsqueeze": "Unsqueeze", "mo_build_concat": "Concat", "mo_build_strided_slice": "StridedSlice",
    "mo_build_slice": "Slice", "mo_build_shape_of": "ShapeOf", "mo_build_gather": "Gather",
    "mo_build_align_numpy": "Unsqueeze",
}


def functions(src):
    """name -> (body, comment above it) of each function defined in src."""
    out = {}
    for m in re.finditer(r"(/\*(?:(?!\*/).)*\*/\n)?static [^;{(]*?\b(\w+)\(([^)]*)\)\n\{\n(.*?)\n\}\n", src, re.S):
        out[m.group(2)] = (m.group(4), m.group(1) or "")
    return out


def ir_ops(name, funcs, arg, seen=None):
    seen = seen if seen is not None else set()
    if name in seen or name not in funcs:
        return set()
    seen.add(name)
    body = funcs[name][0]
    ops = set()
    for t in re.findall(r"mo_build_opv?\(\s*b,\s*([^,]*),", body):
        ops |= set(re.findall(r'"([A-Za-z0-9_-]+)"', t))  # literals, also in a ?: choice
        if t.strip() in ("user", "(const char *)user") and arg:
            ops.add(arg)
    for fn, op in IDIOMS.items():
        if re.search(r"\b" + fn + r"\(", body):
            ops.add(op)
    for callee in set(re.findall(r"\b(\w+)\(", body)):
        if callee != name and callee in funcs:
            ops |= ir_ops(callee, funcs, arg, seen)
    return ops


def note(comment):
    """The comment's first sentence that is not about the user pointer."""
    text = " ".join(comment.replace("/*", " ").replace("*/", " ").replace("\n *", " ").split())
    for sentence in re.split(r"(?<=\.)\s+", text):
        if sentence and not sentence.startswith("user"):
            return (sentence[:157] + "...") if len(sentence) > 160 else sentence
    return ""


def tables():
    """[(file, op, function, arg)] in table order."""
    rows = []
    for path in sorted(glob.glob(os.path.join(TOP, "plugins", "tensorflow", "tr_*.c"))):
        src = open(path).read()
        for t in re.finditer(r"MO_TF_TABLE\(\w+,(.*?)\)\n", src, re.S):
            for e in re.finditer(r'\{\s*("[^"]*"|\w+)\s*,\s*(\w+)\s*,\s*("[^"]*"|&?\w+)\s*\}', t.group(1)):
                op = e.group(1).strip('"')
                if not e.group(1).startswith('"'):
                    continue  # an internal op of the loader (MO_TF_SELECT_OP)
                arg = e.group(3).strip('"') if e.group(3).startswith('"') else None
                rows.append((path, op, e.group(2), arg))
    return rows


def fixtures():
    """fixture label -> the bytes of its GraphDef(s)."""
    out = {}
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "fixtures", "tf_*", "**", "*.pb"), recursive=True)):
        rel = os.path.relpath(path, os.path.join(TOP, "tests", "fixtures"))
        parts = rel.split(os.sep)
        # a case folder (tf_ops/conv2d_same), or the fixture folder itself
        # for a graph right in it (tf_cfg/model.pb: "tf_cfg")
        label = parts[0] + "/" + parts[1] if len(parts) > 2 else parts[0] + "/" + parts[0]
        out[label] = out.get(label, b"") + open(path, "rb").read()
    return out


def holds(data, op):
    # NodeDef.op is field 2, a string: tag 0x12, then its length
    enc = op.encode()
    return len(enc) < 128 and (b"\x12" + bytes([len(enc)]) + enc) in data


def table():
    srcs = {}
    fx = fixtures()
    lines = ["| TensorFlow op | IR ops | notes | fixtures |", "|---|---|---|---|"]
    for path, op, fn, arg in tables():
        funcs = srcs.setdefault(path, functions(open(path).read()))
        ops = sorted(ir_ops(fn, funcs, arg))
        where = [k for k, v in fx.items() if holds(v, op)]
        shown = ", ".join(w.split("/", 1)[1] for w in where[:4])
        if len(where) > 4:
            shown += f" (+{len(where) - 4})"
        why = note(funcs.get(fn, ("", ""))[1]).replace("|", "/")
        if not why and len(ops) == 1:
            why = f"the IR's {ops[0]}" + (" (numpy broadcasting)" if fn == "tr_binary" else "")
        lines.append(f"| `{op}` | {', '.join(ops) if ops else '(none: passes its input on)'} | "
                     f"{why} | {shown or '-'} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    t = table()
    if not (a.update or a.check):
        sys.stdout.write(t)
        return 0
    doc = os.path.join(TOP, "docs", "tensorflow.md")
    text = open(doc).read()
    if BEGIN not in text or END not in text:
        print(f"{doc}: no {BEGIN} ... {END} section", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    old, tail = rest.split(END, 1)
    if a.check:
        if old.strip() != t.strip():
            print(f"{doc}: the supported-operations table is out of date; run {sys.argv[0]} --update",
                  file=sys.stderr)
            return 1
        return 0
    with open(doc, "w") as f:
        f.write(head + BEGIN + "\n" + t + END + tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
