/* Goals: a therapist's target band and date for one metric of one child, with
 * optional Goal Attainment Scaling levels (-2..+2). One goal per metric. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <math.h>
#include <string.h>

ps_status ps_store_goal_set(ps_store_t *s, int64_t child_id, const ps_goal *g)
{
    const ps_metric_info *mi = ps_metric_find(g->metric);
    ps_status rc = ps_goal_check(g, mi ? mi->good : PS_GOOD_NONE);
    if (rc != PS_OK)
        return ps_errbuf_take(&s->err, rc);
    if ((rc = st_check_len(s, "a goal note", g->note, sizeof g->note)) != PS_OK)
        return rc;
    sqlite3_stmt *st;
    if ((rc = st_prepare(s,
                         "INSERT OR REPLACE INTO goals(child_id, metric, low, high, due, gas_m2, gas_m1, gas_0, gas_p1,"
                         " gas_p2, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                         &st)) != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, g->metric);
    sqlite3_bind_double(st, 3, g->low);
    sqlite3_bind_double(st, 4, g->high);
    char due[16];
    if (g->due_day) {
        ps_date_format(g->due_day, due);
        st_bind_text(st, 5, due);
    } else
        sqlite3_bind_null(st, 5);
    for (int k = 0; k < 5; k++) {
        if (g->has_gas)
            sqlite3_bind_double(st, 6 + k, g->gas[k]);
        else
            sqlite3_bind_null(st, 6 + k);
    }
    st_bind_text(st, 11, g->note[0] ? g->note : NULL);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "set goal");
    sqlite3_finalize(st);
    return rc;
}

#define GOAL_COLS "SELECT metric, low, high, due, gas_m2, gas_m1, gas_0, gas_p1, gas_p2, note FROM goals"

static ps_status read_goal(ps_store_t *s, sqlite3_stmt *st, ps_goal *g)
{
    memset(g, 0, sizeof *g);
    st_copy_text(st, 0, g->metric, sizeof g->metric);
    g->low = sqlite3_column_double(st, 1);
    g->high = sqlite3_column_double(st, 2);
    const unsigned char *due = sqlite3_column_text(st, 3);
    if (due && ps_date_parse((const char *)due, &g->due_day) != PS_OK)
        return ps_errbuf_fail(&s->err, PS_ERR_CORRUPT, "goal for '%s' has a bad date", g->metric);
    g->has_gas = sqlite3_column_type(st, 4) != SQLITE_NULL;
    for (int k = 0; k < 5; k++)
        g->gas[k] = g->has_gas ? sqlite3_column_double(st, 4 + k) : NAN;
    st_copy_text(st, 9, g->note, sizeof g->note);
    return PS_OK;
}

ps_status ps_store_goal_get(ps_store_t *s, int64_t child_id, const char *metric, ps_goal *out)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, GOAL_COLS " WHERE child_id=?1 AND metric=?2", &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, metric);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = read_goal(s, st, out);
    else if (r == SQLITE_DONE)
        rc = PS_ERR_NOT_FOUND;
    else
        rc = st_dberr(s, "read goal");
    sqlite3_finalize(st);
    return rc;
}

ps_status ps_store_goal_delete(ps_store_t *s, int64_t child_id, const char *metric)
{
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, "DELETE FROM goals WHERE child_id=?1 AND metric=?2", &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, metric);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = st_dberr(s, "delete goal");
    else if (sqlite3_changes(s->db) == 0)
        rc = ps_errbuf_fail(&s->err, PS_ERR_NOT_FOUND, "no goal for '%s'", metric);
    sqlite3_finalize(st);
    return rc;
}

static ps_status read_goal_row(ps_store_t *s, sqlite3_stmt *st, void *elem)
{
    return read_goal(s, st, elem);
}

ps_status ps_store_goal_list(ps_store_t *s, int64_t child_id, ps_goal **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s, GOAL_COLS " WHERE child_id=?1 ORDER BY metric", &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    rc = st_collect_rows(s, st, (void **)out, n, sizeof **out, read_goal_row, "listing goals", "list goals");
    sqlite3_finalize(st);
    return rc;
}
