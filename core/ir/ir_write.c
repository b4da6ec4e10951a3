/* ir_write.c - lays the graph out and writes .bin, .xml and .mapping
 * atomically: all three go to temporary names in the target directory and
 * are renamed only once every one is complete. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mo/ir.h>

#include "bin_writer.h"
#include "ir_private.h"

enum { F_XML, F_BIN, F_MAPPING, F_COUNT };
static const char *const exts[F_COUNT] = {"xml", "bin", "mapping"};

static void cleanup(char tmp[F_COUNT][4096])
{
    for (int i = 0; i < F_COUNT; i++)
        if (tmp[i][0])
            unlink(tmp[i]);
}

enum mo_status mo_ir_write(struct mo_graph *g, const char *dir, const char *name,
                           const struct mo_ir_info *info, struct mo_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return mo_error_set(err, MO_ERR_IO, 9, "output directory '%s' does not exist; create it or "
                            "pass another --output_dir", dir);
    if (access(dir, W_OK) != 0)
        return mo_error_set(err, MO_ERR_IO, 9, "output directory '%s' is not writable; pass "
                            "another --output_dir", dir);

    struct ir_layout lay = {0};
    enum mo_status rc = mo_graph_topo(g, &lay.order, &lay.n, err);
    if (rc != MO_OK)
        return rc;
    unsigned total = mo_graph_n_nodes(g);
    lay.layer_id = mo_graph_alloc(g, (total ? total : 1) * sizeof *lay.layer_id);
    lay.offset = mo_graph_alloc(g, (total ? total : 1) * sizeof *lay.offset);
    if (!lay.layer_id || !lay.offset)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < total; i++)
        lay.layer_id[i] = (unsigned)-1;
    for (unsigned i = 0; i < lay.n; i++)
        lay.layer_id[lay.order[i]->id] = i;

    char tmp[F_COUNT][4096] = {{0}}, final[F_COUNT][4096];
    for (int i = 0; i < F_COUNT; i++) {
        snprintf(final[i], sizeof final[i], "%s/%s.%s", dir, name, exts[i]);
        snprintf(tmp[i], sizeof tmp[i], "%s/.%s.%s.XXXXXX", dir, name, exts[i]);
        int fd = mkstemp(tmp[i]);
        if (fd < 0) {
            int e = errno;
            tmp[i][0] = 0;
            cleanup(tmp);
            return mo_error_set(err, MO_ERR_IO, 9, "cannot create files in '%s': %s", dir, strerror(e));
        }
        /* mkstemp makes the file 0600; give it the usual permissions */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
        close(fd);
    }

    FILE *bf = fopen(tmp[F_BIN], "wb");
    struct mo_bin_writer *bw = bf ? mo_bin_writer_new(bf) : NULL;
    if (!bw) {
        if (bf)
            fclose(bf);
        cleanup(tmp);
        return mo_error_set(err, MO_ERR_IO, 9, "cannot write '%s'", final[F_BIN]);
    }
    for (unsigned i = 0; i < lay.n && rc == MO_OK; i++) {
        struct mo_node *n = lay.order[i];
        if (!strcmp(n->type, "Const"))
            rc = mo_bin_put(bw, n->value, &lay.offset[n->id], err);
    }
    mo_bin_writer_free(bw);
    if (fclose(bf) != 0 && rc == MO_OK)
        rc = mo_error_set(err, MO_ERR_IO, 9, "cannot write '%s': %s", final[F_BIN], strerror(errno));
    if (rc == MO_OK)
        rc = mo_ir_write_xml(&lay, tmp[F_XML], name, info, err);
    if (rc == MO_OK)
        rc = mo_ir_write_mapping(&lay, tmp[F_MAPPING], err);
    if (rc != MO_OK) {
        cleanup(tmp);
        return rc;
    }
    /* .bin and .mapping first: a reader that sees the .xml finds its .bin */
    static const int order[F_COUNT] = {F_BIN, F_MAPPING, F_XML};
    for (int k = 0; k < F_COUNT; k++) {
        int i = order[k];
        if (rename(tmp[i], final[i]) != 0) {
            int e = errno;
            for (int j = 0; j < k; j++)
                unlink(final[order[j]]);
            cleanup(tmp);
            return mo_error_set(err, MO_ERR_IO, 9, "cannot create '%s': %s", final[i], strerror(e));
        }
        tmp[i][0] = 0;
    }
    return MO_OK;
}
