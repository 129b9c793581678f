/* Attachments: files that belong to a session, kept inside the database so a
 * report can show the latest overlay even after the input folder is gone. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <string.h>

#define PS_ATTACH_MAX (64u << 20)

ps_status ps_store_attach(ps_store_t *s, int64_t session_id, const char *name, const char *mime, const void *data,
                          size_t len)
{
    if (!name || !*name || !mime || !data || len == 0 || len > PS_ATTACH_MAX)
        return ps_errbuf_fail(&s->err, PS_ERR_INVALID_ARG, "an attachment needs a name, a type and 1 byte to 64 MiB");
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "INSERT INTO attachments(session_id, name, mime, data) VALUES (?1,?2,?3,?4)", &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, session_id);
    st_bind_text(st, 2, name);
    st_bind_text(st, 3, mime);
    sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "attach");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_attachment_latest(ps_store_t *s, int64_t child_id, const char *kind, void **data, size_t *len,
                                     char *name, size_t name_cap, int32_t *day)
{
    *data = NULL;
    *len = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT a.data, a.name, se.date FROM attachments a JOIN sessions se ON se.id = a.session_id"
                              " WHERE se.child_id=?1 AND se.kind=?2 ORDER BY se.date DESC, se.id DESC, a.id DESC LIMIT 1",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, kind);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        *data = n > 0 ? ps_malloc((size_t)n) : NULL;
        if (!*data)
            rc = ps_errbuf_fail(&s->err, PS_ERR_NOMEM, "out of memory reading an attachment");
        else {
            memcpy(*data, p, (size_t)n);
            *len = (size_t)n;
            st_copy_text(st, 1, name, name_cap);
            const unsigned char *d = sqlite3_column_text(st, 2);
            if (!d || ps_date_parse((const char *)d, day) != PS_OK)
                *day = 0;
        }
    } else if (r == SQLITE_DONE)
        rc = PS_ERR_NOT_FOUND;
    else
        rc = st_dberr(s, "read attachment");
    sqlite3_finalize(st);
    return rc;
}
