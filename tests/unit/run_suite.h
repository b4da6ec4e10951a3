/* run_suite.h - the one main() body every Check suite needs (#include'd by
 * each suite after <check.h>; header-only because suites are single files). */
#ifndef MO_TEST_RUN_SUITE_H
#define MO_TEST_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

/* Run suite s (the runner takes it over); the exit status is what
 * automake's test driver expects. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
