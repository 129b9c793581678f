/* Video aggregates of METRICS.md §1 over per-frame grip results: pure
 * functions of the frame records, so they are tested on synthetic sequences.
 *
 * Choices (documented in the README as METRICS.md asks):
 * - mature_grasp_pct counts frames with a known grasp only;
 * - grasp_changes counts switches of the stable grasp: a grasp becomes stable
 *   once held for min_change_s; frames with an unknown grasp neither break
 *   nor make a hold;
 * - the pencil angle SD is circular (angles wrap at +-180);
 * - movement: between consecutive frames with hand and pencil, the hand's
 *   own motion is the least-squares similarity transform of landmarks 0, 5,
 *   9, 13, 17; the tip's path splits into the part carried by that transform
 *   (split again into the wrist's translation = arm, and the rotation/scale
 *   about the wrist = wrist) and the rest, the tip moving in the hand's frame
 *   = fingers. finger_movement_ratio = fingers / (fingers + carried);
 * - grasp_mode is static_tripod when the most frequent grasp is a tripod and
 *   the movement comes from the wrist or arm, not the fingers. */
#include "grip/grip_internal.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

void ps_grip_frame_from_result(ps_grip_frame *f, double t_s, int hand_found, const float (*lm)[3],
                               const ps_grip_result *r)
{
    memset(f, 0, sizeof *f);
    f->t_s = t_s;
    f->hand_found = hand_found && lm;
    f->pencil_found = r && r->pencil_found;
    f->grasp = r ? r->grasp : PS_GRASP_UNKNOWN;
    f->grip_distance_mm = r ? r->grip_distance_mm : NAN;
    f->pencil_angle_deg = f->pencil_found ? r->pencil_angle_deg : NAN;
    f->tip[0] = f->pencil_found ? r->pencil.tip[0] : NAN;
    f->tip[1] = f->pencil_found ? r->pencil.tip[1] : NAN;
    static const int pts[5] = {LM_WRIST, LM_INDEX_MCP, LM_MIDDLE_MCP, LM_RING_MCP, LM_LITTLE_MCP};
    for (int i = 0; i < 5; i++) {
        f->hand_pts[i][0] = lm ? lm[pts[i]][0] : NAN;
        f->hand_pts[i][1] = lm ? lm[pts[i]][1] : NAN;
    }
}

/* Least-squares similarity (scale-rotation a,b and translation) mapping
 * points p to q: q ~ [a -b; b a] p + t. Returns 0 when degenerate. */
static int similarity(const float (*p)[2], const float (*q)[2], int n, float *a, float *b, float *tx, float *ty)
{
    float mpx = 0, mpy = 0, mqx = 0, mqy = 0;
    for (int i = 0; i < n; i++)
        mpx += p[i][0] / n, mpy += p[i][1] / n, mqx += q[i][0] / n, mqy += q[i][1] / n;
    float sxx = 0, sab = 0, sba = 0;
    for (int i = 0; i < n; i++) {
        float px = p[i][0] - mpx, py = p[i][1] - mpy, qx = q[i][0] - mqx, qy = q[i][1] - mqy;
        sxx += px * px + py * py;
        sab += px * qx + py * qy;
        sba += px * qy - py * qx;
    }
    if (!(sxx > 1e-6f))
        return 0;
    *a = sab / sxx;
    *b = sba / sxx;
    *tx = mqx - (*a * mpx - *b * mpy);
    *ty = mqy - (*b * mpx + *a * mpy);
    return 1;
}

static int frame_ok(const ps_grip_frame *f)
{
    if (!f->hand_found || !f->pencil_found || !isfinite(f->tip[0]) || !isfinite(f->tip[1]))
        return 0;
    for (int i = 0; i < 5; i++)
        if (!isfinite(f->hand_pts[i][0]) || !isfinite(f->hand_pts[i][1]))
            return 0;
    return 1;
}

ps_status ps_grip_video_aggregate(const ps_grip_frame *fr, size_t n, const ps_grip_thresholds_t *th,
                                  ps_grip_video_result *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip video: result is NULL");
    memset(out, 0, sizeof *out);
    out->hand_found_pct = out->mature_grasp_pct = NAN;
    out->grip_distance_mm_mean = out->grip_distance_mm_sd = out->pencil_angle_sd_deg = NAN;
    out->finger_movement_ratio = out->wrist_movement_ratio = NAN;
    if (!th || (n && !fr))
        return ps_fail(PS_ERR_INVALID_ARG, "grip video: thresholds or frames are NULL");
    out->frames = (int64_t)n;
    if (!n)
        return PS_OK;
    for (size_t i = 1; i < n; i++)
        if (!(fr[i].t_s >= fr[i - 1].t_s))
            return ps_fail(PS_ERR_INVALID_ARG, "grip video: frame %zu is out of time order", i);
    size_t hands = 0, known = 0, mature = 0, counts[PS_GRASP_COUNT] = {0};
    double gd_sum = 0, gd_sq = 0, cs = 0, sn = 0;
    size_t gd_n = 0, ang_n = 0;
    for (size_t i = 0; i < n; i++) {
        const ps_grip_frame *f = &fr[i];
        hands += f->hand_found != 0;
        if ((unsigned)f->grasp < PS_GRASP_COUNT && f->grasp != PS_GRASP_UNKNOWN) {
            known++;
            counts[f->grasp]++;
            mature += ps_grasp_maturity_of(f->grasp) == PS_MATURITY_MATURE;
        }
        if (isfinite(f->grip_distance_mm)) {
            gd_sum += f->grip_distance_mm;
            gd_sq += (double)f->grip_distance_mm * f->grip_distance_mm;
            gd_n++;
        }
        if (f->pencil_found && isfinite(f->pencil_angle_deg)) {
            double r = f->pencil_angle_deg * M_PI / 180;
            cs += cos(r);
            sn += sin(r);
            ang_n++;
        }
    }
    out->hand_found_pct = (float)(100.0 * hands / n);
    if (known) {
        out->mature_grasp_pct = (float)(100.0 * mature / known);
        int best = 0;
        for (int g = 1; g < PS_GRASP_COUNT; g++)
            if (counts[g] > counts[best])
                best = g;
        out->grasp_mode_frames = (ps_grasp)best;
    }
    if (gd_n) {
        out->grip_distance_mm_mean = (float)(gd_sum / gd_n);
        double var = gd_n > 1 ? (gd_sq - gd_sum * gd_sum / gd_n) / (gd_n - 1) : 0;
        out->grip_distance_mm_sd = (float)sqrt(var > 0 ? var : 0);
    }
    if (ang_n) {
        /* deviations from the circular mean, wrapped to +-180 */
        double mean = atan2(sn, cs), ss = 0;
        for (size_t i = 0; i < n; i++) {
            if (!fr[i].pencil_found || !isfinite(fr[i].pencil_angle_deg))
                continue;
            double d = fr[i].pencil_angle_deg * M_PI / 180 - mean;
            d = atan2(sin(d), cos(d));
            ss += d * d;
        }
        out->pencil_angle_sd_deg = (float)(sqrt(ss / ang_n) * 180 / M_PI);
    }
    /* stable grasp changes */
    ps_grasp stable = PS_GRASP_UNKNOWN, cand = PS_GRASP_UNKNOWN;
    double cand_since = 0;
    for (size_t i = 0; i < n; i++) {
        ps_grasp g = fr[i].grasp;
        if ((unsigned)g >= PS_GRASP_COUNT || g == PS_GRASP_UNKNOWN)
            continue;
        if (g != cand) {
            cand = g;
            cand_since = fr[i].t_s;
        }
        if (cand != stable && fr[i].t_s - cand_since >= th->min_change_s) {
            if (stable != PS_GRASP_UNKNOWN)
                out->grasp_changes++;
            stable = cand;
        }
    }
    /* movement source */
    double fingers = 0, carried = 0, arm = 0, wrist = 0, hs_sum = 0;
    size_t hs_n = 0;
    for (size_t i = 1; i < n; i++) {
        const ps_grip_frame *p = &fr[i - 1], *q = &fr[i];
        if (!frame_ok(p) || !frame_ok(q))
            continue;
        float a, b, tx, ty;
        if (!similarity(p->hand_pts, q->hand_pts, 5, &a, &b, &tx, &ty))
            continue;
        float cx = a * p->tip[0] - b * p->tip[1] + tx, cy = b * p->tip[0] + a * p->tip[1] + ty;
        fingers += hypotf(q->tip[0] - cx, q->tip[1] - cy);
        carried += hypotf(cx - p->tip[0], cy - p->tip[1]);
        float wx = q->hand_pts[0][0] - p->hand_pts[0][0], wy = q->hand_pts[0][1] - p->hand_pts[0][1];
        arm += hypotf(wx, wy);
        wrist += hypotf(cx - p->tip[0] - wx, cy - p->tip[1] - wy);
        hs_sum += hypotf(p->hand_pts[2][0] - p->hand_pts[0][0], p->hand_pts[2][1] - p->hand_pts[0][1]);
        hs_n++;
    }
    if (hs_n && fingers + carried > th->min_tip_path_rel * (hs_sum / hs_n)) {
        out->finger_movement_ratio = (float)(fingers / (fingers + carried));
        out->wrist_movement_ratio = arm + wrist > 0 ? (float)(wrist / (arm + wrist)) : NAN;
        if (out->finger_movement_ratio >= th->finger_ratio_fingers)
            out->movement_source = PS_MOVEMENT_FINGERS;
        else
            out->movement_source = wrist >= arm ? PS_MOVEMENT_WRIST : PS_MOVEMENT_ARM;
    }
    out->grasp_mode = out->grasp_mode_frames;
    if ((out->grasp_mode == PS_GRASP_DYNAMIC_TRIPOD || out->grasp_mode == PS_GRASP_LATERAL_TRIPOD) &&
        (out->movement_source == PS_MOVEMENT_WRIST || out->movement_source == PS_MOVEMENT_ARM))
        out->grasp_mode = PS_GRASP_STATIC_TRIPOD;
    return PS_OK;
}
