/* The module loader (engine/core/module.h): a module is found in
 * $PENSCOPE_MODULE_DIR, its ABI version and table size are checked, and a
 * failure says which folders were tried and why each was refused. Uses
 * penscope-fake.so (tests/modules/fake_module.c, ABI 7, 32-byte table). */
#include "testutil.h"
#include "core/module.h"
#include <stdlib.h>
#include <string.h>

typedef struct fake_table {
    ps_module_head head;
    uint32_t value;
} fake_table;

static void test_loads_and_checks_table(void **st)
{
    (void)st;
    setenv("PENSCOPE_MODULE_DIR", PS_FAKE_MODULE_DIR, 1);
    const void *t = NULL;
    assert_int_equal(ps_module_load("fake", 7, sizeof(fake_table), &t), PS_OK);
    assert_non_null(t);
    assert_int_equal(((const fake_table *)t)->value, 0xfeed);
    /* loading again gives the same table (the module stays loaded) */
    const void *again = NULL;
    assert_int_equal(ps_module_load("fake", 7, 32, &again), PS_OK);
    assert_ptr_equal(t, again);
}

static void test_refuses_other_abi_and_short_table(void **st)
{
    (void)st;
    setenv("PENSCOPE_MODULE_DIR", PS_FAKE_MODULE_DIR, 1);
    const void *t = (const void *)1;
    assert_int_equal(ps_module_load("fake", 8, sizeof(fake_table), &t), PS_ERR_NOT_FOUND);
    assert_null(t);
    assert_non_null(strstr(ps_last_error(), "module ABI 7"));
    assert_non_null(strstr(ps_last_error(), "needs ABI 8"));
    assert_int_equal(ps_module_load("fake", 7, 64, &t), PS_ERR_NOT_FOUND);
    assert_non_null(strstr(ps_last_error(), "size 32"));
}

static void test_missing_and_broken_modules_named(void **st)
{
    (void)st;
    const char *dir = tu_tmpdir();
    setenv("PENSCOPE_MODULE_DIR", dir, 1);
    const void *t;
    assert_int_equal(ps_module_load("nosuch", 1, 8, &t), PS_ERR_NOT_FOUND);
    assert_non_null(strstr(ps_last_error(), "penscope-nosuch.so"));
    assert_non_null(strstr(ps_last_error(), "not there"));
    assert_non_null(strstr(ps_last_error(), "$PENSCOPE_MODULE_DIR"));
    /* a file that is not a shared object: dlopen's reason is in the message */
    assert_int_equal(tu_write_file(tu_tmpfile("penscope-junk.so"), "junk", 4), 0);
    assert_int_equal(ps_module_load("junk", 1, 8, &t), PS_ERR_NOT_FOUND);
    assert_non_null(strstr(ps_last_error(), "penscope-junk.so"));
    assert_null(strstr(ps_last_error(), "not there"));
}

static void test_default_search_lists_folders(void **st)
{
    (void)st;
    unsetenv("PENSCOPE_MODULE_DIR");
    const void *t;
    assert_int_equal(ps_module_load("nosuch", 1, 8, &t), PS_ERR_NOT_FOUND);
    const char *m = ps_last_error();
    /* this test runs inside the build tree: its modules/ folder is searched, and the install folder */
    assert_non_null(strstr(m, "/modules (not there)"));
    assert_non_null(strstr(m, "/penscope (not there)"));
    assert_non_null(strstr(m, "set PENSCOPE_MODULE_DIR"));
    assert_int_equal(ps_module_load(NULL, 1, 8, &t), PS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_and_checks_table),
        cmocka_unit_test(test_refuses_other_abi_and_short_table),
        cmocka_unit_test(test_missing_and_broken_modules_named),
        cmocka_unit_test(test_default_search_lists_folders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
