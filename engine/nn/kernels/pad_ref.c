/* PAD reference: zero fill around the input in H, W and C (batch 1). */
#include "nn/kernels/kernels.h"

void nn_pad_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    const nn_geom *g = &op->g;
    size_t lo, hi;
    nn_share((size_t)g->oh, ith, nth, &lo, &hi);
    for (int oy = (int)lo; oy < (int)hi; oy++)
        for (int ox = 0; ox < g->ow; ox++)
            for (int c = 0; c < g->oc; c++) {
                int iy = oy - op->pads[1][0], ix = ox - op->pads[2][0], ic = c - op->pads[3][0];
                float v = 0.0f;
                if (iy >= 0 && iy < g->ih && ix >= 0 && ix < g->iw && ic >= 0 && ic < g->ic)
                    v = a->in[0][((size_t)iy * g->iw + ix) * g->ic + ic];
                a->out[((size_t)oy * g->ow + ox) * g->oc + c] = v;
            }
}
