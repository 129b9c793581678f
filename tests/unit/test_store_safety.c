/* The store refuses foreign, damaged and newer databases without changing a
 * byte of them, and migrates an older schema without losing data. */
#include "testutil.h"
#include "core/alloc.h"
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void hash(const char *path, char hex[65])
{
    assert_int_equal(ps_sha256_file(path, hex), PS_OK);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Opening must fail with code rc and leave the file (and no -wal/-shm) as it was. */
static void assert_refused(const char *path, ps_status want, const char *msg_part)
{
    char before[65], after[65];
    hash(path, before);
    ps_store_t *s = (ps_store_t *)1;
    assert_int_equal(ps_store_open(path, 0, &s), want);
    assert_null(s);
    if (!strstr(ps_last_error(), msg_part))
        fail_msg("message '%s' lacks '%s'", ps_last_error(), msg_part);
    hash(path, after);
    assert_string_equal(before, after);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    assert_false(exists(side));
    snprintf(side, sizeof side, "%s-journal", path);
    assert_false(exists(side));
}

static void make_db(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("sql: %s", err);
    sqlite3_close(db);
}

static void test_foreign_files(void **st)
{
    (void)st;
    const char *text = tu_tmpfile("notes.txt");
    const char *t = "these are my notes, not a database at all, and they are longer than one hundred bytes so the "
                    "header can be read in full\n";
    assert_int_equal(tu_write_file(text, t, strlen(t)), 0);
    assert_refused(text, PS_ERR_CORRUPT, "not an SQLite file");

    const char *small = tu_tmpfile("small.bin");
    assert_int_equal(tu_write_file(small, "SQLite", 6), 0);
    assert_refused(small, PS_ERR_CORRUPT, "not an SQLite file");

    const char *other = tu_tmpfile("other.db");
    make_db(other, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');");
    assert_refused(other, PS_ERR_CORRUPT, "another program");

    const char *other_id = tu_tmpfile("other_id.db");
    make_db(other_id, "PRAGMA application_id = 42; CREATE TABLE t(x);");
    assert_refused(other_id, PS_ERR_CORRUPT, "another program");

    ps_store_t *s;
    assert_int_equal(ps_store_open(tu_tmpdir(), 0, &s), PS_ERR_CORRUPT); /* a folder */
}

static void test_newer_schema(void **st)
{
    (void)st;
    const char *path = tu_tmpfile("newer.db");
    char sql[200];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d; CREATE TABLE future(x);",
             PS_STORE_APPLICATION_ID, PS_STORE_SCHEMA_VERSION + 1);
    make_db(path, sql);
    assert_refused(path, PS_ERR_UNSUPPORTED, "newer penscope");
}

static void test_corrupt(void **st)
{
    (void)st;
    const char *path = tu_tmpfile("corrupt.db");
    ps_store_t *s;
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    ps_child c = {0};
    strcpy(c.code, "C1");
    assert_int_equal(ps_store_child_add(s, &c), PS_OK);
    assert_int_equal(ps_store_begin(s), PS_OK);
    for (int i = 0; i < 300; i++) { /* enough rows for several b-tree pages */
        ps_session_info si = {0};
        si.child_id = c.id;
        si.day = 20000 + i;
        strcpy(si.kind, "page");
        snprintf(si.sha256, sizeof si.sha256, "%064d", i);
        int64_t id;
        assert_int_equal(ps_store_session_add(s, &si, "{}", "{}", &id), PS_OK);
    }
    assert_int_equal(ps_store_commit(s), PS_OK);
    ps_store_close(s); /* checkpoints the WAL into the file */
    size_t n;
    unsigned char *bytes = tu_read_file(path, &n);
    assert_non_null(bytes);
    assert_true(n > 4 * 4096);
    /* scribble over the middle of page 3 and beyond, leaving the header */
    memset(bytes + 2 * 4096 + 100, 0x5a, 3000);
    memset(bytes + 3 * 4096, 0xa5, 4096);
    assert_int_equal(tu_write_file(path, bytes, n), 0);
    free(bytes);
    assert_refused(path, PS_ERR_CORRUPT, "damaged");
}

static void check_version(const char *path, int want)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), want);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static ps_store_t *open_fixture(const char *sqlfile, const char *dbname, int old_version)
{
    const char *path = tu_tmpfile(dbname);
    size_t n;
    char *sql = (char *)tu_read_file(tu_testdata(sqlfile), &n);
    assert_non_null(sql);
    make_db(path, sql);
    free(sql);
    check_version(path, old_version);
    ps_store_t *s;
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    assert_int_equal(ps_store_schema_version(s), PS_STORE_SCHEMA_VERSION);
    check_version(path, PS_STORE_SCHEMA_VERSION);
    return s;
}

static void test_migrate_v1(void **st)
{
    (void)st;
    ps_store_t *s = open_fixture("store/schema_v1.sql", "v1.db", 1);
    ps_child c;
    assert_int_equal(ps_store_child_get(s, "K7", &c), PS_OK);
    assert_int_equal(c.birth_year, 2018);
    assert_string_equal(c.hand, "left");
    ps_obs *obs;
    size_t n;
    assert_int_equal(ps_store_series(s, c.id, "grip_distance_mm", &obs, &n), PS_OK);
    assert_int_equal(n, 2);
    assert_true(obs[0].value == 4 && obs[1].value == 14);
    ps_free(obs);
    /* the v2 tables work */
    ps_goal g = {0};
    strcpy(g.metric, "grip_distance_mm");
    g.low = 15;
    g.high = 25;
    assert_int_equal(ps_store_goal_set(s, c.id, &g), PS_OK);
    /* and so does v3's column, on a session that predates it */
    char *w = NULL;
    assert_int_equal(ps_store_session_warnings(s, 1, &w), PS_OK);
    assert_null(w);
    assert_int_equal(ps_store_session_set_warnings(s, 1, "[\"no pencil found\"]"), PS_OK);
    assert_int_equal(ps_store_session_warnings(s, 1, &w), PS_OK);
    assert_string_equal(w, "[\"no pencil found\"]");
    ps_free(w);
    assert_int_equal(ps_store_session_set_warnings(s, 99, "[]"), PS_ERR_NOT_FOUND);
    ps_store_close(s);
}

static void test_migrate_v2(void **st)
{
    (void)st;
    ps_store_t *s = open_fixture("store/schema_v2.sql", "v2.db", 2);
    ps_child c;
    assert_int_equal(ps_store_child_get(s, "F1", &c), PS_OK);
    ps_goal g;
    assert_int_equal(ps_store_goal_get(s, c.id, "grip_distance_mm", &g), PS_OK);
    assert_true(g.has_gas && g.gas[0] == 2 && g.gas[4] == 25);
    ps_metric_progress *m;
    size_t n;
    assert_int_equal(ps_store_child_progress(s, c.id, "grip_distance_mm", 0, &m, &n), PS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].n, 5);
    assert_true(m[0].p.latest == 10 && m[0].has_goal);
    ps_metric_progress_free(m, n);
    ps_store_close(s);
}

static void test_empty_file_adopted(void **st)
{
    (void)st;
    /* a zero-byte file (touch) becomes a store: nothing in it to lose */
    const char *path = tu_tmpfile("empty.db");
    assert_int_equal(tu_write_file(path, "", 0), 0);
    ps_store_t *s;
    assert_int_equal(ps_store_open(path, 0, &s), PS_OK);
    ps_store_close(s);
}

static void test_default_path(void **st)
{
    (void)st;
    char buf[512];
    setenv("PENSCOPE_DB", "/x/y.db", 1);
    assert_int_equal(ps_store_default_path(buf, sizeof buf), PS_OK);
    assert_string_equal(buf, "/x/y.db");
    unsetenv("PENSCOPE_DB");
    setenv("XDG_DATA_HOME", "/data", 1);
    assert_int_equal(ps_store_default_path(buf, sizeof buf), PS_OK);
    assert_string_equal(buf, "/data/penscope/penscope.db");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/t", 1);
    assert_int_equal(ps_store_default_path(buf, sizeof buf), PS_OK);
    assert_string_equal(buf, "/home/t/.local/share/penscope/penscope.db");
    assert_int_equal(ps_store_default_path(buf, 8), PS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_foreign_files), cmocka_unit_test(test_newer_schema),
        cmocka_unit_test(test_corrupt),       cmocka_unit_test(test_migrate_v1),
        cmocka_unit_test(test_migrate_v2),
        cmocka_unit_test(test_empty_file_adopted), cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
