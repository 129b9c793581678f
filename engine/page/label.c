/* Connected components of the ink mask: two-pass labelling with union-find
 * over runs (8-connected), then boxes and areas per component. */
#include "page/page_internal.h"
#include "core/alloc.h"
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

/* One run of ink: columns [x0, x1) of row y, provisional label lab. */
typedef struct run {
    int32_t x0, x1, y, lab;
} run;

ps_status pg_label(pg_ws *ws, const ps_image *mask, int32_t **labels_out, pg_comp **comps_out, int *ncomp_out)
{
    *labels_out = NULL;
    *comps_out = NULL;
    *ncomp_out = 0;
    int W = mask->width, H = mask->height;
    size_t N;
    if (!ps_size_mul_ok((size_t)W, (size_t)H, &N) || N > INT32_MAX)
        return ps_fail(PS_ERR_LIMIT, "image too large");
    int32_t *lab = pg_ws_get(ws, N * sizeof(int32_t));
    size_t cap = 1024, rcap = 4096, nrun = 0;
    int32_t *parent = ps_malloc(cap * sizeof(int32_t));
    run *runs = ps_malloc(rcap * sizeof(run));
    if (!lab || !parent || !runs) {
        pg_ws_put(ws, lab);
        ps_free(parent);
        ps_free(runs);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    /* runs of ink row by row (paper skipped eight bytes at a time); a run
     * touching a run of the row above (8-connected: overlapping columns
     * widened by one) joins its label, else starts a new one. Labels are
     * made in raster order and unions keep the smaller, so a component's
     * root is made at its first pixel in raster order, as in a pixel scan. */
    int32_t next = 1;
    parent[0] = 0;
    size_t prev0 = 0, prev1 = 0; /* the runs of the row above */
    for (int y = 0; y < H; y++) {
        const uint8_t *m = mask->data + (size_t)y * mask->stride;
        size_t cur0 = nrun, p = prev0;
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
            if (nrun == rcap) {
                run *nr = ps_realloc(runs, rcap * 2 * sizeof(run));
                if (!nr) {
                    pg_ws_put(ws, lab);
                    ps_free(parent);
                    ps_free(runs);
                    return ps_fail(PS_ERR_NOMEM, "out of memory");
                }
                runs = nr;
                rcap *= 2;
            }
            run *r = &runs[nrun++];
            r->x0 = x0;
            r->x1 = x;
            r->y = y;
            r->lab = 0;
            /* runs above touching [x0 - 1, x + 1) */
            while (p < prev1 && runs[p].x1 < x0)
                p++;
            for (size_t q = p; q < prev1 && runs[q].x0 <= x; q++) {
                int32_t l = uf_find(parent, runs[q].lab);
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
                        pg_ws_put(ws, lab);
                        ps_free(parent);
                        ps_free(runs);
                        return ps_fail(PS_ERR_NOMEM, "out of memory");
                    }
                    parent = np;
                    cap *= 2;
                }
                parent[next] = next;
                r->lab = next++;
            }
        }
        prev0 = cur0;
        prev1 = nrun;
    }
    /* compact the roots to 1..n in the order they were made */
    int32_t *id = ps_malloc((size_t)next * sizeof(int32_t));
    if (!id) {
        pg_ws_put(ws, lab);
        ps_free(parent);
        ps_free(runs);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int32_t n = 0;
    id[0] = 0;
    for (int32_t i = 1; i < next; i++)
        id[i] = parent[i] == i ? ++n : id[uf_find(parent, i)];
    pg_comp *c = ps_malloc(((size_t)n + 1) * sizeof(pg_comp));
    if (!c) {
        ps_free(id);
        pg_ws_put(ws, lab);
        ps_free(parent);
        ps_free(runs);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int32_t i = 0; i < n; i++) {
        c[i].x0 = W;
        c[i].y0 = H;
        c[i].x1 = c[i].y1 = 0;
        c[i].area = 0;
    }
    /* the label image: paper 0, each run its component; boxes and areas */
    memset(lab, 0, N * sizeof(int32_t));
    for (size_t i = 0; i < nrun; i++) {
        const run *r = &runs[i];
        int32_t v = id[uf_find(parent, r->lab)];
        int32_t *L = lab + (size_t)r->y * W;
        for (int x = r->x0; x < r->x1; x++)
            L[x] = v;
        pg_comp *q = &c[v - 1];
        if (r->x0 < q->x0) q->x0 = r->x0;
        if (r->x1 > q->x1) q->x1 = r->x1;
        if (r->y < q->y0) q->y0 = r->y;
        if (r->y >= q->y1) q->y1 = r->y + 1;
        q->area += r->x1 - r->x0;
    }
    ps_free(id);
    ps_free(parent);
    ps_free(runs);
    *labels_out = lab;
    *comps_out = c;
    *ncomp_out = n;
    return PS_OK;
}
