/* mo/context.h - one conversion environment: registry, plugins, log level.
 *
 * Nothing in libmo is global: two contexts in one process are independent.
 * The context owns the plugins it loaded and everything they registered. */
#ifndef MO_CONTEXT_H
#define MO_CONTEXT_H

#include <stdio.h>
#include <mo/log.h>
#include <mo/options.h>
#include <mo/plugin.h>
#include <mo/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A new context with the built-in op table registered; caller owns it. */
struct mo_context *mo_context_new(void);
/* Unload plugins (calling their fini) and free the context. NULL ok. */
void mo_context_free(struct mo_context *ctx);
void mo_context_set_log_level(struct mo_context *ctx, enum mo_log_level lvl);
enum mo_log_level mo_context_log_level(const struct mo_context *ctx);
/* Silent: only errors are printed, and no [ SUCCESS ] lines. */
void mo_context_set_silent(struct mo_context *ctx, bool silent);
bool mo_context_silent(const struct mo_context *ctx);

/* Load one module file (.la or .so).  On failure nothing stays registered
 * and err names the file.  MO_ERR_PLUGIN for ABI/entry/init failures. */
enum mo_status mo_context_load_plugin(struct mo_context *ctx, const char *path,
                                      struct mo_error *err);
/* The plugin directory searched last by mo_context_load_plugins(), and
 * whose extensions/ subdirectory is the default extension directory.  It
 * is the installed $(pkglibdir) unless set: the uninstalled `mo` of a build
 * tree sets the build tree's plugins/ so that it never mixes its own libmo
 * with installed modules.  dir is copied; NULL restores the installed
 * directory.  Call it before mo_context_load_plugins(). */
enum mo_status mo_context_set_plugin_dir(struct mo_context *ctx, const char *dir,
                                         struct mo_error *err);
/* The directory above; owned by the context, valid until the next set. */
const char *mo_context_plugin_dir(const struct mo_context *ctx);
/* The installed plugin directory this libmo was configured with.  Static. */
const char *mo_installed_plugin_dir(void);
/* Load the frontends and extensions.  ext_dirs is the --extensions value: a
 * comma-separated list of directories; NULL means "not given" (the default
 * extension directory, mo_context_plugin_dir()/extensions, is used); ""
 * disables every extension directory.  Then MO_PLUGIN_PATH
 * (colon-separated) and mo_context_plugin_dir() are searched for
 * frontends.  The first module with a given basename wins.  A broken
 * extension is skipped with a warning; a missing directory named in
 * ext_dirs is an error. */
enum mo_status mo_context_load_plugins(struct mo_context *ctx, const char *ext_dirs,
                                       struct mo_error *err);
/* Read a CustomLayersMapping.xml (the -k option) and register, for every
 * frontend loaded so far, a translator of the MAPPING tier (the highest)
 * for each layer type the file names; call it after
 * mo_context_load_plugins().  The context copies path and owns everything
 * registered until mo_context_free().  One file per context: a second call
 * fails.  On failure nothing stays registered and err names the file and,
 * for malformed content, the line. */
enum mo_status mo_context_load_mapping(struct mo_context *ctx, const char *path,
                                       struct mo_error *err);
/* Read a transformations config (--transformations_config, see
 * mo/replace_config.h) and register, for every frontend loaded so far, the
 * replacement that applies it after loading; call it after
 * mo_context_load_plugins(), since every entry's id must have a handler
 * by then.  The context copies path and owns everything registered until
 * mo_context_free().  One file per context.  On failure nothing stays
 * registered and err names the file, and the line and column of a JSON
 * error or the entry and field at fault. */
enum mo_status mo_context_load_transformations(struct mo_context *ctx, const char *path,
                                               struct mo_error *err);
/* Describe the plugin directory, the loaded plugins and what each
 * registered (for --list_plugins). */
void mo_context_describe(const struct mo_context *ctx, FILE *out);

/* Frontend by --framework name, or NULL. */
const struct mo_frontend *mo_context_frontend(const struct mo_context *ctx, const char *name);
/* Frontend whose probe scores path highest (ties: by name), or NULL. */
const struct mo_frontend *mo_context_detect(const struct mo_context *ctx, const char *path,
                                            struct mo_error *err);
/* IR op definition by type, or NULL.  A bare type ("MaxPool") gives its
 * default version: the first one registered, which for the built-in ops is
 * the oldest opset mo emits (what existing translators were written for).
 * "Type-N" ("MaxPool-8", "AvgPool-14") gives the version whose opset is
 * "opsetN", NULL when there is none; an op registered under a name that
 * itself ends in "-N" is found by that exact name first. */
const struct mo_op_def *mo_context_op(const struct mo_context *ctx, const char *type);
unsigned mo_context_n_frontends(const struct mo_context *ctx);
const struct mo_frontend *mo_context_frontend_at(const struct mo_context *ctx, unsigned i);

/* Run a whole conversion as the `mo` command does: load the model named by
 * opts "input_model" (or "input_symbol"), translate, run the passes and
 * write NAME.xml/.bin/.mapping into "output_dir".  Nothing is written on
 * failure.  The paths written are reported through mo_log_success. */
enum mo_status mo_convert(struct mo_context *ctx, const struct mo_options *opts,
                          struct mo_error *err);

#ifdef __cplusplus
}
#endif
#endif
