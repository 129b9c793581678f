/* DEPTHWISE_CONV_2D reference (depth multiplier 1): weights [1,kh,kw,C],
 * taps outside the input contribute nothing (zero padding). Threads split
 * output rows. */
#include "nn/kernels/kernels.h"

void nn_dwconv_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    const nn_geom *g = &op->g;
    const float *x = a->in[0], *w = a->in[1], *bias = op->bias_padded;
    int C = g->oc;
    size_t lo, hi;
    nn_share((size_t)g->oh, ith, nth, &lo, &hi);
    for (int oy = (int)lo; oy < (int)hi; oy++)
        for (int ox = 0; ox < g->ow; ox++) {
            float *o = a->out + ((size_t)oy * g->ow + ox) * C;
            for (int c = 0; c < C; c++) {
                float s = bias[c];
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->sh - op->pad_t + ky;
                    if (iy < 0 || iy >= g->ih)
                        continue;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->sw - op->pad_l + kx;
                        if (ix < 0 || ix >= g->iw)
                            continue;
                        s += x[((size_t)iy * g->iw + ix) * C + c] * w[((size_t)ky * op->kw + kx) * C + c];
                    }
                }
                o[c] = nn_act_apply(s, op->act);
            }
        }
}
