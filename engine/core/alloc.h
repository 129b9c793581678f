/* Allocation: every heap allocation of the library goes through here, so that
 * tests can fail the Nth allocation (fault injection) and check for a clean
 * error and no leak. Sizes are overflow-checked. */
#ifndef PS_CORE_ALLOC_H
#define PS_CORE_ALLOC_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *ps_malloc(size_t n);
void *ps_calloc(size_t count, size_t size);
void *ps_realloc(void *p, size_t n);
/* 64-byte aligned; release with ps_aligned_free. */
void *ps_aligned_alloc(size_t n);
void ps_aligned_free(void *p);
char *ps_strdup(const char *s);

/* Fault injection for tests: the nth allocation from now (1 = the next one)
 * and every later one fail until reset with 0. Counts are per process. */
void ps_alloc_fail_after(long n);
/* Allocations made since the last ps_alloc_fail_after() call. */
long ps_alloc_count(void);

static inline bool ps_size_mul_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool ps_size_add_ok(size_t a, size_t b, size_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}
/* a*b + c without overflow */
static inline bool ps_size_mad_ok(size_t a, size_t b, size_t c, size_t *out)
{
    size_t t;
    return ps_size_mul_ok(a, b, &t) && ps_size_add_ok(t, c, out);
}
/* a*b*c without overflow */
static inline bool ps_size_mul3_ok(size_t a, size_t b, size_t c, size_t *out)
{
    size_t t;
    return ps_size_mul_ok(a, b, &t) && ps_size_mul_ok(t, c, out);
}

#endif
