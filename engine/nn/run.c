/* Sessions and the executor. A session lays out its arena once (plan.c) and
 * prebuilds every op's argument block, so a run only calls kernels. With a
 * pool of n threads, one pool job walks the whole op list on every thread:
 * each thread does its (ith, nth) share of an op, then all meet at a
 * barrier before the next op. One job per inference instead of one per op
 * keeps the wake-up cost out of the ~200 small ops of a hand model. */
#include "nn/plan.h"
#include "nn/kernels/kernels.h"
#include "core/alloc.h"
#include "core/status.h"
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

/* A validated model can still declare huge activations; the hand models
 * need about 5 MB. */
#define NN_MAX_ARENA ((size_t)1 << 30)

struct ps_nn_session {
    const ps_nn_model *m;
    ps_pool *pool;
    int nth;
    int use_ref;
    nn_plan plan;
    unsigned char *arena;
    float **ptr;                 /* per value: where its data is */
    nn_args *args;               /* per op */
    const nn_kernel_table *fast;
    const nn_kernel_table *run_table;
    _Atomic int bar_count;
    _Atomic int bar_gen;
};

ps_status ps_nn_session_new(const ps_nn_model *m, ps_pool *pool, ps_nn_session **out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_session_new: out is NULL");
    *out = NULL;
    if (!m)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_session_new: model is NULL");
    ps_nn_session *s = ps_calloc(1, sizeof *s);
    if (!s)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a session");
    s->m = m;
    s->pool = pool;
    s->nth = ps_pool_size(pool);
    s->fast = nn_kernels_for(nn_cpu_isa());
    ps_status rc = nn_plan_build(m, s->nth, &s->plan);
    if (rc) {
        ps_free(s);
        return rc;
    }
    if (s->plan.total_bytes > NN_MAX_ARENA) {
        size_t need = s->plan.total_bytes;
        ps_nn_session_free(s);
        return ps_fail(PS_ERR_LIMIT, "model needs %zu bytes of activations (limit %zu)", need, (size_t)NN_MAX_ARENA);
    }
    s->arena = ps_aligned_alloc(s->plan.total_bytes);
    s->ptr = ps_calloc((size_t)(m->nvalues ? m->nvalues : 1), sizeof *s->ptr);
    s->args = ps_calloc((size_t)(m->nops ? m->nops : 1), sizeof *s->args);
    if (!s->arena || !s->ptr || !s->args) {
        size_t need = s->plan.total_bytes;
        ps_nn_session_free(s);
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a session arena of %zu bytes", need);
    }
    /* zeroed once so that outputs read before the first run are defined */
    memset(s->arena, 0, s->plan.total_bytes);
    for (int v = 0; v < m->nvalues; v++) {
        const nn_value *x = &m->values[v];
        if (x->cdata)
            s->ptr[v] = (float *)x->cdata; /* kernels never write their inputs */
        else if (s->plan.offset[v] != NN_NO_OFFSET)
            s->ptr[v] = (float *)(s->arena + s->plan.offset[v]);
    }
    float *scratch = (float *)(s->arena + s->plan.scratch_offset);
    for (int i = 0; i < m->nops; i++) {
        const nn_op *op = &m->ops[i];
        nn_args *a = &s->args[i];
        a->op = op;
        for (int k = 0; k < op->nin; k++)
            if (op->in[k] >= 0) {
                a->in[k] = s->ptr[op->in[k]];
                a->in_count[k] = m->values[op->in[k]].count;
            }
        a->out = s->ptr[op->out];
        a->out_count = m->values[op->out].count;
        a->scratch = scratch;
        a->scratch_floats = s->plan.scratch_floats;
    }
    *out = s;
    return PS_OK;
}

void ps_nn_session_free(ps_nn_session *s)
{
    if (!s)
        return;
    nn_plan_release(&s->plan);
    ps_aligned_free(s->arena);
    ps_free(s->ptr);
    ps_free(s->args);
    ps_free(s);
}

void ps_nn_session_use_ref(ps_nn_session *s, int on)
{
    if (s)
        s->use_ref = on != 0;
}

size_t ps_nn_session_arena_bytes(const ps_nn_session *s)
{
    return s ? s->plan.total_bytes : 0;
}

float *ps_nn_session_input(ps_nn_session *s, int i)
{
    if (!s || i < 0 || i >= s->m->ninputs)
        return NULL;
    return s->ptr[s->m->inputs[i]];
}

const float *ps_nn_session_output(const ps_nn_session *s, int i, size_t *count)
{
    if (count)
        *count = 0;
    if (!s || i < 0 || i >= s->m->noutputs)
        return NULL;
    int v = s->m->outputs[i];
    if (count)
        *count = s->m->values[v].count;
    return s->ptr[v];
}

/* Generation barrier: the last thread to arrive starts the next generation;
 * the others spin briefly, then yield (the machine may be oversubscribed). */
static void barrier(ps_nn_session *s, int nth)
{
    int gen = atomic_load_explicit(&s->bar_gen, memory_order_acquire);
    if (atomic_fetch_add_explicit(&s->bar_count, 1, memory_order_acq_rel) == nth - 1) {
        atomic_store_explicit(&s->bar_count, 0, memory_order_relaxed);
        atomic_fetch_add_explicit(&s->bar_gen, 1, memory_order_release);
        return;
    }
    for (int spins = 0; atomic_load_explicit(&s->bar_gen, memory_order_acquire) == gen; spins++) {
        if (spins < 1024) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        } else {
            sched_yield();
        }
    }
}

static void run_ops(ps_nn_session *s, int ith, int nth)
{
    const nn_kernel_table *t = s->run_table;
    for (int i = 0; i < s->m->nops; i++) {
        nn_kernel_fn fn = t->fn[s->m->ops[i].type];
        if (!fn)
            continue; /* a view */
        fn(&s->args[i], ith, nth);
        if (nth > 1)
            barrier(s, nth);
    }
}

static void run_job(void *ctx, int ith, int nth)
{
    run_ops(ctx, ith, nth);
}

ps_status ps_nn_session_run(ps_nn_session *s)
{
    if (!s)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_session_run: session is NULL");
    s->run_table = s->use_ref ? nn_kernels_ref() : s->fast;
    if (s->nth > 1)
        ps_pool_run(s->pool, run_job, s);
    else
        run_ops(s, 0, 1);
    return PS_OK;
}

const float *nn_session_value(const ps_nn_session *s, int v)
{
    if (!s || v < 0 || v >= s->m->nvalues)
        return NULL;
    return s->ptr[v];
}

void nn_session_profile(ps_nn_session *s, double seconds[NN_OP_COUNT])
{
    struct timespec t0, t1;
    const nn_kernel_table *t = s->use_ref ? nn_kernels_ref() : s->fast;
    for (int i = 0; i < s->m->nops; i++) {
        nn_kernel_fn fn = t->fn[s->m->ops[i].type];
        if (!fn)
            continue;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        fn(&s->args[i], 0, 1);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds[s->m->ops[i].type] += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    }
}
