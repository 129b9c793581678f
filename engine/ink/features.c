/* penscope's ink metrics (METRICS.md §3) over the span from the first to the
 * last pen-down sample. Definitions follow BDALab handwriting-features, with
 * the choices README "Tablet recordings" lists where penscope differs:
 * every sample of a stroke counts (BDALab drops the recording's last one),
 * NCV uses every stroke (BDALab skips strokes of 151 samples or fewer),
 * acceleration and jerk are magnitudes, pressure is normalised, azimuth uses
 * circular statistics, and a recording without pen lifts has 0 s in the air
 * rather than no value. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ps_ink_params_default(ps_ink_params *p)
{
    memset(p, 0, sizeof *p);
}

void ink_warn(ps_ink_result *r, const char *fmt, ...)
{
    if (r->n_warnings >= PS_INK_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->n_warnings++], sizeof r->warnings[0], fmt, ap);
    va_end(ap);
}

static void all_nan(ps_ink_metrics *m)
{
    double *d = (double *)m;
    for (size_t i = 0; i < sizeof *m / sizeof(double); i++)
        d[i] = NAN;
}

/* Running sums for a mean and population SD over several strokes. */
typedef struct acc {
    double n, sum, sumsq;
} acc;

static void acc_add(acc *a, const double *v, size_t n, bool magnitude)
{
    for (size_t i = 0; i < n; i++) {
        double x = magnitude ? fabs(v[i]) : v[i];
        if (isnan(x))
            continue;
        a->n++;
        a->sum += x;
        a->sumsq += x * x;
    }
}

static double acc_mean(const acc *a)
{
    return a->n ? a->sum / a->n : NAN;
}

static double acc_sd(const acc *a)
{
    if (!a->n)
        return NAN;
    double m = a->sum / a->n, var = a->sumsq / a->n - m * m;
    return sqrt(var > 0 ? var : 0);
}

/* Work buffers sized once for the longest stroke. */
typedef struct work {
    double *v, *a, *j, *f, *fw;
    size_t cap;
} work;

static ps_status work_alloc(work *w, size_t longest)
{
    memset(w, 0, sizeof *w);
    size_t n = longest + 1, fwn;
    if (!ps_size_mad_ok(2, n + 2 * 150, 0, &fwn))
        return ps_fail(PS_ERR_LIMIT, "stroke too long");
    w->v = ps_malloc(n * sizeof(double));
    w->a = ps_malloc(n * sizeof(double));
    w->j = ps_malloc(n * sizeof(double));
    w->f = ps_malloc(n * sizeof(double));
    w->fw = ps_malloc(fwn * sizeof(double));
    w->cap = n;
    if (!w->v || !w->a || !w->j || !w->f || !w->fw)
        return ps_fail(PS_ERR_NOMEM, "out of memory for stroke buffers");
    return PS_OK;
}

static void work_free(work *w)
{
    ps_free(w->v);
    ps_free(w->a);
    ps_free(w->j);
    ps_free(w->f);
    ps_free(w->fw);
}

/* NCV of one stroke's speed: Gaussian zero-phase filter then strict extrema.
 * padlen is BDALab's 150, shortened to nv-1 for short strokes so that they
 * count too (scipy needs more samples than the padding). */
static size_t stroke_ncv(const double *v, size_t nv, work *w, const double *win)
{
    if (nv < 3)
        return 0;
    for (size_t i = 0; i < nv; i++)
        if (isnan(v[i]))
            return 0; /* a repeated timestamp inside the stroke: no filtered profile */
    size_t pad = nv - 1 < 150 ? nv - 1 : 150;
    ink_filtfilt_fir(win, INK_GAUSS_LEN, v, nv, pad, w->f, w->fw);
    double top = 0;
    for (size_t i = 0; i < nv; i++)
        top = fmax(top, fabs(w->f[i]));
    return ink_count_extrema(w->f, nv, 1e-9 * top); /* rounding wiggles are not changes */
}

static void kinematic_metrics(const ps_ink *ink, const ps_ink_result *r, ps_ink_metrics *m, work *w)
{
    acc vel = {0}, accel = {0}, jerk = {0}, air = {0};
    double win[INK_GAUSS_LEN];
    ink_gauss_window(win);
    size_t ncv = 0, stops = 0;
    for (size_t k = 0; k < r->n_strokes; k++) {
        const ps_ink_stroke *s = &r->strokes[k];
        size_t nv = ink_kinematics(ink, s->first, s->count, 0, w->v, w->a, w->j);
        if (!s->pen_down) {
            acc_add(&air, w->v, nv, false);
            continue;
        }
        acc_add(&vel, w->v, nv, false);
        if (nv >= 2)
            acc_add(&accel, w->a, nv - 1, true);
        if (nv >= 3)
            acc_add(&jerk, w->j, nv - 2, true);
        ncv += stroke_ncv(w->v, nv, w, win);
        if (nv) {
            double mean_dt = (ink->t_s[s->first + s->count - 1] - ink->t_s[s->first]) / (double)nv;
            stops += ink_stops(w->v, nv, mean_dt, NULL); /* modifies v: last use */
        }
    }
    m->velocity_mm_s_mean = acc_mean(&vel);
    m->velocity_mm_s_sd = acc_sd(&vel);
    m->velocity_air_mm_s_mean = acc_mean(&air);
    m->accel_mm_s2_mean = acc_mean(&accel);
    m->jerk_mm_s3_mean = acc_mean(&jerk);
    m->ncv_per_stroke = m->strokes > 0 ? (double)ncv / m->strokes : NAN;
    m->ncv_per_s = m->duration_s > 0 ? (double)ncv / m->duration_s : NAN;
    m->stops = (double)stops;
}

static void channel_stats(const ps_ink *ink, const ps_ink_result *r, ps_ink_metrics *m)
{
    acc p = {0}, alt = {0};
    double c = 0, s = 0, nz = 0;
    for (size_t i = r->first; i <= r->last; i++) {
        if (!ink->pen_down[i])
            continue;
        if (ink->pressure)
            acc_add(&p, &ink->pressure[i], 1, false);
        if (ink->altitude_deg)
            acc_add(&alt, &ink->altitude_deg[i], 1, false);
        if (ink->azimuth_deg) {
            double a = ink->azimuth_deg[i] * M_PI / 180;
            c += cos(a);
            s += sin(a);
            nz++;
        }
    }
    m->pressure_mean = acc_mean(&p);
    m->pressure_sd = acc_sd(&p);
    m->tilt_deg_mean = acc_mean(&alt);
    m->tilt_deg_sd = acc_sd(&alt);
    if (nz > 0) {
        c /= nz;
        s /= nz;
        double mean = atan2(s, c) * 180 / M_PI, R = sqrt(c * c + s * s);
        m->azimuth_deg_mean = mean < 0 ? mean + 360 : mean;
        m->azimuth_deg_sd = R >= 1 ? 0 : sqrt(-2 * log(R)) * 180 / M_PI;
    }
}

ps_status ps_ink_analyse(const ps_ink *ink, const ps_ink_params *p, ps_ink_result *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_analyse: no result");
    memset(out, 0, sizeof *out);
    all_nan(&out->m);
    if (!ink || (ink->n && (!ink->x_mm || !ink->y_mm || !ink->t_s || !ink->pen_down)))
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_analyse: no recording");
    ps_ink_params def;
    if (!p) {
        ps_ink_params_default(&def);
        p = &def;
    }
    ps_ink_metrics *m = &out->m;
    if (!ink_pen_down_span(ink, &out->first, &out->last)) {
        ink_warn(out, "the pen never touches the surface: nothing to measure");
        m->strokes = m->pen_lifts = 0;
        return PS_OK;
    }
    size_t ns = ink_strokes(ink, out->first, out->last, NULL);
    out->strokes = ps_calloc(ns, sizeof *out->strokes);
    if (!out->strokes)
        return ps_fail(PS_ERR_NOMEM, "out of memory for %zu strokes", ns);
    out->n_strokes = ink_strokes(ink, out->first, out->last, out->strokes);

    const double *x = ink->x_mm, *y = ink->y_mm, *t = ink->t_s;
    double on = 0, air = 0, gaps = 0, path = 0;
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    size_t n_on = 0, longest = 0;
    for (size_t k = 0; k < out->n_strokes; k++) {
        const ps_ink_stroke *s = &out->strokes[k];
        size_t a = s->first, b = s->first + s->count - 1;
        if (s->count > longest)
            longest = s->count;
        if (!s->pen_down) {
            air += t[b] - t[a];
            continue;
        }
        n_on++;
        on += t[b] - t[a];
        if (k > 0) /* time from the previous pen-down stroke's end */
            for (size_t q = k; q-- > 0;)
                if (out->strokes[q].pen_down) {
                    gaps += t[a] - t[out->strokes[q].first + out->strokes[q].count - 1];
                    break;
                }
        for (size_t i = a; i <= b; i++) {
            if (i > a)
                path += hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
            xmin = fmin(xmin, x[i]);
            xmax = fmax(xmax, x[i]);
            ymin = fmin(ymin, y[i]);
            ymax = fmax(ymax, y[i]);
        }
    }
    bool hover = (ink->channels & PS_INK_HAS_HOVER) != 0;
    m->duration_s = t[out->last] - t[out->first];
    m->on_surface_s = on;
    /* with hover samples the in-air time is that of the in-air strokes (as
     * BDALab); without, the time between pen-down strokes */
    m->in_air_s = hover ? air : gaps;
    m->air_surface_ratio = on > 0 ? m->in_air_s / on : NAN;
    m->strokes = (double)n_on;
    m->pen_lifts = (double)(n_on - 1);
    m->path_mm = path;
    m->width_mm = xmax - xmin;
    m->height_mm = ymax - ymin;

    work w;
    ps_status rc = work_alloc(&w, longest);
    if (rc != PS_OK) {
        work_free(&w);
        ps_ink_result_release(out);
        return rc;
    }
    kinematic_metrics(ink, out, m, &w);
    work_free(&w);
    if (!hover || n_on == 1) {
        m->velocity_air_mm_s_mean = NAN;
        ink_warn(out, n_on == 1 ? "velocity_air_mm_s_mean: no pen lift inside the recording"
                                : "velocity_air_mm_s_mean: the device reports no in-air samples");
    }
    if (!(ink->channels & PS_INK_HAS_TIME))
        ink_warn(out, "no time channel: times, speeds and rates assume %g Hz sampling", ink->fs_hz);
    channel_stats(ink, out, m);
    if (!ink->pressure)
        ink_warn(out, "pressure_mean, pressure_sd: the recording has no pressure channel");
    if (!ink->altitude_deg)
        ink_warn(out, "tilt_deg_mean, tilt_deg_sd: the recording has no tilt (altitude) channel");
    if (!ink->azimuth_deg)
        ink_warn(out, "azimuth_deg_mean, azimuth_deg_sd: the recording has no azimuth channel");

    if (p->text || p->task) {
        rc = ink_letters_analyse(ink, p, out);
        if (rc != PS_OK) {
            ps_ink_result_release(out);
            return rc;
        }
    } else
        ink_warn(out, "formation_score, start_errors, direction_errors, order_errors, stroke_count_errors, reversals, "
                      "letters_per_min: no expected text or letter task given");
    return PS_OK;
}

void ps_ink_result_release(ps_ink_result *r)
{
    if (!r)
        return;
    ps_free(r->strokes);
    ps_free(r->letters);
    r->strokes = NULL;
    r->letters = NULL;
    r->n_strokes = r->n_letters = 0;
}
