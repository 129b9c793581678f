/* Bounded TFLite flatbuffer reader (see tflite.h).
 *
 * Flatbuffer layout, as far as we need it: a table starts with an int32
 * offset back to its vtable; the vtable holds its own size, the table's size
 * and one uint16 offset per field (0 = absent, use the default). Reference
 * fields (tables, vectors, strings) hold a uint32 offset relative to the
 * field itself; vectors start with a uint32 element count. Nothing here
 * trusts any of these numbers: each one is checked against the buffer before
 * use, and the first failure is kept (sticky) while later reads return
 * defaults, so the walking code stays linear. */
#include "nn/tflite.h"
#include "core/alloc.h"
#include "core/status.h"
#include <stdio.h>
#include <string.h>

typedef struct rd {
    const uint8_t *b;
    size_t n;
    ps_status err;
    char msg[160];
} rd;

static void rd_fail(rd *r, ps_status rc, const char *what, size_t at)
{
    if (r->err)
        return;
    r->err = rc;
    snprintf(r->msg, sizeof r->msg, "%s (at byte %zu)", what, at);
}

static uint32_t u32_at(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t u16_at(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* A table handle: absolute position, its vtable and the sizes of both. */
typedef struct tbl { size_t pos, vt, vsize, tsize; int ok; } tbl;

static tbl rd_table(rd *r, size_t pos)
{
    tbl t = {0};
    if (r->err)
        return t;
    if (pos > r->n || r->n - pos < 4) {
        rd_fail(r, PS_ERR_CORRUPT, "table offset out of range", pos);
        return t;
    }
    int32_t so = (int32_t)u32_at(r->b + pos);
    int64_t vt = (int64_t)pos - (int64_t)so;
    if (vt < 0 || (uint64_t)vt > r->n - 4) {
        rd_fail(r, PS_ERR_CORRUPT, "vtable offset out of range", pos);
        return t;
    }
    size_t vsize = u16_at(r->b + vt), tsize = u16_at(r->b + vt + 2);
    if (vsize < 4 || (vsize & 1) || (size_t)vt + vsize > r->n || tsize < 4 || tsize > r->n - pos) {
        rd_fail(r, PS_ERR_CORRUPT, "bad vtable", (size_t)vt);
        return t;
    }
    t.pos = pos;
    t.vt = (size_t)vt;
    t.vsize = vsize;
    t.tsize = tsize;
    t.ok = 1;
    return t;
}

/* Absolute position of field `slot` of `size` bytes, or 0 when absent. */
static size_t rd_field(rd *r, const tbl *t, int slot, size_t size)
{
    if (r->err || !t->ok)
        return 0;
    size_t vo = 4 + 2 * (size_t)slot;
    if (vo + 2 > t->vsize)
        return 0;
    size_t fo = u16_at(r->b + t->vt + vo);
    if (fo == 0)
        return 0;
    if (fo < 4 || fo + size > t->tsize) {
        rd_fail(r, PS_ERR_CORRUPT, "field outside its table", t->pos);
        return 0;
    }
    return t->pos + fo;
}

static uint32_t rd_u32(rd *r, const tbl *t, int slot, uint32_t def)
{
    size_t p = rd_field(r, t, slot, 4);
    return p ? u32_at(r->b + p) : def;
}
static int32_t rd_i32(rd *r, const tbl *t, int slot, int32_t def) { return (int32_t)rd_u32(r, t, slot, (uint32_t)def); }
static uint8_t rd_u8(rd *r, const tbl *t, int slot, uint8_t def)
{
    size_t p = rd_field(r, t, slot, 1);
    return p ? r->b[p] : def;
}
static uint64_t rd_u64(rd *r, const tbl *t, int slot, uint64_t def)
{
    size_t p = rd_field(r, t, slot, 8);
    return p ? (uint64_t)u32_at(r->b + p) | (uint64_t)u32_at(r->b + p + 4) << 32 : def;
}

/* Follows the uoffset stored at absolute position p; returns the target
 * position, or 0 with the error set. */
static size_t rd_follow(rd *r, size_t p)
{
    if (r->err)
        return 0;
    if (p > r->n - 4) {
        rd_fail(r, PS_ERR_CORRUPT, "offset out of range", p);
        return 0;
    }
    uint64_t target = (uint64_t)p + u32_at(r->b + p);
    if (target > r->n - 4) {
        rd_fail(r, PS_ERR_CORRUPT, "offset points past the end", p);
        return 0;
    }
    return (size_t)target;
}

/* A vector field: position of element 0 and the count, checked so that
 * count * elem bytes lie inside the buffer. Absent -> count 0. */
static size_t rd_vector(rd *r, const tbl *t, int slot, size_t elem, uint32_t *count)
{
    *count = 0;
    size_t f = rd_field(r, t, slot, 4);
    if (!f)
        return 0;
    size_t v = rd_follow(r, f);
    if (r->err)
        return 0;
    uint32_t c = u32_at(r->b + v);
    if (c > (r->n - v - 4) / elem) {
        rd_fail(r, PS_ERR_CORRUPT, "vector longer than the file", v);
        return 0;
    }
    *count = c;
    return v + 4;
}

static tbl rd_subtable(rd *r, const tbl *t, int slot)
{
    tbl none = {0};
    size_t f = rd_field(r, t, slot, 4);
    if (!f)
        return none;
    size_t p = rd_follow(r, f);
    return r->err ? none : rd_table(r, p);
}

static tbl rd_vec_table(rd *r, size_t vec, uint32_t i)
{
    tbl none = {0};
    size_t p = rd_follow(r, vec + 4 * (size_t)i);
    return r->err ? none : rd_table(r, p);
}

/* Reads an int vector into dst (at most cap entries, else a limit error). */
static int rd_int_list(rd *r, const tbl *t, int slot, int *dst, int cap, const char *what)
{
    uint32_t c;
    size_t v = rd_vector(r, t, slot, 4, &c);
    if (r->err)
        return 0;
    if (c > (uint32_t)cap) {
        if (!r->err) {
            r->err = PS_ERR_LIMIT;
            snprintf(r->msg, sizeof r->msg, "%s has %u entries (limit %d)", what, c, cap);
        }
        return 0;
    }
    for (uint32_t i = 0; i < c; i++)
        dst[i] = (int32_t)u32_at(r->b + v + 4 * i);
    return (int)c;
}

static void read_options(rd *r, const tbl *opt_tbl, int type, tfl_options *o)
{
    memset(o, 0, sizeof *o);
    o->stride_w = o->stride_h = 1;
    o->dilation_w = o->dilation_h = 1;
    o->depth_multiplier = 1;
    o->options_type = type;
    if (!opt_tbl->ok)
        return;
    const tbl *t = opt_tbl;
    switch (type) {
    case 1: /* Conv2DOptions */
        o->padding = rd_u8(r, t, 0, 0);
        o->stride_w = rd_i32(r, t, 1, 0);
        o->stride_h = rd_i32(r, t, 2, 0);
        o->act = rd_u8(r, t, 3, 0);
        o->dilation_w = rd_i32(r, t, 4, 1);
        o->dilation_h = rd_i32(r, t, 5, 1);
        break;
    case 2: /* DepthwiseConv2DOptions */
        o->padding = rd_u8(r, t, 0, 0);
        o->stride_w = rd_i32(r, t, 1, 0);
        o->stride_h = rd_i32(r, t, 2, 0);
        o->depth_multiplier = rd_i32(r, t, 3, 0);
        o->act = rd_u8(r, t, 4, 0);
        o->dilation_w = rd_i32(r, t, 5, 1);
        o->dilation_h = rd_i32(r, t, 6, 1);
        break;
    case 5: /* Pool2DOptions */
        o->padding = rd_u8(r, t, 0, 0);
        o->stride_w = rd_i32(r, t, 1, 0);
        o->stride_h = rd_i32(r, t, 2, 0);
        o->filter_w = rd_i32(r, t, 3, 0);
        o->filter_h = rd_i32(r, t, 4, 0);
        o->act = rd_u8(r, t, 5, 0);
        break;
    case 8: /* FullyConnectedOptions */
        o->act = rd_u8(r, t, 0, 0);
        o->weights_format = rd_u8(r, t, 1, 0);
        o->keep_num_dims = rd_u8(r, t, 2, 0);
        break;
    case 10: /* ConcatenationOptions */
        o->axis = rd_i32(r, t, 0, 0);
        o->act = rd_u8(r, t, 1, 0);
        break;
    case 11: /* AddOptions */
        o->act = rd_u8(r, t, 0, 0);
        break;
    case 15: /* ResizeBilinearOptions */
        o->align_corners = rd_u8(r, t, 2, 0);
        o->half_pixel = rd_u8(r, t, 3, 0);
        break;
    case 27: /* ReducerOptions */
        o->keep_dims = rd_u8(r, t, 0, 0);
        break;
    default: /* ReshapeOptions, PadOptions, ...: nothing we use (RESHAPE takes its shape input) */
        break;
    }
}

static void parse_tensors(rd *r, const tbl *sg, tfl_model *m)
{
    uint32_t nt;
    size_t tv = rd_vector(r, sg, 0, 4, &nt);
    if (r->err)
        return;
    if (nt > TFL_MAX_TENSORS) {
        r->err = PS_ERR_LIMIT;
        snprintf(r->msg, sizeof r->msg, "model declares %u tensors (limit %d)", nt, TFL_MAX_TENSORS);
        return;
    }
    m->tensors = ps_calloc(nt ? nt : 1, sizeof *m->tensors);
    if (!m->tensors) {
        r->err = PS_ERR_NOMEM;
        snprintf(r->msg, sizeof r->msg, "cannot allocate %u tensors", nt);
        return;
    }
    m->ntensors = (int)nt;
    for (uint32_t i = 0; i < nt && !r->err; i++) {
        tfl_tensor *t = &m->tensors[i];
        tbl tt = rd_vec_table(r, tv, i);
        t->ndim = rd_int_list(r, &tt, 0, t->dims, TFL_MAX_DIMS, "tensor shape");
        t->type = rd_u8(r, &tt, 1, 0);
        t->buffer = rd_u32(r, &tt, 2, 0);
        uint32_t nl;
        size_t nv = rd_vector(r, &tt, 3, 1, &nl);
        if (nv) {
            t->name = (const char *)r->b + nv;
            t->name_len = nl;
        }
        tbl q = rd_subtable(r, &tt, 4);
        if (q.ok) {
            uint32_t ns;
            rd_vector(r, &q, 2, 4, &ns);
            t->has_quant = ns > 0;
        }
    }
}

static void parse_ops(rd *r, const tbl *sg, const int *codes, const int *versions, int ncodes, tfl_model *m)
{
    uint32_t no;
    size_t ov = rd_vector(r, sg, 3, 4, &no);
    if (r->err)
        return;
    if (no > TFL_MAX_OPS) {
        r->err = PS_ERR_LIMIT;
        snprintf(r->msg, sizeof r->msg, "model declares %u operators (limit %d)", no, TFL_MAX_OPS);
        return;
    }
    m->ops = ps_calloc(no ? no : 1, sizeof *m->ops);
    if (!m->ops) {
        r->err = PS_ERR_NOMEM;
        snprintf(r->msg, sizeof r->msg, "cannot allocate %u operators", no);
        return;
    }
    m->nops = (int)no;
    for (uint32_t i = 0; i < no && !r->err; i++) {
        tfl_op *op = &m->ops[i];
        tbl ot = rd_vec_table(r, ov, i);
        uint32_t ci = rd_u32(r, &ot, 0, 0);
        if (!r->err && ci >= (uint32_t)ncodes) {
            rd_fail(r, PS_ERR_CORRUPT, "operator code index out of range", ot.pos);
            return;
        }
        op->builtin = r->err ? 0 : codes[ci];
        op->version = r->err ? 0 : versions[ci];
        op->nin = rd_int_list(r, &ot, 1, op->in, TFL_MAX_OP_INPUTS, "operator inputs");
        op->nout = rd_int_list(r, &ot, 2, op->out, TFL_MAX_OP_INPUTS, "operator outputs");
        int otype = rd_u8(r, &ot, 3, 0);
        tbl opt = rd_subtable(r, &ot, 4);
        read_options(r, &opt, otype, &op->opt);
    }
}

ps_status tfl_model_parse(const void *buf, size_t len, tfl_model *m)
{
    memset(m, 0, sizeof *m);
    rd r = { .b = buf, .n = len };
    int *codes = NULL, *versions = NULL;
    if (!buf || len < 8)
        return ps_fail(PS_ERR_CORRUPT, "not a TFLite model: %zu bytes is too short", len);
    if (memcmp(r.b + 4, "TFL3", 4) != 0)
        return ps_fail(PS_ERR_CORRUPT, "not a TFLite model: no 'TFL3' identifier");

    tbl root = rd_table(&r, rd_follow(&r, 0));
    m->version = rd_u32(&r, &root, 0, 0);
    if (!r.err && m->version != 3) {
        r.err = PS_ERR_UNSUPPORTED;
        snprintf(r.msg, sizeof r.msg, "schema version %u (only 3 is supported)", m->version);
    }

    /* operator codes: the real code is the larger of the deprecated int8
     * field (slot 0) and the int32 field (slot 3); both absent means ADD */
    uint32_t nc;
    size_t cv = rd_vector(&r, &root, 1, 4, &nc);
    if (!r.err && nc > TFL_MAX_OPCODES) {
        r.err = PS_ERR_LIMIT;
        snprintf(r.msg, sizeof r.msg, "model declares %u operator codes (limit %d)", nc, TFL_MAX_OPCODES);
    }
    if (!r.err) {
        codes = ps_calloc(nc ? nc : 1, sizeof *codes);
        versions = ps_calloc(nc ? nc : 1, sizeof *versions);
        if (!codes || !versions) {
            r.err = PS_ERR_NOMEM;
            snprintf(r.msg, sizeof r.msg, "cannot allocate operator codes");
        }
    }
    for (uint32_t i = 0; i < nc && !r.err; i++) {
        tbl ct = rd_vec_table(&r, cv, i);
        int dep = (int8_t)rd_u8(&r, &ct, 0, 0);
        int code = rd_i32(&r, &ct, 3, 0);
        uint32_t custom_len;
        rd_vector(&r, &ct, 1, 1, &custom_len);
        int has_custom = rd_field(&r, &ct, 1, 4) != 0;
        codes[i] = has_custom ? -1 : (dep > code ? dep : code);
        versions[i] = rd_i32(&r, &ct, 2, 1);
    }

    /* buffers: inline data vectors, or (offset, size) into the file for
     * models past 2 GB; both are range-checked */
    uint32_t nb;
    size_t bv = rd_vector(&r, &root, 4, 4, &nb);
    if (!r.err && nb > TFL_MAX_BUFFERS) {
        r.err = PS_ERR_LIMIT;
        snprintf(r.msg, sizeof r.msg, "model declares %u buffers (limit %d)", nb, TFL_MAX_BUFFERS);
    }
    if (!r.err) {
        m->buffers = ps_calloc(nb ? nb : 1, sizeof *m->buffers);
        if (!m->buffers) {
            r.err = PS_ERR_NOMEM;
            snprintf(r.msg, sizeof r.msg, "cannot allocate %u buffers", nb);
        } else {
            m->nbuffers = (int)nb;
        }
    }
    for (uint32_t i = 0; i < nb && !r.err; i++) {
        tbl bt = rd_vec_table(&r, bv, i);
        uint32_t dl;
        size_t dp = rd_vector(&r, &bt, 0, 1, &dl);
        uint64_t off = rd_u64(&r, &bt, 1, 0), sz = rd_u64(&r, &bt, 2, 0);
        if (dl) {
            m->buffers[i].data = r.b + dp;
            m->buffers[i].size = dl;
        } else if (off > 1) {
            if (off > len || sz > len - off)
                rd_fail(&r, PS_ERR_CORRUPT, "buffer outside the file", bt.pos);
            else if (sz) {
                m->buffers[i].data = r.b + off;
                m->buffers[i].size = (size_t)sz;
            }
        }
    }

    uint32_t ns;
    size_t sv = rd_vector(&r, &root, 2, 4, &ns);
    if (!r.err && ns < 1)
        rd_fail(&r, PS_ERR_CORRUPT, "model has no subgraph", root.pos);
    if (!r.err) {
        tbl sg = rd_vec_table(&r, sv, 0);
        parse_tensors(&r, &sg, m);
        m->ninputs = rd_int_list(&r, &sg, 1, m->inputs, TFL_MAX_IO, "subgraph inputs");
        m->noutputs = rd_int_list(&r, &sg, 2, m->outputs, TFL_MAX_IO, "subgraph outputs");
        parse_ops(&r, &sg, codes, versions, (int)nc, m);
    }
    ps_free(codes);
    ps_free(versions);
    if (r.err) {
        tfl_model_release(m);
        return ps_fail(r.err, "not a valid TFLite model: %s", r.msg);
    }
    return PS_OK;
}

void tfl_model_release(tfl_model *m)
{
    if (!m)
        return;
    ps_free(m->buffers);
    ps_free(m->tensors);
    ps_free(m->ops);
    memset(m, 0, sizeof *m);
}

const char *tfl_op_name(int b)
{
    switch (b) {
    case TFL_OP_ADD: return "ADD";
    case TFL_OP_CONCATENATION: return "CONCATENATION";
    case TFL_OP_CONV_2D: return "CONV_2D";
    case TFL_OP_DEPTHWISE_CONV_2D: return "DEPTHWISE_CONV_2D";
    case TFL_OP_DEQUANTIZE: return "DEQUANTIZE";
    case TFL_OP_FULLY_CONNECTED: return "FULLY_CONNECTED";
    case TFL_OP_LOGISTIC: return "LOGISTIC";
    case TFL_OP_MAX_POOL_2D: return "MAX_POOL_2D";
    case TFL_OP_RESHAPE: return "RESHAPE";
    case TFL_OP_RESIZE_BILINEAR: return "RESIZE_BILINEAR";
    case TFL_OP_PAD: return "PAD";
    case TFL_OP_MEAN: return "MEAN";
    case TFL_OP_PRELU: return "PRELU";
    case -1: return "CUSTOM";
    }
    return "an unsupported operator";
}
