/* Faint stroke centres joined to the ink: hysteresis binarisation for
 * blurred or low-resolution photos (see pg_bridge_faint in page_internal.h).
 *
 * Blur spreads a thin pencil stroke: its middle gets lighter than the ink
 * threshold (Sauvola k = 0.34, near half coverage of clear ink) and the
 * stroke breaks into pieces, so letters lose their tops and are counted
 * in pieces. Adding every pixel of the faint mask (k = 0.1) would join
 * them but also widen every clear stroke by its blurred edge (sizes grow,
 * gaps shrink). So only the faint pixels at the bottom of a gray valley
 * across rows or columns (the dark ridge of a stroke) are candidates: a
 * clear stroke's edge only rises across it and is flat along it, and a
 * sharp scan has almost no faint ridge. Candidates join when they reach
 * the ink through other candidates (a geodesic dilation, a pixel a step),
 * so lone light noise stays paper. All this only on a page measured as
 * blurred (its faint band beside the ink at least a pixel deep): on sharp
 * pages a few stray ridges would only move edges. */
#include "page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <stddef.h>
#include <string.h>

/* a faint pixel whose gray is a valley across rows or columns: the
 * pixels d = 2 (or 3, for wider blur) away both lighter by a share of its
 * darkness, the pixels next to it not much darker (the bottom of the
 * valley, not its side), and no edge along the valley: one neighbour
 * much darker and the other much lighter is the skirt of a darker
 * stroke's curve (the halo above the top of an o), not a stroke's ridge,
 * which along itself stays as dark or meets the ink it joins */
static int valley(const uint8_t *p, ptrdiff_t across, ptrdiff_t along, int d, int need)
{
    int s = p[0];
    int n1 = p[-across] < p[across] ? p[-across] : p[across];
    int lo = p[-along] < p[along] ? p[-along] : p[along], hi = p[-along] ^ p[along] ^ lo;
    int edge_along = hi - s >= need && s - lo >= need;
    return p[-d * across] - s >= need && p[d * across] - s >= need && s - n1 <= need && !edge_along;
}

static int faint_ridge(const ps_image *g, int x, int y)
{
    int W = g->width, H = g->height;
    if (x < 1 || y < 1 || x + 1 >= W || y + 1 >= H)
        return 0;
    ptrdiff_t st = (ptrdiff_t)g->stride;
    const uint8_t *p = g->data + (size_t)y * g->stride + x;
    int need = (255 - p[0] + 4) / 6;
    if (need < 2)
        need = 2;
    for (int d = 2; d <= 3; d++) {
        if (x >= d && x + d < W && valley(p, 1, st, d, need))
            return 1;
        if (y >= d && y + d < H && valley(p, st, 1, d, need))
            return 1;
    }
    return 0;
}

enum { INK = 0, PENDING = 254, PAPER = 255 };

/* stamp: INK for ink (the mask's, and ridges joined at an earlier step),
 * PENDING for a faint ridge not yet joined, PAPER else. Each step reads
 * only the stamps of earlier steps, so the growth is the same for any
 * split into rows. */
typedef struct bridge_job {
    const ps_image *gray, *faint;
    ps_image *mask;
    uint8_t *stamp;  /* W x H */
    int32_t *todo;   /* per thread from y0 * W: its pending pixels */
    int *ntodo;      /* per thread */
    int *grew;       /* per thread: pixels joined at this step */
    long long *band, *edge; /* per thread: faint pixels off the ink; ink pixels beside paper */
    int nth;
} bridge_job;

static void find_ridges(void *ctx, int ith, int nth)
{
    const bridge_job *j = ctx;
    int W = j->gray->width, H = j->gray->height, y0, y1, n = 0;
    ps_split(H, ith, nth, &y0, &y1);
    int32_t *todo = j->todo + (size_t)y0 * W;
    for (int y = y0; y < y1; y++) {
        const uint8_t *f = j->faint->data + (size_t)y * j->faint->stride;
        const uint8_t *m = j->mask->data + (size_t)y * j->mask->stride;
        uint8_t *st = j->stamp + (size_t)y * W;
        for (int x = 0; x < W; x++) {
            if (m[x]) {
                st[x] = INK;
            } else if (f[x] && faint_ridge(j->gray, x, y)) {
                st[x] = PENDING;
                todo[n++] = (int32_t)((y - y0) * W + x);
            } else {
                st[x] = PAPER;
            }
        }
    }
    j->ntodo[ith] = n;
}

/* the blur measure's counts over the thread's rows (masks are 0 or 255):
 * faint pixels off the ink, and ink pixels with a paper 4-neighbour
 * (the first and last columns left out) */
static void count_band_edge(void *ctx, int ith, int nth)
{
    const bridge_job *j = ctx;
    int W = j->gray->width, H = j->gray->height, y0, y1;
    ps_split(H, ith, nth, &y0, &y1);
    long long band = 0, edge = 0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *f = j->faint->data + (size_t)y * j->faint->stride;
        const uint8_t *m = j->mask->data + (size_t)y * j->mask->stride;
        const uint8_t *mu = y > 0 ? m - j->mask->stride : m, *md = y + 1 < H ? m + j->mask->stride : m;
        unsigned b = 0, e = 0;
        for (int x = 0; x < W; x++)
            b += (f[x] & ~m[x]) & 1;
        for (int x = 1; x + 1 < W; x++)
            e += (m[x] & ~(m[x - 1] & m[x + 1] & mu[x] & md[x])) & 1;
        band += b;
        edge += e;
    }
    j->band[ith] = band;
    j->edge[ith] = edge;
}

/* one step, in two runs so no thread writes what another reads: first
 * each pending ridge pixel with an 8-neighbour already ink is marked (its
 * index made negative), then the marked ones are stamped and made ink */
static void grow_find(void *ctx, int ith, int nth)
{
    const bridge_job *j = ctx;
    int W = j->gray->width, H = j->gray->height, y0, y1, n = j->ntodo[ith], grew = 0;
    ps_split(H, ith, nth, &y0, &y1);
    int32_t *todo = j->todo + (size_t)y0 * W;
    for (int i = 0; i < n; i++) {
        int y = y0 + todo[i] / W, x = todo[i] % W, hit = 0;
        for (int yy = y > 0 ? y - 1 : 0; yy <= y + 1 && yy < H && !hit; yy++) {
            const uint8_t *st = j->stamp + (size_t)yy * W;
            for (int xx = x > 0 ? x - 1 : 0; xx <= x + 1 && xx < W; xx++)
                if (st[xx] < PENDING) {
                    hit = 1;
                    break;
                }
        }
        if (hit) {
            todo[i] = -1 - todo[i];
            grew++;
        }
    }
    j->grew[ith] = grew;
}

static void grow_apply(void *ctx, int ith, int nth)
{
    const bridge_job *j = ctx;
    int W = j->gray->width, H = j->gray->height, y0, y1, n = j->ntodo[ith], keep = 0;
    ps_split(H, ith, nth, &y0, &y1);
    int32_t *todo = j->todo + (size_t)y0 * W;
    for (int i = 0; i < n; i++) {
        if (todo[i] >= 0) {
            todo[keep++] = todo[i];
            continue;
        }
        int k = -1 - todo[i], y = y0 + k / W, x = k % W;
        j->stamp[(size_t)y * W + x] = INK;
        j->mask->data[(size_t)y * j->mask->stride + x] = 255;
    }
    j->ntodo[ith] = keep;
}

ps_status pg_bridge_faint(struct ps_pool *pool, const ps_image *gray, const ps_image *faint, ps_image *mask,
                          int steps)
{
    int W = gray->width, H = gray->height;
    if (W < 7 || H < 7 || steps <= 0)
        return PS_OK;
    size_t n = (size_t)W * H;
    int nth = pool ? ps_pool_size(pool) : 1;
    if (nth > H)
        nth = H;
    long long sums[2 * 64];
    if (nth > 64)
        nth = 64;
    bridge_job j = {gray, faint, mask, NULL, NULL, NULL, NULL, sums, sums + nth, nth};
    ps_pool_run_n(pool, nth, count_band_edge, &j);
    /* the blur, measured: the faint pixels off the ink per pixel of the
     * ink's edge. A sharp edge's partly covered pixels are under one pixel
     * deep (sharp scans: 0.1-0.2, flat photos with noise up to 0.8); a
     * page whose strokes broke has most of them faint (3-7): only there
     * are ridges joined, so sharp pages keep their masks exactly */
    long long band = 0, edge = 0;
    for (int t = 0; t < nth; t++) {
        band += j.band[t];
        edge += j.edge[t];
    }
    if (band < edge)
        return PS_OK;
    uint8_t *stamp = ps_malloc(n);
    int32_t *todo = ps_malloc(sizeof(int32_t) * n);
    int *counts = ps_malloc(sizeof(int) * 2 * (size_t)nth);
    if (!stamp || !todo || !counts) {
        ps_free(stamp);
        ps_free(todo);
        ps_free(counts);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    j.stamp = stamp;
    j.todo = todo;
    j.ntodo = counts;
    j.grew = counts + nth;
    ps_pool_run_n(pool, nth, find_ridges, &j);
    /* a geodesic dilation of the ink inside the ridges, one pixel a step,
     * until nothing joins */
    for (int step = 1; step <= steps; step++) {
        int pending = 0;
        for (int t = 0; t < nth; t++)
            pending += counts[t];
        if (!pending)
            break;
        ps_pool_run_n(pool, nth, grow_find, &j);
        int grew = 0;
        for (int t = 0; t < nth; t++)
            grew += j.grew[t];
        if (!grew)
            break;
        ps_pool_run_n(pool, nth, grow_apply, &j);
    }
    ps_free(stamp);
    ps_free(todo);
    ps_free(counts);
    return PS_OK;
}
