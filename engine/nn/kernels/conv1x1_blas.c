/* CONV_2D 1x1 stride 1 through OpenBLAS: C = bias (broadcast rows), then
 * cblas_sgemm(C += A * W^T) on this thread's block of rows, with A the NHWC
 * input [M x K] and W the OHWI weights [N x K] (CblasTrans), then the fused
 * activation. The fast conv kernels send 1x1 convs with N <= NN_BLAS_MAX_N
 * here (kernels.h says why that is none today); bench_nn times it against
 * the own kernel and test_nn_kernels checks it against the reference. */
#include "nn/kernels/kernels.h"
#include <cblas.h>
#include <string.h>

void nn_conv1x1_blas(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    int M = op->g.oh * op->g.ow, N = op->gemm_n, K = op->gemm_k;
    size_t lo, hi;
    nn_share((size_t)M, ith, nth, &lo, &hi);
    if (lo >= hi)
        return;
    float *C = a->out + lo * (size_t)N;
    const float *bias = op->bias_padded;
    for (size_t r = lo; r < hi; r++)
        memcpy(a->out + r * (size_t)N, bias, (size_t)N * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)(hi - lo), N, K, 1.0f, a->in[0] + lo * (size_t)K, K,
                a->in[1], K, 1.0f, C, N);
    if (op->act != NN_ACT_NONE || op->fused_add || op->fused_prelu)
        for (size_t i = 0; i < (hi - lo) * (size_t)N; i++)
            C[i] = nn_conv_epilogue(op, C[i], a->in[3], a->in[4], lo * (size_t)N + i, (int)(i % (size_t)N));
}
