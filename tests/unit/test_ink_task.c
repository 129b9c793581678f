/* The letter task file of `penscope ink --text @FILE` (engine/ink/task.c):
 * letters with their time windows, and refusals that say what is wrong. */
#include "testutil.h"
#include "core/alloc.h"
#include "ink/task.h"
#include <stdio.h>
#include <string.h>

static void test_parse(void **st)
{
    (void)st;
    const char text[] = "{\"letters\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1.25},\n"
                        "  {\"end_s\": 3, \"char\": \"B\", \"start_s\": 1.25, \"extra\": [1]}]}";
    ps_ink_task_letter *t;
    size_t n;
    assert_int_equal(ink_task_parse(text, sizeof text - 1, &t, &n), PS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].ch, 'a');
    assert_true(t[0].t0_s == 0 && t[0].t1_s == 1.25);
    assert_int_equal(t[1].ch, 'B');
    assert_true(t[1].t0_s == 1.25 && t[1].t1_s == 3);
    ps_free(t);
}

static void expect_refused(const char *text, const char *msg)
{
    ps_ink_task_letter *t = (ps_ink_task_letter *)1;
    size_t n = 7;
    assert_int_equal(ink_task_parse(text, strlen(text), &t, &n), PS_ERR_CORRUPT);
    assert_null(t);
    assert_int_equal(n, 0);
    if (!strstr(ps_last_error(), msg))
        fail_msg("'%s': message '%s' lacks '%s'", text, ps_last_error(), msg);
}

static void test_refusals(void **st)
{
    (void)st;
    expect_refused("", "line 1:");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": 0,\n \"end_s\": }]}", "line 2:");
    expect_refused("{\"letters\": []}", "needs a \"letters\" array of 1 to 4096 entries");
    expect_refused("{\"letter\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1}]}", "needs a \"letters\" array");
    expect_refused("{\"letters\": {\"char\": \"a\"}}", "needs a \"letters\" array");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1}], \"letters\": []}", "line 1:");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1}, {\"char\": \"ab\", \"start_s\": 0, "
                   "\"end_s\": 1}]}",
                   "entry 2 needs \"char\" (one character)");
    expect_refused("{\"letters\": [{\"char\": \"\", \"start_s\": 0, \"end_s\": 1}]}", "entry 1 needs");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": 2, \"end_s\": 1}]}", "entry 1 needs");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": \"0\", \"end_s\": 1}]}", "entry 1 needs");
    expect_refused("{\"letters\": [{\"char\": 97, \"start_s\": 0, \"end_s\": 1}]}", "entry 1 needs");
    expect_refused("{\"letters\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1e999}]}", "line 1:");
    expect_refused("{\"letters\": [{\"char\": \"\xff\", \"start_s\": 0, \"end_s\": 1}]}", "line 1:");
    /* one letter over the limit */
    size_t cap = 40 * (PS_INK_TASK_MAX_LETTERS + 1) + 32, len = 0;
    char *big = ps_malloc(cap);
    assert_non_null(big);
    len += (size_t)snprintf(big + len, cap - len, "{\"letters\": [");
    for (int i = 0; i <= PS_INK_TASK_MAX_LETTERS; i++)
        len += (size_t)snprintf(big + len, cap - len, "%s{\"char\":\"a\",\"start_s\":0,\"end_s\":1}", i ? "," : "");
    len += (size_t)snprintf(big + len, cap - len, "]}");
    assert_true(len < cap);
    expect_refused(big, "1 to 4096 entries");
    ps_free(big);
}

static void test_out_of_memory(void **st)
{
    (void)st;
    const char text[] = "{\"letters\": [{\"char\": \"a\", \"start_s\": 0, \"end_s\": 1}]}";
    ps_ink_task_letter *t;
    size_t n;
    ps_alloc_fail_after(1);
    ps_status rc = ink_task_parse(text, sizeof text - 1, &t, &n);
    ps_alloc_fail_after(0);
    assert_int_equal(rc, PS_ERR_NOMEM);
    assert_null(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
