/* Model load: from the parsed flatbuffer to a validated graph.
 *
 * Weights arrive as fp16 constants behind DEQUANTIZE ops; they are decoded to
 * fp32 once here and the DEQUANTIZE ops disappear. One decoded constant may
 * feed several ops (the palm models share zero biases), so constants are
 * graph values, not per-op data. Every remaining op's shapes and options are
 * checked against what its kernel supports, including the output shape the
 * file declares, so the kernels can trust the numbers in nn_op. */
#include "nn/model.h"
#include "nn/tflite.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NN_MAX_DIM 65536               /* one dimension */
#define NN_MAX_ELEMS (64u << 20)       /* one tensor: 64 M floats (256 MB) */
#define NN_MAX_WEIGHTS (256u << 20)    /* all constants together, floats */
/* A model that validates can still ask for hours of arithmetic; the hand
 * models need 0.15-0.34 G multiply-adds per inference. */
#define NN_MAX_MACS (20ull * 1000 * 1000 * 1000)

typedef struct loader {
    const tfl_model *t;
    ps_nn_model *m;
    int *defined;     /* per value: 1 when produced by an earlier op or a graph input */
    void **blocks;    /* aligned constant blocks, freed with the model */
    int nblocks, cap_blocks;
    size_t weight_floats;
    int cur_op;       /* tflite operator index, for messages */
    ps_status alloc_rc; /* why the last alloc_block failed */
} loader;

/* IEEE binary16 -> binary32, exact, with subnormals, Inf and NaN. */
static float fp16_to_f32(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else { /* subnormal: normalise the mantissa */
        int e = 113;
        while (!(man & 0x400)) {
            man <<= 1;
            e--;
        }
        bits = sign | ((uint32_t)e << 23) | ((man & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static ps_status bad(loader *L, ps_status rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static ps_status bad(loader *L, ps_status rc, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ps_fail(rc, "operator %d: %s", L->cur_op, what);
}
#define BAD(L, rc, msg) bad(L, rc, "%s", msg)

static float *alloc_block(loader *L, size_t floats)
{
    size_t total;
    if (!ps_size_add_ok(L->weight_floats, floats, &total) || total > NN_MAX_WEIGHTS) {
        L->alloc_rc = ps_fail(PS_ERR_LIMIT, "model constants exceed %u floats", NN_MAX_WEIGHTS);
        return NULL;
    }
    if (L->nblocks == L->cap_blocks) {
        int nc = L->cap_blocks ? 2 * L->cap_blocks : 64;
        void **nb = ps_realloc(L->blocks, (size_t)nc * sizeof *nb);
        if (!nb) {
            L->alloc_rc = ps_fail(PS_ERR_NOMEM, "cannot allocate model constants");
            return NULL;
        }
        L->blocks = nb;
        L->cap_blocks = nc;
    }
    float *p = ps_aligned_alloc((floats ? floats : 1) * sizeof(float));
    if (!p) {
        L->alloc_rc = ps_fail(PS_ERR_NOMEM, "cannot allocate %zu floats of model constants", floats);
        return NULL;
    }
    L->blocks[L->nblocks++] = p;
    L->weight_floats = total;
    return p;
}

/* Validates tensor ti's shape into value vi (<= 4 dims, each 1..NN_MAX_DIM). */
static ps_status check_shape(loader *L, int ti)
{
    const tfl_tensor *t = &L->t->tensors[ti];
    nn_value *v = &L->m->values[ti];
    if (v->ndim > 0 || v->count > 0)
        return PS_OK;
    if (t->ndim > 4)
        return ps_fail(PS_ERR_UNSUPPORTED, "tensor %d has %d dimensions (at most 4 are supported)", ti, t->ndim);
    size_t count = 1;
    for (int i = 0; i < t->ndim; i++) {
        if (t->dims[i] < 1 || t->dims[i] > NN_MAX_DIM)
            return ps_fail(PS_ERR_UNSUPPORTED, "tensor %d has dimension %d of size %d", ti, i, t->dims[i]);
        count *= (size_t)t->dims[i];
        if (count > NN_MAX_ELEMS)
            return ps_fail(PS_ERR_LIMIT, "tensor %d has more than %u elements", ti, NN_MAX_ELEMS);
        v->dims[i] = t->dims[i];
    }
    v->ndim = t->ndim;
    v->count = count;
    return PS_OK;
}

static int tensor_is_const(const loader *L, int ti)
{
    const tfl_tensor *t = &L->t->tensors[ti];
    return t->buffer != 0 && t->buffer < (uint32_t)L->t->nbuffers && L->t->buffers[t->buffer].data;
}

static ps_status check_tensor_index(loader *L, int ti)
{
    if (ti < 0 || ti >= L->t->ntensors)
        return bad(L, PS_ERR_CORRUPT, "tensor index %ld out of range", (long)ti);
    if (L->t->tensors[ti].buffer >= (uint32_t)L->t->nbuffers && L->t->tensors[ti].buffer != 0)
        return bad(L, PS_ERR_CORRUPT, "tensor %ld refers to a missing buffer", (long)ti);
    return check_shape(L, ti);
}

/* A float32 input of an op: an activation produced earlier, a graph input,
 * or a constant (fp32 in the file, or decoded from a folded DEQUANTIZE). */
static ps_status use_float(loader *L, int ti)
{
    ps_status rc = check_tensor_index(L, ti);
    if (rc)
        return rc;
    nn_value *v = &L->m->values[ti];
    const tfl_tensor *t = &L->t->tensors[ti];
    if (v->cdata || L->defined[ti])
        return PS_OK;
    if (!tensor_is_const(L, ti))
        return bad(L, PS_ERR_CORRUPT, "input tensor %ld is used before it is computed", (long)ti);
    if (t->type != TFL_FLOAT32 || t->has_quant)
        return bad(L, PS_ERR_UNSUPPORTED, "constant tensor %ld is not plain float32", (long)ti);
    const tfl_buffer *b = &L->t->buffers[t->buffer];
    if (b->size != v->count * 4)
        return bad(L, PS_ERR_CORRUPT, "constant tensor %ld has %ld bytes of data", (long)ti, (long)b->size);
    float *d = alloc_block(L, v->count);
    if (!d)
        return L->alloc_rc;
    memcpy(d, b->data, v->count * 4);
    v->cdata = d;
    return PS_OK;
}

static ps_status use_const_float(loader *L, int ti)
{
    ps_status rc = use_float(L, ti);
    if (rc)
        return rc;
    if (!L->m->values[ti].cdata)
        return bad(L, PS_ERR_UNSUPPORTED, "tensor %ld must be a constant", (long)ti);
    return PS_OK;
}

static ps_status use_act(loader *L, int ti)
{
    ps_status rc = use_float(L, ti);
    if (rc)
        return rc;
    if (L->m->values[ti].cdata)
        return bad(L, PS_ERR_UNSUPPORTED, "tensor %ld must not be a constant", (long)ti);
    return PS_OK;
}

/* Reads an int32 constant (shape operands) into dst. */
static ps_status use_const_i32(loader *L, int ti, int *dst, int cap, int *n)
{
    ps_status rc = check_tensor_index(L, ti);
    if (rc)
        return rc;
    const tfl_tensor *t = &L->t->tensors[ti];
    const nn_value *v = &L->m->values[ti];
    if (!tensor_is_const(L, ti) || t->type != TFL_INT32)
        return bad(L, PS_ERR_UNSUPPORTED, "tensor %ld must be an int32 constant", (long)ti);
    const tfl_buffer *b = &L->t->buffers[t->buffer];
    if (v->count > (size_t)cap || b->size != v->count * 4)
        return bad(L, PS_ERR_CORRUPT, "int32 constant %ld has a bad size", (long)ti);
    for (size_t i = 0; i < v->count; i++) {
        const uint8_t *p = b->data + 4 * i;
        dst[i] = (int32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
    }
    *n = (int)v->count;
    return PS_OK;
}

/* The op's output: a float32 tensor not yet produced, whose declared shape
 * must equal the computed one (ndim/dims) when want_dims is given. */
static ps_status def_output(loader *L, int ti, int ndim, const int *dims, size_t count)
{
    ps_status rc = check_tensor_index(L, ti);
    if (rc)
        return rc;
    const tfl_tensor *t = &L->t->tensors[ti];
    nn_value *v = &L->m->values[ti];
    if (L->defined[ti] || v->cdata || tensor_is_const(L, ti))
        return bad(L, PS_ERR_CORRUPT, "output tensor %ld is written twice or is a constant", (long)ti);
    if (t->type != TFL_FLOAT32 || t->has_quant)
        return bad(L, PS_ERR_UNSUPPORTED, "output tensor %ld is not plain float32", (long)ti);
    if (dims) {
        int same = v->ndim == ndim;
        for (int i = 0; same && i < ndim; i++)
            same = v->dims[i] == dims[i];
        if (!same)
            return bad(L, PS_ERR_CORRUPT, "output tensor %ld has a shape that does not match the op", (long)ti);
    } else if (v->count != count) {
        return bad(L, PS_ERR_CORRUPT, "output tensor has %ld elements, expected %ld", (long)v->count, (long)count);
    }
    L->defined[ti] = 1;
    return PS_OK;
}

/* NHWC with batch 1; tensors of fewer dims are treated as [1,..] on the left. */
static ps_status nhwc(loader *L, int ti, int *h, int *w, int *c)
{
    const nn_value *v = &L->m->values[ti];
    if (v->ndim != 4 || v->dims[0] != 1)
        return bad(L, PS_ERR_UNSUPPORTED, "tensor %ld is not a 4-D NHWC tensor of batch 1", (long)ti);
    *h = v->dims[1];
    *w = v->dims[2];
    *c = v->dims[3];
    return PS_OK;
}

static ps_status act_of(loader *L, int tfl_act, nn_act *out)
{
    switch (tfl_act) {
    case TFL_ACT_NONE: *out = NN_ACT_NONE; return PS_OK;
    case TFL_ACT_RELU: *out = NN_ACT_RELU; return PS_OK;
    case TFL_ACT_RELU6: *out = NN_ACT_RELU6; return PS_OK;
    case TFL_ACT_RELU_N1_TO_1: *out = NN_ACT_RELU_N1_TO_1; return PS_OK;
    }
    return bad(L, PS_ERR_UNSUPPORTED, "fused activation %ld is not supported", (long)tfl_act);
}

/* TFLite's SAME/VALID output size and the (asymmetric) SAME padding: the
 * smaller half of the total pad goes before, the larger after. */
static ps_status window(loader *L, int padding, int in, int k, int s, int *out, int *pad_before)
{
    if (s < 1 || s > 64 || k < 1 || k > 64)
        return bad(L, PS_ERR_UNSUPPORTED, "kernel %ld / stride %ld not supported", (long)k, (long)s);
    if (padding == TFL_PAD_SAME) {
        *out = (in + s - 1) / s;
        long total = (long)(*out - 1) * s + k - in;
        *pad_before = total > 0 ? (int)(total / 2) : 0;
    } else if (padding == TFL_PAD_VALID) {
        if (in < k)
            return bad(L, PS_ERR_CORRUPT, "VALID window %ld larger than its input %ld", (long)k, (long)in);
        *out = (in - k) / s + 1;
        *pad_before = 0;
    } else {
        return bad(L, PS_ERR_UNSUPPORTED, "padding type %ld is not supported", (long)padding);
    }
    return PS_OK;
}

static ps_status expect_options(loader *L, const tfl_op *op, int type)
{
    if (op->opt.options_type != 0 && op->opt.options_type != type)
        return bad(L, PS_ERR_CORRUPT, "options of type %ld do not belong to this operator", (long)op->opt.options_type);
    return PS_OK;
}

static ps_status expect_io(loader *L, const tfl_op *op, int nin_min, int nin_max, int nout)
{
    if (op->nin < nin_min || op->nin > nin_max || op->nout != nout)
        return bad(L, PS_ERR_CORRUPT, "%ld inputs / %ld outputs is wrong for this operator", (long)op->nin, (long)op->nout);
    return PS_OK;
}

size_t nn_packed_floats(int N, int K)
{
    /* an even panel count, so a 32-column (two-panel) tile never reads past the end */
    size_t np = (size_t)(N + 2 * NN_PANEL - 1) / (2 * NN_PANEL) * 2;
    size_t n;
    return ps_size_mul3_ok(np, (size_t)K, NN_PANEL, &n) ? n : 0;
}

void nn_pack_gemm(const float *w, const float *bias, int N, int K, float *packed, float *bias_padded)
{
    size_t np = (size_t)(N + 2 * NN_PANEL - 1) / (2 * NN_PANEL) * 2;
    memset(packed, 0, np * K * NN_PANEL * sizeof *packed);
    memset(bias_padded, 0, np * NN_PANEL * sizeof *bias_padded);
    for (int j = 0; j < N; j++) {
        float *dst = packed + (size_t)(j / NN_PANEL) * K * NN_PANEL + j % NN_PANEL;
        for (int k = 0; k < K; k++)
            dst[(size_t)k * NN_PANEL] = w[(size_t)j * K + k];
        bias_padded[j] = bias ? bias[j] : 0.0f;
    }
}

/* Conv weights [N][K] (OHWI flattened) -> GEMM panels (see nn_op.packed). */
static ps_status pack_conv(loader *L, nn_op *o, const float *w, const float *bias)
{
    int N = o->gemm_n, K = o->gemm_k;
    size_t n = nn_packed_floats(N, K);
    if (!n)
        return ps_fail(PS_ERR_LIMIT, "conv weights too large");
    float *p = alloc_block(L, n);
    float *b = p ? alloc_block(L, nn_packed_floats(N, 1)) : NULL;
    if (!b)
        return L->alloc_rc;
    nn_pack_gemm(w, bias, N, K, p, b);
    o->packed = p;
    o->bias_padded = b;
    return PS_OK;
}

/* A zero bias for convs and FCs without one (optional input -1). */
static ps_status bias_or_zero(loader *L, const tfl_op *op, int n, int *vi)
{
    if (op->nin >= 3 && op->in[2] >= 0) {
        ps_status rc = use_const_float(L, op->in[2]);
        if (rc)
            return rc;
        if (L->m->values[op->in[2]].count != (size_t)n)
            return BAD(L, PS_ERR_CORRUPT, "bias length does not match the output channels");
        *vi = op->in[2];
        return PS_OK;
    }
    *vi = -1;
    return PS_OK;
}

static ps_status load_conv(loader *L, const tfl_op *op, nn_op *o, int depthwise)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 2, 3, 1)) || (rc = expect_options(L, op, depthwise ? 2 : 1)))
        return rc;
    if ((rc = use_act(L, op->in[0])) || (rc = use_const_float(L, op->in[1])))
        return rc;
    const tfl_options *opt = &op->opt;
    if (opt->dilation_w != 1 || opt->dilation_h != 1)
        return BAD(L, PS_ERR_UNSUPPORTED, "dilated convolution is not supported");
    nn_geom *g = &o->g;
    if ((rc = nhwc(L, op->in[0], &g->ih, &g->iw, &g->ic)))
        return rc;
    const nn_value *w = &L->m->values[op->in[1]];
    if (w->ndim != 4)
        return BAD(L, PS_ERR_CORRUPT, "convolution weights are not 4-D");
    o->kh = w->dims[1];
    o->kw = w->dims[2];
    if (depthwise) {
        if (w->dims[0] != 1 || w->dims[3] != g->ic || opt->depth_multiplier != 1)
            return BAD(L, PS_ERR_UNSUPPORTED, "depthwise weights must be [1,kh,kw,C] with depth multiplier 1");
        g->oc = g->ic;
    } else {
        if (w->dims[3] != g->ic)
            return BAD(L, PS_ERR_CORRUPT, "convolution weights do not match the input channels");
        g->oc = w->dims[0];
    }
    o->sh = opt->stride_h;
    o->sw = opt->stride_w;
    if ((rc = window(L, opt->padding, g->ih, o->kh, o->sh, &g->oh, &o->pad_t)) ||
        (rc = window(L, opt->padding, g->iw, o->kw, o->sw, &g->ow, &o->pad_l)) ||
        (rc = act_of(L, opt->act, &o->act)))
        return rc;
    int bias_vi;
    if ((rc = bias_or_zero(L, op, g->oc, &bias_vi)))
        return rc;
    int dims[4] = {1, g->oh, g->ow, g->oc};
    if ((rc = def_output(L, op->out[0], 4, dims, 0)))
        return rc;
    o->type = depthwise ? NN_OP_DWCONV : NN_OP_CONV;
    o->nin = 3;
    o->in[0] = op->in[0];
    o->in[1] = op->in[1];
    o->in[2] = bias_vi;
    o->out = op->out[0];
    uint64_t pix = (uint64_t)g->oh * g->ow;
    if (depthwise) {
        o->macs = pix * g->oc * o->kh * o->kw;
        o->bias_padded = bias_vi >= 0 ? L->m->values[bias_vi].cdata : NULL;
        if (bias_vi < 0) { /* kernels always take a bias */
            float *z = alloc_block(L, (size_t)g->oc);
            if (!z)
                return L->alloc_rc;
            memset(z, 0, (size_t)g->oc * sizeof *z);
            o->bias_padded = z;
        }
        return PS_OK;
    }
    o->gemm_k = o->kh * o->kw * g->ic;
    o->gemm_n = g->oc;
    o->macs = pix * g->oc * (uint64_t)o->gemm_k;
    o->is_1x1 = o->kh == 1 && o->kw == 1 && o->sh == 1 && o->sw == 1;
    return pack_conv(L, o, w->cdata, bias_vi >= 0 ? L->m->values[bias_vi].cdata : NULL);
}

static ps_status load_maxpool(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 1, 1, 1)) || (rc = expect_options(L, op, 5)) || (rc = use_act(L, op->in[0])))
        return rc;
    nn_geom *g = &o->g;
    if ((rc = nhwc(L, op->in[0], &g->ih, &g->iw, &g->ic)))
        return rc;
    o->kh = op->opt.filter_h;
    o->kw = op->opt.filter_w;
    o->sh = op->opt.stride_h;
    o->sw = op->opt.stride_w;
    g->oc = g->ic;
    if ((rc = window(L, op->opt.padding, g->ih, o->kh, o->sh, &g->oh, &o->pad_t)) ||
        (rc = window(L, op->opt.padding, g->iw, o->kw, o->sw, &g->ow, &o->pad_l)) ||
        (rc = act_of(L, op->opt.act, &o->act)))
        return rc;
    int dims[4] = {1, g->oh, g->ow, g->oc};
    if ((rc = def_output(L, op->out[0], 4, dims, 0)))
        return rc;
    o->type = NN_OP_MAXPOOL;
    o->nin = 1;
    o->in[0] = op->in[0];
    o->out = op->out[0];
    return PS_OK;
}

static int same_shape(const nn_value *a, const nn_value *b)
{
    if (a->ndim != b->ndim)
        return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->dims[i] != b->dims[i])
            return 0;
    return 1;
}

static ps_status load_add(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 2, 2, 1)) || (rc = expect_options(L, op, 11)) ||
        (rc = use_float(L, op->in[0])) || (rc = use_float(L, op->in[1])) || (rc = act_of(L, op->opt.act, &o->act)))
        return rc;
    const nn_value *a = &L->m->values[op->in[0]], *b = &L->m->values[op->in[1]];
    if (!same_shape(a, b))
        return BAD(L, PS_ERR_UNSUPPORTED, "ADD with broadcasting is not supported");
    if ((rc = def_output(L, op->out[0], a->ndim, a->dims, 0)))
        return rc;
    o->type = NN_OP_ADD;
    o->nin = 2;
    o->in[0] = op->in[0];
    o->in[1] = op->in[1];
    o->out = op->out[0];
    return PS_OK;
}

static ps_status load_prelu(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 2, 2, 1)) || (rc = use_act(L, op->in[0])) || (rc = use_const_float(L, op->in[1])))
        return rc;
    const nn_value *x = &L->m->values[op->in[0]], *a = &L->m->values[op->in[1]];
    int c = x->ndim ? x->dims[x->ndim - 1] : 1;
    for (int i = 0; i + 1 < a->ndim; i++)
        if (a->dims[i] != 1)
            return BAD(L, PS_ERR_UNSUPPORTED, "PRELU alpha must be per channel");
    if (a->count != (size_t)c)
        return BAD(L, PS_ERR_UNSUPPORTED, "PRELU alpha length does not match the channels");
    if ((rc = def_output(L, op->out[0], x->ndim, x->dims, 0)))
        return rc;
    o->type = NN_OP_PRELU;
    o->nin = 2;
    o->in[0] = op->in[0];
    o->in[1] = op->in[1];
    o->out = op->out[0];
    o->g.oc = c;
    return PS_OK;
}

static ps_status load_pad(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    int p[8], n;
    if ((rc = expect_io(L, op, 2, 2, 1)) || (rc = use_act(L, op->in[0])) || (rc = use_const_i32(L, op->in[1], p, 8, &n)))
        return rc;
    const nn_value *x = &L->m->values[op->in[0]];
    if (n != 2 * x->ndim)
        return BAD(L, PS_ERR_CORRUPT, "PAD paddings do not match the input rank");
    /* promote to 4-D: leading dims of size 1 without padding */
    int lead = 4 - x->ndim, dims[4];
    for (int d = 0; d < 4; d++) {
        int in = d < lead ? 1 : x->dims[d - lead];
        int b = d < lead ? 0 : p[2 * (d - lead)], a = d < lead ? 0 : p[2 * (d - lead) + 1];
        if (b < 0 || a < 0 || b > NN_MAX_DIM || a > NN_MAX_DIM)
            return BAD(L, PS_ERR_UNSUPPORTED, "negative or huge PAD paddings");
        o->pads[d][0] = b;
        o->pads[d][1] = a;
        dims[d] = in + b + a;
    }
    if (dims[0] != 1 || o->pads[0][0] || o->pads[0][1])
        return BAD(L, PS_ERR_UNSUPPORTED, "PAD of the batch dimension is not supported");
    if ((rc = def_output(L, op->out[0], x->ndim, dims + lead, 0)))
        return rc;
    o->g.ih = lead > 1 ? 1 : x->dims[1 - lead];
    o->g.iw = lead > 2 ? 1 : x->dims[2 - lead];
    o->g.ic = x->dims[x->ndim - 1];
    o->g.oh = dims[1];
    o->g.ow = dims[2];
    o->g.oc = dims[3];
    o->type = NN_OP_PAD;
    o->nin = 1;
    o->in[0] = op->in[0];
    o->out = op->out[0];
    return PS_OK;
}

static ps_status load_resize(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    int sz[2], n;
    if ((rc = expect_io(L, op, 2, 2, 1)) || (rc = expect_options(L, op, 15)) || (rc = use_act(L, op->in[0])) ||
        (rc = use_const_i32(L, op->in[1], sz, 2, &n)))
        return rc;
    nn_geom *g = &o->g;
    if ((rc = nhwc(L, op->in[0], &g->ih, &g->iw, &g->ic)))
        return rc;
    if (n != 2 || sz[0] < 1 || sz[1] < 1 || sz[0] > NN_MAX_DIM || sz[1] > NN_MAX_DIM)
        return BAD(L, PS_ERR_CORRUPT, "RESIZE_BILINEAR size must be two positive numbers");
    if (op->opt.align_corners && op->opt.half_pixel)
        return BAD(L, PS_ERR_CORRUPT, "RESIZE_BILINEAR cannot use align_corners and half_pixel_centers together");
    g->oh = sz[0];
    g->ow = sz[1];
    g->oc = g->ic;
    int dims[4] = {1, g->oh, g->ow, g->oc};
    if ((rc = def_output(L, op->out[0], 4, dims, 0)))
        return rc;
    o->align_corners = op->opt.align_corners;
    o->half_pixel = op->opt.half_pixel;
    o->type = NN_OP_RESIZE;
    o->nin = 1;
    o->in[0] = op->in[0];
    o->out = op->out[0];
    return PS_OK;
}

static ps_status load_mean(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    int ax[4], n;
    if ((rc = expect_io(L, op, 2, 2, 1)) || (rc = expect_options(L, op, 27)) || (rc = use_act(L, op->in[0])) ||
        (rc = use_const_i32(L, op->in[1], ax, 4, &n)))
        return rc;
    nn_geom *g = &o->g;
    if ((rc = nhwc(L, op->in[0], &g->ih, &g->iw, &g->ic)))
        return rc;
    int seen = 0;
    for (int i = 0; i < n; i++) {
        int a = ax[i] < 0 ? ax[i] + 4 : ax[i];
        if (a != 1 && a != 2)
            return BAD(L, PS_ERR_UNSUPPORTED, "MEAN is supported over the H and W axes only");
        seen |= 1 << a;
    }
    if (seen != 6)
        return BAD(L, PS_ERR_UNSUPPORTED, "MEAN is supported over the H and W axes only");
    g->oh = g->ow = 1;
    g->oc = g->ic;
    if ((rc = def_output(L, op->out[0], 0, NULL, (size_t)g->ic)))
        return rc;
    o->type = NN_OP_MEAN;
    o->nin = 1;
    o->in[0] = op->in[0];
    o->out = op->out[0];
    return PS_OK;
}

static ps_status load_fc(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 2, 3, 1)) || (rc = expect_options(L, op, 8)) || (rc = use_float(L, op->in[0])) ||
        (rc = use_const_float(L, op->in[1])) || (rc = act_of(L, op->opt.act, &o->act)))
        return rc;
    if (op->opt.weights_format != 0)
        return BAD(L, PS_ERR_UNSUPPORTED, "shuffled FULLY_CONNECTED weights are not supported");
    const nn_value *x = &L->m->values[op->in[0]], *w = &L->m->values[op->in[1]];
    if (w->ndim != 2)
        return BAD(L, PS_ERR_CORRUPT, "FULLY_CONNECTED weights are not 2-D");
    int nout = w->dims[0], nin = w->dims[1];
    if (x->count != (size_t)nin)
        return BAD(L, PS_ERR_UNSUPPORTED, "FULLY_CONNECTED input must be one row of the weights' width");
    int bias_vi;
    if ((rc = bias_or_zero(L, op, nout, &bias_vi)) || (rc = def_output(L, op->out[0], 0, NULL, (size_t)nout)))
        return rc;
    o->bias_padded = bias_vi >= 0 ? L->m->values[bias_vi].cdata : NULL;
    if (bias_vi < 0) {
        float *z = alloc_block(L, (size_t)nout);
        if (!z)
            return L->alloc_rc;
        memset(z, 0, (size_t)nout * sizeof *z);
        o->bias_padded = z;
    }
    o->type = NN_OP_FC;
    o->nin = 3;
    o->in[0] = op->in[0];
    o->in[1] = op->in[1];
    o->in[2] = bias_vi;
    o->out = op->out[0];
    o->gemm_k = nin;
    o->gemm_n = nout;
    o->macs = (uint64_t)nin * nout;
    return PS_OK;
}

static ps_status load_unary(loader *L, const tfl_op *op, nn_op *o, nn_optype type)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 1, 2, 1)) || (rc = use_act(L, op->in[0])))
        return rc;
    const nn_value *x = &L->m->values[op->in[0]];
    if ((rc = def_output(L, op->out[0], 0, NULL, x->count)))
        return rc;
    o->type = type;
    o->nin = 1;
    o->in[0] = op->in[0];
    o->out = op->out[0];
    if (type == NN_OP_RESHAPE) {
        /* a view: follow chains of reshapes to the value that owns storage */
        int root = op->in[0];
        while (L->m->values[root].view_of >= 0)
            root = L->m->values[root].view_of;
        L->m->values[op->out[0]].view_of = root;
    }
    return PS_OK;
}

static ps_status load_concat(loader *L, const tfl_op *op, nn_op *o)
{
    ps_status rc;
    if ((rc = expect_options(L, op, 10)) || (rc = act_of(L, op->opt.act, &o->act)))
        return rc;
    if (op->nin < 1 || op->nin > NN_MAX_INPUTS || op->nout != 1)
        return BAD(L, PS_ERR_UNSUPPORTED, "CONCATENATION of 1 to 8 inputs only");
    if (o->act != NN_ACT_NONE)
        return BAD(L, PS_ERR_UNSUPPORTED, "CONCATENATION with a fused activation is not supported");
    for (int i = 0; i < op->nin; i++)
        if ((rc = use_float(L, op->in[i])))
            return rc;
    const nn_value *x0 = &L->m->values[op->in[0]];
    int nd = x0->ndim, axis = op->opt.axis < 0 ? op->opt.axis + nd : op->opt.axis;
    if (nd < 1 || axis < 0 || axis >= nd)
        return BAD(L, PS_ERR_CORRUPT, "CONCATENATION axis out of range");
    int dims[4];
    memcpy(dims, x0->dims, sizeof dims);
    dims[axis] = 0;
    for (int i = 0; i < op->nin; i++) {
        const nn_value *x = &L->m->values[op->in[i]];
        if (x->ndim != nd)
            return BAD(L, PS_ERR_CORRUPT, "CONCATENATION inputs differ in rank");
        for (int d = 0; d < nd; d++)
            if (d != axis && x->dims[d] != x0->dims[d])
                return BAD(L, PS_ERR_CORRUPT, "CONCATENATION inputs differ outside the axis");
        dims[axis] += x->dims[axis];
        if (dims[axis] > NN_MAX_DIM)
            return BAD(L, PS_ERR_LIMIT, "CONCATENATION output too large");
    }
    if ((rc = def_output(L, op->out[0], nd, dims, 0)))
        return rc;
    o->type = NN_OP_CONCAT;
    o->nin = op->nin;
    memcpy(o->in, op->in, (size_t)op->nin * sizeof(int));
    o->out = op->out[0];
    o->axis = axis;
    o->outer = 1;
    for (int d = 0; d < axis; d++)
        o->outer *= dims[d];
    return PS_OK;
}

/* DEQUANTIZE of an fp16 constant: decoded here, the op disappears. */
static ps_status fold_dequantize(loader *L, const tfl_op *op)
{
    ps_status rc;
    if ((rc = expect_io(L, op, 1, 1, 1)) || (rc = check_tensor_index(L, op->in[0])) ||
        (rc = check_tensor_index(L, op->out[0])))
        return rc;
    int ti = op->in[0], to = op->out[0];
    const tfl_tensor *t = &L->t->tensors[ti];
    nn_value *vi = &L->m->values[ti], *vo = &L->m->values[to];
    if (!tensor_is_const(L, ti) || t->type != TFL_FLOAT16 || t->has_quant)
        return BAD(L, PS_ERR_UNSUPPORTED, "DEQUANTIZE is supported for float16 constants only");
    const tfl_buffer *b = &L->t->buffers[t->buffer];
    if (b->size != vi->count * 2)
        return BAD(L, PS_ERR_CORRUPT, "float16 constant has the wrong number of bytes");
    if ((rc = def_output(L, to, vi->ndim, vi->dims, 0)))
        return rc;
    L->defined[to] = 0; /* a constant, not an activation */
    float *d = alloc_block(L, vi->count);
    if (!d)
        return L->alloc_rc;
    for (size_t i = 0; i < vi->count; i++)
        d[i] = fp16_to_f32((uint16_t)(b->data[2 * i] | b->data[2 * i + 1] << 8));
    vo->cdata = d;
    return PS_OK;
}

static ps_status load_op(loader *L, const tfl_op *op, nn_op *o, int *emitted)
{
    *emitted = 1;
    memset(o, 0, sizeof *o);
    o->tfl_index = L->cur_op;
    for (int i = 0; i < NN_MAX_INPUTS; i++)
        o->in[i] = -1;
    for (int i = 0; i < op->nin; i++)
        if (op->in[i] < 0 && !(i == 2 && (op->builtin == TFL_OP_CONV_2D || op->builtin == TFL_OP_DEPTHWISE_CONV_2D ||
                                          op->builtin == TFL_OP_FULLY_CONNECTED)))
            return BAD(L, PS_ERR_CORRUPT, "missing required input");
    if (op->nout < 1 || op->out[0] < 0)
        return BAD(L, PS_ERR_CORRUPT, "operator without an output");
    switch (op->builtin) {
    case TFL_OP_DEQUANTIZE: *emitted = 0; return fold_dequantize(L, op);
    case TFL_OP_CONV_2D: return load_conv(L, op, o, 0);
    case TFL_OP_DEPTHWISE_CONV_2D: return load_conv(L, op, o, 1);
    case TFL_OP_MAX_POOL_2D: return load_maxpool(L, op, o);
    case TFL_OP_ADD: return load_add(L, op, o);
    case TFL_OP_PRELU: return load_prelu(L, op, o);
    case TFL_OP_PAD: return load_pad(L, op, o);
    case TFL_OP_RESIZE_BILINEAR: return load_resize(L, op, o);
    case TFL_OP_MEAN: return load_mean(L, op, o);
    case TFL_OP_FULLY_CONNECTED: return load_fc(L, op, o);
    case TFL_OP_LOGISTIC: return load_unary(L, op, o, NN_OP_LOGISTIC);
    case TFL_OP_RESHAPE: return load_unary(L, op, o, NN_OP_RESHAPE);
    case TFL_OP_CONCATENATION: return load_concat(L, op, o);
    }
    return bad(L, PS_ERR_UNSUPPORTED, "%s (code %d) is not supported", tfl_op_name(op->builtin), op->builtin);
}

/* Storage lifetimes for the planner: the first and last op that touch a
 * value's storage; views extend their root's lifetime. */
static void compute_liveness(ps_nn_model *m)
{
    for (int v = 0; v < m->nvalues; v++) {
        m->values[v].first = m->values[v].graph_input >= 0 ? -1 : m->nops;
        m->values[v].last = -1;
    }
    for (int i = 0; i < m->nops; i++) {
        const nn_op *o = &m->ops[i];
        for (int k = 0; k < o->nin; k++)
            if (o->in[k] >= 0 && !m->values[o->in[k]].cdata) {
                int r = o->in[k];
                if (m->values[r].view_of >= 0)
                    r = m->values[r].view_of;
                if (m->values[r].last < i)
                    m->values[r].last = i;
            }
        int r = m->values[o->out].view_of >= 0 ? m->values[o->out].view_of : o->out;
        if (m->values[r].first > i)
            m->values[r].first = i;
        if (m->values[r].last < i)
            m->values[r].last = i;
    }
    for (int i = 0; i < m->noutputs; i++) {
        int r = m->outputs[i];
        if (m->values[r].view_of >= 0)
            r = m->values[r].view_of;
        m->values[r].last = m->nops;
    }
    /* inputs stay intact for the whole run, so a caller may run again
     * without rewriting them */
    for (int i = 0; i < m->ninputs; i++) {
        m->values[m->inputs[i]].first = -1;
        m->values[m->inputs[i]].last = m->nops;
    }
}

ps_status ps_nn_model_load_memory(const void *buf, size_t len, const ps_limits *lim, ps_nn_model **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_model_load_memory: out is NULL");
    *out = NULL;
    ps_limits dl;
    if (!lim) {
        ps_limits_default(&dl);
        lim = &dl;
    }
    if (!buf)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_model_load_memory: buf is NULL");
    if (len > lim->max_model_bytes)
        return ps_fail(PS_ERR_LIMIT, "model of %zu bytes exceeds the limit of %llu", len,
                       (unsigned long long)lim->max_model_bytes);
    tfl_model t;
    ps_status rc = tfl_model_parse(buf, len, &t);
    if (rc)
        return rc;
    loader L = { .t = &t };
    ps_nn_model *m = ps_calloc(1, sizeof *m);
    if (!m) {
        tfl_model_release(&t);
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a model");
    }
    L.m = m;
    m->nvalues = t.ntensors;
    m->values = ps_calloc(t.ntensors ? (size_t)t.ntensors : 1, sizeof *m->values);
    L.defined = ps_calloc(t.ntensors ? (size_t)t.ntensors : 1, sizeof *L.defined);
    m->ops = ps_calloc(t.nops ? (size_t)t.nops : 1, sizeof *m->ops);
    if (!m->values || !L.defined || !m->ops) {
        rc = ps_fail(PS_ERR_NOMEM, "cannot allocate the graph");
        goto fail;
    }
    for (int i = 0; i < t.ntensors; i++) {
        m->values[i].view_of = -1;
        m->values[i].graph_input = -1;
    }
    if (t.ninputs < 1 || t.noutputs < 1) {
        rc = ps_fail(PS_ERR_CORRUPT, "model has no inputs or no outputs");
        goto fail;
    }
    L.cur_op = -1;
    for (int i = 0; i < t.ninputs; i++) {
        int ti = t.inputs[i];
        if ((rc = check_tensor_index(&L, ti)))
            goto fail;
        if (tensor_is_const(&L, ti) || t.tensors[ti].type != TFL_FLOAT32 || L.defined[ti]) {
            rc = ps_fail(PS_ERR_UNSUPPORTED, "model input %d is not a distinct float32 tensor", i);
            goto fail;
        }
        L.defined[ti] = 1;
        m->values[ti].graph_input = i;
        m->inputs[i] = ti;
    }
    m->ninputs = t.ninputs;
    for (int i = 0; i < t.nops; i++) {
        int emitted;
        L.cur_op = i;
        if ((rc = load_op(&L, &t.ops[i], &m->ops[m->nops], &emitted)))
            goto fail;
        if (emitted) {
            m->macs += m->ops[m->nops].macs; /* each op's count is < 2^55, the cap keeps the sum small */
            m->nops++;
            if (m->macs > NN_MAX_MACS) {
                rc = ps_fail(PS_ERR_LIMIT, "model needs more than %llu multiply-adds per inference",
                             (unsigned long long)NN_MAX_MACS);
                goto fail;
            }
        }
    }
    for (int i = 0; i < t.noutputs; i++) {
        int ti = t.outputs[i];
        if (ti < 0 || ti >= t.ntensors || !L.defined[ti] || m->values[ti].graph_input >= 0) {
            rc = ps_fail(PS_ERR_UNSUPPORTED, "model output %d is not computed by an operator", i);
            goto fail;
        }
        m->outputs[i] = ti;
    }
    m->noutputs = t.noutputs;
    nn_fuse_epilogues(m);
    compute_liveness(m);
    /* the model owns the constant blocks from here on */
    m->blocks = L.blocks;
    m->nblocks = L.nblocks;
    ps_free(L.defined);
    tfl_model_release(&t);
    *out = m;
    return PS_OK;
fail:
    for (int i = 0; i < L.nblocks; i++)
        ps_aligned_free(L.blocks[i]);
    ps_free(L.blocks);
    ps_free(L.defined);
    ps_free(m->values);
    ps_free(m->ops);
    ps_free(m);
    tfl_model_release(&t);
    return rc;
}

ps_status ps_nn_model_load_file(const char *path, const ps_limits *lim, ps_nn_model **out)
{
    if (!out || !path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_model_load_file: NULL argument");
    *out = NULL;
    ps_limits dl;
    if (!lim) {
        ps_limits_default(&dl);
        lim = &dl;
    }
    unsigned char *data;
    size_t len;
    ps_status rc = ps_file_read_all(path, lim->max_model_bytes, &data, &len);
    if (rc)
        return rc;
    rc = ps_nn_model_load_memory(data, len, lim, out);
    ps_free(data);
    if (rc)
        ps_error_prefix(ps_path_basename(path));
    return rc;
}

void ps_nn_model_free(ps_nn_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nblocks; i++)
        ps_aligned_free(m->blocks[i]);
    ps_free(m->blocks);
    ps_free(m->values);
    ps_free(m->ops);
    ps_free(m);
}

int ps_nn_model_num_inputs(const ps_nn_model *m) { return m ? m->ninputs : 0; }
int ps_nn_model_num_outputs(const ps_nn_model *m) { return m ? m->noutputs : 0; }
uint64_t ps_nn_model_macs(const ps_nn_model *m) { return m ? m->macs : 0; }

static size_t shape_of(const ps_nn_model *m, int vi, int dims[4], int *ndim)
{
    const nn_value *v = &m->values[vi];
    for (int i = 0; i < v->ndim; i++)
        dims[i] = v->dims[i];
    *ndim = v->ndim;
    return v->count;
}

size_t ps_nn_model_input_shape(const ps_nn_model *m, int i, int dims[4], int *ndim)
{
    if (ndim)
        *ndim = 0;
    if (!m || i < 0 || i >= m->ninputs || !dims || !ndim)
        return 0;
    return shape_of(m, m->inputs[i], dims, ndim);
}

size_t ps_nn_model_output_shape(const ps_nn_model *m, int i, int dims[4], int *ndim)
{
    if (ndim)
        *ndim = 0;
    if (!m || i < 0 || i >= m->noutputs || !dims || !ndim)
        return 0;
    return shape_of(m, m->outputs[i], dims, ndim);
}

size_t nn_op_scratch_floats(const nn_op *op)
{
    if (op->type == NN_OP_CONV && !op->is_1x1)
        return (size_t)NN_IM2COL_ROWS * op->gemm_k;
    return 0;
}

const char *nn_op_type_name(nn_optype t)
{
    static const char *const names[NN_OP_COUNT] = {"conv", "depthwise", "add", "prelu", "max_pool", "pad",
                                                   "resize", "mean", "fc", "logistic", "reshape", "concat"};
    return (unsigned)t < NN_OP_COUNT ? names[t] : "?";
}
