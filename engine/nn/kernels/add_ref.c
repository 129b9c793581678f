/* ADD reference: same-shape elementwise sum with the fused activation. */
#include "nn/kernels/kernels.h"

void nn_add_ref(const nn_args *a, int ith, int nth)
{
    size_t lo, hi;
    nn_share(a->out_count, ith, nth, &lo, &hi);
    const float *x = a->in[0], *y = a->in[1];
    for (size_t i = lo; i < hi; i++)
        a->out[i] = nn_act_apply(x[i] + y[i], a->op->act);
}
