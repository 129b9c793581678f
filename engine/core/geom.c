/* Plane geometry helpers (see geom.h). */
#include "core/geom.h"

float ps_v3_angle_deg(ps_vec3 a, ps_vec3 b)
{
    float la = ps_v3_len(a), lb = ps_v3_len(b);
    if (la == 0 || lb == 0)
        return NAN;
    float c = ps_v3_dot(a, b) / (la * lb);
    if (c > 1)
        c = 1;
    if (c < -1)
        c = -1;
    return acosf(c) * (float)(180.0 / M_PI);
}

float ps_angle_normalize(float a)
{
    const double two_pi = 2 * M_PI;
    return (float)(a - two_pi * floor((a + M_PI) / two_pi));
}

float ps_point_segment_dist(ps_vec2 p, ps_vec2 a, ps_vec2 b, float *t)
{
    ps_vec2 ab = ps_v2_sub(b, a);
    float l2 = ps_v2_dot(ab, ab);
    float u = l2 > 0 ? ps_v2_dot(ps_v2_sub(p, a), ab) / l2 : 0;
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (t)
        *t = u;
    return ps_v2_dist(p, ps_v2_add(a, ps_v2_scale(ab, u)));
}

float ps_rect_iou(ps_rectf a, ps_rectf b)
{
    float ix0 = fmaxf(a.x0, b.x0), iy0 = fmaxf(a.y0, b.y0);
    float ix1 = fminf(a.x1, b.x1), iy1 = fminf(a.y1, b.y1);
    float inter = (ix1 > ix0 && iy1 > iy0) ? (ix1 - ix0) * (iy1 - iy0) : 0;
    float ua = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
    return ua > 0 ? inter / ua : 0;
}
