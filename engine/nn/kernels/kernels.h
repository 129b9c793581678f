/* Kernel interface: every op has a plain C reference kernel (<op>_ref.c) and
 * fast kernels per ISA (<op>_avx2.c, <op>_avx512.c). A kernel gets the op
 * (validated shapes and options), resolved data pointers and its share:
 * part ith of nth (the executor cuts an op into nth parts, which threads
 * take in any order); it splits the work itself and writes only its share
 * of the output, so threads never race. Kernels never allocate: scratch
 * comes from the session arena, one slot per thread. */
#ifndef PS_NN_KERNELS_H
#define PS_NN_KERNELS_H
#include "nn/model.h"
#include <math.h>

typedef struct nn_args {
    const nn_op *op;
    const float *in[NN_MAX_INPUTS]; /* in[0] data input; conv/dw/fc: in[1] weights, in[2] bias;
                                       fused conv: in[3] skip value, in[4] PRELU alpha */
    size_t in_count[NN_MAX_INPUTS];
    float *out;
    size_t out_count;
    float *scratch;                 /* the calling thread's own scratch (scratch_floats) */
    size_t scratch_floats;
} nn_args;

typedef void (*nn_kernel_fn)(const nn_args *a, int ith, int nth);

typedef struct nn_kernel_table {
    const char *name;               /* "ref", "avx2", "avx512" */
    nn_kernel_fn fn[NN_OP_COUNT];   /* NULL for RESHAPE (a view) */
} nn_kernel_table;

/* CPU feature levels, in increasing order. */
typedef enum nn_isa { NN_ISA_NONE = 0, NN_ISA_AVX2 = 1, NN_ISA_AVX512 = 2 } nn_isa;

/* The best level this CPU supports, lowered by env PS_SIMD=none|avx2|avx512
 * (never raised above what the CPU has). Detected once. */
nn_isa nn_cpu_isa(void);
/* Whether the CPU has the level (ignores PS_SIMD): for tests that run every ISA. */
int nn_cpu_has(nn_isa isa);
const char *nn_isa_name(nn_isa isa);
/* The kernel table for a level (the reference table for NN_ISA_NONE); ops
 * without a kernel of that level fall back to the next lower one. */
const nn_kernel_table *nn_kernels_for(nn_isa isa);
const nn_kernel_table *nn_kernels_ref(void);

/* Per-ISA tables, filled by kernels/table_*.c. */
extern const nn_kernel_table nn_table_ref, nn_table_avx2, nn_table_avx512;

static inline float nn_act_apply(float v, nn_act act)
{
    switch (act) {
    case NN_ACT_RELU: return v < 0.0f ? 0.0f : v;
    case NN_ACT_RELU6: return v < 0.0f ? 0.0f : (v > 6.0f ? 6.0f : v);
    case NN_ACT_RELU_N1_TO_1: return v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    default: return v;
    }
}

/* A conv's value after its fused epilogue (fuse.c): the conv's activation,
 * then the fused ADD of the skip value and its activation, then the fused
 * PRELU with the channel's alpha; in that order, as the unfused ops did. */
static inline float nn_conv_epilogue(const nn_op *op, float v, const float *res, const float *alpha, size_t idx, int c)
{
    v = nn_act_apply(v, op->act);
    if (op->fused_add)
        v = nn_act_apply(v + res[idx], op->res_act);
    if (op->fused_prelu && v < 0.0f)
        v *= alpha[c];
    return v;
}

/* Bounds of the activation as a clamp (lo, hi), for vector code. */
static inline void nn_act_bounds(nn_act act, float *lo, float *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    if (act == NN_ACT_RELU || act == NN_ACT_RELU6)
        *lo = 0.0f;
    if (act == NN_ACT_RELU6)
        *hi = 6.0f;
    if (act == NN_ACT_RELU_N1_TO_1) {
        *lo = -1.0f;
        *hi = 1.0f;
    }
}

/* Contiguous share [lo, hi) of n items for thread ith of nth. */
static inline void nn_share(size_t n, int ith, int nth, size_t *lo, size_t *hi)
{
    *lo = n * (size_t)ith / (size_t)nth;
    *hi = n * (size_t)(ith + 1) / (size_t)nth;
}

/* RESIZE_BILINEAR source indices and weight of output coordinate d
 * (resize_ref.c; the fast kernels use the same). */
void nn_resize_coord(int d, int in, int out, int align_corners, int half_pixel, int *i0, int *i1, float *frac);

/* reference kernels */
void nn_conv_ref(const nn_args *a, int ith, int nth);
void nn_dwconv_ref(const nn_args *a, int ith, int nth);
void nn_add_ref(const nn_args *a, int ith, int nth);
void nn_prelu_ref(const nn_args *a, int ith, int nth);
void nn_maxpool_ref(const nn_args *a, int ith, int nth);
void nn_pad_ref(const nn_args *a, int ith, int nth);
void nn_resize_ref(const nn_args *a, int ith, int nth);
void nn_mean_ref(const nn_args *a, int ith, int nth);
void nn_fc_ref(const nn_args *a, int ith, int nth);
void nn_logistic_ref(const nn_args *a, int ith, int nth);
void nn_concat_ref(const nn_args *a, int ith, int nth);

#define NN_DECLARE_FAST(isa) \
    void nn_conv_##isa(const nn_args *a, int ith, int nth); \
    void nn_conv_own_##isa(const nn_args *a, int ith, int nth); \
    void nn_dwconv_##isa(const nn_args *a, int ith, int nth); \
    void nn_add_##isa(const nn_args *a, int ith, int nth); \
    void nn_prelu_##isa(const nn_args *a, int ith, int nth); \
    void nn_maxpool_##isa(const nn_args *a, int ith, int nth); \
    void nn_pad_##isa(const nn_args *a, int ith, int nth); \
    void nn_resize_##isa(const nn_args *a, int ith, int nth); \
    void nn_mean_##isa(const nn_args *a, int ith, int nth); \
    void nn_fc_##isa(const nn_args *a, int ith, int nth); \
    void nn_logistic_##isa(const nn_args *a, int ith, int nth);
NN_DECLARE_FAST(avx2)
NN_DECLARE_FAST(avx512)

/* CONV_2D 1x1 stride 1 via OpenBLAS cblas_sgemm (conv1x1_blas.c), for 1x1
 * convs with at most NN_BLAS_MAX_N output channels. bench_nn compares it
 * with the own micro-kernel on every 1x1 shape of the four models: the own
 * kernel is 1.7x to 4.4x faster on all of them except the palm head's
 * 576x2x128, where the two tie since the one-vector tile exists (before it,
 * OpenBLAS was 1.5x faster there). OpenBLAS 0.3.21 runs its AVX2 (Haswell)
 * kernels on this AVX-512 CPU. So no shape goes to OpenBLAS today; the
 * threshold stays as the one switch to flip if a CPU or library changes
 * the picture. */
#define NN_BLAS_MAX_N 0
void nn_conv1x1_blas(const nn_args *a, int ith, int nth);


#endif
