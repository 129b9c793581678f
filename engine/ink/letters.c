/* Letter formation: which strokes make each expected letter, and how each
 * letter was formed compared with its model: start point, direction of each
 * stroke, stroke order and count, path shape, and reversal (the mirror image
 * fits better). A letter whose shape is right but was formed another way is
 * legible with formation differences; only the shape decides legibility.
 *
 * Geometry is done in a normalised box per letter: x and y are each scaled to
 * the letter's extent, but no axis is stretched by more than 2x relative to
 * the other, so a narrow o still looks like an o and an l stays a line.
 * Strokes are resampled to LM_RESAMPLE points by arc length; path distance
 * is dynamic time warping (mean point distance along the best alignment),
 * shape distance the symmetric mean closest-point distance. */
#include "ink/letters_internal.h"
#include "core/alloc.h"
#include "core/check.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct box {
    double cx, cy, sx, sy;
} box;

static box box_of(const lm_pt *const *pts, const int *n, int ns)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int s = 0; s < ns; s++)
        for (int i = 0; i < n[s]; i++) {
            x0 = fmin(x0, pts[s][i].x);
            x1 = fmax(x1, pts[s][i].x);
            y0 = fmin(y0, pts[s][i].y);
            y1 = fmax(y1, pts[s][i].y);
        }
    double w = x1 - x0, h = y1 - y0, big = fmax(fmax(w, h), 1e-9);
    box b = {0.5 * (x0 + x1), 0.5 * (y0 + y1), fmax(w, 0.5 * big), fmax(h, 0.5 * big)};
    return b;
}

static lm_pt norm_pt(const box *b, lm_pt p, int mirror)
{
    lm_pt q = {(p.x - b->cx) / b->sx, (p.y - b->cy) / b->sy};
    if (mirror)
        q.x = -q.x;
    return q;
}

/* Arc-length resampling of a normalised path to LM_RESAMPLE points. */
static void resample(const lm_pt *p, int n, lm_pt out[LM_RESAMPLE])
{
    double total = 0;
    for (int i = 1; i < n; i++)
        total += hypot(p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);
    if (n < 2 || total <= 1e-12) {
        for (int k = 0; k < LM_RESAMPLE; k++)
            out[k] = p[0];
        return;
    }
    int seg = 1;
    double done = 0, seglen = hypot(p[1].x - p[0].x, p[1].y - p[0].y);
    for (int k = 0; k < LM_RESAMPLE; k++) {
        double target = total * k / (LM_RESAMPLE - 1);
        while (seg < n - 1 && done + seglen < target) {
            done += seglen;
            seg++;
            seglen = hypot(p[seg].x - p[seg - 1].x, p[seg].y - p[seg - 1].y);
        }
        double u = seglen > 0 ? (target - done) / seglen : 0;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        out[k].x = p[seg - 1].x + u * (p[seg].x - p[seg - 1].x);
        out[k].y = p[seg - 1].y + u * (p[seg].y - p[seg - 1].y);
    }
}

static double dist(lm_pt a, lm_pt b)
{
    return hypot(a.x - b.x, a.y - b.y);
}

/* DTW between two resampled paths; reverse_a reads a backwards. */
static double dtw(const lm_pt *a, const lm_pt *b, int reverse_a)
{
    enum { K = LM_RESAMPLE };
    double D[K][K];
    int L[K][K];
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) {
            double c = dist(a[reverse_a ? K - 1 - i : i], b[j]);
            if (i == 0 && j == 0) {
                D[i][j] = c;
                L[i][j] = 1;
                continue;
            }
            double best = INFINITY;
            int len = 0;
            if (i > 0 && D[i - 1][j] < best) best = D[i - 1][j], len = L[i - 1][j];
            if (j > 0 && D[i][j - 1] < best) best = D[i][j - 1], len = L[i][j - 1];
            if (i > 0 && j > 0 && D[i - 1][j - 1] <= best) best = D[i - 1][j - 1], len = L[i - 1][j - 1];
            D[i][j] = best + c;
            L[i][j] = len + 1;
        }
    return D[K - 1][K - 1] / L[K - 1][K - 1];
}

static double seg_dist(lm_pt p, lm_pt a, lm_pt b)
{
    double vx = b.x - a.x, vy = b.y - a.y, l2 = vx * vx + vy * vy;
    double u = l2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / l2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    return hypot(p.x - (a.x + u * vx), p.y - (a.y + u * vy));
}

/* Mean distance from the points of a to the polylines of b (paths of
 * LM_RESAMPLE points each): to the lines, not to b's points, so that two
 * samplings of one curve are 0 apart. */
static double mean_to_paths(const lm_pt *a, int na_paths, const lm_pt *b, int nb_paths)
{
    double s = 0;
    for (int i = 0; i < na_paths * LM_RESAMPLE; i++) {
        double m = INFINITY;
        for (int q = 0; q < nb_paths; q++) {
            const lm_pt *p = b + q * LM_RESAMPLE;
            for (int k = 0; k + 1 < LM_RESAMPLE; k++)
                m = fmin(m, seg_dist(a[i], p[k], p[k + 1]));
        }
        s += m;
    }
    return s / (na_paths * LM_RESAMPLE);
}

/* Symmetric mean closest-point distance between two sets of paths. */
static double chamfer(const lm_pt *a, int na_paths, const lm_pt *b, int nb_paths)
{
    if (!na_paths || !nb_paths)
        return INFINITY;
    return 0.5 * (mean_to_paths(a, na_paths, b, nb_paths) + mean_to_paths(b, nb_paths, a, na_paths));
}

static double signed_area(const lm_pt *p)
{
    double a = 0;
    for (int i = 0; i < LM_RESAMPLE; i++) {
        lm_pt u = p[i], v = p[(i + 1) % LM_RESAMPLE];
        a += u.x * v.y - v.x * u.y;
    }
    return 0.5 * a;
}

static double path_len(const lm_pt *p)
{
    double l = 0;
    for (int i = 1; i < LM_RESAMPLE; i++)
        l += dist(p[i], p[i - 1]);
    return l;
}

/* A letter's strokes, normalised and resampled. */
typedef struct nletter {
    int n;
    lm_pt r[PS_INK_LETTER_MAX_STROKES][LM_RESAMPLE];
    lm_pt start;           /* start of the first stroke */
    int dot[PS_INK_LETTER_MAX_STROKES];
} nletter;

/* Normalises a letter's strokes (decimated to LM_MAX_POINTS each, sheared
 * by shear = tan(angle) about the letter's middle height, optionally
 * mirrored) into its box and resamples them. */
static void normalise(const lm_pt *const *pts, const int *n, int ns, int mirror, double shear, nletter *out)
{
    lm_pt buf[PS_INK_LETTER_MAX_STROKES][LM_MAX_POINTS];
    const lm_pt *bp[PS_INK_LETTER_MAX_STROKES];
    int bn[PS_INK_LETTER_MAX_STROKES];
    double y0 = INFINITY, y1 = -INFINITY;
    for (int s = 0; s < ns; s++)
        for (int i = 0; i < n[s]; i++) {
            y0 = fmin(y0, pts[s][i].y);
            y1 = fmax(y1, pts[s][i].y);
        }
    double cy = 0.5 * (y0 + y1);
    for (int s = 0; s < ns; s++) {
        int m = n[s] < LM_MAX_POINTS ? n[s] : LM_MAX_POINTS;
        for (int i = 0; i < m; i++) {
            int src = m == n[s] ? i : (int)((double)i * (n[s] - 1) / (m - 1));
            lm_pt q = pts[s][src];
            buf[s][i].x = q.x + shear * (q.y - cy);
            buf[s][i].y = q.y;
        }
        bp[s] = buf[s];
        bn[s] = m;
    }
    box b = box_of(bp, bn, ns);
    out->n = ns;
    lm_pt tmp[LM_MAX_POINTS];
    for (int s = 0; s < ns; s++) {
        for (int i = 0; i < bn[s]; i++)
            tmp[i] = norm_pt(&b, buf[s][i], mirror);
        resample(tmp, bn[s], out->r[s]);
        double ext = 0;
        for (int i = 0; i < LM_RESAMPLE; i++)
            ext = fmax(ext, dist(out->r[s][i], out->r[s][0]));
        out->dot[s] = ext < LM_DOT_MAX;
    }
    out->start = out->r[0][0];
}

static double shape_distance(const nletter *a, const nletter *b)
{
    return chamfer(&a->r[0][0], a->n, &b->r[0][0], b->n);
}

static void model_letter(const lm_variant *v, int mirror, nletter *out)
{
    const lm_pt *pts[PS_INK_LETTER_MAX_STROKES] = {0};
    int n[PS_INK_LETTER_MAX_STROKES] = {0};
    for (int s = 0; s < v->n_strokes; s++) {
        pts[s] = v->strokes[s].pts;
        n[s] = v->strokes[s].n;
    }
    normalise(pts, n, v->n_strokes, mirror, 0, out);
}

/* Compares one written letter with the models of its character. */
/* Slant is not a formation difference (the page metrics measure it): each
 * written letter is compared at several shears and the best fit is kept. */
#define LM_SHEARS 9
static const double shear_deg[LM_SHEARS] = {0, -7.5, 7.5, -15, 15, -22.5, 22.5, -30, 30};

static void judge_letter(const lm_letter *model, const nletter *ws, ps_ink_letter *L)
{
    int best = -1, best_w = 0;
    double best_cost = INFINITY;
    nletter m, mm;
    for (int v = 0; v < model->n_variants; v++) {
        model_letter(&model->variants[v], 0, &m);
        for (int k = 0; k < LM_SHEARS; k++) {
            double d = shape_distance(&ws[k], &m);
            /* prefer the form with the written stroke count, and upright */
            double cost = d + 0.03 * abs(ws[k].n - m.n) + 0.0005 * fabs(shear_deg[k]);
            if (cost < best_cost) {
                best_cost = cost;
                best = v;
                best_w = k;
            }
        }
    }
    if (PS_NEVER(best < 0)) /* no finite distance to any variant: a letter or model without strokes */
        return;
    const nletter *w = &ws[best_w];
    const lm_variant *V = &model->variants[best];
    model_letter(V, 0, &m);
    model_letter(V, 1, &mm);
    L->variant = best;
    L->model_strokes = V->n_strokes;
    L->shape_distance = shape_distance(w, &m);
    L->mirror_distance = INFINITY;
    for (int k = 0; k < LM_SHEARS; k++)
        L->mirror_distance = fmin(L->mirror_distance, shape_distance(&ws[k], &mm));
    L->reversal = L->mirror_distance < LM_REVERSAL_RATIO * L->shape_distance &&
                  L->shape_distance - L->mirror_distance > LM_REVERSAL_MARGIN && L->mirror_distance <= LM_LEGIBLE_MAX;
    L->legible = !L->reversal && L->shape_distance <= LM_LEGIBLE_MAX;

    /* stroke correspondence: cheapest pairs first */
    double cost[PS_INK_LETTER_MAX_STROKES][PS_INK_LETTER_MAX_STROKES];
    int rev[PS_INK_LETTER_MAX_STROKES][PS_INK_LETTER_MAX_STROKES];
    for (int i = 0; i < w->n; i++)
        for (int j = 0; j < m.n; j++) {
            rev[i][j] = 0;
            if (w->dot[i] || m.dot[j]) {
                cost[i][j] = w->dot[i] && m.dot[j] ? dist(w->r[i][0], m.r[j][0]) : 1e3;
                continue;
            }
            int closed = dist(m.r[j][0], m.r[j][LM_RESAMPLE - 1]) < 0.15 && path_len(m.r[j]) > 0.5;
            if (closed) {
                cost[i][j] = chamfer(w->r[i], 1, m.r[j], 1);
                double aw = signed_area(w->r[i]), am = signed_area(m.r[j]);
                rev[i][j] = fabs(aw) > 0.02 && (aw > 0) != (am > 0);
            } else {
                double f = dtw(w->r[i], m.r[j], 0), b = dtw(w->r[i], m.r[j], 1);
                cost[i][j] = fmin(f, b);
                rev[i][j] = b < LM_DIR_RATIO * f;
            }
        }
    int match_w[PS_INK_LETTER_MAX_STROKES], used_m[PS_INK_LETTER_MAX_STROKES] = {0};
    for (int i = 0; i < w->n; i++)
        match_w[i] = -1;
    for (int k = 0; k < w->n && k < m.n; k++) {
        double c = INFINITY;
        int bi = -1, bj = -1;
        for (int i = 0; i < w->n; i++)
            for (int j = 0; j < m.n; j++)
                if (match_w[i] < 0 && !used_m[j] && cost[i][j] < c) {
                    c = cost[i][j];
                    bi = i;
                    bj = j;
                }
        if (bi < 0 || c >= 1e3)
            break;
        match_w[bi] = bj;
        used_m[bj] = 1;
    }
    L->stroke_count_error = w->n != m.n;
    int last = -1;
    L->order_error = 0;
    L->direction_errors = 0;
    for (int i = 0; i < w->n; i++) {
        int j = match_w[i];
        if (j < 0)
            continue;
        if (j < last)
            L->order_error = 1;
        last = j;
        if (!w->dot[i] && rev[i][j])
            L->direction_errors++;
    }
    L->start_error = dist(w->start, m.start) > LM_START_MAX;
    /* score: shape similarity times the share of formation checks passed */
    double shape = L->reversal ? L->mirror_distance : L->shape_distance;
    double sim = 1 - shape / (2 * LM_LEGIBLE_MAX);
    sim = sim < 0 ? 0 : sim > 1 ? 1 : sim;
    double keep = 1 - 0.2 * L->start_error - 0.2 * (L->direction_errors > 0) - 0.15 * L->order_error -
                  0.15 * L->stroke_count_error;
    if (L->reversal)
        keep *= 0.5;
    L->score = 100 * sim * (keep > 0 ? keep : 0);
}

/* ---- which strokes make which letter ---- */

typedef struct sbox {
    int idx;            /* index into the result's strokes */
    double x0, x1, y0, y1, tm;
} sbox;

static int cmp_cx(const void *a, const void *b)
{
    const sbox *p = a, *q = b;
    double u = p->x0 + p->x1, v = q->x0 + q->x1;
    return (u > v) - (u < v);
}

static int cmp_tm(const void *a, const void *b)
{
    const sbox *p = a, *q = b;
    if (p->tm != q->tm)
        return (p->tm > q->tm) - (p->tm < q->tm);
    return p->idx - q->idx;
}

typedef struct cluster {
    double x0, x1;
    int first, count; /* range in the x-sorted stroke list */
} cluster;

typedef struct gap {
    double size;
    int at; /* boundary after this index */
} gap;

static int cmp_gap_desc(const void *a, const void *b)
{
    const gap *p = a, *q = b;
    if (p->size != q->size)
        return (p->size < q->size) - (p->size > q->size);
    return p->at - q->at;
}

static int cmp_gap_at(const void *a, const void *b)
{
    return ((const gap *)a)->at - ((const gap *)b)->at;
}

static void cluster_extent(cluster *c, const sbox *sb)
{
    c->x0 = INFINITY;
    c->x1 = -INFINITY;
    for (int k = c->first; k < c->first + c->count; k++) {
        c->x0 = fmin(c->x0, sb[k].x0);
        c->x1 = fmax(c->x1, sb[k].x1);
    }
}

/* Groups pen-down strokes into n letters by horizontal position: strokes
 * that overlap in x (by half the narrower one) form one group; with too many
 * groups the n-1 widest gaps between groups separate the letters, with too
 * few the widest gaps between stroke centres inside groups are split. Both
 * are sorts, so hostile stroke counts stay O(s log s). Returns the number
 * of groups made; gp is scratch for ns + 1 gaps. */
static int group_by_position(sbox *sb, int ns, int n, cluster *cl, gap *gp)
{
    qsort(sb, (size_t)ns, sizeof *sb, cmp_cx);
    int nc = 0;
    for (int i = 0; i < ns; i++) {
        if (nc) {
            cluster *c = &cl[nc - 1];
            double ov = fmin(c->x1, sb[i].x1) - fmax(c->x0, sb[i].x0);
            double minw = fmin(c->x1 - c->x0, sb[i].x1 - sb[i].x0);
            if (ov >= 0.5 * minw && ov >= 0) {
                c->x0 = fmin(c->x0, sb[i].x0);
                c->x1 = fmax(c->x1, sb[i].x1);
                c->count++;
                continue;
            }
        }
        cl[nc].x0 = sb[i].x0;
        cl[nc].x1 = sb[i].x1;
        cl[nc].first = i;
        cl[nc].count = 1;
        nc++;
    }
    int ng = 0;
    if (nc > n) { /* keep the n-1 widest gaps between groups */
        for (int i = 0; i + 1 < nc; i++)
            gp[ng++] = (gap){cl[i + 1].x0 - cl[i].x1, cl[i + 1].first - 1};
    } else if (nc < n) { /* split at the widest gaps between stroke centres */
        for (int c = 0; c < nc; c++)
            for (int k = cl[c].first; k + 1 < cl[c].first + cl[c].count; k++)
                gp[ng++] = (gap){(sb[k + 1].x0 + sb[k + 1].x1 - sb[k].x0 - sb[k].x1) / 2, k};
        for (int c = 0; c + 1 < nc; c++) /* the existing group boundaries stay */
            gp[ng++] = (gap){INFINITY, cl[c].first + cl[c].count - 1};
    } else
        return nc;
    qsort(gp, (size_t)ng, sizeof *gp, cmp_gap_desc);
    int keep = n - 1 < ng ? n - 1 : ng;
    qsort(gp, (size_t)keep, sizeof *gp, cmp_gap_at);
    int start = 0;
    nc = 0;
    for (int g = 0; g <= keep; g++) {
        int end = g < keep ? gp[g].at + 1 : ns;
        cl[nc].first = start;
        cl[nc].count = end - start;
        cluster_extent(&cl[nc], sb);
        nc++;
        start = end;
    }
    return nc;
}

static int cmp_cy(const void *a, const void *b)
{
    const sbox *p = a, *q = b;
    double u = p->y0 + p->y1, v = q->y0 + q->y1;
    return (u > v) - (u < v);
}

/* Sorts strokes by height on the page and cuts them into k rows at the k-1
 * widest gaps between consecutive stroke centres. Each cut must be at least
 * the median stroke height (line spacing is far wider than the spread of
 * centres inside a line); otherwise the writing is taken as one row. The
 * cuts are left in gp[0..k-2] in page order; returns the number of rows. */
static int split_rows(sbox *sb, int ns, int k, gap *gp)
{
    qsort(sb, (size_t)ns, sizeof *sb, cmp_cy);
    if (k <= 1 || ns < k)
        return 1;
    int ng = 0;
    for (int i = 0; i < ns; i++) /* stroke heights, sorted, for their median */
        gp[ng++] = (gap){sb[i].y1 - sb[i].y0, i};
    qsort(gp, (size_t)ng, sizeof *gp, cmp_gap_desc);
    double hmed = gp[ng / 2].size;
    ng = 0;
    for (int i = 0; i + 1 < ns; i++)
        gp[ng++] = (gap){(sb[i + 1].y0 + sb[i + 1].y1 - sb[i].y0 - sb[i].y1) / 2, i};
    qsort(gp, (size_t)ng, sizeof *gp, cmp_gap_desc);
    if (gp[k - 2].size < hmed)
        return 1;
    qsort(gp, (size_t)(k - 1), sizeof *gp, cmp_gap_at);
    return k;
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static void fill_letter_geometry(const ps_ink *ink, const ps_ink_result *r, ps_ink_letter *L)
{
    L->x0_mm = L->y0_mm = L->t0_s = INFINITY;
    L->x1_mm = L->y1_mm = L->t1_s = -INFINITY;
    for (int k = 0; k < L->n_strokes; k++) {
        const ps_ink_stroke *s = &r->strokes[L->strokes[k]];
        for (size_t i = s->first; i < s->first + s->count; i++) {
            L->x0_mm = fmin(L->x0_mm, ink->x_mm[i]);
            L->x1_mm = fmax(L->x1_mm, ink->x_mm[i]);
            L->y0_mm = fmin(L->y0_mm, ink->y_mm[i]);
            L->y1_mm = fmax(L->y1_mm, ink->y_mm[i]);
        }
        L->t0_s = fmin(L->t0_s, ink->t_s[s->first]);
        L->t1_s = fmax(L->t1_s, ink->t_s[s->first + s->count - 1]);
    }
}

static void judge(const ps_ink *ink, const ps_ink_result *r, const ps_letter_models_t *models, ps_ink_letter *L)
{
    unsigned char c = (unsigned char)L->ch;
    L->has_model = models && c < 128 && models->letters[c].n_variants > 0;
    L->shape_distance = L->mirror_distance = L->score = NAN;
    if (!L->found || !L->has_model)
        return;
    const lm_pt *pts[PS_INK_LETTER_MAX_STROKES];
    int n[PS_INK_LETTER_MAX_STROKES];
    lm_pt *buf[PS_INK_LETTER_MAX_STROKES] = {0};
    bool ok = true;
    for (int k = 0; k < L->n_strokes; k++) {
        const ps_ink_stroke *s = &r->strokes[L->strokes[k]];
        size_t cnt = s->count < LM_MAX_POINTS ? s->count : LM_MAX_POINTS;
        buf[k] = ps_malloc(cnt * sizeof *buf[k]);
        if (!buf[k]) {
            ok = false;
            break;
        }
        for (size_t i = 0; i < cnt; i++) { /* evenly spaced samples of long strokes */
            size_t src = s->first + (cnt == s->count ? i : (size_t)((double)i * (s->count - 1) / (cnt - 1)));
            buf[k][i].x = ink->x_mm[src];
            buf[k][i].y = ink->y_mm[src];
        }
        pts[k] = buf[k];
        n[k] = (int)cnt;
    }
    if (ok) {
        nletter *w = ps_malloc(LM_SHEARS * sizeof *w);
        if (w) {
            for (int k = 0; k < LM_SHEARS; k++)
                normalise(pts, n, L->n_strokes, 0, tan(shear_deg[k] * M_PI / 180), &w[k]);
            judge_letter(&models->letters[c], w, L);
            ps_free(w);
        }
    }
    for (int k = 0; k < L->n_strokes; k++)
        ps_free(buf[k]);
}

ps_status ink_letters_analyse(const ps_ink *ink, const ps_ink_params *p, ps_ink_result *r)
{
    /* expected letters */
    size_t n = 0;
    if (p->task)
        n = p->n_task;
    else
        for (const char *s = p->text; *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\n')
                n++;
    if (n == 0) {
        ink_warn(r, "letter formation: no letters expected");
        return PS_OK;
    }
    if (n > 4096)
        return ps_fail(PS_ERR_LIMIT, "more than 4096 expected letters");
    r->letters = ps_calloc(n, sizeof *r->letters);
    if (!r->letters)
        return ps_fail(PS_ERR_NOMEM, "out of memory for %zu letters", n);
    r->n_letters = n;
    size_t k = 0;
    bool non_ascii = false;
    if (p->task)
        for (; k < n; k++)
            r->letters[k].ch = p->task[k].ch;
    else
        for (const char *s = p->text; *s; s++)
            if (*s != ' ' && *s != '\t' && *s != '\n') {
                if ((unsigned char)*s >= 0x80)
                    non_ascii = true;
                r->letters[k++].ch = *s;
            }
    if (non_ascii)
        ink_warn(r, "letter formation: only ASCII letters and digits have models; others are not judged");

    /* pen-down strokes */
    int ns = 0;
    for (size_t i = 0; i < r->n_strokes; i++)
        ns += r->strokes[i].pen_down;
    sbox *sb = ps_calloc((size_t)ns + 1, sizeof *sb);
    cluster *cl = ps_calloc(n + (size_t)ns + 1, sizeof *cl);
    gap *gp = ps_calloc((size_t)ns + n + PS_INK_MAX_TEXT_LINES + 1, sizeof *gp);
    if (!sb || !cl || !gp) {
        ps_free(sb);
        ps_free(cl);
        ps_free(gp);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int q = 0;
    for (size_t i = 0; i < r->n_strokes; i++) {
        const ps_ink_stroke *s = &r->strokes[i];
        if (!s->pen_down)
            continue;
        sbox *b = &sb[q++];
        b->idx = (int)i;
        b->x0 = b->y0 = INFINITY;
        b->x1 = b->y1 = -INFINITY;
        for (size_t j = s->first; j < s->first + s->count; j++) {
            b->x0 = fmin(b->x0, ink->x_mm[j]);
            b->x1 = fmax(b->x1, ink->x_mm[j]);
            b->y0 = fmin(b->y0, ink->y_mm[j]);
            b->y1 = fmax(b->y1, ink->y_mm[j]);
        }
        b->tm = 0.5 * (ink->t_s[s->first] + ink->t_s[s->first + s->count - 1]);
    }
    bool too_many = false;
    if (p->task) { /* strokes by the time of their middle, found by binary search */
        qsort(sb, (size_t)ns, sizeof *sb, cmp_tm);
        for (size_t l = 0; l < n; l++) {
            ps_ink_letter *L = &r->letters[l];
            int lo = 0, hi = ns;
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (sb[mid].tm < p->task[l].t0_s)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (int i = lo; i < ns && sb[i].tm <= p->task[l].t1_s; i++) {
                if (L->n_strokes < PS_INK_LETTER_MAX_STROKES)
                    L->strokes[L->n_strokes++] = sb[i].idx;
                else
                    too_many = true;
            }
        }
    } else {
        /* lines of text (newlines in --text): rows of strokes, top to bottom */
        int lines = 1, per_line[PS_INK_MAX_TEXT_LINES] = {0};
        for (const char *t = p->text; *t; t++) {
            if (*t == '\n') {
                if (lines < PS_INK_MAX_TEXT_LINES)
                    lines++;
            } else if (*t != ' ' && *t != '\t')
                per_line[lines - 1]++;
        }
        int rows = split_rows(sb, ns, lines, gp);
        if (rows != lines)
            ink_warn(r, "letter formation: found %d rows of writing for %d lines of text", rows, lines);
        int start = 0, letter = 0, made = 0;
        for (int row = 0; row < rows; row++) {
            int end = row + 1 < rows ? gp[row].at + 1 : ns;
            int want = rows == lines ? per_line[row] : (int)n;
            if (rows != lines) { /* fall back to one line */
                end = ns;
                row = rows;
            }
            int nc = want > 0 ? group_by_position(sb + start, end - start, want, cl, gp + rows) : 0;
            made += nc;
            for (int c = 0; c < nc && c < want && (size_t)letter + c < n; c++) {
                ps_ink_letter *L = &r->letters[letter + c];
                for (int i = start + cl[c].first; i < start + cl[c].first + cl[c].count; i++) {
                    if (L->n_strokes < PS_INK_LETTER_MAX_STROKES)
                        L->strokes[L->n_strokes++] = sb[i].idx;
                    else
                        too_many = true;
                }
            }
            letter += want;
            start = end;
        }
        if ((size_t)made != n)
            ink_warn(r, "letter formation: found %d letter groups for %zu expected letters (joined or missing letters)",
                     made, n);
    }
    if (too_many)
        ink_warn(r, "letter formation: letters of more than %d strokes keep their first %d",
                 PS_INK_LETTER_MAX_STROKES, PS_INK_LETTER_MAX_STROKES);
    ps_free(sb);
    ps_free(cl);
    ps_free(gp);

    double score = 0, nscored = 0, found = 0;
    double se = 0, de = 0, oe = 0, ce = 0, rv = 0;
    for (size_t l = 0; l < n; l++) {
        ps_ink_letter *L = &r->letters[l];
        qsort(L->strokes, (size_t)L->n_strokes, sizeof(int), cmp_int); /* time order */
        L->found = L->n_strokes > 0;
        if (L->found) {
            found++;
            fill_letter_geometry(ink, r, L);
        } else {
            L->x0_mm = L->y0_mm = L->x1_mm = L->y1_mm = L->t0_s = L->t1_s = NAN;
        }
        judge(ink, r, p->models, L);
        if (!isnan(L->score)) {
            score += L->score;
            nscored++;
            se += L->start_error;
            de += L->direction_errors > 0;
            oe += L->order_error;
            ce += L->stroke_count_error;
            rv += L->reversal;
        }
    }
    ps_ink_metrics *m = &r->m;
    if (!p->models)
        ink_warn(r, "letter formation: no letter models loaded");
    if (nscored > 0) {
        m->formation_score = score / nscored;
        m->start_errors = se;
        m->direction_errors = de;
        m->order_errors = oe;
        m->stroke_count_errors = ce;
        m->reversals = rv;
    } else if (p->models)
        ink_warn(r, "letter formation: no letter could be matched to a model");
    m->letters_per_min = m->duration_s > 0 ? found / m->duration_s * 60 : NAN;
    return PS_OK;
}
