"""ovrun - the one place tests, benchmarks and zoo scripts compile an IR.

On CPUs with native bf16 (avx512_bf16, AMX: AMD Zen 4, Intel Sapphire
Rapids and later) OpenVINO's CPU plugin runs an f32 model in bf16 unless
told otherwise, which costs about three significant digits (max relative
errors of 1e-3..1e-2 where f32 gives 1e-6).  Every comparison this project
makes against a framework's outputs assumes f32, so a result must never
depend on which processor ran it: compile_ir() pins the inference precision
to f32, reads back the precision the compiled model really uses, says it
once per process on stderr (stdout stays the caller's), and refuses to
return a model that would run at anything else.

Nothing else in the tree calls compile_model (tests/e2e/precision.sh checks).

    import ovrun
    compiled = ovrun.compile_ir("model.xml", who="run_ir")
    result = compiled(feed)
"""
import os
import sys

import openvino as ov

DEVICE = "CPU"
PRECISION = "f32"

_announced = False


class PrecisionError(RuntimeError):
    """The compiled model would not run at f32."""


def check_precision(compiled, who="ovrun"):
    """Fail unless COMPILED runs at f32; announce the precision once.

    COMPILED is anything with get_property() (an ov.CompiledModel); the
    caller keeps it.  Returns the precision's short name ("f32")."""
    global _announced
    got = compiled.get_property("INFERENCE_PRECISION_HINT")
    name = got.get_type_name() if hasattr(got, "get_type_name") else str(got)
    if name != PRECISION:
        raise PrecisionError(f"{who}: {DEVICE} inference precision is {name}, not "
                             f"{PRECISION}: results would depend on the processor")
    if not _announced:
        print(f"{who}: {DEVICE} inference precision {name}", file=sys.stderr)
        sys.stderr.flush()
        _announced = True
    return name


def compile_ir(model, core=None, who="ovrun"):
    """Compile MODEL (an IR path or an ov.Model) for the CPU at f32.

    CORE is an ov.Core to reuse (one is made when None).  Returns a new
    ov.CompiledModel owned by the caller; raises PrecisionError when the
    plugin would run it at another precision."""
    core = core if core is not None else ov.Core()
    if isinstance(model, (str, os.PathLike)):
        model = core.read_model(os.fspath(model))
    compiled = core.compile_model(model, DEVICE, {"INFERENCE_PRECISION_HINT": PRECISION})
    check_precision(compiled, who)
    return compiled
