#!/bin/sh
# run-peer-suite.sh [peer_suite.py options] - TensorFlow models (the per-op
# fixtures of tests/fixtures/tf_ops, tf_flow, tf_forms and the whole models
# tests/tf/peer_models.py makes with TensorFlow 2.21 in every form: frozen,
# text, meta graph, GraphDef + checkpoint, SavedModel TF1/TF2) converted by
# mo and by OpenVINO's own TF reader (openvino.convert_model), run and
# compared with TensorFlow's outputs in the same run (tests/tf/peer_suite.py
# says how).  Results go to tests/zoo/tf_peer/ (ignored by git) unless --out
# says otherwise; --update-doc rewrites the table of docs/tensorflow.md
# ("Against OpenVINO's TF reader").  Needs the build's mo (build/mo, or
# --mo PATH) and the venvs (tests/setup-venvs.sh ov tf).  Not part of CI.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
venv=${MO_VENV_DIR:-$top/.venv}
"$top/tests/setup-venvs.sh" ov tf
exec nice "$venv/ov/bin/python" "$top/tests/tf/peer_suite.py" --tf-python "$venv/tf/bin/python" "$@"
