/* The grasp classifier: grip metrics of METRICS.md §1 from the 21 landmarks
 * (image + world) and the pencil axis, and a transparent decision tree whose
 * every step is recorded as a criterion (name, plain words, value, threshold,
 * margin) for the JSON detail. Thresholds come from grasp_thresholds.json.
 *
 * Geometry: contact, thumb side and pencil-in-palm tests are made in the
 * image, where the pencil is; joint angles and the thumb's place relative to
 * the index finger (wrapped/tucked) in 3-D world landmarks, in the hand's own
 * frame (u distal, r radial, n palmar). */
#include "grip/grip_internal.h"
#include "core/status.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const int digit_tip[5] = {LM_THUMB_TIP, LM_INDEX_TIP, LM_MIDDLE_TIP, LM_RING_TIP, LM_LITTLE_TIP};
static const int digit_dip[5] = {LM_THUMB_IP, LM_INDEX_DIP, LM_MIDDLE_DIP, LM_RING_DIP, LM_LITTLE_DIP};
static const char *const digit_name[5] = {"thumb", "index", "middle", "ring", "little"};

typedef struct hand_frame {
    int ok;
    ps_vec3 u, r, n;  /* distal, radial, palmar unit vectors */
    float ws;         /* world hand scale |w0 - w9| */
    const char *how;  /* how the palmar side was decided */
} hand_frame;

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }
static float margin_of(float value, float thr, float band)
{
    return band > 0 ? clampf(fabsf(value - thr) / band, 0, 1) : 1;
}
static float weight_of(float margin) { return 0.5f + 0.5f * margin; }

/* splitmix64 and Box-Muller: the noise of the stability test */
static uint64_t mix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float gauss(uint64_t *s)
{
    double u = ((mix64(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    double v = ((mix64(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    return (float)(sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

static ps_vec3 v3_cross(ps_vec3 a, ps_vec3 b)
{
    ps_vec3 c = {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
    return c;
}
static ps_vec3 v3_scale(ps_vec3 a, float s) { ps_vec3 c = {a.x * s, a.y * s, a.z * s}; return c; }
static ps_vec3 v3_add(ps_vec3 a, ps_vec3 b) { ps_vec3 c = {a.x + b.x, a.y + b.y, a.z + b.z}; return c; }
static int v3_normalize(ps_vec3 *a)
{
    float l = ps_v3_len(*a);
    if (!(l > 1e-9f))
        return 0;
    *a = v3_scale(*a, 1 / l);
    return 1;
}
static ps_vec3 v3_reject(ps_vec3 a, ps_vec3 unit) { return ps_v3_sub(a, v3_scale(unit, ps_v3_dot(a, unit))); }

static float point_seg3(ps_vec3 p, ps_vec3 a, ps_vec3 b, float *t, ps_vec3 *q)
{
    ps_vec3 ab = ps_v3_sub(b, a);
    float l2 = ps_v3_dot(ab, ab);
    float u = l2 > 0 ? clampf(ps_v3_dot(ps_v3_sub(p, a), ab) / l2, 0, 1) : 0;
    *q = v3_add(a, v3_scale(ab, u));
    if (t)
        *t = u;
    return ps_v3_len(ps_v3_sub(p, *q));
}

/* Interior angle at joint b of a-b-c in degrees (180 = straight). */
static float joint_deg(const float (*w)[3], int a, int b, int c)
{
    return ps_v3_angle_deg(ps_v3_sub(lm3(w, a), lm3(w, b)), ps_v3_sub(lm3(w, c), lm3(w, b)));
}

/* The hand's own frame from world landmarks. The palmar side of the plane
 * through wrist, index MCP and little MCP follows from handedness (for a
 * right hand cross(5-0, 17-0) points out of the palm, for a left hand into
 * it); without handedness, from the way the fingers curl (towards the palm). */
static hand_frame frame_of(const float (*w)[3], ps_grip_hand hand)
{
    hand_frame f;
    memset(&f, 0, sizeof f);
    ps_vec3 w0 = lm3(w, LM_WRIST);
    f.ws = ps_v3_len(ps_v3_sub(lm3(w, LM_MIDDLE_MCP), w0));
    if (!(f.ws > 1e-6f))
        return f;
    f.u = ps_v3_sub(lm3(w, LM_MIDDLE_MCP), w0);
    ps_vec3 n = v3_cross(ps_v3_sub(lm3(w, LM_INDEX_MCP), w0), ps_v3_sub(lm3(w, LM_LITTLE_MCP), w0));
    if (!v3_normalize(&f.u))
        return f;
    n = v3_reject(n, f.u);
    if (!v3_normalize(&n))
        return f;
    if (hand == PS_GRIP_HAND_RIGHT) {
        f.how = "right hand";
    } else if (hand == PS_GRIP_HAND_LEFT) {
        n = v3_scale(n, -1);
        f.how = "left hand";
    } else {
        float curl = 0;
        static const int mcp[3] = {LM_MIDDLE_MCP, LM_RING_MCP, LM_LITTLE_MCP};
        for (int i = 0; i < 3; i++)
            curl += ps_v3_dot(ps_v3_sub(lm3(w, mcp[i] + 3), lm3(w, mcp[i])), n);
        if (fabsf(curl) < 0.05f * f.ws)
            return f;  /* fingers straight: the palm side cannot be told */
        if (curl < 0)
            n = v3_scale(n, -1);
        f.how = "finger curl";
    }
    f.n = n;
    f.r = v3_cross(f.n, f.u);  /* u x r = n for a right-handed (radial, distal, palmar) frame */
    /* r must point from the little finger to the index */
    if (ps_v3_dot(f.r, ps_v3_sub(lm3(w, LM_INDEX_MCP), lm3(w, LM_LITTLE_MCP))) < 0)
        f.r = v3_scale(f.r, -1);
    f.ok = 1;
    return f;
}

static void add_crit(ps_grip_result *out, const char *name, float value, float thr, float margin,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void add_crit(ps_grip_result *out, const char *name, float value, float thr, float margin,
                     const char *fmt, ...)
{
    if (out->n_criteria >= PS_GRIP_MAX_CRITERIA)
        return;
    ps_grip_criterion *c = &out->criteria[out->n_criteria++];
    snprintf(c->name, sizeof c->name, "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text, sizeof c->text, fmt, ap);
    va_end(ap);
    c->value = value;
    c->threshold = thr;
    c->margin = margin;
}

static float signed_side(ps_vec2 a, ps_vec2 dir, ps_vec2 p)
{
    return ps_v2_cross(dir, ps_v2_sub(p, a));
}

static int all_finite(const float (*lm)[3])
{
    for (int i = 0; i < LM_COUNT; i++)
        for (int k = 0; k < 3; k++)
            if (!isfinite(lm[i][k]))
                return 0;
    return 1;
}

static void result_clear(ps_grip_result *out)
{
    memset(out, 0, sizeof *out);
    out->pencil_angle_deg = NAN;
    out->hand_scale_px = NAN;
    for (int d = 0; d < 5; d++)
        out->contact_px[d][0] = out->contact_px[d][1] = NAN;
    out->web_space_angle_deg = NAN;
    out->grip_distance_px = out->grip_distance_mm = out->grip_distance_rel = NAN;
    out->grip_digit = -1;
    out->index_dip_angle_deg = NAN;
    out->index_dip_hyperextended = -1;
}

/* 3-D metrics: web space and index DIP. */
static void measure_world(const struct ps_grip_thresholds *th, const float (*w)[3], const hand_frame *f,
                          ps_grip_result *out)
{
    out->web_space_angle_deg = ps_v3_angle_deg(ps_v3_sub(lm3(w, LM_THUMB_MCP), lm3(w, LM_THUMB_CMC)),
                                               ps_v3_sub(lm3(w, LM_INDEX_MCP), lm3(w, LM_WRIST)));
    if (isfinite(out->web_space_angle_deg))
        out->web_space = out->web_space_angle_deg >= th->web_open_deg ? PS_WEB_OPEN : PS_WEB_CLOSED;
    float dip = joint_deg(w, LM_INDEX_PIP, LM_INDEX_DIP, LM_INDEX_TIP);
    out->index_dip_angle_deg = dip;
    if (!isfinite(dip))
        return;
    if (180 - dip <= th->dip_hyperext_deg) {
        out->index_dip_hyperextended = 0;
    } else if (f->ok) {
        /* flexion turns the distal phalanx towards the palm; backwards is hyperextension */
        ps_vec3 mid = ps_v3_sub(lm3(w, LM_INDEX_DIP), lm3(w, LM_INDEX_PIP));
        ps_vec3 dist = ps_v3_sub(lm3(w, LM_INDEX_TIP), lm3(w, LM_INDEX_DIP));
        v3_normalize(&mid);
        v3_normalize(&dist);
        out->index_dip_hyperextended = ps_v3_dot(ps_v3_sub(dist, mid), f->n) < 0;
    }
}

/* Thumb tip relative to the index finger in the hand frame, in world hand
 * scales: dn > 0 palmar, dr > 0 radial; tpos = where along 5-6-7-8 (0..3). */
static void thumb_vs_index(const float (*w)[3], const hand_frame *f, float *dn, float *dr, float *tpos)
{
    ps_vec3 t = lm3(w, LM_THUMB_TIP), best_q = {0, 0, 0};
    float best = INFINITY, best_t = 0;
    int best_s = 0;
    for (int s = 0; s < 3; s++) {
        ps_vec3 q;
        float u;
        float d = point_seg3(t, lm3(w, LM_INDEX_MCP + s), lm3(w, LM_INDEX_MCP + s + 1), &u, &q);
        if (d < best) {
            best = d;
            best_q = q;
            best_t = s + u;
            best_s = s;
        }
    }
    /* palmar and radial as seen from that phalanx: a flexed finger's
     * dorsum faces distally, not dorsally in the hand frame */
    ps_vec3 seg = ps_v3_sub(lm3(w, LM_INDEX_MCP + best_s + 1), lm3(w, LM_INDEX_MCP + best_s));
    ps_vec3 pn = f->n, pr = f->r;
    if (v3_normalize(&seg)) {
        pn = v3_reject(f->n, seg);
        if (!v3_normalize(&pn))
            pn = f->n;
        pr = v3_cross(pn, seg);
        if (ps_v3_dot(pr, f->r) < 0)
            pr = v3_scale(pr, -1);
    }
    ps_vec3 d = ps_v3_sub(t, best_q);
    *dn = ps_v3_dot(d, pn) / f->ws;
    *dr = ps_v3_dot(d, pr) / f->ws;
    *tpos = best_t;
}

/* Contact in depth. In the image a finger curled into the palm behind the
 * pencil (seen from the side or from above) lies on the pencil's line just
 * like one touching it. The pencil is held between the thumb and index pads
 * (or under the index pad) and rests in the web space, so its 3-D line
 * (image landmarks: x, y and z in pixels) runs through the point between
 * the thumb and index tips (or the index pad), along the axis in the image,
 * with the depth slope that takes it to the web space's depth (between the
 * thumb and index MCPs). Middle, ring and little fingers that touch the
 * pencil only in the image but lie further than contact_depth_rel hand
 * scales from both such lines are not on it. Only when
 * thumb and index both touch it in the image (the line needs them). */
static unsigned depth_check(const struct ps_grip_thresholds *th, const float (*lm)[3], ps_vec2 a, ps_vec2 dir, float hs,
                            unsigned mask2d, const int near_lm[5], ps_grip_result *out, float *weight)
{
    const unsigned TI = (1u << PS_DIGIT_THUMB) | (1u << PS_DIGIT_INDEX);
    if ((mask2d & TI) != TI || !(mask2d & ~TI))
        return mask2d;
    /* two estimates of where the pencil passes: between the thumb and index
     * tips (a pinch), or at the index pad alone (a thumb over or beside the
     * index, as in lateral grasps) */
    ps_vec3 anchors[2] = {v3_scale(v3_add(lm3(lm, LM_THUMB_TIP), lm3(lm, LM_INDEX_TIP)), 0.5f),
                          lm3(lm, near_lm[PS_DIGIT_INDEX])};
    ps_vec3 web = v3_scale(v3_add(lm3(lm, LM_THUMB_MCP), lm3(lm, LM_INDEX_MCP)), 0.5f);
    float tw = ps_v2_dot(ps_v2_sub(ps_v2(web.x, web.y), a), dir);
    ps_vec3 p0[2], u[2];
    for (int k = 0; k < 2; k++) {
        float tp = ps_v2_dot(ps_v2_sub(ps_v2(anchors[k].x, anchors[k].y), a), dir);
        /* depth per pixel along the axis; level when the web is not along the axis from the anchor */
        float slope = fabsf(tw - tp) > 0.15f * hs ? (web.z - anchors[k].z) / (tw - tp) : 0;
        p0[k] = (ps_vec3){a.x + tp * dir.x, a.y + tp * dir.y, anchors[k].z};
        u[k] = (ps_vec3){dir.x, dir.y, slope};
        v3_normalize(&u[k]);
    }
    unsigned mask = mask2d;
    float band = (float)th->dist_band_rel;
    for (int dg = PS_DIGIT_MIDDLE; dg <= PS_DIGIT_LITTLE; dg++) {
        if (!(mask2d & (1u << dg)))
            continue;
        /* dropped only when far from both estimates */
        float d3 = INFINITY;
        for (int k = 0; k < 2; k++)
            d3 = fminf(d3, ps_v3_len(v3_reject(ps_v3_sub(lm3(lm, near_lm[dg]), p0[k]), u[k])) / hs);
        float m = margin_of(d3, (float)th->contact_depth_rel, band);
        *weight = fminf(*weight, weight_of(m));
        if (d3 > th->contact_depth_rel) {
            mask &= ~(1u << dg);
            add_crit(out, "contact_depth", d3, (float)th->contact_depth_rel, m,
                     "%s finger on the pencil's line in the picture but %.2f hand scales from it in depth: not on it",
                     digit_name[dg], d3);
        }
    }
    return mask;
}

typedef struct decision {
    ps_grasp grasp;
    float weight;   /* min over the deciding criteria of 0.5 + 0.5 margin */
    float info;     /* < 1 when a cue was missing or read the unsure way (3-D fallback, no web space) */
} decision;

static void use(decision *d, float margin) { d->weight = fminf(d->weight, weight_of(margin)); }

static ps_thumb_position decide_thumb(const struct ps_grip_thresholds *th, const float (*lm)[3],
                                      const float (*w)[3], const hand_frame *f, ps_vec2 a, ps_vec2 dir,
                                      float hs, ps_grip_result *out, float *thumb_weight, float *thumb_info)
{
    *thumb_info = 1;
    float band = (float)th->dist_band_rel;
    *thumb_weight = 1;
    float dn = NAN, dr = NAN, tpos = NAN;
    float st = signed_side(a, dir, lm2(lm, LM_THUMB_TIP)) / hs;
    float si = signed_side(a, dir, lm2(lm, LM_INDEX_TIP)) / hs;
    float sm = (float)th->side_margin_rel;
    int sides_clear = fabsf(st) > sm && fabsf(si) > sm;
    int opposite = (st > 0) != (si > 0);
    if (w && f->ok) {
        thumb_vs_index(w, f, &dn, &dr, &tpos);
        /* a thumb across the pencil from the index is opposed: neither over
         * nor under the index finger (keeps 3-D landmark noise from calling
         * a tripod a thumb wrap) */
        if (dn < -th->thumb_dorsal_rel && !(sides_clear && opposite)) {
            float m = margin_of(-dn, (float)th->thumb_dorsal_rel, band);
            *thumb_weight = weight_of(m);
            add_crit(out, "thumb_position", -dn, (float)th->thumb_dorsal_rel, m,
                     "thumb tip %.2f hand scales over (dorsal to) the index finger: wrapped", -dn);
            return PS_THUMB_WRAPPED;
        }
    }
    /* tucked: under the index finger and past its ulnar side, its tip
     * under the proximal or middle phalanx. An opposed thumb meets the
     * distal pad instead, so where along the index the tip lies tells the
     * two apart, in any view (seen from the palm side the tucked tip shows
     * across the pencil from the index tip, as an opposed one does). */
    if (w && f->ok && dn > th->thumb_tuck_palmar_rel && dr < -th->thumb_tuck_ulnar_rel && tpos <= th->thumb_tuck_max_pos) {
        float m = fminf(margin_of(-dr, (float)th->thumb_tuck_ulnar_rel, band),
                        margin_of(dn, (float)th->thumb_tuck_palmar_rel, band));
        *thumb_weight = weight_of(m);
        add_crit(out, "thumb_position", -dr, (float)th->thumb_tuck_ulnar_rel, m,
                 "thumb tip under the index finger, %.2f hand scales past its ulnar side: tucked", -dr);
        return PS_THUMB_TUCKED;
    }
    if (sides_clear) {
        float m = margin_of(fminf(fabsf(st), fabsf(si)), sm, band);
        *thumb_weight = weight_of(m);
        if (opposite) {
            add_crit(out, "thumb_position", fminf(fabsf(st), fabsf(si)), sm, m,
                     "thumb tip and index tip on opposite sides of the pencil: opposed");
            return PS_THUMB_OPPOSED;
        }
        add_crit(out, "thumb_position", fminf(fabsf(st), fabsf(si)), sm, m,
                 "thumb tip on the same side of the pencil as the index tip (crossing over it): adducted");
        return PS_THUMB_ADDUCTED;
    }
    if (w && f->ok) {
        /* tips on the axis (seen end-on): an opposed thumb faces the index pad
         * (palmar of the distal phalanx), an adducted one lies along its side */
        *thumb_weight = *thumb_info = (float)th->unsure_thumb_factor;
        if (dn > 0 && tpos >= 1.5f) {
            add_crit(out, "thumb_position", dn, 0, 0,
                     "tips on the pencil line in the image; in 3-D the thumb faces the index pad: opposed (unsure)");
            return PS_THUMB_OPPOSED;
        }
        add_crit(out, "thumb_position", dn, 0, 0,
                 "tips on the pencil line in the image; in 3-D the thumb lies along the index side: adducted (unsure)");
        return PS_THUMB_ADDUCTED;
    }
    add_crit(out, "thumb_position", NAN, sm, 0, "thumb and index tips on the pencil line and no 3-D landmarks: thumb unknown");
    return PS_THUMB_UNKNOWN;
}

static void contact_text(unsigned mask, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = 0;
    for (int d = 0; d < 5; d++)
        if (mask & (1u << d))
            n += snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", digit_name[d]);
    if (!n)
        snprintf(buf, cap, "none");
}

static decision decide(const struct ps_grip_thresholds *th, const float (*lm)[3], const float (*w)[3],
                       const hand_frame *f, ps_vec2 a, ps_vec2 b, float hs, float contact_weight, ps_grip_result *out)
{
    decision d = {PS_GRASP_UNKNOWN, contact_weight, 1};
    ps_vec2 ab = ps_v2_sub(b, a);
    ps_vec2 dir = ps_v2_scale(ab, 1 / ps_v2_len(ab));
    float band = (float)th->dist_band_rel, aband = (float)th->angle_band_deg;
    unsigned mask = out->contact_mask;
    char names[64];
    contact_text(mask, names, sizeof names);
    add_crit(out, "fingers", (float)out->fingers_on_pencil, (float)th->contact_rel, 1,
             "digits within %.2f hand scales of the pencil: %s", th->contact_rel, names);
    if (!mask) {
        add_crit(out, "contact", NAN, NAN, 0, "no digit touches the pencil");
        return d;
    }

    float tw, ti;
    ps_thumb_position tp = out->thumb_position = decide_thumb(th, lm, w, f, a, dir, hs, out, &tw, &ti);
    d.info = ti;

    /* the pencil through the palm: fisted or pronate grasps */
    ps_vec2 palm = ps_v2(0, 0);
    static const int palm_pts[5] = {LM_WRIST, LM_INDEX_MCP, LM_MIDDLE_MCP, LM_RING_MCP, LM_LITTLE_MCP};
    for (int i = 0; i < 5; i++)
        palm = ps_v2_add(palm, ps_v2_scale(lm2(lm, palm_pts[i]), 0.2f));
    float d_palm = fabsf(signed_side(a, dir, palm)) / hs;
    int in_palm = d_palm <= th->palm_axis_rel;
    float m_palm = margin_of(d_palm, (float)th->palm_axis_rel, band);
    if (w) {
        /* the least flexed finger decides: every finger curls around a fist-held pencil */
        float pip[4], max_pip = 0;
        for (int k = 0; k < 4; k++) {
            int mcp = LM_INDEX_MCP + 4 * k;
            pip[k] = joint_deg(w, mcp, mcp + 1, mcp + 2);
            max_pip = fmaxf(max_pip, pip[k]);
        }
        if (in_palm && max_pip <= th->fist_pip_deg) {
            d.grasp = PS_GRASP_PALMAR_SUPINATE;
            float m = margin_of(max_pip, (float)th->fist_pip_deg, aband);
            use(&d, m);
            use(&d, m_palm);
            add_crit(out, "fist", max_pip, (float)th->fist_pip_deg, m,
                     "all fingers curled around the pencil (PIP angles at most %.0f deg)", max_pip);
            add_crit(out, "pencil_in_palm", d_palm, (float)th->palm_axis_rel, m_palm,
                     "pencil axis %.2f hand scales from the palm centre: held in the fist", d_palm);
            int ulnar = ps_v2_dist(a, lm2(lm, LM_LITTLE_MCP)) < ps_v2_dist(a, lm2(lm, LM_INDEX_MCP));
            add_crit(out, "tip_side", NAN, NAN, ulnar ? 1 : 0,
                     ulnar ? "tip leaves the fist on the little-finger side"
                           : "tip leaves the fist on the thumb side (radial cross palmar, reported as palmar supinate)");
            if (!ulnar) {
                d.weight *= 0.8f;
                d.info *= 0.8f;
            }
            return d;
        }
        /* the index finger's direction (MCP to tip) against the pencil's (end to tip) */
        ps_vec2 idx = ps_v2_sub(lm2(lm, LM_INDEX_TIP), lm2(lm, LM_INDEX_MCP));
        float il = ps_v2_len(idx);
        float along = il > 0 ? acosf(fmaxf(-1, fminf(1, -ps_v2_dot(idx, dir) / il))) * (float)(180 / M_PI) : 180;
        /* a straight joint can only look bent under landmark noise (3-D
         * joint angles are off by ~22 deg RMS): the straighter of the 3-D
         * angle and the image angle decides. The angle is taken at the PIP
         * between the MCP and the fingertip rather than the DIP: the longer
         * arm halves the effect of a few pixels of noise, and a straight
         * finger is straight in any view of it. */
        float ext3d = joint_deg(w, LM_INDEX_MCP, LM_INDEX_PIP, LM_INDEX_TIP);
        float pip2d = ps_v3_angle_deg((ps_vec3){lm[LM_INDEX_MCP][0] - lm[LM_INDEX_PIP][0],
                                                lm[LM_INDEX_MCP][1] - lm[LM_INDEX_PIP][1], 0},
                                      (ps_vec3){lm[LM_INDEX_TIP][0] - lm[LM_INDEX_PIP][0],
                                                lm[LM_INDEX_TIP][1] - lm[LM_INDEX_PIP][1], 0});
        float straight = isfinite(pip2d) ? fmaxf(ext3d, pip2d) : ext3d;
        if (in_palm && (mask & (1u << PS_DIGIT_INDEX)) && straight >= th->pronate_index_pip_deg &&
            along <= th->pronate_index_axis_deg) {
            d.grasp = PS_GRASP_DIGITAL_PRONATE;
            float m = margin_of(straight, (float)th->pronate_index_pip_deg, aband);
            float ma = margin_of(along, (float)th->pronate_index_axis_deg, aband);
            use(&d, m);
            use(&d, m_palm);
            use(&d, ma);
            add_crit(out, "index_along_pencil", along, (float)th->pronate_index_axis_deg, ma,
                     "index finger points along the pencil to its tip (%.0f deg off the axis)", along);
            add_crit(out, "index_extended", straight, (float)th->pronate_index_pip_deg, m,
                     "index finger stretched along the pencil (knuckle-PIP-tip angle %.0f deg)", straight);
            add_crit(out, "pencil_in_palm", d_palm, (float)th->palm_axis_rel, m_palm,
                     "pencil axis %.2f hand scales from the palm centre: held in the fingers against the palm", d_palm);
            return d;
        }
    }

    /* pencil between index and middle: their PIPs and their DIPs on
     * opposite sides of its axis, and each finger's middle phalanx (PIP and
     * DIP averaged against landmark noise) clearly off it */
    {
        float sm = (float)th->side_margin_rel;
        float p6 = signed_side(a, dir, lm2(lm, LM_INDEX_PIP)) / hs, p10 = signed_side(a, dir, lm2(lm, LM_MIDDLE_PIP)) / hs;
        float p7 = signed_side(a, dir, lm2(lm, LM_INDEX_DIP)) / hs, p11 = signed_side(a, dir, lm2(lm, LM_MIDDLE_DIP)) / hs;
        float si = 0.5f * (p6 + p7), sd = 0.5f * (p10 + p11);
        float worst = fminf(fabsf(si), fabsf(sd));
        if ((p6 > 0) != (p10 > 0) && (p7 > 0) != (p11 > 0) && worst > sm && (mask & (1u << PS_DIGIT_INDEX)) &&
            (mask & (1u << PS_DIGIT_MIDDLE))) {
            d.grasp = PS_GRASP_INTERDIGITAL_BRACE;
            float m = margin_of(worst, sm, band);
            use(&d, m);
            add_crit(out, "between_fingers", worst, sm, m,
                     "pencil runs between the index and middle fingers (their middle phalanges on opposite sides)");
            return d;
        }
    }

    /* with all five digits on the barrel the thumb is one of the digits holding it, not tucked away */
    const unsigned ALL5 = (1u << 5) - 1;
    if (tp == PS_THUMB_TUCKED && mask == ALL5) {
        tp = out->thumb_position = PS_THUMB_OPPOSED;
        add_crit(out, "thumb_position", NAN, NAN, 0, "all five digits on the pencil: the thumb holds it too (opposed)");
    }
    if (tp == PS_THUMB_WRAPPED || tp == PS_THUMB_TUCKED) {
        d.grasp = tp == PS_THUMB_WRAPPED ? PS_GRASP_THUMB_WRAP : PS_GRASP_THUMB_TUCK;
        d.weight = fminf(d.weight, tw);
        return d;
    }
    if (tp == PS_THUMB_UNKNOWN)
        return d;
    if (!(mask & (1u << PS_DIGIT_THUMB)) || !(mask & (1u << PS_DIGIT_INDEX))) {
        add_crit(out, "contact", NAN, NAN, 0, "thumb and index are not both on the pencil: no grasp of the taxonomy fits");
        return d;
    }
    d.weight = fminf(d.weight, tw);
    /* contact margin: how clearly the deciding digits touch */
    int n = out->fingers_on_pencil;
    int family = 0;  /* 3 tripod, 4 quadrupod, 5 five finger */
    const unsigned T = 1u << PS_DIGIT_THUMB, I = 1u << PS_DIGIT_INDEX, M = 1u << PS_DIGIT_MIDDLE,
                   R = 1u << PS_DIGIT_RING, L = 1u << PS_DIGIT_LITTLE;
    if (mask == (T | I | M | R | L)) {
        family = 5;
    } else if (mask == (T | I | M | R)) {
        family = 4;
    } else if (mask == (T | I | M)) {
        family = 3;
    } else if (mask == (T | I)) {
        float dm = fminf(ps_point_segment_dist(lm2(lm, LM_MIDDLE_TIP), a, b, NULL),
                         ps_point_segment_dist(lm2(lm, LM_MIDDLE_DIP), a, b, NULL)) / hs;
        if (dm <= th->support_rel) {
            family = 3;
            float m = margin_of(dm, (float)th->support_rel, band);
            use(&d, 0);
            add_crit(out, "support", dm, (float)th->support_rel, m,
                     "middle finger %.2f hand scales from the pencil: supports it from below", dm);
        }
    }
    if (!family) {
        add_crit(out, "contact", (float)n, NAN, 0, "digits on the pencil (%s) match no grasp of the taxonomy", names);
        return d;
    }
    if (family == 5) {
        d.grasp = PS_GRASP_FIVE_FINGER;
        add_crit(out, "grasp_rule", 5, NAN, 1, "all five digits on the pencil: five finger");
        return d;
    }
    float wm = isfinite(out->web_space_angle_deg)
                   ? margin_of(out->web_space_angle_deg, (float)th->web_open_deg, (float)th->web_band_deg) : 0;
    if (out->web_space != PS_WEB_UNKNOWN)
        add_crit(out, "web_space", out->web_space_angle_deg, (float)th->web_open_deg, wm,
                 "web space %s (thumb-index metacarpal angle %.0f deg)", ps_web_space_name(out->web_space),
                 out->web_space_angle_deg);
    else {
        d.weight *= (float)th->unsure_thumb_factor;
        d.info *= (float)th->unsure_thumb_factor;
    }
    if (tp == PS_THUMB_ADDUCTED) {
        d.grasp = family == 3 ? PS_GRASP_LATERAL_TRIPOD : PS_GRASP_LATERAL_QUADRUPOD;
        if (out->web_space == PS_WEB_OPEN)
            use(&d, 0);  /* lateral grasps close the web space: contradicting cues */
        add_crit(out, "grasp_rule", (float)family, NAN, 1, "%s on the pencil with the thumb adducted: %s",
                 family == 3 ? "thumb, index, middle" : "thumb, index, middle, ring", ps_grasp_name(d.grasp));
        return d;
    }
    /* opposed */
    if (family == 4) {
        d.grasp = out->web_space == PS_WEB_CLOSED ? PS_GRASP_FOUR_FINGER : PS_GRASP_DYNAMIC_QUADRUPOD;
        if (out->web_space != PS_WEB_UNKNOWN)
            use(&d, wm);
        add_crit(out, "grasp_rule", 4, NAN, 1, "thumb opposed to index, middle and ring, web space %s: %s",
                 ps_web_space_name(out->web_space), ps_grasp_name(d.grasp));
        return d;
    }
    d.grasp = PS_GRASP_DYNAMIC_TRIPOD;
    if (out->web_space == PS_WEB_CLOSED) {
        use(&d, 0);
        add_crit(out, "grasp_rule", 3, NAN, 0,
                 "thumb opposed with a closed web space: dynamic tripod in a photo, static tripod if the "
                 "movement comes from the wrist (video)");
    } else {
        if (out->web_space == PS_WEB_OPEN)
            use(&d, wm);
        add_crit(out, "grasp_rule", 3, NAN, 1, "thumb opposed to index and middle, web space %s: dynamic tripod",
                 ps_web_space_name(out->web_space));
    }
    return d;
}

/* One pass of the rules on the landmarks as given: the candidate grasp and
 * its margin-based confidence, before the stability test and the floor. */
static ps_status classify_once(const ps_grip_thresholds_t *th, const float (*lm)[3], const float (*w)[3],
                               ps_grip_hand hand, const ps_grip_pencil *pencil, double pencil_mm,
                               ps_grip_result *out, float *info)
{
    *info = 1;
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "grip: result is NULL");
    result_clear(out);
    if (!th || !lm)
        return ps_fail(PS_ERR_INVALID_ARG, "grip: thresholds or landmarks are NULL");
    if (!all_finite(lm))
        return ps_fail(PS_ERR_INVALID_ARG, "grip: image landmarks are not finite");
    if (w && !all_finite(w))
        return ps_fail(PS_ERR_INVALID_ARG, "grip: world landmarks are not finite");
    float hs = ps_v2_dist(lm2(lm, LM_WRIST), lm2(lm, LM_MIDDLE_MCP));
    if (!(hs >= 1))
        return ps_fail(PS_ERR_INVALID_ARG, "grip: hand scale %.2f px (wrist to middle MCP) is too small", hs);
    out->hand_scale_px = hs;
    hand_frame f = {0};
    if (w) {
        f = frame_of(w, hand);
        if (!(f.ws > 1e-6f))
            w = NULL;  /* degenerate world landmarks: no 3-D metrics */
    }
    if (w)
        measure_world(th, w, &f, out);

    if (!pencil || !pencil->found) {
        if (pencil)
            out->pencil.why_not = pencil->why_not;  /* kept for the warning */
        add_crit(out, "pencil", 0, NAN, 0, "no pencil found in contact with the hand%s%s%s",
                 pencil && pencil->why_not ? " (" : "", pencil && pencil->why_not ? pencil->why_not : "",
                 pencil && pencil->why_not ? ")" : "");
        out->grasp_maturity = PS_MATURITY_UNKNOWN;
        return PS_OK;
    }
    ps_vec2 a = ps_v2(pencil->tip[0], pencil->tip[1]), b = ps_v2(pencil->end[0], pencil->end[1]);
    if (!isfinite(a.x) || !isfinite(a.y) || !isfinite(b.x) || !isfinite(b.y) || !(ps_v2_dist(a, b) >= 1))
        return ps_fail(PS_ERR_INVALID_ARG, "grip: pencil axis is degenerate");
    out->pencil_found = 1;
    out->pencil = *pencil;
    out->pencil_angle_deg = (float)(atan2(-(b.y - a.y), b.x - a.x) * 180 / M_PI);

    /* contact: tip or DIP within contact_rel hand scales of the axis segment */
    ps_vec2 ab = ps_v2_sub(b, a);
    ps_vec2 dir = ps_v2_scale(ab, 1 / ps_v2_len(ab));
    int near_lm[5];
    float near_t[5];
    unsigned mask2d = 0;
    for (int dg = 0; dg < 5; dg++) {
        float tt, td;
        float dt = ps_point_segment_dist(lm2(lm, digit_tip[dg]), a, b, &tt);
        float dd = ps_point_segment_dist(lm2(lm, digit_dip[dg]), a, b, &td);
        near_lm[dg] = dt <= dd ? digit_tip[dg] : digit_dip[dg];
        near_t[dg] = dt <= dd ? tt : td;
        if (fminf(dt, dd) <= th->contact_rel * hs)
            mask2d |= 1u << dg;
    }
    float contact_weight = 1;
    unsigned mask = depth_check(th, lm, a, dir, hs, mask2d, near_lm, out, &contact_weight);
    float best_s = INFINITY;
    for (int dg = 0; dg < 5; dg++) {
        if (!(mask & (1u << dg)))
            continue;
        out->contact_mask |= 1u << dg;
        out->fingers_on_pencil++;
        out->contact_px[dg][0] = a.x + near_t[dg] * ab.x;
        out->contact_px[dg][1] = a.y + near_t[dg] * ab.y;
        /* grip distance: along the axis, tip to the fingertip's foot */
        float s = fmaxf(0, ps_v2_dot(ps_v2_sub(lm2(lm, digit_tip[dg]), a), dir));
        if (s < best_s) {
            best_s = s;
            out->grip_digit = dg;
        }
    }
    if (out->grip_digit >= 0) {
        out->grip_distance_px = best_s;
        out->grip_distance_rel = best_s / hs;
        if (pencil_mm > 0 && pencil->width_px > 0)
            out->grip_distance_mm = (float)(best_s * pencil_mm / pencil->width_px);
    }

    decision d = decide(th, lm, w, &f, a, b, hs, contact_weight, out);
    out->grasp_candidate = out->grasp = d.grasp;
    out->grasp_confidence = d.grasp == PS_GRASP_UNKNOWN ? 0 : clampf(pencil->confidence, 0, 1) * d.weight;
    *info = d.info;
    return PS_OK;
}

/* Stability under landmark noise: the share of noise_draws copies of the
 * landmarks, each moved by the landmark model's usual error (noise_xy_rel,
 * noise_z_rel; world landmarks by the same in world hand scales), on which
 * the rules give the same grasp. A fixed seed keeps results reproducible. */
static float stability(const ps_grip_thresholds_t *th, const float (*lm)[3], const float (*w)[3], ps_grip_hand hand,
                       const ps_grip_pencil *pencil, double pencil_mm, ps_grasp g, float hs, ps_grasp *rival,
                       float *rival_share)
{
    int k = (int)th->noise_draws;
    *rival = PS_GRASP_UNKNOWN;
    *rival_share = 0;
    if (k <= 0)
        return 1;
    int votes[PS_GRASP_COUNT] = {0};
    float ws = w ? ps_v3_len(ps_v3_sub(lm3(w, LM_MIDDLE_MCP), lm3(w, LM_WRIST))) : 0;
    float sxy = (float)th->noise_xy_rel, sz = (float)th->noise_z_rel;
    float plm[LM_COUNT][3], pw[LM_COUNT][3];
    ps_grip_result scratch;
    float info;
    uint64_t rs = 0x5DEECE66DULL;
    int agree = 0;
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < LM_COUNT; j++) {
            plm[j][0] = lm[j][0] + sxy * hs * gauss(&rs);
            plm[j][1] = lm[j][1] + sxy * hs * gauss(&rs);
            plm[j][2] = lm[j][2] + sz * hs * gauss(&rs);
            if (w) {
                pw[j][0] = w[j][0] + sxy * ws * gauss(&rs);
                pw[j][1] = w[j][1] + sxy * ws * gauss(&rs);
                pw[j][2] = w[j][2] + sz * ws * gauss(&rs);
            }
        }
        if (classify_once(th, (const float(*)[3])plm, w ? (const float(*)[3])pw : NULL, hand, pencil, pencil_mm,
                          &scratch, &info) == PS_OK) {
            agree += scratch.grasp_candidate == g;
            if (scratch.grasp_candidate != g && scratch.grasp_candidate < PS_GRASP_COUNT)
                votes[scratch.grasp_candidate]++;
        }
    }
    for (int x = 0; x < PS_GRASP_COUNT; x++)
        if (votes[x] > *rival_share * k) {
            *rival = (ps_grasp)x;
            *rival_share = (float)votes[x] / (float)k;
        }
    return (float)agree / (float)k;
}

ps_status ps_grip_classify(const ps_grip_thresholds_t *th, const float (*lm)[3], const float (*w)[3],
                           ps_grip_hand hand, const ps_grip_pencil *pencil, double pencil_mm,
                           ps_grip_result *out)
{
    float info;
    ps_status rc = classify_once(th, lm, w, hand, pencil, pencil_mm, out, &info);
    if (rc)
        return rc;
    ps_grasp g = out->grasp_candidate;
    if (g != PS_GRASP_UNKNOWN) {
        ps_grasp rival;
        float rival_share;
        float stab = stability(th, lm, w, hand, pencil, pencil_mm, g, out->hand_scale_px, &rival, &rival_share);
        int k = (int)th->noise_draws;
        if (k > 0)
            add_crit(out, "stability", stab, NAN, stab,
                     "rechecked %d times with the hand points moved by their usual error: the same grasp %.0f%% of the time",
                     k, 100 * stab);
        float conf = clampf(out->pencil.confidence, 0, 1) * stab * info;
        out->grasp_confidence = conf;
        if (rival_share > stab) {
            /* the copies mostly give another grasp: this one is likely a noise artefact */
            add_crit(out, "confidence", rival_share, stab, 0,
                     "the rechecks more often give %s (%.0f%%): reported as unknown (best guess %s)",
                     ps_grasp_name(rival), 100 * rival_share, ps_grasp_name(g));
            out->grasp = PS_GRASP_UNKNOWN;
        } else if (conf < th->confidence_floor) {
            add_crit(out, "confidence", conf, (float)th->confidence_floor, 0,
                     "confidence %.2f below the floor: reported as unknown (best guess %s)", conf, ps_grasp_name(g));
            out->grasp = PS_GRASP_UNKNOWN;
        }
    }
    out->grasp_maturity = ps_grasp_maturity_of(out->grasp);
    return PS_OK;
}
