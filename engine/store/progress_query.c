/* A child's progress per metric, gathered from the store: the series, the
 * pooled variability over all children, the goal and its GAS level, and for
 * category metrics the first and latest values. Shared by `progress` and
 * `report` so both say the same thing. */
#include "store/store_internal.h"
#include "core/alloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ps_metric_progress_free(ps_metric_progress *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++)
        ps_free(m[i].obs);
    ps_free(m);
}

static size_t registry_rank(const char *name)
{
    const ps_metric_info *mi;
    for (size_t i = 0; (mi = ps_metric_at(i)); i++)
        if (!strcmp(mi->name, name))
            return i;
    return (size_t)-1;
}

static int by_registry(const void *a, const void *b)
{
    const ps_metric_progress *x = a, *y = b;
    size_t rx = registry_rank(x->metric), ry = registry_rank(y->metric);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x->metric, y->metric);
}

static ps_status first_text(ps_store_t *s, int64_t child_id, const char *metric, int32_t from, char *buf, size_t cap,
                            int32_t *day)
{
    char date[16];
    ps_date_format(from, date);
    sqlite3_stmt *st;
    ps_status rc = st_prepare(s,
                              "SELECT m.text, se.date FROM measurements m JOIN sessions se ON se.id = m.session_id"
                              " WHERE se.child_id=?1 AND m.metric=?2 AND m.text IS NOT NULL AND se.date >= ?3"
                              " ORDER BY se.date, se.id LIMIT 1",
                              &st);
    if (rc != PS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, child_id);
    st_bind_text(st, 2, metric);
    st_bind_text(st, 3, from ? date : "0000");
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        st_copy_text(st, 0, buf, cap);
        const unsigned char *d = sqlite3_column_text(st, 1);
        if (!d || ps_date_parse((const char *)d, day) != PS_OK)
            *day = 0;
    } else if (r == SQLITE_DONE)
        rc = PS_ERR_NOT_FOUND;
    else
        rc = st_dberr(s, "first value");
    sqlite3_finalize(st);
    return rc;
}

static ps_status fill(ps_store_t *s, int64_t child_id, int32_t baseline_day, ps_metric_progress *m)
{
    m->info = ps_metric_find(m->metric);
    m->gas_level = PS_GAS_NONE;
    m->goal_distance = NAN;
    ps_status rc = ps_store_series(s, child_id, m->metric, &m->obs, &m->n);
    if (rc != PS_OK)
        return rc;
    if (m->info && m->info->type != PS_METRIC_NUMBER)
        m->n = 0; /* bools are stored as 0/1 too, but read as yes/no, not a trend */
    size_t skip = 0;
    while (skip < m->n && m->obs[skip].day < baseline_day)
        skip++;
    if (skip) {
        memmove(m->obs, m->obs + skip, (m->n - skip) * sizeof *m->obs);
        m->n -= skip;
    }
    rc = ps_store_goal_get(s, child_id, m->metric, &m->goal);
    if (rc == PS_OK)
        m->has_goal = 1;
    else if (rc != PS_ERR_NOT_FOUND)
        return rc;
    if (m->n > 0) {
        ps_variability pooled;
        if ((rc = ps_store_variability(s, m->metric, &pooled)) != PS_OK)
            return rc;
        ps_metric_good good = m->info ? m->info->good : PS_GOOD_NONE;
        if ((rc = ps_progress_compute(m->obs, m->n, good, &pooled, m->has_goal ? &m->goal : NULL, &m->p)) != PS_OK)
            return ps_errbuf_take(&s->err, rc);
        if (m->has_goal) {
            m->goal_distance = ps_goal_distance(&m->goal, m->p.latest);
            m->gas_level = ps_goal_gas_level(&m->goal, good, m->p.latest);
        }
    }
    rc = ps_store_latest_text(s, child_id, m->metric, m->latest_text, sizeof m->latest_text, &m->latest_text_day);
    if (rc == PS_OK)
        rc = first_text(s, child_id, m->metric, baseline_day, m->first_text, sizeof m->first_text,
                        &m->first_text_day);
    return rc == PS_ERR_NOT_FOUND ? PS_OK : rc;
}

ps_status ps_store_child_progress(ps_store_t *s, int64_t child_id, const char *metric_filter, int32_t baseline_day,
                                  ps_metric_progress **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char (*names)[64] = NULL;
    size_t nn = 0;
    ps_status rc = ps_store_metric_names(s, child_id, &names, &nn);
    if (rc != PS_OK)
        return rc;
    ps_metric_progress *m = ps_calloc(nn ? nn : 1, sizeof *m);
    if (!m) {
        ps_free(names);
        return ps_errbuf_fail(&s->err, PS_ERR_NOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < nn && rc == PS_OK; i++) {
        if (metric_filter && strcmp(metric_filter, names[i]))
            continue;
        memcpy(m[k].metric, names[i], sizeof m[k].metric);
        rc = fill(s, child_id, baseline_day, &m[k]);
        k++;
    }
    ps_free(names);
    if (rc != PS_OK) {
        ps_metric_progress_free(m, k);
        return rc;
    }
    if (k > 1)
        qsort(m, k, sizeof *m, by_registry);
    *out = m;
    *n = k;
    return PS_OK;
}
