/* bench_nn: inference speed of the four hand models (engine/nn).
 *
 * Baseline, measured in the same run: OpenBLAS cblas_sgemm on 1024^3
 * (GFLOP/s with 1 and with 2 OpenBLAS threads). Single-thread timings are
 * the thread's CPU time (robust when the machine is shared); two-thread
 * timings are wall time (median, and the fastest run as "2T best", which
 * approaches the unloaded time when other work shares the machine), plus
 * "2T cpu/2": half the CPU time both threads used per run (median), which is
 * what the wall time would be if both threads ran the whole time; waiting
 * threads spin first, so it includes most of the cost of waiting. Per model: milliseconds per
 * inference (median of --reps runs after warm-up) on the fast kernels with 1
 * and 2 threads and on the reference kernels, effective GFLOP/s from the
 * model's MAC count (2 FLOP per MAC) and the ratio of that to the sgemm
 * baseline with the same number of threads. Then, per 1x1 convolution shape
 * of each model, the own GEMM micro-kernel against cblas_sgemm (1 thread),
 * which is how the 1x1 path was chosen.
 *
 * Models come from --models, else $PENSCOPE_MODELS, else ./models.
 * --profile (default on) splits single-thread time by op type.
 * usage: bench_nn [--models DIR] [--reps N] [--no-ref] [--no-shapes] [--no-profile]
 * PS_SIMD=none|avx2|avx512 forces a lower kernel level. */
#include "nn/model.h"
#include "nn/kernels/kernels.h"
#include "core/pool.h"
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_time.h"

static double sgemm_gflops(int threads, int n, int reps)
{
    openblas_set_num_threads(threads);
    float *a = malloc((size_t)n * n * sizeof *a), *b = malloc((size_t)n * n * sizeof *b),
          *c = malloc((size_t)n * n * sizeof *c);
    for (size_t i = 0; i < (size_t)n * n; i++) {
        a[i] = (float)(i % 17) * 0.01f;
        b[i] = (float)(i % 13) * 0.02f;
    }
    double t[16];
    double (*clock)(void) = threads == 1 ? bench_thread_cpu_s : bench_wall_s; /* one thread: its CPU time, robust to load */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n); /* warm-up */
    for (int r = 0; r < reps; r++) {
        double t0 = clock();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
        t[r] = clock() - t0;
    }
    free(a), free(b), free(c);
    return 2.0 * n * n * (double)n / bench_median(t, reps) / 1e9;
}

static double g_best_ms; /* fastest run of the last time_model call */
static double g_cpu_ms;  /* median CPU time of all threads per run, last time_model call */

static double time_model(const ps_nn_model *m, ps_pool *pool, int use_ref, int reps)
{
    ps_nn_session *s;
    if (ps_nn_session_new(m, pool, &s) != PS_OK) {
        fprintf(stderr, "bench_nn: %s\n", ps_last_error());
        exit(1);
    }
    ps_nn_session_use_ref(s, use_ref);
    int d[4], nd;
    size_t n = ps_nn_model_input_shape(m, 0, d, &nd);
    float *in = ps_nn_session_input(s, 0);
    for (size_t i = 0; i < n; i++)
        in[i] = (float)(i % 255) / 255.0f;
    double *t = malloc((size_t)reps * sizeof *t);
    double (*clock)(void) = pool ? bench_wall_s : bench_thread_cpu_s;
    for (int w = 0; w < (use_ref ? 1 : 3); w++)
        ps_nn_session_run(s);
    double *c = malloc((size_t)reps * sizeof *c);
    for (int r = 0; r < reps; r++) {
        double t0 = clock(), c0 = bench_process_cpu_s();
        ps_nn_session_run(s);
        t[r] = clock() - t0;
        c[r] = bench_process_cpu_s() - c0;
    }
    double med = bench_median(t, reps);
    g_best_ms = t[0] * 1e3; /* sorted by bench_median() */
    g_cpu_ms = bench_median(c, reps) * 1e3;
    free(c);
    free(t);
    ps_nn_session_free(s);
    return med * 1e3;
}

/* The own GEMM micro-kernel (through the 1x1 conv kernel) on 1024^3: a
 * second yardstick, since OpenBLAS may not use the widest vectors of the CPU. */
typedef struct own_gemm { nn_op op; nn_args a; const nn_kernel_table *t; } own_gemm;
static void own_gemm_job(void *ctx, int ith, int nth)
{
    own_gemm *g = ctx;
    g->t->fn[NN_OP_CONV](&g->a, ith, nth);
}

static double own_gemm_gflops(ps_pool *pool, int n, int reps)
{
    own_gemm g;
    memset(&g, 0, sizeof g);
    g.t = nn_kernels_for(nn_cpu_isa());
    g.op.type = NN_OP_CONV;
    g.op.is_1x1 = 1;
    g.op.g = (nn_geom){32, n / 32, n, 32, n / 32, n};
    g.op.gemm_k = g.op.gemm_n = n;
    float *w = malloc((size_t)n * n * sizeof *w), *x = malloc((size_t)n * n * sizeof *x),
          *y = malloc((size_t)n * n * sizeof *y), *p = malloc(nn_packed_floats(n, n) * sizeof *p),
          *b = calloc(nn_packed_floats(n, 1), sizeof *b);
    for (size_t i = 0; i < (size_t)n * n; i++) {
        w[i] = (float)(i % 13) * 0.02f;
        x[i] = (float)(i % 17) * 0.01f;
    }
    nn_pack_gemm(w, NULL, n, n, p, b);
    g.op.packed = p;
    g.op.bias_padded = b;
    g.a.op = &g.op;
    g.a.in[0] = x;
    g.a.in[1] = w;
    g.a.out = y;
    g.a.out_count = (size_t)n * n;
    double t[16];
    double (*clock)(void) = pool ? bench_wall_s : bench_thread_cpu_s;
    ps_pool_run(pool, own_gemm_job, &g);
    for (int r = 0; r < reps; r++) {
        double t0 = clock();
        ps_pool_run(pool, own_gemm_job, &g);
        t[r] = clock() - t0;
    }
    free(w), free(x), free(y), free(p), free(b);
    return 2.0 * n * n * (double)n / bench_median(t, reps) / 1e9;
}

/* Where one single-threaded inference spends its time, by op type. */
static void profile(const char *name, const ps_nn_model *m, int reps)
{
    ps_nn_session *s;
    if (ps_nn_session_new(m, NULL, &s) != PS_OK)
        return;
    double sec[NN_OP_COUNT] = {0}, total = 0;
    int d[4], nd;
    size_t n = ps_nn_model_input_shape(m, 0, d, &nd);
    float *in = ps_nn_session_input(s, 0);
    for (size_t i = 0; i < n; i++)
        in[i] = (float)(i % 255) / 255.0f;
    ps_nn_session_run(s);
    for (int r = 0; r < reps; r++)
        nn_session_profile(s, sec);
    for (int t = 0; t < NN_OP_COUNT; t++)
        total += sec[t];
    printf("  %-20s %6.2f ms:", name, 1e3 * total / reps);
    for (int t = 0; t < NN_OP_COUNT; t++)
        if (sec[t] > 0)
            printf(" %s %.0f%%", nn_op_type_name((nn_optype)t), 100 * sec[t] / total);
    printf("\n");
    ps_nn_session_free(s);
}

/* Own micro-kernel vs cblas_sgemm on each distinct 1x1 conv shape of m. */
static void compare_1x1(const char *name, const ps_nn_model *m, int reps, double *own_total, double *blas_total,
                        double *used_total)
{
    nn_isa isa = nn_cpu_isa();
    nn_kernel_fn own_fn = isa == NN_ISA_AVX512 ? nn_conv_own_avx512 : isa == NN_ISA_AVX2 ? nn_conv_own_avx2 : nn_conv_ref;
    int seen[512][3], nseen = 0;
    printf("\n1x1 convolutions of %s (M = pixels, N = out channels, K = in channels; 1 thread; wall us per call, "
           "median of %d; count = how often the shape occurs):\n",
           name, reps);
    printf("  %6s %5s %5s %6s %10s %10s %8s\n", "M", "N", "K", "count", "own us", "blas us", "own/blas");
    for (int i = 0; i < m->nops; i++) {
        if (m->ops[i].type != NN_OP_CONV || !m->ops[i].is_1x1)
            continue;
        /* the GEMM alone: without the ADD/PRELU epilogue fused into some of these convs */
        nn_op plain = m->ops[i];
        plain.fused_add = plain.fused_prelu = 0;
        const nn_op *op = &plain;
        int M = op->g.oh * op->g.ow, N = op->gemm_n, K = op->gemm_k, dup = -1;
        for (int j = 0; j < nseen; j++)
            if (seen[j][0] == M && seen[j][1] == N && seen[j][2] == K)
                dup = j;
        int count = 0;
        for (int j = 0; j < m->nops; j++) {
            const nn_op *o = &m->ops[j];
            count += o->type == NN_OP_CONV && o->is_1x1 && o->g.oh * o->g.ow == M && o->gemm_n == N && o->gemm_k == K;
        }
        if (dup >= 0 || nseen == 512)
            continue;
        seen[nseen][0] = M, seen[nseen][1] = N, seen[nseen][2] = K;
        nseen++;
        float *x = malloc((size_t)M * K * sizeof *x), *y = malloc((size_t)M * N * sizeof *y);
        for (size_t k = 0; k < (size_t)M * K; k++)
            x[k] = (float)(k % 11) * 0.1f;
        nn_args a;
        memset(&a, 0, sizeof a);
        a.op = op;
        a.in[0] = x;
        a.in[1] = m->values[op->in[1]].cdata;
        a.out = y;
        a.out_count = (size_t)M * N;
        double t_own[64], t_blas[64];
        int r = reps < 64 ? reps : 64;
        own_fn(&a, 0, 1);
        nn_conv1x1_blas(&a, 0, 1);
        for (int k = 0; k < r; k++) {
            double t0 = bench_wall_s();
            own_fn(&a, 0, 1);
            double t1 = bench_wall_s();
            nn_conv1x1_blas(&a, 0, 1);
            double t2 = bench_wall_s();
            t_own[k] = t1 - t0;
            t_blas[k] = t2 - t1;
        }
        double own = bench_median(t_own, r) * 1e6, blas = bench_median(t_blas, r) * 1e6;
        if (N <= NN_BLAS_MAX_N)
            *used_total += blas * count;
        else
            *used_total += own * count;
        *own_total += own * count;
        *blas_total += blas * count;
        printf("  %6d %5d %5d %6d %10.1f %10.1f %8.2f\n", M, N, K, count, own, blas, own / blas);
        free(x), free(y);
    }
}

int main(int argc, char **argv)
{
    const char *dir = getenv("PENSCOPE_MODELS");
    if (!dir || !*dir)
        dir = "models";
    int reps = 31, do_ref = 1, do_shapes = 1, do_profile = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-ref"))
            do_ref = 0;
        else if (!strcmp(argv[i], "--no-shapes"))
            do_shapes = 0;
        else if (!strcmp(argv[i], "--no-profile"))
            do_profile = 0;
        else {
            printf("usage: bench_nn [--models DIR] [--reps N] [--no-ref] [--no-shapes] [--no-profile]\n"
                   "  per model: ms per inference (median), GFLOP/s, ratio to cblas_sgemm 1024^3;\n"
                   "  PS_SIMD=none|avx2|avx512 forces a lower kernel level\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (reps < 1)
        reps = 1;
    if (reps > 1000)
        reps = 1000;
    printf("bench_nn: kernels %s, OpenBLAS %s\n", nn_isa_name(nn_cpu_isa()), openblas_get_config());
    double peak[3] = {0, sgemm_gflops(1, 1024, 7), sgemm_gflops(2, 1024, 7)};
    openblas_set_num_threads(1);
    printf("baseline cblas_sgemm 1024^3: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)\n", peak[1], peak[2]);
    ps_pool *pool2 = NULL;
    if (ps_pool_new(2, &pool2) != PS_OK)
        return 1;
    double own1 = own_gemm_gflops(NULL, 1024, 7), own2 = own_gemm_gflops(pool2, 1024, 7);
    printf("own GEMM micro-kernel 1024^3: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)\n\n", own1, own2);
    static const char *const models[] = {"palm_detection_lite", "palm_detection_full", "hand_landmark_lite",
                                         "hand_landmark_full"};
    printf("%-20s %8s | %8s %7s %6s %6s | %8s %7s %6s %6s %8s %8s | %9s %7s\n", "model", "GMAC", "1T ms", "GFLOP/s",
           "/sgemm", "/own", "2T ms", "GFLOP/s", "/sgemm", "/own", "2T best", "2T cpu/2", "ref ms", "GFLOP/s");
    ps_nn_model *loaded[4] = {0};
    for (int i = 0; i < 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.tflite", dir, models[i]);
        if (ps_nn_model_load_file(path, NULL, &loaded[i]) != PS_OK) {
            printf("%-20s skipped: %s\n", models[i], ps_last_error());
            continue;
        }
        const ps_nn_model *m = loaded[i];
        double gflop = 2.0 * (double)ps_nn_model_macs(m) / 1e9;
        double t1 = time_model(m, NULL, 0, reps), t2 = time_model(m, pool2, 0, reps), t2best = g_best_ms,
               t2cpu = g_cpu_ms;
        double tr = do_ref ? time_model(m, NULL, 1, 3) : NAN;
        double g1 = gflop / (t1 / 1e3), g2 = gflop / (t2 / 1e3), gr = gflop / (tr / 1e3);
        printf("%-20s %8.4f | %8.2f %7.1f %5.0f%% %5.0f%% | %8.2f %7.1f %5.0f%% %5.0f%% %8.2f %8.2f | %9.1f %7.2f\n",
               models[i], gflop / 2, t1, g1, 100 * g1 / peak[1], 100 * g1 / own1, t2, g2, 100 * g2 / peak[2],
               100 * g2 / own2, t2best, t2cpu / 2, tr, gr);
    }
    if (do_profile) {
        printf("\nsingle-thread time by op type (fast kernels, %d runs):\n", reps);
        for (int i = 0; i < 4; i++)
            if (loaded[i])
                profile(models[i], loaded[i], reps);
    }
    if (do_shapes)
        for (int i = 0; i < 4; i++)
            if (loaded[i]) {
                double own = 0, blas = 0, used = 0;
                compare_1x1(models[i], loaded[i], reps, &own, &blas, &used);
                printf("  all 1x1 convs of %s: own %.2f ms, cblas_sgemm %.2f ms, as dispatched (NN_BLAS_MAX_N = %d) "
                       "%.2f ms per inference\n",
                       models[i], own / 1e3, blas / 1e3, NN_BLAS_MAX_N, used / 1e3);
            }
    for (int i = 0; i < 4; i++)
        ps_nn_model_free(loaded[i]);
    ps_pool_free(pool2);
    return 0;
}
