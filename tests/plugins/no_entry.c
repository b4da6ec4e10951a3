/* no_entry.c - a shared module that is not a mo plugin: no mo_plugin_query. */
#include <mo/mo.h>

int no_entry_something(void);
int no_entry_something(void) { return 42; }
