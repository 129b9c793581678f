/* Arena planner (see plan.h). Values are placed largest first at the lowest
 * offset that does not overlap any already placed value whose lifetime
 * intersects: O(n^2 log n) for n values, bounded by the loader's caps. */
#include "nn/plan.h"
#include "core/alloc.h"
#include "core/status.h"
#include <stdlib.h>
#include <string.h>

#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

typedef struct item { int v; size_t bytes; } item;
typedef struct span { size_t start, end; } span;

static int by_start(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

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
    span *spans = ps_malloc((size_t)(n ? n : 1) * sizeof *spans);
    if (!p->offset || !items || !placed || !spans) {
        ps_free(items);
        ps_free(placed);
        ps_free(spans);
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
        /* the placed values alive at the same time, by offset; the first
         * gap between them (or after them) that fits is the spot */
        int nc = 0;
        for (int j = 0; j < np; j++)
            if (overlaps(x, &m->values[placed[j]])) {
                spans[nc].start = p->offset[placed[j]];
                spans[nc].end = spans[nc].start + ALIGN64(m->values[placed[j]].count * sizeof(float));
                nc++;
            }
        qsort(spans, (size_t)nc, sizeof *spans, by_start);
        size_t off = 0;
        for (int j = 0; j < nc; j++) {
            if (spans[j].start >= off + items[i].bytes)
                break;
            if (spans[j].end > off)
                off = spans[j].end;
        }
        p->offset[items[i].v] = off;
        placed[np++] = items[i].v;
        if (off + items[i].bytes > top)
            top = off + items[i].bytes;
    }
    ps_free(spans);
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
