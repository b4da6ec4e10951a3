/* report.c - the --report FILE.json summary of a conversion: layer counts
 * by type before and after the passes, what each pass changed, FP16
 * figures, time and peak memory.  Written to a temporary name beside the
 * target and renamed, so a reader never sees half a report. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <mo/mo.h>

#include "passes/passes.h"
#include "json_file.h"
#include "report.h"

struct mo_report {
    json_t *root;
};

struct mo_report *mo_report_new(void)
{
    struct mo_report *r = calloc(1, sizeof *r);
    if (r && !(r->root = json_object())) {
        free(r);
        return NULL;
    }
    return r;
}

void mo_report_free(struct mo_report *r)
{
    if (!r)
        return;
    json_decref(r->root);
    free(r);
}

enum mo_status mo_report_counts(struct mo_report *r, const char *stage, struct mo_graph *g)
{
    json_t *counts = json_object();
    if (!counts)
        return MO_ERR_NOMEM;
    long total = 0;
    for (unsigned i = 0; i < mo_graph_n_nodes(g); i++) {
        struct mo_node *n = mo_graph_node(g, i);
        if (n->dead)
            continue;
        json_t *c = json_object_get(counts, n->type);
        json_object_set_new(counts, n->type, json_integer(c ? json_integer_value(c) + 1 : 1));
        total++;
    }
    json_t *o = json_pack("{s:o,s:I}", "by_type", counts, "total", (json_int_t)total);
    if (!o || json_object_set_new(r->root, stage, o) != 0)
        return MO_ERR_NOMEM;
    return MO_OK;
}

enum mo_status mo_report_write(struct mo_report *r, const char *path, const struct mo_report_info *info,
                               struct mo_error *err)
{
    json_t *passes = json_object();
    const struct mo_pass_stats *st = info->stats;
    for (unsigned i = 0; st && passes && i < st->n; i++) {
        json_t *p = json_object_get(passes, st->items[i].pass);
        if (!p) {
            p = json_object();
            json_object_set_new(passes, st->items[i].pass, p);
        }
        json_object_set_new(p, st->items[i].what, json_integer(st->items[i].count));
    }
    json_t *fp16 = json_pack("{s:b,s:I,s:I,s:I,s:I}", "enabled", info->fp16,
                             "constants_compressed", (json_int_t)(st ? st->fp16_compressed : 0),
                             "constants_kept_fp32", (json_int_t)(st ? st->fp16_kept_f32 : 0),
                             "values_clipped", (json_int_t)(st ? st->fp16_overflow : 0),
                             "values_flushed_to_zero", (json_int_t)(st ? st->fp16_underflow : 0));
    json_t *files = json_pack("{s:s,s:s,s:s}", "xml", info->xml, "bin", info->bin, "mapping", info->mapping);
    if (!passes || !fp16 || !files) {
        json_decref(passes);
        json_decref(fp16);
        json_decref(files);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    json_object_set_new(r->root, "passes", passes);
    json_object_set_new(r->root, "fp16", fp16);
    json_object_set_new(r->root, "ir", files);
    json_object_set_new(r->root, "framework", json_string(info->framework ? info->framework : ""));
    json_object_set_new(r->root, "total_seconds", json_real(info->seconds));
    json_object_set_new(r->root, "peak_memory_mb", json_integer(info->peak_kb / 1024));

    return mo_json_write_atomic(path, r->root, JSON_INDENT(2) | JSON_SORT_KEYS, "report", 24, err);
}
