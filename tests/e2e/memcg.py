#!/usr/bin/env python3
"""Run a command inside a fresh memory cgroup with a hard limit; report.

usage: memcg.py probe
       memcg.py run --limit-mib N [--label L] -- COMMAND ARGS...

The cgroup is made as a child of the one this process is in (so whatever
accounting its parents do still applies), in cgroup v2 when the unified
hierarchy has the memory controller, else in v1's memory hierarchy.  Swap
is forbidden to it (memsw / swap.max), so growth cannot hide in swap.
COMMAND alone is moved in (the child writes its pid before exec), then
this script waits for it with wait4 and prints one line:

    L: exit 0, cgroup peak 255.8 MiB (limit 256), peak RSS 40.1 MiB, oom kills 0, 3.2 s

"cgroup peak" is memory.max_usage_in_bytes (v1) or memory.peak (v2): it
counts the page cache the command's reads and writes bring in, which the
kernel reclaims at the limit, so it sits near the limit for any command
that streams more than the limit through files.  "peak RSS" is the
command's ru_maxrss (resident pages, mapped file pages included).  What
fails the run is an OOM kill (the cgroup's oom_kill counter, or death by
SIGKILL) or a non-zero exit.  The cgroup is removed before returning.

Exit status: 0 command ok; 1 command failed or was OOM-killed; 77 no memory
cgroup can be made here (probe says why on stdout); 2 usage."""
import argparse
import os
import signal
import subprocess
import sys
import time


def own_path(controller_v1):
    """This process's cgroup path: (v2 path, v1 memory path), either None."""
    v2 = v1 = None
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, ctrls, path = line.rstrip("\n").split(":", 2)
            if hid == "0" and ctrls == "":
                v2 = path
            elif controller_v1 in ctrls.split(","):
                v1 = path
    return v2, v1


class Cgroup:
    def __init__(self, limit):
        self.limit = limit
        self.dir = None
        v2_path, v1_path = own_path("memory")
        errors = []
        v2_root = "/sys/fs/cgroup"
        if not os.path.exists(os.path.join(v2_root, "cgroup.controllers")):
            v2_root = "/sys/fs/cgroup/unified"
        v1_root = "/sys/fs/cgroup/memory"
        if v2_path is not None and self._has_memory_v2(v2_root):
            self.v2 = True
            parent = os.path.join(v2_root, v2_path.lstrip("/"))
        elif v1_path is not None and os.path.isdir(v1_root):
            self.v2 = False
            parent = os.path.join(v1_root, v1_path.lstrip("/"))
        else:
            raise OSError("no memory controller: neither cgroup v2 with 'memory' in "
                          f"{v2_root}/cgroup.controllers nor cgroup v1 at {v1_root}")
        d = os.path.join(parent, f"mo-memcg.{os.getpid()}")
        try:
            os.mkdir(d)
        except OSError as e:
            raise OSError(f"cannot create a cgroup under {parent}: {e.strerror} "
                          "(needs root or a delegated cgroup)") from e
        self.dir = d
        try:
            if self.v2:
                self._write("memory.max", limit)
                if os.path.exists(self._p("memory.swap.max")):
                    self._write("memory.swap.max", 0)
            else:
                self._write("memory.limit_in_bytes", limit)
                if os.path.exists(self._p("memory.memsw.limit_in_bytes")):
                    self._write("memory.memsw.limit_in_bytes", limit)
        except OSError as e:
            errors.append(str(e))
            self.remove()
            raise OSError(f"cannot set a memory limit in {d}: {e}") from e

    @staticmethod
    def _has_memory_v2(root):
        try:
            with open(os.path.join(root, "cgroup.controllers")) as f:
                return "memory" in f.read().split()
        except OSError:
            return False

    def _p(self, name):
        return os.path.join(self.dir, name)

    def _write(self, name, value):
        with open(self._p(name), "w") as f:
            f.write(str(value))

    def _read(self, name):
        try:
            with open(self._p(name)) as f:
                return f.read()
        except OSError:
            return ""

    def _kv(self, name):
        out = {}
        for line in self._read(name).splitlines():
            k, _, v = line.partition(" ")
            if v.strip().lstrip("-").isdigit():
                out[k] = int(v)
        return out

    def join(self):
        """Called in the child between fork and exec."""
        with open(self._p("cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))

    def peak(self):
        v = self._read("memory.peak" if self.v2 else "memory.max_usage_in_bytes").strip()
        return int(v) if v.isdigit() else -1

    def oom_kills(self):
        if self.v2:
            return self._kv("memory.events").get("oom_kill", 0)
        return self._kv("memory.oom_control").get("oom_kill", 0)

    def failcnt(self):
        v = self._read("memory.failcnt").strip()
        return int(v) if v.isdigit() else -1

    def remove(self):
        if not self.dir:
            return
        # rmdir fails with EBUSY while a task is still being reaped
        for _ in range(50):
            try:
                os.rmdir(self.dir)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)
        self.dir = None


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("probe")
    r = sub.add_parser("run")
    r.add_argument("--limit-mib", type=int, required=True)
    r.add_argument("--label", default="run")
    r.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    limit = (a.limit_mib if a.cmd == "run" else 64) * 2**20
    try:
        cg = Cgroup(limit)
    except OSError as e:
        print(f"no memory cgroup: {e}")
        return 77
    if a.cmd == "probe":
        kind = "v2" if cg.v2 else "v1"
        print(f"memory cgroup {kind} at {os.path.dirname(cg.dir)}")
        cg.remove()
        return 0
    cmd = [x for x in a.command if x != "--"] if a.command[:1] == ["--"] else a.command
    if not cmd:
        cg.remove()
        ap.error("run: no command")
    p = None

    def stop(signum, _frame):  # make's SIGTERM: no process or cgroup left behind
        raise KeyboardInterrupt(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, preexec_fn=cg.join)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        peak, kills, fails = cg.peak(), cg.oom_kills(), cg.failcnt()
    except KeyboardInterrupt:
        if p is not None and p.returncode is None:
            p.kill()
            p.wait()
        cg.remove()
        return 1
    finally:
        cg.remove()
    code = p.returncode
    how = f"killed by signal {-code}" if code < 0 else f"exit {code}"
    print(f"{a.label}: {how}, cgroup peak {peak / 2**20:.1f} MiB (limit {a.limit_mib}), "
          f"peak RSS {ru.ru_maxrss / 1024:.1f} MiB, oom kills {kills}"
          + (f", failcnt {fails}" if fails >= 0 else "") + f", {wall:.1f} s")
    sys.stdout.flush()
    if kills or code == -signal.SIGKILL:
        print(f"{a.label}: OOM-killed in the {a.limit_mib} MiB cgroup")
        return 1
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
