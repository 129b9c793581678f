/* MEAN over H and W reference: per channel, the sum in row-major order
 * divided by H*W. Threads split channels. */
#include "nn/kernels/kernels.h"

void nn_mean_ref(const nn_args *a, int ith, int nth)
{
    const nn_geom *g = &a->op->g;
    size_t lo, hi, n = (size_t)g->ih * g->iw;
    nn_share((size_t)g->ic, ith, nth, &lo, &hi);
    for (size_t c = lo; c < hi; c++) {
        float s = 0.0f;
        for (size_t p = 0; p < n; p++)
            s += a->in[0][p * g->ic + c];
        a->out[c] = s / (float)n;
    }
}
