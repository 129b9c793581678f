/* Sessions: one recorded input of a child on a date, with the input's hash
 * (so recording the same file again adds nothing), the analyser's options and
 * the version of penscope that measured it. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <string.h>

static ps_status check_date(ps_store_t *s, int32_t day, char date[11])
{
    char tmp[16];
    ps_date_format(day, tmp);
    int32_t back;
    if (ps_date_parse(tmp, &back) != PS_OK || back != day)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "session day %ld is out of range", (long)day);
    memcpy(date, tmp, 11);
    return PS_OK;
}

ps_status ps_store_session_find(ps_store_t *s, int64_t child_id, int32_t day, const char *kind, const char *sha256,
                                int64_t *id)
{
    char date[11];
    ps_status rc = check_date(s, day, date);
    if (rc != PS_OK)
        return rc;
    sqlite3_stmt *st;
    if ((rc = st_prepare(s, "SELECT id FROM sessions WHERE child_id=?1 AND date=?2 AND kind=?3 AND sha256=?4",
                         &st)) != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, date);
    st_bind_text(st, 3, kind);
    st_bind_text(st, 4, sha256);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r == SQLITE_DONE)
        rc = PS_ERR_NOT_FOUND;
    else
        rc = st_dberr(s, "session lookup");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_session_add(ps_store_t *s, const ps_session_info *in, const char *options_json,
                               const char *detail_json, int64_t *id)
{
    char date[11];
    ps_status rc = check_date(s, in->day, date);
    if (rc != PS_OK)
        return rc;
    if (!in->kind[0] || strlen(in->sha256) != 64)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "a session needs a kind and a SHA-256 of its input");
    int64_t old;
    rc = ps_store_session_find(s, in->child_id, in->day, in->kind, in->sha256, &old);
    if (rc == PS_OK)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "'%s' is already recorded for this child on %s", in->file,
                              date);
    if (rc != PS_ERR_NOT_FOUND)
        return rc;
    sqlite3_stmt *st;
    if ((rc = st_prepare(s,
                         "INSERT INTO sessions(child_id, date, kind, file, sha256, options, detail, version, note)"
                         " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                         &st)) != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->child_id);
    st_bind_text(st, 2, date);
    st_bind_text(st, 3, in->kind);
    st_bind_text(st, 4, in->file);
    st_bind_text(st, 5, in->sha256);
    st_bind_text(st, 6, options_json);
    st_bind_text(st, 7, detail_json);
    st_bind_text(st, 8, in->version[0] ? in->version : ps_version());
    st_bind_text(st, 9, in->note[0] ? in->note : NULL);
    if (sqlite3_step(st) == SQLITE_DONE)
        *id = sqlite3_last_insert_rowid(s->db);
    else
        rc = st_dberr(s, "add session");
    sqlite3_finalize(st);
    return rc;
}

/* id, child_id, date, kind, file, sha256, version, note */
static ps_status read_session_row(ps_store_t *s, sqlite3_stmt *st, void *elem)
{
    ps_session_info *x = elem;
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(st, 0);
    x->child_id = sqlite3_column_int64(st, 1);
    const unsigned char *d = sqlite3_column_text(st, 2);
    if (!d || ps_date_parse((const char *)d, &x->day) != PS_OK)
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "session %lld has a bad date", (long long)x->id);
    st_copy_text(st, 3, x->kind, sizeof x->kind);
    st_copy_text(st, 4, x->file, sizeof x->file);
    st_copy_text(st, 5, x->sha256, sizeof x->sha256);
    st_copy_text(st, 6, x->version, sizeof x->version);
    st_copy_text(st, 7, x->note, sizeof x->note);
    return PS_OK;
}

ps_status ps_store_session_list(ps_store_t *s, int64_t child_id, ps_session_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT id, child_id, date, kind, file, sha256, version, note FROM sessions"
                              " WHERE child_id=?1 ORDER BY date, id",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    rc = st_collect_rows(s, st, (void **)out, n, sizeof **out, read_session_row, "listing sessions", "list sessions");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_session_set_warnings(ps_store_t *s, int64_t session_id, const char *warnings_json)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "UPDATE sessions SET warnings=?1 WHERE id=?2", &st);
    if (rc != PS_OK)
        return rc;
    st_bind_text(st, 1, warnings_json);
    sqlite3_bind_int64(st, 2, session_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "set warnings");
    else if (sqlite3_changes(s->db) == 0)
        rc = ps_errbuf_fail(&s->err, PS_ERR_NOT_FOUND, "no session %lld", (long long)session_id);
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_session_warnings(ps_store_t *s, int64_t session_id, char **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "SELECT warnings FROM sessions WHERE id=?1", &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, session_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        if (t && !(*out = ps_strdup((const char *)t)))
            rc = ps_errbuf_fail(&s->err, PS_ERR_NOMEM, "out of memory");
    } else if (r == SQLITE_DONE)
        rc = ps_errbuf_fail(&s->err, PS_ERR_NOT_FOUND, "no session %lld", (long long)session_id);
    else
        rc = st_dberr(s, "read warnings");
    sqlite3_finalize(st);
    return rc;
}
