/* Connected components of the ink mask: two-pass labelling with union-find
 * over runs (8-connected), then boxes and areas per component. The passes
 * over the pixels (finding the runs, writing the label image) are split
 * over the analyser's threads by rows; joining the runs is one pass over
 * them in raster order, so the labels are the same whatever the threads. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <string.h>

static int32_t uf_find(int32_t *parent, int32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

static void uf_union(int32_t *parent, int32_t a, int32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* One run of ink: columns [x0, x1) of row y, label lab. */
typedef struct run {
    int32_t x0, x1, y, lab;
} run;

/* A thread's rows and their runs, in raster order. */
typedef struct run_band {
    run *r;
    size_t n, cap;
    int failed;
} run_band;

typedef struct label_job {
    const ps_image *mask;
    int32_t *lab;
    run_band *band; /* per thread */
} label_job;

/* runs of ink row by row (paper skipped eight bytes at a time) */
static void find_runs(void *ctx, int ith, int nth)
{
    const label_job *j = ctx;
    const ps_image *mask = j->mask;
    run_band *b = &j->band[ith];
    int W = mask->width, y0, y1;
    ps_split(mask->height, ith, nth, &y0, &y1);
    b->n = 0;
    b->failed = 0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *m = mask->data + (size_t)y * mask->stride;
        int x = 0;
        while (x < W) {
            while (x + 8 <= W) {
                uint64_t v;
                memcpy(&v, m + x, 8);
                if (v)
                    break;
                x += 8;
            }
            while (x < W && !m[x])
                x++;
            if (x >= W)
                break;
            int x0 = x;
            while (x < W && m[x])
                x++;
            if (b->n == b->cap) {
                size_t nc = b->cap ? 2 * b->cap : 4096;
                run *nr = ps_realloc(b->r, nc * sizeof(run));
                if (!nr) {
                    b->failed = 1;
                    return;
                }
                b->r = nr;
                b->cap = nc;
            }
            b->r[b->n++] = (run){x0, x, y, 0};
        }
    }
}

/* the label image of a band of rows: paper 0, each run its component; each
 * pixel written once (the image is large: a second pass costs) */
static void write_labels(void *ctx, int ith, int nth)
{
    const label_job *j = ctx;
    int W = j->mask->width, y0, y1;
    ps_split(j->mask->height, ith, nth, &y0, &y1);
    const run_band *b = &j->band[ith];
    size_t i = 0;
    for (int y = y0; y < y1; y++) {
        int32_t *L = j->lab + (size_t)y * W;
        int x = 0;
        for (; i < b->n && b->r[i].y == y; i++) {
            const run *r = &b->r[i];
            memset(L + x, 0, (size_t)(r->x0 - x) * sizeof(int32_t));
            for (x = r->x0; x < r->x1; x++)
                L[x] = r->lab;
        }
        memset(L + x, 0, (size_t)(W - x) * sizeof(int32_t));
    }
}

ps_status pg_label(pg_ws *ws, ps_pool *pool, const ps_image *mask, int32_t **labels_out, pg_comp **comps_out,
                   int *ncomp_out)
{
    *labels_out = NULL;
    *comps_out = NULL;
    *ncomp_out = 0;
    int W = mask->width, H = mask->height;
    size_t N;
    if (!ps_size_mul_ok((size_t)W, (size_t)H, &N) || N > INT32_MAX)
        return ps_fail(PS_ERR_LIMIT, "image too large");
    int nth = ps_pool_size(pool);
    if (nth > H)
        nth = H;
    label_job j = {mask, pg_ws_get(ws, N * sizeof(int32_t)), ps_calloc((size_t)nth, sizeof(run_band))};
    size_t cap = 1024;
    int32_t *parent = ps_malloc(cap * sizeof(int32_t)), *id = NULL;
    pg_comp *c = NULL;
    ps_status rc = PS_OK;
    if (!j.lab || !j.band || !parent) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    ps_pool_run_n(pool, nth, find_runs, &j);
    for (int t = 0; t < nth; t++)
        if (j.band[t].failed) {
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
            goto out;
        }
    /* each run touching a run of the row above (8-connected: overlapping
     * columns widened by one) joins its label, else starts a new one.
     * Labels are made in raster order and unions keep the smaller, so a
     * component's root is made at its first pixel in raster order, as in a
     * pixel scan. The row above may end the band before. */
    int32_t next = 1;
    parent[0] = 0;
    const run *prev = NULL; /* the runs of the row above */
    size_t nprev = 0;
    for (int t = 0; t < nth; t++) {
        run *R = j.band[t].r;
        size_t n = j.band[t].n;
        for (size_t i = 0; i < n;) {
            int y = R[i].y;
            size_t row0 = i, p = 0;
            if (nprev && prev[0].y != y - 1)
                nprev = 0;
            for (; i < n && R[i].y == y; i++) {
                run *r = &R[i];
                /* runs above touching [x0 - 1, x1 + 1) */
                while (p < nprev && prev[p].x1 < r->x0)
                    p++;
                for (size_t q = p; q < nprev && prev[q].x0 <= r->x1; q++) {
                    int32_t l = uf_find(parent, prev[q].lab);
                    if (!r->lab)
                        r->lab = l;
                    else if (l != r->lab) {
                        uf_union(parent, r->lab, l);
                        r->lab = uf_find(parent, r->lab);
                    }
                }
                if (!r->lab) {
                    if ((size_t)next >= cap) {
                        int32_t *np = ps_realloc(parent, cap * 2 * sizeof(int32_t));
                        if (!np) {
                            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
                            goto out;
                        }
                        parent = np;
                        cap *= 2;
                    }
                    parent[next] = next;
                    r->lab = next++;
                }
            }
            prev = R + row0;
            nprev = i - row0;
        }
    }
    /* compact the roots to 1..n in the order they were made */
    id = ps_malloc((size_t)next * sizeof(int32_t));
    if (!id) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    int32_t n = 0;
    id[0] = 0;
    for (int32_t i = 1; i < next; i++)
        id[i] = parent[i] == i ? ++n : id[uf_find(parent, i)];
    c = ps_malloc(((size_t)n + 1) * sizeof(pg_comp));
    if (!c) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int32_t i = 0; i < n; i++) {
        c[i].x0 = W;
        c[i].y0 = H;
        c[i].x1 = c[i].y1 = 0;
        c[i].area = 0;
    }
    /* each run's component; boxes and areas */
    for (int t = 0; t < nth; t++)
        for (size_t i = 0; i < j.band[t].n; i++) {
            run *r = &j.band[t].r[i];
            int32_t v = id[uf_find(parent, r->lab)];
            r->lab = v;
            pg_comp *q = &c[v - 1];
            if (r->x0 < q->x0) q->x0 = r->x0;
            if (r->x1 > q->x1) q->x1 = r->x1;
            if (r->y < q->y0) q->y0 = r->y;
            if (r->y >= q->y1) q->y1 = r->y + 1;
            q->area += r->x1 - r->x0;
        }
    ps_pool_run_n(pool, nth, write_labels, &j);
    *labels_out = j.lab;
    *comps_out = c;
    *ncomp_out = n;
    j.lab = NULL;
    c = NULL;
out:
    if (j.band)
        for (int t = 0; t < nth; t++)
            ps_free(j.band[t].r);
    ps_free(j.band);
    pg_ws_put(ws, j.lab);
    ps_free(c);
    ps_free(id);
    ps_free(parent);
    return rc;
}
