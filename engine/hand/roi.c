/* Hand ROI geometry (see roi.h). The formulas are those of
 * detections_to_rects_calculator.cc, rect_transformation_calculator.cc and
 * hand_landmarks_to_rect_calculator.cc, written in pixels: MediaPipe works in
 * normalised units but multiplies by the image size wherever geometry
 * matters, so the results are the same. */
#include "hand/roi.h"
#include <float.h>
#include <math.h>

ps_rotrect ps_roi_transform(ps_rotrect r, float scale, float shift_x, float shift_y)
{
    float c = cosf(r.angle), s = sinf(r.angle);
    r.cx += r.w * shift_x * c - r.h * shift_y * s;
    r.cy += r.w * shift_x * s + r.h * shift_y * c;
    float l = fmaxf(r.w, r.h);
    r.w = r.h = l * scale;
    return r;
}

/* rotation = target - atan2(-(y1 - y0), x1 - x0), wrapped to [-pi, pi) */
static float rotation_to(float x0, float y0, float x1, float y1)
{
    return ps_angle_normalize((float)(M_PI / 2) - atan2f(-(y1 - y0), x1 - x0));
}

ps_rotrect ps_roi_from_palm(const ps_palm_det *d)
{
    ps_rotrect r;
    r.cx = (d->x0 + d->x1) * 0.5f;
    r.cy = (d->y0 + d->y1) * 0.5f;
    r.w = d->x1 - d->x0;
    r.h = d->y1 - d->y0;
    r.angle = rotation_to(d->kp[0][0], d->kp[0][1], d->kp[2][0], d->kp[2][1]);
    return ps_roi_transform(r, 2.6f, 0.0f, -0.5f);
}

ps_rotrect ps_roi_from_landmarks(const float lm[PS_HAND_NLM][3])
{
    static const int sel[12] = {0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18};
    /* direction: wrist to the mean of (index MCP + ring MCP)/2 and middle MCP */
    float px = ((lm[5][0] + lm[13][0]) * 0.5f + lm[9][0]) * 0.5f;
    float py = ((lm[5][1] + lm[13][1]) * 0.5f + lm[9][1]) * 0.5f;
    float rot = rotation_to(lm[0][0], lm[0][1], px, py);

    float xmin = FLT_MAX, xmax = -FLT_MAX, ymin = FLT_MAX, ymax = -FLT_MAX;
    for (int i = 0; i < 12; i++) {
        xmin = fminf(xmin, lm[sel[i]][0]);
        xmax = fmaxf(xmax, lm[sel[i]][0]);
        ymin = fminf(ymin, lm[sel[i]][1]);
        ymax = fmaxf(ymax, lm[sel[i]][1]);
    }
    float acx = (xmin + xmax) * 0.5f, acy = (ymin + ymax) * 0.5f;
    /* rotate about the axis-aligned centre by -rot; MediaPipe starts its max
       accumulators at FLT_MIN (a tiny positive number), kept here on purpose */
    float c = cosf(-rot), s = sinf(-rot);
    float qxmin = FLT_MAX, qxmax = FLT_MIN, qymin = FLT_MAX, qymax = FLT_MIN;
    for (int i = 0; i < 12; i++) {
        float ox = lm[sel[i]][0] - acx, oy = lm[sel[i]][1] - acy;
        float qx = ox * c - oy * s, qy = ox * s + oy * c;
        qxmin = fminf(qxmin, qx);
        qxmax = fmaxf(qxmax, qx);
        qymin = fminf(qymin, qy);
        qymax = fmaxf(qymax, qy);
    }
    float pcx = (qxmin + qxmax) * 0.5f, pcy = (qymin + qymax) * 0.5f;
    float cr = cosf(rot), sr = sinf(rot);
    ps_rotrect r;
    r.cx = pcx * cr - pcy * sr + acx;
    r.cy = pcx * sr + pcy * cr + acy;
    r.w = qxmax - qxmin;
    r.h = qymax - qymin;
    r.angle = rot;
    return ps_roi_transform(r, 2.0f, 0.0f, -0.1f);
}

float ps_roi_iou(ps_rotrect a, ps_rotrect b)
{
    ps_rectf ra = {a.cx - a.w / 2, a.cy - a.h / 2, a.cx + a.w / 2, a.cy + a.h / 2};
    ps_rectf rb = {b.cx - b.w / 2, b.cy - b.h / 2, b.cx + b.w / 2, b.cy + b.h / 2};
    return ps_rect_iou(ra, rb);
}

void ps_roi_associate(ps_rotrect *list, int *n, int cap, const ps_rotrect *add, int nadd, float min_iou)
{
    for (int i = 0; i < nadd; i++) {
        int k = 0;
        for (int j = 0; j < *n; j++)
            if (!(ps_roi_iou(list[j], add[i]) > min_iou))
                list[k++] = list[j];
        *n = k;
        if (*n < cap)
            list[(*n)++] = add[i];
    }
}
