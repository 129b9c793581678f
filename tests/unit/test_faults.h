/* Which allocations the fault-injection tests fail: every one of the first
 * 40 (set-up paths differ most there), then about 40 spread evenly over the
 * rest, and the last one, so a run of thousands of allocations stays a few
 * seconds under ASan. Header-only, for test_faults_*.c. */
#ifndef PS_TEST_FAULTS_H
#define PS_TEST_FAULTS_H
#include <stddef.h>

static inline size_t fault_points(long total, long *out, size_t cap)
{
    size_t n = 0;
    long step = total > 80 ? (total - 40) / 40 : 1;
    for (long k = 1; k <= total && n < cap; k += k < 40 ? 1 : step)
        out[n++] = k;
    if (n < cap && total > 0 && out[n - 1] != total)
        out[n++] = total;
    return n;
}
#endif
