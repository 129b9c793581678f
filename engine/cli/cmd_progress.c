/* penscope progress: a child's progress per metric (METRICS.md §4): baseline,
 * latest, change, slope per week, the reliable change index with its SEM, the
 * verdict by the metric's good direction, and the distance to the goal with
 * its Goal Attainment Scaling level. As a table, JSON Lines or CSV. */
#include "cli/cli.h"
#include "core/alloc.h"
#include <math.h>
#include <string.h>

static const char usage[] =
    "usage: penscope progress --child ID [--metric M] [--baseline DATE] [--json | --csv]\n"
    "\n"
    "For each metric recorded for the child: baseline (first session, or the\n"
    "first on or after --baseline), latest, change, slope per week (least\n"
    "squares), rci = change / (sqrt(2) * SEM) and whether the change is reliable\n"
    "(|rci| > 1.96), judged improved or worse by the metric's good direction.\n"
    "SEM comes from the session-to-session variability: SD of successive\n"
    "differences / sqrt(2), from the child's own sessions when there are five or\n"
    "more, else pooled over every child in the store; 'unknown' when neither has\n"
    "enough sessions. Days with several sessions count once (their mean).\n"
    "\n"
    "  --child ID       the child\n"
    "  --metric M       only this metric\n"
    "  --baseline DATE  start from this date\n"
    "  --json           JSON Lines, one object per metric\n"
    "  --csv            CSV with a header row\n"
    "  --db PATH        the database (see 'penscope child --help')\n";

static const char *sem_source_str(ps_sem_source s)
{
    return s == PS_SEM_CHILD ? "child" : s == PS_SEM_POOLED ? "pooled" : NULL;
}

static void day_str(int32_t day, char *buf)
{
    if (day)
        ps_date_format(day, buf);
    else
        buf[0] = 0;
}

static void json_line(const ps_metric_progress *m)
{
    ps_buf b;
    ps_json j;
    char d[16];
    ps_buf_init(&b);
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_json_kstr(&j, "metric", m->metric);
    ps_json_kstr(&j, "unit", m->info ? m->info->unit : NULL);
    ps_json_kint(&j, "sessions", (int64_t)m->n);
    if (m->n) {
        const ps_progress *p = &m->p;
        day_str(p->baseline_day, d);
        ps_json_kstr(&j, "baseline_date", d);
        ps_json_knum(&j, "baseline", p->baseline);
        day_str(p->latest_day, d);
        ps_json_kstr(&j, "latest_date", d);
        ps_json_knum(&j, "latest", p->latest);
        ps_json_knum(&j, "change", p->change);
        ps_json_knum(&j, "slope_per_week", p->slope_per_week);
        ps_json_knum(&j, "sem", p->sem);
        ps_json_kstr(&j, "sem_source", sem_source_str(p->sem_source));
        ps_json_knum(&j, "rci", p->rci);
        if (isfinite(p->sem))
            ps_json_kbool(&j, "reliable", p->reliable);
        else
            ps_json_knull(&j, "reliable");
        ps_json_kstr(&j, "direction", ps_direction_str(p->direction));
    }
    if (m->latest_text[0]) {
        ps_json_kstr(&j, "first_value", m->first_text);
        ps_json_kstr(&j, "latest_value", m->latest_text);
    }
    ps_json_key(&j, "goal");
    if (m->has_goal) {
        ps_json_obj_begin(&j);
        ps_json_knum(&j, "low", m->goal.low);
        ps_json_knum(&j, "high", m->goal.high);
        day_str(m->goal.due_day, d);
        ps_json_kstr(&j, "due", m->goal.due_day ? d : NULL);
        ps_json_knum(&j, "distance", m->goal_distance);
        if (m->gas_level != PS_GAS_NONE)
            ps_json_kint(&j, "gas_level", m->gas_level);
        else
            ps_json_knull(&j, "gas_level");
        ps_json_obj_end(&j);
    } else
        ps_json_null(&j);
    ps_json_obj_end(&j);
    ps_buf_putc(&b, '\n');
    ps_buf_flush(&b, stdout);
    ps_buf_release(&b);
}

static void csv_num(double v)
{
    if (isfinite(v))
        printf(",%.10g", v);
    else
        printf(",");
}

/* CSV fields are metric names, units, dates, numbers and the fixed category
 * names of METRICS.md: none holds a comma or a quote, but quote anyway. */
static void csv_str(const char *s, int first)
{
    if (!first)
        putchar(',');
    if (!s || !*s)
        return;
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_line(const ps_metric_progress *m)
{
    char d[16] = "";
    csv_str(m->metric, 1);
    csv_str(m->info ? m->info->unit : "", 0);
    printf(",%zu", m->n);
    const ps_progress *p = &m->p;
    day_str(m->n ? p->baseline_day : 0, d);
    csv_str(d, 0);
    csv_num(m->n ? p->baseline : NAN);
    day_str(m->n ? p->latest_day : 0, d);
    csv_str(d, 0);
    csv_num(m->n ? p->latest : NAN);
    csv_num(m->n ? p->change : NAN);
    csv_num(m->n ? p->slope_per_week : NAN);
    csv_num(m->n ? p->sem : NAN);
    csv_str(m->n ? sem_source_str(p->sem_source) : NULL, 0);
    csv_num(m->n ? p->rci : NAN);
    csv_str(m->n && isfinite(p->sem) ? (p->reliable ? "true" : "false") : NULL, 0);
    csv_str(m->n ? ps_direction_str(p->direction) : NULL, 0);
    csv_str(m->first_text, 0);
    csv_str(m->latest_text, 0);
    csv_num(m->has_goal ? m->goal.low : NAN);
    csv_num(m->has_goal ? m->goal.high : NAN);
    day_str(m->has_goal ? m->goal.due_day : 0, d);
    csv_str(d, 0);
    csv_num(m->goal_distance);
    if (m->gas_level != PS_GAS_NONE)
        printf(",%d", m->gas_level);
    else
        printf(",");
    printf("\n");
}

static void fmt(char *buf, size_t cap, double v)
{
    if (isfinite(v))
        snprintf(buf, cap, "%.3g", v);
    else
        snprintf(buf, cap, "-");
}

static void table_line(const ps_metric_progress *m)
{
    if (!m->n) {
        if (m->latest_text[0])
            printf("%-24s %-8s %s -> %s\n", m->metric, "", m->first_text, m->latest_text);
        return;
    }
    const ps_progress *p = &m->p;
    char base[16], last[16], chg[16], slope[16], rci[16], goal[64] = "", gas[8] = "";
    fmt(base, sizeof base, p->baseline);
    fmt(last, sizeof last, p->latest);
    fmt(chg, sizeof chg, p->change);
    fmt(slope, sizeof slope, p->slope_per_week);
    fmt(rci, sizeof rci, p->rci);
    if (m->has_goal) {
        char lo[16], hi[16], dist[16];
        fmt(lo, sizeof lo, m->goal.low);
        fmt(hi, sizeof hi, m->goal.high);
        fmt(dist, sizeof dist, m->goal_distance);
        if (m->goal.low == m->goal.high)
            snprintf(goal, sizeof goal, "%s (%s away)", lo, dist);
        else
            snprintf(goal, sizeof goal, "%s..%s (%s away)", lo, hi, dist);
        if (m->gas_level != PS_GAS_NONE)
            snprintf(gas, sizeof gas, m->gas_level ? "%+d" : "%d", m->gas_level);
    }
    printf("%-24s %-8.8s %4zu %8s %8s %8s %8s %7s%s %-19s %-22s %s\n", m->metric, m->info ? m->info->unit : "",
           m->n, base, last, chg, slope, rci, p->sem_source == PS_SEM_POOLED ? "p" : " ",
           ps_direction_str(p->direction), goal, gas);
}

int cmd_progress(int argc, char **argv)
{
    const char *db = NULL, *child = NULL, *metric = NULL, *baseline = NULL, *v;
    int json, csv;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "metric", 1, &metric) < 0 || cli_take(&argc, argv, "baseline", 1, &baseline) < 0 ||
        (json = cli_take(&argc, argv, "json", 0, &v)) < 0 || (csv = cli_take(&argc, argv, "csv", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    if (argc != 1 || !child || (json && csv)) {
        cli_error("progress takes --child ID and no files; --json or --csv, not both\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    int32_t base_day = 0;
    if (baseline && ps_date_parse(baseline, &base_day) != PS_OK) {
        cli_error("%s", ps_last_error());
        return CLI_EXIT_USAGE;
    }
    ps_store_t *s = cli_store_open(db, 0);
    if (!s)
        return CLI_EXIT_FAILED;
    ps_child c;
    ps_metric_progress *m = NULL;
    size_t n = 0;
    if (ps_store_child_get(s, child, &c) != PS_OK ||
        ps_store_child_progress(s, c.id, metric, base_day, &m, &n) != PS_OK) {
        cli_error("%s", ps_store_errmsg(s));
        ps_store_close(s);
        return CLI_EXIT_FAILED;
    }
    ps_store_close(s);
    if (metric && n == 0) {
        cli_error("no '%s' recorded for %s", metric, child);
        ps_metric_progress_free(m, n);
        return CLI_EXIT_FAILED;
    }
    if (csv)
        printf("metric,unit,sessions,baseline_date,baseline,latest_date,latest,change,slope_per_week,sem,"
               "sem_source,rci,reliable,direction,first_value,latest_value,goal_low,goal_high,goal_due,"
               "goal_distance,gas_level\n");
    else if (!json)
        printf("%-24s %-8s %4s %8s %8s %8s %8s %8s %-19s %-22s %s\n", "metric", "unit", "n", "baseline", "latest",
               "change", "per week", "rci", "verdict", "goal", "GAS");
    int pooled = 0;
    for (size_t i = 0; i < n; i++) {
        if (json)
            json_line(&m[i]);
        else if (csv)
            csv_line(&m[i]);
        else
            table_line(&m[i]);
        pooled |= m[i].n && m[i].p.sem_source == PS_SEM_POOLED;
    }
    if (!json && !csv && pooled)
        printf("(p: SEM pooled over all children; this child has too few sessions of its own)\n");
    if (!json && !csv && n == 0)
        printf("nothing recorded for %s yet: penscope record --child %s FILE...\n", child, child);
    ps_metric_progress_free(m, n);
    return CLI_EXIT_OK;
}
