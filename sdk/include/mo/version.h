/* mo/version.h - the version of libmo and its SDK. */
#ifndef MO_VERSION_H
#define MO_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define MO_VERSION_STRING "0.1.0"

/* Version of the library actually linked (may differ from the header's). */
const char *mo_version(void);

#ifdef __cplusplus
}
#endif
#endif
