## tests/e2e/tf.mk - TensorFlow frontend end to end (included by tests/Makefile.inc):
## the per-op fixtures of tests/gen/tf_ops.py against TensorFlow's outputs, and
## broken inputs (a truncated .pb, a .pbtxt with a syntax error, broken checkpoints),
## and the non-frozen forms of tests/gen/tf_forms.py (GraphDef + checkpoint)
TESTS += tests/e2e/tf_ops.sh tests/e2e/tf_bad_input.sh tests/e2e/tf_forms.sh
EXTRA_DIST += tests/e2e/tf_ops.sh tests/e2e/tf_bad_input.sh tests/e2e/tf_forms.sh tests/fixtures/tf_ops \
	tests/fixtures/tf_forms tests/gen/tf_forms.py
# control flow: tests/gen/tf_flow.py (While/If, TF1 frames, TensorArray, Keras RNNs)
TESTS += tests/e2e/tf_flow.sh
EXTRA_DIST += tests/e2e/tf_flow.sh tests/fixtures/tf_flow tests/gen/tf_flow.py
EXTRA_DIST += tests/fixtures/tf_flow_bad
# 270 MB of weights that are transposed and folded, converted in under 64 MiB
# of RSS inside a memory cgroup (tests/gen/big_tf.py; skips without a cgroup)
TESTS += tests/e2e/big_tf.sh
EXTRA_DIST += tests/e2e/big_tf.sh
# transformations configs (--transformations_config, the update mode): tests/gen/tf_cfg.py
TESTS += tests/e2e/tf_cfg.sh
EXTRA_DIST += tests/e2e/tf_cfg.sh tests/fixtures/tf_cfg tests/gen/tf_cfg.py
# the peer suite against OpenVINO's TF reader (outside CI: tests/tf/run-peer-suite.sh)
EXTRA_DIST += tests/tf/run-peer-suite.sh tests/tf/peer_suite.py tests/tf/peer_models.py
# the application zoo in every form (run by hand, outside make check: 1.2 GB)
EXTRA_DIST += tests/zoo/run_tf_apps.sh tests/gen/tf_apps.py
