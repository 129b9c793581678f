/* A fixed thread pool that runs one parallel job at a time, ggml-style: the job
 * function is called once per thread with (ith, nth), and splits the work
 * itself (rows, tiles, or an atomic counter over items). The calling thread is
 * worker 0, so a pool of 1 thread runs everything inline. */
#ifndef PS_CORE_POOL_H
#define PS_CORE_POOL_H
#include "penscope.h"

typedef struct ps_pool ps_pool;
typedef void (*ps_pool_fn)(void *ctx, int ith, int nth);

/* nthreads <= 0 means the number of online CPUs (capped at 64). */
ps_status ps_pool_new(int nthreads, ps_pool **out);
void ps_pool_free(ps_pool *p);
int ps_pool_size(const ps_pool *p);
/* Runs fn on every thread and returns when all have finished. Calls from
 * several threads are serialised. p may be NULL: runs fn(ctx, 0, 1) inline. */
void ps_pool_run(ps_pool *p, ps_pool_fn fn, void *ctx);
/* Like ps_pool_run but with at most nth threads taking part (>=1). */
void ps_pool_run_n(ps_pool *p, int nth, ps_pool_fn fn, void *ctx);

/* Rows [*lo, *hi) of n for thread ith of nth: contiguous, balanced. */
static inline void ps_split(int n, int ith, int nth, int *lo, int *hi)
{
    long a = (long)n * ith / nth, b = (long)n * (ith + 1) / nth;
    *lo = (int)a;
    *hi = (int)b;
}

int ps_cpu_count(void);

#endif
