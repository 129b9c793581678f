/* MAX_POOL_2D reference: the maximum over the window's positions inside the
 * input (padding never wins, as in TFLite), then the fused activation. */
#include "nn/kernels/kernels.h"

void nn_maxpool_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    const nn_geom *g = &op->g;
    size_t lo, hi;
    nn_share((size_t)g->oh, ith, nth, &lo, &hi);
    for (int oy = (int)lo; oy < (int)hi; oy++)
        for (int ox = 0; ox < g->ow; ox++)
            for (int c = 0; c < g->oc; c++) {
                float m = -INFINITY;
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->sh - op->pad_t + ky;
                    if (iy < 0 || iy >= g->ih)
                        continue;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->sw - op->pad_l + kx;
                        if (ix < 0 || ix >= g->iw)
                            continue;
                        float v = a->in[0][((size_t)iy * g->iw + ix) * g->ic + c];
                        if (v > m)
                            m = v;
                    }
                }
                a->out[((size_t)oy * g->ow + ox) * g->oc + c] = nn_act_apply(m, op->act);
            }
}
