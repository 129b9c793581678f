/* Fast kernels against the reference kernels, per ISA this CPU has (AVX2,
 * AVX-512), with 1, 2 and 3 threads (thread shares run one after another,
 * which is what the split guarantees is equivalent), on random shapes that
 * include odd sizes, channel counts that are not a multiple of the vector
 * width, 1-pixel maps, kernels larger than their input, SAME and VALID.
 *
 * Error bounds, stated per op:
 *  - CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, MEAN and RESIZE_BILINEAR
 *    sum n terms in a different order (and with FMA), so each output may
 *    differ by (n + 2) * FLT_EPSILON * S, where S is the same op evaluated on
 *    absolute values (|x|, |w|, |bias|): the classic gamma_n bound for both
 *    sums. The fused activation clamps are 1-Lipschitz and keep the bound.
 *  - LOGISTIC (polynomial exp): 1e-6 absolute (outputs lie in [0, 1]).
 *  - ADD, PRELU, MAX_POOL_2D, PAD and CONCATENATION: bit-exact.
 * The reference kernels themselves must give bit-identical results for any
 * thread count. */
#include "testutil.h"
#include "nn/kernels/kernels.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;
static float frand(float lo, float hi)
{
    rng = rng * 1664525u + 1013904223u;
    return lo + (hi - lo) * (float)(rng >> 8) / 16777216.0f;
}
static int irand(int lo, int hi) { return lo + (int)(frand(0, 1) * (float)(hi - lo + 1)) % (hi - lo + 1); }

static float *rand_buf(size_t n, float lo, float hi)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = frand(lo, hi);
    return p;
}

static float *abs_copy(const float *x, size_t n)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = fabsf(x[i]);
    return p;
}

/* Runs fn on all thread shares in turn. */
static void run(nn_kernel_fn fn, const nn_op *op, const float **in, const size_t *counts, int nin, float *out,
                size_t out_count, int nth)
{
    nn_args a;
    memset(&a, 0, sizeof a);
    a.op = op;
    for (int i = 0; i < nin; i++) {
        a.in[i] = in[i];
        a.in_count[i] = counts[i];
    }
    a.out = out;
    a.out_count = out_count;
    a.scratch_floats = nn_op_scratch_floats(op);
    float *scratch = malloc((a.scratch_floats * nth + 1) * sizeof(float));
    a.scratch = scratch;
    for (int ith = 0; ith < nth; ith++) {
        a.scratch = scratch + (size_t)ith * a.scratch_floats; /* as if each part ran on its own thread */
        fn(&a, ith, nth);
    }
    free(scratch);
}

/* bound: NULL = exact; else per output absolute bound */
static void compare_all(const char *what, const nn_op *op, const float **in, const size_t *counts, int nin,
                        size_t out_count, const float *bound, float abs_bound)
{
    float *ref = malloc(out_count * sizeof *ref), *got = malloc(out_count * sizeof *got);
    run(nn_table_ref.fn[op->type], op, in, counts, nin, ref, out_count, 1);
    for (int nth = 2; nth <= 3; nth++) {
        memset(got, 0xff, out_count * sizeof *got);
        run(nn_table_ref.fn[op->type], op, in, counts, nin, got, out_count, nth);
        if (memcmp(ref, got, out_count * sizeof *got) != 0)
            fail_msg("%s: reference kernel differs with %d threads", what, nth);
    }
    const nn_kernel_table *tables[2] = {&nn_table_avx2, &nn_table_avx512};
    const nn_isa isas[2] = {NN_ISA_AVX2, NN_ISA_AVX512};
    for (int t = 0; t < 2; t++) {
        if (!nn_cpu_has(isas[t]))
            continue;
        for (int nth = 1; nth <= 3; nth++) {
            memset(got, 0xff, out_count * sizeof *got); /* NaN: unwritten outputs fail */
            run(tables[t]->fn[op->type], op, in, counts, nin, got, out_count, nth);
            for (size_t i = 0; i < out_count; i++) {
                float lim = bound ? bound[i] : abs_bound;
                int ok = (bound || abs_bound > 0) ? fabsf(got[i] - ref[i]) <= lim
                                                  : memcmp(&got[i], &ref[i], sizeof(float)) == 0;
                if (!ok)
                    fail_msg("%s (%s, %d threads): output %zu is %.9g, reference %.9g, bound %g", what,
                             tables[t]->name, nth, i, got[i], ref[i], (double)lim);
            }
        }
    }
    free(ref);
    free(got);
}

/* (n + 2) eps S, with S = the reference op on absolute values without activation */
static float *sum_bound(const nn_op *op, const float **in, const size_t *counts, int nin, size_t out_count, int nterms)
{
    nn_op abs_op = *op;
    abs_op.act = NN_ACT_NONE;
    abs_op.res_act = NN_ACT_NONE; /* clamps would shrink S below the error they pass on */
    float *absin[NN_MAX_INPUTS] = {0};
    const float *ain[NN_MAX_INPUTS];
    for (int i = 0; i < nin; i++) {
        absin[i] = abs_copy(in[i], counts[i]);
        ain[i] = absin[i];
    }
    if (op->type == NN_OP_DWCONV || op->type == NN_OP_FC)
        abs_op.bias_padded = absin[2]; /* these kernels take the bias from the op */
    float *b = malloc(out_count * sizeof *b);
    run(nn_table_ref.fn[op->type], &abs_op, ain, counts, nin, b, out_count, 1);
    for (size_t i = 0; i < out_count; i++)
        b[i] = (float)(nterms + 2) * FLT_EPSILON * b[i] + 1e-30f;
    for (int i = 0; i < nin; i++)
        free(absin[i]);
    return b;
}

static void window(int same, int in, int k, int s, int *out, int *pad)
{
    if (same) {
        *out = (in + s - 1) / s;
        int total = (*out - 1) * s + k - in;
        *pad = total > 0 ? total / 2 : 0;
    } else {
        *out = (in - k) / s + 1;
        *pad = 0;
    }
}

/* ---- conv ---- */
/* fuse: 0 plain, 1 with a fused ADD (res_act), 2 with fused ADD and PRELU */
static void conv_case_fused(int ih, int iw, int ic, int oc, int k, int s, int same, nn_act act, int fuse,
                            nn_act res_act);
static void conv_case(int ih, int iw, int ic, int oc, int k, int s, int same, nn_act act)
{
    conv_case_fused(ih, iw, ic, oc, k, s, same, act, 0, NN_ACT_NONE);
}

static void conv_case_fused(int ih, int iw, int ic, int oc, int k, int s, int same, nn_act act, int fuse,
                            nn_act res_act)
{
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_CONV;
    op.nin = 3;
    op.in[2] = 2;
    op.kh = op.kw = k;
    op.sh = op.sw = s;
    op.act = act;
    op.g = (nn_geom){ih, iw, ic, 0, 0, oc};
    window(same, ih, k, s, &op.g.oh, &op.pad_t);
    window(same, iw, k, s, &op.g.ow, &op.pad_l);
    op.gemm_k = k * k * ic;
    op.gemm_n = oc;
    op.is_1x1 = k == 1 && s == 1;
    size_t nx = (size_t)ih * iw * ic, nw = (size_t)oc * op.gemm_k, no = (size_t)op.g.oh * op.g.ow * oc;
    float *x = rand_buf(nx, -2, 2), *w = rand_buf(nw, -1, 1), *b = rand_buf((size_t)oc, -1, 1);
    float *packed = malloc(nn_packed_floats(oc, op.gemm_k) * sizeof(float));
    float *bp = malloc(nn_packed_floats(oc, 1) * sizeof(float));
    nn_pack_gemm(w, b, oc, op.gemm_k, packed, bp);
    op.packed = packed;
    op.bias_padded = bp;
    float *res = rand_buf(no, -3, 3), *alpha = rand_buf((size_t)oc, -1, 1);
    op.fused_add = fuse >= 1;
    op.fused_prelu = fuse >= 2;
    op.res_act = res_act;
    int nin = fuse ? 3 + fuse : 3;
    const float *in[5] = {x, w, b, res, alpha};
    size_t counts[5] = {nx, nw, (size_t)oc, no, (size_t)oc};
    /* the fused ADD adds one rounding; PRELU multiplies by |alpha| <= 1 */
    float *bound = sum_bound(&op, in, counts, nin, no, op.gemm_k + 1 + (fuse ? 2 : 0));
    char what[160];
    snprintf(what, sizeof what, "conv %dx%dx%d -> %d, k%d s%d %s act %d fuse %d", ih, iw, ic, oc, k, s,
             same ? "SAME" : "VALID", act, fuse);
    compare_all(what, &op, in, counts, nin, no, bound, 0);
    if (op.is_1x1) { /* the OpenBLAS path and the own kernels, whatever N, 1 and 3 thread shares */
        nn_kernel_fn own[2] = {nn_conv_own_avx2, nn_conv_own_avx512};
        const char *own_name[2] = {"own avx2", "own avx512"};
        float *ref = malloc(no * sizeof *ref), *got = malloc(no * sizeof *got);
        run(nn_table_ref.fn[NN_OP_CONV], &op, in, counts, nin, ref, no, 1);
        for (int k = 0; k < 2; k++) {
            if (!nn_cpu_has(k ? NN_ISA_AVX512 : NN_ISA_AVX2))
                continue;
            memset(got, 0xff, no * sizeof *got);
            run(own[k], &op, in, counts, nin, got, no, 2);
            for (size_t i = 0; i < no; i++)
                if (!(fabsf(got[i] - ref[i]) <= bound[i]))
                    fail_msg("%s (%s): output %zu is %.9g, reference %.9g", what, own_name[k], i, got[i], ref[i]);
        }
        free(ref), free(got);
    }
    if (op.is_1x1) {
        float *ref = malloc(no * sizeof *ref), *got = malloc(no * sizeof *got);
        run(nn_table_ref.fn[NN_OP_CONV], &op, in, counts, nin, ref, no, 1);
        for (int nth = 1; nth <= 3; nth += 2) {
            memset(got, 0xff, no * sizeof *got);
            run(nn_conv1x1_blas, &op, in, counts, nin, got, no, nth);
            for (size_t i = 0; i < no; i++)
                if (!(fabsf(got[i] - ref[i]) <= bound[i]))
                    fail_msg("%s (cblas_sgemm, %d threads): output %zu is %.9g, reference %.9g", what, nth, i, got[i],
                             ref[i]);
        }
        free(ref), free(got);
    }
    free(x), free(w), free(b), free(packed), free(bp), free(bound), free(res), free(alpha);
}

static void test_conv(void **st)
{
    (void)st;
    /* 1x1 GEMMs: row counts around the 6-row micro-tile, columns around 16/32 */
    conv_case(7, 7, 37, 45, 1, 1, 1, NN_ACT_NONE);
    conv_case(5, 3, 16, 16, 1, 1, 0, NN_ACT_RELU6);
    conv_case(13, 11, 3, 70, 1, 1, 1, NN_ACT_RELU);
    conv_case(1, 1, 1152, 1, 1, 1, 1, NN_ACT_NONE);
    conv_case(2, 3, 5, 33, 1, 1, 1, NN_ACT_RELU_N1_TO_1);
    conv_case(12, 12, 256, 108, 1, 1, 1, NN_ACT_NONE);
    conv_case(24, 24, 128, 2, 1, 1, 1, NN_ACT_NONE); /* the palm head: one narrow tile */
    conv_case(3, 5, 7, 4, 1, 1, 1, NN_ACT_RELU6);
    /* im2col: the stems (k3 s2 and k5 s2 SAME with asymmetric pads), VALID, odd sizes */
    conv_case(17, 19, 3, 24, 3, 2, 1, NN_ACT_RELU6);
    conv_case(16, 16, 3, 32, 5, 2, 1, NN_ACT_NONE);
    conv_case(9, 8, 5, 7, 3, 1, 0, NN_ACT_NONE);
    conv_case(10, 10, 4, 17, 5, 1, 1, NN_ACT_RELU);
    conv_case(9, 9, 8, 8, 1, 2, 0, NN_ACT_NONE);
    conv_case(2, 2, 3, 5, 5, 1, 1, NN_ACT_NONE); /* kernel larger than the input */
    for (int i = 0; i < 6; i++)
        conv_case(irand(1, 20), irand(1, 20), irand(1, 40), irand(1, 70), irand(0, 1) ? 1 : 3, irand(1, 2), 1,
                  (nn_act)irand(0, 2));
    /* fused epilogues: the palm block (1x1 + ADD + PRELU), the landmark
     * projection (1x1 + ADD), an im2col conv with both, odd widths */
    conv_case_fused(12, 12, 32, 32, 1, 1, 1, NN_ACT_NONE, 2, NN_ACT_NONE);
    conv_case_fused(7, 7, 72, 45, 1, 1, 1, NN_ACT_NONE, 1, NN_ACT_NONE);
    conv_case_fused(9, 8, 5, 37, 3, 2, 1, NN_ACT_RELU6, 2, NN_ACT_RELU);
    conv_case_fused(5, 3, 16, 13, 1, 1, 1, NN_ACT_RELU, 1, NN_ACT_RELU6);
    conv_case_fused(2, 3, 24, 70, 1, 1, 1, NN_ACT_NONE, 2, NN_ACT_RELU_N1_TO_1);
}

/* ---- depthwise ---- */
static void dw_case(int ih, int iw, int C, int k, int s, int same, nn_act act)
{
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_DWCONV;
    op.nin = 3;
    op.in[2] = 2;
    op.kh = op.kw = k;
    op.sh = op.sw = s;
    op.act = act;
    op.g = (nn_geom){ih, iw, C, 0, 0, C};
    window(same, ih, k, s, &op.g.oh, &op.pad_t);
    window(same, iw, k, s, &op.g.ow, &op.pad_l);
    size_t nx = (size_t)ih * iw * C, nw = (size_t)k * k * C, no = (size_t)op.g.oh * op.g.ow * C;
    float *x = rand_buf(nx, -2, 2), *w = rand_buf(nw, -1, 1), *b = rand_buf((size_t)C, -1, 1);
    op.bias_padded = b;
    const float *in[3] = {x, w, b};
    size_t counts[3] = {nx, nw, (size_t)C};
    float *bound = sum_bound(&op, in, counts, 3, no, k * k + 1);
    char what[160];
    snprintf(what, sizeof what, "depthwise %dx%dx%d k%d s%d %s act %d", ih, iw, C, k, s, same ? "SAME" : "VALID", act);
    compare_all(what, &op, in, counts, 3, no, bound, 0);
    free(x), free(w), free(b), free(bound);
}

static void test_dwconv(void **st)
{
    (void)st;
    dw_case(12, 12, 32, 5, 2, 1, NN_ACT_NONE);
    dw_case(7, 7, 1152, 3, 1, 1, NN_ACT_RELU6);
    dw_case(9, 11, 24, 3, 2, 1, NN_ACT_RELU6);
    dw_case(5, 5, 13, 5, 1, 1, NN_ACT_NONE);
    dw_case(6, 7, 70, 3, 1, 0, NN_ACT_RELU);
    dw_case(3, 3, 17, 5, 1, 1, NN_ACT_NONE);
    dw_case(1, 1, 64, 5, 2, 1, NN_ACT_NONE);
    for (int i = 0; i < 6; i++)
        dw_case(irand(1, 16), irand(1, 16), irand(1, 100), irand(0, 1) ? 3 : 5, irand(1, 2), 1, (nn_act)irand(0, 2));
}

/* ---- elementwise ---- */
static void test_add(void **st)
{
    (void)st;
    size_t sizes[] = {1, 7, 16, 33, 1000, 4099};
    for (int i = 0; i < 6; i++)
        for (int act = 0; act <= 2; act++) {
            nn_op op;
            memset(&op, 0, sizeof op);
            op.type = NN_OP_ADD;
            op.nin = 2;
            op.act = (nn_act)act;
            size_t n = sizes[i];
            float *x = rand_buf(n, -8, 8), *y = rand_buf(n, -8, 8);
            const float *in[2] = {x, y};
            size_t counts[2] = {n, n};
            char what[64];
            snprintf(what, sizeof what, "add n=%zu act %d", n, act);
            compare_all(what, &op, in, counts, 2, n, NULL, 0);
            free(x), free(y);
        }
}

static void test_prelu(void **st)
{
    (void)st;
    int cs[] = {1, 3, 32, 37, 256};
    for (int i = 0; i < 5; i++) {
        nn_op op;
        memset(&op, 0, sizeof op);
        op.type = NN_OP_PRELU;
        op.nin = 2;
        op.g.oc = cs[i];
        size_t rows = (size_t)irand(1, 50), n = rows * cs[i];
        float *x = rand_buf(n, -4, 4), *a = rand_buf((size_t)cs[i], -1, 1);
        x[0] = 0.0f;
        const float *in[2] = {x, a};
        size_t counts[2] = {n, (size_t)cs[i]};
        char what[64];
        snprintf(what, sizeof what, "prelu %zux%d", rows, cs[i]);
        compare_all(what, &op, in, counts, 2, n, NULL, 0);
        free(x), free(a);
    }
}

static void test_logistic(void **st)
{
    (void)st;
    size_t sizes[] = {1, 2, 33, 100};
    for (int i = 0; i < 4; i++) {
        nn_op op;
        memset(&op, 0, sizeof op);
        op.type = NN_OP_LOGISTIC;
        op.nin = 1;
        size_t n = sizes[i];
        float *x = rand_buf(n, -20, 20);
        if (n > 4) {
            x[0] = -100.0f, x[1] = 100.0f, x[2] = 0.0f, x[3] = -87.5f;
        }
        const float *in[1] = {x};
        size_t counts[1] = {n};
        compare_all("logistic", &op, in, counts, 1, n, NULL, 1e-6f);
        free(x);
    }
}

static void pool_case(int ih, int iw, int C, int k, int s, int same)
{
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_MAXPOOL;
    op.nin = 1;
    op.kh = op.kw = k;
    op.sh = op.sw = s;
    op.g = (nn_geom){ih, iw, C, 0, 0, C};
    window(same, ih, k, s, &op.g.oh, &op.pad_t);
    window(same, iw, k, s, &op.g.ow, &op.pad_l);
    size_t nx = (size_t)ih * iw * C, no = (size_t)op.g.oh * op.g.ow * C;
    float *x = rand_buf(nx, -3, 3);
    const float *in[1] = {x};
    size_t counts[1] = {nx};
    compare_all("max_pool", &op, in, counts, 1, no, NULL, 0);
    free(x);
}

static void test_maxpool(void **st)
{
    (void)st;
    pool_case(14, 14, 16, 2, 2, 0);
    pool_case(12, 12, 32, 2, 2, 1);
    pool_case(7, 9, 13, 3, 2, 1);
    pool_case(5, 5, 20, 3, 1, 1);
    pool_case(1, 1, 3, 2, 2, 1);
}

static void pad_case(int ih, int iw, int ic, int pt, int pb, int pl, int pr, int cb, int ca)
{
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_PAD;
    op.nin = 1;
    op.pads[1][0] = pt, op.pads[1][1] = pb, op.pads[2][0] = pl, op.pads[2][1] = pr;
    op.pads[3][0] = cb, op.pads[3][1] = ca;
    op.g = (nn_geom){ih, iw, ic, ih + pt + pb, iw + pl + pr, ic + cb + ca};
    size_t nx = (size_t)ih * iw * ic, no = (size_t)op.g.oh * op.g.ow * op.g.oc;
    float *x = rand_buf(nx, -3, 3);
    const float *in[1] = {x};
    size_t counts[1] = {nx};
    compare_all("pad", &op, in, counts, 1, no, NULL, 0);
    free(x);
}

static void test_pad(void **st)
{
    (void)st;
    pad_case(6, 6, 32, 0, 0, 0, 0, 0, 32); /* the palm channel pad */
    pad_case(5, 6, 7, 1, 2, 0, 3, 2, 1);
    pad_case(1, 1, 1, 0, 0, 0, 0, 0, 0);
    pad_case(3, 4, 19, 2, 0, 1, 1, 0, 5);
}

static void resize_case(int ih, int iw, int C, int oh, int ow, int align, int half)
{
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_RESIZE;
    op.nin = 1;
    op.align_corners = align;
    op.half_pixel = half;
    op.g = (nn_geom){ih, iw, C, oh, ow, C};
    size_t nx = (size_t)ih * iw * C, no = (size_t)oh * ow * C;
    float *x = rand_buf(nx, -3, 3);
    const float *in[1] = {x};
    size_t counts[1] = {nx};
    float *bound = sum_bound(&op, in, counts, 1, no, 4);
    compare_all("resize_bilinear", &op, in, counts, 1, no, bound, 0);
    free(x), free(bound);
}

static void test_resize(void **st)
{
    (void)st;
    resize_case(6, 6, 256, 12, 12, 0, 1);
    resize_case(12, 12, 20, 24, 24, 0, 1);
    resize_case(5, 7, 13, 11, 3, 1, 0);
    resize_case(4, 4, 3, 9, 9, 0, 0);
    resize_case(1, 1, 17, 2, 3, 0, 1);
}

static void test_mean(void **st)
{
    (void)st;
    int shapes[][3] = {{7, 7, 672}, {7, 7, 1152}, {3, 5, 13}, {1, 1, 1}};
    for (int i = 0; i < 4; i++) {
        nn_op op;
        memset(&op, 0, sizeof op);
        op.type = NN_OP_MEAN;
        op.nin = 1;
        op.g = (nn_geom){shapes[i][0], shapes[i][1], shapes[i][2], 1, 1, shapes[i][2]};
        size_t nx = (size_t)shapes[i][0] * shapes[i][1] * shapes[i][2];
        float *x = rand_buf(nx, -3, 3);
        const float *in[1] = {x};
        size_t counts[1] = {nx};
        float *bound = sum_bound(&op, in, counts, 1, (size_t)shapes[i][2], shapes[i][0] * shapes[i][1]);
        compare_all("mean", &op, in, counts, 1, (size_t)shapes[i][2], bound, 0);
        free(x), free(bound);
    }
}

static void test_fc(void **st)
{
    (void)st;
    int shapes[][2] = {{672, 63}, {1152, 1}, {1, 1}, {37, 5}, {17, 40}};
    for (int i = 0; i < 5; i++) {
        int K = shapes[i][0], N = shapes[i][1];
        nn_op op;
        memset(&op, 0, sizeof op);
        op.type = NN_OP_FC;
        op.nin = 3;
        op.in[2] = 2;
        op.gemm_k = K;
        op.gemm_n = N;
        op.act = i == 4 ? NN_ACT_RELU6 : NN_ACT_NONE;
        float *x = rand_buf((size_t)K, -3, 3), *w = rand_buf((size_t)K * N, -1, 1), *b = rand_buf((size_t)N, -1, 1);
        op.bias_padded = b;
        const float *in[3] = {x, w, b};
        size_t counts[3] = {(size_t)K, (size_t)K * N, (size_t)N};
        float *bound = sum_bound(&op, in, counts, 3, (size_t)N, K + 1);
        char what[64];
        snprintf(what, sizeof what, "fully_connected %d -> %d", K, N);
        compare_all(what, &op, in, counts, 3, (size_t)N, bound, 0);
        free(x), free(w), free(b), free(bound);
    }
}

/* CONCATENATION is one copy kernel for every ISA: checked against the
 * expected layout directly. */
static void test_concat(void **st)
{
    (void)st;
    nn_op op;
    memset(&op, 0, sizeof op);
    op.type = NN_OP_CONCAT;
    op.nin = 2;
    op.axis = 1;
    op.outer = 1; /* [1,1152,18] ++ [1,864,18] on axis 1 */
    size_t n0 = 1152 * 18, n1 = 864 * 18;
    float *a = rand_buf(n0, -1, 1), *b = rand_buf(n1, -1, 1), *out = malloc((n0 + n1) * sizeof(float));
    const float *in[2] = {a, b};
    size_t counts[2] = {n0, n1};
    run(nn_table_avx2.fn[NN_OP_CONCAT], &op, in, counts, 2, out, n0 + n1, 3);
    assert_memory_equal(out, a, n0 * sizeof(float));
    assert_memory_equal(out + n0, b, n1 * sizeof(float));
    /* axis 2 of [1,3,4] ++ [1,3,2]: rows interleave */
    op.axis = 2;
    op.outer = 3;
    float x[12], y[6], o[18];
    for (int i = 0; i < 12; i++)
        x[i] = (float)i;
    for (int i = 0; i < 6; i++)
        y[i] = 100.0f + (float)i;
    const float *in2[2] = {x, y};
    size_t c2[2] = {12, 6};
    run(nn_table_ref.fn[NN_OP_CONCAT], &op, in2, c2, 2, o, 18, 2);
    const float want[18] = {0, 1, 2, 3, 100, 101, 4, 5, 6, 7, 102, 103, 8, 9, 10, 11, 104, 105};
    assert_memory_equal(o, want, sizeof want);
    free(a), free(b), free(out);
}

static void test_cpu_env(void **st)
{
    (void)st;
    /* PS_SIMD lowers the level, never raises it */
    setenv("PS_SIMD", "none", 1);
    assert_int_equal(nn_cpu_isa(), NN_ISA_NONE);
    assert_ptr_equal(nn_kernels_for(nn_cpu_isa()), &nn_table_ref);
    setenv("PS_SIMD", "avx2", 1);
    assert_int_equal(nn_cpu_isa(), nn_cpu_has(NN_ISA_AVX2) ? NN_ISA_AVX2 : NN_ISA_NONE);
    unsetenv("PS_SIMD");
    assert_true(nn_cpu_isa() >= (nn_cpu_has(NN_ISA_AVX2) ? NN_ISA_AVX2 : NN_ISA_NONE));
    print_message("cpu: avx2 %s, avx512 %s\n", nn_cpu_has(NN_ISA_AVX2) ? "yes" : "no",
                  nn_cpu_has(NN_ISA_AVX512) ? "yes" : "no");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_env), cmocka_unit_test(test_conv),     cmocka_unit_test(test_dwconv),
        cmocka_unit_test(test_add),     cmocka_unit_test(test_prelu),    cmocka_unit_test(test_logistic),
        cmocka_unit_test(test_maxpool), cmocka_unit_test(test_pad),      cmocka_unit_test(test_resize),
        cmocka_unit_test(test_mean),    cmocka_unit_test(test_fc),       cmocka_unit_test(test_concat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
