/* mapping.c - CustomLayersMapping.xml: layer types kept as custom IR ops, top priority.
 *
 * The file lists framework layer types that mo must not convert itself:
 *
 *     <CustomLayersMapping>
 *       <CustomLayer NativeType="Proposal" hasParam="true" protoParamName="proposal_param"/>
 *       <CustomLayer NativeType="MyLayer" hasParam="false" output_shape="1,10"/>
 *     </CustomLayersMapping>
 *
 * Each entry becomes a translator of the MAPPING tier (above every extension
 * and standard translator) for every frontend loaded when the file is read.
 * It emits one IR layer whose type is the layer type (for MXNet's
 * NativeType="Custom:X" the type is X) in opset "extension", fed by all the
 * framework inputs, and carrying all framework attributes (hasParam="true")
 * or none.  The framework cannot tell mo the shape of such a layer, so the
 * rule is: every output has input 0's element type and shape, unless the
 * entry gives output_shape (a mo addition: "1,10", or one shape per output
 * separated by ';', -1 for a dynamic dim).
 *
 * Ownership: the struct mo_mapping belongs to the context (freed by
 * mo_context_free through mo_mapping_free); it owns the op definitions and
 * the sub-graph "replacement" that warns about entries the model never uses,
 * so the registry may point into it for the context's whole life. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <mo/log.h>
#include <mo/op.h>

#include "context_private.h"

/* docs/faq.md has no entry for mapping files yet; 0 prints no FAQ pointer */
#define MAPPING_FAQ 25

struct map_entry {
    char *native_type;          /* the framework layer type, as registered */
    char *ir_type;              /* IR layer type ("Custom:" stripped) */
    char *proto_param;          /* protoParamName, or NULL */
    bool has_param;
    int line;
    unsigned n_shapes;          /* 0: outputs are shaped like input 0 */
    struct mo_shape *shapes;
    struct mo_op_def def;       /* the IR op; the registry may point here */
};

struct mo_mapping {
    char *path;
    struct map_entry *v;
    unsigned n;
    /* registrations are charged to this owner, so the registry names the
     * file in messages ("converted by the CustomLayersMapping.xml of PATH")
     * and a failed load can be rolled back like a failed plugin init */
    struct plugin_rec owner;
    struct mo_plugin_desc desc;
    struct mo_replacement *checks;   /* one per frontend */
    unsigned n_checks;
};

void mo_mapping_free(struct mo_mapping *m);

void mo_mapping_free(struct mo_mapping *m)
{
    if (!m)
        return;
    for (unsigned i = 0; i < m->n; i++) {
        free(m->v[i].native_type);
        free(m->v[i].ir_type);
        free(m->v[i].proto_param);
        free(m->v[i].shapes);
    }
    free(m->v);
    free(m->checks);
    free(m->path);
    free(m);
}

void mo_mapping_describe(const struct mo_mapping *m, FILE *out);

/* For --list_plugins: the mapping file and what it registers. */
void mo_mapping_describe(const struct mo_mapping *m, FILE *out)
{
    if (!m)
        return;
    fprintf(out, "%-10s %-16s %-8s %s\n", "mapping", "CustomLayersMapping", "", m->path);
    fprintf(out, "           registers %u translator(s), %u op(s)\n", m->owner.n_translators,
            m->owner.n_ops);
    for (unsigned i = 0; i < m->n; i++)
        fprintf(out, "           %s -> %s (mapping, line %d, %s)\n", m->v[i].native_type,
                m->v[i].ir_type, m->v[i].line, m->v[i].has_param ? "all parameters" : "no parameters");
}

/* --- shape rule and translation ------------------------------------------ */

static const struct map_entry *entry_of_def(const struct mo_context *ctx, const struct mo_op_def *d)
{
    const struct mo_mapping *m = ctx ? ctx->mapping : NULL;
    for (unsigned i = 0; m && i < m->n; i++)
        if (&m->v[i].def == d)
            return &m->v[i];
    return NULL;
}

enum mo_status mo_custom_op_infer(struct mo_node *n, const struct mo_shape *shapes, unsigned n_shapes,
                                  const char *where, struct mo_error *err)
{
    enum mo_etype et = n->n_inputs ? mo_in_et(n, 0) : MO_ET_F32;
    unsigned outs = n->n_outputs ? n->n_outputs : 1;
    for (unsigned i = 0; i < outs; i++) {
        struct mo_shape s;
        if (n_shapes)
            s = shapes[i < n_shapes ? i : n_shapes - 1];
        else if (n->n_inputs)
            s = mo_in_shape(n, 0);
        else
            return mo_shape_error(n, err, "custom layer without inputs needs %s", where);
        enum mo_status st = mo_set_out(n, i, et, &s);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

static enum mo_status mapping_infer(struct mo_node *n, struct mo_error *err)
{
    const struct map_entry *e = entry_of_def(mo_graph_context(n->graph), n->def);
    if (!e)
        return mo_shape_error(n, err, "custom layer has lost its CustomLayersMapping.xml entry");
    char where[96];
    snprintf(where, sizeof where, "output_shape in its CustomLayersMapping.xml entry (line %d)", e->line);
    return mo_custom_op_infer(n, e->shapes, e->n_shapes, where, err);
}

static enum mo_status mapping_translate(struct mo_tctx *t, const struct mo_node *fw, void *user,
                                        struct mo_error *err)
{
    const struct map_entry *e = user;
    struct mo_graph *g = mo_tctx_graph(t);
    struct mo_node *n = mo_graph_add_node(g, e->ir_type, fw->name, fw->n_inputs,
                                          fw->n_outputs ? fw->n_outputs : 1);
    if (!n)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    /* set directly rather than through mo_op(): the layer type may also be
     * the name of a standard op ("Convolution"), and the mapping must win */
    n->def = &e->def;
    for (unsigned i = 0; i < fw->n_inputs; i++) {
        struct mo_value v = mo_tctx_input(t, i);
        if (!v.node)
            return mo_error_set(err, MO_ERR_FORMAT, 0,
                                "custom layer '%s': input %u is not connected", fw->name, i);
        mo_node_set_input(n, i, v);
    }
    if (e->has_param) {
        size_t plen = e->proto_param ? strlen(e->proto_param) : 0;
        bool custom = !strncmp(fw->type, "Custom", 6) && (!fw->type[6] || fw->type[6] == ':');
        for (unsigned i = 0; i < fw->n_attrs; i++) {
            struct mo_attr a = fw->attrs[i];
            /* op_type is what selected this entry, not a parameter */
            if (custom && !strcmp(a.name, "op_type"))
                continue;
            /* frontends that flatten a parameter message name its fields
             * "<protoParamName>.<field>"; the IR wants the field names */
            if (plen && !strncmp(a.name, e->proto_param, plen) && a.name[plen] == '.')
                a.name += plen + 1;
            enum mo_status st = mo_node_copy_attr(n, &a);
            if (st != MO_OK)
                return mo_error_set(err, st, 0, "custom layer '%s': cannot copy attribute '%s'",
                                    fw->name, a.name);
        }
    }
    for (unsigned i = 0; i < fw->n_outputs; i++) {
        enum mo_status st = mo_tctx_set_output(t, i, mo_val(n, i), err);
        if (st != MO_OK)
            return st;
    }
    return MO_OK;
}

/* Runs before translation: an entry that matches no layer of the model is
 * most likely a typo, which the user should hear about. */
static enum mo_status mapping_check(struct mo_context *ctx, struct mo_graph *fw,
                                    const struct mo_options *opts, void *user, struct mo_error *err)
{
    const struct mo_mapping *m = user;
    unsigned nn = mo_graph_n_nodes(fw);
    for (unsigned i = 0; i < m->n; i++) {
        const struct map_entry *e = &m->v[i];
        const char *op_type = !strncmp(e->native_type, "Custom:", 7) ? e->native_type + 7 : NULL;
        bool found = false;
        for (unsigned k = 0; k < nn && !found; k++) {
            const struct mo_node *x = mo_graph_node(fw, k);
            if (x->dead)
                continue;
            /* a frontend may type the node "Custom:X" itself (MXNet's does)
             * or leave "Custom" with op_type X for the registry to combine */
            found = !strcmp(x->type, e->native_type) ||
                    (op_type && !strcmp(x->type, "Custom") &&
                     !strcmp(mo_node_get_str(x, "op_type", ""), op_type));
        }
        if (!found)
            mo_log(ctx, MO_LOG_WARNING,
                   "CustomLayersMapping.xml '%s', line %d: layer type '%s' does not occur in the "
                   "model; the entry has no effect (check its spelling)",
                   m->path, e->line, e->native_type);
    }
    return MO_OK;
}

/* --- reading the file ------------------------------------------------------ */

static enum mo_status file_error(struct mo_error *err, const char *path, int line, const char *fmt,
                                 ...) __attribute__((format(printf, 4, 5)));

static enum mo_status file_error(struct mo_error *err, const char *path, int line, const char *fmt,
                                 ...)
{
    char why[MO_ERROR_MSG_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (line > 0)
        return mo_error_set(err, MO_ERR_FORMAT, MAPPING_FAQ, "CustomLayersMapping.xml '%s', line %d: %s", path,
                            line, why);
    return mo_error_set(err, MO_ERR_FORMAT, MAPPING_FAQ, "CustomLayersMapping.xml '%s': %s", path, why);
}

/* "1,3,-1,8;1,10" -> shapes; false on anything else */
static bool parse_shapes(const char *s, struct map_entry *e)
{
    unsigned cnt = 1;
    for (const char *p = s; *p; p++)
        cnt += *p == ';';
    e->shapes = calloc(cnt, sizeof *e->shapes);
    if (!e->shapes)
        return false;
    const char *p = s;
    for (unsigned i = 0; i < cnt; i++) {
        struct mo_shape sh = {0};
        for (;;) {
            while (*p == ' ' || *p == '[' || *p == '(')
                p++;
            if (*p == ']' || *p == ')' || *p == ';' || !*p)
                break;
            char *end;
            errno = 0;
            long long v = strtoll(p, &end, 10);
            if (end == p || errno || v < -1 || sh.rank == MO_MAX_RANK)
                return false;
            sh.dims[sh.rank++] = v;
            p = end;
            while (*p == ' ' || *p == ']' || *p == ')')
                p++;
            if (*p == ',')
                p++;
            else if (*p != ';' && *p)
                return false;
        }
        while (*p == ' ' || *p == ']' || *p == ')')
            p++;
        if (*p == ';')
            p++;
        e->shapes[e->n_shapes++] = sh;
    }
    return *p == 0;
}

static enum mo_status parse_entry(struct mo_mapping *m, xmlNode *x, struct mo_error *err)
{
    int line = (int)xmlGetLineNo(x);
    for (xmlAttr *a = x->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        if (strcmp(an, "NativeType") && strcmp(an, "hasParam") && strcmp(an, "protoParamName") &&
            strcmp(an, "output_shape"))
            return file_error(err, m->path, line,
                              "<CustomLayer> has an unknown attribute '%s' (known: NativeType, "
                              "hasParam, protoParamName, output_shape)", an);
    }
    xmlChar *type = xmlGetProp(x, (const xmlChar *)"NativeType");
    xmlChar *hp = xmlGetProp(x, (const xmlChar *)"hasParam");
    xmlChar *pp = xmlGetProp(x, (const xmlChar *)"protoParamName");
    xmlChar *os = xmlGetProp(x, (const xmlChar *)"output_shape");
    enum mo_status st = MO_OK;
    const char *t = type ? (const char *)type : "";
    while (*t == ' ')
        t++;
    if (!*t || !strcmp(t, "Custom:")) {
        st = file_error(err, m->path, line,
                        "<CustomLayer> names no layer type: NativeType is missing or empty");
        goto out;
    }
    bool has_param = false;
    if (hp) {
        if (!strcmp((const char *)hp, "true") || !strcmp((const char *)hp, "True") ||
            !strcmp((const char *)hp, "1"))
            has_param = true;
        else if (strcmp((const char *)hp, "false") && strcmp((const char *)hp, "False") &&
                 strcmp((const char *)hp, "0")) {
            st = file_error(err, m->path, line, "hasParam is '%s'; write \"true\" or \"false\"",
                            (const char *)hp);
            goto out;
        }
    }
    for (unsigned i = 0; i < m->n; i++)
        if (!strcmp(m->v[i].native_type, t)) {
            st = file_error(err, m->path, line, "layer type '%s' is already mapped on line %d", t,
                            m->v[i].line);
            goto out;
        }
    struct map_entry *nv = realloc(m->v, (m->n + 1) * sizeof *nv);
    if (!nv) {
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    m->v = nv;
    struct map_entry *e = &m->v[m->n++];
    memset(e, 0, sizeof *e);
    e->line = line;
    e->has_param = has_param;
    e->native_type = strdup(t);
    e->ir_type = strdup(!strncmp(t, "Custom:", 7) ? t + 7 : t);
    e->proto_param = pp && *pp ? strdup((const char *)pp) : NULL;
    if (!e->native_type || !e->ir_type || (pp && *pp && !e->proto_param)) {
        st = mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    if (os && !parse_shapes((const char *)os, e)) {
        st = file_error(err, m->path, line,
                        "output_shape '%s' is not a shape list such as \"1,3,224,224\" or "
                        "\"1,10;1,4\"", (const char *)os);
        goto out;
    }
out:
    xmlFree(type);
    xmlFree(hp);
    xmlFree(pp);
    xmlFree(os);
    return st;
}

static enum mo_status parse_file(struct mo_mapping *m, struct mo_error *err)
{
    FILE *f = fopen(m->path, "rb");
    if (!f)
        return mo_error_set(err, MO_ERR_IO, MAPPING_FAQ, "cannot read CustomLayersMapping.xml '%s': %s",
                            m->path, strerror(errno));
    fclose(f);
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    /* no network, no entity expansion: the file is data, not a document */
    xmlDocPtr doc = xmlCtxtReadFile(pc, m->path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                       XML_PARSE_NOWARNING);
    enum mo_status st = MO_OK;
    if (!doc) {
        const xmlError *xe = xmlCtxtGetLastError(pc);
        char why[256] = "not well-formed XML";
        if (xe && xe->message) {
            snprintf(why, sizeof why, "malformed XML: %s", xe->message);
            size_t l = strlen(why);
            while (l && (why[l - 1] == '\n' || why[l - 1] == ' '))
                why[--l] = 0;
        }
        st = file_error(err, m->path, xe ? xe->line : 0, "%s", why);
        xmlFreeParserCtxt(pc);
        return st;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *x = root ? root->children : NULL; x && st == MO_OK; x = x->next) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)x->name, "CustomLayer") != 0)
            st = file_error(err, m->path, (int)xmlGetLineNo(x),
                            "unknown element <%s>; only <CustomLayer .../> entries are allowed",
                            (const char *)x->name);
        else
            st = parse_entry(m, x, err);
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    return st;
}

/* --- registration ------------------------------------------------------------ */

static enum mo_status register_all(struct mo_context *ctx, struct mo_mapping *m,
                                   struct mo_error *err)
{
    struct mo_plugin_ctx pc = {ctx, &m->owner};
    unsigned nfe = ctx->frontends.n;
    if (nfe) {
        m->checks = calloc(nfe, sizeof *m->checks);
        if (!m->checks)
            return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    for (unsigned i = 0; i < m->n; i++) {
        struct map_entry *e = &m->v[i];
        e->def = (struct mo_op_def){e->ir_type, "extension", 0, -1, -1, NULL, 0, mapping_infer, NULL};
        /* a type the op table already has (a standard op, or another entry
         * with the same IR type) keeps the existing definition there; the
         * mapped layers still get this one through n->def */
        if (!mo_context_op(ctx, e->ir_type)) {
            enum mo_status st = mo_register_op(&pc, &e->def, err);
            if (st != MO_OK)
                return st;
        }
        for (unsigned f = 0; f < nfe; f++) {
            enum mo_status st =
                mo_register_translator(&pc, ctx->frontends.v[f].fe->name, e->native_type,
                                       MO_TIER_MAPPING, 0, mapping_translate, e, err);
            if (st != MO_OK)
                return st;
        }
    }
    for (unsigned f = 0; f < nfe; f++) {
        m->checks[f] = (struct mo_replacement){sizeof(struct mo_replacement),
                                               ctx->frontends.v[f].fe->name,
                                               "CustomLayersMapping.xml check", NULL, 1000000,
                                               mapping_check, m};
        enum mo_status st = mo_register_replacement(&pc, &m->checks[f], err);
        if (st != MO_OK)
            return st;
        m->n_checks++;
    }
    return MO_OK;
}

enum mo_status mo_context_load_mapping(struct mo_context *ctx, const char *path, struct mo_error *err)
{
    if (!ctx || !path || !*path)
        return mo_error_set(err, MO_ERR_INVALID_ARG, 0, "no CustomLayersMapping.xml path given");
    if (ctx->mapping)
        return mo_error_set(err, MO_ERR_INVALID_ARG, MAPPING_FAQ,
                            "CustomLayersMapping.xml '%s' is already loaded; one mapping file per "
                            "conversion", ctx->mapping->path);
    struct mo_mapping *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        return mo_error_set(err, MO_ERR_NOMEM, 0, "out of memory");
    }
    m->desc = (struct mo_plugin_desc){MO_PLUGIN_ABI_MAJOR, MO_PLUGIN_ABI_MINOR,
                                      sizeof(struct mo_plugin_desc), m->path, "", MO_PLUGIN_EXTENSION,
                                      "CustomLayersMapping.xml", NULL, NULL};
    m->owner.path = m->path;
    m->owner.basename = m->path;
    m->owner.desc = &m->desc;
    enum mo_status st = parse_file(m, err);
    if (st == MO_OK) {
        /* entry_of_def() looks the mapping up through the context */
        ctx->mapping = m;
        st = register_all(ctx, m, err);
    }
    if (st != MO_OK) {
        mo_registry_forget(ctx, &m->owner);
        ctx->mapping = NULL;
        mo_mapping_free(m);
        return st;
    }
    if (!ctx->frontends.n)
        mo_log(ctx, MO_LOG_WARNING,
               "CustomLayersMapping.xml '%s': no frontend is loaded, so its entries apply to "
               "nothing", path);
    mo_log(ctx, MO_LOG_DEBUG, "CustomLayersMapping.xml '%s': %u layer type(s) mapped for %u frontend(s)",
           path, m->n, ctx->frontends.n);
    for (unsigned i = 0; i < m->n; i++)
        mo_log(ctx, MO_LOG_DEBUG, "  line %d: '%s' -> custom IR layer '%s' (opset extension), %s",
               m->v[i].line, m->v[i].native_type, m->v[i].ir_type,
               m->v[i].has_param ? "with all framework parameters" : "without parameters");
    return MO_OK;
}
