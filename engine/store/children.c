/* Children: a pseudonymous code chosen by the therapist, birth year or grade,
 * writing hand and notes. No names are asked for. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <ctype.h>
#include <string.h>

static ps_status check_child(ps_store_t *s, const ps_child *c)
{
    size_t n = strnlen(c->code, sizeof c->code);
    if (n == 0 || n >= sizeof c->code)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "a child needs a code of 1 to %zu characters",
                              sizeof c->code - 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)c->code[i];
        if (!isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
            return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG,
                                  "child code '%s' may only hold letters, digits, '-', '_' and '.'", c->code);
    }
    if (c->birth_year != 0 && (c->birth_year < 1900 || c->birth_year > 2200))
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "birth year %d is not plausible", c->birth_year);
    if (c->hand[0] && strcmp(c->hand, "left") && strcmp(c->hand, "right"))
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "writing hand is 'left' or 'right', not '%.8s'",
                              c->hand);
    if (memchr(c->grade, 0, sizeof c->grade) == NULL || memchr(c->notes, 0, sizeof c->notes) == NULL)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "unterminated child field");
    return PS_OK;
}

static void bind_fields(sqlite3_stmt *st, const ps_child *c)
{
    st_bind_text(st, 1, c->code);
    if (c->birth_year)
        sqlite3_bind_int(st, 2, c->birth_year);
    else
        sqlite3_bind_null(st, 2);
    st_bind_text(st, 3, c->grade[0] ? c->grade : NULL);
    st_bind_text(st, 4, c->hand[0] ? c->hand : NULL);
    st_bind_text(st, 5, c->notes[0] ? c->notes : NULL);
}

static ps_status exists(ps_store_t *s, const char *code, int64_t not_id, int *found)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "SELECT 1 FROM children WHERE code = ?1 AND id <> ?2", &st);
    if (rc != PS_OK)
        return rc;
    st_bind_text(st, 1, code);
    sqlite3_bind_int64(st, 2, not_id);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = st_dberr(s, "child lookup");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_child_add(ps_store_t *s, ps_child *c)
{
    ps_status rc = check_child(s, c);
    int found = 0;
    if (rc == PS_OK)
        rc = exists(s, c->code, 0, &found);
    if (rc != PS_OK)
        return rc;
    if (found)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "child '%s' already exists", c->code);
    sqlite3_stmt *st;
    if ((rc = st_prepare(s, "INSERT INTO children(code, birth_year, grade, hand, notes) VALUES (?1,?2,?3,?4,?5)",
                         &st)) != PS_OK)
        return rc;
    bind_fields(st, c);
    if (sqlite3_step(st) == SQLITE_DONE)
        c->id = sqlite3_last_insert_rowid(s->db);
    else
        rc = st_dberr(s, "add child");
    sqlite3_finalize(st);
    return rc;
}

static ps_status read_child(ps_store_t *s, sqlite3_stmt *st, void *elem)
{
    ps_child *c = elem;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    st_copy_text(st, 1, c->code, sizeof c->code);
    c->birth_year = sqlite3_column_int(st, 2);
    st_copy_text(st, 3, c->grade, sizeof c->grade);
    st_copy_text(st, 4, c->hand, sizeof c->hand);
    st_copy_text(st, 5, c->notes, sizeof c->notes);
    return PS_OK;
}

#define CHILD_COLS "SELECT id, code, birth_year, grade, hand, notes FROM children"

ps_status ps_store_child_get(ps_store_t *s, const char *code, ps_child *out)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, CHILD_COLS " WHERE code = ?1", &st);
    if (rc != PS_OK)
        return rc;
    st_bind_text(st, 1, code);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = read_child(s, st, out);
    else if (r == SQLITE_DONE)
        rc = ps_errbuf_fail(&s->err, PS_ERR_NOT_FOUND, "no child '%s' (see 'penscope child list')", code);
    else
        rc = st_dberr(s, "child lookup");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_child_update(ps_store_t *s, const ps_child *c)
{
    ps_status rc = check_child(s, c);
    int found = 0;
    if (rc == PS_OK)
        rc = exists(s, c->code, c->id, &found);
    if (rc != PS_OK)
        return rc;
    if (found)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "child '%s' already exists", c->code);
    sqlite3_stmt *st;
    if ((rc = st_prepare(s,
                         "UPDATE children SET code=?1, birth_year=?2, grade=?3, hand=?4, notes=?5 WHERE id=?6",
                         &st)) != PS_OK)
        return rc;
    bind_fields(st, c);
    sqlite3_bind_int64(st, 6, c->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "update child");
    else if (sqlite3_changes(s->db) == 0)
        rc = ps_errbuf_fail(&s->err, PS_ERR_NOT_FOUND, "no child with id %lld", (long long)c->id);
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_child_list(ps_store_t *s, ps_child **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, CHILD_COLS " ORDER BY code", &st);
    if (rc != PS_OK)
        return rc;
    rc = st_collect_rows(s, st, (void **)out, n, sizeof **out, read_child, "listing children", "list children");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_child_delete(ps_store_t *s, const char *code)
{
    ps_child c;
    ps_status rc = ps_store_child_get(s, code, &c);
    if (rc != PS_OK)
        return rc;
    sqlite3_stmt *st;
    /* foreign keys cascade to sessions, measurements, goals, attachments */
    if ((rc = st_prepare(s, "DELETE FROM children WHERE id=?1", &st)) != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, c.id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "delete child");
    sqlite3_finalize(st);
    if (rc != PS_OK)
        return rc;
    /* a child's data must not survive in free pages or the WAL */
    static const char *const scrub[] = {"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM",
                                        "PRAGMA wal_checkpoint(TRUNCATE)"};
    for (size_t i = 0; i < sizeof scrub / sizeof *scrub && rc == PS_OK; i++)
        rc = st_exec(s, scrub[i], "reclaim space");
    return rc;
}
