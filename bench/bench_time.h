/* Clocks and the median for the benchmark programs: one definition for all
 * of them, so every bench reads time the same way. Wall time is CLOCK_MONOTONIC;
 * CPU time is per thread or per process, which a loaded machine barely moves. */
#ifndef PS_BENCH_TIME_H
#define PS_BENCH_TIME_H
#include <stdlib.h>
#include <time.h>

static inline double bench_clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static inline double bench_wall_s(void) { return bench_clock_s(CLOCK_MONOTONIC); }
static inline double bench_thread_cpu_s(void) { return bench_clock_s(CLOCK_THREAD_CPUTIME_ID); }
static inline double bench_process_cpu_s(void) { return bench_clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (n >= 1); sorts v in place. */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#endif
