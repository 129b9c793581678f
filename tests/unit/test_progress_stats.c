/* Progress statistics on constructed series with hand-computed answers, dates,
 * goals and Goal Attainment Scaling, and the metric registry. */
#include "testutil.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define assert_near(a, b, tol) near_impl((a), (b), (tol), #a, __FILE__, __LINE__)
static void near_impl(double a, double b, double tol, const char *what, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, a, b, tol);
        _fail(file, line);
    }
}

static void test_dates(void **st)
{
    (void)st;
    int32_t d;
    assert_int_equal(ps_date_parse("1970-01-01", &d), PS_OK);
    assert_int_equal(d, 0);
    assert_int_equal(ps_date_parse("2000-03-01", &d), PS_OK);
    assert_int_equal(d, 11017); /* 30 years incl. 7 leap days + Jan + Feb 2000 (29) */
    assert_int_equal(ps_date_parse("2024-02-29", &d), PS_OK);
    char buf[16];
    ps_date_format(d, buf);
    assert_string_equal(buf, "2024-02-29");
    for (int32_t x = -20000; x < 60000; x += 37) { /* round trip across centuries */
        ps_date_format(x, buf);
        int32_t back;
        assert_int_equal(ps_date_parse(buf, &back), PS_OK);
        assert_int_equal(back, x);
    }
    const char *bad[] = {"2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "26-01-01",
                         "2026/01/01", "2026-01-32", "", "1899-12-31", "2026-01-01x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ps_date_parse(bad[i], &d), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_date_parse("2000-02-29", &d), PS_OK);
}

/* Weekly sessions 4, 6, 9, 10, 14 (days 0, 7, 14, 21, 28).
 * change = 10. Slope: x = 0..4 weeks, mean x 2, mean y 8.6;
 * sxy = (-2)(-4.6)+(-1)(-2.6)+0+(1)(1.4)+(2)(5.4) = 9.2+2.6+1.4+10.8 = 24,
 * sxx = 10 -> 2.4 per week.
 * Differences 2, 3, 1, 4: mean 2.5, deviations -.5 .5 -1.5 1.5, ss = 5,
 * df = 3, SD = sqrt(5/3), SEM = SD/sqrt(2) = 0.912870929;
 * rci = 10 / (sqrt(2) * 0.912870929) = 10 / sqrt(5/3) = 7.745966692. */
static const ps_obs weekly[] = {{0, 4}, {7, 6}, {14, 9}, {21, 10}, {28, 14}};

static void test_progress_child_sem(void **st)
{
    (void)st;
    ps_progress p;
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_UP, NULL, NULL, &p), PS_OK);
    assert_int_equal(p.sessions, 5);
    assert_near(p.baseline, 4, 0);
    assert_near(p.latest, 14, 0);
    assert_near(p.change, 10, 0);
    assert_near(p.slope_per_week, 2.4, 1e-12);
    assert_int_equal(p.sem_source, PS_SEM_CHILD);
    assert_near(p.sem, 0.9128709291752769, 1e-12);
    assert_near(p.rci, 7.745966692414834, 1e-9);
    assert_true(p.reliable);
    assert_int_equal(p.direction, PS_DIR_IMPROVED);
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_DOWN, NULL, NULL, &p), PS_OK);
    assert_int_equal(p.direction, PS_DIR_WORSE);
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_NONE, NULL, NULL, &p), PS_OK);
    assert_int_equal(p.direction, PS_DIR_CHANGED);
    assert_string_equal(ps_direction_str(PS_DIR_IMPROVED), "improved");
}

/* Noisy flat series 10, 12, 9, 11, 10: differences 2, -3, 2, -1, mean 0,
 * ss = 4+9+4+1 = 18, df 3, SD = sqrt(6), SEM = sqrt(3);
 * rci = 0 / ... = 0 -> no reliable change. */
static void test_progress_no_change(void **st)
{
    (void)st;
    const ps_obs o[] = {{0, 10}, {10, 12}, {20, 9}, {30, 11}, {40, 10}};
    ps_progress p;
    assert_int_equal(ps_progress_compute(o, 5, PS_GOOD_UP, NULL, NULL, &p), PS_OK);
    assert_near(p.sem, sqrt(3.0), 1e-12);
    assert_near(p.rci, 0, 1e-12);
    assert_false(p.reliable);
    assert_int_equal(p.direction, PS_DIR_NO_CHANGE);
    /* slope: x in weeks = 0, 10/7, 20/7, 30/7, 40/7; by hand with x in units
     * of 10 days: sxy = (-2)(-.4)+(-1)(1.6)+0+(1)(.6)+(2)(-.4) = -1.0, sxx = 10,
     * slope = -0.1 per 10 days = -0.07 per week */
    assert_near(p.slope_per_week, -0.07, 1e-12);
}

/* Two sessions: no own SEM; the pooled one decides. Pooled ss = 8, df = 4:
 * SD = sqrt(2), SEM = 1; rci = (14 - 4) / sqrt(2) = 7.0710678. */
static void test_progress_pooled(void **st)
{
    (void)st;
    const ps_obs o[] = {{100, 4}, {128, 14}};
    ps_progress p;
    assert_int_equal(ps_progress_compute(o, 2, PS_GOOD_UP, NULL, NULL, &p), PS_OK);
    assert_int_equal(p.sem_source, PS_SEM_NONE);
    assert_true(isnan(p.rci));
    assert_int_equal(p.direction, PS_DIR_UNKNOWN);
    assert_near(p.slope_per_week, 2.5, 1e-12);
    ps_variability pooled = {8, 2};
    assert_int_equal(ps_progress_compute(o, 2, PS_GOOD_UP, &pooled, NULL, &p), PS_OK);
    assert_int_equal(p.sem_source, PS_SEM_NONE); /* df 2 < PS_SEM_MIN_DF */
    pooled.df = 4;
    assert_int_equal(ps_progress_compute(o, 2, PS_GOOD_UP, &pooled, NULL, &p), PS_OK);
    assert_int_equal(p.sem_source, PS_SEM_POOLED);
    assert_near(p.sem, 1, 1e-12);
    assert_near(p.rci, 7.0710678118654755, 1e-12);
    assert_int_equal(p.direction, PS_DIR_IMPROVED);

    /* one session: baseline = latest, nothing else known */
    assert_int_equal(ps_progress_compute(o, 1, PS_GOOD_UP, &pooled, NULL, &p), PS_OK);
    assert_near(p.change, 0, 0);
    assert_true(isnan(p.slope_per_week));
    assert_int_equal(p.direction, PS_DIR_UNKNOWN);
}

/* The variability accumulates per series, as the store pools children. */
static void test_variability_pooling(void **st)
{
    (void)st;
    ps_variability v = {0, 0};
    ps_variability_add(&v, weekly, 5);        /* ss 5, df 3 */
    ps_variability_add(&v, weekly, 2);        /* too short: nothing */
    const ps_obs o[] = {{0, 1}, {1, 2}, {2, 5}}; /* diffs 1, 3: ss 2, df 1 */
    ps_variability_add(&v, o, 3);
    assert_near(v.ss, 7, 1e-12);
    assert_int_equal(v.df, 4);
}

static void test_progress_band(void **st)
{
    (void)st;
    /* grip distance 4 -> 14 mm with goal band 15-25: moved toward the band */
    ps_goal g = {0};
    strcpy(g.metric, "grip_distance_mm");
    g.low = 15;
    g.high = 25;
    ps_progress p;
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_BAND, NULL, &g, &p), PS_OK);
    assert_int_equal(p.direction, PS_DIR_IMPROVED);
    assert_near(ps_goal_distance(&g, 14), 1, 0);
    assert_near(ps_goal_distance(&g, 20), 0, 0);
    assert_near(ps_goal_distance(&g, 27.5), 2.5, 0);
    /* a band below the values: moving up is moving away */
    g.low = 0;
    g.high = 2;
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_BAND, NULL, &g, &p), PS_OK);
    assert_int_equal(p.direction, PS_DIR_WORSE);
    /* no goal: a reliable change without a verdict */
    assert_int_equal(ps_progress_compute(weekly, 5, PS_GOOD_BAND, NULL, NULL, &p), PS_OK);
    assert_int_equal(p.direction, PS_DIR_CHANGED);
}

static void test_progress_bad_input(void **st)
{
    (void)st;
    ps_progress p;
    const ps_obs unsorted[] = {{7, 1}, {0, 2}};
    const ps_obs same_day[] = {{7, 1}, {7, 2}};
    const ps_obs nan[] = {{0, 1}, {7, NAN}};
    assert_int_equal(ps_progress_compute(NULL, 0, PS_GOOD_UP, NULL, NULL, &p), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_progress_compute(unsorted, 2, PS_GOOD_UP, NULL, NULL, &p), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_progress_compute(same_day, 2, PS_GOOD_UP, NULL, NULL, &p), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_progress_compute(nan, 2, PS_GOOD_UP, NULL, NULL, &p), PS_ERR_INVALID_ARG);
    /* a perfectly repeatable series: SEM 0, any change is reliable */
    const ps_obs steady[] = {{0, 1}, {7, 2}, {14, 3}, {21, 4}, {28, 5}};
    assert_int_equal(ps_progress_compute(steady, 5, PS_GOOD_UP, NULL, NULL, &p), PS_OK);
    assert_near(p.sem, 0, 0);
    assert_true(p.reliable);
    assert_int_equal(p.direction, PS_DIR_IMPROVED);
}

static void test_gas(void **st)
{
    (void)st;
    ps_goal g = {0};
    strcpy(g.metric, "legibility_pct");
    g.low = g.high = 80;
    g.has_gas = 1;
    double up[5] = {40, 55, 70, 80, 90};
    memcpy(g.gas, up, sizeof up);
    assert_int_equal(ps_goal_check(&g, PS_GOOD_UP), PS_OK);
    assert_int_equal(ps_goal_check(&g, PS_GOOD_DOWN), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 30), -2);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 40), -2);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 54.9), -2);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 55), -1);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 75), 0);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 80), 1);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 99), 2);
    /* falling levels for a lower-is-better metric */
    double down[5] = {10, 7, 5, 3, 1};
    memcpy(g.gas, down, sizeof down);
    assert_int_equal(ps_goal_check(&g, PS_GOOD_DOWN), PS_OK);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_DOWN, 12), -2);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_DOWN, 6), -1);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_DOWN, 5), 0);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_DOWN, 0), 2);
    /* not monotone */
    double zig[5] = {1, 3, 2, 4, 5};
    memcpy(g.gas, zig, sizeof zig);
    assert_int_equal(ps_goal_check(&g, PS_GOOD_BAND), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_BAND, 3), PS_GAS_NONE);
    g.has_gas = 0;
    assert_int_equal(ps_goal_gas_level(&g, PS_GOOD_UP, 3), PS_GAS_NONE);
    assert_int_equal(ps_goal_check(&g, PS_GOOD_BAND), PS_OK);
    g.low = NAN;
    assert_int_equal(ps_goal_check(&g, PS_GOOD_BAND), PS_ERR_INVALID_ARG);
}

/* Every metric named in METRICS.md §1-3 tables is in the registry, once. */
static void test_registry_covers_metrics_md(void **st)
{
    (void)st;
    size_t n = 0;
    for (; ps_metric_at(n); n++)
        for (size_t k = 0; k < n; k++)
            assert_string_not_equal(ps_metric_at(k)->name, ps_metric_at(n)->name);
    assert_true(n > 80);
    assert_int_equal(ps_metric_find("grip_distance_mm")->good, PS_GOOD_BAND);
    assert_int_equal(ps_metric_find("legibility_pct")->good, PS_GOOD_UP);
    assert_string_equal(ps_metric_find("x_height_mm")->unit, "mm");
    assert_null(ps_metric_find("no_such_metric"));
    assert_null(ps_metric_find(NULL));

    size_t len;
    unsigned char *md = tu_read_file(tu_shared("METRICS.md"), &len);
    if (!md) {
        skip(); /* the shared folder is not beside this checkout */
        return;
    }
    /* every `name` in a table row's first cell, before section 4 */
    char *end = strstr((char *)md, "## 4.");
    assert_non_null(end);
    *end = 0;
    int checked = 0;
    for (char *line = (char *)md; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (line[0] != '|' || line[1] != ' ' || line[2] != '`')
            continue;
        char *cell_end = strchr(line + 1, '|');
        for (char *p = line; p && p < cell_end; ) {
            char *a = strchr(p, '`');
            if (!a || a > cell_end)
                break;
            char *b = strchr(a + 1, '`');
            if (!b || b > cell_end)
                break;
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(b - a - 1), a + 1);
            if (!ps_metric_find(name))
                fail_msg("METRICS.md metric '%s' is not in the registry", name);
            checked++;
            p = b + 1;
        }
    }
    /* the video aggregates and --text/--seconds metrics are listed in prose */
    const char *prose[] = {"frames", "hand_found_pct", "grasp_mode", "mature_grasp_pct", "grasp_changes",
                           "grip_distance_mm_mean", "grip_distance_mm_sd", "pencil_angle_sd_deg", "movement_source",
                           "finger_movement_ratio", "letters_expected", "letters_matched", "omissions",
                           "insertions", "legibility_pct", "reversals", "closure_fail", "form_score",
                           "letters_per_min", "formation_score", "start_errors", "direction_errors",
                           "order_errors", "stroke_count_errors", "index_dip_hyperextended"};
    for (size_t i = 0; i < sizeof prose / sizeof *prose; i++) {
        assert_non_null(strstr((char *)md, prose[i]));
        assert_non_null(ps_metric_find(prose[i]));
    }
    assert_true(checked > 50);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),           cmocka_unit_test(test_progress_child_sem),
        cmocka_unit_test(test_progress_no_change), cmocka_unit_test(test_progress_pooled),
        cmocka_unit_test(test_variability_pooling), cmocka_unit_test(test_progress_band),
        cmocka_unit_test(test_progress_bad_input), cmocka_unit_test(test_gas),
        cmocka_unit_test(test_registry_covers_metrics_md),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
