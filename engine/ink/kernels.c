/* Feature kernels shared by penscope's metrics and the BDALab-compatible
 * path used by the tests: strokes, kinematics, the Gaussian zero-phase
 * filter, extremum counting, writing stops and angle statistics. Plain C;
 * the callers allocate every work buffer once per recording. */
#include "ink/ink_internal.h"
#include <math.h>
#include <string.h>

bool ink_pen_down_span(const ps_ink *ink, size_t *first, size_t *last)
{
    size_t i = 0;
    while (i < ink->n && !ink->pen_down[i])
        i++;
    if (i == ink->n)
        return false;
    size_t j = ink->n - 1;
    while (!ink->pen_down[j])
        j--;
    *first = i;
    *last = j;
    return true;
}

size_t ink_strokes(const ps_ink *ink, size_t first, size_t last, ps_ink_stroke *strokes)
{
    size_t k = 0;
    for (size_t i = first; i <= last;) {
        size_t j = i + 1;
        int down = ink->pen_down[i] != 0;
        while (j <= last && (ink->pen_down[j] != 0) == down && ink->pen_down[j] != 2)
            j++;
        if (strokes) {
            strokes[k].first = i;
            strokes[k].count = j - i;
            strokes[k].pen_down = down;
        }
        k++;
        i = j;
    }
    return k;
}

ink_stats ink_stats_of(const double *v, size_t n)
{
    /* two passes: BDALab's numpy mean/std, without Welford's rounding path */
    ink_stats s = {0, NAN, NAN};
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            sum += v[i];
            s.n++;
        }
    if (!s.n)
        return s;
    s.mean = sum / (double)s.n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            ss += (v[i] - s.mean) * (v[i] - s.mean);
    s.sd = sqrt(ss / (double)s.n);
    return s;
}

size_t ink_kinematics(const ps_ink *ink, size_t first, size_t count, int axis, double *v, double *a, double *j)
{
    if (count < 2)
        return 0;
    const double *x = ink->x_mm + first, *y = ink->y_mm + first, *t = ink->t_s + first;
    size_t nv = count - 1;
    for (size_t i = 0; i < nv; i++) {
        double dx = x[i + 1] - x[i], dy = y[i + 1] - y[i], dt = t[i + 1] - t[i];
        double d = axis == 1 ? fabs(dx) : axis == 2 ? fabs(dy) : sqrt(dx * dx + dy * dy);
        v[i] = dt > 0 ? d / dt : NAN;
    }
    if (a)
        for (size_t i = 0; i + 1 < nv; i++) {
            double dt = t[i + 2] - t[i + 1];
            a[i] = dt > 0 ? (v[i + 1] - v[i]) / dt : NAN;
        }
    if (a && j)
        for (size_t i = 0; i + 2 < nv; i++) {
            double dt = t[i + 3] - t[i + 2];
            j[i] = dt > 0 ? (a[i + 1] - a[i]) / dt : NAN;
        }
    return nv;
}

void ink_gauss_window(double w[INK_GAUSS_LEN])
{
    const double sigma = 10.0, mid = (INK_GAUSS_LEN - 1) / 2.0;
    double sum = 0;
    for (int i = 0; i < INK_GAUSS_LEN; i++) {
        double n = i - mid;
        w[i] = exp(-(n * n) / (2 * sigma * sigma));
        sum += w[i];
    }
    for (int i = 0; i < INK_GAUSS_LEN; i++)
        w[i] /= sum;
}

/* Causal FIR over e (m values) as if e[<0] == e[0]; the sum runs from the
 * oldest tap to the newest, the order of a transposed direct-form filter. */
static void fir_const_start(const double *w, int nw, const double *e, size_t m, double *out)
{
    double e0 = e[0];
    for (size_t i = 0; i < m; i++) {
        double acc = 0;
        for (int k = nw - 1; k >= 0; k--) {
            double xv = (size_t)k <= i ? e[i - (size_t)k] : e0;
            acc = w[k] * xv + acc;
        }
        out[i] = acc;
    }
}

void ink_filtfilt_fir(const double *w, int nw, const double *x, size_t n, size_t padlen, double *y, double *work)
{
    size_t m = n + 2 * padlen;
    double *ext = work, *tmp = work + m;
    /* odd extension: 2*x[0] - x[padlen..1], x, 2*x[n-1] - x[n-2..n-1-padlen] */
    for (size_t i = 0; i < padlen; i++)
        ext[i] = 2 * x[0] - x[padlen - i];
    memcpy(ext + padlen, x, n * sizeof *x);
    for (size_t i = 0; i < padlen; i++)
        ext[padlen + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    fir_const_start(w, nw, ext, m, tmp);
    for (size_t i = 0; i < m / 2; i++) { /* reverse in place */
        double t = tmp[i];
        tmp[i] = tmp[m - 1 - i];
        tmp[m - 1 - i] = t;
    }
    fir_const_start(w, nw, tmp, m, ext);
    for (size_t i = 0; i < n; i++)
        y[i] = ext[m - 1 - padlen - i];
}

size_t ink_count_extrema(const double *v, size_t n, double tol)
{
    size_t c = 0;
    for (size_t i = 1; i + 1 < n; i++)
        if ((v[i] > v[i - 1] + tol && v[i] > v[i + 1] + tol) || (v[i] < v[i - 1] - tol && v[i] < v[i + 1] - tol))
            c++;
    return c;
}

size_t ink_stops(double *v, size_t nv, double mean_dt, double *samples_sum)
{
    if (nv == 0 || !(mean_dt > 0))
        return 0;
    for (size_t i = 0; i < nv; i++)
        if (!(v[i] > 1.0)) /* <= 1 mm/s (and NAN) is standing still */
            v[i] = 0;
    double need = ceil(0.015 / mean_dt);
    /* Zero runs: l = index of the last moving sample before the run (0 when
     * the stroke starts still), r = index of the run's last zero (nv when it
     * ends still). Kept when r - l > need; neighbours closer than 2*need fuse. */
    size_t count = 0;
    double cur_l = 0, cur_r = 0;
    bool have = false;
    size_t i = 0;
    while (i < nv) {
        if (v[i] != 0) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < nv && v[i] == 0)
            i++;
        double l = s == 0 ? 0 : (double)(s - 1);
        double r = i == nv ? (double)nv : (double)(i - 1);
        if (!(r - l > need))
            continue;
        if (have && l - cur_r < 2 * need) {
            cur_r = r; /* fuse with the previous stop */
            continue;
        }
        if (have) {
            count++;
            if (samples_sum)
                *samples_sum += cur_r - cur_l - 1;
        }
        cur_l = l;
        cur_r = r;
        have = true;
    }
    if (have) {
        count++;
        if (samples_sum)
            *samples_sum += cur_r - cur_l - 1;
    }
    return count;
}

void ink_circular_stats(const double *deg, size_t n, double *mean, double *sd)
{
    double c = 0, s = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(deg[i]))
            continue;
        double r = deg[i] * M_PI / 180;
        c += cos(r);
        s += sin(r);
        k++;
    }
    if (!k) {
        *mean = *sd = NAN;
        return;
    }
    c /= (double)k;
    s /= (double)k;
    double m = atan2(s, c) * 180 / M_PI;
    if (m < 0)
        m += 360;
    double R = sqrt(c * c + s * s);
    *mean = m;
    *sd = R >= 1 ? 0 : R <= 0 ? NAN : sqrt(-2 * log(R)) * 180 / M_PI;
}
