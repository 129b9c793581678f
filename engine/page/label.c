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

ps_status pg_label(const ps_image *mask, int32_t **labels_out, pg_comp **comps_out, int *ncomp_out)
{
    *labels_out = NULL;
    *comps_out = NULL;
    *ncomp_out = 0;
    int W = mask->width, H = mask->height;
    size_t N;
    if (!ps_size_mul_ok((size_t)W, (size_t)H, &N))
        return ps_fail(PS_ERR_LIMIT, "image too large");
    int32_t *lab = ps_malloc(N * sizeof(int32_t));
    size_t cap = 1024;
    int32_t *parent = ps_malloc(cap * sizeof(int32_t));
    if (!lab || !parent) {
        ps_free(lab);
        ps_free(parent);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int32_t next = 1;
    parent[0] = 0;
    for (int y = 0; y < H; y++) {
        const uint8_t *m = mask->data + (size_t)y * mask->stride;
        int32_t *L = lab + (size_t)y * W, *P = y > 0 ? L - W : NULL;
        for (int x = 0; x < W; x++) {
            if (!m[x]) {
                L[x] = 0;
                continue;
            }
            int32_t best = 0;
            int32_t nb[4] = {x > 0 ? L[x - 1] : 0, P && x > 0 ? P[x - 1] : 0, P ? P[x] : 0,
                             P && x + 1 < W ? P[x + 1] : 0};
            for (int k = 0; k < 4; k++)
                if (nb[k] && (!best || nb[k] < best))
                    best = nb[k];
            if (!best) {
                if ((size_t)next >= cap) {
                    int32_t *np = ps_realloc(parent, cap * 2 * sizeof(int32_t));
                    if (!np) {
                        ps_free(lab);
                        ps_free(parent);
                        return ps_fail(PS_ERR_NOMEM, "out of memory");
                    }
                    parent = np;
                    cap *= 2;
                }
                parent[next] = next;
                best = next++;
            } else {
                for (int k = 0; k < 4; k++)
                    if (nb[k] && nb[k] != best)
                        uf_union(parent, best, nb[k]);
            }
            L[x] = best;
        }
    }
    /* compact the roots to 1..n (unions always point to the smaller label,
     * so a root is seen before any label that joins it) */
    int32_t *id = ps_malloc((size_t)next * sizeof(int32_t));
    if (!id) {
        ps_free(lab);
        ps_free(parent);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int32_t n = 0;
    id[0] = 0;
    for (int32_t i = 1; i < next; i++)
        id[i] = parent[i] == i ? ++n : id[uf_find(parent, i)];
    pg_comp *c = ps_malloc(((size_t)n + 1) * sizeof(pg_comp));
    if (!c) {
        ps_free(id);
        ps_free(lab);
        ps_free(parent);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (int32_t i = 0; i < n; i++) {
        c[i].x0 = W;
        c[i].y0 = H;
        c[i].x1 = c[i].y1 = 0;
        c[i].area = 0;
    }
    for (int y = 0; y < H; y++) {
        int32_t *L = lab + (size_t)y * W;
        for (int x = 0; x < W; x++) {
            if (!L[x])
                continue;
            int32_t v = id[L[x]];
            L[x] = v;
            pg_comp *q = &c[v - 1];
            if (x < q->x0) q->x0 = x;
            if (x >= q->x1) q->x1 = x + 1;
            if (y < q->y0) q->y0 = y;
            if (y >= q->y1) q->y1 = y + 1;
            q->area++;
        }
    }
    ps_free(id);
    ps_free(parent);
    *labels_out = lab;
    *comps_out = c;
    *ncomp_out = n;
    return PS_OK;
}
