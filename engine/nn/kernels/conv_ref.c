/* CONV_2D reference: a direct loop over OHWI weights with TFLite's
 * (asymmetric) SAME padding already resolved into pad_t/pad_l. Sums in
 * float in the natural (ky, kx, ci) order, then the fused activation and
 * any fused ADD/PRELU epilogue. Threads split output rows. */
#include "nn/kernels/kernels.h"

void nn_conv_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    const nn_geom *g = &op->g;
    const float *x = a->in[0], *w = a->in[1], *bias = op->in[2] >= 0 ? a->in[2] : NULL;
    size_t lo, hi;
    nn_share((size_t)g->oh, ith, nth, &lo, &hi);
    for (int oy = (int)lo; oy < (int)hi; oy++)
        for (int ox = 0; ox < g->ow; ox++) {
            float *o = a->out + ((size_t)oy * g->ow + ox) * g->oc;
            for (int co = 0; co < g->oc; co++) {
                float s = bias ? bias[co] : 0.0f;
                const float *wc = w + (size_t)co * op->kh * op->kw * g->ic;
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->sh - op->pad_t + ky;
                    if (iy < 0 || iy >= g->ih)
                        continue;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->sw - op->pad_l + kx;
                        if (ix < 0 || ix >= g->iw)
                            continue;
                        const float *xi = x + ((size_t)iy * g->iw + ix) * g->ic;
                        const float *wk = wc + ((size_t)ky * op->kw + kx) * g->ic;
                        for (int ci = 0; ci < g->ic; ci++)
                            s += xi[ci] * wk[ci];
                    }
                }
                o[co] = nn_conv_epilogue(op, s, a->in[3], a->in[4], ((size_t)oy * g->ow + ox) * g->oc + co, co);
            }
        }
}
