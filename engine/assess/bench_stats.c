/* Statistics of `penscope bench`; see bench_stats.h for the definitions. */
#include "assess/bench_stats.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ps_bench_percentile(double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    if (p <= 0)
        return v[0];
    if (p >= 100)
        return v[n - 1];
    double h = (double)(n - 1) * p / 100.0;
    size_t lo = (size_t)h;
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

ps_status ps_bench_numeric_stats(const double *truth, const double *pred, size_t n, ps_bench_numeric *out)
{
    memset(out, 0, sizeof *out);
    out->mae = out->median_ae = out->max_ae = out->rmse = NAN;
    out->bias = out->sd = out->loa_low = out->loa_high = NAN;
    double *ae = n ? ps_malloc(n * sizeof *ae) : NULL;
    if (n && !ae)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    /* two passes (mean, then squared deviations) so large offsets do not
     * cancel the way a running sum of squares does */
    size_t m = 0;
    double sum_d = 0, sum_ae = 0, sum_sq = 0, max_ae = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(truth[i]) || !isfinite(pred[i]))
            continue;
        double d = pred[i] - truth[i];
        sum_d += d;
        ae[m++] = fabs(d);
        sum_ae += fabs(d);
        sum_sq += d * d;
        if (fabs(d) > max_ae)
            max_ae = fabs(d);
    }
    out->n = m;
    if (m > 0) {
        out->bias = sum_d / (double)m;
        out->mae = sum_ae / (double)m;
        out->rmse = sqrt(sum_sq / (double)m);
        out->max_ae = max_ae;
        out->median_ae = ps_bench_percentile(ae, m, 50);
    }
    if (m > 1) {
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            if (isfinite(truth[i]) && isfinite(pred[i])) {
                double e = pred[i] - truth[i] - out->bias;
                ss += e * e;
            }
        out->sd = sqrt(ss / (double)(m - 1));
        out->loa_low = out->bias - 1.96 * out->sd;
        out->loa_high = out->bias + 1.96 * out->sd;
    }
    ps_free(ae);
    return PS_OK;
}

void ps_bench_confusion_init(ps_bench_confusion *c)
{
    memset(c, 0, sizeof *c);
}

/* Class order: byte order of the names, the no-prediction class last. */
static int class_before(const char *a, const char *b)
{
    int an = !strcmp(a, PS_BENCH_NONE), bn = !strcmp(b, PS_BENCH_NONE);
    if (an != bn)
        return bn;
    return strcmp(a, b) < 0;
}

/* Index of a class, adding it (and growing the matrix) when new; -1 NOMEM. */
static long class_index(ps_bench_confusion *c, const char *name)
{
    size_t at = 0;
    for (; at < c->k; at++) {
        if (!strcmp(c->names[at], name))
            return (long)at;
        if (class_before(name, c->names[at]))
            break;
    }
    size_t k = c->k + 1, cells;
    if (!ps_size_mul_ok(k, k, &cells))
        return -1;
    char **names = ps_malloc(k * sizeof *names);
    size_t *count = ps_calloc(cells, sizeof *count);
    char *copy = ps_strdup(name);
    if (!names || !count || !copy) {
        ps_free(names);
        ps_free(count);
        ps_free(copy);
        return -1;
    }
    /* old index i moves to i + (i >= at) */
    for (size_t i = 0; i < c->k; i++) {
        names[i + (i >= at)] = c->names[i];
        for (size_t j = 0; j < c->k; j++)
            count[(i + (i >= at)) * k + j + (j >= at)] = c->count[i * c->k + j];
    }
    names[at] = copy;
    ps_free(c->names);
    ps_free(c->count);
    c->names = names;
    c->count = count;
    c->k = k;
    return (long)at;
}

ps_status ps_bench_confusion_add(ps_bench_confusion *c, const char *truth, const char *pred)
{
    if (!pred)
        pred = PS_BENCH_NONE;
    long t = class_index(c, truth);
    if (t < 0)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    long p = class_index(c, pred);
    if (p < 0)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    t = class_index(c, truth); /* adding pred may have moved truth */
    c->count[(size_t)t * c->k + (size_t)p]++;
    c->n++;
    c->correct += t == p;
    return PS_OK;
}

size_t ps_bench_confusion_at(const ps_bench_confusion *c, size_t truth, size_t pred)
{
    return truth < c->k && pred < c->k ? c->count[truth * c->k + pred] : 0;
}

double ps_bench_accuracy(const ps_bench_confusion *c)
{
    return c->n ? (double)c->correct / (double)c->n : NAN;
}

double ps_bench_kappa(const ps_bench_confusion *c)
{
    if (!c->n)
        return NAN;
    double n = (double)c->n, pe = 0;
    for (size_t i = 0; i < c->k; i++) {
        double row = 0, col = 0;
        for (size_t j = 0; j < c->k; j++) {
            row += (double)c->count[i * c->k + j];
            col += (double)c->count[j * c->k + i];
        }
        pe += (row / n) * (col / n);
    }
    if (pe >= 1)
        return NAN;
    return ((double)c->correct / n - pe) / (1 - pe);
}

double ps_bench_recall(const ps_bench_confusion *c, size_t i)
{
    if (i >= c->k)
        return NAN;
    size_t row = 0;
    for (size_t j = 0; j < c->k; j++)
        row += c->count[i * c->k + j];
    return row ? (double)c->count[i * c->k + i] / (double)row : NAN;
}

double ps_bench_precision(const ps_bench_confusion *c, size_t i)
{
    if (i >= c->k)
        return NAN;
    size_t col = 0;
    for (size_t j = 0; j < c->k; j++)
        col += c->count[j * c->k + i];
    return col ? (double)c->count[i * c->k + i] / (double)col : NAN;
}

void ps_bench_confusion_release(ps_bench_confusion *c)
{
    for (size_t i = 0; i < c->k; i++)
        ps_free(c->names[i]);
    ps_free(c->names);
    ps_free(c->count);
    memset(c, 0, sizeof *c);
}
