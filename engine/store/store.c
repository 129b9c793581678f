/* Opening the store: the default path, refusing foreign or damaged files
 * without touching them, user-only creation, WAL mode and busy timeout. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include "core/file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ps_status ps_store_default_path(char *buf, size_t cap)
{
    const char *env = getenv("PENSCOPE_DB");
    int n;
    if (env && *env)
        n = snprintf(buf, cap, "%s", env);
    else if ((env = getenv("XDG_DATA_HOME")) && *env == '/')
        n = snprintf(buf, cap, "%s/penscope/penscope.db", env);
    else if ((env = getenv("HOME")) && *env)
        n = snprintf(buf, cap, "%s/.local/share/penscope/penscope.db", env);
    else
        return ps_fail(PS_ERR_NOT_FOUND, "no database path: set --db, PENSCOPE_DB or HOME");
    if (n < 0 || (size_t)n >= cap)
        return ps_fail(PS_ERR_INVALID_ARG, "database path too long");
    return PS_OK;
}

ps_status st_prepare(ps_store_t *s, const char *sql, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return st_dberr(s, "prepare");
    }
    return PS_OK;
}

ps_status st_dberr(ps_store_t *s, const char *ctx)
{
    int code = sqlite3_errcode(s->db);
    ps_status rc = (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) ? PS_ERR_CORRUPT
                 : code == SQLITE_NOMEM ? PS_ERR_NOMEM : PS_ERR_DB;
    return ps_errbuf_fail(&s->err, rc, "database %s failed: %s", ctx, sqlite3_errmsg(s->db));
}

int st_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

void st_copy_text(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

ps_status st_check_len(ps_store_t *s, const char *what, const char *v, size_t cap)
{
    if (v && strlen(v) >= cap)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "%s is longer than %zu bytes", what, cap - 1);
    return PS_OK;
}

const char *ps_store_errmsg(ps_store_t *s)
{
    return s ? s->err.msg : "no store";
}

int ps_store_schema_version(ps_store_t *s)
{
    return s ? s->schema_version : 0;
}

/* Looks at the file's first 100 bytes (the SQLite header) before SQLite does
 * anything to it: a foreign file must not be changed, and SQLite would happily
 * put a WAL beside any database. */
static ps_status check_header(const char *path, int *is_empty)
{
    *is_empty = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ps_fail(PS_ERR_IO, "cannot open database '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ps_fail(PS_ERR_CORRUPT, "'%s' is not a regular file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        *is_empty = 1;
        return PS_OK;
    }
    unsigned char h[100];
    ssize_t got = read(fd, h, sizeof h);
    close(fd);
    if (got != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return ps_fail(PS_ERR_CORRUPT, "'%s' is not a penscope database (not an SQLite file); left untouched", path);
    uint32_t app = (uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 | (uint32_t)h[70] << 8 | h[71];
    if (app != 0 && app != PS_STORE_APPLICATION_ID)
        return ps_fail(PS_ERR_CORRUPT, "'%s' is another program's SQLite database, not penscope's; left untouched",
                       path);
    return PS_OK;
}

/* Reads what the file says about itself; nothing here writes. */
static ps_status inspect(ps_store_t *s, const char *path)
{
    int64_t app = 0, ver = 0, tables = 0;
    ps_status rc;
    /* one statement, so one snapshot: another process may be creating the
     * schema right now, and separate reads could see its tables without
     * its application id */
    sqlite3_stmt *st;
    if ((rc = st_prepare(s,
                         "SELECT (SELECT application_id FROM pragma_application_id()),"
                         " (SELECT user_version FROM pragma_user_version()),"
                         " (SELECT count(*) FROM sqlite_schema)",
                         &st)) == PS_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            app = sqlite3_column_int64(st, 0);
            ver = sqlite3_column_int64(st, 1);
            tables = sqlite3_column_int64(st, 2);
        } else
            rc = PS_ERR_CORRUPT;
        sqlite3_finalize(st);
    }
    if (rc != PS_OK)
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "'%s' is damaged or not a database (%s); left untouched",
                              path, sqlite3_errmsg(s->db));
    if (app != PS_STORE_APPLICATION_ID && tables > 0)
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT,
                              "'%s' is another program's SQLite database, not penscope's; left untouched", path);
    if (ver > PS_STORE_SCHEMA_VERSION)
        return ps_errbuf_fail(&s->err, PS_ERR_UNSUPPORTED,
                              "'%s' has schema version %lld, made by a newer penscope (this one knows %d)", path,
                              (long long)ver, PS_STORE_SCHEMA_VERSION);
    if (ver < 0) /* a hostile header; migration indexes its steps by version */
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT,
                              "'%s' has schema version %lld, which no penscope writes; left untouched", path,
                              (long long)ver);
    if (tables > 0) {
        /* quick_check reads every page: damage anywhere is found before the
         * first write, not after. Cheap at the sizes a practice keeps. */
        sqlite3_stmt *st;
        if ((rc = st_prepare(s, "PRAGMA quick_check", &st)) != PS_OK)
            return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "'%s' is damaged: %s; left untouched", path,
                                  sqlite3_errmsg(s->db));
        int r = sqlite3_step(st);
        const unsigned char *t = r == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        int ok = t && !strcmp((const char *)t, "ok");
        char what[200];
        snprintf(what, sizeof what, "%s", t ? (const char *)t : sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        if (!ok)
            return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "'%s' is damaged (%s); left untouched", path, what);
    }
    s->schema_version = (int)ver;
    return PS_OK;
}

static ps_status create_private(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        ps_status rc = ps_dir_create_private(dir);
        if (rc != PS_OK)
            return rc;
    }
    /* SQLite would create the file 0644; make it ourselves, user-only. Its
     * -wal and -shm files take the database file's permissions. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return ps_fail(PS_ERR_IO, "cannot create database '%s': %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return PS_OK;
}

ps_status ps_store_open(const char *path, int busy_timeout_ms, ps_store_t **out)
{
    *out = NULL;
    char defpath[4096];
    ps_status rc;
    if (!path) {
        if ((rc = ps_store_default_path(defpath, sizeof defpath)) != PS_OK)
            return rc;
        path = defpath;
    }
    if (!*path || strlen(path) >= 4000)
        return ps_fail(PS_ERR_INVALID_ARG, "bad database path");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return ps_fail(PS_ERR_IO, "cannot open database '%s': %s", path, strerror(errno));
        if ((rc = create_private(path)) != PS_OK)
            return rc;
    }
    int empty;
    if ((rc = check_header(path, &empty)) != PS_OK)
        return rc;

    ps_store_t *s = ps_calloc(1, sizeof *s);
    if (!s)
        return ps_fail(PS_ERR_NOMEM, "out of memory opening the database");
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = ps_fail(PS_ERR_DB, "cannot open database '%s': %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        ps_store_close(s);
        return rc;
    }
    sqlite3_extended_result_codes(s->db, 0);
    sqlite3_busy_timeout(s->db, busy_timeout_ms > 0 ? busy_timeout_ms : 10000);
    if ((rc = inspect(s, path)) != PS_OK) {
        ps_fail(rc, "%s", s->err.msg);
        ps_store_close(s);
        return rc;
    }
    /* Only now, with a file known to be ours (or new), may SQLite write. */
    static const char *const setup[] = {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                                        "PRAGMA foreign_keys=ON"};
    int timeout_ms = busy_timeout_ms > 0 ? busy_timeout_ms : 10000;
    for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) {
        sqlite3_stmt *st;
        if ((rc = st_prepare(s, setup[i], &st)) == PS_OK) {
            /* Switching a new file to WAL while another process does the same
             * can fail with SQLITE_BUSY without SQLite calling the busy
             * handler (it would deadlock), so the wait is done here, within
             * the same timeout. */
            int r, waited_ms = 0;
            while ((r = sqlite3_step(st)) == SQLITE_BUSY && waited_ms < timeout_ms) {
                sqlite3_reset(st);
                usleep(10 * 1000);
                waited_ms += 10;
            }
            if (r != SQLITE_ROW && r != SQLITE_DONE)
                rc = st_dberr(s, "setup");
            sqlite3_finalize(st);
        }
        if (rc != PS_OK) {
            ps_fail(rc, "'%s': %s", path, s->err.msg);
            ps_store_close(s);
            return rc;
        }
    }
    if ((rc = st_migrate(s)) != PS_OK) {
        ps_fail(rc, "'%s': %s", path, s->err.msg);
        ps_store_close(s);
        return rc;
    }
    (void)empty;
    *out = s;
    return PS_OK;
}

void ps_store_close(ps_store_t *s)
{
    if (!s)
        return;
    sqlite3_close_v2(s->db);
    ps_free(s);
}

ps_status st_exec(ps_store_t *s, const char *sql, const char *ctx)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, sql, &st);
    if (rc != PS_OK)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (r != SQLITE_DONE)
        rc = st_dberr(s, ctx);
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_begin(ps_store_t *s)
{
    return st_exec(s, "BEGIN IMMEDIATE", "begin");
}

ps_status ps_store_commit(ps_store_t *s)
{
    return st_exec(s, "COMMIT", "commit");
}

void ps_store_rollback(ps_store_t *s)
{
    if (s && !sqlite3_get_autocommit(s->db))
        st_exec(s, "ROLLBACK", "rollback");
}

int st_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 16, bytes;
    if (!ps_size_mul_ok(ncap, elem, &bytes))
        return 0;
    void *p = ps_realloc(*arr, bytes);
    if (!p)
        return 0;
    *arr = p;
    *cap = ncap;
    return 1;
}

ps_status st_collect_rows(ps_store_t *s, sqlite3_stmt *st, void **out, size_t *n, size_t elem,
                          st_row_reader read_row, const char *listing, const char *ctx)
{
    ps_status rc = PS_OK;
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!st_grow(out, &cap, *n, elem)) {
            rc = ps_errbuf_fail(&s->err, PS_ERR_NOMEM, "out of memory %s", listing);
            break;
        }
        if ((rc = read_row(s, st, (char *)*out + *n * elem)) != PS_OK)
            break;
        (*n)++;
    }
    if (rc == PS_OK && r != SQLITE_DONE)
        rc = st_dberr(s, ctx);
    if (rc != PS_OK) {
        ps_free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
