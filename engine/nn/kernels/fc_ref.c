/* FULLY_CONNECTED reference: out[n] = bias[n] + sum_k W[n][k] x[k]. */
#include "nn/kernels/kernels.h"

void nn_fc_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    size_t lo, hi, K = (size_t)op->gemm_k;
    nn_share((size_t)op->gemm_n, ith, nth, &lo, &hi);
    for (size_t n = lo; n < hi; n++) {
        float s = op->bias_padded[n];
        for (size_t k = 0; k < K; k++)
            s += a->in[1][n * K + k] * a->in[0][k];
        a->out[n] = nn_act_apply(s, op->act);
    }
}
