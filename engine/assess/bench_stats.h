/* Statistics of `penscope bench` (a labelled dataset against penscope's
 * output): agreement of numeric metrics (absolute errors, Bland-Altman
 * limits of agreement), confusion matrices for categories, and percentiles
 * for latency. Private to the library and the CLI; tested with hand-computed
 * answers in tests/unit/test_bench_stats.c. */
#ifndef PS_ASSESS_BENCH_STATS_H
#define PS_ASSESS_BENCH_STATS_H
#include "penscope.h"
#include <stddef.h>

/* The p-th percentile (0..100) of v[0..n), by linear interpolation between
 * the closest ranks (R's type 7, numpy's default): rank h = (n-1)p/100,
 * v_(floor h) + (h - floor h)(v_(floor h + 1) - v_(floor h)). Sorts v in
 * place. NAN when n == 0. */
double ps_bench_percentile(double *v, size_t n, double p);

/* Agreement of predictions with true values, over the pairs where both are
 * finite. diff = predicted - true. Bland-Altman: bias = mean diff, sd = sample
 * SD of diff (n-1), limits of agreement = bias -/+ 1.96 sd (NAN below 2 pairs). */
typedef struct ps_bench_numeric {
    size_t n;                  /* pairs used */
    double mae, median_ae, max_ae, rmse;
    double bias, sd, loa_low, loa_high;
} ps_bench_numeric;
/* NOMEM is the only failure (scratch for the median). */
ps_status ps_bench_numeric_stats(const double *truth, const double *pred, size_t n, ps_bench_numeric *out);

/* A confusion matrix grown as labels arrive. Classes are kept in byte order
 * of their names (so output does not depend on file order); the name
 * PS_BENCH_NONE (no prediction) is a class too, listed last. */
#define PS_BENCH_NONE "(none)"
typedef struct ps_bench_confusion {
    size_t k;          /* classes */
    char **names;
    size_t *count;     /* k x k, row = true class, column = predicted class */
    size_t n, correct; /* pairs added, pairs on the diagonal */
} ps_bench_confusion;
void ps_bench_confusion_init(ps_bench_confusion *c);
/* pred NULL means no prediction. NOMEM on allocation failure (no pair counted;
 * an empty class may remain). */
ps_status ps_bench_confusion_add(ps_bench_confusion *c, const char *truth, const char *pred);
size_t ps_bench_confusion_at(const ps_bench_confusion *c, size_t truth, size_t pred);
double ps_bench_accuracy(const ps_bench_confusion *c);        /* correct / n, NAN when empty */
/* Cohen's kappa: (po - pe) / (1 - pe), pe from the row and column totals;
 * NAN when empty or when pe == 1 (one class only). */
double ps_bench_kappa(const ps_bench_confusion *c);
/* Recall (true class i found) and precision (predicted i right); NAN when
 * the row / column is empty. */
double ps_bench_recall(const ps_bench_confusion *c, size_t i);
double ps_bench_precision(const ps_bench_confusion *c, size_t i);
void ps_bench_confusion_release(ps_bench_confusion *c);
#endif
