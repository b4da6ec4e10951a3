## tests/e2e/caffe.mk - Caffe frontend end to end (included by tests/Makefile.inc):
## the per-layer cases and small nets of tests/gen/caffe_models.py against
## OpenCV's dnn module (or numpy), and broken inputs
TESTS += tests/e2e/caffe_models.sh tests/e2e/caffe_bad_input.sh
EXTRA_DIST += tests/e2e/caffe_models.sh tests/e2e/caffe_bad_input.sh tests/e2e/caffe_detections.py tests/fixtures/caffe tests/gen/caffe_models.py tests/gen/caffe/caffe.proto
