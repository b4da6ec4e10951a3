## tests/cli/cli.mk - the `mo` command as a user runs it: bad command lines,
## abbreviated options (seed 001's style-transfer command), the uninstalled mo's plugins
MO_CLI_TESTS = tests/cli/cli_errors.sh tests/cli/seed_style_transfer.sh tests/cli/uninstalled.sh
TESTS += $(MO_CLI_TESTS)
EXTRA_DIST += $(MO_CLI_TESTS)
