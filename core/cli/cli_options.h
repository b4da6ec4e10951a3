/* cli_options.h - the `mo` command line, as the original tool spells it. */
#ifndef MO_CLI_OPTIONS_H
#define MO_CLI_OPTIONS_H

#include <stdio.h>

#include <mo/options.h>

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_EXIT_USAGE };

/* Parse argv into opts.  Prints help/version itself (CLI_EXIT_OK) and
 * one-line errors for bad usage (CLI_EXIT_USAGE). */
enum cli_result mo_cli_parse(int argc, char **argv, struct mo_options *opts, FILE *out, FILE *errf);
void mo_cli_help(FILE *out);
/* The known option closest to `name` by edit distance, or NULL. */
const char *mo_cli_suggest(const char *name);

#endif
