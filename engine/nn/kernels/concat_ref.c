/* CONCATENATION (all ISAs): for each outer index (the dims before the
 * axis), copies each input's contiguous slab in turn. Threads split the
 * outer indices. A plain copy is already as fast as it gets, so the fast
 * tables use this kernel too. */
#include "nn/kernels/kernels.h"
#include <string.h>

void nn_concat_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    size_t outer = (size_t)op->outer, row = a->out_count / outer, lo, hi;
    nn_share(outer, ith, nth, &lo, &hi);
    for (size_t o = lo; o < hi; o++) {
        float *dst = a->out + o * row;
        for (int i = 0; i < op->nin; i++) {
            size_t chunk = a->in_count[i] / outer;
            memcpy(dst, a->in[i] + o * chunk, chunk * sizeof(float));
            dst += chunk;
        }
    }
}
