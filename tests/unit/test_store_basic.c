/* The store: creation (0600), children, sessions without duplicates,
 * measurements, series, goals, attachments and export. */
#include "testutil.h"
#include "core/alloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* |a - b| <= tol, printing both values when not */
#define assert_double_equal(a, b, tol) assert_near_impl((a), (b), (tol), #a, __FILE__, __LINE__)
static void assert_near_impl(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, a, b, tol);
        _fail(file, line);
    }
}

static ps_store_t *open_fresh(const char *name)
{
    ps_store_t *s = NULL;
    assert_int_equal(ps_store_open(tu_tmpfile(name), 0, &s), PS_OK);
    assert_non_null(s);
    assert_int_equal(ps_store_schema_version(s), PS_STORE_SCHEMA_VERSION);
    return s;
}

static int32_t day(const char *d)
{
    int32_t x = 0;
    assert_int_equal(ps_date_parse(d, &x), PS_OK);
    return x;
}

static void test_create_private(void **st)
{
    (void)st;
    const char *path = tu_tmpfile("sub/dir/p.db");
    ps_store_t *s = NULL;
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(tu_tmpfile("sub/dir"), &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    ps_child c = {0};
    strcpy(c.code, "A1");
    assert_int_equal(ps_store_child_add(s, &c), PS_OK);
    /* the WAL takes the database file's permissions */
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        assert_int_equal(sb.st_mode & 0777, 0600);
    ps_store_close(s);
    /* reopening an existing store works and keeps the data */
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    ps_child got;
    assert_int_equal(ps_store_child_get(s, "A1", &got), PS_OK);
    ps_store_close(s);
    ps_store_close(NULL);
}

static void test_children(void **st)
{
    (void)st;
    ps_store_t *s = open_fresh("children.db");
    ps_child c = {0};
    strcpy(c.code, "B-2");
    c.birth_year = 2018;
    strcpy(c.hand, "left");
    strcpy(c.notes, "seen on tuesdays");
    assert_int_equal(ps_store_child_add(s, &c), PS_OK);
    assert_true(c.id > 0);
    ps_child dup = c;
    assert_int_equal(ps_store_child_add(s, &dup), PS_ERR_INVALID_ARG);
    assert_non_null(strstr(ps_store_errmsg(s), "already exists"));
    ps_child bad = {0};
    strcpy(bad.code, "has space");
    assert_int_equal(ps_store_child_add(s, &bad), PS_ERR_INVALID_ARG);
    strcpy(bad.code, "C3");
    strcpy(bad.hand, "both");
    assert_int_equal(ps_store_child_add(s, &bad), PS_ERR_INVALID_ARG);
    strcpy(bad.hand, "");
    bad.birth_year = 1200;
    assert_int_equal(ps_store_child_add(s, &bad), PS_ERR_INVALID_ARG);
    bad.birth_year = 0;
    strcpy(bad.grade, "2");
    assert_int_equal(ps_store_child_add(s, &bad), PS_OK);

    ps_child got;
    assert_int_equal(ps_store_child_get(s, "B-2", &got), PS_OK);
    assert_int_equal(got.birth_year, 2018);
    assert_string_equal(got.hand, "left");
    assert_string_equal(got.notes, "seen on tuesdays");
    assert_string_equal(got.grade, "");
    assert_int_equal(ps_store_child_get(s, "nobody", &got), PS_ERR_NOT_FOUND);

    got.birth_year = 2017;
    strcpy(got.code, "B-3");
    assert_int_equal(ps_store_child_update(s, &got), PS_OK);
    strcpy(got.code, "C3"); /* taken by the other child */
    assert_int_equal(ps_store_child_update(s, &got), PS_ERR_INVALID_ARG);

    ps_child *all = NULL;
    size_t n = 0;
    assert_int_equal(ps_store_child_list(s, &all, &n), PS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].code, "B-3");
    assert_int_equal(all[0].birth_year, 2017);
    assert_string_equal(all[1].code, "C3");
    ps_free(all);
    assert_int_equal(ps_store_child_delete(s, "C3"), PS_OK);
    assert_int_equal(ps_store_child_delete(s, "C3"), PS_ERR_NOT_FOUND);
    assert_int_equal(ps_store_child_list(s, &all, &n), PS_OK);
    assert_int_equal(n, 1);
    ps_free(all);
    ps_store_close(s);
}

static int64_t add_session(ps_store_t *s, int64_t child, const char *date, const char *hash_char, double v)
{
    ps_session_info si = {0};
    si.child_id = child;
    si.day = day(date);
    strcpy(si.kind, "grip");
    strcpy(si.file, "photo.jpg");
    memset(si.sha256, hash_char[0], 64);
    int64_t id = 0;
    assert_int_equal(ps_store_begin(s), PS_OK);
    assert_int_equal(ps_store_session_add(s, &si, "{\"pencil_mm\":7}", "{}", &id), PS_OK);
    assert_int_equal(ps_store_measure_add(s, id, "grip_distance_mm", v, NULL, "mm", "[1,2]"), PS_OK);
    assert_int_equal(ps_store_measure_add(s, id, "grasp", NAN, "dynamic_tripod", NULL, NULL), PS_OK);
    assert_int_equal(ps_store_commit(s), PS_OK);
    return id;
}

static void test_sessions_series(void **st)
{
    (void)st;
    ps_store_t *s = open_fresh("sessions.db");
    ps_child a = {0}, b = {0};
    strcpy(a.code, "A");
    strcpy(b.code, "B");
    assert_int_equal(ps_store_child_add(s, &a), PS_OK);
    assert_int_equal(ps_store_child_add(s, &b), PS_OK);
    add_session(s, a.id, "2026-01-05", "a", 4);
    add_session(s, a.id, "2026-01-19", "b", 10);
    add_session(s, a.id, "2026-01-19", "c", 12); /* same day: averaged */
    add_session(s, a.id, "2026-02-02", "d", 14);
    add_session(s, b.id, "2026-01-05", "a", 30); /* same file, other child: fine */

    /* the same file on the same day for the same child is not added twice */
    ps_session_info si = {0};
    si.child_id = a.id;
    si.day = day("2026-01-05");
    strcpy(si.kind, "grip");
    memset(si.sha256, 'a', 64);
    int64_t id = 0;
    assert_int_equal(ps_store_session_find(s, a.id, si.day, "grip", si.sha256, &id), PS_OK);
    assert_true(id > 0);
    assert_int_equal(ps_store_session_add(s, &si, NULL, NULL, &id), PS_ERR_INVALID_ARG);
    assert_non_null(strstr(ps_store_errmsg(s), "already recorded"));
    memset(si.sha256, 'z', 64);
    assert_int_equal(ps_store_session_find(s, a.id, si.day, "grip", si.sha256, &id), PS_ERR_NOT_FOUND);

    ps_session_info *ss = NULL;
    size_t n = 0;
    assert_int_equal(ps_store_session_list(s, a.id, &ss, &n), PS_OK);
    assert_int_equal(n, 4);
    assert_int_equal(ss[0].day, day("2026-01-05"));
    assert_string_equal(ss[0].version, ps_version());
    ps_free(ss);

    ps_obs *obs = NULL;
    assert_int_equal(ps_store_series(s, a.id, "grip_distance_mm", &obs, &n), PS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(obs[1].day, day("2026-01-19"));
    assert_double_equal(obs[0].value, 4, 1e-12);
    assert_double_equal(obs[1].value, 11, 1e-12);
    assert_double_equal(obs[2].value, 14, 1e-12);
    ps_free(obs);
    assert_int_equal(ps_store_series(s, a.id, "grasp", &obs, &n), PS_OK);
    assert_int_equal(n, 0); /* categories have no numeric series */
    ps_free(obs);

    /* pooled variability: child A's 3 days give differences 7, 3: mean 5,
     * ss = 4 + 4 = 8, df = 1; child B has one day and adds nothing */
    ps_variability v;
    assert_int_equal(ps_store_variability(s, "grip_distance_mm", &v), PS_OK);
    assert_int_equal(v.df, 1);
    assert_double_equal(v.ss, 8, 1e-12);

    char (*names)[64] = NULL;
    assert_int_equal(ps_store_metric_names(s, a.id, &names, &n), PS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "grasp");
    assert_string_equal(names[1], "grip_distance_mm");
    ps_free(names);

    char text[64];
    int32_t d;
    assert_int_equal(ps_store_latest_text(s, a.id, "grasp", text, sizeof text, &d), PS_OK);
    assert_string_equal(text, "dynamic_tripod");
    assert_int_equal(d, day("2026-02-02"));
    assert_int_equal(ps_store_latest_text(s, a.id, "nothing", text, sizeof text, &d), PS_ERR_NOT_FOUND);
    ps_store_close(s);
}

static void test_rollback(void **st)
{
    (void)st;
    ps_store_t *s = open_fresh("rollback.db");
    ps_child a = {0};
    strcpy(a.code, "A");
    assert_int_equal(ps_store_child_add(s, &a), PS_OK);
    ps_session_info si = {0};
    si.child_id = a.id;
    si.day = day("2026-03-01");
    strcpy(si.kind, "ink");
    memset(si.sha256, 'e', 64);
    int64_t id;
    assert_int_equal(ps_store_begin(s), PS_OK);
    assert_int_equal(ps_store_session_add(s, &si, NULL, NULL, &id), PS_OK);
    assert_int_equal(ps_store_measure_add(s, id, "strokes", 12, NULL, "count", NULL), PS_OK);
    ps_store_rollback(s);
    assert_int_equal(ps_store_session_find(s, a.id, si.day, "ink", si.sha256, &id), PS_ERR_NOT_FOUND);
    ps_store_close(s);
}

static void test_goals(void **st)
{
    (void)st;
    ps_store_t *s = open_fresh("goals.db");
    ps_child a = {0};
    strcpy(a.code, "G");
    assert_int_equal(ps_store_child_add(s, &a), PS_OK);
    ps_goal g = {0};
    strcpy(g.metric, "grip_distance_mm");
    g.low = 15;
    g.high = 25;
    g.due_day = day("2027-03-31");
    g.has_gas = 1;
    double lv[5] = {4, 8, 15, 20, 25};
    memcpy(g.gas, lv, sizeof lv);
    strcpy(g.note, "by march");
    assert_int_equal(ps_store_goal_set(s, a.id, &g), PS_OK);
    ps_goal got;
    assert_int_equal(ps_store_goal_get(s, a.id, "grip_distance_mm", &got), PS_OK);
    assert_double_equal(got.low, 15, 0);
    assert_double_equal(got.high, 25, 0);
    assert_int_equal(got.due_day, g.due_day);
    assert_true(got.has_gas);
    assert_double_equal(got.gas[4], 25, 0);
    assert_string_equal(got.note, "by march");
    /* replacing keeps one goal per metric */
    g.high = 30;
    g.has_gas = 0;
    assert_int_equal(ps_store_goal_set(s, a.id, &g), PS_OK);
    ps_goal *all = NULL;
    size_t n = 0;
    assert_int_equal(ps_store_goal_list(s, a.id, &all, &n), PS_OK);
    assert_int_equal(n, 1);
    assert_double_equal(all[0].high, 30, 0);
    assert_false(all[0].has_gas);
    ps_free(all);
    /* levels against the good direction are refused */
    strcpy(g.metric, "legibility_pct");
    g.has_gas = 1;
    double down[5] = {90, 80, 70, 60, 50};
    memcpy(g.gas, down, sizeof down);
    assert_int_equal(ps_store_goal_set(s, a.id, &g), PS_ERR_INVALID_ARG);
    g.low = 3;
    g.high = 2;
    g.has_gas = 0;
    assert_int_equal(ps_store_goal_set(s, a.id, &g), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_store_goal_delete(s, a.id, "grip_distance_mm"), PS_OK);
    assert_int_equal(ps_store_goal_get(s, a.id, "grip_distance_mm", &got), PS_ERR_NOT_FOUND);
    assert_int_equal(ps_store_goal_delete(s, a.id, "grip_distance_mm"), PS_ERR_NOT_FOUND);
    ps_store_close(s);
}

static int count_rows(const ps_export_row *r, void *ud)
{
    int *n = ud;
    if (!strcmp(r->metric, "grip_distance_mm"))
        assert_false(isnan(r->value));
    else
        assert_string_equal(r->text, "dynamic_tripod");
    assert_string_equal(r->child, "E");
    (*n)++;
    return 0;
}

static void test_export_attach(void **st)
{
    (void)st;
    ps_store_t *s = open_fresh("export.db");
    ps_child a = {0};
    strcpy(a.code, "E");
    assert_int_equal(ps_store_child_add(s, &a), PS_OK);
    int64_t s1 = add_session(s, a.id, "2026-01-05", "a", 4);
    int64_t s2 = add_session(s, a.id, "2026-01-12", "b", 5);
    int rows = 0;
    assert_int_equal(ps_store_export(s, 0, count_rows, &rows), PS_OK);
    assert_int_equal(rows, 4);
    rows = 0;
    assert_int_equal(ps_store_export(s, a.id + 100, count_rows, &rows), PS_OK);
    assert_int_equal(rows, 0);

    void *data;
    size_t len;
    char name[64];
    int32_t d;
    assert_int_equal(ps_store_attachment_latest(s, a.id, "grip", &data, &len, name, sizeof name, &d), PS_ERR_NOT_FOUND);
    assert_int_equal(ps_store_attach(s, s1, "old.png", "image/png", "old", 3), PS_OK);
    assert_int_equal(ps_store_attach(s, s2, "new.png", "image/png", "newer", 5), PS_OK);
    assert_int_equal(ps_store_attachment_latest(s, a.id, "grip", &data, &len, name, sizeof name, &d), PS_OK);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "newer", 5);
    assert_string_equal(name, "new.png");
    assert_int_equal(d, day("2026-01-12"));
    ps_free(data);
    ps_store_close(s);
}

static void test_sha256(void **st)
{
    (void)st;
    /* FIPS 180-4 examples */
    static const struct { const char *in, *hex; } v[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        uint8_t d[32];
        ps_sha256(v[i].in, strlen(v[i].in), d);
        char hex[65];
        for (int k = 0; k < 32; k++)
            snprintf(hex + 2 * k, 3, "%02x", d[k]);
        assert_string_equal(hex, v[i].hex);
    }
    /* one million 'a' through the file path (streamed in chunks) */
    size_t n = 1000000;
    char *a = malloc(n);
    memset(a, 'a', n);
    const char *path = tu_tmpfile("million_a");
    assert_int_equal(tu_write_file(path, a, n), 0);
    free(a);
    char hex[65];
    assert_int_equal(ps_sha256_file(path, hex), PS_OK);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    assert_int_equal(ps_sha256_file(tu_tmpfile("missing"), hex), PS_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_private), cmocka_unit_test(test_children),
        cmocka_unit_test(test_sessions_series), cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_goals), cmocka_unit_test(test_export_attach),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
