#!/usr/bin/env python3
"""SIGKILL mo at random moments of a conversion; the IR must never be torn.

usage: kill_atomic.py --mo MO --model M-0000.params --dir DIR [--kills 100] [--seed S]

In DIR/out, an IR named "ir" converted with --compress_to_fp16 is the
previous version; the new one is FP32 (other bytes, other sizes).  Three
complete runs give the new IR's bytes (and show they are deterministic) and
the duration D of a normal run; copies of both are kept in DIR/prev and
DIR/new.  Then, --kills times: the previous IR is put
back, mo starts converting to the same name in DIR and is SIGKILLed after a
delay drawn uniformly from [0, 1.2 D].  Afterwards DIR must hold either no
ir.xml, or ir.xml + ir.bin + ir.mapping all byte-identical to the previous
IR, or all byte-identical to the new one: anything else is a torn IR and
fails at once, naming each file and what it matches.

Finally a normal conversion must succeed, give the new IR and remove the
stale temporaries (.ir.EXT.XXXXXX) the kills left, plus a planted stale one,
but not a temporary whose flock() is held (a conversion still writing).
Prints how many kills landed before the write (previous IR, no
temporaries), during it (previous IR with temporaries, or no IR) and after
it (new IR, or the run had already finished).  If no temporaries are left
at the end, up to 20 more kills at delays that left some are made, so that
the clean-up is tested on real leftovers.  Exit 0 pass, 1 fail."""
import argparse
import fcntl
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

NAME = "ir"
EXTS = ("xml", "bin", "mapping")
TEMP = re.compile(r"^\." + NAME + r"\.(xml|bin|mapping)\.[A-Za-z0-9]{6}$")


def files(d):
    return {e: os.path.join(d, f"{NAME}.{e}") for e in EXTS}


def read_all(d):
    out = {}
    for e, p in files(d).items():
        try:
            with open(p, "rb") as f:
                out[e] = f.read()
        except FileNotFoundError:
            out[e] = None
    return out


def temporaries(d):
    return sorted(f for f in os.listdir(d) if TEMP.match(f))


def convert(mo, model, d, extra, timeout=120):
    t0 = time.perf_counter()
    r = subprocess.run([mo, "--input_model", model, "--output_dir", d, "--model_name", NAME] + extra,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    if r.returncode != 0:
        sys.exit(f"FAIL: mo {' '.join(extra)} failed:\n{r.stdout.decode(errors='replace')[-3000:]}")
    return time.perf_counter() - t0


def restore(prev_dir, d):
    for e, p in files(prev_dir).items():
        shutil.copyfile(p, files(d)[e])


def describe(state, prev, new):
    parts = []
    for e in EXTS:
        v = state[e]
        what = ("missing" if v is None else "= previous" if v == prev[e] else "= new" if v == new[e]
                else f"matches neither ({len(v)} bytes)")
        parts.append(f"{NAME}.{e} {what}")
    return ", ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mo", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int.from_bytes(os.urandom(4), "little")
    rnd = random.Random(seed)
    prev_dir, new_dir, d = (os.path.join(a.dir, x) for x in ("prev", "new", "out"))
    for x in (prev_dir, new_dir, d):
        os.makedirs(x)

    # every reference is converted into DIR/out itself: the .xml records
    # --output_dir, so only a run into the same directory gives equal bytes
    convert(a.mo, a.model, d, ["--compress_to_fp16"])
    prev = read_all(d)
    restore(d, prev_dir)
    runs, outs = [], []
    for _ in range(3):
        runs.append(convert(a.mo, a.model, d, []))
        outs.append(read_all(d))
    new = outs[0]
    restore(d, new_dir)
    if any(prev[e] is None or new[e] is None for e in EXTS):
        sys.exit("FAIL: a reference conversion did not write all of ir.xml, ir.bin, ir.mapping")
    if any(prev[e] == new[e] for e in ("xml", "bin")):
        sys.exit("FAIL: the previous and the new IR do not differ; the test would prove nothing")
    if any(o != new for o in outs) or temporaries(d):
        sys.exit("FAIL: repeated conversions are not byte-identical or left temporaries")
    # the fastest run: the others were slowed by whatever else runs here
    dur = min(runs)
    print(f"kill_atomic: a normal run takes {dur:.3f} s (fastest of 3); previous IR: FP16, "
          f"{len(prev['bin'])} byte .bin; new IR: FP32, {len(new['bin'])} byte .bin; "
          f"{a.kills} kills in [0, {1.2 * dur:.3f}] s, seed {seed}")
    sys.stdout.flush()

    counts = {"before": 0, "during (temporaries)": 0, "during (no IR)": 0, "after (new IR)": 0,
              "finished before the kill": 0}
    max_temps = 0
    writing = []  # delays whose kill left temporaries: inside the write
    summary, extra = None, 0
    for i in range(a.kills + 20):
        if i == a.kills:
            summary = dict(counts)
        if i >= a.kills:
            # the kills are done; make sure some of them left temporaries
            # for the clean-up check below (at most 20 more, inside the write)
            if temporaries(d) or not writing:
                break
            extra += 1
        if read_all(d) != prev:
            restore(prev_dir, d)
        delay = rnd.uniform(0, 1.2 * dur) if i < a.kills else rnd.choice(writing)
        p = subprocess.Popen([a.mo, "--input_model", a.model, "--output_dir", d, "--model_name", NAME],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)  # a no-op on a finished (unreaped) child
        code = p.wait()
        state = read_all(d)
        temps = temporaries(d)
        max_temps = max(max_temps, len(temps))
        if code == 0:
            if state != new:
                sys.exit(f"FAIL: kill {i + 1}: mo finished (exit 0) but the IR is not the new one: "
                         f"{describe(state, prev, new)}")
            counts["finished before the kill"] += 1
            continue
        if code != -signal.SIGKILL:
            sys.exit(f"FAIL: kill {i + 1}: mo exited with {code} before the kill at {delay:.3f} s")
        if state["xml"] is None:
            counts["during (no IR)"] += 1
        elif state == prev:
            counts["during (temporaries)" if temps else "before"] += 1
            if temps:
                writing.append(delay)
        elif state == new:
            counts["after (new IR)"] += 1
        else:
            sys.exit(f"FAIL: kill {i + 1} at {delay:.3f} s left a torn IR: {describe(state, prev, new)}; "
                     f"temporaries: {temps or 'none'} (seed {seed})")

    summary = summary or counts
    print(f"kill_atomic: {a.kills} kills: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    if extra:
        print(f"kill_atomic: {extra} more kills inside the write, for leftover temporaries")

    # the clean-up of a later conversion
    left = temporaries(d)
    with open(os.path.join(d, f".{NAME}.bin.Stale1"), "wb") as f:
        f.write(b"left by a killed conversion")
    live_path = os.path.join(d, f".{NAME}.xml.Live01")
    live = open(live_path, "wb")
    fcntl.flock(live, fcntl.LOCK_EX)
    try:
        convert(a.mo, a.model, d, [])
        after = temporaries(d)
    finally:
        live.close()
    if read_all(d) != new:
        sys.exit(f"FAIL: the conversion after the kills did not give the new IR: "
                 f"{describe(read_all(d), prev, new)}")
    if after != [os.path.basename(live_path)]:
        sys.exit(f"FAIL: after a normal conversion the temporaries are {after or 'none'}; expected only "
                 f"the locked {os.path.basename(live_path)} (stale ones before it: {left + ['.ir.bin.Stale1']})")
    print(f"kill_atomic: the next conversion gave the new IR and removed {len(left) + 1} stale "
          f"temporaries ({len(left)} left by the kills, at most {max_temps} at once, 1 planted), "
          f"keeping the locked one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
