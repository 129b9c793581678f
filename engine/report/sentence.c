/* Plain-language sentences for families and teachers: what changed, whether
 * the change is bigger than measurement noise, and where the goal stands. No
 * jargon beyond "reliable", which the methods paragraph explains. */
#include "report/report_internal.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char rp_methods_text[] =
    "How to read this report. Each measurement is compared with the child's own first session (the "
    "baseline). A change is called reliable when it is larger than the usual session-to-session "
    "variation of that measurement could explain (reliable change index above 1.96); smaller changes "
    "may be measurement noise. Shaded bands are the therapist's goals. No published norms are used "
    "for these measurements, so the child is compared only with his or her own earlier sessions.";

const char rp_chart_key_text[] =
    "Chart key: dashed line = baseline; shaded band = goal; filled green dot = reliably better than the "
    "baseline, red = reliably worse, blue = reliably different (no better or worse way); hollow dot = within "
    "the usual variation.";

void rp_value(double v, const char *unit, char *buf, size_t cap)
{
    if (!isfinite(v)) {
        snprintf(buf, cap, "not measured");
        return;
    }
    if (!unit || !*unit || !strcmp(unit, "count") || !strcmp(unit, "ratio") || !strcmp(unit, "0-1"))
        snprintf(buf, cap, "%.3g", v);
    else if (!strcmp(unit, "%"))
        snprintf(buf, cap, "%.3g%%", v);
    else if (!strcmp(unit, "0-100"))
        snprintf(buf, cap, "%.3g out of 100", v);
    else
        snprintf(buf, cap, "%.3g %s", v, unit);
}

static void label(const ps_metric_progress *m, char *buf, size_t cap, int capital)
{
    snprintf(buf, cap, "%s", m->info ? m->info->label : m->metric);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (capital && buf[0])
        buf[0] = (char)toupper((unsigned char)buf[0]);
}

void rp_title(const ps_metric_progress *m, char *buf, size_t cap)
{
    char l[96];
    label(m, l, sizeof l, 1);
    const char *unit = m->info ? m->info->unit : "";
    if (unit[0] && strcmp(unit, "count"))
        snprintf(buf, cap, "%s (%s)", l, unit);
    else
        snprintf(buf, cap, "%s", l);
}

static void words(const char *s, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", !strcmp(s, "true") ? "yes" : !strcmp(s, "false") ? "no" : s);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
}

int rp_has_content(const ps_metric_progress *m)
{
    return m->n > 0 || m->latest_text[0];
}

int rp_reliable_mark(const ps_metric_progress *m, double v)
{
    const ps_progress *p = &m->p;
    if (!m->n || !isfinite(p->sem))
        return 0;
    double d = v - p->baseline;
    double lim = 1.96 * sqrt(2.0) * p->sem;
    if (!(fabs(d) > lim) || d == 0)
        return 0;
    ps_metric_good good = m->info ? m->info->good : PS_GOOD_NONE;
    if (good == PS_GOOD_UP)
        return d > 0 ? 1 : -1;
    if (good == PS_GOOD_DOWN)
        return d < 0 ? 1 : -1;
    if (good == PS_GOOD_BAND && m->has_goal) {
        double d0 = ps_goal_distance(&m->goal, p->baseline), d1 = ps_goal_distance(&m->goal, v);
        return d1 < d0 ? 1 : d1 > d0 ? -1 : 2;
    }
    return 2;
}

/* 1 primitive, 2 transitional, 3 mature; 0 for anything else (atypical) */
static int maturity_rank(const char *metric, const char *v)
{
    if (strcmp(metric, "grasp_maturity"))
        return 0;
    return !strcmp(v, "primitive") ? 1 : !strcmp(v, "transitional") ? 2 : !strcmp(v, "mature") ? 3 : 0;
}

void ps_report_sentence(const ps_metric_progress *m, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    buf[0] = 0;
    if (!m)
        return;
    char l[96], a[64], b[64], date[16];
    label(m, l, sizeof l, 1);
    const char *unit = m->info ? m->info->unit : "";
    size_t n = 0;
#define ADD(...)                                                                                                      \
    do {                                                                                                              \
        if (n < cap) {                                                                                                \
            int k_ = snprintf(buf + n, cap - n, __VA_ARGS__);                                                        \
            n += k_ > 0 ? (size_t)k_ : 0;                                                                             \
        }                                                                                                             \
    } while (0)
    if (m->n == 0) {
        if (!m->latest_text[0]) {
            ADD("%s could not be measured in the sessions so far.", l);
            return;
        }
        words(m->first_text, a, sizeof a);
        words(m->latest_text, b, sizeof b);
        /* grasp maturity has a developmental order (Schneck & Henderson 1990,
         * reference/grip-taxonomy.md): primitive, transitional, mature */
        int r0 = maturity_rank(m->metric, m->first_text), r1 = maturity_rank(m->metric, m->latest_text);
        if (strcmp(m->first_text, m->latest_text) && m->first_text[0] && r0 && r1)
            ADD("%s changed from %s to %s, a step %s in the developmental order (primitive, transitional, "
                "mature).",
                l, a, b, r1 > r0 ? "forward" : "back");
        else if (strcmp(m->first_text, m->latest_text) && m->first_text[0])
            ADD("%s changed from %s to %s.", l, a, b);
        else {
            ps_date_format(m->latest_text_day, date);
            ADD("%s: %s (latest session, %s).", l, b, date);
        }
        return;
    }
    const ps_progress *p = &m->p;
    rp_value(p->baseline, unit, a, sizeof a);
    rp_value(p->latest, unit, b, sizeof b);
    if (m->n == 1) {
        ps_date_format(p->baseline_day, date);
        ADD("%s was %s on %s (one session so far).", l, a, date);
    } else {
        if (p->change == 0)
            ADD("%s stayed at %s", l, b);
        else
            ADD("%s moved from %s to %s", l, a, b);
        switch (p->direction) {
        case PS_DIR_IMPROVED: ADD(", a reliable improvement."); break;
        case PS_DIR_WORSE: ADD(", a reliable change for the worse."); break;
        case PS_DIR_CHANGED: ADD(", a reliable change."); break;
        case PS_DIR_NO_CHANGE:
            ADD(p->change == 0 ? "." : ", within the usual session-to-session variation (not a reliable change).");
            break;
        default: ADD("; there are too few sessions yet to tell a real change from measurement noise."); break;
        }
    }
    if (m->has_goal) {
        char lo[64], hi[64];
        rp_value(m->goal.low, unit, lo, sizeof lo);
        rp_value(m->goal.high, unit, hi, sizeof hi);
        if (m->goal.low == m->goal.high)
            ADD(" The goal is %s", lo);
        else
            ADD(" The goal is %s to %s", lo, hi);
        if (m->goal.due_day) {
            ps_date_format(m->goal.due_day, date);
            ADD(" by %s", date);
        }
        if (m->goal_distance == 0)
            ADD(": reached.");
        else if (isfinite(m->goal_distance)) {
            rp_value(m->goal_distance, unit, a, sizeof a);
            ADD(": %s to go.", a);
        } else
            ADD(".");
        if (m->gas_level != PS_GAS_NONE)
            ADD(m->gas_level ? " Goal attainment level %+d (from -2 to +2, 0 = as expected)."
                             : " Goal attainment level %d (from -2 to +2, 0 = as expected).",
                m->gas_level);
    }
#undef ADD
}

void rp_subtitle(const ps_report_input *in, char *buf, size_t cap)
{
    size_t n = 0;
    char d1[16], d2[16];
    int32_t first = 0, last = 0;
    size_t sessions = 0;
    for (size_t i = 0; i < in->n; i++) {
        const ps_metric_progress *m = &in->metrics[i];
        if (m->n && (!first || m->obs[0].day < first))
            first = m->obs[0].day;
        if (m->n && m->obs[m->n - 1].day > last)
            last = m->obs[m->n - 1].day;
        if (m->n > sessions)
            sessions = m->n;
    }
    const ps_child *c = in->child;
    if (c && c->birth_year)
        n += (size_t)snprintf(buf + n, cap - n, "Born %d, ", c->birth_year);
    if (c && c->grade[0] && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%srade %s, ", n ? "g" : "G", c->grade);
    if (c && c->hand[0] && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%srites with the %s hand, ", n ? "w" : "W", c->hand);
    if (n < cap) {
        if (first) {
            ps_date_format(first, d1);
            ps_date_format(last, d2);
            snprintf(buf + n, cap - n, "%sessions from %s to %s", n ? "s" : "S", d1, d2);
        } else
            snprintf(buf + n, cap - n, "%so measured sessions yet", n ? "n" : "N");
    }
}
