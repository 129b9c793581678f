/* The ruling search's passes over the whole page (ruling.c), split over
 * the analyser's threads by rows: each row's coverage, each column's count
 * of dark rows, the pencil's gray (integer counts per thread, added up), so
 * the numbers are the same whatever the threads. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

typedef struct cover_job {
    const ps_image *mask;
    float *cov, *segmin, *single;
} cover_job;

static void cover_rows(void *ctx, int ith, int nth)
{
    const cover_job *j = ctx;
    const ps_image *mask = j->mask;
    enum { NSEG = PG_RULING_NSEG }; /* a constant: the eighths' loops unroll */
    int W = mask->width, H = mask->height, y0, y1;
    ps_split(H, ith, nth, &y0, &y1);
    for (int y = y0; y < y1; y++) {
        int seg[NSEG] = {0}, tot = 0, one = 0;
        const uint8_t *r0 = mask->data + (size_t)(y > 0 ? y - 1 : y) * mask->stride;
        const uint8_t *r1 = mask->data + (size_t)y * mask->stride;
        const uint8_t *r2 = mask->data + (size_t)(y + 1 < H ? y + 1 : y) * mask->stride;
        /* column x is in eighth x * NSEG / W: eighth s holds the columns
         * from ceil(s W / NSEG) on */
        for (int s = 0; s < NSEG; s++) {
            int xa = (s * W + NSEG - 1) / NSEG, xb = ((s + 1) * W + NSEG - 1) / NSEG, c = 0, c1 = 0;
            for (int x = xa; x < xb; x++) {
                c += (r0[x] | r1[x] | r2[x]) != 0;
                c1 += r1[x] != 0;
            }
            seg[s] = c;
            tot += c;
            one += c1;
        }
        float mn = 1;
        for (int s = 0; s < NSEG; s++) {
            int w = (s + 1) * W / NSEG - s * W / NSEG;
            float f = w > 0 ? (float)seg[s] / w : 0;
            if (f < mn)
                mn = f;
        }
        j->cov[y] = (float)tot / W;
        j->segmin[y] = mn;
        j->single[y] = (float)one / W;
    }
}

void pg_ruling_row_cover(struct ps_pool *pool, const ps_image *mask, float *cov, float *segmin, float *single)
{
    cover_job j = {mask, cov, segmin, single};
    int nth = ps_pool_size(pool);
    ps_pool_run_n(pool, nth < mask->height ? nth : mask->height, cover_rows, &j);
}

typedef struct colc_job {
    const ps_image *mask;
    int *colc; /* per thread: W */
} colc_job;

static void colc_rows(void *ctx, int ith, int nth)
{
    const colc_job *j = ctx;
    const ps_image *mask = j->mask;
    int W = mask->width, y0, y1;
    ps_split(mask->height, ith, nth, &y0, &y1);
    int *colc = j->colc + (size_t)ith * W;
    memset(colc, 0, sizeof(int) * (size_t)W);
    for (int y = y0; y < y1; y++) {
        const uint8_t *row = mask->data + (size_t)y * mask->stride;
        for (int x = 1; x + 1 < W; x++)
            colc[x] += (row[x - 1] | row[x] | row[x + 1]) != 0;
    }
}

ps_status pg_ruling_col_counts(struct ps_pool *pool, const ps_image *mask, int *colc)
{
    int W = mask->width, nth = ps_pool_size(pool);
    if (nth > mask->height)
        nth = mask->height;
    colc_job j = {mask, nth > 1 ? ps_malloc(sizeof(int) * (size_t)W * nth) : colc};
    if (!j.colc)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    ps_pool_run_n(pool, nth, colc_rows, &j);
    if (nth > 1) {
        memcpy(colc, j.colc, sizeof(int) * (size_t)W);
        for (int t = 1; t < nth; t++)
            for (int x = 0; x < W; x++)
                colc[x] += j.colc[(size_t)t * W + x];
        ps_free(j.colc);
    }
    return PS_OK;
}

/* The pencil's gray: a histogram of the ink's gray off the printed lines
 * per band of rows (each band finds its first line itself, as the one pass
 * over all rows reaches it), added up. */
typedef struct inkgray_job {
    const ps_image *gray, *ink;
    const pg_ruling *r;
    int n;
    long (*hist)[257]; /* per thread: 256 levels and the count */
} inkgray_job;

static void inkgray_rows(void *ctx, int ith, int nth)
{
    const inkgray_job *j = ctx;
    const ps_image *gray = j->gray, *ink = j->ink;
    const pg_rule *rule = j->r->rule;
    int W = ink->width, n = j->n, y0, y1;
    ps_split(ink->height, ith, nth, &y0, &y1);
    long hist[256] = {0}, cnt = 0;
    int k = 0;
    for (int y = y0; y < y1; y++) {
        while (k < n && rule[k].y + rule[k].thick / 2 + 2 < y)
            k++;
        if (k < n && fabsf(rule[k].y - y) <= rule[k].thick / 2 + 2)
            continue;
        const uint8_t *m = ink->data + (size_t)y * ink->stride, *g = gray->data + (size_t)y * gray->stride;
        int x = 0;
        for (; x + 8 <= W; x += 8) { /* mostly paper: eight columns at a time */
            uint64_t any;
            memcpy(&any, m + x, 8);
            if (!any)
                continue;
            for (int i = x; i < x + 8; i++)
                if (m[i]) {
                    hist[g[i]]++;
                    cnt++;
                }
        }
        for (; x < W; x++)
            if (m[x]) {
                hist[g[x]]++;
                cnt++;
            }
    }
    memcpy(j->hist[ith], hist, sizeof hist);
    j->hist[ith][256] = cnt;
}

ps_status pg_ruling_ink_gray(struct ps_pool *pool, const ps_image *gray, const ps_image *ink, const pg_ruling *r,
                             int n, int *ink_gray)
{
    *ink_gray = 0;
    int nth = ps_pool_size(pool);
    if (nth > ink->height)
        nth = ink->height;
    inkgray_job j = {gray, ink, r, n, ps_malloc(sizeof(long) * 257 * (size_t)nth)};
    if (!j.hist)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    ps_pool_run_n(pool, nth, inkgray_rows, &j);
    long hist[256] = {0}, cnt = 0;
    for (int t = 0; t < nth; t++) {
        for (int v = 0; v < 256; v++)
            hist[v] += j.hist[t][v];
        cnt += j.hist[t][256];
    }
    ps_free(j.hist);
    for (long v = 0, acc = 0; v < 256; v++) {
        acc += hist[v];
        if (cnt && acc * 2 >= cnt) {
            *ink_gray = (int)v;
            break;
        }
    }
    return PS_OK;
}
