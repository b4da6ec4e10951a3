/* mo/options.h - conversion options as named strings.
 *
 * Every command-line option lands here under its long name without dashes
 * ("input_shape", "nd_prefix_name"); flags have the value "1".  Frontends
 * and extensions read their own options by name, so adding a framework
 * option never changes a struct.  Values are owned by the options object. */
#ifndef MO_OPTIONS_H
#define MO_OPTIONS_H

#include <stdbool.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mo_options;

struct mo_options *mo_options_new(void);
void mo_options_free(struct mo_options *o);
/* Set (copying) or replace a value; value NULL removes the option. */
enum mo_status mo_options_set(struct mo_options *o, const char *name, const char *value);
/* The value, or NULL when the option was not given. */
const char *mo_options_get(const struct mo_options *o, const char *name);
/* True when given and not "0"/"false"/"no". */
bool mo_options_flag(const struct mo_options *o, const char *name);
/* Iterate in insertion order: returns false past the end. */
bool mo_options_at(const struct mo_options *o, unsigned i, const char **name, const char **value);

#ifdef __cplusplus
}
#endif
#endif
