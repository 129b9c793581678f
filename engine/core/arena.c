/* Bump arena (see arena.h). */
#include "core/arena.h"
#include "core/alloc.h"
#include "core/status.h"
#include <string.h>

ps_status ps_arena_init(ps_arena *a, size_t size)
{
    memset(a, 0, sizeof *a);
    size = (size + 63) & ~(size_t)63;
    a->base = ps_aligned_alloc(size);
    if (!a->base)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate an arena of %zu bytes", size);
    a->size = size;
    return PS_OK;
}

void ps_arena_release(ps_arena *a)
{
    if (!a)
        return;
    ps_aligned_free(a->base);
    memset(a, 0, sizeof *a);
}

void *ps_arena_alloc(ps_arena *a, size_t n)
{
    size_t start = (a->used + 63) & ~(size_t)63;
    if (start > a->size || n > a->size - start)
        return NULL;
    a->used = start + n;
    if (a->used > a->peak)
        a->peak = a->used;
    return a->base + start;
}
