/* version.c - the linked library's version. */
#include <config.h>

#include <mo/version.h>

const char *mo_version(void) { return PACKAGE_VERSION; }
