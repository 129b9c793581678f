/* Progress statistics of METRICS.md §4 for one child and metric.
 *
 * SEM method: the standard error of measurement comes from the measured
 * session-to-session variability. For a child whose true level changes
 * smoothly, successive differences d_i = y_{i+1} - y_i carry the drift (their
 * mean) plus two independent measurement errors each, so Var(d) = 2 SEM^2 and
 * SEM = SD(d) / sqrt(2), with SD taken about the mean difference (removing a
 * linear trend). With fewer than PS_SEM_MIN_DF degrees of freedom in the
 * child's own series, the SD is pooled over every child in the store (sum of
 * squares over the sum of degrees of freedom); with fewer still, reliability
 * is unknown rather than guessed.
 *
 * rci = change / (sqrt(2) * SEM) (Jacobson & Truax), reliable when |rci| >
 * 1.96. Slope: ordinary least squares of value on time in weeks. */
#include "penscope.h"
#include "core/status.h"
#include <math.h>

const char *ps_direction_str(ps_direction d)
{
    switch (d) {
    case PS_DIR_NO_CHANGE: return "no reliable change";
    case PS_DIR_IMPROVED: return "improved";
    case PS_DIR_WORSE: return "worse";
    case PS_DIR_CHANGED: return "reliable change";
    default: return "unknown";
    }
}

void ps_variability_add(ps_variability *v, const ps_obs *obs, size_t n)
{
    if (n < 3)
        return; /* two differences at least, for one degree of freedom */
    double mean = 0;
    for (size_t i = 1; i < n; i++)
        mean += obs[i].value - obs[i - 1].value;
    mean /= (double)(n - 1);
    double ss = 0;
    for (size_t i = 1; i < n; i++) {
        double e = obs[i].value - obs[i - 1].value - mean;
        ss += e * e;
    }
    v->ss += ss;
    v->df += (int)(n - 2);
}

static double ols_slope_per_week(const ps_obs *obs, size_t n)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += (obs[i].day - obs[0].day) / 7.0;
        my += obs[i].value;
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = (obs[i].day - obs[0].day) / 7.0 - mx;
        sxx += dx * dx;
        sxy += dx * (obs[i].value - my);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

ps_status ps_progress_compute(const ps_obs *obs, size_t n, ps_metric_good good, const ps_variability *pooled,
                              const ps_goal *goal, ps_progress *out)
{
    *out = (ps_progress){0};
    out->baseline = out->latest = out->change = out->slope_per_week = out->sem = out->rci = NAN;
    if (!obs || n == 0)
        return ps_fail(PS_ERR_INVALID_ARG, "no sessions to compute progress from");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(obs[i].value))
            return ps_fail(PS_ERR_INVALID_ARG, "session %zu has no value", i);
        if (i && obs[i].day <= obs[i - 1].day)
            return ps_fail(PS_ERR_INVALID_ARG, "sessions must be sorted by day, one per day");
    }
    out->sessions = n;
    out->baseline_day = obs[0].day;
    out->latest_day = obs[n - 1].day;
    out->baseline = obs[0].value;
    out->latest = obs[n - 1].value;
    out->change = out->latest - out->baseline;
    if (n >= 2)
        out->slope_per_week = ols_slope_per_week(obs, n);

    ps_variability own = {0, 0};
    ps_variability_add(&own, obs, n);
    if (own.df >= PS_SEM_MIN_DF) {
        out->sem = sqrt(own.ss / own.df) / sqrt(2.0);
        out->sem_source = PS_SEM_CHILD;
    } else if (pooled && pooled->df >= PS_SEM_MIN_DF) {
        out->sem = sqrt(pooled->ss / pooled->df) / sqrt(2.0);
        out->sem_source = PS_SEM_POOLED;
    }
    if (n < 2 || !isfinite(out->sem)) {
        out->direction = PS_DIR_UNKNOWN;
        return PS_OK;
    }
    if (out->sem > 0)
        out->rci = out->change / (sqrt(2.0) * out->sem);
    else /* perfectly repeatable so far: any change at all is beyond noise */
        out->rci = out->change == 0 ? 0 : copysign(INFINITY, out->change);
    out->reliable = fabs(out->rci) > 1.96;
    if (!out->reliable) {
        out->direction = PS_DIR_NO_CHANGE;
        return PS_OK;
    }
    switch (good) {
    case PS_GOOD_UP: out->direction = out->change > 0 ? PS_DIR_IMPROVED : PS_DIR_WORSE; break;
    case PS_GOOD_DOWN: out->direction = out->change < 0 ? PS_DIR_IMPROVED : PS_DIR_WORSE; break;
    case PS_GOOD_BAND:
        if (goal) {
            double d0 = ps_goal_distance(goal, out->baseline), d1 = ps_goal_distance(goal, out->latest);
            out->direction = d1 < d0 ? PS_DIR_IMPROVED : d1 > d0 ? PS_DIR_WORSE : PS_DIR_CHANGED;
        } else
            out->direction = PS_DIR_CHANGED;
        break;
    default: out->direction = PS_DIR_CHANGED;
    }
    return PS_OK;
}
