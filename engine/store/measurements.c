/* Measurements: one value per session and metric (a number, or the text of a
 * bool/category metric), with per-line/per-frame detail as JSON, and the
 * queries progress needs: a child's series and the pooled variability. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <math.h>
#include <string.h>

ps_status ps_store_measure_add(ps_store_t *s, int64_t session_id, const char *metric, double value, const char *text,
                               const char *unit, const char *detail_json)
{
    if (!metric || !*metric || strlen(metric) >= 64)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "a metric name has 1 to 63 characters");
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "INSERT OR REPLACE INTO measurements(session_id, metric, value, text, unit, detail)"
                              " VALUES (?1,?2,?3,?4,?5,?6)",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, session_id);
    st_bind_text(st, 2, metric);
    if (isfinite(value))
        sqlite3_bind_double(st, 3, value);
    else
        sqlite3_bind_null(st, 3);
    st_bind_text(st, 4, text);
    st_bind_text(st, 5, unit && *unit ? unit : NULL);
    st_bind_text(st, 6, detail_json);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "add measurement");
    sqlite3_finalize(st);
    return rc;
}

/* date, value */
static ps_status read_obs_row(ps_store_t *s, sqlite3_stmt *st, void *elem)
{
    ps_obs *o = elem;
    const unsigned char *d = sqlite3_column_text(st, 0);
    if (!d || ps_date_parse((const char *)d, &o->day) != PS_OK)
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "a session has a bad date");
    o->value = sqlite3_column_double(st, 1);
    return PS_OK;
}

/* Days with several sessions (two worksheets on one visit) count once, with
 * the mean of that day's values, so a busy day does not weigh more. */
ps_status ps_store_series(ps_store_t *s, int64_t child_id, const char *metric, ps_obs **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT se.date, avg(m.value) FROM measurements m JOIN sessions se ON se.id = m.session_id"
                              " WHERE se.child_id=?1 AND m.metric=?2 AND m.value IS NOT NULL"
                              " GROUP BY se.date ORDER BY se.date",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, metric);
    rc = st_collect_rows(s, st, (void **)out, n, sizeof **out, read_obs_row, "reading a series", "read series");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_variability(ps_store_t *s, const char *metric, ps_variability *out)
{
    out->ss = 0;
    out->df = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT se.child_id, se.date, avg(m.value) FROM measurements m"
                              " JOIN sessions se ON se.id = m.session_id"
                              " WHERE m.metric=?1 AND m.value IS NOT NULL"
                              " GROUP BY se.child_id, se.date ORDER BY se.child_id, se.date",
                              &st);
    if (rc != PS_OK)
        return rc;
    st_bind_text(st, 1, metric);
    ps_obs *obs = NULL;
    size_t n = 0, cap = 0;
    int64_t child = -1;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t c = sqlite3_column_int64(st, 0);
        if (c != child) {
            ps_variability_add(out, obs, n);
            n = 0;
            child = c;
        }
        if (!st_grow((void **)&obs, &cap, n, sizeof *obs)) {
            rc = ps_errbuf_fail(&s->err, PS_ERR_NOMEM, "out of memory reading variability");
            break;
        }
        const unsigned char *d = sqlite3_column_text(st, 1);
        if (!d || ps_date_parse((const char *)d, &obs[n].day) != PS_OK) {
            rc = ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "a session has a bad date");
            break;
        }
        obs[n++].value = sqlite3_column_double(st, 2);
    }
    if (rc == PS_OK && r != SQLITE_DONE)
        rc = st_dberr(s, "read variability");
    if (rc == PS_OK)
        ps_variability_add(out, obs, n);
    sqlite3_finalize(st);
    ps_free(obs);
    return rc;
}

static ps_status read_metric_name_row(ps_store_t *s, sqlite3_stmt *st, void *elem)
{
    st_copy_text(st, 0, elem, 64);
    return PS_OK;
}

ps_status ps_store_metric_names(ps_store_t *s, int64_t child_id, char (**out)[64], size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT DISTINCT m.metric FROM measurements m JOIN sessions se ON se.id = m.session_id"
                              " WHERE se.child_id=?1 ORDER BY m.metric",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    rc = st_collect_rows(s, st, (void **)out, n, sizeof **out, read_metric_name_row, "listing metrics", "list metrics");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_latest_text(ps_store_t *s, int64_t child_id, const char *metric, char *buf, size_t cap,
                               int32_t *day)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT m.text, se.date FROM measurements m JOIN sessions se ON se.id = m.session_id"
                              " WHERE se.child_id=?1 AND m.metric=?2 AND m.text IS NOT NULL"
                              " ORDER BY se.date DESC, se.id DESC LIMIT 1",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, metric);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        st_copy_text(st, 0, buf, cap);
        const unsigned char *d = sqlite3_column_text(st, 1);
        if (!d || ps_date_parse((const char *)d, day) != PS_OK)
            rc = ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "a session has a bad date");
    } else if (r == SQLITE_DONE)
        rc = PS_ERR_NOT_FOUND;
    else
        rc = st_dberr(s, "latest value");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_export(ps_store_t *s, int64_t child_id, ps_export_fn fn, void *userdata)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT c.code, se.date, se.kind, se.file, se.sha256, m.metric, m.value, m.text, m.unit,"
                              " se.note, se.version, se.id"
                              " FROM measurements m JOIN sessions se ON se.id = m.session_id"
                              " JOIN children c ON c.id = se.child_id"
                              " WHERE ?1 = 0 OR c.id = ?1 ORDER BY c.code, se.date, se.id, m.metric",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        ps_export_row row;
        const char **f[] = {&row.child, &row.date, &row.kind, &row.file, &row.sha256, &row.metric};
        for (int i = 0; i < 6; i++)
            *f[i] = (const char *)sqlite3_column_text(st, i);
        row.value = sqlite3_column_type(st, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 6);
        row.text = (const char *)sqlite3_column_text(st, 7);
        row.unit = (const char *)sqlite3_column_text(st, 8);
        row.note = (const char *)sqlite3_column_text(st, 9);
        row.version = (const char *)sqlite3_column_text(st, 10);
        row.session_id = sqlite3_column_int64(st, 11);
        if (fn(&row, userdata))
            break;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = st_dberr(s, "export");
    sqlite3_finalize(st);
    return rc;
}
