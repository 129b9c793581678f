/* The two model steps: palm detection on a square view, landmarks on a
 * rotated ROI (reference/mediapipe-hands.md §2.1-2.8). */
#include "hand/session.h"
#include "hand/crop.h"
#include "hand/landmark.h"

ps_status ps_hand_palm_run(ps_session_t *s, const ps_image *img, ps_palm_view view, float min_score,
                           ps_palm_det *out, int cap, int *count)
{
    *count = 0;
    float *in = ps_nn_session_input(s->palm, 0);
    ps_rotrect sq = {view.cx, view.cy, view.side, view.side, 0};
    ps_crop_to_tensor(img, sq, PS_PALM_INPUT, PS_CROP_ZERO, in);
    ps_status rc = ps_nn_session_run(s->palm);
    if (rc != PS_OK)
        return ps_errbuf_take(&s->err, rc);
    size_t n0 = 0, n1 = 0;
    const float *reg = ps_nn_session_output(s->palm, 0, &n0);
    const float *logit = ps_nn_session_output(s->palm, 1, &n1);
    if (!reg || !logit || n0 != (size_t)PS_PALM_ANCHORS * PS_PALM_COORDS || n1 != PS_PALM_ANCHORS)
        return ps_errbuf_fail(&s->err, PS_ERR_INTERNAL, "palm detector outputs have unexpected sizes");
    int n = ps_palm_decode(reg, logit, s->eng->anchors, min_score, s->cand);
    int m = ps_palm_nms(s->cand, n, 0.3f, out, cap);
    for (int i = 0; i < m; i++)
        ps_palm_view_map(&view, &out[i]);
    *count = m;
    return PS_OK;
}

ps_status ps_hand_landmark_run(ps_session_t *s, const ps_image *img, ps_rotrect roi, int mirrored, ps_hand *h)
{
    float *in = ps_nn_session_input(s->landmark, 0);
    ps_crop_to_tensor(img, roi, PS_LANDMARK_INPUT, PS_CROP_REPLICATE, in);
    ps_status rc = ps_nn_session_run(s->landmark);
    if (rc != PS_OK)
        return ps_errbuf_take(&s->err, rc);
    size_t n[4] = {0};
    const float *o[4];
    for (int i = 0; i < 4; i++)
        o[i] = ps_nn_session_output(s->landmark, i, &n[i]);
    if (!o[0] || !o[1] || !o[2] || !o[3] || n[0] != 63 || n[1] != 1 || n[2] != 1 || n[3] != 63)
        return ps_errbuf_fail(&s->err, PS_ERR_INTERNAL, "landmark model outputs have unexpected sizes");
    float (*lm)[3] = h->landmarks;
    ps_landmarks_project(o[0], roi, lm);
    ps_world_landmarks_project(o[3], roi.angle, h->world);
    h->score = o[1][0] == o[1][0] ? o[1][0] : 0; /* already a sigmoid inside the model */
    h->handedness = (ps_handedness)ps_handedness_from_model(o[2][0], mirrored, &h->handedness_score);
    h->roi = (ps_hand_roi){roi.cx, roi.cy, roi.w, roi.h, roi.angle};
    return PS_OK;
}
