/* Thread pool (see pool.h). Workers sleep on a condition variable between
 * jobs; a generation counter tells them a new job has been posted. */
#include "core/pool.h"
#include "core/alloc.h"
#include "core/status.h"
#include <pthread.h>
#include <unistd.h>

#define PS_POOL_MAX 64

struct ps_pool {
    int n;                       /* threads including the caller */
    pthread_t th[PS_POOL_MAX];
    pthread_mutex_t mu, run_mu;
    pthread_cond_t go, done;
    unsigned long gen;
    int pending, nth, quit;
    ps_pool_fn fn;
    void *ctx;
};


int ps_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > PS_POOL_MAX)
        n = PS_POOL_MAX;
    return (int)n;
}

static void *worker(void *arg)
{
    ps_pool *p = ((void **)arg)[0];
    int id = (int)(intptr_t)((void **)arg)[1];
    ps_aligned_free(arg);
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->gen == seen)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit)
            break;
        seen = p->gen;
        int nth = p->nth;
        ps_pool_fn fn = p->fn;
        void *ctx = p->ctx;
        pthread_mutex_unlock(&p->mu);
        if (id < nth)
            fn(ctx, id, nth);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

ps_status ps_pool_new(int nthreads, ps_pool **out)
{
    *out = NULL;
    if (nthreads <= 0)
        nthreads = ps_cpu_count();
    if (nthreads > PS_POOL_MAX)
        nthreads = PS_POOL_MAX;
    ps_pool *p = ps_calloc(1, sizeof *p);
    if (!p)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a thread pool");
    p->n = 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->run_mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 1; i < nthreads; i++) {
        void **arg = ps_aligned_alloc(2 * sizeof(void *));
        if (!arg)
            break;
        arg[0] = p;
        arg[1] = (void *)(intptr_t)i;
        if (pthread_create(&p->th[i], NULL, worker, arg) != 0) {
            ps_aligned_free(arg);
            break;
        }
        p->n++;
    }
    *out = p;
    return PS_OK;
}

int ps_pool_size(const ps_pool *p)
{
    return p ? p->n : 1;
}

void ps_pool_run_n(ps_pool *p, int nth, ps_pool_fn fn, void *ctx)
{
    if (!p || p->n == 1 || nth <= 1) {
        fn(ctx, 0, 1);
        return;
    }
    if (nth > p->n)
        nth = p->n;
    pthread_mutex_lock(&p->run_mu);
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->nth = nth;
    p->pending = p->n - 1;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    fn(ctx, 0, nth);
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->run_mu);
}

void ps_pool_run(ps_pool *p, ps_pool_fn fn, void *ctx)
{
    ps_pool_run_n(p, p ? p->n : 1, fn, ctx);
}

void ps_pool_free(ps_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->n; i++)
        pthread_join(p->th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->run_mu);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    ps_free(p);
}
