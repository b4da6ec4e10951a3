/* ir_write.c - lays the graph out and writes .bin, .xml and .mapping so
 * that a conversion stopped at any instant (an error, SIGKILL, a full disk)
 * leaves either the previous IR of that name or none, never a torn one.
 *
 * All three go to temporary names in the target directory, each held under
 * an exclusive flock() while this process lives.  Only when every one is
 * complete: the old .xml is unlinked (from here until the last step there is
 * no IR, since a .bin without its .xml is not one), the .bin and .mapping
 * are renamed in (the old ones moved aside first and deleted at the end, so
 * that freeing a large old .bin does not widen that window), and the .xml
 * last.  Temporaries a killed conversion left
 * behind are removed by the next conversion of the same name: their lock is
 * free once their writer is gone.  No fsync: this protects against a killed
 * process, not against power loss, and syncing gigabytes would cost more
 * than the whole conversion. */
#define _GNU_SOURCE /* mkostemp */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mo/body.h>
#include <mo/ir.h>

#include "bin_writer.h"
#include "ir_private.h"

enum { F_XML, F_BIN, F_MAPPING, F_COUNT };
static const char *const exts[F_COUNT] = {"xml", "bin", "mapping"};

static void cleanup(char tmp[F_COUNT][4096], int fds[F_COUNT])
{
    for (int i = 0; i < F_COUNT; i++) {
        if (tmp[i][0])
            unlink(tmp[i]);
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

/* Is ent ".NAME.EXT.XXXXXX", a temporary of this IR name? */
static bool is_temp_of(const char *ent, const char *name)
{
    size_t nl = strlen(name);
    if (ent[0] != '.' || strncmp(ent + 1, name, nl) != 0 || ent[1 + nl] != '.')
        return false;
    const char *ext = ent + 2 + nl;
    for (int i = 0; i < F_COUNT; i++) {
        size_t el = strlen(exts[i]);
        if (!strncmp(ext, exts[i], el) && ext[el] == '.' && strlen(ext + el + 1) == 6)
            return true;
    }
    return false;
}

/* Remove temporaries of name whose writer is gone (their flock is free). */
static void remove_stale(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_temp_of(e->d_name, name))
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

enum mo_status mo_ir_layout(struct mo_graph *g, struct ir_layout *lay, struct mo_error *err)
{
    enum mo_status rc = mo_graph_topo(g, &lay->order, &lay->n, err);
    if (rc != MO_OK)
        return rc;
    unsigned total = mo_graph_n_nodes(g);
    lay->layer_id = mo_graph_alloc(g, (total ? total : 1) * sizeof *lay->layer_id);
    lay->offset = mo_graph_alloc(g, (total ? total : 1) * sizeof *lay->offset);
    lay->bodies = mo_graph_alloc(g, (total ? total : 1) * sizeof *lay->bodies);
    if (!lay->layer_id || !lay->offset || !lay->bodies)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    for (unsigned i = 0; i < total; i++)
        lay->layer_id[i] = (unsigned)-1;
    for (unsigned i = 0; i < lay->n && rc == MO_OK; i++) {
        struct mo_node *n = lay->order[i];
        lay->layer_id[n->id] = i;
        if (!n->n_bodies)
            continue;
        struct ir_layout *sub = mo_graph_alloc(g, n->n_bodies * sizeof *sub);
        if (!sub)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        lay->bodies[n->id] = sub;
        for (unsigned b = 0; b < n->n_bodies && rc == MO_OK; b++)
            rc = mo_ir_layout(n->bodies[b]->graph, &sub[b], err);
    }
    return rc;
}

/* Every Const of the layout and its bodies into the one .bin (shared
 * bytes stored once, whichever graph holds them). */
static enum mo_status put_consts(struct mo_bin_writer *bw, const struct ir_layout *lay,
                                 struct mo_error *err)
{
    enum mo_status rc = MO_OK;
    for (unsigned i = 0; i < lay->n && rc == MO_OK; i++) {
        struct mo_node *n = lay->order[i];
        if (!strcmp(n->type, "Const"))
            rc = mo_bin_put(bw, n->value, &lay->offset[n->id], err);
        for (unsigned b = 0; b < n->n_bodies && rc == MO_OK; b++)
            rc = put_consts(bw, &lay->bodies[n->id][b], err);
    }
    return rc;
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
    enum mo_status rc = mo_ir_layout(g, &lay, err);
    if (rc != MO_OK)
        return rc;

    remove_stale(dir, name);
    char tmp[F_COUNT][4096] = {{0}}, final[F_COUNT][4096];
    int fds[F_COUNT] = {-1, -1, -1};
    for (int i = 0; i < F_COUNT; i++) {
        snprintf(final[i], sizeof final[i], "%s/%s.%s", dir, name, exts[i]);
        snprintf(tmp[i], sizeof tmp[i], "%s/.%s.%s.XXXXXX", dir, name, exts[i]);
        int fd = mkostemp(tmp[i], O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            tmp[i][0] = 0;
            cleanup(tmp, fds);
            return mo_error_set(err, MO_ERR_IO, 9, "cannot create files in '%s': %s", dir, strerror(e));
        }
        fds[i] = fd;
        /* held until the files are renamed in: marks them as in use */
        flock(fd, LOCK_EX);
        /* mkstemp makes the file 0600; give it the usual permissions */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }

    struct mo_bin_writer *bw = mo_bin_writer_new(fds[F_BIN]);
    if (!bw) {
        cleanup(tmp, fds);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    rc = put_consts(bw, &lay, err);
    mo_bin_writer_free(bw);
    if (rc == MO_OK)
        rc = mo_ir_write_xml(&lay, tmp[F_XML], name, info, err);
    if (rc == MO_OK)
        rc = mo_ir_write_mapping(&lay, tmp[F_MAPPING], err);
    if (rc != MO_OK) {
        cleanup(tmp, fds);
        return rc;
    }
    /* the old .xml goes first, the new one comes last: in between there is
     * no IR of this name, so an old .xml never meets a new .bin */
    if (unlink(final[F_XML]) != 0 && errno != ENOENT) {
        int e = errno;
        cleanup(tmp, fds);
        return mo_error_set(err, MO_ERR_IO, 9, "cannot replace '%s': %s", final[F_XML], strerror(e));
    }
    /* the old .bin and .mapping are moved aside and deleted only once the
     * new IR is in: renaming over them would free a large old .bin inside
     * the window with no IR.  Their new names are temporaries' names, so a
     * conversion killed before deleting them leaves them to the next one. */
    char old[2][4096] = {{0}};
    for (int i = 0; i < 2; i++) {
        int src = i ? F_MAPPING : F_BIN;
        snprintf(old[i], sizeof old[i], "%s/.%s.%s.XXXXXX", dir, name, exts[src]);
        /* a fresh name, then free again: renaming onto an existing file,
         * even an empty one, made ext4 flush the renamed one (35 ms for a
         * 230 MiB .bin) */
        int fd = mkostemp(old[i], O_CLOEXEC);
        if (fd >= 0) {
            close(fd);
            unlink(old[i]);
        }
        if (fd < 0 || rename(final[src], old[i]) != 0)
            old[i][0] = 0; /* none, or it cannot move: the rename below replaces it */
    }
    static const int order[F_COUNT] = {F_BIN, F_MAPPING, F_XML};
    for (int k = 0; k < F_COUNT; k++) {
        int i = order[k];
        if (rename(tmp[i], final[i]) != 0) {
            int e = errno;
            for (int j = 0; j < k; j++)
                unlink(final[order[j]]);
            for (int j = 0; j < 2; j++)
                if (old[j][0])
                    unlink(old[j]);
            cleanup(tmp, fds);
            return mo_error_set(err, MO_ERR_IO, 9, "cannot create '%s': %s", final[i], strerror(e));
        }
        tmp[i][0] = 0;
    }
    for (int j = 0; j < 2; j++)
        if (old[j][0])
            unlink(old[j]);
    cleanup(tmp, fds);
    return MO_OK;
}
