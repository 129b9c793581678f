/* Agreement with BDALab handwriting-features on every shared recording
 * (PaHaW and handwriting-sample, shared/data/ink/bdalab_reference.json; how
 * the reference was made: shared/data/ink/BDALAB.md).
 *
 * Two levels:
 * 1. ink_bdalab_features() reproduces BDALab's own conventions on penscope's
 *    kernels (reader, units, strokes, speed, signed acceleration and jerk,
 *    Gaussian filtfilt + extrema, writing stops, channel statistics). It must
 *    match the reference to 1e-6 relative (counts exactly): this proves the
 *    kernels and the reader.
 * 2. penscope's own metrics (ps_ink_analyse) must agree with their BDALab
 *    counterparts within 1%, except where a documented choice differs (each
 *    exception below says why; README "Tablet recordings" lists them):
 *    - on_surface_s, path_mm: BDALab drops the recording's last sample from
 *      its strokes (bug); penscope keeps it, so the last stroke is one
 *      interval longer. Checked against BDALab + that one interval instead.
 *    - ncv_per_stroke, ncv_per_s: BDALab skips strokes of <= 151 samples
 *      (filter padding); penscope filters every stroke with a shorter
 *      padding. Equal where BDALab skipped nothing; otherwise penscope counts
 *      at least as many changes.
 *    - in_air_s, air_surface_ratio, velocity_air_mm_s_mean: where there is no
 *      pen lift BDALab has no value; penscope says 0 s in the air (and null
 *      speed).
 *    - pressure: penscope normalises by the device range; compared after
 *      multiplying back. azimuth: circular statistics (same mean where the
 *      angles do not wrap; SD within 2% for spreads under 30 degrees).
 *    - accel/jerk: penscope reports mean magnitudes (METRICS.md), BDALab the
 *      signed mean; the signed values are checked at level 1.
 *    - stops: BDALab raises when a stroke has one sample; penscope skips such
 *      strokes, so only files where BDALab has a value are compared. */
#include "testutil.h"
#include "ink/ink_internal.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures;

static double ref_num(json_t *feat, const char *name)
{
    json_t *v = json_object_get(feat, name);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static bool close_rel(double got, double want, double rel, double abs_tol)
{
    if (isnan(want) && isnan(got))
        return true;
    if (isnan(want) || isnan(got))
        return false;
    return fabs(got - want) <= fmax(rel * fabs(want), abs_tol);
}

static void check(const char *file, const char *what, double got, double want, double rel, double abs_tol)
{
    if (!close_rel(got, want, rel, abs_tol)) {
        failures++;
        if (failures < 60)
            fprintf(stderr, "%s: %s = %.10g, BDALab %.10g\n", file, what, got, want);
    }
}

static void load(const char *rel, bool pahaw, ps_ink *ink)
{
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    if (pahaw) {
        rp.columns = "y,x,time,pen_status,azimuth,altitude,pressure";
        rp.lpi = 1000;
        rp.fs_hz = 133;
    } else
        rp.lpi = 5080;
    char path[1024];
    snprintf(path, sizeof path, "data/ink/%s", rel);
    ps_status rc = ps_ink_read_file(tu_shared(path), PS_INK_AUTO, &rp, ink);
    if (rc != PS_OK)
        fprintf(stderr, "%s: %s\n", rel, ps_last_error());
    assert_int_equal(rc, PS_OK);
}

static void test_agreement(void **state)
{
    (void)state;
    json_error_t err;
    json_t *root = json_load_file(tu_shared("data/ink/bdalab_reference.json"), 0, &err);
    if (!root)
        fprintf(stderr, "cannot load the reference: %s\n", err.text);
    assert_non_null(root);
    json_t *files = json_object_get(root, "files");
    assert_true(json_object_size(files) >= 131);
    const char *name;
    json_t *entry;
    int n = 0, ncv_equal = 0;
    json_object_foreach(files, name, entry) {
        json_t *f = json_object_get(entry, "features");
        bool pahaw = !strncmp(name, "pahaw/", 6);
        ps_ink ink;
        load(name, pahaw, &ink);
        n++;
        /* level 1: BDALab's conventions */
        ink_bdalab b;
        assert_int_equal(ink_bdalab_features(&ink, &b), PS_OK);
        const double R = 1e-6, A = 1e-9;
        check(name, "n_strokes_on_surface", b.n_strokes_on, ref_num(f, "n_strokes_on_surface"), 0, 0);
        double air_ref = ref_num(f, "stroke_duration_in_air_mean");
        check(name, "n_strokes_in_air", b.n_strokes_air, isnan(air_ref) ? 0 : ref_num(f, "n_strokes_in_air"), 0, 0);
        check(name, "velocity_xy_on_surface_mean", b.velocity_on_mean, ref_num(f, "velocity_xy_on_surface_mean"), R, A);
        check(name, "velocity_xy_on_surface_std", b.velocity_on_std, ref_num(f, "velocity_xy_on_surface_std"), R, A);
        check(name, "velocity_xy_in_air_mean", b.velocity_air_mean, ref_num(f, "velocity_xy_in_air_mean"), R, A);
        check(name, "acceleration_xy_on_surface_mean", b.accel_on_mean, ref_num(f, "acceleration_xy_on_surface_mean"), R, 1e-6);
        check(name, "acceleration_xy_on_surface_std", b.accel_on_std, ref_num(f, "acceleration_xy_on_surface_std"), R, A);
        check(name, "jerk_xy_on_surface_mean", b.jerk_on_mean, ref_num(f, "jerk_xy_on_surface_mean"), R, 1e-4);
        check(name, "jerk_xy_on_surface_std", b.jerk_on_std, ref_num(f, "jerk_xy_on_surface_std"), R, A);
        check(name, "writing_duration_on_surface", b.duration_on, ref_num(f, "writing_duration_on_surface"), R, A);
        check(name, "writing_duration_in_air", b.duration_air, ref_num(f, "writing_duration_in_air"), R, A);
        check(name, "writing_duration_overall", b.duration_overall, ref_num(f, "writing_duration_overall"), R, A);
        check(name, "ratio_of_writing_durations", b.ratio_of_writing_durations, ref_num(f, "ratio_of_writing_durations"), R, A);
        check(name, "stroke_length_on_surface_mean", b.stroke_length_on_mean, ref_num(f, "stroke_length_on_surface_mean"), R, A);
        check(name, "writing_width_on_surface", b.writing_width_on, ref_num(f, "writing_width_on_surface"), R, A);
        check(name, "writing_height_on_surface", b.writing_height_on, ref_num(f, "writing_height_on_surface"), R, A);
        check(name, "pressure_mean", b.pressure_mean, ref_num(f, "pressure_mean"), R, A);
        check(name, "pressure_std", b.pressure_std, ref_num(f, "pressure_std"), R, A);
        check(name, "tilt_on_surface_mean", b.tilt_on_mean, ref_num(f, "tilt_on_surface_mean"), R, A);
        check(name, "tilt_on_surface_std", b.tilt_on_std, ref_num(f, "tilt_on_surface_std"), R, A);
        check(name, "azimuth_on_surface_mean", b.azimuth_on_mean, ref_num(f, "azimuth_on_surface_mean"), R, A);
        check(name, "azimuth_on_surface_std", b.azimuth_on_std, ref_num(f, "azimuth_on_surface_std"), R, A);
        check(name, "number_of_changes_in_velocity_profile", b.ncv, ref_num(f, "number_of_changes_in_velocity_profile"), 0, 0);
        check(name, "ncv_strokes_used", b.ncv_used, ref_num(f, "ncv_strokes_used"), 0, 0);
        check(name, "ncv_strokes_skipped", b.ncv_skipped, ref_num(f, "ncv_strokes_skipped"), 0, 0);
        check(name, "number_of_interruptions", b.interruptions, ref_num(f, "number_of_interruptions"), 0, 0);
        check(name, "writing_stops_count", b.stops_count, ref_num(f, "writing_stops_count"), 0, 0);
        check(name, "writing_stops_sum", b.stops_sum, ref_num(f, "writing_stops_sum"), R, A);

        /* level 2: penscope's metrics. Time spans and rates come from the
         * whole recording; what is measured inside strokes from the recording
         * less its last sample, which BDALab's segmentation drops (bug), so
         * that this difference is explained and the rest is compared. */
        ps_ink_result r, q;
        assert_int_equal(ps_ink_analyse(&ink, NULL, &r), PS_OK);
        ps_ink cut = ink;
        cut.n = r.last; /* drop the last pen-down sample and anything after it */
        assert_int_equal(ps_ink_analyse(&cut, NULL, &q), PS_OK);
        const ps_ink_metrics *m = &r.m, *c = &q.m;
        const double P = 0.01;
        check(name, "duration_s", m->duration_s, ref_num(f, "writing_duration_overall"), P, 0);
        check(name, "strokes", m->strokes, ref_num(f, "n_strokes_on_surface"), 0, 0);
        check(name, "pen_lifts", m->pen_lifts, ref_num(f, "number_of_interruptions") / 2, 0, 0);
        check(name, "on_surface_s", c->on_surface_s, ref_num(f, "writing_duration_on_surface"), P, 0);
        /* the full recording's last stroke is exactly one interval longer */
        check(name, "on_surface_s (last interval)", m->on_surface_s - c->on_surface_s,
              ink.t_s[r.last] - ink.t_s[r.last - 1], 1e-9, 1e-12);
        double ref_path = ref_num(f, "stroke_length_on_surface_mean") * ref_num(f, "n_strokes_on_surface");
        check(name, "path_mm", c->path_mm, ref_path, P, 0);
        check(name, "width_mm", m->width_mm, ref_num(f, "writing_width_on_surface"), P, 0);
        check(name, "height_mm", m->height_mm, ref_num(f, "writing_height_on_surface"), P, 0);
        check(name, "velocity_mm_s_mean", c->velocity_mm_s_mean, ref_num(f, "velocity_xy_on_surface_mean"), P, 0);
        check(name, "velocity_mm_s_sd", c->velocity_mm_s_sd, ref_num(f, "velocity_xy_on_surface_std"), P, 0);
        if (isnan(air_ref)) { /* no pen lift: BDALab has no value, penscope 0 s */
            check(name, "in_air_s (no lift)", m->in_air_s, 0, 0, 0);
            check(name, "velocity_air (no lift)", m->velocity_air_mm_s_mean, NAN, 0, 0);
        } else {
            check(name, "in_air_s", m->in_air_s, ref_num(f, "writing_duration_in_air"), P, 0);
            check(name, "air_surface_ratio", c->air_surface_ratio,
                  ref_num(f, "writing_duration_in_air") / ref_num(f, "writing_duration_on_surface"), P, 0);
            check(name, "velocity_air_mm_s_mean", m->velocity_air_mm_s_mean, ref_num(f, "velocity_xy_in_air_mean"), P, 0);
        }
        double ncv_ref = ref_num(f, "number_of_changes_in_velocity_profile");
        double ncv_ours = c->ncv_per_stroke * c->strokes;
        if (ref_num(f, "ncv_strokes_skipped") == 0) {
            check(name, "ncv_per_stroke", c->ncv_per_stroke, ncv_ref / ref_num(f, "n_strokes_on_surface"), P, 0);
            check(name, "ncv_per_s", ncv_ours / m->duration_s,
                  ref_num(f, "relative_number_of_changes_in_velocity_profile"), P, 0);
            ncv_equal++;
        } else if (!(ncv_ours >= ncv_ref)) {
            failures++;
            fprintf(stderr, "%s: penscope NCV %g below BDALab's %g over fewer strokes\n", name, ncv_ours, ncv_ref);
        }
        check(name, "pressure_mean", m->pressure_mean * ink.pressure_max, ref_num(f, "pressure_mean"), P, 0);
        check(name, "pressure_sd", m->pressure_sd * ink.pressure_max, ref_num(f, "pressure_std"), P, 0);
        check(name, "tilt_deg_mean", m->tilt_deg_mean, ref_num(f, "tilt_on_surface_mean"), P, 0);
        check(name, "tilt_deg_sd", m->tilt_deg_sd, ref_num(f, "tilt_on_surface_std"), P, 0);
        double az_sd = ref_num(f, "azimuth_on_surface_std");
        /* circular statistics: equal to the linear ones within 1% for small
         * spreads, within 2 degrees (mean) and 2% (SD) up to 30 degrees of
         * spread; beyond that (or across 0/360) the linear mean is wrong */
        if (az_sd < 10)
            check(name, "azimuth_deg_mean", m->azimuth_deg_mean, ref_num(f, "azimuth_on_surface_mean"), P, 0);
        if (az_sd < 30) {
            check(name, "azimuth_deg_mean", m->azimuth_deg_mean, ref_num(f, "azimuth_on_surface_mean"), 0, 2.0);
            check(name, "azimuth_deg_sd", m->azimuth_deg_sd, az_sd, 0.02, 0);
        }
        if (!isnan(ref_num(f, "writing_stops_median")) || ref_num(f, "writing_stops_count") == 0)
            check(name, "stops", c->stops, ref_num(f, "writing_stops_count"), 0, 0);
        ps_ink_result_release(&q);
        ps_ink_result_release(&r);
        ps_ink_release(&ink);
    }
    fprintf(stderr, "%d recordings, NCV compared exactly on %d\n", n, ncv_equal);
    json_decref(root);
    assert_int_equal(n, 131);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agreement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
