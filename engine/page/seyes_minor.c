/* Seyès paper's fine lines where the faint mask lost them. In a phone photo
 * (blur, JPEG, a page of ~150-270 dpi) the 2 mm lines are 0.1 mm of light
 * violet: 10-25 gray levels under the paper, above any Sauvola threshold
 * that does not also take the paper's noise, while the heavier 8 mm lines
 * are found. Between two neighbouring heavy lines, the gray is read along
 * the lines' own tilt at each fraction of the gap; the median over the
 * columns free of ink there (the ink mask: no writing between the two
 * lines) gives a clean profile in which the three fine lines show as dips
 * at the quarters of the gap. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a gap within this share of the median is one pitch of the ruling */
#define GAP_TOL 0.12
/* a line found is a heavy one when at least this share of the median
 * strength (fine lines the mask caught in places are far weaker) */
#define HEAVY_SHARE 0.5
/* a dip is read within this fraction of the gap of its quarter; paper is
 * read farther than PAPER_OFF from every quarter and from the lines */
#define DIP_WIN (1.0 / 16)
#define PAPER_OFF (1.0 / 12)
/* dips of at least this many gray levels and this many times the paper's
 * mean deviation along the gap count as printed lines */
#define DIP_MIN 3.0
#define DIP_NOISE 4.0
/* the heavy lines are at least this many times deeper than the fine ones
 * (the README's Seyès rule for lines found in the mask) */
#define HEAVY_RATIO 1.6
/* share of the regular gaps that must show all three fine lines */
#define GAPS_SHOWING 0.7
/* a gap is read over at least this many ink-free columns */
#define MIN_COLUMNS 24

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* Median of the gray over the columns xs along the row y0 + s (x - W/2)
 * (linearly interpolated between rows; rows outside the image are skipped). */
static float column_median(const ps_image *g, const int *xs, int nx, double y0, double s, int *hist)
{
    memset(hist, 0, sizeof(int) * 256);
    int n = 0, W = g->width, H = g->height;
    for (int i = 0; i < nx; i++) {
        double y = y0 + s * (xs[i] - W / 2.0);
        int yi = (int)floor(y);
        if (yi < 0 || yi + 1 >= H)
            continue;
        double f = y - yi;
        const uint8_t *p = g->data + (size_t)yi * g->stride + xs[i];
        hist[(int)((1 - f) * p[0] + f * p[g->stride] + 0.5)]++;
        n++;
    }
    if (!n)
        return NAN;
    for (int v = 0, acc = 0; v < 256; v++) {
        acc += hist[v];
        if (acc * 2 >= n)
            return (float)v;
    }
    return 255;
}

/* The columns of xs with no ink in mask between the rows ya + s (x - W/2)
 * and yb + s (x - W/2), written to out; returns their number. */
static int ink_free_columns(const ps_image *mask, const int *xs, int nx, double ya, double yb, double s, int *out)
{
    int n = 0, W = mask->width, H = mask->height;
    for (int i = 0; i < nx; i++) {
        double dy = s * (xs[i] - W / 2.0);
        int y0 = (int)ceil(ya + dy), y1 = (int)floor(yb + dy), ink = 0;
        if (y0 < 0 || y1 >= H)
            continue;
        for (int y = y0; y <= y1 && !ink; y++)
            ink = mask->data[(size_t)y * mask->stride + xs[i]] != 0;
        if (!ink)
            out[n++] = xs[i];
    }
    return n;
}

/* One gap's profile pr[0..M] (gray at fraction k/M of the gap): 1 when it
 * shows three fine lines at its quarters, their fractions in at[]. */
static int gap_shows_fine_lines(const float *pr, int M, float *paper, float at[3])
{
    int np = 0;
    for (int k = 0; k <= M; k++) {
        double q = 4.0 * k / M, off = fabs(q - floor(q + 0.5)) / 4;
        if (off >= PAPER_OFF && isfinite(pr[k]))
            paper[np++] = pr[k];
    }
    if (np < 4)
        return 0;
    qsort(paper, np, sizeof *paper, cmp_float);
    float level = paper[np / 2], darkest = paper[0], spread = 0;
    for (int k = 0; k < np; k++)
        spread += fabsf(paper[k] - level);
    spread /= np;
    /* the heavy lines' own depth at the gap's ends */
    float main_depth = 0;
    for (int k = 0; k <= M; k++) {
        double f = (double)k / M;
        if ((f <= DIP_WIN || f >= 1 - DIP_WIN) && isfinite(pr[k]) && level - pr[k] > main_depth)
            main_depth = level - pr[k];
    }
    float depth[3];
    for (int q = 0; q < 3; q++) {
        double c = (q + 1) / 4.0;
        int kmin = -1;
        for (int k = 0; k <= M; k++)
            if (fabs((double)k / M - c) <= DIP_WIN && isfinite(pr[k]) && (kmin < 0 || pr[k] < pr[kmin]))
                kmin = k;
        if (kmin < 0)
            return 0;
        depth[q] = level - pr[kmin];
        /* the dip's centre to a fraction of a row: a parabola through the
         * minimum and its neighbours */
        double sub = 0;
        if (kmin > 0 && kmin < M && isfinite(pr[kmin - 1]) && isfinite(pr[kmin + 1])) {
            double l = pr[kmin - 1], m = pr[kmin], rr = pr[kmin + 1], den = l - 2 * m + rr;
            if (den > 0)
                sub = 0.5 * (l - rr) / den;
        }
        at[q] = (float)((kmin + sub) / M);
    }
    float thr = DIP_NOISE * spread > DIP_MIN ? (float)(DIP_NOISE * spread) : (float)DIP_MIN;
    float dmin = depth[0], dmax = depth[0];
    for (int q = 1; q < 3; q++) {
        dmin = depth[q] < dmin ? depth[q] : dmin;
        dmax = depth[q] > dmax ? depth[q] : dmax;
    }
    /* three fine lines alike, fainter than the heavy ones, and no dip of
     * their kind elsewhere in the gap (a finer pattern, a texture) */
    return dmin >= thr && dmin * 2 >= dmax && main_depth >= HEAVY_RATIO * dmax && level - darkest < 0.5f * dmin;
}

ps_status pg_seyes_minor_lines(const ps_image *gray, const ps_image *ink, pg_ruling *r, int *found)
{
    *found = 0;
    int n = r->nrule, W = gray->width;
    if (n < 4 || W < 64)
        return PS_OK;
    /* the heavy lines: solid and near the median strength */
    float *tmp = ps_malloc(sizeof(float) * (size_t)n);
    int *heavy = ps_malloc(sizeof(int) * (size_t)n);
    if (!tmp || !heavy) {
        ps_free(tmp);
        ps_free(heavy);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        tmp[i] = r->rule[i].strength;
    qsort(tmp, n, sizeof *tmp, cmp_float);
    float smed = tmp[n / 2];
    int nh = 0;
    for (int i = 0; i < n; i++)
        if (!r->rule[i].dashed && r->rule[i].strength >= HEAVY_SHARE * smed)
            heavy[nh++] = i;
    float P = 0;
    if (nh >= 4) {
        for (int j = 0; j + 1 < nh; j++)
            tmp[j] = r->rule[heavy[j + 1]].y - r->rule[heavy[j]].y;
        qsort(tmp, nh - 1, sizeof *tmp, cmp_float);
        P = tmp[(nh - 2) / 2];
    }
    ps_free(tmp);
    /* the fine lines a quarter apart must be resolvable: 3 rows */
    int M = (int)lround(P), nreg = 0;
    for (int j = 0; j + 1 < nh && P > 0; j++)
        nreg += fabsf(r->rule[heavy[j + 1]].y - r->rule[heavy[j]].y - P) <= GAP_TOL * P;
    /* the heavy lines must be evenly spaced (a ruling of one pitch, nearly
     * every gap), not a pattern of their own (primary groups) */
    if (P < 12 || M > 4096 || nreg < 3 || nreg * 10 < (nh - 1) * 8) {
        ps_free(heavy);
        return PS_OK;
    }
    /* columns: the middle 90 % of the width, at most 256 of them (a
     * median over a hundred is steady to a fraction of a level) */
    int step = W / 256 > 1 ? W / 256 : 1, nx = 0;
    int *xs = ps_malloc(sizeof(int) * 2 * (size_t)(W / step + 1) + sizeof(int) * 256);
    float *pr = ps_malloc(sizeof(float) * 2 * (size_t)(M + 1));
    float *fq = ps_malloc(sizeof(float) * 3 * (size_t)nh);
    if (!xs || !pr || !fq) {
        ps_free(xs);
        ps_free(pr);
        ps_free(fq);
        ps_free(heavy);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int x = W / 20; x < W - W / 20; x += step)
        xs[nx++] = x;
    int *clean = xs + nx, *hist = clean + nx;
    float *paper = pr + M + 1, *qpos[3] = {fq, fq + nh, fq + 2 * nh};
    int shown = 0, tested = 0, nfq = 0;
    /* stop once too many gaps failed for the rest to make up (the same
     * answer: single-ruled pages and Seyès scans, whose fine lines are in
     * the mask, fail their first gaps) */
    for (int j = 0; j + 1 < nh && tested - shown <= (1 - GAPS_SHOWING) * nreg; j++) {
        const pg_rule *a = &r->rule[heavy[j]], *b = &r->rule[heavy[j + 1]];
        float gap = b->y - a->y;
        if (fabsf(gap - P) > GAP_TOL * P)
            continue;
        /* between the heavy lines and clear of their blur */
        double guard = 0.5 * (a->thick > b->thick ? a->thick : b->thick) + 2;
        int nc = ink_free_columns(ink, xs, nx, a->y + guard, b->y - guard, 0.5 * (a->slope + b->slope), clean);
        if (nc < MIN_COLUMNS)
            continue;
        for (int k = 0; k <= M; k++) {
            double f = (double)k / M;
            pr[k] = column_median(gray, clean, nc, a->y + f * gap, a->slope + f * (b->slope - a->slope), hist);
        }
        tested++;
        float at[3];
        if (gap_shows_fine_lines(pr, M, paper, at)) {
            shown++;
            for (int q = 0; q < 3; q++)
                qpos[q][nfq] = at[q];
            nfq++;
        }
    }
    ps_free(xs);
    ps_free(pr);
    if (tested < 3 || shown < GAPS_SHOWING * tested) {
        ps_free(fq);
        ps_free(heavy);
        return PS_OK;
    }
    /* where each fine line sits in its gap: the median over the gaps */
    float frac[3];
    for (int q = 0; q < 3; q++) {
        qsort(qpos[q], nfq, sizeof(float), cmp_float);
        frac[q] = qpos[q][nfq / 2];
    }
    ps_free(fq);
    /* every line found that is not a heavy one is a fine line (the mask
     * caught it in places); the fine lines of every regular gap that the
     * mask did not catch join them, in order */
    pg_rule *nr = ps_malloc(sizeof(pg_rule) * (size_t)(n + 3 * nreg));
    if (!nr) {
        ps_free(heavy);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int k = 0, hj = 0;
    for (int i = 0; i < n; i++) {
        int is_heavy = hj < nh && heavy[hj] == i;
        nr[k] = r->rule[i];
        if (!is_heavy)
            nr[k].role = PG_RULE_MINOR;
        k++;
        if (!is_heavy)
            continue;
        hj++;
        if (hj >= nh)
            continue;
        const pg_rule *a = &r->rule[i], *b = &r->rule[heavy[hj]];
        float gap = b->y - a->y;
        if (fabsf(gap - P) > GAP_TOL * P)
            continue;
        for (int q = 0; q < 3; q++) {
            float y = a->y + frac[q] * gap;
            int caught = 0;
            for (int m = i + 1; m < heavy[hj]; m++)
                caught |= fabsf(r->rule[m].y - y) <= DIP_WIN * gap;
            if (caught)
                continue;
            pg_rule m = *a;
            m.y = y;
            m.slope = a->slope + frac[q] * (b->slope - a->slope);
            m.thick = 1;
            m.coverage = 1;
            m.strength = 0; /* not read: the pattern is known */
            m.dashed = 0;
            m.role = PG_RULE_MINOR;
            m.from_gray = 1;
            nr[k++] = m;
        }
    }
    ps_free(heavy);
    /* the inserted lines and the caught ones may interleave: sort by row */
    for (int i = 1; i < k; i++) {
        pg_rule v = nr[i];
        int m = i;
        for (; m > 0 && nr[m - 1].y > v.y; m--)
            nr[m] = nr[m - 1];
        nr[m] = v;
    }
    ps_free(r->rule);
    r->rule = nr;
    r->nrule = k;
    *found = 1;
    return PS_OK;
}
