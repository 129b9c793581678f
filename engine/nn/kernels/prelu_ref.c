/* PRELU reference: x >= 0 ? x : alpha[c] * x, alpha per channel (last dim). */
#include "nn/kernels/kernels.h"

void nn_prelu_ref(const nn_args *a, int ith, int nth)
{
    size_t C = (size_t)a->op->g.oc, rows = a->out_count / C, lo, hi;
    nn_share(rows, ith, nth, &lo, &hi);
    const float *alpha = a->in[1];
    for (size_t r = lo; r < hi; r++)
        for (size_t c = 0; c < C; c++) {
            float v = a->in[0][r * C + c];
            a->out[r * C + c] = v >= 0.0f ? v : alpha[c] * v;
        }
}
