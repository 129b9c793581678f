/* Reader for W3C InkML through libxml2. The network is never used
 * (XML_PARSE_NONET), entities are never substituted and no DTD is loaded; a
 * document that declares a DTD at all is refused, since InkML needs none
 * and an internal subset is how entity bombs arrive.
 *
 * The first <traceFormat> in the document (top level or inside
 * <definitions>/<context>/<inkSource>) names the channels; without one,
 * InkML's default is X Y. Channels used: X, Y (units attribute mm, cm, m,
 * in, pt, or a channelProperty resolution; else tablet counts as for .svc),
 * T (units s or ms, else detected), F (pressure; its max attribute is full
 * scale), OA/OE (azimuth/elevation, deg or rad) or OTx/OTy (tilt angles).
 * Every <trace> (also inside <traceGroup>) is one stroke: pen down, or in
 * the air when type="penUp". Point values may carry the difference prefixes
 * ' (first) and " (second difference) and ! (explicit), which persist per
 * channel as the format says; T and F are accepted as boolean values. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INKML_MAX_CHANNELS 32

enum { CH_OTHER, CH_X, CH_Y, CH_T, CH_F, CH_OA, CH_OE, CH_OTX, CH_OTY };

typedef struct channel {
    int kind;
    double unit;      /* multiplier to mm, s or degrees; 0 = unknown */
    double max;       /* F full scale, 0 = unknown */
} channel;

typedef struct fmt {
    int n;
    channel ch[INKML_MAX_CHANNELS];
} fmt;

static bool name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static double length_unit(const char *u)
{
    if (!u)
        return 0;
    if (!strcmp(u, "mm")) return 1;
    if (!strcmp(u, "cm")) return 10;
    if (!strcmp(u, "m")) return 1000;
    if (!strcmp(u, "in")) return 25.4;
    if (!strcmp(u, "pt")) return 25.4 / 72;
    if (!strcmp(u, "pc")) return 25.4 / 6;
    return 0;
}

static double time_unit(const char *u)
{
    if (!u)
        return 0;
    if (!strcmp(u, "s")) return 1;
    if (!strcmp(u, "ms")) return 1e-3;
    if (!strcmp(u, "us")) return 1e-6;
    return 0;
}

static double angle_unit(const char *u)
{
    if (!u || !strcmp(u, "deg")) return 1;
    if (!strcmp(u, "rad")) return 180.0 / M_PI;
    if (!strcmp(u, "grad")) return 0.9;
    return 1;
}

static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp((xmlNode *)n, (const xmlChar *)name);
}

static int channel_kind(const char *name)
{
    static const struct { const char *n; int k; } map[] = {
        {"X", CH_X}, {"Y", CH_Y}, {"T", CH_T}, {"F", CH_F}, {"OA", CH_OA}, {"OE", CH_OE},
        {"OTx", CH_OTX}, {"OTy", CH_OTY},
    };
    for (size_t i = 0; name && i < sizeof map / sizeof *map; i++)
        if (!strcmp(name, map[i].n))
            return map[i].k;
    return CH_OTHER;
}

static ps_status add_channel(fmt *f, const xmlNode *c)
{
    if (f->n >= INKML_MAX_CHANNELS)
        return ps_fail(PS_ERR_CORRUPT, "line %d: more than %d channels", c->line, INKML_MAX_CHANNELS);
    char *name = attr(c, "name"), *units = attr(c, "units"), *max = attr(c, "max");
    channel *ch = &f->ch[f->n++];
    ch->kind = channel_kind(name);
    ch->unit = 0;
    ch->max = 0;
    switch (ch->kind) {
    case CH_X:
    case CH_Y: ch->unit = length_unit(units); break;
    case CH_T: ch->unit = time_unit(units); break;
    case CH_OA:
    case CH_OE:
    case CH_OTX:
    case CH_OTY: ch->unit = angle_unit(units); break;
    default: break;
    }
    if (max) {
        char *e;
        double v = strtod(max, &e);
        if (e != max && isfinite(v) && v > 0)
            ch->max = v;
    }
    xmlFree(name);
    xmlFree(units);
    xmlFree(max);
    return PS_OK;
}

static const xmlNode *find_first(const xmlNode *n, const char *name, int depth)
{
    for (; n && depth < 64; n = n->next) {
        if (name_is(n, name))
            return n;
        if (n->type == XML_ELEMENT_NODE && !name_is(n, "trace") && !name_is(n, "traceGroup")) {
            const xmlNode *r = find_first(n->children, name, depth + 1);
            if (r)
                return r;
        }
    }
    return NULL;
}

static ps_status read_format(const xmlNode *root, fmt *f)
{
    memset(f, 0, sizeof *f);
    const xmlNode *tf = find_first(root->children, "traceFormat", 0);
    if (!tf) {
        f->n = 2;
        f->ch[0].kind = CH_X;
        f->ch[1].kind = CH_Y;
        return PS_OK;
    }
    for (const xmlNode *c = tf->children; c; c = c->next) {
        ps_status rc = PS_OK;
        if (name_is(c, "channel"))
            rc = add_channel(f, c);
        else if (name_is(c, "intermittentChannels"))
            for (const xmlNode *d = c->children; d && rc == PS_OK; d = d->next)
                if (name_is(d, "channel"))
                    rc = add_channel(f, d);
        if (rc != PS_OK)
            return rc;
    }
    if (f->n == 0)
        return ps_fail(PS_ERR_CORRUPT, "line %d: traceFormat declares no channel", tf->line);
    /* resolutions: <channelProperty channel="X" name="resolution" value="100" units="1/mm"/> */
    const xmlNode *cp = find_first(root->children, "channelProperties", 0);
    for (const xmlNode *c = cp ? cp->children : NULL; c; c = c->next) {
        if (!name_is(c, "channelProperty"))
            continue;
        char *chn = attr(c, "channel"), *nm = attr(c, "name"), *val = attr(c, "value"), *un = attr(c, "units");
        if (chn && nm && val && !strcmp(nm, "resolution")) {
            double v = strtod(val, NULL);
            double per = un && !strncmp(un, "1/", 2) ? length_unit(un + 2) : 0;
            int k = channel_kind(chn);
            if (v > 0 && isfinite(v) && per > 0 && (k == CH_X || k == CH_Y))
                for (int i = 0; i < f->n; i++)
                    if (f->ch[i].kind == k && f->ch[i].unit == 0)
                        f->ch[i].unit = per / v;
        }
        xmlFree(chn);
        xmlFree(nm);
        xmlFree(val);
        xmlFree(un);
    }
    return PS_OK;
}

typedef struct trace_state {
    const fmt *f;
    ink_raw *raw;
    int idx[9];            /* channel index of each kind, -1 if absent */
    double prev[INKML_MAX_CHANNELS], vel[INKML_MAX_CHANNELS];
    int mode[INKML_MAX_CHANNELS]; /* 0 explicit, 1 first diff, 2 second diff */
} trace_state;

static double get(const double *v, int n, int i, double dflt)
{
    return i >= 0 && i < n ? v[i] : dflt;
}

/* Parses one trace's text (already concatenated) into samples. */
static ps_status parse_trace(trace_state *st, const char *s, int pen, int line)
{
    const fmt *f = st->f;
    for (int c = 0; c < f->n; c++) {
        st->mode[c] = 0;
        st->vel[c] = 0;
    }
    double v[INKML_MAX_CHANNELS];
    int npts = 0;
    while (*s) {
        int nv = 0;
        /* one point: values up to ',' or the end */
        for (;;) {
            while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
                s++;
            if (!*s || *s == ',')
                break;
            if (nv >= f->n)
                return ps_fail(PS_ERR_CORRUPT, "line %d: point %d of a trace has more values than the %d channels",
                               line, npts + 1, f->n);
            int c = nv;
            if (*s == '!' || *s == '\'' || *s == '"') {
                st->mode[c] = *s == '!' ? 0 : *s == '\'' ? 1 : 2;
                s++;
            }
            double x;
            if (*s == 'T' || *s == 'F') {
                x = *s == 'T';
                s++;
            } else if (*s == '?') {
                x = npts ? st->prev[c] : 0;
                s++;
                v[nv++] = x;
                continue;
            } else {
                char *e;
                x = strtod(s, &e);
                if (e == s || !isfinite(x))
                    return ps_fail(PS_ERR_CORRUPT, "line %d: bad value '%.12s' in point %d of a trace", line, s,
                                   npts + 1);
                s = e;
            }
            if (st->mode[c] == 1 && npts)
                x = st->prev[c] + x;
            else if (st->mode[c] == 2 && npts)
                x = st->prev[c] + st->vel[c] + x;
            v[nv++] = x;
        }
        if (nv > 0) {
            if (st->idx[CH_X] >= nv || st->idx[CH_Y] >= nv)
                return ps_fail(PS_ERR_CORRUPT, "line %d: point %d of a trace lacks X or Y", line, npts + 1);
            for (int c = nv; c < f->n; c++) /* intermittent channels left out keep their value */
                v[c] = npts ? st->prev[c] : 0;
            for (int c = 0; c < f->n; c++) {
                st->vel[c] = npts ? v[c] - st->prev[c] : 0;
                st->prev[c] = v[c];
            }
            double x = get(v, f->n, st->idx[CH_X], 0), y = get(v, f->n, st->idx[CH_Y], 0);
            double t = get(v, f->n, st->idx[CH_T], 0), p = get(v, f->n, st->idx[CH_F], 0);
            double az = 0, alt = 0;
            if (st->idx[CH_OA] >= 0 || st->idx[CH_OE] >= 0) {
                az = get(v, f->n, st->idx[CH_OA], 0) * (st->idx[CH_OA] >= 0 ? f->ch[st->idx[CH_OA]].unit : 1);
                alt = get(v, f->n, st->idx[CH_OE], 0) * (st->idx[CH_OE] >= 0 ? f->ch[st->idx[CH_OE]].unit : 1);
            } else if (st->idx[CH_OTX] >= 0 && st->idx[CH_OTY] >= 0) {
                double tx = get(v, f->n, st->idx[CH_OTX], 0) * f->ch[st->idx[CH_OTX]].unit * M_PI / 180;
                double ty = get(v, f->n, st->idx[CH_OTY], 0) * f->ch[st->idx[CH_OTY]].unit * M_PI / 180;
                double a = tan(tx), b = tan(ty);
                alt = 90.0 - atan(sqrt(a * a + b * b)) * 180 / M_PI;
                az = fmod(atan2(b, a) * 180 / M_PI + 360.0, 360.0);
            }
            if (p < 0)
                return ps_fail(PS_ERR_CORRUPT, "line %d: negative pressure in point %d of a trace", line, npts + 1);
            /* a pen-down trace right after another: the lift between them was not sampled */
            int mark = pen && npts == 0 && st->raw->n && st->raw->pen[st->raw->n - 1] ? 2 : pen;
            ps_status rc = ink_raw_push(st->raw, x, y, t, mark, p, az, alt);
            if (rc != PS_OK)
                return rc;
            npts++;
        }
        if (*s == ',')
            s++;
    }
    return PS_OK;
}

/* Concatenates the text children of a trace (no entity expansion). */
static char *trace_text(const xmlNode *tr)
{
    size_t n = 0;
    for (const xmlNode *c = tr->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            n += strlen((const char *)c->content);
    char *s = ps_malloc(n + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (const xmlNode *c = tr->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t k = strlen((const char *)c->content);
            memcpy(s + o, c->content, k);
            o += k;
        }
    s[o] = 0;
    return s;
}

static ps_status walk(trace_state *st, const xmlNode *n, int depth, int *ntraces)
{
    if (depth > 64)
        return ps_fail(PS_ERR_CORRUPT, "traceGroups nested more than 64 deep");
    for (; n; n = n->next) {
        if (n->type == XML_ENTITY_REF_NODE)
            return ps_fail(PS_ERR_UNSUPPORTED, "line %d: entity references are not allowed in InkML", n->line);
        if (name_is(n, "trace")) {
            char *type = attr(n, "type");
            int pen = !(type && !strcmp(type, "penUp"));
            xmlFree(type);
            char *text = trace_text(n);
            if (!text)
                return ps_fail(PS_ERR_NOMEM, "out of memory reading a trace");
            ps_status rc = parse_trace(st, text, pen, n->line);
            ps_free(text);
            if (rc != PS_OK)
                return rc;
            (*ntraces)++;
        } else if (name_is(n, "traceGroup") || name_is(n, "ink")) {
            ps_status rc = walk(st, n->children, depth + 1, ntraces);
            if (rc != PS_OK)
                return rc;
        }
    }
    return PS_OK;
}

/* libxml2 reports some errors (encoding conversion) through its generic
 * handler, which prints to stderr; the library never prints, so this
 * thread's handler is silenced while parsing and restored afterwards. */
static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static ps_status read_doc(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out);

/* libxml2 2.9 initialises itself lazily and not thread-safely: once, here. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void)
{
    xmlInitParser();
}

ps_status ink_read_inkml(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out)
{
    if (len > (size_t)INT32_MAX)
        return ps_fail(PS_ERR_LIMIT, "InkML document over 2 GiB");
    pthread_once(&xml_once, xml_init);
    xmlGenericErrorFunc old = xmlGenericError;
    void *old_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_silent);
    ps_status rc = read_doc(buf, len, p, out);
    xmlSetGenericErrorFunc(old_ctx, old);
    return rc;
}

static ps_status read_doc(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out)
{
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return ps_fail(PS_ERR_NOMEM, "cannot create an XML parser");
    /* no NOENT (entity substitution), no DTDLOAD/DTDATTR, no network */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        ps_status rc;
        if (e && e->message) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t k = strlen(msg);
            while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
                msg[--k] = 0;
            rc = ps_fail(PS_ERR_CORRUPT, "line %d: not well-formed XML: %s", e->line, msg);
        } else
            rc = ps_fail(PS_ERR_CORRUPT, "not well-formed XML");
        xmlFreeParserCtxt(ctxt);
        return rc;
    }
    ps_status rc = PS_OK;
    ink_raw raw;
    ink_raw_init(&raw, p);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (doc->intSubset || doc->extSubset) {
        rc = ps_fail(PS_ERR_UNSUPPORTED, "a DOCTYPE is not allowed in InkML (entities are never expanded)");
        goto done;
    }
    if (!root || strcmp((const char *)root->name, "ink")) {
        rc = ps_fail(PS_ERR_CORRUPT, "line %d: the root element is <%s>, not <ink>", root ? root->line : 1,
                     root ? (const char *)root->name : "");
        goto done;
    }
    fmt f;
    rc = read_format(root, &f);
    if (rc != PS_OK)
        goto done;
    trace_state st;
    memset(&st, 0, sizeof st);
    st.f = &f;
    st.raw = &raw;
    for (int k = 0; k < 9; k++)
        st.idx[k] = -1;
    for (int c = 0; c < f.n; c++)
        if (f.ch[c].kind != CH_OTHER && st.idx[f.ch[c].kind] < 0)
            st.idx[f.ch[c].kind] = c;
    if (st.idx[CH_X] < 0 || st.idx[CH_Y] < 0) {
        rc = ps_fail(PS_ERR_UNSUPPORTED, "the traceFormat has no X and Y channels");
        goto done;
    }
    raw.has_t = st.idx[CH_T] >= 0;
    raw.has_p = st.idx[CH_F] >= 0;
    raw.has_az = st.idx[CH_OA] >= 0 || (st.idx[CH_OTX] >= 0 && st.idx[CH_OTY] >= 0);
    raw.has_alt = st.idx[CH_OE] >= 0 || (st.idx[CH_OTX] >= 0 && st.idx[CH_OTY] >= 0);
    int ntraces = 0;
    rc = walk(&st, root->children, 0, &ntraces);
    if (rc != PS_OK)
        goto done;
    if (ntraces == 0 || raw.n == 0) {
        rc = ps_fail(PS_ERR_CORRUPT, "no <trace> with points in the document");
        goto done;
    }
    double xu = f.ch[st.idx[CH_X]].unit, yu = f.ch[st.idx[CH_Y]].unit;
    ink_units u = {.xy_mm = xu > 0 && yu > 0 ? xu : 0,
                   .t_s = raw.has_t ? f.ch[st.idx[CH_T]].unit : 0,
                   .angle_deg = 1.0,
                   .pressure_max = raw.has_p ? f.ch[st.idx[CH_F]].max : 0,
                   .y_up = p->y_axis == PS_INK_Y_UP};
    if (xu > 0 && yu > 0 && xu != yu) /* different X and Y units: bring Y to X's */
        for (size_t i = 0; i < raw.n; i++)
            raw.y[i] *= yu / xu;
    bool had_time = raw.has_t;
    rc = ink_finish(&raw, &u, p, PS_INK_INKML, NULL, NULL, out);
    if (rc == PS_OK && !had_time)
        ink_note(out, "traces are back to back: no in-air time");
done:
    ink_raw_release(&raw);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return rc;
}
