/* Parametric hand for tests and benchmarks (see synth.h). Local frame of a
 * right hand: X radial (thumb side), Y distal, Z palmar (out of the palm);
 * metres, child-sized (wrist to middle MCP 70 mm). Flexion turns a segment
 * from distal towards palmar. */
#include "grip/synth.h"
#include "grip/grip_internal.h"
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

typedef ps_vec3 v3;
static v3 V(float x, float y, float z) { v3 r = {x, y, z}; return r; }
static v3 add(v3 a, v3 b) { return V(a.x + b.x, a.y + b.y, a.z + b.z); }
static v3 sub(v3 a, v3 b) { return V(a.x - b.x, a.y - b.y, a.z - b.z); }
static v3 mul(v3 a, float s) { return V(a.x * s, a.y * s, a.z * s); }
static float dot(v3 a, v3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static float len(v3 a) { return sqrtf(dot(a, a)); }
static v3 unit(v3 a) { float l = len(a); return l > 0 ? mul(a, 1 / l) : a; }
static v3 mid(v3 a, v3 b) { return mul(add(a, b), 0.5f); }
static float rad(float deg) { return deg * (float)M_PI / 180; }

static const v3 X = {1, 0, 0}, Z = {0, 0, 1};  /* radial, palmar (Y is distal) */
#define PENCIL_R 0.0035f
#define FINGER_R 0.0065f
#define TOUCH (PENCIL_R + FINGER_R)

typedef struct finger_def { v3 mcp; float len[3]; float abd; } finger_def;
static const finger_def fingers[4] = {
    {{0.020f, 0.068f, 0}, {0.032f, 0.019f, 0.016f}, 5},
    {{0.004f, 0.070f, 0}, {0.036f, 0.022f, 0.017f}, 0},
    {{-0.010f, 0.066f, 0}, {0.033f, 0.021f, 0.016f}, -5},
    {{-0.022f, 0.059f, 0}, {0.026f, 0.015f, 0.014f}, -10},
};
static const v3 thumb_cmc = {0.020f, 0.024f, 0.008f};
static const float thumb_len[3] = {0.036f, 0.027f, 0.022f};

typedef struct hand { v3 p[21]; } hand;

/* Finger k (0 index .. 3 little): joints MCP, PIP, DIP, tip. */
static void finger_fk_abd(hand *h, int k, float abd, float f1, float f2, float f3)
{
    const finger_def *fd = &fingers[k];
    v3 d0 = V(sinf(rad(abd)), cosf(rad(abd)), 0);
    float phi[3] = {rad(f1), rad(f1 + f2), rad(f1 + f2 + f3)};
    int base = LM_INDEX_MCP + 4 * k;
    h->p[base] = fd->mcp;
    for (int s = 0; s < 3; s++) {
        v3 dir = add(mul(d0, cosf(phi[s])), mul(Z, sinf(phi[s])));
        h->p[base + s + 1] = add(h->p[base + s], mul(dir, fd->len[s]));
    }
}

static float line_dist(v3 p, v3 a, v3 dir)
{
    v3 d = sub(p, a);
    return len(sub(d, mul(dir, dot(d, dir))));
}

static void finger_fk(hand *h, int k, float f1, float f2, float f3)
{
    finger_fk_abd(h, k, fingers[k].abd, f1, f2, f3);
}

/* Flexes (and spreads) finger k at the MCP so that its tip or DIP (whichever is nearer)
 * touches the pencil line; returns the remaining error in metres. */
static float finger_touch(hand *h, int k, float f2, float f3, v3 a, v3 dir)
{
    float best = INFINITY, best_f = 0, best_a = fingers[k].abd;
    float best_f2 = f2;
    for (float p2 = f2; p2 <= f2 + 40; p2 += 10)
    for (float ab = fingers[k].abd - 10; ab <= fingers[k].abd + (k == 3 ? 70 : 40); ab += 1)
        for (float f1 = -20; f1 <= 100; f1 += 1) {
            finger_fk_abd(h, k, ab, f1, p2, f3);
            int base = LM_INDEX_MCP + 4 * k;
            float d = fminf(line_dist(h->p[base + 3], a, dir), line_dist(h->p[base + 2], a, dir));
            /* prefer the natural spread among equally good solutions */
            float e = fabsf(d - TOUCH) + 1e-5f * (fabsf(ab - fingers[k].abd) + (p2 - f2));
            if (e < best) {
                best = e;
                best_f = f1;
                best_a = ab;
                best_f2 = p2;
            }
        }
    finger_fk_abd(h, k, best_a, best_f, best_f2, f3);
    return best;
}

/* Thumb: metacarpal from (radial, palmar) abduction, then a two-link solve
 * putting the tip on target with the IP joint bending towards hint. Returns
 * the distance left between tip and target. */
static float thumb_place(hand *h, float r_deg, float a_deg, v3 target, v3 hint)
{
    float r = rad(r_deg), a = rad(a_deg);
    v3 t0 = V(sinf(r) * cosf(a), cosf(r) * cosf(a), sinf(a));
    h->p[LM_THUMB_CMC] = thumb_cmc;
    v3 b = h->p[LM_THUMB_MCP] = add(thumb_cmc, mul(t0, thumb_len[0]));
    float l1 = thumb_len[1], l2 = thumb_len[2];
    v3 e = sub(target, b);
    float d = len(e);
    e = unit(e);
    float dc = fminf(fmaxf(d, fabsf(l1 - l2) + 1e-4f), l1 + l2 - 1e-4f);
    float ca = (l1 * l1 + dc * dc - l2 * l2) / (2 * l1 * dc);
    float sa = sqrtf(fmaxf(0, 1 - ca * ca));
    v3 pdir = unit(sub(hint, mul(e, dot(hint, e))));
    h->p[LM_THUMB_IP] = add(b, add(mul(e, l1 * ca), mul(pdir, l1 * sa)));
    h->p[LM_THUMB_TIP] = add(b, mul(e, dc));
    return len(sub(h->p[LM_THUMB_TIP], target));
}

/* Unit vector from the pencil line towards p, perpendicular to the line. */
static v3 away_from_line(v3 p, v3 a, v3 dir)
{
    v3 d = sub(p, a);
    return unit(sub(d, mul(dir, dot(d, dir))));
}

static void pencil_set(v3 *tip, v3 *end, v3 through, v3 dir_to_tip, float before, float after)
{
    *tip = add(through, mul(dir_to_tip, before));
    *end = sub(through, mul(dir_to_tip, after));
}

/* Index pad point: palmar of the distal phalanx, tilted radially. */
static v3 index_pad(const hand *h, float radial_tilt)
{
    v3 dist = unit(sub(h->p[LM_INDEX_TIP], h->p[LM_INDEX_DIP]));
    v3 pad = unit(sub(Z, mul(dist, dot(Z, dist))));
    return unit(add(pad, mul(X, radial_tilt)));
}

static float build_local(ps_grasp g, hand *h, v3 *tip, v3 *end)
{
    memset(h, 0, sizeof *h);
    float err = 0;
    v3 dir, q, it;
    switch (g) {
    case PS_GRASP_UNKNOWN:
    case PS_GRASP_DYNAMIC_TRIPOD:
    case PS_GRASP_LATERAL_TRIPOD:
    case PS_GRASP_DYNAMIC_QUADRUPOD:
    case PS_GRASP_LATERAL_QUADRUPOD:
    case PS_GRASP_FOUR_FINGER:
    case PS_GRASP_FIVE_FINGER: {
        int lateral = g == PS_GRASP_LATERAL_TRIPOD || g == PS_GRASP_LATERAL_QUADRUPOD;
        int closed = lateral || g == PS_GRASP_FOUR_FINGER;
        float r = closed ? 12 : g == PS_GRASP_FIVE_FINGER ? 15 : 40, a = closed ? 8 : g == PS_GRASP_FIVE_FINGER ? 60 : 45;
        finger_fk(h, 0, 35, 35, 10);
        /* thumb metacarpal first (the web point depends on it) */
        thumb_place(h, r, a, V(0, 0.09f, 0.04f), sub(X, Z));
        int more = g != PS_GRASP_DYNAMIC_TRIPOD && g != PS_GRASP_LATERAL_TRIPOD && g != PS_GRASP_UNKNOWN;
        it = h->p[LM_INDEX_TIP];
        /* with more fingers on it the barrel sits further under the index pad */
        q = add(it, mul(index_pad(h, g == PS_GRASP_FIVE_FINGER ? -0.6f : more ? -0.3f : 0.4f), TOUCH));
        v3 web = sub(mid(h->p[LM_THUMB_MCP], h->p[LM_INDEX_MCP]), mul(Z, 0.008f));
        dir = unit(sub(q, web));
        pencil_set(tip, end, q, dir, 0.025f, 0.11f);
        if (lateral) {
            /* thumb pad against the radial side of the index middle phalanx,
             * on the index's side of the pencil (crossing over it) */
            v3 side = add(mid(h->p[LM_INDEX_PIP], h->p[LM_INDEX_DIP]), mul(X, 1.6f * FINGER_R));
            err = fmaxf(err, thumb_place(h, r, a, side, sub(X, Z)));
        } else {
            v3 m = mul(away_from_line(it, q, dir), -1);
            err = fmaxf(err, thumb_place(h, r, a, add(q, mul(m, TOUCH)), sub(X, Z)));
        }
        err = fmaxf(err, finger_touch(h, 1, 50, 20, q, dir));
        if (g == PS_GRASP_DYNAMIC_QUADRUPOD || g == PS_GRASP_LATERAL_QUADRUPOD || g == PS_GRASP_FOUR_FINGER ||
            g == PS_GRASP_FIVE_FINGER)
            err = fmaxf(err, finger_touch(h, 2, 50, 20, q, dir));
        else
            finger_fk(h, 2, 75, 100, 50);
        if (g == PS_GRASP_FIVE_FINGER)
            err = fmaxf(err, finger_touch(h, 3, 50, 20, q, dir));
        else
            finger_fk(h, 3, 80, 100, 50);
        return err;
    }
    case PS_GRASP_THUMB_WRAP:
    case PS_GRASP_THUMB_TUCK: {
        finger_fk(h, 0, 35, 35, 10);
        thumb_place(h, 10, 5, V(0, 0.09f, 0.04f), sub(X, Z));
        it = h->p[LM_INDEX_TIP];
        q = add(it, mul(index_pad(h, 0.0f), TOUCH));
        v3 web = sub(mid(h->p[LM_THUMB_MCP], h->p[LM_INDEX_MCP]), mul(Z, 0.008f));
        dir = unit(sub(q, web));
        pencil_set(tip, end, q, dir, 0.025f, 0.11f);
        v3 m6 = mid(h->p[LM_INDEX_PIP], h->p[LM_INDEX_DIP]);
        v3 ph = unit(sub(h->p[LM_INDEX_DIP], h->p[LM_INDEX_PIP]));
        v3 palmar = unit(sub(Z, mul(ph, dot(Z, ph))));
        v3 target = g == PS_GRASP_THUMB_WRAP ? sub(m6, mul(palmar, 1.8f * FINGER_R))
                                             : add(add(m6, mul(palmar, 1.6f * FINGER_R)), mul(X, -1.4f * FINGER_R));
        err = fmaxf(err, thumb_place(h, 10, g == PS_GRASP_THUMB_WRAP ? 5 : 30, target,
                                     g == PS_GRASP_THUMB_WRAP ? sub(X, Z) : add(X, Z)));
        err = fmaxf(err, finger_touch(h, 1, 50, 20, q, dir));
        finger_fk(h, 2, 75, 100, 50);
        finger_fk(h, 3, 80, 100, 50);
        return err;
    }
    case PS_GRASP_INTERDIGITAL_BRACE: {
        /* index and middle spread apart around the barrel */
        finger_fk_abd(h, 0, 14, 45, 40, 10);
        finger_fk_abd(h, 1, -8, 45, 40, 10);
        finger_fk(h, 2, 75, 100, 50);
        finger_fk(h, 3, 80, 100, 50);
        v3 a1 = mid(h->p[LM_INDEX_PIP], h->p[LM_MIDDLE_PIP]);
        v3 a2 = mid(h->p[LM_INDEX_TIP], h->p[LM_MIDDLE_TIP]);
        dir = unit(sub(a2, a1));
        pencil_set(tip, end, a2, dir, 0.03f, 0.13f);
        v3 m = away_from_line(add(a2, Z), a2, dir);
        err = fmaxf(err, thumb_place(h, 35, 40, add(a2, mul(m, TOUCH)), sub(X, Z)));
        return err;
    }
    case PS_GRASP_DIGITAL_PRONATE: {
        finger_fk(h, 0, 8, 3, 0);  /* index stretched along the pencil */
        finger_fk(h, 1, 25, 35, 20);
        finger_fk(h, 2, 35, 55, 30);
        finger_fk(h, 3, 40, 60, 30);
        it = h->p[LM_INDEX_TIP];
        q = add(it, mul(Z, TOUCH));
        v3 palm = V(0, 0, 0);
        static const int pp[5] = {0, 5, 9, 13, 17};
        for (int i = 0; i < 5; i++)
            palm = add(palm, mul(h->p[pp[i]], 0.2f));
        v3 p2 = add(palm, mul(Z, 0.015f));
        dir = unit(sub(q, p2));
        pencil_set(tip, end, q, dir, 0.03f, 0.12f);
        v3 side = add(add(h->p[LM_INDEX_PIP], mul(Z, TOUCH)), mul(X, 1.2f * FINGER_R));
        err = fmaxf(err, thumb_place(h, 10, 25, side, add(X, Z)));
        return err;
    }
    case PS_GRASP_PALMAR_SUPINATE: {
        for (int k = 0; k < 4; k++)
            finger_fk(h, k, 80, 100, 55);
        v3 c = V(0.0f, 0.058f, 0.024f);
        dir = unit(V(-1, -0.15f, 0.25f));  /* tip out of the little-finger side */
        pencil_set(tip, end, c, dir, 0.07f, 0.10f);
        err = fmaxf(err, thumb_place(h, 30, 50, add(mid(h->p[LM_INDEX_PIP], h->p[LM_INDEX_DIP]), mul(Z, 0.012f)),
                                     sub(X, Z)));
        return err;
    }
    default:
        return -1;
    }
}

void grip_view_default(grip_view *v)
{
    memset(v, 0, sizeof *v);
    v->yaw_deg = 45;
    v->pitch_deg = 10;
    v->roll_deg = 20;
    v->px_per_m = 4000;  /* hand scale about 250-280 px: a hand filling a 1080p frame */
    v->cx = 700;
    v->cy = 750;
}

typedef struct mat3 { float m[3][3]; } mat3;
static mat3 mat_mul(mat3 a, mat3 b)
{
    mat3 r;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j] + a.m[i][2] * b.m[2][j];
    return r;
}
static v3 mat_apply(mat3 a, v3 p)
{
    return V(a.m[0][0] * p.x + a.m[0][1] * p.y + a.m[0][2] * p.z, a.m[1][0] * p.x + a.m[1][1] * p.y + a.m[1][2] * p.z,
             a.m[2][0] * p.x + a.m[2][1] * p.y + a.m[2][2] * p.z);
}

static mat3 view_matrix(const grip_view *v)
{
    /* base: palm towards the camera, fingers up, thumb on the image right */
    mat3 r0 = {{{1, 0, 0}, {0, -1, 0}, {0, 0, -1}}};
    float y = rad(v->yaw_deg), p = rad(v->pitch_deg), r = rad(v->roll_deg);
    mat3 ry = {{{cosf(y), 0, sinf(y)}, {0, 1, 0}, {-sinf(y), 0, cosf(y)}}};
    mat3 rx = {{{1, 0, 0}, {0, cosf(p), -sinf(p)}, {0, sinf(p), cosf(p)}}};
    mat3 rz = {{{cosf(r), -sinf(r), 0}, {sinf(r), cosf(r), 0}, {0, 0, 1}}};
    return mat_mul(rz, mat_mul(rx, mat_mul(ry, r0)));
}

int grip_synth_model(ps_grasp g, grip_hand_model *m)
{
    memset(m, 0, sizeof *m);
    hand h;
    v3 tip = {0, 0, 0}, end = {0, 0, 0};
    float err = build_local(g, &h, &tip, &end);
    if (err < 0)
        return -1;
    m->grasp = g;
    m->fit_error_m = err;
    for (int i = 0; i < 21; i++) {
        m->p[i][0] = h.p[i].x;
        m->p[i][1] = h.p[i].y;
        m->p[i][2] = h.p[i].z;
    }
    m->tip[0] = tip.x, m->tip[1] = tip.y, m->tip[2] = tip.z;
    m->end[0] = end.x, m->end[1] = end.y, m->end[2] = end.z;
    return 0;
}

int grip_synth_build(ps_grasp g, const grip_view *v, grip_synth *out)
{
    grip_hand_model m;
    if (grip_synth_model(g, &m) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    grip_synth_pose(&m, v, out);
    return 0;
}

void grip_synth_pose(const grip_hand_model *mo, const grip_view *v, grip_synth *out)
{
    memset(out, 0, sizeof *out);
    hand h;
    for (int i = 0; i < 21; i++)
        h.p[i] = V(mo->p[i][0], mo->p[i][1], mo->p[i][2]);
    v3 tip = V(mo->tip[0], mo->tip[1], mo->tip[2]), end = V(mo->end[0], mo->end[1], mo->end[2]);
    ps_grasp g = mo->grasp;
    out->fit_error_m = mo->fit_error_m;
    float sx = v->left ? -1.0f : 1.0f;
    /* a left hand seen from the same place relative to it: the mirror image */
    grip_view vv = *v;
    if (v->left) {
        vv.yaw_deg = -v->yaw_deg;
        vv.roll_deg = -v->roll_deg;
    }
    v = &vv;
    mat3 m = view_matrix(v);
    v3 centre = V(0, 0, 0);
    v3 cam[21];
    for (int i = 0; i < 21; i++) {
        v3 p = h.p[i];
        p.x *= sx;
        cam[i] = mat_apply(m, p);
        centre = add(centre, mul(cam[i], 1.0f / 21));
    }
    for (int i = 0; i < 21; i++) {
        v3 w = sub(cam[i], centre);
        out->world[i][0] = w.x;
        out->world[i][1] = w.y;
        out->world[i][2] = w.z;
        out->image[i][0] = v->cx + v->px_per_m * cam[i].x;
        out->image[i][1] = v->cy + v->px_per_m * cam[i].y;
        out->image[i][2] = v->px_per_m * cam[i].z;
    }
    v3 ends[2] = {tip, end};
    for (int e = 0; e < 2; e++) {
        v3 p = ends[e];
        p.x *= sx;
        v3 c = mat_apply(m, p);
        out->pencil_world[e][0] = c.x;
        out->pencil_world[e][1] = c.y;
        out->pencil_world[e][2] = c.z;
    }
    if (g == PS_GRASP_UNKNOWN) {
        /* the same hand with the pencil lying beside it, 1.5 hand scales
         * away in the image (perpendicular to the pencil) */
        float dx = out->pencil_world[1][0] - out->pencil_world[0][0];
        float dy = out->pencil_world[1][1] - out->pencil_world[0][1];
        float l = hypotf(dx, dy), hs = hypotf(cam[LM_MIDDLE_MCP].x - cam[0].x, cam[LM_MIDDLE_MCP].y - cam[0].y);
        float ox = -dy / l * 1.5f * hs, oy = dx / l * 1.5f * hs;
        float side = (cam[LM_MIDDLE_MCP].x - out->pencil_world[0][0]) * ox +
                     (cam[LM_MIDDLE_MCP].y - out->pencil_world[0][1]) * oy;
        if (side > 0)
            ox = -ox, oy = -oy;
        for (int e = 0; e < 2; e++) {
            out->pencil_world[e][0] += ox;
            out->pencil_world[e][1] += oy;
        }
    }
    ps_grip_pencil *pc = &out->pencil;
    pc->found = 1;
    pc->confidence = 1;
    pc->tip[0] = v->cx + v->px_per_m * out->pencil_world[0][0];
    pc->tip[1] = v->cy + v->px_per_m * out->pencil_world[0][1];
    pc->end[0] = v->cx + v->px_per_m * out->pencil_world[1][0];
    pc->end[1] = v->cy + v->px_per_m * out->pencil_world[1][1];
    pc->width_px = 2 * PENCIL_R * v->px_per_m;
    pc->angle_deg = (float)(atan2(-(pc->end[1] - pc->tip[1]), pc->end[0] - pc->tip[0]) * 180 / M_PI);
    pc->visible_len_px = hypotf(pc->end[0] - pc->tip[0], pc->end[1] - pc->tip[1]);
    pc->color[0] = 230, pc->color[1] = 190, pc->color[2] = 40;
}
