/* Goals and Goal Attainment Scaling (Kiresuk & Sherman). The therapist writes
 * the value that defines each level: -2 (much less than expected), -1, 0 (the
 * expected outcome), +1, +2 (much more). The levels must be strictly monotone;
 * a value reaches level k when it is at or beyond level k's value in the
 * levels' own direction, and sits at -2 when it reaches none. For metrics with
 * a good direction the levels must run that way. */
#include "penscope.h"
#include "core/status.h"
#include <math.h>

double ps_goal_distance(const ps_goal *g, double value)
{
    if (!g || !isfinite(value))
        return NAN;
    if (value < g->low)
        return g->low - value;
    if (value > g->high)
        return value - g->high;
    return 0;
}

/* +1 increasing, -1 decreasing, 0 not strictly monotone */
static int gas_orientation(const double gas[5])
{
    int up = 1, down = 1;
    for (int k = 1; k < 5; k++) {
        up &= gas[k] > gas[k - 1];
        down &= gas[k] < gas[k - 1];
    }
    return up ? 1 : down ? -1 : 0;
}

ps_status ps_goal_check(const ps_goal *g, ps_metric_good good)
{
    if (!g)
        return ps_fail(PS_ERR_INVALID_ARG, "no goal");
    if (!isfinite(g->low) || !isfinite(g->high) || g->low > g->high)
        return ps_fail(PS_ERR_INVALID_ARG, "a goal needs a target value or a band low <= high");
    if (g->has_gas) {
        for (int k = 0; k < 5; k++)
            if (!isfinite(g->gas[k]))
                return ps_fail(PS_ERR_INVALID_ARG, "GAS levels need five numbers for -2, -1, 0, +1, +2");
        int o = gas_orientation(g->gas);
        if (!o)
            return ps_fail(PS_ERR_INVALID_ARG, "GAS levels must rise or fall steadily from -2 to +2");
        if ((good == PS_GOOD_UP && o < 0) || (good == PS_GOOD_DOWN && o > 0))
            return ps_fail(PS_ERR_INVALID_ARG, "GAS levels of '%s' must %s from -2 to +2 (better is %s)", g->metric,
                           good == PS_GOOD_UP ? "rise" : "fall", good == PS_GOOD_UP ? "higher" : "lower");
    }
    return PS_OK;
}

int ps_goal_gas_level(const ps_goal *g, ps_metric_good good, double value)
{
    (void)good; /* ps_goal_check already tied the levels' direction to it */
    if (!g || !g->has_gas || !isfinite(value))
        return PS_GAS_NONE;
    int o = gas_orientation(g->gas);
    if (!o)
        return PS_GAS_NONE;
    int level = -2;
    for (int k = 0; k < 5; k++)
        if (o > 0 ? value >= g->gas[k] : value <= g->gas[k])
            level = k - 2;
    return level;
}
