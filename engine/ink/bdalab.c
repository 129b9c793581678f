/* BDALab handwriting-features' feature conventions reproduced on penscope's
 * kernels (see ink_internal.h). This is the yardstick of the agreement test
 * and of the README's list of differences; penscope's metrics never call it. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

typedef struct sums {
    double n, s, ss;
} sums;

static void add(sums *a, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            a->n++;
            a->s += v[i];
            a->ss += v[i] * v[i];
        }
}

static double mean(const sums *a)
{
    return a->n ? a->s / a->n : NAN;
}

/* two-pass population SD needs the values again: kept simple with the
 * textbook formula in long double, enough for 1e-9 relative agreement */
static double sd(const sums *a)
{
    if (!a->n)
        return NAN;
    long double m = (long double)a->s / a->n, v = (long double)a->ss / a->n - m * m;
    return v > 0 ? (double)sqrtl(v) : 0;
}

ps_status ink_bdalab_features(const ps_ink *ink, ink_bdalab *o)
{
    double *d = (double *)o;
    for (size_t i = 0; i < sizeof *o / sizeof(double); i++)
        d[i] = NAN;
    size_t first, last;
    if (!ink_pen_down_span(ink, &first, &last))
        return ps_fail(PS_ERR_CORRUPT, "no pen-down sample");
    size_t seg_last = last - 1; /* BDALab drops the last sample from the strokes */
    if (last == first)
        return ps_fail(PS_ERR_CORRUPT, "a single pen-down sample");
    size_t ns = ink_strokes(ink, first, seg_last, NULL);
    ps_ink_stroke *st = ps_calloc(ns, sizeof *st);
    if (!st)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    ink_strokes(ink, first, seg_last, st);
    size_t longest = 0;
    for (size_t k = 0; k < ns; k++)
        longest = st[k].count > longest ? st[k].count : longest;
    double *v = ps_malloc((longest + 1) * sizeof *v), *a = ps_malloc((longest + 1) * sizeof *a);
    double *j = ps_malloc((longest + 1) * sizeof *j), *f = ps_malloc((longest + 1) * sizeof *f);
    double *fw = ps_malloc((2 * (longest + 1 + 300)) * sizeof *fw);
    if (!v || !a || !j || !f || !fw) {
        ps_free(st), ps_free(v), ps_free(a), ps_free(j), ps_free(f), ps_free(fw);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    double win[INK_GAUSS_LEN];
    ink_gauss_window(win);
    sums vel = {0}, acc = {0}, jer = {0}, air = {0}, len = {0};
    double n_on = 0, n_air = 0, dur_on = 0, dur_air = 0, ncv = 0, used = 0, skipped = 0;
    double stops = 0, stop_samples = 0, last_mean_dt = NAN;
    bool stops_raise = false;
    const double *t = ink->t_s;
    for (size_t k = 0; k < ns; k++) {
        size_t s0 = st[k].first, cnt = st[k].count;
        size_t nv = ink_kinematics(ink, s0, cnt, 0, v, a, j);
        double dur = t[s0 + cnt - 1] - t[s0];
        if (!st[k].pen_down) {
            n_air++;
            dur_air += dur;
            add(&air, v, nv);
            continue;
        }
        n_on++;
        dur_on += dur;
        add(&vel, v, nv);
        if (nv >= 2)
            add(&acc, a, nv - 1);
        if (nv >= 3)
            add(&jer, j, nv - 2);
        double L = 0;
        for (size_t i = 1; i < cnt; i++)
            L += hypot(ink->x_mm[s0 + i] - ink->x_mm[s0 + i - 1], ink->y_mm[s0 + i] - ink->y_mm[s0 + i - 1]);
        add(&len, &L, 1);
        if (nv > 150) {
            ink_filtfilt_fir(win, INK_GAUSS_LEN, v, nv, 150, f, fw);
            ncv += (double)ink_count_extrema(f, nv, 0);
            used++;
        } else
            skipped++;
        if (nv == 0) {
            stops_raise = true;
            continue;
        }
        last_mean_dt = dur / (double)nv;
        stops += (double)ink_stops(v, nv, last_mean_dt, &stop_samples);
    }
    o->n_strokes_on = n_on;
    o->n_strokes_air = n_air;
    o->velocity_on_mean = mean(&vel);
    o->velocity_on_std = sd(&vel);
    o->velocity_air_mean = mean(&air);
    o->accel_on_mean = mean(&acc);
    o->accel_on_std = sd(&acc);
    o->jerk_on_mean = mean(&jer);
    o->jerk_on_std = sd(&jer);
    o->duration_on = dur_on;
    o->duration_air = n_air ? dur_air : NAN;
    o->duration_overall = t[last] - t[first];
    o->ratio_of_writing_durations = n_air ? dur_on / (dur_air + 2.220446049250313e-16) : NAN;
    o->stroke_length_on_mean = mean(&len);
    o->ncv = ncv;
    o->ncv_used = used;
    o->ncv_skipped = skipped;
    o->ncv_relative = ncv / o->duration_overall;
    o->interruptions = 2 * n_air;
    if (!stops_raise) {
        o->stops_count = stops;
        /* BDALab scales every stop by the mean interval of the last stroke */
        o->stops_sum = stop_samples * last_mean_dt;
    }
    /* channel statistics over the trimmed recording's pen-down samples,
     * the last sample included */
    sums p = {0}, tl = {0}, az = {0};
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = first; i <= last; i++) {
        if (!ink->pen_down[i])
            continue;
        xmin = fmin(xmin, ink->x_mm[i]);
        xmax = fmax(xmax, ink->x_mm[i]);
        ymin = fmin(ymin, ink->y_mm[i]);
        ymax = fmax(ymax, ink->y_mm[i]);
        if (ink->pressure) {
            double raw = ink->pressure[i] * ink->pressure_max;
            add(&p, &raw, 1);
        }
        if (ink->altitude_deg)
            add(&tl, &ink->altitude_deg[i], 1);
        if (ink->azimuth_deg)
            add(&az, &ink->azimuth_deg[i], 1);
    }
    o->writing_width_on = xmax - xmin;
    o->writing_height_on = ymax - ymin;
    o->pressure_mean = mean(&p);
    o->pressure_std = sd(&p);
    o->tilt_on_mean = mean(&tl);
    o->tilt_on_std = sd(&tl);
    o->azimuth_on_mean = mean(&az);
    o->azimuth_on_std = sd(&az);
    ps_free(st), ps_free(v), ps_free(a), ps_free(j), ps_free(f), ps_free(fw);
    return PS_OK;
}
