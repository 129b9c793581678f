/* The thread pool: every (ith, nth) runs exactly once per job, jobs from
 * several threads are serialised, NULL and 1-thread pools run inline. */
#include "testutil.h"
#include "core/pool.h"
#include <pthread.h>
#include <string.h>

typedef struct {
    int hits[64];
    int nth_seen;
    long sum;
} job;

static void count(void *ctx, int ith, int nth)
{
    job *j = ctx;
    __atomic_add_fetch(&j->hits[ith], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&j->nth_seen, nth, __ATOMIC_RELAXED);
    int lo, hi;
    ps_split(1000, ith, nth, &lo, &hi);
    long s = 0;
    for (int i = lo; i < hi; i++)
        s += i;
    __atomic_add_fetch(&j->sum, s, __ATOMIC_RELAXED);
}

static void test_each_thread_once(void **st)
{
    (void)st;
    for (int n = 1; n <= 5; n++) {
        ps_pool *p = NULL;
        assert_int_equal(ps_pool_new(n, &p), PS_OK);
        assert_int_equal(ps_pool_size(p), n);
        for (int rep = 0; rep < 200; rep++) {
            job j;
            memset(&j, 0, sizeof j);
            ps_pool_run(p, count, &j);
            assert_int_equal(j.nth_seen, n);
            for (int i = 0; i < n; i++)
                assert_int_equal(j.hits[i], 1);
            assert_int_equal(j.hits[n], 0);
            assert_int_equal(j.sum, 999L * 1000 / 2);
        }
        job j;
        memset(&j, 0, sizeof j);
        ps_pool_run_n(p, 2, count, &j);
        assert_int_equal(j.nth_seen, n >= 2 ? 2 : 1);
        ps_pool_free(p);
    }
}

static void test_null_pool(void **st)
{
    (void)st;
    job j;
    memset(&j, 0, sizeof j);
    ps_pool_run(NULL, count, &j);
    assert_int_equal(j.hits[0], 1);
    assert_int_equal(j.nth_seen, 1);
    ps_pool_free(NULL);
}

static ps_pool *g_shared;
static void *submitter(void *arg)
{
    long *total = arg;
    for (int rep = 0; rep < 100; rep++) {
        job j;
        memset(&j, 0, sizeof j);
        ps_pool_run(g_shared, count, &j);
        *total += j.sum;
    }
    return NULL;
}

static void test_concurrent_submitters(void **st)
{
    (void)st;
    assert_int_equal(ps_pool_new(3, &g_shared), PS_OK);
    pthread_t t[3];
    long totals[3] = {0};
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, submitter, &totals[i]);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(totals[i], 100L * (999L * 1000 / 2));
    }
    ps_pool_free(g_shared);
}

static void test_split(void **st)
{
    (void)st;
    for (int n = 0; n < 50; n++)
        for (int nth = 1; nth < 9; nth++) {
            int prev = 0;
            for (int i = 0; i < nth; i++) {
                int lo, hi;
                ps_split(n, i, nth, &lo, &hi);
                assert_int_equal(lo, prev);
                assert_true(hi >= lo);
                assert_true(hi - lo <= n / nth + 1);
                prev = hi;
            }
            assert_int_equal(prev, n);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_thread_once),
        cmocka_unit_test(test_null_pool),
        cmocka_unit_test(test_concurrent_submitters),
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
