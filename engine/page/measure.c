/* Page metrics (METRICS.md §2) from the segmented page: sizes, alignment,
 * spacing, slant, line angles, margin, stroke width and tremor; per line and
 * per page. Definitions that METRICS.md leaves open are stated here and in
 * the README:
 *  - a letter's height is its own ink height (bottom - top); a line's
 *    x-height is the median over its x-height letters (no ascender,
 *    descender or dot), the page's the median over lines; x-height and
 *    tall letters are told apart by a two-group fit of their heights above
 *    the baseline (segment.c), and ascender_ratio is the median over lines
 *    of the two groups' fitted ratio (the overlap of the groups in a
 *    child's hand would bias a median of the letters called tall);
 *  - gaps are measured after deslanting each line by its mean slant, so
 *    slanted letters' boxes do not eat the gaps;
 *  - baseline deviation uses the printed baseline when the page is ruled,
 *    else a robust straight line through the line's letter bottoms;
 *  - CVs use the sample SD; slant is the shear that best lines up each
 *    letter's long vertical runs, averaged with weights (letters without a
 *    near-vertical stroke take no part);
 *  - stroke width: the median over ink pixels of the shortest of the four
 *    (horizontal, vertical, two diagonal) runs through the pixel, the
 *    diagonal runs counted sqrt(2) per step (ink pixels on a grid of every
 *    second row and column);
 *  - tremor: outer contours of letters, length after 0.2 mm smoothing
 *    (removes pixel steps) over length after 1 mm smoothing, minus 1. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

/* The stroke width's walks, split over threads by rows of the grid, each
 * with its own histogram (integer counts: added up, the same). */
typedef struct stroke_job {
    const ps_image *mask;
    long (*hist)[256]; /* per thread */
} stroke_job;

static void stroke_rows(void *ctx, int ith, int nth)
{
    const stroke_job *j = ctx;
    const ps_image *mask = j->mask;
    int W = mask->width, H = mask->height, g0, g1;
    ps_split((H + 1) / 2, ith, nth, &g0, &g1);
    static const int dirs[4][2] = {{1, 0}, {0, 1}, {1, 1}, {-1, 1}};
    long *hist = j->hist[ith];
    memset(hist, 0, sizeof(long) * 256);
    for (int y = 2 * g0; y < 2 * g1 && y < H; y += 2) {
        const uint8_t *row = mask->data + (size_t)y * mask->stride;
        for (int x = 0; x < W; x += 2) {
            if (!row[x])
                continue;
            float best = 1e9f;
            for (int d = 0; d < 4; d++) {
                int dx = dirs[d][0], dy = dirs[d][1], len = 1;
                float unit = d >= 2 ? (float)M_SQRT2 : 1.0f; /* a diagonal step is sqrt(2) long */
                /* a walk that is already no shorter than the best cannot win: stop it */
                for (int k = 1; k < 255 && len * unit < best; k++) {
                    int xx = x + k * dx, yy = y + k * dy;
                    if (xx < 0 || xx >= W || yy >= H || !mask->data[(size_t)yy * mask->stride + xx])
                        break;
                    len++;
                }
                for (int k = 1; k < 255 && len * unit < best; k++) {
                    int xx = x - k * dx, yy = y - k * dy;
                    if (xx < 0 || xx >= W || yy < 0 || !mask->data[(size_t)yy * mask->stride + xx])
                        break;
                    len++;
                }
                float v = d >= 2 ? len * (float)M_SQRT2 : (float)len;
                if (v < best)
                    best = v;
            }
            int b = (int)lroundf(best);
            hist[b < 1 ? 1 : b > 255 ? 255 : b]++;
        }
    }
}

ps_status pg_stroke_width(ps_pool *pool, const ps_image *mask, double *width)
{
    /* at ink pixels on a grid of every second row and column: the shortest
     * of the four runs through the pixel (walked both ways), as a histogram */
    int W = mask->width, H = mask->height;
    *width = 0;
    if (W < 2 || H < 2)
        return PS_OK;
    int nth = ps_pool_size(pool);
    if (nth > (H + 1) / 2)
        nth = (H + 1) / 2;
    long(*hists)[256] = ps_malloc(sizeof *hists * nth);
    if (!hists)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    stroke_job j = {mask, hists};
    ps_pool_run_n(pool, nth, stroke_rows, &j);
    long hist[256] = {0}, n = 0;
    for (int t = 0; t < nth; t++)
        for (int v = 0; v < 256; v++) {
            hist[v] += hists[t][v];
            n += hists[t][v];
        }
    ps_free(hists);
    if (!n)
        return PS_OK;
    long acc = 0;
    for (int v = 1; v < 256; v++) {
        acc += hist[v];
        if (acc * 2 >= n) {
            /* interpolate inside the bin for a sub-pixel median */
            double below = (double)(acc - hist[v]);
            *width = v - 0.5 + (n / 2.0 - below) / (double)hist[v];
            return PS_OK;
        }
    }
    *width = 255;
    return PS_OK;
}

/* Outer contour of letter L by Moore-neighbour tracing; returns the number
 * of points written into pts (x, y pairs), at most cap. */
static int trace_contour(const struct ps_page *pg, const pg_letter *L, int lab, float *pts, int cap)
{
    static const int DX[8] = {1, 1, 0, -1, -1, -1, 0, 1}, DY[8] = {0, 1, 1, 1, 0, -1, -1, -1};
    int W = pg->mask.width, H = pg->mask.height;
    int sx = -1, sy = -1;
    for (int y = L->y0; y < L->y1 && sx < 0; y++)
        for (int x = L->x0; x < L->x1; x++)
            if (pg->labels[(size_t)y * W + x] == lab) {
                sx = x;
                sy = y;
                break;
            }
    if (sx < 0)
        return 0;
    int x = sx, y = sy, dir = 6, n = 0; /* came from the west: search starts north-west */
    int limit = 8 * (L->x1 - L->x0 + L->y1 - L->y0) + 64;
    do {
        if (n < cap) {
            pts[2 * n] = (float)x;
            pts[2 * n + 1] = (float)y;
        }
        n++;
        int found = 0;
        for (int k = 0; k < 8; k++) {
            int d = (dir + 6 + k) % 8; /* start left of the previous direction */
            int nx = x + DX[d], ny = y + DY[d];
            if (nx >= 0 && ny >= 0 && nx < W && ny < H && pg->labels[(size_t)ny * W + nx] == lab) {
                x = nx;
                y = ny;
                dir = d;
                found = 1;
                break;
            }
        }
        if (!found)
            break;
    } while ((x != sx || y != sy) && n < limit);
    return n < cap ? n : cap;
}

/* Length of a closed contour after a circular moving average of win points. */
static double smoothed_length(const float *p, int n, int win, float *tmp)
{
    if (n < 3)
        return 0;
    if (win > n / 2)
        win = n / 2;
    int h = win / 2;
    double sx = 0, sy = 0;
    for (int k = -h; k <= h; k++) {
        int i = ((k % n) + n) % n;
        sx += p[2 * i];
        sy += p[2 * i + 1];
    }
    int cnt = 2 * h + 1;
    for (int i = 0; i < n; i++) {
        tmp[2 * i] = (float)(sx / cnt);
        tmp[2 * i + 1] = (float)(sy / cnt);
        int out = ((i - h) % n + n) % n, in = (i + h + 1) % n;
        sx += p[2 * in] - p[2 * out];
        sy += p[2 * in + 1] - p[2 * out + 1];
    }
    double len = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        len += hypot(tmp[2 * j] - tmp[2 * i], tmp[2 * j + 1] - tmp[2 * i + 1]);
    }
    return len;
}

/* Tremor's contours, split over threads by letters: each letter's two
 * smoothed lengths (0 for letters not traced) into len, added up in letter
 * order afterwards, so the sums are the same whatever the threads. */
typedef struct tremor_job {
    const struct ps_page *pg;
    int cap, w_fine, w_coarse;
    float *pts;   /* per thread: 4 cap floats */
    double *len;  /* per letter: fine, coarse */
} tremor_job;

static void tremor_letters(void *ctx, int ith, int nth)
{
    const tremor_job *j = ctx;
    const struct ps_page *pg = j->pg;
    int i0, i1;
    ps_split(pg->nletter, ith, nth, &i0, &i1);
    float *pts = j->pts + (size_t)ith * 4 * j->cap, *tmp = pts + 2 * (size_t)j->cap;
    for (int i = i0; i < i1; i++) {
        const pg_letter *L = &pg->letter[i];
        j->len[2 * i] = j->len[2 * i + 1] = 0;
        /* the pieces of touching letters, and the parts of a component two
         * lines share, have one contour: traced once */
        if (L->cls == PG_SMALL || (L->flags & PG_TOUCH_LEFT) ||
            ((L->flags & PG_YCUT) && L->ycut0 > pg->comp[L->lab[0] - 1].y0))
            continue;
        int n = trace_contour(pg, L, L->lab[0], pts, j->cap);
        if (n < 4 * j->w_coarse)
            continue;
        j->len[2 * i] = smoothed_length(pts, n, j->w_fine, tmp);
        j->len[2 * i + 1] = smoothed_length(pts, n, j->w_coarse, tmp);
    }
}

static ps_status tremor_index(const struct ps_page *pg, double *out)
{
    *out = NAN;
    if (!(pg->px_per_mm > 0))
        return PS_OK;
    int nth = ps_pool_size(pg->pool);
    if (nth > pg->nletter)
        nth = pg->nletter > 0 ? pg->nletter : 1;
    tremor_job j = {pg, 2 * (pg->mask.width + pg->mask.height) * 4 + 64, 0, 0, NULL, NULL};
    j.pts = ps_malloc(sizeof(float) * 4 * (size_t)j.cap * nth);
    j.len = ps_malloc(sizeof(double) * 2 * ((size_t)pg->nletter + 1));
    if (!j.pts || !j.len) {
        ps_free(j.pts);
        ps_free(j.len);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    j.w_fine = (int)lround(0.2 * pg->px_per_mm);
    j.w_coarse = (int)lround(1.0 * pg->px_per_mm);
    if (j.w_fine < 3)
        j.w_fine = 3;
    if (j.w_coarse < 3 * j.w_fine)
        j.w_coarse = 3 * j.w_fine;
    ps_pool_run_n(pg->pool, nth, tremor_letters, &j);
    double a = 0, b = 0;
    for (int i = 0; i < pg->nletter; i++) {
        a += j.len[2 * i];
        b += j.len[2 * i + 1];
    }
    ps_free(j.pts);
    ps_free(j.len);
    *out = b > 0 ? a / b - 1 : NAN;
    return PS_OK;
}

static void lsq(const double *x, const double *y, int n, double *a, double *b)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
        sxx += x[i] * x[i];
        sxy += x[i] * y[i];
    }
    double den = n * sxx - sx * sx;
    *b = n >= 2 && fabs(den) > 1e-12 ? (n * sxy - sx * sy) / den : NAN;
    *a = n > 0 ? (sy - (isnan(*b) ? 0 : *b) * sx) / n : NAN;
}

/* Weighted mean and SD of angles a (weights w) after dropping those farther
 * than max(3 robust SDs, 5 deg) from the median; tmp holds n doubles. */
void pg_robust_slant(const double *a, const double *w, int n, double *tmp, double *mean, double *sd)
{
    *mean = *sd = NAN;
    if (n <= 0)
        return;
    memcpy(tmp, a, sizeof(double) * n);
    double med = pg_median(tmp, n);
    for (int i = 0; i < n; i++)
        tmp[i] = fabs(a[i] - med);
    double mad = 1.4826 * pg_median(tmp, n), lim = 3 * mad > 5 ? 3 * mad : 5;
    double s0 = 0, s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++)
        if (fabs(a[i] - med) <= lim) {
            s0 += w[i];
            s1 += w[i] * a[i];
            s2 += w[i] * a[i] * a[i];
        }
    if (s0 <= 0)
        return;
    *mean = s1 / s0;
    double var = s2 / s0 - *mean * *mean;
    *sd = var > 0 ? sqrt(var) : 0;
}

static double cv(const double *v, int n)
{
    double m = pg_mean(v, n);
    return n >= 2 && m > 0 ? pg_sd(v, n) / m : NAN;
}

ps_status pg_measure(struct ps_page *pg)
{
    double *M = pg->metric;
    for (int i = 0; i < PS_PAGE_METRIC_COUNT; i++)
        M[i] = NAN;
    int n = pg->nletter;
    double *a = ps_malloc(sizeof(double) * ((size_t)n + pg->nline + 4) * 3);
    if (!a)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    double *b = a + (n + pg->nline + 4), *c = b + (n + pg->nline + 4);
    double mm = pg->px_per_mm > 0 ? 1.0 / pg->px_per_mm : NAN; /* mm per working px */
    int letters = 0, words = 0;
    for (int i = 0; i < n; i++)
        letters += pg->letter[i].cls != PG_SMALL;
    for (int j = 0; j < pg->nline; j++)
        words += pg->line[j].nwords;
    M[0] = pg->nline;
    M[1] = words;
    M[2] = letters;
    M[3] = pg->ruling.kind;

    /* size */
    int nl = 0;
    for (int j = 0; j < pg->nline; j++) {
        pg_line *ln = &pg->line[j];
        int k = 0;
        for (int m = ln->first; m < ln->first + ln->n; m++)
            if (pg->letter[m].cls == PG_X)
                b[k++] = pg->letter[m].y1 - pg->letter[m].y0;
        double xh = pg_median(b, k);
        ln->x_height_mm = xh * mm;
        if (k)
            a[nl++] = xh;
    }
    double xh_page = pg_median(a, nl);
    M[4] = xh_page * mm;
    {
        int nw = 0;
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            for (int w = 0; w < ln->nwords; w++) {
                int k = 0;
                for (int m = ln->first; m < ln->first + ln->n; m++)
                    if (pg->letter[m].word == w && pg->letter[m].cls == PG_X)
                        b[k++] = pg->letter[m].y1 - pg->letter[m].y0;
                if (k)
                    a[nw++] = pg_median(b, k);
            }
        }
        M[5] = cv(a, nw);
    }
    {
        /* the lines' fitted ratios: tall and x-height letters' heights
         * overlap in a child's hand, and the median of the letters called
         * tall would count only the taller of them */
        int k = 0;
        for (int j = 0; j < pg->nline; j++)
            if (pg->line[j].tall_ratio > 0)
                a[k++] = pg->line[j].tall_ratio;
        M[6] = pg_median(a, k);
    }
    /* alignment */
    {
        double ss = 0;
        int nb = 0, on = 0;
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            double lss = 0;
            int lnb = 0, lon = 0;
            for (int m = ln->first; m < ln->first + ln->n; m++) {
                pg_letter *L = &pg->letter[m];
                L->flags &= ~PG_OFF_LINE;
                if (L->cls == PG_DESC || L->cls == PG_SMALL)
                    continue;
                lss += (double)L->dev * L->dev;
                lnb++;
                if (fabs(L->dev) <= 0.2 * ln->xh)
                    lon++;
                else
                    L->flags |= PG_OFF_LINE;
            }
            ln->baseline_dev_mm = lnb ? sqrt(lss / lnb) * mm : NAN;
            ln->on_line_pct = lnb ? 100.0 * lon / lnb : NAN;
            ss += lss;
            nb += lnb;
            on += lon;
        }
        M[7] = nb ? sqrt(ss / nb) * mm : NAN;
        M[8] = nb ? 100.0 * on / nb : NAN;
    }
    /* spacing */
    {
        int ng = 0, nwg = 0, coll = 0;
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            int lg0 = ng, wg0 = nwg;
            for (int m = ln->first; m + 1 < ln->first + ln->n; m++) {
                const pg_letter *L = &pg->letter[m], *R = &pg->letter[m + 1];
                double g = R->dx0 - L->dx1;
                if (g <= 0 || (R->flags & PG_TOUCH_LEFT))
                    coll++;
                if (L->word == R->word)
                    a[ng++] = g;
                else
                    b[nwg++] = g;
            }
            /* per-line medians need sorted copies: use the tail of c */
            memcpy(c, a + lg0, sizeof(double) * (ng - lg0));
            ln->letter_gap_mm = pg_median(c, ng - lg0) * mm;
            memcpy(c, b + wg0, sizeof(double) * (nwg - wg0));
            ln->word_gap_mm = pg_median(c, nwg - wg0) * mm;
        }
        M[10] = cv(a, ng);
        M[9] = pg_median(a, ng) * mm;
        M[12] = cv(b, nwg);
        double wg = pg_median(b, nwg);
        M[11] = wg * mm;
        M[13] = xh_page > 0 ? wg / xh_page : NAN;
        M[14] = coll;
    }
    /* slant: letters whose own slant is far from the others (a v or x whose
     * strokes are both diagonal) are left out before mean and SD */
    {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (pg->letter[i].slant_w > 0 && pg->letter[i].cls != PG_SMALL) {
                a[k] = pg->letter[i].slant_deg;
                b[k++] = pg->letter[i].slant_w;
            }
        pg_robust_slant(a, b, k, c, &M[15], &M[16]);
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            k = 0;
            for (int m = ln->first; m < ln->first + ln->n; m++) {
                const pg_letter *L = &pg->letter[m];
                if (L->slant_w > 0 && L->cls != PG_SMALL) {
                    a[k] = L->slant_deg;
                    b[k++] = L->slant_w;
                }
            }
            double mean;
            pg_robust_slant(a, b, k, c, &mean, &ln->slant_sd_deg); /* mean: as segment.c found */
        }
    }
    /* line angles and margin */
    {
        int k = 0;
        for (int j = 0; j < pg->nline; j++)
            if (pg->line[j].n >= 3)
                a[k++] = -atan(pg->line[j].base_b) * 180 / M_PI;
        M[17] = k >= 2 ? pg_sd(a, k) : NAN;
        for (int j = 0; j < pg->nline; j++) {
            b[j] = j;
            c[j] = pg->letter[pg->line[j].first].dx0 * mm;
        }
        double ia, slope;
        lsq(b, c, pg->nline, &ia, &slope);
        M[18] = pg->nline >= 2 ? slope : NAN;
    }
    M[19] = pg->stroke_px > 0 ? pg->stroke_px * mm : NAN;
    if (letters) {
        ps_status rc = tremor_index(pg, &M[20]);
        if (rc != PS_OK) {
            ps_free(a);
            return rc;
        }
    }
    if (pg->params.seconds > 0 && letters)
        M[21] = letters / (pg->params.seconds / 60.0);
    /* boxes */
    for (int j = 0; j < pg->nline; j++) {
        pg_line *ln = &pg->line[j];
        ln->x0 = ln->y0 = 1e30f;
        ln->x1 = ln->y1 = -1e30f;
        for (int m = ln->first; m < ln->first + ln->n; m++) {
            const pg_letter *L = &pg->letter[m];
            if (L->x0 < ln->x0) ln->x0 = L->x0;
            if (L->y0 < ln->y0) ln->y0 = L->y0;
            if (L->x1 > ln->x1) ln->x1 = L->x1;
            if (L->y1 > ln->y1) ln->y1 = L->y1;
        }
    }
    ps_free(a);
    return PS_OK;
}
