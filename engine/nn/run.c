/* Sessions and the executor. A session lays out its arena once (plan.c) and
 * prebuilds every op's argument block, so a run only calls kernels.
 *
 * Threads: each op is cut into parts ("tasks": 4 per thread for big ops, 1
 * per thread for small ones) and one pool job per inference lets every
 * thread take the next task from an atomic counter, in op order. A task of
 * op i starts once every task of op i-1 is done (an atomic completion
 * count), so there is no all-threads barrier: a thread the OS has put aside
 * (the machine runs camera decoding and more) delays the others by one task
 * at most, and the threads that run take over its share. Kernels write
 * disjoint parts of their output, so any order of tasks gives the same
 * result. */
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
    int ntasks;                  /* all ops' parts together */
    int *task_op;                /* per task: its op */
    int *op_first;               /* per op: its first task (ops without a kernel have none) */
    int *op_parts;               /* per op: how many parts */
    _Atomic int next_task;
    _Atomic int done_tasks;
};

/* Big ops get 4 parts per thread so a late thread's share can be taken
 * over; small ones (under 16 K outputs) one per thread. */
static int parts_for(const nn_op *op, size_t out_count, int nth)
{
    if (nth <= 1)
        return 1;
    (void)op;
    return out_count >= 16384 ? 4 * nth : nth;
}

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
    s->op_first = ps_calloc((size_t)(m->nops ? m->nops : 1), sizeof *s->op_first);
    s->op_parts = ps_calloc((size_t)(m->nops ? m->nops : 1), sizeof *s->op_parts);
    size_t ntasks = 0;
    for (int i = 0; i < m->nops; i++)
        if (m->ops[i].type != NN_OP_RESHAPE)
            ntasks += (size_t)parts_for(&m->ops[i], m->values[m->ops[i].out].count, s->nth);
    s->task_op = ps_calloc(ntasks ? ntasks : 1, sizeof *s->task_op);
    if (!s->arena || !s->ptr || !s->args || !s->op_first || !s->op_parts || !s->task_op) {
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
        s->op_first[i] = s->ntasks;
        s->op_parts[i] = op->type == NN_OP_RESHAPE ? 0 : parts_for(op, a->out_count, s->nth);
        for (int k = 0; k < s->op_parts[i]; k++)
            s->task_op[s->ntasks++] = i;
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
    ps_free(s->op_first);
    ps_free(s->op_parts);
    ps_free(s->task_op);
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

static void run_ops_single(ps_nn_session *s)
{
    const nn_kernel_table *t = s->run_table;
    for (int i = 0; i < s->m->nops; i++) {
        nn_kernel_fn fn = t->fn[s->m->ops[i].type];
        if (fn)
            fn(&s->args[i], 0, 1);
    }
}

/* Spins briefly, then yields, until every task before `first` is done. */
static void wait_done(ps_nn_session *s, int first)
{
    for (int spins = 0; atomic_load_explicit(&s->done_tasks, memory_order_acquire) < first; spins++) {
        if (spins < 1024) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        } else {
            sched_yield();
        }
    }
}

static void run_job(void *ctx, int tid, int nth)
{
    ps_nn_session *s = ctx;
    const nn_kernel_table *t = s->run_table;
    float *scratch = (float *)(s->arena + s->plan.scratch_offset) + (size_t)tid * s->plan.scratch_floats;
    (void)nth;
    for (;;) {
        int task = atomic_fetch_add_explicit(&s->next_task, 1, memory_order_relaxed);
        if (task >= s->ntasks)
            break;
        int i = s->task_op[task];
        wait_done(s, s->op_first[i]);
        nn_args a = s->args[i];
        a.scratch = scratch;
        t->fn[s->m->ops[i].type](&a, task - s->op_first[i], s->op_parts[i]);
        atomic_fetch_add_explicit(&s->done_tasks, 1, memory_order_release);
    }
}

ps_status ps_nn_session_run(ps_nn_session *s)
{
    if (!s)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_nn_session_run: session is NULL");
    s->run_table = s->use_ref ? nn_kernels_ref() : s->fast;
    if (s->nth > 1) {
        atomic_store(&s->next_task, 0);
        atomic_store(&s->done_tasks, 0);
        ps_pool_run(s->pool, run_job, s);
    } else {
        run_ops_single(s);
    }
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
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        fn(&s->args[i], 0, 1);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        seconds[s->m->ops[i].type] += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    }
}
