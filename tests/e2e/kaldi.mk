## tests/e2e/kaldi.mk - Kaldi frontend end to end (included by tests/Makefile.inc):
## the nnet1/nnet3 fixtures of tests/gen/kaldi_models.py (binary and text)
## against a numpy evaluation of Kaldi's components, --remove_output_softmax
## and --counts, broken models, and the legacy Model Optimizer's IR on the
## same frames (skipped without the `legacy` venv)
TESTS += tests/e2e/kaldi_models.sh tests/e2e/kaldi_bad_input.sh tests/e2e/kaldi_legacy.sh
EXTRA_DIST += tests/e2e/kaldi_models.sh tests/e2e/kaldi_bad_input.sh tests/e2e/kaldi_legacy.sh \
	tests/e2e/kaldi_legacy.py tests/gen/kaldi_models.py tests/fixtures/kaldi
