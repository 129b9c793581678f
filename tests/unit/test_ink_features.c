/* Ink metrics on synthetic recordings with known answers: constant-speed
 * lines, a circle, pauses, velocity bumps, pen lifts with and without
 * hover samples, pressure, tilt and azimuth across 0/360, and the kernels
 * (Gaussian filtfilt against a direct evaluation of its definition). */
#include "testutil.h"
#include "test_ink_synth.h"
#include <stdio.h>

#define TOL 1e-9

static void add(synth *s, double x, double y, int pen)
{
    synth_sample(s, x, y, pen);
}

static ps_ink_result analyse(const ps_ink *ink)
{
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(ink, NULL, &r), PS_OK);
    return r;
}

/* A 100 mm line at exactly 50 mm/s, 200 Hz; hover before and after. */
static void test_constant_speed_line(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 1);
    for (int i = 0; i < 20; i++)
        add(&s, -10 + i * 0.1, 0, 0); /* leading hover: not part of the span */
    for (int i = 0; i <= 400; i++)
        add(&s, i * 0.25, 0, 1);
    for (int i = 0; i < 20; i++)
        add(&s, 100, i * 0.2, 0);
    ps_ink_result r = analyse(&s.ink);
    const ps_ink_metrics *m = &r.m;
    assert_true(fabs(m->duration_s - 2.0) < TOL);
    assert_true(fabs(m->on_surface_s - 2.0) < TOL);
    assert_true(fabs(m->in_air_s) < TOL);
    assert_true(fabs(m->path_mm - 100) < TOL);
    assert_true(fabs(m->width_mm - 100) < TOL && fabs(m->height_mm) < TOL);
    assert_true(fabs(m->velocity_mm_s_mean - 50) < TOL);
    assert_true(m->velocity_mm_s_sd < 1e-6);
    assert_true(m->accel_mm_s2_mean < 1e-6 && m->jerk_mm_s3_mean < 1e-3);
    assert_true(m->strokes == 1 && m->pen_lifts == 0 && m->stops == 0);
    assert_true(isnan(m->velocity_air_mm_s_mean)); /* no lift inside the span */
    assert_true(fabs(m->pressure_mean - 0.5) < TOL && m->pressure_sd < TOL);
    assert_true(fabs(m->tilt_deg_mean - 60) < TOL && fabs(m->azimuth_deg_mean - 45) < 1e-6);
    assert_true(m->ncv_per_stroke == 0); /* a flat speed profile has no changes */
    assert_true(isnan(m->formation_score));
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

/* A circle of radius 10 mm: path 2*pi*r within the chord error. */
static void test_circle_and_lifts(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 1);
    int n = 400;
    for (int k = 0; k < 3; k++) { /* three circles, hover moves between them */
        for (int i = 0; i <= n; i++)
            add(&s, 30 * k + 10 * cos(2 * M_PI * i / n), 10 * sin(2 * M_PI * i / n), 1);
        if (k < 2)
            for (int i = 1; i <= 40; i++)
                add(&s, 30 * k + 10 + i * 0.5, 0, 0);
    }
    ps_ink_result r = analyse(&s.ink);
    double chord = 3 * n * 2 * 10 * sin(M_PI / n);
    assert_true(fabs(r.m.path_mm - chord) < 1e-9 * chord);
    assert_true(fabs(r.m.path_mm - 3 * 2 * M_PI * 10) < 0.001 * r.m.path_mm);
    assert_true(r.m.strokes == 3 && r.m.pen_lifts == 2);
    /* each hover run: 40 samples = 39 intervals inside the run */
    assert_true(fabs(r.m.in_air_s - 2 * 39 / 200.0) < TOL);
    assert_true(fabs(r.m.velocity_air_mm_s_mean - 100) < 1e-6); /* 0.5 mm per 5 ms */
    assert_true(fabs(r.m.air_surface_ratio - r.m.in_air_s / r.m.on_surface_s) < TOL);
    assert_true(fabs(r.m.width_mm - 80) < 1e-6 && fabs(r.m.height_mm - 20) < 1e-3);
    ps_ink_result_release(&r);
    /* the same without hover samples (an InkML-style device): the in-air
     * time is the time between strokes */
    ps_ink k = s.ink;
    size_t w = 0;
    for (size_t i = 0; i < k.n; i++)
        if (k.pen_down[i]) {
            k.x_mm[w] = k.x_mm[i];
            k.y_mm[w] = k.y_mm[i];
            k.t_s[w] = k.t_s[i];
            k.pen_down[w] = 1;
            w++;
        }
    k.n = w;
    k.pen_down[n + 1] = k.pen_down[2 * (n + 1)] = 2; /* the lifts the device did not sample */
    k.channels &= ~(unsigned)PS_INK_HAS_HOVER;
    r = analyse(&k);
    assert_true(fabs(r.m.in_air_s - 2 * 41 / 200.0) < TOL);
    assert_true(isnan(r.m.velocity_air_mm_s_mean));
    assert_true(r.n_warnings >= 1);
    assert_true(r.m.strokes == 3 && r.m.pen_lifts == 2);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

/* Speed profile with three minimum-jerk bumps: 3 maxima and 2 minima. */
static void test_ncv_and_stops(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 1);
    double x = 0;
    /* lengths giving an odd number of intervals per bump, so that each
     * peak speed is one interval (a symmetric profile sampled evenly has two
     * equal middle speeds, which is no strict extremum) */
    static const double len[3] = {30.2, 24.2, 36.2};
    for (int b = 0; b < 3; b++) {
        lm_pt seg[2] = {{x, 0}, {x + len[b], 0}};
        synth_path(&s, seg, 2, 40, 1);
        s.ink.n--; /* segments share their end points */
        s.t -= 1 / s.fs;
        x += len[b];
    }
    s.ink.n++;
    s.t += 1 / s.fs;
    ps_ink_result r = analyse(&s.ink);
    if (r.m.ncv_per_stroke != 5)
        fprintf(stderr, "ncv %g\n", r.m.ncv_per_stroke);
    assert_true(r.m.ncv_per_stroke == 5);
    assert_true(fabs(r.m.ncv_per_s - 5 / r.m.duration_s) < TOL);
    /* a minimum-jerk move is below 1 mm/s for its first and last ~20 ms
     * (v = 30 (L/T) tau^2 (1-tau)^2): the two junctions (9-10 slow
     * intervals) and the end (6) are stops by BDALab's rule (more than
     * N = ceil(15 ms / 5 ms) = 3 intervals); the start (4 slow intervals) is
     * not, because the rule measures a leading run from its first sample,
     * one short (r - l = 3). Checked by hand against the rule: 3 */
    assert_true(r.m.stops == 3);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);

    /* a 100 ms pause in the middle of a stroke is one stop; 10 ms is none */
    for (int pause = 0; pause < 2; pause++) {
        synth_init(&s, 200, 0, 1);
        for (int i = 0; i < 100; i++)
            add(&s, i * 0.2, 0, 1);
        for (int i = 0; i < (pause ? 20 : 2); i++)
            add(&s, 19.8, 0, 1);
        for (int i = 1; i < 100; i++)
            add(&s, 19.8 + i * 0.2, 0, 1);
        r = analyse(&s.ink);
        assert_true(r.m.stops == (pause ? 1 : 0));
        ps_ink_result_release(&r);
        ps_ink_release(&s.ink);
    }
}

static void test_angles_and_missing_channels(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 1);
    for (int i = 0; i < 100; i++)
        add(&s, i, 0, 1);
    for (size_t i = 0; i < s.ink.n; i++) {
        s.ink.azimuth_deg[i] = i % 2 ? 350 : 10; /* straddles 0/360 */
        s.ink.altitude_deg[i] = i % 2 ? 50 : 70;
        s.ink.pressure[i] = i % 2 ? 0.25 : 0.75;
    }
    ps_ink_result r = analyse(&s.ink);
    assert_true(fabs(fmod(r.m.azimuth_deg_mean + 180, 360) - 180) < 1e-9); /* 0, not 180 */
    double R = cos(10 * M_PI / 180);
    assert_true(fabs(r.m.azimuth_deg_sd - sqrt(-2 * log(R)) * 180 / M_PI) < 1e-9);
    assert_true(fabs(r.m.tilt_deg_mean - 60) < TOL && fabs(r.m.tilt_deg_sd - 10) < TOL);
    assert_true(fabs(r.m.pressure_mean - 0.5) < TOL && fabs(r.m.pressure_sd - 0.25) < TOL);
    ps_ink_result_release(&r);
    /* no pressure, tilt or azimuth channel: null with a warning naming it */
    ps_free(s.ink.pressure);
    ps_free(s.ink.azimuth_deg);
    ps_free(s.ink.altitude_deg);
    s.ink.pressure = s.ink.azimuth_deg = s.ink.altitude_deg = NULL;
    r = analyse(&s.ink);
    assert_true(isnan(r.m.pressure_mean) && isnan(r.m.tilt_deg_mean) && isnan(r.m.azimuth_deg_sd));
    int named = 0;
    for (int w = 0; w < r.n_warnings; w++)
        named += strstr(r.warnings[w], "pressure_mean") || strstr(r.warnings[w], "tilt_deg_mean") ||
                 strstr(r.warnings[w], "azimuth_deg_mean");
    assert_int_equal(named, 3);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
}

static void test_empty_and_degenerate(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 1);
    for (int i = 0; i < 10; i++)
        add(&s, i, 0, 0); /* only hover */
    ps_ink_result r = analyse(&s.ink);
    assert_true(isnan(r.m.duration_s) && r.n_warnings == 1 && r.n_strokes == 0);
    ps_ink_result_release(&r);
    s.ink.pen_down[4] = 1; /* one pen-down sample */
    r = analyse(&s.ink);
    assert_true(r.m.strokes == 1 && r.m.duration_s == 0 && r.m.path_mm == 0);
    assert_true(isnan(r.m.velocity_mm_s_mean) && isnan(r.m.ncv_per_s));
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
    assert_int_equal(ps_ink_analyse(NULL, NULL, &r), PS_ERR_INVALID_ARG);
}

/* The Gaussian filtfilt against a direct evaluation: odd extension, the FIR
 * run forward from a constant past, reversed, run again, reversed. */
static void test_filtfilt_kernel(void **state)
{
    (void)state;
    double w[INK_GAUSS_LEN];
    ink_gauss_window(w);
    double sum = 0;
    for (int i = 0; i < INK_GAUSS_LEN; i++)
        sum += w[i];
    assert_true(fabs(sum - 1) < 1e-12);
    assert_true(fabs(w[0] - w[INK_GAUSS_LEN - 1]) < 1e-15); /* symmetric */
    enum { N = 40, PAD = 20, M = N + 2 * PAD };
    double x[N], y[N], work[2 * M];
    for (int i = 0; i < N; i++)
        x[i] = sin(i * 0.3) + 0.1 * i;
    ink_filtfilt_fir(w, INK_GAUSS_LEN, x, N, PAD, y, work);
    double e[M], f[M], g[M];
    for (int i = 0; i < M; i++)
        e[i] = i < PAD ? 2 * x[0] - x[PAD - i] : i < PAD + N ? x[i - PAD] : 2 * x[N - 1] - x[N - 2 - (i - PAD - N)];
    for (int i = 0; i < M; i++) {
        f[i] = 0;
        for (int k = 0; k < INK_GAUSS_LEN; k++)
            f[i] += w[k] * (i - k >= 0 ? e[i - k] : e[0]);
    }
    for (int i = 0; i < M; i++) {
        g[i] = 0;
        for (int k = 0; k < INK_GAUSS_LEN; k++)
            g[i] += w[k] * (i - k >= 0 ? f[M - 1 - (i - k)] : f[M - 1]);
    }
    for (int i = 0; i < N; i++)
        assert_true(fabs(y[i] - g[M - 1 - PAD - i]) < 1e-12);
    double v[] = {1, 2, 1, 1, 0, 3, 3, 2};
    assert_int_equal(ink_count_extrema(v, 8, 0), 2); /* the 2 and the 0; plateaus are not strict extrema */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_speed_line),
        cmocka_unit_test(test_circle_and_lifts),
        cmocka_unit_test(test_ncv_and_stops),
        cmocka_unit_test(test_angles_and_missing_channels),
        cmocka_unit_test(test_empty_and_degenerate),
        cmocka_unit_test(test_filtfilt_kernel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
