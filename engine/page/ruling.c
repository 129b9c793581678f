/* Printed guide lines: found as rows whose ink covers most of the page width
 * evenly (handwriting never does), classified by their pattern (dashed mid
 * lines = primary; every fourth line stronger = Seyès; else single-ruled),
 * and removed from the ink mask except where the pencil is darker than the
 * printed line or crosses it, so letters are not cut. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSEG PG_RULING_NSEG

void pg_ruling_release(pg_ruling *r)
{
    if (!r)
        return;
    ps_free(r->rule);
    ps_free(r->base);
    ps_free(r->base_slope);
    ps_free(r->mid);
    memset(r, 0, sizeof *r);
}

/* lroundf (halves away from zero) without the library call, exact for
 * |v| < 2^23 */
static inline int round_away(float v)
{
    int i = (int)v;
    float f = v - (float)i;
    return f >= 0.5f ? i + 1 : f <= -0.5f ? i - 1 : i;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The printed line's own gray level: the median of the dark pixels of its
 * darkest well-covered row (its core, where the print outnumbers any pencil;
 * the antialiased edge rows are lighter and would let the core pass as
 * pencil). */
static int line_gray(const ps_image *gray, const ps_image *mask, int ya, int yb)
{
    int W = mask->width, H = mask->height, best = 255;
    if (ya < 0)
        ya = 0;
    if (yb >= H)
        yb = H - 1;
    for (int y = ya; y <= yb; y++) {
        int hist[256] = {0}, n = 0;
        for (int x = 0; x < W; x++)
            if (mask->data[(size_t)y * mask->stride + x]) {
                hist[gray->data[(size_t)y * gray->stride + x]]++;
                n++;
            }
        if (n * 10 < W * 3)
            continue;
        for (int v = 0, acc = 0; v < 256; v++) {
            acc += hist[v];
            if (acc * 2 >= n) {
                if (v < best)
                    best = v;
                break;
            }
        }
    }
    return best;
}

#define BAND_MAX 64 /* rows of a printed line's band read row by row */

/* The print's own gray at each row j of its band (rows ya0 + j + the tilt's
 * shift, 0 <= j <= yb0 - ya0 < BAND_MAX), over the columns where no ink lies
 * within two rows beyond the band (the line alone): thr[j] = its median
 * minus 4 robust SDs (1.4826 MAD, at least 1.5 levels: rounding), below
 * which a pixel is darker than the print can be there (the print passes
 * about once in 30000 pixels); thr[j] = 0 (nothing kept) when under a
 * quarter of the columns are clear. */
static ps_status print_profile(const ps_image *gray, const ps_image *mask, int ya0, int yb0, float slope, int *thr)
{
    int W = mask->width, H = mask->height, nb = yb0 - ya0 + 1, n = 0;
    int *hist = ps_calloc((size_t)nb * 256, sizeof(int));
    if (!hist)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    for (int x = 0; x < W; x++) {
        int dy = round_away(slope * (x - W / 2)), ya = ya0 + dy, yb = yb0 + dy, clear = 1;
        if (ya - 2 < 0 || yb + 2 >= H)
            continue;
        for (int k = 1; k <= 2; k++)
            clear &= !mask->data[(size_t)(ya - k) * mask->stride + x] && !mask->data[(size_t)(yb + k) * mask->stride + x];
        if (!clear)
            continue;
        for (int j = 0; j < nb; j++)
            hist[j * 256 + gray->data[(size_t)(ya + j) * gray->stride + x]]++;
        n++;
    }
    for (int j = 0; j < nb; j++) {
        const int *h = hist + j * 256;
        int med = 0;
        for (int acc = 0; med < 255; med++) {
            acc += h[med];
            if (acc * 2 >= n)
                break;
        }
        int d = 0;
        for (int acc = h[med]; acc * 2 < n && d < 255; d++)
            acc += (med - d - 1 >= 0 ? h[med - d - 1] : 0) + (med + d + 1 < 256 ? h[med + d + 1] : 0);
        double sd = 1.4826 * d > 1.5 ? 1.4826 * d : 1.5;
        thr[j] = n >= W / 4 && med - 4 * sd > 0 ? (int)ceil(med - 4 * sd) : 0;
    }
    ps_free(hist);
    return PS_OK;
}

/* A printed line's gray level where it lies clear of the writing: per
 * column whose ink near the line (faint mask, the line's rows and three
 * either side) is one piece no thicker than the print, that piece's darkest
 * pixel; the median over those columns. Letters whose tops or bottoms run
 * along the line (x-height letters under a mid line, on a base line) make
 * thicker pieces and are left out, so their pencil is not taken for the
 * print. -1 when fewer than a sixteenth of the columns are clear. Row by
 * row (the line's rows, each column at its own centre row): per column the
 * first and last inked offset, the ink count and the darkest pixel;
 * scratch holds 5 W ints. */
static int clear_line_gray(const ps_image *gray, const ps_image *mask, const pg_rule *ru, int *scratch)
{
    int W = mask->width, H = mask->height, n = 0;
    int hist[256] = {0};
    int half = (int)ceilf(ru->thick / 2), reach = half + 3;
    int *c = scratch, *first = scratch + W, *last = scratch + 2 * W, *cnt = scratch + 3 * W, *dark = scratch + 4 * W;
    for (int x = 0; x < W; x++) {
        c[x] = round_away(ru->y + ru->slope * (x - W / 2));
        first[x] = last[x] = INT_MIN; /* none yet */
        cnt[x] = 0;
        dark[x] = 255;
        if (c[x] - reach < 0 || c[x] + reach >= H)
            cnt[x] = INT_MIN / 2; /* too near the edge: never clear */
    }
    /* by stretches of columns on one centre row: one image row each, and a
     * branch-free loop the vectoriser takes */
    for (int xa = 0, xb; xa < W; xa = xb) {
        for (xb = xa + 1; xb < W && c[xb] == c[xa];)
            xb++;
        for (int o = -reach; o <= reach; o++) {
            int y = c[xa] + o;
            if (y < 0 || y >= H)
                continue;
            const uint8_t *m = mask->data + (size_t)y * mask->stride, *g = gray->data + (size_t)y * gray->stride;
            for (int x = xa; x < xb; x++) {
                int on = m[x] != 0, v = on ? g[x] : 255;
                first[x] = on && first[x] == INT_MIN ? o : first[x];
                last[x] = on ? o : last[x];
                cnt[x] += on;
                dark[x] = v < dark[x] ? v : dark[x];
            }
        }
    }
    for (int x = 0; x < W; x++) {
        /* one piece (no paper between its first and last row), no thicker
         * than the print */
        if (cnt[x] <= 0 || cnt[x] != last[x] - first[x] + 1 || cnt[x] > ru->thick + 1)
            continue;
        hist[dark[x]]++;
        n++;
    }
    if (n * 16 < W)
        return -1;
    for (int v = 0, acc = 0; v < 256; v++) {
        acc += hist[v];
        if (acc * 2 >= n)
            return v;
    }
    return -1;
}

/* Removes the rows [ya0, yb0] (shifted by the tilt) of a printed line from
 * mask, but for strokes that cross it and for pixels of band row j darker
 * than thr[j] (pencil; rows from nthr on use thr[nthr - 1]). */
static void remove_hline(const ps_image *gray, ps_image *mask, int ya0, int yb0, float slope, const int *thr,
                         int nthr)
{
    int W = mask->width, H = mask->height;
    for (int x = 0; x < W; x++) {
        int dy = round_away(slope * (x - W / 2));
        int ya = ya0 + dy, yb = yb0 + dy;
        if (ya < 0)
            ya = 0;
        if (yb >= H)
            yb = H - 1;
        if (ya > yb)
            continue;
        int any = 0; /* nothing to remove in this column: skip the neighbourhood tests */
        for (int y = ya; y <= yb; y++)
            any |= mask->data[(size_t)y * mask->stride + x];
        if (!any)
            continue;
        /* a stroke crossing the line, straight or at an angle */
        int above = 0, below = 0;
        if (x >= 1 && x + 1 < W && ya >= 2 && yb + 2 < H) { /* inside the page: no bounds to check */
            const uint8_t *a0 = mask->data + (size_t)(ya - 2) * mask->stride + x - 1, *a1 = a0 + mask->stride;
            const uint8_t *b0 = mask->data + (size_t)(yb + 1) * mask->stride + x - 1, *b1 = b0 + mask->stride;
            above = (a0[0] | a0[1] | a0[2] | a1[0] | a1[1] | a1[2]) != 0;
            below = (b0[0] | b0[1] | b0[2] | b1[0] | b1[1] | b1[2]) != 0;
        } else {
            for (int y = ya - 2; y < ya; y++)
                for (int xx = x - 1; xx <= x + 1; xx++)
                    if (y >= 0 && xx >= 0 && xx < W && mask->data[(size_t)y * mask->stride + xx])
                        above = 1;
            for (int y = yb + 1; y <= yb + 2; y++)
                for (int xx = x - 1; xx <= x + 1; xx++)
                    if (y < H && xx >= 0 && xx < W && mask->data[(size_t)y * mask->stride + xx])
                        below = 1;
        }
        int crossing = above && below;
        for (int y = ya; y <= yb; y++) {
            uint8_t *m = &mask->data[(size_t)y * mask->stride + x];
            if (!*m || crossing)
                continue;
            int j = y - ya0 - dy; /* >= 0: rows are clamped from above only at 0 */
            if (gray->data[(size_t)y * gray->stride + x] < thr[j < nthr ? j : nthr - 1])
                continue;
            *m = 0;
        }
    }
}

static void remove_vline(const ps_image *gray, ps_image *mask, int xa, int xb)
{
    int W = mask->width, H = mask->height;
    if (xa < 0)
        xa = 0;
    if (xb >= W)
        xb = W - 1;
    for (int y = 0; y < H; y++) {
        uint8_t *row = mask->data + (size_t)y * mask->stride;
        int left = 0, right = 0;
        for (int x = xa - 2; x < xa; x++)
            if (x >= 0 && row[x])
                left = 1;
        for (int x = xb + 1; x <= xb + 2; x++)
            if (x < W && row[x])
                right = 1;
        if (left && right)
            continue;
        for (int x = xa; x <= xb; x++)
            row[x] = 0;
    }
    (void)gray;
}

/* A printed line is solid (its dark runs cover most of the width) or
 * dashed: most runs and gaps of one length, and some of its dashes stand
 * clear of the writing. A row through writing (the tops or bottoms of
 * letters) has runs of many lengths; and where the letters are of one
 * width and evenly spaced (a regular font), its runs and gaps can be as even
 * as dashes, but every run is a piece of a letter, whose ink goes on beyond
 * the row (a bowl's sides, a stem): none stands clear. */
static int mostly_one_length(const int *hist, int n)
{
    if (n < 8)
        return 0;
    int acc = 0, med = 0;
    for (; med < 128; med++) {
        acc += hist[med];
        if (acc * 2 >= n)
            break;
    }
    int lo = med - (med * 3 + 9) / 10, hi = med + (med * 3 + 9) / 10, near = 0;
    for (int v = lo < 1 ? 1 : lo; v <= hi && v < 128; v++)
        near += hist[v];
    return med >= 3 && med < 127 && near * 10 >= n * 6;
}

/* ink within two rows beyond the band [c - half, c + half] of column x, above
 * or below (outside the page counts as paper) */
static int ink_beyond_band(const ps_image *mask, int x, int c, int half)
{
    int H = mask->height, any = 0;
    for (int k = 1; k <= 2; k++) {
        int ya = c - half - k, yb = c + half + k;
        any |= ya >= 0 && ya < H && mask->data[(size_t)ya * mask->stride + x] != 0;
        any |= yb >= 0 && yb < H && mask->data[(size_t)yb * mask->stride + x] != 0;
    }
    return any;
}

/* a run stands clear when no ink lies just beyond the band along it and one
 * column either side; the print's dashes between letters do, letter pieces
 * do not. A dashed line needs this share of its runs clear (measured: 0 of
 * 38 and 0 of 42 runs along the letter tops and bottoms of an unruled
 * Andika line, 19 of 62 and more on the dashed mid lines of the bench's
 * scans and photos) */
#define CLEAR_RUNS_MIN 6
#define CLEAR_RUNS_SHARE 0.1

/* 1: a printed line (solid, or dashed with regular runs and gaps); 2: a
 * dashed line seen only by its dashes that stand clear of the writing;
 * 0: not printed (a row through writing) */
static int printed_line(const ps_image *mask, float yc, float slope, int half)
{
    int W = mask->width, H = mask->height, run = 0, gap = 0, nr = 0, ng = 0;
    int rh[128] = {0}, gh[128] = {0}, ch[128] = {0};
    int nclear = 0, touched = 0, prev_beyond = 0;
    long covered = 0;
    for (int x = 0; x <= W; x++) {
        int on = 0, c = round_away(yc + slope * (x - W / 2));
        if (x < W && c - half >= 0 && c + half < H) { /* inside the page */
            const uint8_t *m = mask->data + (size_t)(c - half) * mask->stride + x;
            for (int k = 0; k <= 2 * half; k++, m += mask->stride)
                on |= *m != 0;
        } else {
            for (int y = c - half; y <= c + half && x < W; y++)
                on |= y >= 0 && y < H && mask->data[(size_t)y * mask->stride + x] != 0;
        }
        int beyond = x < W ? ink_beyond_band(mask, x, c, half) : 0;
        if (on) {
            if (gap && nr) {
                gh[gap < 127 ? gap : 127]++;
                ng++;
            }
            if (!run)
                touched = prev_beyond;
            touched |= beyond;
            gap = 0;
            run++;
            covered++;
        } else {
            if (run) {
                rh[run < 127 ? run : 127]++;
                nr++;
                if (!(touched | beyond)) {
                    ch[run < 127 ? run : 127]++;
                    nclear++;
                }
            }
            run = 0;
            gap++;
        }
        prev_beyond = beyond;
    }
    if (covered >= 0.7 * W) /* solid, even where light or blur breaks it up */
        return 1;
    if (nclear < CLEAR_RUNS_MIN || nclear < CLEAR_RUNS_SHARE * nr)
        return 0;
    if (mostly_one_length(rh, nr) && mostly_one_length(gh, ng))
        return 1;
    /* a dashed line under a full line of writing: its dashes run into the
     * x-height letters lining it, so its runs and gaps are of many lengths
     * (and in a photo the pieces left of dashes half hidden, and specks,
     * stand clear too); the whole dashes that stand clear, between words,
     * are still of one length: as many as the clear runs needed, within a
     * quarter of each other */
    int best = 0;
    for (int l = 3; l < 127; l++) {
        int k = 0;
        for (int v = l; v <= l + l / 4 && v < 128; v++)
            k += ch[v];
        best = k > best ? k : best;
    }
    return best >= CLEAR_RUNS_MIN && best >= CLEAR_RUNS_SHARE * nr ? 2 : 0;
}

/* Removes printed line i of r from mask and ink (see pg_ruling_detect_remove). */
static ps_status remove_rule(const ps_image *gray, ps_image *mask, ps_image *ink, const pg_ruling *r, int i,
                             int ink_gray, int *scratch)
{
    const pg_rule *ru = &r->rule[i];
    if (ru->from_gray)
        return PS_OK; /* not in the masks: nothing to remove (and x-height letters' tops touch it) */
    int ya = (int)floorf(ru->y - ru->thick / 2) - 1, yb = (int)ceilf(ru->y + ru->thick / 2) + 1;
    int lg = clear_line_gray(gray, mask, ru, scratch);
    if (lg < 0)
        lg = line_gray(gray, mask, (int)floorf(ru->y - (ru->thick - 1) / 2), (int)ceilf(ru->y + (ru->thick - 1) / 2));
    /* a pixel is pencil when nearer the pencil's gray than the print's:
     * a pixel half pencil, half line falls on the line's side, so letter
     * bottoms sitting on the line are not lengthened by the print. When
     * the two are within 40 levels (a blurred photo's thin strokes come
     * out nearly as light as its printed lines) that cannot be told;
     * then a pixel is pencil where it is darker than the print alone can
     * be at its row of the band (pencil over print is darker than
     * either), so letters resting on the line keep their feet */
    int thr[BAND_MAX], nthr = 1;
    if (lg - ink_gray > 40 || yb - ya + 1 > BAND_MAX) {
        thr[0] = lg - ink_gray > 40 ? (lg + ink_gray) / 2 : 0;
    } else {
        nthr = yb - ya + 1;
        ps_status prc = print_profile(gray, mask, ya, yb, ru->slope, thr);
        if (prc != PS_OK)
            return prc;
    }
    remove_hline(gray, mask, ya, yb, ru->slope, thr, nthr);
    remove_hline(gray, ink, ya, yb, ru->slope, thr, nthr);
    return PS_OK;
}

/* The rows rule i's removal reads or writes, over the whole width: its band
 * tilted (and two rows beyond), the rows of its gray level. */
static void rule_rows(const pg_ruling *r, int i, int W, int *lo, int *hi)
{
    const pg_rule *ru = &r->rule[i];
    int ya = (int)floorf(ru->y - ru->thick / 2) - 1, yb = (int)ceilf(ru->y + ru->thick / 2) + 1;
    int d0 = round_away(ru->slope * (0 - W / 2)), d1 = round_away(ru->slope * (W - 1 - W / 2));
    int ga = (int)floorf(ru->y - (ru->thick - 1) / 2), gb = (int)ceilf(ru->y + (ru->thick - 1) / 2);
    *lo = ya + (d0 < d1 ? d0 : d1) - 2;
    *hi = yb + (d0 > d1 ? d0 : d1) + 2;
    if (ga < *lo)
        *lo = ga;
    if (gb > *hi)
        *hi = gb;
    /* and the rows its clear pieces are read from (clear_line_gray) */
    int c0 = round_away(ru->y + ru->slope * (0 - W / 2)), c1 = round_away(ru->y + ru->slope * (W - 1 - W / 2));
    int reach = (int)ceilf(ru->thick / 2) + 3;
    if ((c0 < c1 ? c0 : c1) - reach < *lo)
        *lo = (c0 < c1 ? c0 : c1) - reach;
    if ((c0 > c1 ? c0 : c1) + reach > *hi)
        *hi = (c0 > c1 ? c0 : c1) + reach;
}

/* The removal split over threads: the lines fall into groups whose rows
 * (rule_rows) do not meet, each group removed by one thread in the lines'
 * order, so every pixel sees what it sees when one thread removes them all. */
typedef struct remove_job {
    const ps_image *gray;
    ps_image *mask, *ink;
    const pg_ruling *r;
    int ink_gray;
    const int *member;  /* group g: member[gstart[g] .. gstart[g + 1]), in line order */
    const int *gstart;
    ps_status *rc;      /* per group */
} remove_job;

static void remove_group(void *ctx, int ith, int nth)
{
    (void)nth;
    const remove_job *j = ctx;
    int *scratch = ps_malloc(sizeof(int) * 5 * (size_t)j->mask->width); /* clear_line_gray's, per group */
    j->rc[ith] = scratch ? PS_OK : ps_fail(PS_ERR_NOMEM, "out of memory");
    for (int k = j->gstart[ith]; k < j->gstart[ith + 1] && j->rc[ith] == PS_OK; k++)
        j->rc[ith] = remove_rule(j->gray, j->mask, j->ink, j->r, j->member[k], j->ink_gray, scratch);
    ps_free(scratch);
}

static int cmp_int2(const void *a, const void *b)
{
    const int *p = a, *q = b;
    return p[0] != q[0] ? (p[0] > q[0]) - (p[0] < q[0]) : (p[1] > q[1]) - (p[1] < q[1]);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static ps_status remove_rules(struct ps_pool *pool, const ps_image *gray, ps_image *mask, ps_image *ink,
                              const pg_ruling *r, int n, int ink_gray)
{
    int nth = ps_pool_size(pool), W = mask->width;
    if (nth > n)
        nth = n > 0 ? n : 1;
    int *by_row = ps_malloc(sizeof(int) * (2 * (size_t)n + 1)), *member = ps_malloc(sizeof(int) * ((size_t)n + 1));
    int *gstart = ps_malloc(sizeof(int) * ((size_t)nth + 1));
    ps_status *rc = ps_malloc(sizeof(ps_status) * (size_t)nth);
    if (!by_row || !member || !gstart || !rc) {
        ps_free(by_row);
        ps_free(member);
        ps_free(gstart);
        ps_free(rc);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    /* the lines by their first row; a group ends where no line before
     * reaches the next one's rows, once it holds its share */
    for (int i = 0; i < n; i++) {
        int hi;
        rule_rows(r, i, W, &by_row[2 * i], &hi);
        by_row[2 * i + 1] = i;
    }
    qsort(by_row, (size_t)n, 2 * sizeof(int), cmp_int2);
    int ng = 0, reach = INT_MIN;
    gstart[0] = 0;
    for (int k = 0; k < n; k++) {
        int i = by_row[2 * k + 1], lo, hi;
        rule_rows(r, i, W, &lo, &hi);
        if (k > gstart[ng] && ng + 1 < nth && reach < lo && k >= (long)n * (ng + 1) / nth)
            gstart[++ng] = k;
        member[k] = i;
        reach = hi > reach ? hi : reach;
    }
    gstart[++ng] = n;
    for (int g = 0; g < ng; g++)
        qsort(member + gstart[g], (size_t)(gstart[g + 1] - gstart[g]), sizeof(int), cmp_int);
    remove_job j = {gray, mask, ink, r, ink_gray, member, gstart, rc};
    ps_pool_run_n(pool, ng, remove_group, &j);
    ps_status res = PS_OK;
    for (int g = 0; g < ng && res == PS_OK; g++)
        res = rc[g];
    if (res != PS_OK) /* a worker's message is its own thread's */
        res = ps_fail(res, "out of memory");
    ps_free(by_row);
    ps_free(member);
    ps_free(gstart);
    ps_free(rc);
    return res;
}

/* Line ru's tilt, centre and print thickness from its band in mask
 * (first_row: scratch of 2 W ints), as pg_ruling_detect_remove fits each
 * line found. */
static void fit_rule(const ps_image *mask, pg_rule *ru, int *first_row)
{
    int W = mask->width, H = mask->height;
    int *last_row = first_row + W;
    int band = (int)ru->thick + 3;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int ns = 0;
    int thick_hist[16] = {0}, nthick = 0;
    /* the first and last dark row of each column in the band, row by row */
    for (int x = 0; x < W; x++)
        first_row[x] = last_row[x] = -1;
    for (int y = (int)ru->y - band; y <= (int)ru->y + band; y++) {
        if (y < 0 || y >= H)
            continue;
        const uint8_t *m = mask->data + (size_t)y * mask->stride;
        for (int x = 0; x < W; x++) { /* branch-free: the vectoriser's form */
            int on = m[x] != 0;
            first_row[x] = on && first_row[x] < 0 ? y : first_row[x];
            last_row[x] = on ? y : last_row[x];
        }
    }
    /* the thin pieces' thicknesses; the print's own is the thinnest
     * common one (with its neighbours, for blur and tilt). A letter
     * whose top or bottom runs along the line makes a piece of print
     * and pencil, thicker than the print: x-height letters lining a mid
     * or base line make as many of those as the print makes clean ones
     * or more, and a median or the commonest would take the letters'
     * edge for the line's (its centre, thickness and gray level) */
    for (int x = 0; x < W; x++) {
        int s0 = first_row[x], s1 = last_row[x];
        if (s0 >= 0 && s1 - s0 <= ru->thick + 1)
            thick_hist[s1 - s0 + 1 < 15 ? s1 - s0 + 1 : 15]++;
    }
    int tall = 0, tmode = -1, tmax = 1;
    for (int t = 1; t < 16; t++) {
        tall += thick_hist[t];
        tmax = thick_hist[t] > thick_hist[tmax] ? t : tmax;
    }
    /* the thinnest peak holding a fifth of the pieces, with its neighbours */
    for (int t = 1; t < 15 && tmode < 0; t++)
        if (thick_hist[t] > 0 && thick_hist[t] >= thick_hist[t - 1] && thick_hist[t] >= thick_hist[t + 1] &&
            (thick_hist[t - 1] + thick_hist[t] + thick_hist[t + 1]) * 5 >= tall)
            tmode = t;
    if (tmode < 0)
        tmode = tmax;
    int tlo = tmode - 1, thi = tmode + 1;
    for (int t = tlo; t <= thi; t++)
        nthick += t >= 1 ? thick_hist[t] : 0;
    for (int sgi = 0; sgi < 16; sgi++) {
        int xa = sgi * W / 16, xb = (sgi + 1) * W / 16, hist_n = 0;
        int rows[64] = {0};
        for (int x = xa; x < xb; x++) {
            int s0 = first_row[x], s1 = last_row[x];
            if (s0 >= 0 && s1 - s0 + 1 >= tlo && s1 - s0 + 1 <= thi) { /* a clean piece of line */
                int k = s0 + s1 - 2 * ((int)ru->y - band); /* twice the centre, offset */
                if (k >= 0 && k < 64) {
                    rows[k]++;
                    hist_n++;
                }
            }
        }
        if (hist_n < (xb - xa) / 8) /* under a full line of writing an eighth of the columns is clear */
            continue;
        int acc = 0, k = 0;
        for (; k < 64; k++) {
            acc += rows[k];
            if (acc * 2 >= hist_n)
                break;
        }
        double yc = ((int)ru->y - band) + k / 2.0, xc = 0.5 * (xa + xb);
        sx += xc;
        sy += yc;
        sxx += xc * xc;
        sxy += xc * yc;
        ns++;
    }
    /* the print's own thickness, where no letter touches it */
    if (nthick > W / 16) {
        int acc = 0, t = tlo < 1 ? 1 : tlo;
        for (; t < thi; t++) {
            acc += thick_hist[t];
            if (acc * 2 >= nthick)
                break;
        }
        if (t < ru->thick)
            ru->thick = (float)t;
    }
    if (ns >= 4) {
        double den = ns * sxx - sx * sx;
        double b = den > 0 ? (ns * sxy - sx * sy) / den : 0;
        if (fabs(b) < 0.02) {
            ru->slope = (float)b;
            ru->y = (float)((sy - b * sx) / ns + b * (W / 2.0));
        }
    }
}

/* The lines' fits and their printed-line test on the analyser's threads,
 * each line's by one thread (they read the mask only): the same numbers
 * whatever the threads. */
typedef struct rules_job {
    const ps_image *mask;
    pg_ruling *r;
    int *scratch; /* per thread: 2 W ints */
    int *kind;    /* per line: printed_line's answer */
    int step;     /* 1: fit, 2: test */
} rules_job;

static void rules_range(void *ctx, int ith, int nth)
{
    const rules_job *j = ctx;
    int i0, i1;
    ps_split(j->r->nrule, ith, nth, &i0, &i1);
    for (int i = i0; i < i1; i++) {
        pg_rule *ru = &j->r->rule[i];
        if (j->step == 1)
            fit_rule(j->mask, ru, j->scratch + (size_t)ith * 2 * j->mask->width);
        else
            j->kind[i] = printed_line(j->mask, ru->y, ru->slope, (int)(ru->thick / 2) + 1);
    }
}

ps_status pg_ruling_detect_remove(struct ps_pool *pool, const ps_image *gray, ps_image *mask, ps_image *ink,
                                  pg_ruling *r)
{
    memset(r, 0, sizeof *r);
    r->vline_x = -1;
    int W = mask->width, H = mask->height;
    if (W < 32 || H < 8)
        return PS_OK;
    float *cov = ps_malloc(sizeof(float) * (size_t)H * 3);
    if (!cov)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    float *segmin = cov + H, *single = cov + 2 * H;
    /* coverage of the union of 3 rows, overall and per eighth of the width */
    pg_ruling_row_cover(pool, mask, cov, segmin, single);
    int cap = 64;
    r->rule = ps_malloc(sizeof(pg_rule) * cap);
    if (!r->rule) {
        ps_free(cov);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int y = 0; y < H;) {
        if (!(cov[y] >= 0.35f && segmin[y] >= 0.12f)) {
            y++;
            continue;
        }
        int ya = y;
        while (y < H && cov[y] >= 0.35f && segmin[y] >= 0.12f)
            y++;
        int yb = y - 1;
        if (yb - ya > H / 20) /* a dark band (shadow, edge), not a printed line */
            continue;
        float best = 0;
        int yc = ya;
        for (int k = ya; k <= yb; k++)
            if (single[k] > best) {
                best = single[k];
                yc = k;
            }
        int t0 = yc, t1 = yc;
        while (t0 - 1 >= ya && single[t0 - 1] >= 0.5f * best)
            t0--;
        while (t1 + 1 <= yb && single[t1 + 1] >= 0.5f * best)
            t1++;
        if (r->nrule == cap) {
            pg_rule *n = ps_realloc(r->rule, sizeof(pg_rule) * cap * 2);
            if (!n) {
                ps_free(cov);
                pg_ruling_release(r);
                return ps_fail(PS_ERR_NOMEM, "out of memory");
            }
            r->rule = n;
            cap *= 2;
        }
        pg_rule *ru = &r->rule[r->nrule++];
        ru->y = 0.5f * (t0 + t1);
        ru->thick = (float)(t1 - t0 + 1);
        ru->coverage = cov[yc];
        /* dashes: many on and off runs of regular length along the centre
         * rows (a faded or blurred solid line breaks up irregularly) */
        int runs = 0, cur = 0, curoff = 0;
        int gaps_hist[64] = {0}, ngaps = 0;
        double dark = 0;
        for (int x = 0; x < W; x++) {
            int on = 0;
            for (int k = t0; k <= t1; k++) {
                if (mask->data[(size_t)k * mask->stride + x]) {
                    on = 1;
                    dark += 255 - gray->data[(size_t)k * gray->stride + x];
                }
            }
            if (on) {
                if (!cur) {
                    runs++;
                    if (curoff > 0 && runs > 1) {
                        gaps_hist[curoff < 63 ? curoff : 63]++;
                        ngaps++;
                    }
                }
                cur = 1;
                curoff = 0;
            } else {
                cur = 0;
                curoff++;
            }
        }
        ru->strength = (float)(dark / W);
        int regular = 0;
        if (ngaps >= 10) {
            int acc = 0, med = 0;
            for (; med < 64; med++) {
                acc += gaps_hist[med];
                if (acc * 2 >= ngaps)
                    break;
            }
            int near = 0;
            for (int g = med / 2; g <= med + med / 2 && g < 64; g++)
                near += gaps_hist[g];
            regular = med >= 2 && near * 10 >= ngaps * 7;
        }
        ru->dashed = runs >= 12 && regular && cov[yc] < 0.85f;
        ru->role = PG_RULE_PLAIN;
        ru->from_gray = 0;
        ru->slope = 0;
    }
    /* each line's tilt (a photo flattened imperfectly, a scan fed askew):
     * the median row of its dark run per sixteenth of the width, fitted
     * (fit_rule, lines split over threads: 2 W ints of scratch each); then
     * each line's printed_line answer, for the filter below */
    int nall = ps_pool_size(pool), nth = nall < r->nrule ? nall : r->nrule > 0 ? r->nrule : 1;
    int *first_row = ps_malloc(sizeof(int) * (2 * (size_t)W * nall + (size_t)r->nrule + 1));
    if (!first_row) {
        ps_free(cov);
        pg_ruling_release(r);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    rules_job rj = {mask, r, first_row, first_row + 2 * (size_t)W * nall, 1};
    ps_pool_run_n(pool, nth, rules_range, &rj);
    rj.step = 2;
    ps_pool_run_n(pool, nth, rules_range, &rj);
    /* keep the printed lines only: solid or regularly dashed along their
     * fitted tilt (a row through writing, letter tops or bottoms, is not) */
    {
        int k = 0;
        for (int i = 0; i < r->nrule; i++) {
            int kind = rj.kind[i];
            if (!kind)
                continue;
            r->rule[i].dashed |= kind == 2; /* its dashes seen only where they stand clear */
            r->rule[k++] = r->rule[i];
        }
        r->nrule = k;
    }
    ps_free(first_row);
    /* one printed line found twice (a tilted or uneven line whose rows'
     * coverage dips in between): once fitted, both sit on the same rows;
     * the better covered stays, or the writing line on it would be split
     * between two baselines */
    {
        int k = 0;
        for (int i = 0; i < r->nrule; i++) {
            if (k > 0) {
                pg_rule *a = &r->rule[k - 1], *b = &r->rule[i];
                float near = (a->thick > b->thick ? a->thick : b->thick) + 1;
                if (fabsf(a->y - b->y) <= near) {
                    if (b->coverage > a->coverage)
                        *a = *b;
                    continue;
                }
            }
            r->rule[k++] = r->rule[i];
        }
        r->nrule = k;
    }
    ps_free(cov);

    /* a vertical margin line: a column covered over most of the height */
    {
        int best_x = -1;
        float best_f = 0;
        /* rows where a column or a neighbour is dark: one row-major pass */
        int *colc = ps_calloc((size_t)W, sizeof(int));
        if (!colc || pg_ruling_col_counts(pool, mask, colc) != PS_OK) {
            ps_free(colc);
            pg_ruling_release(r);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        for (int x = 1; x + 1 < W; x++) {
            float f = (float)colc[x] / H;
            if (f > best_f) {
                best_f = f;
                best_x = x;
            }
        }
        ps_free(colc);
        if (best_f >= 0.6f) {
            int xa = best_x, xb = best_x;
            while (xa > 0 && xa > best_x - 6) {
                int n = 0;
                for (int y = 0; y < H; y++)
                    n += mask->data[(size_t)y * mask->stride + xa - 1] != 0;
                if (n < H / 3)
                    break;
                xa--;
            }
            while (xb + 1 < W && xb < best_x + 6) {
                int n = 0;
                for (int y = 0; y < H; y++)
                    n += mask->data[(size_t)y * mask->stride + xb + 1] != 0;
                if (n < H / 3)
                    break;
                xb++;
            }
            r->vline_x = 0.5f * (xa + xb);
            remove_vline(gray, mask, xa - 1, xb + 1);
            remove_vline(gray, ink, xa - 1, xb + 1);
        }
    }

    /* Seyès in a blurred photo: only the heavy lines reached the faint
     * mask; their fine lines are read from the gray */
    int seyes_gray = 0;
    ps_status mrc = pg_seyes_minor_lines(gray, ink, r, &seyes_gray);
    if (mrc != PS_OK) {
        pg_ruling_release(r);
        return mrc;
    }
    int n = r->nrule;
    r->base = ps_malloc(sizeof(float) * (2 * n + 2)); /* room for interpolated baselines */
    r->base_slope = ps_malloc(sizeof(float) * (2 * n + 2));
    r->mid = ps_malloc(sizeof(float) * (2 * n + 2));
    if (!r->base || !r->mid || !r->base_slope) {
        pg_ruling_release(r);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    r->kind = PS_RULING_NONE;
    if (n >= 3) {
        int ndashed = 0;
        for (int i = 0; i < n; i++)
            ndashed += r->rule[i].dashed;
        float *sp = ps_malloc(sizeof(float) * n);
        if (!sp) {
            pg_ruling_release(r);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        for (int i = 0; i + 1 < n; i++)
            sp[i] = r->rule[i + 1].y - r->rule[i].y;
        qsort(sp, n - 1, sizeof *sp, cmp_float);
        float med_sp = sp[(n - 1) / 2];
        ps_free(sp);
        /* Seyès: one phase of four lines each clearly stronger than both
         * neighbours (a local test, so uneven light and blur across a photo
         * do not fake or hide the pattern) */
        int seyes_phase = -1;
        if (n >= 8 && ndashed * 3 < n) {
            float best = 0, second = 0;
            for (int ph = 0; ph < 4; ph++) {
                int tot = 0, hit = 0;
                for (int i = ph; i < n; i += 4) {
                    float l = i > 0 ? r->rule[i - 1].strength : 0, rr = i + 1 < n ? r->rule[i + 1].strength : 0;
                    float mx = l > rr ? l : rr;
                    tot++;
                    hit += r->rule[i].strength > 1.6f * mx; /* main lines are far stronger */
                }
                float f = tot ? (float)hit / tot : 0;
                if (f > best) {
                    second = best;
                    best = f;
                    seyes_phase = ph;
                } else if (f > second) {
                    second = f;
                }
            }
            if (best < 0.7f || second > 0.3f)
                seyes_phase = -1;
        }
        if (seyes_gray)
            seyes_phase = 0; /* the roles are known: every line found in the mask is a heavy one */
        /* primary by its spacing: groups of three lines h apart with a
         * wider gap between groups (the mid lines' dashes may be lost under
         * writing that crosses the whole line) */
        int spaced_primary = 0;
        for (int ph = 0; ph < 3 && !spaced_primary && n >= 6; ph++) {
            int groups = 0, fit = 0;
            for (int i = ph; i + 3 < n; i += 3) {
                float a = r->rule[i + 1].y - r->rule[i].y, b = r->rule[i + 2].y - r->rule[i + 1].y;
                float g = r->rule[i + 3].y - r->rule[i + 2].y;
                groups++;
                fit += fabsf(a - b) <= 0.15f * a && g >= 1.4f * a;
            }
            spaced_primary = groups >= 2 && fit * 10 >= groups * 8;
        }
        /* or by dashed lines that each sit halfway between two solid ones
         * (a primary group whose other mid lines are hidden under writing) */
        int dashed_mids = 0;
        for (int i = 1; i + 1 < n; i++) {
            if (!r->rule[i].dashed)
                continue;
            int a = i - 1, b = i + 1;
            while (a >= 0 && r->rule[a].dashed)
                a--;
            while (b < n && r->rule[b].dashed)
                b++;
            if (a < 0 || b >= n)
                continue;
            float up = r->rule[i].y - r->rule[a].y, down = r->rule[b].y - r->rule[i].y;
            dashed_mids += fabsf(up - down) <= 0.15f * 0.5f * (up + down);
        }
        if (!seyes_gray && ((ndashed >= 2 && ndashed * 4 >= n) || spaced_primary || dashed_mids >= 2)) {
            /* primary: the mid-to-base distance h from the dashed lines, then
             * every solid line with lines h and 2h above it is a baseline (so
             * a mid line whose dashes were not seen still has its group) */
            r->kind = PS_RULING_PRIMARY;
            float hs[256];
            int nh = 0;
            for (int i = 0; i + 1 < n && nh < 256; i++)
                if (r->rule[i].dashed && !r->rule[i + 1].dashed)
                    hs[nh++] = r->rule[i + 1].y - r->rule[i].y;
            qsort(hs, nh, sizeof *hs, cmp_float);
            float h = nh ? hs[nh / 2] : med_sp;
            r->pitch_px = h;
            for (int i = 0; i < n; i++) {
                if (r->rule[i].dashed)
                    continue;
                int mid = -1, top = -1;
                for (int k = 0; k < i; k++) {
                    float d = r->rule[i].y - r->rule[k].y;
                    if (fabsf(d - h) < 0.25f * h)
                        mid = k;
                    if (fabsf(d - 2 * h) < 0.25f * h && !r->rule[k].dashed)
                        top = k;
                }
                if (mid < 0 || top < 0)
                    continue;
                r->rule[i].role = PG_RULE_BASE;
                r->rule[mid].role = PG_RULE_MID;
                if (r->rule[top].role == PG_RULE_PLAIN)
                    r->rule[top].role = PG_RULE_TOP;
                r->base_slope[r->nbase] = r->rule[i].slope;
                r->mid[r->nbase] = r->rule[mid].y;
                r->base[r->nbase++] = r->rule[i].y;
            }
        } else if (seyes_phase >= 0) {
            r->kind = PS_RULING_SEYES;
            for (int i = 0; i < n; i++) {
                if (seyes_gray ? r->rule[i].role != PG_RULE_MINOR : i % 4 == seyes_phase) {
                    r->rule[i].role = PG_RULE_BASE;
                    r->mid[r->nbase] = i + 1 < n ? r->rule[i].y - (r->rule[i + 1].y - r->rule[i].y) : NAN;
                    r->base_slope[r->nbase] = r->rule[i].slope;
                    r->base[r->nbase++] = r->rule[i].y;
                } else {
                    r->rule[i].role = PG_RULE_MINOR;
                }
            }
            r->pitch_px = med_sp;
        } else {
            r->kind = PS_RULING_SINGLE;
        }
        /* primary needs most dashed lines to sit in a top/mid/base group;
         * dashes made by a faded or blurred solid line do not */
        if (r->kind == PS_RULING_PRIMARY) {
            int mids = 0;
            for (int i = 0; i < n; i++)
                mids += r->rule[i].dashed && r->rule[i].role == PG_RULE_MID;
            if (r->nbase < 2 || mids * 10 < ndashed * 6) {
                r->kind = PS_RULING_SINGLE;
                r->nbase = 0;
                for (int i = 0; i < n; i++)
                    r->rule[i].role = PG_RULE_PLAIN;
            }
        }
        if (r->kind == PS_RULING_SINGLE) {
            /* the solid lines' pitch: a "dashed" line off it is a row
             * through writing (the tops of a line of x-height letters with
             * regular gaps), not a baseline; one on it is a printed line
             * that blur or fading broke up */
            float solid_pitch = 0;
            if (ndashed * 4 < n) {
                float gs[256];
                int ng = 0;
                for (int i = 0, last = -1; i < n; i++) {
                    if (r->rule[i].dashed)
                        continue;
                    if (last >= 0 && ng < 256)
                        gs[ng++] = r->rule[i].y - r->rule[last].y;
                    last = i;
                }
                if (ng >= 2) {
                    qsort(gs, ng, sizeof *gs, cmp_float);
                    solid_pitch = gs[ng / 2];
                }
            }
            for (int i = 0; i < n; i++) {
                if (r->rule[i].dashed && solid_pitch > 0) {
                    float near = 1e30f;
                    for (int k = 0; k < n; k++)
                        if (!r->rule[k].dashed && fabsf(r->rule[k].y - r->rule[i].y) < near)
                            near = fabsf(r->rule[k].y - r->rule[i].y);
                    float off = fmodf(near, solid_pitch);
                    if (off > 0.25f * solid_pitch && off < 0.75f * solid_pitch) {
                        r->rule[i].role = PG_RULE_PLAIN;
                        continue;
                    }
                }
                r->rule[i].role = PG_RULE_BASE;
                r->mid[r->nbase] = NAN;
                r->base_slope[r->nbase] = r->rule[i].slope;
                r->base[r->nbase++] = r->rule[i].y;
            }
            r->pitch_px = med_sp;
        }
    }
    /* a writing line whose pattern was not recognised (its dashed line
     * crossed by many letters, say) leaves a double gap between baselines:
     * a printed line in the middle of such a gap is a baseline too */
    if (r->nbase >= 3) {
        float *gaps = ps_malloc(sizeof(float) * r->nbase);
        if (!gaps) {
            pg_ruling_release(r);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        for (int i = 0; i + 1 < r->nbase; i++)
            gaps[i] = r->base[i + 1] - r->base[i];
        qsort(gaps, r->nbase - 1, sizeof *gaps, cmp_float);
        float P = gaps[(r->nbase - 1) / 2];
        ps_free(gaps);
        for (int i = 0; i + 1 < r->nbase && r->nbase < 2 * n + 1; i++) {
            float g = r->base[i + 1] - r->base[i];
            if (g < 1.7f * P || g > 2.3f * P)
                continue;
            float want = r->base[i] + P;
            int best = -1;
            for (int k = 0; k < n; k++)
                if (fabsf(r->rule[k].y - want) < 0.12f * P && !r->rule[k].dashed &&
                    (best < 0 || fabsf(r->rule[k].y - want) < fabsf(r->rule[best].y - want)))
                    best = k;
            /* no printed line found there (crossed by too much writing, lost
             * in a shadow): the ruling is regular, so interpolate it */
            memmove(&r->base[i + 2], &r->base[i + 1], sizeof(float) * (r->nbase - i - 1));
            memmove(&r->base_slope[i + 2], &r->base_slope[i + 1], sizeof(float) * (r->nbase - i - 1));
            memmove(&r->mid[i + 2], &r->mid[i + 1], sizeof(float) * (r->nbase - i - 1));
            if (best >= 0) {
                r->base[i + 1] = r->rule[best].y;
                r->base_slope[i + 1] = r->rule[best].slope;
                r->rule[best].role = PG_RULE_BASE;
            } else {
                r->base[i + 1] = 0.5f * (r->base[i] + r->base[i + 2]);
                r->base_slope[i + 1] = 0.5f * (r->base_slope[i] + r->base_slope[i + 2]);
            }
            r->mid[i + 1] = NAN;
            r->nbase++;
        }
    }
    /* primary: a group whose mid line was lost under the writing has no
     * baseline yet. From each baseline, walk to the neighbouring groups: the
     * next printed line below is a top line, and the line 2h below that top
     * is its group's baseline (and up: the line 2h above a baseline is its
     * top, the line before that top the previous group's baseline, whose
     * own top lies 2h above it) */
    if (r->kind == PS_RULING_PRIMARY && r->nbase >= 1 && r->pitch_px > 0) {
        float h = r->pitch_px;
        for (int changed = 1; changed;) {
            changed = 0;
            for (int bi = 0; bi < r->nbase && !changed && r->nbase < 2 * n + 1; bi++) {
                float yb = r->base[bi];
                for (int dir = -1; dir <= 1 && !changed; dir += 2) {
                    /* dir > 0: top = first line below the base, base2 = top + 2h;
                     * dir < 0: top = line 2h above the base, base2 = line before it */
                    int top = -1, b2 = -1;
                    if (dir > 0) {
                        for (int k = 0; k < n; k++)
                            if (r->rule[k].y > yb + 0.5f * h && !r->rule[k].dashed) {
                                top = k;
                                break;
                            }
                    } else {
                        for (int k = 0; k < n; k++)
                            if (fabsf(r->rule[k].y - (yb - 2 * h)) < 0.2f * h && !r->rule[k].dashed)
                                top = k;
                    }
                    if (top < 0)
                        continue;
                    if (dir > 0) {
                        for (int k = 0; k < n; k++)
                            if (fabsf(r->rule[k].y - (r->rule[top].y + 2 * h)) < 0.2f * h && !r->rule[k].dashed)
                                b2 = k;
                    } else {
                        for (int k = n - 1; k >= 0; k--)
                            if (r->rule[k].y < r->rule[top].y - 0.5f * h && !r->rule[k].dashed) {
                                b2 = k;
                                break;
                            }
                        /* its own top must lie 2h above it */
                        int t2 = -1;
                        for (int k = 0; b2 >= 0 && k < n; k++)
                            if (fabsf(r->rule[k].y - (r->rule[b2].y - 2 * h)) < 0.2f * h && !r->rule[k].dashed)
                                t2 = k;
                        if (t2 < 0)
                            b2 = -1;
                    }
                    if (b2 < 0)
                        continue;
                    int known = 0;
                    for (int q = 0; q < r->nbase; q++)
                        known |= fabsf(r->base[q] - r->rule[b2].y) < 0.2f * h;
                    if (known || r->rule[b2].role == PG_RULE_MID)
                        continue;
                    int at = 0;
                    while (at < r->nbase && r->base[at] < r->rule[b2].y)
                        at++;
                    memmove(&r->base[at + 1], &r->base[at], sizeof(float) * (r->nbase - at));
                    memmove(&r->base_slope[at + 1], &r->base_slope[at], sizeof(float) * (r->nbase - at));
                    memmove(&r->mid[at + 1], &r->mid[at], sizeof(float) * (r->nbase - at));
                    r->base[at] = r->rule[b2].y;
                    r->base_slope[at] = r->rule[b2].slope;
                    r->mid[at] = NAN;
                    r->rule[b2].role = PG_RULE_BASE;
                    if (r->rule[top].role == PG_RULE_PLAIN)
                        r->rule[top].role = PG_RULE_TOP;
                    r->nbase++;
                    changed = 1;
                }
            }
        }
    }
    /* the pencil's typical gray: median of the ink off the printed lines */
    int ink_gray;
    ps_status grc = pg_ruling_ink_gray(pool, gray, ink, r, n, &ink_gray);
    if (grc != PS_OK) {
        pg_ruling_release(r);
        return grc;
    }
    /* remove every printed line found, whatever the pattern */
    ps_status rrc = remove_rules(pool, gray, mask, ink, r, n, ink_gray);
    if (rrc != PS_OK)
        pg_ruling_release(r);
    return rrc;
}
