"""suite_common - what the side-by-side suites share (tests/onnx/node_suite.py,
tests/paddle/peer_suite.py, tests/tf/peer_suite.py): comparing an output
with its reference, moving arrays in and out of ov.Tensor, matching ports
by name, a converter's message cut to its first error line, and a pool of
worker processes in which a crash or a hang costs one result.
"""
import multiprocessing as mp
import multiprocessing.connection
import signal
import time


def is_float(dtype):
    import numpy as np
    # ml_dtypes' bfloat16 / float8 are not numpy floating kinds
    return np.issubdtype(dtype, np.floating) or dtype.name.startswith(("bfloat16", "float8"))


def dtype_class(dtype):
    import numpy as np
    if dtype == np.bool_:
        return "bool"
    if np.issubdtype(dtype, np.integer):
        return "int"
    if is_float(dtype):
        return "float"
    if np.issubdtype(dtype, np.complexfloating):
        return "complex"
    return dtype.name


def compare_output(ref, got, rtol=1e-3, atol=1e-5, scale_tol=1e-3):
    """(ok, reason, max error, fraction of the tolerance used) for one
    output: REF the expected array, GOT the runtime's.  Shapes must be equal (a scalar is not a 1-element
    tensor); the classes bool / int / float must agree (widths may differ);
    bool and int compare exactly; floats compare in float64: NaN and
    infinities where the reference has them, and elsewhere
    |got - ref| <= rtol*|ref| + max(atol, scale_tol*max|ref|)."""
    import numpy as np
    ref, got = np.asarray(ref), np.asarray(got)
    if tuple(ref.shape) != tuple(got.shape):
        return False, f"shape {list(got.shape)}, expected {list(ref.shape)}", None, None
    rc, gc = dtype_class(ref.dtype), dtype_class(got.dtype)
    if rc != gc:
        return False, f"type {got.dtype.name}, expected {ref.dtype.name}", None, None
    if rc in ("bool", "int"):
        if ref.dtype == got.dtype:
            bad = ref != got
        elif np.uint64 in (ref.dtype, got.dtype):  # no common integer type
            bad = ref.astype(object) != got.astype(object)
        else:
            bad = ref.astype(np.int64) != got.astype(np.int64)
        n = int(np.count_nonzero(bad))
        if n:
            i = np.unravel_index(int(np.argmax(bad)), ref.shape) if ref.ndim else ()
            return False, (f"{n} of {ref.size} values differ (first at {list(map(int, i))}: "
                           f"{got[i]} vs {ref[i]})"), None, None
        return True, "", 0.0, 0.0
    r, g = ref.astype(np.float64), got.astype(np.float64)
    rn, gn = np.isnan(r), np.isnan(g)
    if not np.array_equal(rn, gn):
        return False, f"NaN at {int(np.count_nonzero(rn != gn))} positions that differ", None, None
    rinf = np.isinf(r)
    if not np.array_equal(r[rinf], g[rinf]) or np.any(np.isinf(g[~rinf])):
        return False, "infinities differ", None, None
    fin = ~(rn | rinf)
    if not np.any(fin):
        return True, "", 0.0, 0.0
    rf, gf = r[fin], g[fin]
    err = np.abs(gf - rf)
    floor = max(atol, scale_tol * float(np.max(np.abs(rf))))
    allowed = rtol * np.abs(rf) + floor
    over = err > allowed
    maxerr = float(np.max(err))
    frac = float(np.max(err / allowed))
    if np.any(over):
        k = int(np.argmax(np.where(over, err, -1)))
        return False, (f"{int(np.count_nonzero(over))} of {rf.size} values off, max abs err "
                       f"{maxerr:.3g} (worst {gf[k]:.6g} vs {rf[k]:.6g})"), maxerr, frac
    return True, "", maxerr, frac


def short(e, n=200):
    """E as one line of at most N characters."""
    t = " ".join(str(e).split())
    return t if len(t) <= n else t[:n - 3] + "..."


def first_error_line(text):
    """A converter's output reduced to its first [ ERROR ] line (else its
    last line)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if "[ ERROR ]" in ln:
            return " ".join(ln.split())
    return lines[-1] if lines else ""


def to_ov_tensor(arr, port_type):
    """An ov.Tensor of PORT_TYPE holding ARR (cast when the types differ)."""
    import numpy as np
    import openvino as ov
    if port_type == ov.Type.bf16:
        f = arr.astype(np.float32).view(np.uint32)
        # round to nearest even, as a cast to bfloat16 does; a NaN stays one
        rounded = (f.astype(np.uint64) + 0x7FFF + ((f >> 16) & 1)) >> 16
        bits = np.where(np.isnan(arr.astype(np.float32)), (f >> 16) | 0x40, rounded)
        bits = bits.astype(np.uint16)
        t = ov.Tensor(ov.Type.bf16, ov.Shape(list(arr.shape)))
        t.data.view(np.uint16)[...] = bits.reshape(arr.shape)
        return t
    want = port_type.to_dtype() if port_type.is_static() else arr.dtype
    # a C-ordered copy; np.ascontiguousarray would turn a scalar into shape [1]
    return ov.Tensor(np.array(arr, dtype=want, order="C"))


def from_ov_tensor(t):
    """A numpy array of an output ov.Tensor (bf16 widened to float32)."""
    import numpy as np
    import openvino as ov
    if t.element_type == ov.Type.bf16:
        bits = np.array(t.data, copy=True).view(np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32).reshape(list(t.shape))
    return np.array(t.data, copy=True)


def match_ports(ports, names):
    """PORTS (compiled inputs or outputs) ordered as NAMES: by tensor name
    where a port carries one of them, else by position."""
    by_name = {}
    for p in ports:
        for n in p.get_names():
            by_name.setdefault(n, p)
    out, used = [], set()
    for i, n in enumerate(names):
        p = by_name.get(n)
        if p is None or id(p) in used:
            p = ports[i] if i < len(ports) else None
        out.append(p)
        used.add(id(p))
    return out


# ------------------------------------------------------------------ the pool

def serve(conn, run_side, *args):
    """A worker's loop: run_side(*task, *ARGS) for each task received on
    CONN until None arrives, its result (an exception becomes status
    harness-error) sent back.  The runtime's own chatter on stderr would
    interleave between processes: it goes to /dev/null."""
    import os
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            r = run_side(*task, *args)
        except Exception as e:  # noqa: BLE001 - a harness error is a result too
            r = {"status": "harness-error", "reason": short(e, 160)}
        conn.send(r)


class Pool:
    """--jobs worker processes; a worker that dies or overruns its task is
    replaced, and its task gets status crash / timeout."""

    def __init__(self, jobs, target, args, limit):
        """TARGET(conn, *ARGS) serves tasks sent on conn (None ends it) in
        each worker; LIMIT(task) is a task's time limit in seconds."""
        self.ctx = mp.get_context("spawn")
        self.target, self.args, self.limit = target, tuple(args), limit
        self.workers = [self._start() for _ in range(jobs)]

    def _start(self):
        parent, child = self.ctx.Pipe()
        p = self.ctx.Process(target=self.target, args=(child,) + self.args, daemon=True)
        p.start()
        child.close()
        return {"proc": p, "conn": parent, "task": None, "t0": 0.0}

    def run(self, tasks, on_result):
        todo = list(tasks)
        busy = 0
        while todo or busy:
            for w in self.workers:
                if w["task"] is None and todo:
                    w["task"], w["t0"] = todo.pop(0), time.monotonic()
                    w["conn"].send(w["task"])
                    busy += 1
            waitables = {}
            for w in self.workers:
                if w["task"] is not None:
                    waitables[w["conn"]] = w
                    waitables[w["proc"].sentinel] = w
            ready = mp.connection.wait(list(waitables), timeout=1.0)
            done = set()
            for obj in ready:
                w = waitables[obj]
                if id(w) in done:
                    continue
                task = w["task"]
                if obj is w["conn"]:
                    try:
                        r = w["conn"].recv()
                    except (EOFError, OSError):
                        r = None
                else:
                    r = None
                if r is None:  # died mid-task
                    w["proc"].join(1)
                    code = w["proc"].exitcode
                    why = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit {code}"
                    r = {"status": "crash", "reason": f"runtime process died ({why})",
                         "max_err": None, "seconds": round(time.monotonic() - w["t0"], 3)}
                    self._replace(w)
                w["task"] = None
                busy -= 1
                done.add(id(w))
                on_result(task, r)
            for w in self.workers:
                if w["task"] is not None and id(w) not in done:
                    limit = self.limit(w["task"])
                    if time.monotonic() - w["t0"] > limit:
                        task = w["task"]
                        w["proc"].kill()
                        w["proc"].join(5)
                        self._replace(w)
                        w["task"] = None
                        busy -= 1
                        on_result(task, {"status": "timeout", "max_err": None,
                                         "reason": f"ran over its {limit:g} s",
                                         "seconds": float(limit)})

    def _replace(self, w):
        try:
            w["conn"].close()
        except OSError:
            pass
        w.update(self._start())

    def close(self):
        for w in self.workers:
            try:
                w["conn"].send(None)
            except OSError:
                pass
        for w in self.workers:
            w["proc"].join(5)
            if w["proc"].is_alive():
                w["proc"].kill()


