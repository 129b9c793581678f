/* Arena planner (see plan.h). Values are placed largest first at the lowest
 * offset that does not overlap any already placed value whose lifetime
 * intersects; the ~300 values of a hand model make the quadratic search
 * negligible next to loading. */
#include "nn/plan.h"
#include "core/alloc.h"
#include "core/status.h"
#include <stdlib.h>
#include <string.h>

#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

typedef struct item { int v; size_t bytes; } item;

static int by_size_desc(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return x->v - y->v;
}

static int overlaps(const nn_value *a, const nn_value *b)
{
    return a->first <= b->last && b->first <= a->last;
}

ps_status nn_plan_build(const ps_nn_model *m, int nthreads, nn_plan *p)
{
    memset(p, 0, sizeof *p);
    int n = m->nvalues;
    p->offset = ps_malloc((size_t)(n ? n : 1) * sizeof *p->offset);
    item *items = ps_malloc((size_t)(n ? n : 1) * sizeof *items);
    int *placed = ps_malloc((size_t)(n ? n : 1) * sizeof *placed);
    if (!p->offset || !items || !placed) {
        ps_free(items);
        ps_free(placed);
        nn_plan_release(p);
        return ps_fail(PS_ERR_NOMEM, "cannot allocate the memory plan");
    }
    int ni = 0;
    for (int v = 0; v < n; v++) {
        const nn_value *x = &m->values[v];
        p->offset[v] = NN_NO_OFFSET;
        if (x->cdata || x->view_of >= 0 || x->first > x->last)
            continue;
        items[ni].v = v;
        items[ni].bytes = ALIGN64(x->count * sizeof(float));
        ni++;
    }
    qsort(items, (size_t)ni, sizeof *items, by_size_desc);
    int np = 0;
    size_t top = 0;
    for (int i = 0; i < ni; i++) {
        const nn_value *x = &m->values[items[i].v];
        /* the lowest gap among conflicting placed values, scanning by offset */
        size_t off = 0;
        for (int again = 1; again;) {
            again = 0;
            for (int j = 0; j < np; j++) {
                int u = placed[j];
                if (!overlaps(x, &m->values[u]))
                    continue;
                size_t uo = p->offset[u], ub = ALIGN64(m->values[u].count * sizeof(float));
                if (off < uo + ub && uo < off + items[i].bytes) {
                    off = uo + ub;
                    again = 1;
                }
            }
        }
        p->offset[items[i].v] = off;
        placed[np++] = items[i].v;
        if (off + items[i].bytes > top)
            top = off + items[i].bytes;
    }
    for (int v = 0; v < n; v++)
        if (m->values[v].view_of >= 0)
            p->offset[v] = p->offset[m->values[v].view_of];
    ps_free(items);
    ps_free(placed);
    p->act_bytes = top;
    for (int i = 0; i < m->nops; i++) {
        size_t s = nn_op_scratch_floats(&m->ops[i]);
        if (s > p->scratch_floats)
            p->scratch_floats = s;
    }
    p->scratch_floats = ALIGN64(p->scratch_floats * sizeof(float)) / sizeof(float);
    p->scratch_offset = top;
    size_t scratch_bytes;
    if (!ps_size_mul_ok(p->scratch_floats * sizeof(float), (size_t)(nthreads > 0 ? nthreads : 1), &scratch_bytes) ||
        !ps_size_add_ok(top, scratch_bytes, &p->total_bytes)) {
        nn_plan_release(p);
        return ps_fail(PS_ERR_LIMIT, "memory plan too large");
    }
    if (p->total_bytes == 0)
        p->total_bytes = 64;
    return PS_OK;
}

void nn_plan_release(nn_plan *p)
{
    if (p) {
        ps_free(p->offset);
        memset(p, 0, sizeof *p);
    }
}
