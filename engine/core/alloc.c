/* Heap allocation with optional fault injection (see alloc.h). */
#include "core/alloc.h"
#include "penscope.h"
#include <stdlib.h>
#include <string.h>

static long g_fail_at;   /* 0 = never; else the allocation number that starts failing */
static long g_count;

static bool should_fail(void)
{
    long n = __atomic_add_fetch(&g_count, 1, __ATOMIC_RELAXED);
    long at = __atomic_load_n(&g_fail_at, __ATOMIC_RELAXED);
    return at > 0 && n >= at;
}

void ps_alloc_fail_after(long n)
{
    __atomic_store_n(&g_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&g_fail_at, n, __ATOMIC_RELAXED);
}

long ps_alloc_count(void)
{
    return __atomic_load_n(&g_count, __ATOMIC_RELAXED);
}

void *ps_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *ps_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (!count || !size)
        return calloc(1, 1);
    return calloc(count, size);
}

void *ps_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *ps_aligned_alloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = NULL;
    if (posix_memalign(&p, 64, n ? n : 64) != 0)
        return NULL;
    return p;
}

void ps_aligned_free(void *p)
{
    free(p);
}

char *ps_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ps_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void ps_free(void *p)
{
    free(p);
}
