/* Schema and migrations. Each step takes the database from version i to i+1;
 * all pending steps run in one write transaction that re-reads the version
 * first, so two processes opening an old file at once migrate it once.
 *
 * v1: children, sessions (one per recorded input), measurements.
 * v2: goals with Goal Attainment Scaling levels, attachments (overlays).
 * v3: the analyser's warnings per session (why a metric is null). */
#include "store/store_internal.h"
#include <stdio.h>

static const char *const v1[] = {
    "CREATE TABLE children ("
    " id INTEGER PRIMARY KEY,"
    " code TEXT NOT NULL UNIQUE,"
    " birth_year INTEGER,"
    " grade TEXT,"
    " hand TEXT,"
    " notes TEXT,"
    " created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
    "CREATE TABLE sessions ("
    " id INTEGER PRIMARY KEY,"
    " child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,"
    " date TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " file TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " options TEXT,"
    " detail TEXT,"
    " version TEXT NOT NULL,"
    " note TEXT,"
    " created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    " UNIQUE (child_id, date, kind, sha256))",
    "CREATE TABLE measurements ("
    " id INTEGER PRIMARY KEY,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
    " metric TEXT NOT NULL,"
    " value REAL,"
    " text TEXT,"
    " unit TEXT,"
    " detail TEXT,"
    " UNIQUE (session_id, metric))",
    "CREATE INDEX measurements_metric ON measurements(metric)",
    NULL,
};

static const char *const v2[] = {
    "CREATE TABLE goals ("
    " id INTEGER PRIMARY KEY,"
    " child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE,"
    " metric TEXT NOT NULL,"
    " low REAL NOT NULL,"
    " high REAL NOT NULL,"
    " due TEXT,"
    " gas_m2 REAL, gas_m1 REAL, gas_0 REAL, gas_p1 REAL, gas_p2 REAL,"
    " note TEXT,"
    " set_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d','now')),"
    " UNIQUE (child_id, metric))",
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY,"
    " session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL,"
    " mime TEXT NOT NULL,"
    " data BLOB NOT NULL)",
    NULL,
};

static const char *const v3[] = {
    "ALTER TABLE sessions ADD COLUMN warnings TEXT",
    NULL,
};

/* Constant DDL only: no value from outside ever reaches these texts. */
static const char *const *const steps[] = {v1, v2, v3};

static ps_status read_version(ps_store_t *s, int *v)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "PRAGMA user_version", &st);
    if (rc != PS_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    else
        rc = st_dberr(s, "read version");
    sqlite3_finalize(st);
    return rc;
}

ps_status st_migrate(ps_store_t *s)
{
    _Static_assert(sizeof steps / sizeof *steps == PS_STORE_SCHEMA_VERSION, "one step per version");
    if (s->schema_version == PS_STORE_SCHEMA_VERSION)
        return PS_OK;
    ps_status rc = ps_store_begin(s);
    if (rc != PS_OK)
        return rc;
    int v = 0;
    if ((rc = read_version(s, &v)) != PS_OK)
        goto fail;
    if (v < 0 || v > PS_STORE_SCHEMA_VERSION) { /* changed since ps_store_open looked */
        rc = ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "schema version %d is not one this penscope can migrate", v);
        goto fail;
    }
    for (; v < PS_STORE_SCHEMA_VERSION; v++)
        for (const char *const *q = steps[v]; *q; q++)
            if ((rc = st_exec(s, *q, "migration")) != PS_OK)
                goto fail;
    /* PRAGMA values cannot be bound; both are compile-time numbers. */
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", PS_STORE_SCHEMA_VERSION);
    if ((rc = st_exec(s, sql, "migration")) != PS_OK)
        goto fail;
    snprintf(sql, sizeof sql, "PRAGMA application_id=%d", PS_STORE_APPLICATION_ID);
    if ((rc = st_exec(s, sql, "migration")) != PS_OK)
        goto fail;
    if ((rc = ps_store_commit(s)) != PS_OK)
        goto fail;
    s->schema_version = PS_STORE_SCHEMA_VERSION;
    return PS_OK;
fail:
    ps_store_rollback(s);
    return rc;
}
