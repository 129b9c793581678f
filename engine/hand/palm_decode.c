/* Palm detector decoding and weighted non-maximum suppression
 * (TensorsToDetectionsCalculator and NonMaxSuppressionCalculator options of
 * palm_detection_cpu.pbtxt; reference/mediapipe-hands.md §2.3-2.5). */
#include "hand/palm.h"
#include <math.h>
#include <stdlib.h>

int ps_palm_decode(const float *regressors, const float *logits, const ps_palm_anchor *anchors,
                   float min_score, ps_palm_det *cand)
{
    const float inv = 1.0f / PS_PALM_INPUT;
    int n = 0;
    for (int i = 0; i < PS_PALM_ANCHORS; i++) {
        float logit = logits[i];
        if (!(logit == logit)) /* NaN never passes */
            continue;
        logit = logit < -100.f ? -100.f : logit > 100.f ? 100.f : logit;
        float score = 1.0f / (1.0f + expf(-logit));
        if (score < min_score)
            continue;
        const float *r = regressors + (size_t)i * PS_PALM_COORDS;
        float ax = anchors[i].x, ay = anchors[i].y;
        float xc = r[0] * inv + ax, yc = r[1] * inv + ay;
        float w = r[2] * inv, h = r[3] * inv;
        if (!(w >= 0) || !(h >= 0)) /* negative or NaN size (zero is kept, as MediaPipe does) */
            continue;
        ps_palm_det *d = &cand[n++];
        d->score = score;
        d->x0 = xc - w / 2;
        d->y0 = yc - h / 2;
        d->x1 = xc + w / 2;
        d->y1 = yc + h / 2;
        for (int k = 0; k < PS_PALM_KEYPOINTS; k++) {
            d->kp[k][0] = r[4 + 2 * k] * inv + ax;
            d->kp[k][1] = r[5 + 2 * k] * inv + ay;
        }
    }
    return n;
}

static int by_score_desc(const void *pa, const void *pb)
{
    const ps_palm_det *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    /* equal scores: keep a deterministic order (by position) */
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

static float box_iou(const ps_palm_det *a, const ps_palm_det *b)
{
    float ix = fminf(a->x1, b->x1) - fmaxf(a->x0, b->x0);
    float iy = fminf(a->y1, b->y1) - fmaxf(a->y0, b->y0);
    float inter = ix > 0 && iy > 0 ? ix * iy : 0;
    float uni = (a->x1 - a->x0) * (a->y1 - a->y0) + (b->x1 - b->x0) * (b->y1 - b->y0) - inter;
    return uni > 0 ? inter / uni : 0;
}

int ps_palm_nms(ps_palm_det *cand, int n, float iou_thresh, ps_palm_det *out, int cap)
{
    qsort(cand, (size_t)n, sizeof *cand, by_score_desc);
    /* a removed candidate gets score -1; the list stays sorted for the rest */
    int nout = 0, remaining = n;
    for (int top = 0; top < n && nout < cap && remaining > 0; top++) {
        if (cand[top].score < 0)
            continue;
        ps_palm_det t = cand[top];
        double wsum = 0, box[4] = {0}, kp[PS_PALM_KEYPOINTS][2] = {{0}};
        int merged = 0;
        for (int i = top; i < n; i++) {
            ps_palm_det *c = &cand[i];
            if (c->score < 0 || !(box_iou(c, &t) > iou_thresh))
                continue;
            double s = c->score;
            wsum += s;
            box[0] += s * c->x0;
            box[1] += s * c->y0;
            box[2] += s * c->x1;
            box[3] += s * c->y1;
            for (int k = 0; k < PS_PALM_KEYPOINTS; k++) {
                kp[k][0] += s * c->kp[k][0];
                kp[k][1] += s * c->kp[k][1];
            }
            c->score = -1;
            merged++;
        }
        ps_palm_det *o = &out[nout++];
        if (merged == 0) { /* a zero-area box overlaps nothing, not even itself:
                              MediaPipe emits it unchanged and stops */
            *o = t;
            break;
        }
        remaining -= merged;
        o->score = t.score;
        o->x0 = (float)(box[0] / wsum);
        o->y0 = (float)(box[1] / wsum);
        o->x1 = (float)(box[2] / wsum);
        o->y1 = (float)(box[3] / wsum);
        for (int k = 0; k < PS_PALM_KEYPOINTS; k++) {
            o->kp[k][0] = (float)(kp[k][0] / wsum);
            o->kp[k][1] = (float)(kp[k][1] / wsum);
        }
    }
    return nout;
}

ps_palm_view ps_palm_view_letterbox(int width, int height, float zoom_out)
{
    ps_palm_view v;
    v.cx = width * 0.5f;
    v.cy = height * 0.5f;
    v.side = (float)(width > height ? width : height) * (zoom_out > 0 ? zoom_out : 1.0f);
    return v;
}

void ps_palm_view_map(const ps_palm_view *v, ps_palm_det *d)
{
    /* letterbox removal of §2.5, written for any square view: x' = cx + (x - 0.5) * side */
    float ox = v->cx - 0.5f * v->side, oy = v->cy - 0.5f * v->side, s = v->side;
    d->x0 = ox + d->x0 * s;
    d->x1 = ox + d->x1 * s;
    d->y0 = oy + d->y0 * s;
    d->y1 = oy + d->y1 * s;
    for (int k = 0; k < PS_PALM_KEYPOINTS; k++) {
        d->kp[k][0] = ox + d->kp[k][0] * s;
        d->kp[k][1] = oy + d->kp[k][1] * s;
    }
}
