/* Allocation failures in the store, progress and report code: every failing
 * allocation gives a clean error status (never a crash), and nothing leaks
 * (checked by the ASan build). SQLite's own allocations are its business;
 * ours go through ps_malloc, which the test fails one by one. */
#include "testutil.h"
#include "core/alloc.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static ps_status scenario(const char *path)
{
    ps_store_t *s = NULL;
    ps_status rc = ps_store_open(path, 0, &s);
    if (rc != PS_OK)
        return rc;
    ps_child c;
    if ((rc = ps_store_child_get(s, "A", &c)) != PS_OK)
        goto out;
    ps_child *kids = NULL;
    size_t n = 0;
    if ((rc = ps_store_child_list(s, &kids, &n)) != PS_OK)
        goto out;
    ps_free(kids);
    ps_metric_progress *m = NULL;
    if ((rc = ps_store_child_progress(s, c.id, NULL, 0, &m, &n)) != PS_OK)
        goto out;
    ps_report_input in;
    memset(&in, 0, sizeof in);
    in.child = &c;
    in.metrics = m;
    in.n = n;
    in.today = 20600;
    rc = ps_report_write_html(&in, tu_tmpfile("oom.html"));
    ps_metric_progress_free(m, n);
out:
    ps_store_close(s);
    return rc;
}

static void test_oom(void **st)
{
    (void)st;
    char path[4096]; /* tu_tmpfile's buffers rotate: keep a copy */
    snprintf(path, sizeof path, "%s", tu_tmpfile("oom.db"));
    ps_store_t *s;
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    ps_child c = {0};
    strcpy(c.code, "A");
    assert_int_equal(ps_store_child_add(s, &c), PS_OK);
    for (int i = 0; i < 6; i++) {
        ps_session_info si = {0};
        si.child_id = c.id;
        si.day = 20500 + 7 * i;
        strcpy(si.kind, "page");
        snprintf(si.sha256, sizeof si.sha256, "%064d", i);
        int64_t id;
        assert_int_equal(ps_store_session_add(s, &si, NULL, NULL, &id), PS_OK);
        assert_int_equal(ps_store_measure_add(s, id, "x_height_mm", 3 + i * 0.5 + (i % 2) * 0.2, NULL, "mm", NULL),
                         PS_OK);
        assert_int_equal(ps_store_measure_add(s, id, "ruling", NAN, "single", NULL, NULL), PS_OK);
    }
    ps_store_close(s);
    assert_int_equal(scenario(path), PS_OK);
    int failures = 0;
    for (long n = 1; n < 400; n++) {
        ps_alloc_fail_after(n);
        ps_status rc = scenario(path);
        long used = ps_alloc_count();
        if (getenv("PS_OOM_TRACE"))
            fprintf(stderr, "n=%ld rc=%d used=%ld\n", n, rc, used);
        ps_alloc_fail_after(0);
        if (rc == PS_OK) {
            /* success only when no allocation failed: a swallowed failure
             * would mean a silently incomplete result */
            assert_true(used < n);
            break;
        }
        failures++;
        assert_true(rc == PS_ERR_NOMEM || rc == PS_ERR_IO || rc == PS_ERR_DB);
    }
    assert_true(failures > 3); /* the loop did inject failures */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_oom)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ps_report_cleanup();
    return rc;
}
