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
# the application zoo in every form (run by hand, outside make check: 1.2 GB)
EXTRA_DIST += tests/zoo/run_tf_apps.sh tests/gen/tf_apps.py
