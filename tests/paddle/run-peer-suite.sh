#!/bin/sh
# run-peer-suite.sh GENDIR [peer_suite.py options] - OpenVINO's own Paddle
# frontend test models (its public generator scripts, kept by the caller
# outside this repository in GENDIR) made with Paddle 3.3 in both formats,
# converted by mo and by OpenVINO's Paddle reader, run and compared with
# Paddle's outputs in the same run (tests/paddle/peer_suite.py says how).
# Results go to tests/zoo/paddle_peer/ (ignored by git) unless --out says
# otherwise; --update-doc rewrites the tables of docs/paddle.md.
# Needs the build's mo (build/mo, or --mo PATH) and the venvs
# (tests/setup-venvs.sh ov paddle).  Not part of CI: about 11 minutes on 2
# shared cores (generators ~7, comparison ~4); --skip-generate reuses the
# models of an earlier run, --generate-only stops after the generators.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 GENDIR [--out DIR] [--jobs N] [--mo PATH] [--modes legacy,pir] [--filter GLOB] [--skip-generate | --generate-only] [--update-doc]" >&2; exit 2; }
gen=$1
shift
venv=${MO_VENV_DIR:-$top/.venv}
"$top/tests/setup-venvs.sh" ov paddle
exec nice "$venv/ov/bin/python" "$top/tests/paddle/peer_suite.py" --gen "$gen" \
    --paddle-python "$venv/paddle/bin/python" "$@"
