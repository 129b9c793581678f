/* LOGISTIC reference: 1 / (1 + exp(-x)), in double for a clean reference. */
#include "nn/kernels/kernels.h"

void nn_logistic_ref(const nn_args *a, int ith, int nth)
{
    size_t lo, hi;
    nn_share(a->out_count, ith, nth, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        a->out[i] = (float)(1.0 / (1.0 + exp(-(double)a->in[0][i])));
}
