/* The MediaPipe Hands graph (hand_landmark_tracking_cpu.pbtxt) for photos and
 * video frames, with the grip-view search as a fallback (DESIGN.md §5). */
#include "hand/session.h"
#include "hand/reduce.h"
#include <stdbool.h>
#include <string.h>

#define ASSOCIATION_IOU 0.5f  /* AssociationNormRectCalculator min_similarity_threshold */

static ps_status check_args(ps_session_t *s, const ps_image *img, const ps_hands_params *p,
                            ps_hands_result *out)
{
    if (!s)
        return ps_fail(PS_ERR_INVALID_ARG, "hands: session is NULL");
    if (!img || !img->data || !p || !out)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "hands: NULL argument");
    if (img->width <= 0 || img->height <= 0 || img->width > (1 << 16) || img->height > (1 << 16) ||
        (img->channels != 1 && img->channels != 3 && img->channels != 4) ||
        img->stride < (size_t)img->width * img->channels)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "hands: bad image %dx%dx%d", img->width,
                              img->height, img->channels);
    if (p->max_hands < 1 || p->max_hands > PS_HANDS_MAX)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "hands: max_hands must be 1..%d, not %d",
                              PS_HANDS_MAX, p->max_hands);
    if (!(p->min_detection >= 0 && p->min_detection <= 1) || !(p->min_presence >= 0 && p->min_presence <= 1))
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "hands: thresholds must be in [0, 1]");
    memset(out, 0, sizeof *out);
    return PS_OK;
}

/* One pass of the graph: palm rects (unless skipped) associated with the
 * tracked rects, then the landmark model on each. Hands whose presence is
 * above the threshold are appended to out. */
static ps_status run_graph(ps_session_t *s, const ps_image *img, const ps_hands_params *p, bool detect,
                           const ps_rotrect *prev, int nprev, ps_hands_result *out)
{
    ps_rotrect rects[2 * PS_HANDS_MAX];
    ps_hand_source from[2 * PS_HANDS_MAX];
    float palm_score[2 * PS_HANDS_MAX];
    int n = 0;
    if (detect) {
        ps_palm_det dets[PS_HANDS_MAX];
        ps_palm_view v = ps_palm_view_letterbox(img->width, img->height, 1.0f);
        int nd;
        ps_status rc = ps_hand_palm_run(s, img, v, p->min_detection, dets, p->max_hands, &nd);
        out->palm_runs++;
        if (rc != PS_OK)
            return rc;
        ps_rotrect palm_rects[PS_HANDS_MAX];
        for (int i = 0; i < nd; i++)
            palm_rects[i] = ps_roi_from_palm(&dets[i]);
        /* association within the palm rects, then the tracked ones win; a
           parallel pass keeps the provenance of each surviving rect */
        for (int i = 0; i < nd; i++) {
            int k = 0;
            for (int j = 0; j < n; j++)
                if (!(ps_roi_iou(rects[j], palm_rects[i]) > ASSOCIATION_IOU)) {
                    rects[k] = rects[j];
                    from[k] = from[j];
                    palm_score[k++] = palm_score[j];
                }
            n = k;
            rects[n] = palm_rects[i];
            from[n] = PS_HAND_FROM_PALM;
            palm_score[n++] = dets[i].score;
        }
    }
    for (int i = 0; i < nprev; i++) {
        int k = 0;
        for (int j = 0; j < n; j++)
            if (!(ps_roi_iou(rects[j], prev[i]) > ASSOCIATION_IOU)) {
                rects[k] = rects[j];
                from[k] = from[j];
                palm_score[k++] = palm_score[j];
            }
        n = k;
        rects[n] = prev[i];
        from[n] = PS_HAND_FROM_TRACKING;
        palm_score[n++] = 0;
    }
    for (int i = 0; i < n && out->count < p->max_hands; i++) {
        ps_hand *h = &out->hands[out->count];
        ps_status rc = ps_hand_landmark_run(s, img, rects[i], p->mirrored, h);
        out->landmark_runs++;
        if (rc != PS_OK)
            return rc;
        if (!(h->score > p->min_presence))
            continue;
        h->source = from[i];
        h->palm_score = palm_score[i];
        out->count++;
    }
    return PS_OK;
}

static ps_status grip_fallback(ps_session_t *s, const ps_image *img, const ps_hands_params *p,
                               const ps_rotrect *prior, int nprior, ps_hands_result *out)
{
    int n = 0;
    ps_status rc = ps_hand_grip_search(s, img, p, prior, nprior, out->hands + out->count, p->max_hands - out->count,
                                       &n, out);
    out->count += n;
    return rc;
}

/* Hands found on a reduced working copy, mapped to the caller's pixels. */
static void unreduce_hands(ps_hands_result *out, int scale)
{
    if (scale == 1)
        return;
    for (int i = 0; i < out->count; i++) {
        ps_hand *h = &out->hands[i];
        for (int k = 0; k < PS_HAND_LANDMARKS; k++) {
            h->landmarks[k][0] = ps_hand_unreduce(h->landmarks[k][0], scale);
            h->landmarks[k][1] = ps_hand_unreduce(h->landmarks[k][1], scale);
            h->landmarks[k][2] *= scale;
        }
        h->roi.cx = ps_hand_unreduce(h->roi.cx, scale);
        h->roi.cy = ps_hand_unreduce(h->roi.cy, scale);
        h->roi.w *= scale;
        h->roi.h *= scale;
    }
}

ps_status ps_hands_detect(ps_session_t *s, const ps_image *img, const ps_hands_params *p, ps_hands_result *out)
{
    ps_status rc = check_args(s, img, p, out);
    if (rc != PS_OK)
        return rc;
    ps_image work;
    int scale;
    if ((rc = ps_hand_reduce(img, &s->reduced, &work, &scale)) != PS_OK)
        return ps_errbuf_take(&s->err, rc);
    rc = run_graph(s, &work, p, true, NULL, 0, out);
    if (rc == PS_OK && out->count == 0 && p->grip_search)
        rc = grip_fallback(s, &work, p, NULL, 0, out);
    unreduce_hands(out, scale);
    return rc;
}

ps_status ps_hands_track(ps_session_t *s, const ps_image *frame, const ps_hands_params *p, ps_hands_result *out)
{
    ps_status rc = check_args(s, frame, p, out);
    if (rc != PS_OK)
        return rc;
    if (frame->width != s->track_w || frame->height != s->track_h) {
        ps_hands_track_reset(s);
        s->track_w = frame->width;
        s->track_h = frame->height;
    }
    ps_image work;
    int scale;
    if ((rc = ps_hand_reduce(frame, &s->reduced, &work, &scale)) != PS_OK)
        return ps_errbuf_take(&s->err, rc);
    frame = &work; /* tracked ROIs live in the working copy's pixels */
    int nprev = s->ntracked < p->max_hands ? s->ntracked : p->max_hands;
    /* NormalizedRectVectorHasMinSize: the detector runs while fewer hands than
       max_hands are tracked; redetect_frames spaces those runs out */
    bool detect = nprev < p->max_hands &&
                  (nprev == 0 || p->redetect_frames <= 0 || s->frames_since_detect + 1 >= p->redetect_frames);
    rc = run_graph(s, frame, p, detect, s->tracked, nprev, out);
    if (detect)
        s->frames_since_detect = 0;
    else
        s->frames_since_detect++;
    s->frames_since_search++;
    if (rc == PS_OK && out->count == 0 && p->grip_search &&
        (p->redetect_frames <= 0 || s->frames_since_search >= p->redetect_frames)) {
        s->frames_since_search = 0;
        rc = grip_fallback(s, frame, p, s->tracked, nprev, out);
    }
    s->ntracked = 0;
    if (rc != PS_OK)
        return rc;
    for (int i = 0; i < out->count; i++)
        s->tracked[s->ntracked++] = ps_roi_from_landmarks((const float(*)[3])out->hands[i].landmarks);
    unreduce_hands(out, scale);
    return PS_OK;
}
