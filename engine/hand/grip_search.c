/* Hand localisation for grip views (DESIGN.md §5). On a close photo of a
 * hand holding a pencil the palm detector often sees no palm at all, while
 * the landmark model still works when it gets a good box and an upright
 * rotation. So candidate ROIs come from several cues, each is scored by the
 * landmark model's own hand-presence output, and the best are refined with
 * the landmark-to-ROI step that video tracking uses.
 *
 * Stage 1 (cheap): prior ROIs (the previous frame's hands) and the palm
 * detector at a lower threshold on the image and on two zoomed-out copies
 * (a tight crop looks like a normal palm-detector view once shrunk).
 * Stage 2 (only when stage 1 found no hand with presence > STRONG_PRESENCE):
 * skin-colour regions and the whole frame, each at 4 rotations (0, 90, 180,
 * 270 degrees).
 * The search is for close views, where the hand fills much of the frame; a
 * small hand in a wide view is the normal palm detector's job, so a hand
 * whose ROI is under CLOSE_VIEW_ROI of the image's shorter side is dropped
 * (this keeps faces in dark room photos from passing as hands).
 * The best REFINE_TOP candidates of each stage get REFINE_STEPS refinements;
 * the refined hands of both stages compete (see score_and_refine). */
#include "hand/session.h"
#include "hand/skin.h"
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAND 40
#define REFINE_TOP 3
#define REFINE_STEPS 2
#define PALM_MIN_SCORE 0.2f       /* below MediaPipe's 0.5: a weak palm is still a cue */
#define SKIN_MIN_FRAC 0.02f       /* skin regions smaller than 2% of the image are ignored */
#define DUPLICATE_OVERLAP 0.5f    /* intersection over the smaller ROI */
#define STRONG_PRESENCE 0.9f      /* stage 1 is enough when its best hand is this sure */
#define CLOSE_VIEW_ROI 0.3f       /* a found hand's ROI side >= this share of the shorter side */

typedef struct cand {
    ps_rotrect roi;
    float palm_score;
    ps_hand hand;   /* the landmark result on roi */
} cand;

static const float zooms[] = {1.0f, 1.75f, 2.5f};

static void add(cand *c, int *n, ps_rotrect r, float palm_score)
{
    if (*n >= MAX_CAND || !(r.w > 4 && r.h > 4))
        return;
    c[*n].roi = r;
    c[*n].palm_score = palm_score;
    (*n)++;
}

static void add_rotations(cand *c, int *n, ps_rotrect r)
{
    for (int k = 0; k < 4; k++) {
        r.angle = ps_angle_normalize((float)(k * M_PI / 2));
        add(c, n, r, 0);
    }
}

static int by_presence(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    return (a->hand.score < b->hand.score) - (a->hand.score > b->hand.score);
}

/* Scores candidates c[0..n) with one landmark run each, then refines the best
 * REFINE_TOP: each refinement crops the ROI the landmarks imply (as video
 * tracking does). A real hand is a fixed point of that step, a false one
 * drifts, so a refined candidate is ranked by the lower presence of its last
 * two crops and reported with the last crop's landmarks. Appends to pool
 * and sets *best_rank to the best rank added. */
typedef struct pool {
    int n;
    ps_hand hand[2 * REFINE_TOP];
    float rank[2 * REFINE_TOP];
} pool;

static ps_status score_and_refine(ps_session_t *s, const ps_image *img, const ps_hands_params *p, cand *c, int n,
                                  float min_roi, pool *pl, ps_hands_result *stats, float *best_rank)
{
    *best_rank = 0;
    for (int i = 0; i < n; i++) {
        ps_status rc = ps_hand_landmark_run(s, img, c[i].roi, p->mirrored, &c[i].hand);
        if (rc != PS_OK)
            return rc;
        stats->landmark_runs++;
    }
    qsort(c, (size_t)n, sizeof *c, by_presence);
    for (int i = 0; i < n && i < REFINE_TOP && pl->n < 2 * REFINE_TOP; i++) {
        ps_hand prev = c[i].hand, cur = c[i].hand;
        bool ok = true;
        for (int step = 0; step < REFINE_STEPS && ok; step++) {
            ps_rotrect r = ps_roi_from_landmarks((const float(*)[3])cur.landmarks);
            if (!(r.w > 4 && r.w < 1e6f)) {
                ok = false;
                break;
            }
            prev = cur;
            ps_status rc = ps_hand_landmark_run(s, img, r, p->mirrored, &cur);
            if (rc != PS_OK)
                return rc;
            stats->landmark_runs++;
        }
        if (!ok || cur.roi.w < min_roi)
            continue;
        cur.source = PS_HAND_FROM_GRIP_SEARCH;
        cur.palm_score = c[i].palm_score;
        pl->hand[pl->n] = cur;
        pl->rank[pl->n++] = fminf(prev.score, cur.score);
        *best_rank = fmaxf(*best_rank, fminf(prev.score, cur.score));
    }
    return PS_OK;
}

/* Overlap of two ROIs as intersection over the smaller one (rotation ignored):
 * a partial copy of a hand inside a larger crop of it is the same hand. */
static float overlap(ps_hand_roi a, ps_hand_roi b)
{
    float ix = fminf(a.cx + a.w / 2, b.cx + b.w / 2) - fmaxf(a.cx - a.w / 2, b.cx - b.w / 2);
    float iy = fminf(a.cy + a.h / 2, b.cy + b.h / 2) - fmaxf(a.cy - a.h / 2, b.cy - b.h / 2);
    float smaller = fminf(a.w * a.h, b.w * b.h);
    return ix > 0 && iy > 0 && smaller > 0 ? ix * iy / smaller : 0;
}

/* Moves the pool's accepted hands, best rank first, into out; returns how many. */
static int accept(pool *pl, const ps_hands_params *p, ps_hand *out, int cap)
{
    int nout = 0;
    while (nout < cap) {
        int best = -1;
        for (int i = 0; i < pl->n; i++)
            if (pl->rank[i] > p->min_presence && (best < 0 || pl->rank[i] > pl->rank[best]))
                best = i;
        if (best < 0)
            break;
        bool dup = false;
        for (int j = 0; j < nout; j++)
            dup |= overlap(out[j].roi, pl->hand[best].roi) > DUPLICATE_OVERLAP;
        if (!dup)
            out[nout++] = pl->hand[best];
        pl->rank[best] = -1;
    }
    return nout;
}

ps_status ps_hand_grip_search(ps_session_t *s, const ps_image *img, const ps_hands_params *p,
                              const ps_rotrect *prior, int nprior, ps_hand *out, int cap, int *count,
                              ps_hands_result *stats)
{
    *count = 0;
    if (cap <= 0)
        return PS_OK;
    cand c[MAX_CAND];
    pool pl = {0};
    int n = 0;
    /* stage 1: prior hands and the palm detector at several zooms */
    for (int i = 0; i < nprior; i++)
        add(c, &n, prior[i], 0);
    for (size_t z = 0; z < sizeof zooms / sizeof *zooms; z++) {
        ps_palm_det d[2];
        ps_palm_view v = ps_palm_view_letterbox(img->width, img->height, zooms[z]);
        int nd;
        ps_status rc = ps_hand_palm_run(s, img, v, PALM_MIN_SCORE, d, 2, &nd);
        stats->palm_runs++;
        if (rc != PS_OK)
            return rc;
        for (int i = 0; i < nd; i++)
            add(c, &n, ps_roi_from_palm(&d[i]), d[i].score);
    }
    float best;
    float min_roi = CLOSE_VIEW_ROI * (float)(img->width < img->height ? img->width : img->height);
    ps_status rc = score_and_refine(s, img, p, c, n, min_roi, &pl, stats, &best);
    if (rc != PS_OK)
        return rc;
    if (best > STRONG_PRESENCE) {
        *count = accept(&pl, p, out, cap);
        return PS_OK;
    }

    /* stage 2: skin regions and the whole frame, each at 4 rotations */
    n = 0;
    ps_rotrect regions[2];
    int nr = ps_skin_regions(img, SKIN_MIN_FRAC, regions, 2, s->skin_scratch);
    for (int i = 0; i < nr; i++)
        add_rotations(c, &n, regions[i]);
    float side = (float)(img->width > img->height ? img->width : img->height);
    add_rotations(c, &n, (ps_rotrect){img->width * 0.5f, img->height * 0.5f, side, side, 0});
    if ((rc = score_and_refine(s, img, p, c, n, min_roi, &pl, stats, &best)) != PS_OK)
        return rc;
    *count = accept(&pl, p, out, cap);
    return PS_OK;
}
