/* Builds tiny but complete .tflite models in memory for the reader tests
 * and the fuzz corpus: a minimal flatbuffer writer (every table field takes a
 * 4-byte slot, vtables sit just before their tables, children after their
 * parents so every uoffset points forward) and two graphs that between them
 * use every supported op, fp16 weights behind DEQUANTIZE, int32 shape
 * constants and the op-code quirk (an ADD code stored in neither field).
 * Header-only; include from one test file. */
#ifndef PS_TEST_NN_TINY_MODEL_H
#define PS_TEST_NN_TINY_MODEL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fbw { uint8_t *b; size_t n, cap; } fbw;

static size_t fbw_grow(fbw *w, size_t bytes)
{
    while (w->n % 4)
        w->b[w->n++] = 0;
    if (w->n + bytes + 8 > w->cap) {
        w->cap = (w->n + bytes + 8) * 2;
        w->b = realloc(w->b, w->cap);
    }
    size_t at = w->n;
    memset(w->b + at, 0, bytes);
    w->n += bytes;
    return at;
}
static void fbw_u32(fbw *w, size_t at, uint32_t v) { memcpy(w->b + at, &v, 4); }

/* A table with nf 4-byte fields; present = bit mask of fields written.
 * Returns the table's position; field i lives at pos + 4 + 4 i. */
static size_t fbw_table(fbw *w, int nf, uint32_t present)
{
    size_t vsize = 4 + 2 * (size_t)nf, vt = fbw_grow(w, (vsize + 3) & ~(size_t)3);
    size_t pos = fbw_grow(w, 4 + 4 * (size_t)nf);
    uint16_t h[2] = {(uint16_t)vsize, (uint16_t)(4 + 4 * nf)};
    memcpy(w->b + vt, h, 4);
    for (int i = 0; i < nf; i++) {
        uint16_t fo = (present >> i & 1) ? (uint16_t)(4 + 4 * i) : 0;
        memcpy(w->b + vt + 4 + 2 * i, &fo, 2);
    }
    fbw_u32(w, pos, (uint32_t)(pos - vt));
    return pos;
}
static size_t fbw_field(size_t table, int i) { return table + 4 + 4 * (size_t)i; }
/* Points the offset field at `at` to `target` (which must lie after it). */
static void fbw_link(fbw *w, size_t at, size_t target) { fbw_u32(w, at, (uint32_t)(target - at)); }

static size_t fbw_ivec(fbw *w, const int32_t *v, int n)
{
    size_t at = fbw_grow(w, 4 + 4 * (size_t)n);
    fbw_u32(w, at, (uint32_t)n);
    memcpy(w->b + at + 4, v, 4 * (size_t)n);
    return at;
}
static size_t fbw_bytes(fbw *w, const void *p, size_t n)
{
    size_t at = fbw_grow(w, 4 + n + 1);
    fbw_u32(w, at, (uint32_t)n);
    memcpy(w->b + at + 4, p, n);
    return at;
}
/* A vector of n offsets (to be linked by the caller): returns its position. */
static size_t fbw_ovec(fbw *w, int n)
{
    size_t at = fbw_grow(w, 4 + 4 * (size_t)n);
    fbw_u32(w, at, (uint32_t)n);
    return at;
}

/* ---- graph description ---- */
typedef struct tiny_tensor {
    int ndim, dims[4];
    int type;             /* 0 float32, 1 float16, 2 int32 */
    const void *data;     /* constant data or NULL */
    size_t bytes;
} tiny_tensor;

typedef struct tiny_op {
    int code;             /* BuiltinOperator; -2 = ADD stored in neither field */
    int nin, in[4], out;
    int opt_type, nopt;   /* BuiltinOptions tag and number of 4-byte option fields */
    int32_t opt[8];
} tiny_op;

static uint16_t tiny_f16(float f)
{
    /* normal-range values only (the weights below are small and exact) */
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000, exp = (x >> 23) & 0xff, man = (x >> 13) & 0x3ff;
    if (exp == 0)
        return (uint16_t)sign;
    return (uint16_t)(sign | ((exp - 112) << 10) | man);
}

static uint8_t *tiny_build(const tiny_tensor *t, int nt, const tiny_op *ops, int nops, int input, const int *outputs,
                           int nout, size_t *len)
{
    fbw w = {0};
    size_t root_off = fbw_grow(&w, 8);
    memcpy(w.b + 4, "TFL3", 4);
    /* Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4 */
    size_t model = fbw_table(&w, 5, 0x17);
    fbw_link(&w, root_off, model);
    fbw_u32(&w, fbw_field(model, 0), 3);
    /* operator codes: one per op, in op order */
    size_t codes = fbw_ovec(&w, nops);
    fbw_link(&w, fbw_field(model, 1), codes);
    for (int i = 0; i < nops; i++) {
        size_t oc;
        if (ops[i].code == -2) {
            oc = fbw_table(&w, 4, 0x4); /* only the version: code 0 = ADD */
        } else {
            oc = fbw_table(&w, 4, 0xd); /* deprecated code (clamped to 127), version, code */
            w.b[fbw_field(oc, 0)] = (uint8_t)(ops[i].code < 127 ? ops[i].code : 127);
            fbw_u32(&w, fbw_field(oc, 3), (uint32_t)ops[i].code);
        }
        fbw_u32(&w, fbw_field(oc, 2), 1);
        fbw_link(&w, codes + 4 + 4 * (size_t)i, oc);
    }
    /* buffers: 0 is the empty buffer, then one per constant tensor */
    int nb = 1;
    for (int i = 0; i < nt; i++)
        nb += t[i].data != NULL;
    size_t bufs = fbw_ovec(&w, nb);
    fbw_link(&w, fbw_field(model, 4), bufs);
    int bi = 0;
    int *tbuf = calloc((size_t)nt, sizeof *tbuf);
    for (int i = -1; i < nt; i++) {
        if (i >= 0 && !t[i].data)
            continue;
        size_t b = fbw_table(&w, 1, i >= 0 ? 1 : 0);
        if (i >= 0) {
            size_t d = fbw_bytes(&w, t[i].data, t[i].bytes);
            fbw_link(&w, fbw_field(b, 0), d);
            tbuf[i] = bi;
        }
        fbw_link(&w, bufs + 4 + 4 * (size_t)bi, b);
        bi++;
    }
    /* subgraph: tensors 0, inputs 1, outputs 2, operators 3 */
    size_t sgs = fbw_ovec(&w, 1);
    fbw_link(&w, fbw_field(model, 2), sgs);
    size_t sg = fbw_table(&w, 4, 0xf);
    fbw_link(&w, sgs + 4, sg);
    size_t tv = fbw_ovec(&w, nt);
    fbw_link(&w, fbw_field(sg, 0), tv);
    for (int i = 0; i < nt; i++) {
        /* Tensor: shape 0, type 1, buffer 2, name 3 */
        size_t tt = fbw_table(&w, 4, 0xf);
        fbw_link(&w, tv + 4 + 4 * (size_t)i, tt);
        w.b[fbw_field(tt, 1)] = (uint8_t)t[i].type;
        fbw_u32(&w, fbw_field(tt, 2), (uint32_t)tbuf[i]);
        size_t sh = fbw_ivec(&w, t[i].dims, t[i].ndim);
        fbw_link(&w, fbw_field(tt, 0), sh);
        char name[16];
        int nl = snprintf(name, sizeof name, "t%d", i);
        size_t nm = fbw_bytes(&w, name, (size_t)nl);
        fbw_link(&w, fbw_field(tt, 3), nm);
    }
    fbw_link(&w, fbw_field(sg, 1), fbw_ivec(&w, &input, 1));
    fbw_link(&w, fbw_field(sg, 2), fbw_ivec(&w, outputs, nout));
    size_t ov = fbw_ovec(&w, nops);
    fbw_link(&w, fbw_field(sg, 3), ov);
    for (int i = 0; i < nops; i++) {
        /* Operator: opcode_index 0, inputs 1, outputs 2, options type 3, options 4 */
        size_t ot = fbw_table(&w, 5, ops[i].opt_type ? 0x1f : 0x07);
        fbw_link(&w, ov + 4 + 4 * (size_t)i, ot);
        fbw_u32(&w, fbw_field(ot, 0), (uint32_t)i);
        fbw_link(&w, fbw_field(ot, 1), fbw_ivec(&w, ops[i].in, ops[i].nin));
        fbw_link(&w, fbw_field(ot, 2), fbw_ivec(&w, &ops[i].out, 1));
        if (ops[i].opt_type) {
            w.b[fbw_field(ot, 3)] = (uint8_t)ops[i].opt_type;
            size_t o = fbw_table(&w, ops[i].nopt, (1u << ops[i].nopt) - 1);
            for (int k = 0; k < ops[i].nopt; k++)
                fbw_u32(&w, fbw_field(o, k), (uint32_t)ops[i].opt[k]);
            fbw_link(&w, fbw_field(ot, 4), o);
        }
    }
    free(tbuf);
    *len = w.n;
    return w.b;
}

/* Model A ("palm-like"): input [1,6,6,3]
 *   DEQUANTIZE w1(fp16 [4,3,3,3]) ; CONV 3x3 s2 SAME -> [1,3,3,4]
 *   PRELU(alpha [1,1,4]) ; DW 3x3 s1 SAME (fp32 weights) ; ADD ; MAX_POOL 2x2 s2 SAME -> [1,2,2,4]
 *   PAD channels [0,4] -> [1,2,2,8] ; RESIZE_BILINEAR half-pixel -> [1,4,4,8]
 *   RESHAPE -> [1,16,8] ; CONCAT axis 1 with RESHAPE of the pad -> [1,20,8] */
static uint8_t *tiny_model_a(size_t *len)
{
    static float w1f[4 * 27], b1[4], alpha[4], wd[9 * 4], bd[4];
    static uint16_t w1h[4 * 27];
    for (int i = 0; i < 4 * 27; i++) {
        w1f[i] = (float)((i * 7) % 11 - 5) / 8.0f;
        w1h[i] = tiny_f16(w1f[i]);
    }
    for (int i = 0; i < 4; i++) {
        b1[i] = 0.25f * (float)i - 0.5f;
        alpha[i] = 0.1f * (float)(i + 1);
        bd[i] = 0.125f;
    }
    for (int i = 0; i < 36; i++)
        wd[i] = (float)(i % 5 - 2) / 4.0f;
    static const int32_t pads[8] = {0, 0, 0, 0, 0, 0, 0, 4}, size[2] = {4, 4}, shape1[3] = {1, 16, 8},
                         shape2[3] = {1, 4, 8};
    tiny_tensor t[] = {
        /* 0 */ {4, {1, 6, 6, 3}, 0, NULL, 0},
        /* 1 */ {4, {4, 3, 3, 3}, 1, w1h, sizeof w1h},
        /* 2 */ {4, {4, 3, 3, 3}, 0, NULL, 0},
        /* 3 */ {1, {4}, 0, b1, sizeof b1},
        /* 4 */ {4, {1, 3, 3, 4}, 0, NULL, 0},
        /* 5 */ {3, {1, 1, 4}, 0, alpha, sizeof alpha},
        /* 6 */ {4, {1, 3, 3, 4}, 0, NULL, 0},
        /* 7 */ {4, {1, 3, 3, 4}, 0, wd, sizeof wd},
        /* 8 */ {1, {4}, 0, bd, sizeof bd},
        /* 9 */ {4, {1, 3, 3, 4}, 0, NULL, 0},
        /* 10 */ {4, {1, 3, 3, 4}, 0, NULL, 0},
        /* 11 */ {4, {1, 2, 2, 4}, 0, NULL, 0},
        /* 12 */ {2, {4, 2}, 2, pads, sizeof pads},
        /* 13 */ {4, {1, 2, 2, 8}, 0, NULL, 0},
        /* 14 */ {1, {2}, 2, size, sizeof size},
        /* 15 */ {4, {1, 4, 4, 8}, 0, NULL, 0},
        /* 16 */ {1, {3}, 2, shape1, sizeof shape1},
        /* 17 */ {3, {1, 16, 8}, 0, NULL, 0},
        /* 18 */ {1, {3}, 2, shape2, sizeof shape2},
        /* 19 */ {3, {1, 4, 8}, 0, NULL, 0},
        /* 20 */ {3, {1, 20, 8}, 0, NULL, 0},
    };
    tiny_op ops[] = {
        {6, 1, {1}, 2, 0, 0, {0}},                                  /* DEQUANTIZE */
        {3, 3, {0, 2, 3}, 4, 1, 6, {0, 2, 2, 0, 1, 1}},             /* CONV_2D SAME s2 */
        {54, 2, {4, 5}, 6, 0, 0, {0}},                              /* PRELU */
        {4, 3, {6, 7, 8}, 9, 2, 7, {0, 1, 1, 1, 0, 1, 1}},          /* DEPTHWISE s1 SAME */
        {-2, 2, {9, 6}, 10, 11, 1, {0}},                            /* ADD (code in neither field) */
        {17, 1, {10}, 11, 5, 6, {0, 2, 2, 2, 2, 0}},                /* MAX_POOL 2x2 s2 SAME */
        {34, 2, {11, 12}, 13, 0, 0, {0}},                           /* PAD */
        {23, 2, {13, 14}, 15, 15, 4, {0, 0, 0, 1}},                 /* RESIZE half-pixel */
        {22, 2, {15, 16}, 17, 0, 0, {0}},                           /* RESHAPE */
        {22, 2, {13, 18}, 19, 0, 0, {0}},                           /* RESHAPE */
        {2, 2, {17, 19}, 20, 10, 2, {1, 0}},                        /* CONCATENATION axis 1 */
    };
    int outs[2] = {20, 10};
    return tiny_build(t, (int)(sizeof t / sizeof t[0]), ops, (int)(sizeof ops / sizeof ops[0]), 0, outs, 2, len);
}

/* Model B ("landmark-like"): input [1,5,5,2]
 *   CONV 3x3 s2 SAME RELU6 (fp16) -> [1,3,3,6] ; DW 3x3 s2 VALID RELU6 -> [1,1,1,6]... then
 *   CONV 1x1 -> [1,3,3,5] from the first conv ; MEAN [1,2] -> [1,5] ; FC 5->3 ; LOGISTIC */
static uint8_t *tiny_model_b(size_t *len)
{
    static uint16_t wc[6 * 9 * 2], w2[5 * 6], wf[3 * 5];
    static float bc[6], b2[5], bf[3], wd[9 * 6], bd[6];
    for (int i = 0; i < 108; i++)
        wc[i] = tiny_f16((float)((i * 5) % 9 - 4) / 4.0f);
    for (int i = 0; i < 30; i++)
        w2[i] = tiny_f16((float)(i % 7 - 3) / 2.0f);
    for (int i = 0; i < 15; i++)
        wf[i] = tiny_f16((float)(i % 4) - 1.5f);
    for (int i = 0; i < 6; i++)
        bc[i] = bd[i] = 0.5f * (float)(i % 3);
    for (int i = 0; i < 5; i++)
        b2[i] = -0.25f * (float)i;
    for (int i = 0; i < 3; i++)
        bf[i] = (float)i;
    for (int i = 0; i < 54; i++)
        wd[i] = (float)(i % 3) / 2.0f;
    static const int32_t axes[2] = {1, 2};
    tiny_tensor t[] = {
        /* 0 */ {4, {1, 5, 5, 2}, 0, NULL, 0},
        /* 1 */ {4, {6, 3, 3, 2}, 1, wc, sizeof wc},
        /* 2 */ {4, {6, 3, 3, 2}, 0, NULL, 0},
        /* 3 */ {1, {6}, 0, bc, sizeof bc},
        /* 4 */ {4, {1, 3, 3, 6}, 0, NULL, 0},
        /* 5 */ {4, {1, 3, 3, 6}, 0, wd, sizeof wd},
        /* 6 */ {1, {6}, 0, bd, sizeof bd},
        /* 7 */ {4, {1, 1, 1, 6}, 0, NULL, 0},
        /* 8 */ {4, {5, 1, 1, 6}, 1, w2, sizeof w2},
        /* 9 */ {4, {5, 1, 1, 6}, 0, NULL, 0},
        /* 10 */ {1, {5}, 0, b2, sizeof b2},
        /* 11 */ {4, {1, 3, 3, 5}, 0, NULL, 0},
        /* 12 */ {1, {2}, 2, axes, sizeof axes},
        /* 13 */ {2, {1, 5}, 0, NULL, 0},
        /* 14 */ {2, {3, 5}, 1, wf, sizeof wf},
        /* 15 */ {2, {3, 5}, 0, NULL, 0},
        /* 16 */ {1, {3}, 0, bf, sizeof bf},
        /* 17 */ {2, {1, 3}, 0, NULL, 0},
        /* 18 */ {2, {1, 3}, 0, NULL, 0},
    };
    tiny_op ops[] = {
        {6, 1, {1}, 2, 0, 0, {0}},
        {3, 3, {0, 2, 3}, 4, 1, 4, {0, 2, 2, 3}},          /* CONV 3x3 s2 SAME RELU6 */
        {4, 3, {4, 5, 6}, 7, 2, 5, {1, 2, 2, 1, 3}},       /* DW 3x3 s2 VALID RELU6 */
        {6, 1, {8}, 9, 0, 0, {0}},
        {3, 3, {4, 9, 10}, 11, 1, 4, {0, 1, 1, 0}},        /* CONV 1x1 */
        {40, 2, {11, 12}, 13, 27, 1, {0}},                 /* MEAN */
        {6, 1, {14}, 15, 0, 0, {0}},
        {9, 3, {13, 15, 16}, 17, 8, 3, {0, 0, 0}},         /* FULLY_CONNECTED */
        {14, 1, {17}, 18, 0, 0, {0}},                      /* LOGISTIC */
    };
    int outs[2] = {18, 7};
    return tiny_build(t, (int)(sizeof t / sizeof t[0]), ops, (int)(sizeof ops / sizeof ops[0]), 0, outs, 2, len);
}

/* Model C (epilogue fusion, fuse.c): input x [1,2,3,2]
 *   y = CONV 1x1 (W [2,1,1,2], bias) of x ; PAD-free skip: s = MAX_POOL 1x1 s1 of x,
 *   computed after the conv ; z = ADD(y, s) ; out = PRELU(z, alpha)
 *   plus a second chain whose ADD output is also a model output (must not fuse the PRELU). */
static const float tiny_c_w[4] = {0.5f, -1.0f, 2.0f, 0.25f}, tiny_c_b[2] = {0.1f, -0.2f},
                   tiny_c_alpha[2] = {0.25f, 0.5f};
static uint8_t *tiny_model_c(size_t *len)
{
    tiny_tensor t[] = {
        /* 0 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 1 */ {4, {2, 1, 1, 2}, 0, tiny_c_w, sizeof tiny_c_w},
        /* 2 */ {1, {2}, 0, tiny_c_b, sizeof tiny_c_b},
        /* 3 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 4 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 5 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 6 */ {3, {1, 1, 2}, 0, tiny_c_alpha, sizeof tiny_c_alpha},
        /* 7 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 8 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 9 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
        /* 10 */ {4, {1, 2, 3, 2}, 0, NULL, 0},
    };
    tiny_op ops[] = {
        {3, 3, {0, 1, 2}, 3, 1, 4, {0, 1, 1, 0}},           /* y = CONV 1x1 */
        {17, 1, {0}, 4, 5, 6, {1, 1, 1, 1, 1, 0}},          /* s = MAX_POOL 1x1 VALID (after the conv) */
        {0, 2, {3, 4}, 5, 11, 1, {0}},                      /* z = ADD */
        {54, 2, {5, 6}, 7, 0, 0, {0}},                      /* out = PRELU */
        {3, 3, {7, 1, 2}, 8, 1, 4, {0, 1, 1, 0}},           /* y2 = CONV 1x1 of out */
        {0, 2, {8, 7}, 9, 11, 1, {1}},                      /* z2 = ADD, RELU; also a model output */
        {54, 2, {9, 6}, 10, 0, 0, {0}},                     /* PRELU of z2 */
    };
    int outs[3] = {7, 9, 10};
    return tiny_build(t, (int)(sizeof t / sizeof t[0]), ops, (int)(sizeof ops / sizeof ops[0]), 0, outs, 3, len);
}

#endif
