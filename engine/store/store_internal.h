/* Private pieces shared by the store's files: the handle and helpers that
 * prepare a statement, copy SQLite's message into the handle and finalize. */
#ifndef PS_STORE_INTERNAL_H
#define PS_STORE_INTERNAL_H
#include "penscope.h"
#include "core/status.h"
#include <sqlite3.h>

struct ps_store {
    sqlite3 *db;
    int schema_version;
    ps_errbuf err;
};

/* Prepares sql (a constant); on failure sets the handle's message. */
ps_status st_prepare(ps_store_t *s, const char *sql, sqlite3_stmt **out);
/* Runs a constant statement to its end, passing over any rows it returns
 * (some PRAGMAs report a result); a failure is recorded under ctx. */
ps_status st_exec(ps_store_t *s, const char *sql, const char *ctx);
/* Records sqlite's current message under a short context and returns PS_ERR_DB. */
ps_status st_dberr(ps_store_t *s, const char *ctx);
/* Binds text, or NULL for an empty/NULL string when empty_is_null. */
int st_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copies column text into a fixed buffer ("" for NULL); false if it did not fit. */
void st_copy_text(sqlite3_stmt *st, int col, char *dst, size_t cap);
/* Fails when a string does not fit a field of cap bytes. */
ps_status st_check_len(ps_store_t *s, const char *what, const char *v, size_t cap);

/* Makes room for one more element in a ps_malloc'd array; false when out of memory. */
int st_grow(void **arr, size_t *cap, size_t n, size_t elem);
/* Fills one element of a list from the current row of st. */
typedef ps_status (*st_row_reader)(ps_store_t *s, sqlite3_stmt *st, void *elem);
/* Steps st to its end, one element of elem bytes per row read by read_row, into
 * a ps_malloc'd *out of *n (both empty on entry). Out of memory fails with
 * "out of memory <listing>", a database error under ctx; on any failure *out
 * is freed and emptied. The caller still finalizes st. */
ps_status st_collect_rows(ps_store_t *s, sqlite3_stmt *st, void **out, size_t *n, size_t elem,
                          st_row_reader read_row, const char *listing, const char *ctx);

/* Schema migrations (migrate.c): brings the database to the current version. */
ps_status st_migrate(ps_store_t *s);

#endif
