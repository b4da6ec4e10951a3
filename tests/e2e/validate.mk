## tests/e2e/validate.mk - mo --validate against the real runtime (docs/validate.md)
TESTS += tests/e2e/validate.sh
EXTRA_DIST += tests/e2e/validate.sh
