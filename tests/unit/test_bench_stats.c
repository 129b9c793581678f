/* Statistics of `penscope bench` on small cases worked out by hand:
 * percentiles (type 7), absolute errors and Bland-Altman limits, the
 * confusion matrix with Cohen's kappa, recall and precision. */
#include "testutil.h"
#include "assess/bench_stats.h"
#include "core/alloc.h"
#include <math.h>
#include <string.h>

#define assert_near(a, b, tol) near_impl((a), (b), (tol), #a, __FILE__, __LINE__)
static void near_impl(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, a, b, tol);
        _fail(file, line);
    }
}

static void test_percentile(void **st)
{
    (void)st;
    double v[] = {5, 1, 4, 2, 3};
    /* sorted 1 2 3 4 5: rank h = 4p/100 */
    assert_near(ps_bench_percentile(v, 5, 50), 3, 0);
    assert_near(ps_bench_percentile(v, 5, 95), 4.8, 1e-12); /* h = 3.8: 4 + 0.8 */
    assert_near(ps_bench_percentile(v, 5, 0), 1, 0);
    assert_near(ps_bench_percentile(v, 5, 100), 5, 0);
    assert_near(ps_bench_percentile(v, 5, 10), 1.4, 1e-12); /* h = 0.4 */
    double two[] = {2, 1};
    assert_near(ps_bench_percentile(two, 2, 50), 1.5, 0);
    double one[] = {7};
    assert_near(ps_bench_percentile(one, 1, 95), 7, 0);
    assert_true(isnan(ps_bench_percentile(NULL, 0, 50)));
}

static void test_numeric(void **st)
{
    (void)st;
    /* diffs 2, -1, 3, 0; the pair with NAN is skipped */
    const double truth[] = {10, 20, 30, 40, NAN, 50};
    const double pred[] = {12, 19, 33, 40, 5, INFINITY};
    ps_bench_numeric s;
    assert_int_equal(ps_bench_numeric_stats(truth, pred, 6, &s), PS_OK);
    assert_int_equal(s.n, 4);
    assert_near(s.bias, 1.0, 1e-12);
    assert_near(s.mae, 1.5, 1e-12);
    assert_near(s.median_ae, 1.5, 1e-12);      /* AE 0 1 2 3 */
    assert_near(s.max_ae, 3.0, 0);
    assert_near(s.rmse, sqrt(3.5), 1e-12);     /* (4 + 1 + 9 + 0) / 4 */
    assert_near(s.sd, sqrt(10.0 / 3.0), 1e-12); /* deviations 1 -2 2 -1 */
    assert_near(s.loa_low, 1 - 1.96 * sqrt(10.0 / 3.0), 1e-12);
    assert_near(s.loa_high, 1 + 1.96 * sqrt(10.0 / 3.0), 1e-12);
}

static void test_numeric_edges(void **st)
{
    (void)st;
    ps_bench_numeric s;
    /* a large common offset must not cancel the spread (two-pass SD) */
    const double truth[] = {1e9, 1e9 + 1, 1e9 + 2};
    const double pred[] = {1e9 + 1, 1e9 + 2, 1e9 + 3};
    assert_int_equal(ps_bench_numeric_stats(truth, pred, 3, &s), PS_OK);
    assert_near(s.bias, 1, 0);
    assert_near(s.sd, 0, 0);
    assert_near(s.loa_low, 1, 0);
    /* one pair: errors yes, limits of agreement no */
    const double t1[] = {2}, p1[] = {-1};
    assert_int_equal(ps_bench_numeric_stats(t1, p1, 1, &s), PS_OK);
    assert_int_equal(s.n, 1);
    assert_near(s.bias, -3, 0);
    assert_near(s.mae, 3, 0);
    assert_true(isnan(s.sd) && isnan(s.loa_low) && isnan(s.loa_high));
    /* nothing usable */
    assert_int_equal(ps_bench_numeric_stats(NULL, NULL, 0, &s), PS_OK);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mae) && isnan(s.median_ae) && isnan(s.bias));
    /* allocation failure is a clean error */
    ps_alloc_fail_after(1);
    assert_int_equal(ps_bench_numeric_stats(truth, pred, 3, &s), PS_ERR_NOMEM);
    ps_alloc_fail_after(0);
}

static const char *const pairs[][2] = {
    {"a", "a"}, {"a", "b"}, {"b", "b"}, {"b", "b"}, {"c", "a"}, {"c", NULL}, {"a", "a"},
};
#define NPAIRS (sizeof pairs / sizeof *pairs)

static void check_matrix(const ps_bench_confusion *c)
{
    /* classes a b c (none); rows = truth:
     *   a: a 2, b 1     b: b 2     c: a 1, (none) 1 */
    assert_int_equal(c->k, 4);
    assert_string_equal(c->names[0], "a");
    assert_string_equal(c->names[2], "c");
    assert_string_equal(c->names[3], PS_BENCH_NONE);
    const size_t want[4][4] = {{2, 1, 0, 0}, {0, 2, 0, 0}, {1, 0, 0, 1}, {0, 0, 0, 0}};
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            assert_int_equal(ps_bench_confusion_at(c, i, j), want[i][j]);
    assert_int_equal(c->n, 7);
    assert_int_equal(c->correct, 4);
    assert_near(ps_bench_accuracy(c), 4.0 / 7.0, 1e-15);
    /* rows 3 2 2 0, columns 3 3 0 1: pe = 15/49, po = 28/49, kappa = 13/34 */
    assert_near(ps_bench_kappa(c), 13.0 / 34.0, 1e-12);
    assert_near(ps_bench_recall(c, 0), 2.0 / 3.0, 1e-15);
    assert_near(ps_bench_recall(c, 1), 1.0, 0);
    assert_near(ps_bench_recall(c, 2), 0.0, 0);
    assert_true(isnan(ps_bench_recall(c, 3)));
    assert_near(ps_bench_precision(c, 0), 2.0 / 3.0, 1e-15);
    assert_near(ps_bench_precision(c, 1), 2.0 / 3.0, 1e-15);
    assert_true(isnan(ps_bench_precision(c, 2)));
    assert_true(isnan(ps_bench_precision(c, 9)));
}

static void test_confusion(void **st)
{
    (void)st;
    ps_bench_confusion c;
    ps_bench_confusion_init(&c);
    for (size_t i = 0; i < NPAIRS; i++)
        assert_int_equal(ps_bench_confusion_add(&c, pairs[i][0], pairs[i][1]), PS_OK);
    check_matrix(&c);
    ps_bench_confusion_release(&c);
    /* the same pairs in the opposite order give the same matrix */
    ps_bench_confusion_init(&c);
    for (size_t i = NPAIRS; i-- > 0;)
        assert_int_equal(ps_bench_confusion_add(&c, pairs[i][0], pairs[i][1]), PS_OK);
    check_matrix(&c);
    ps_bench_confusion_release(&c);
}

static void test_confusion_edges(void **st)
{
    (void)st;
    ps_bench_confusion c;
    ps_bench_confusion_init(&c);
    assert_true(isnan(ps_bench_accuracy(&c)) && isnan(ps_bench_kappa(&c)));
    /* one class, all right: accuracy 1, kappa undefined (pe = 1) */
    assert_int_equal(ps_bench_confusion_add(&c, "yes", "yes"), PS_OK);
    assert_int_equal(ps_bench_confusion_add(&c, "yes", "yes"), PS_OK);
    assert_near(ps_bench_accuracy(&c), 1, 0);
    assert_true(isnan(ps_bench_kappa(&c)));
    /* perfect agreement on two classes: kappa 1 */
    assert_int_equal(ps_bench_confusion_add(&c, "no", "no"), PS_OK);
    assert_near(ps_bench_kappa(&c), 1, 1e-15);
    /* an allocation failure counts nothing and leaks nothing */
    for (long n = 1; n <= 4; n++) {
        ps_alloc_fail_after(n);
        ps_status rc = ps_bench_confusion_add(&c, "maybe", "zzz");
        ps_alloc_fail_after(0);
        assert_int_equal(rc, PS_ERR_NOMEM);
        assert_int_equal(c.n, 3);
    }
    assert_int_equal(ps_bench_confusion_add(&c, "maybe", "zzz"), PS_OK);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.correct, 3);
    ps_bench_confusion_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentile),    cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_numeric_edges), cmocka_unit_test(test_confusion),
        cmocka_unit_test(test_confusion_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
