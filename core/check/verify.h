/* verify.h - --validate: run the IR just written in the OpenVINO Runtime
 * (core/check/ov_rt.c) on the user's inputs and compare with the
 * reference; on a mismatch find the first wrong IR layer (intermediate
 * references) or the optimization that changes the result. */
#ifndef MO_VERIFY_H
#define MO_VERIFY_H

#include <mo/mo.h>

struct mo_verify;

/* Before any conversion work: open the runtime and read --validate_inputs
 * and --validate_reference, so that a missing runtime or a bad .npz stops
 * mo before it writes anything.  *out is NULL when --validate is not
 * given; free with mo_verify_free. */
enum mo_status mo_verify_prepare(struct mo_context *ctx, const struct mo_options *opts,
                                 struct mo_verify **out, struct mo_error *err);

/* After the IR (xml, bin, mapping: absolute paths) is written: MO_OK when
 * it validates, MO_ERR_MISMATCH when its results differ (the IR stays on
 * disk; what differs was printed), another error when it cannot be run.
 * May convert the model again (into a temporary directory beside the IR,
 * removed) with one optimization switched off at a time. */
enum mo_status mo_verify_run(struct mo_verify *v, struct mo_context *ctx, const struct mo_options *opts,
                             const char *xml, const char *bin, const char *mapping, struct mo_error *err);

void mo_verify_free(struct mo_verify *v);

#endif
