/* RESIZE_BILINEAR reference, following TFLite's reference kernel: the
 * source coordinate is (d + 0.5) * scale - 0.5 with half-pixel centres
 * (d * scale otherwise), the lower index is clamped at 0 and the upper at
 * in - 1, and the weight comes from the distance to the clamped lower index. */
#include "nn/kernels/kernels.h"

void nn_resize_coord(int d, int in, int out, int align_corners, int half_pixel, int *i0, int *i1, float *frac)
{
    float scale = (align_corners && out > 1) ? (float)(in - 1) / (float)(out - 1) : (float)in / (float)out;
    float s = half_pixel ? ((float)d + 0.5f) * scale - 0.5f : (float)d * scale;
    int lo = (int)floorf(s), hi = (int)ceilf(s);
    *i0 = lo < 0 ? 0 : lo;
    *i1 = hi > in - 1 ? in - 1 : hi;
    *frac = s - (float)*i0;
}

void nn_resize_ref(const nn_args *a, int ith, int nth)
{
    const nn_op *op = a->op;
    const nn_geom *g = &op->g;
    size_t lo, hi;
    nn_share((size_t)g->oh, ith, nth, &lo, &hi);
    const float *x = a->in[0];
    for (int oy = (int)lo; oy < (int)hi; oy++) {
        int y0, y1;
        float fy;
        nn_resize_coord(oy, g->ih, g->oh, op->align_corners, op->half_pixel, &y0, &y1, &fy);
        for (int ox = 0; ox < g->ow; ox++) {
            int x0, x1;
            float fx;
            nn_resize_coord(ox, g->iw, g->ow, op->align_corners, op->half_pixel, &x0, &x1, &fx);
            for (int c = 0; c < g->oc; c++) {
                float v00 = x[((size_t)y0 * g->iw + x0) * g->ic + c], v01 = x[((size_t)y0 * g->iw + x1) * g->ic + c];
                float v10 = x[((size_t)y1 * g->iw + x0) * g->ic + c], v11 = x[((size_t)y1 * g->iw + x1) * g->ic + c];
                a->out[((size_t)oy * g->ow + ox) * g->oc + c] =
                    v00 * (1 - fy) * (1 - fx) + v10 * fy * (1 - fx) + v01 * (1 - fy) * fx + v11 * fy * fx;
            }
        }
    }
}
