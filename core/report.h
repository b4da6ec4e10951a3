/* report.h - the --report JSON summary of one conversion; core only. */
#ifndef MO_REPORT_H
#define MO_REPORT_H

#include <stdbool.h>

#include <mo/graph.h>

struct mo_pass_stats;
struct mo_report;

struct mo_report_info {
    const char *framework, *xml, *bin, *mapping;
    const struct mo_pass_stats *stats;
    bool fp16;
    double seconds;
    long peak_kb;
};

/* A new empty report; caller owns it (mo_report_free). NULL on OOM. */
struct mo_report *mo_report_new(void);
void mo_report_free(struct mo_report *r);
/* Record the live layers of g by type under key stage ("before"/"after"). */
enum mo_status mo_report_counts(struct mo_report *r, const char *stage, struct mo_graph *g);
/* Add info and write the report atomically to path (temporary + rename);
 * on failure nothing is left at path. */
enum mo_status mo_report_write(struct mo_report *r, const char *path, const struct mo_report_info *info,
                               struct mo_error *err);

#endif
