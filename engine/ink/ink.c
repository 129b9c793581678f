/* The ps_ink recording: reader dispatch, raw sample collection and the one
 * place where file units become mm, s, degrees and normalised pressure, so
 * that every reader converts the same way. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ps_ink_read_params_default(ps_ink_read_params *p)
{
    memset(p, 0, sizeof *p);
    p->columns = NULL;
    p->lpi = PS_INK_DEFAULT_LPI;
    p->fs_hz = PS_INK_DEFAULT_FS;
    p->pressure_max = 0;
    p->y_axis = PS_INK_Y_AUTO;
    ps_limits_default(&p->limits);
}

void ink_raw_init(ink_raw *r, const ps_ink_read_params *p)
{
    memset(r, 0, sizeof *r);
    r->max_samples = p && p->limits.max_ink_samples ? (size_t)p->limits.max_ink_samples : (size_t)10000000;
}

void ink_raw_release(ink_raw *r)
{
    ps_free(r->x);
    ps_free(r->y);
    ps_free(r->t);
    ps_free(r->p);
    ps_free(r->az);
    ps_free(r->alt);
    ps_free(r->pen);
    memset(r, 0, sizeof *r);
}

static bool grow(void **p, size_t cap, size_t elem)
{
    size_t bytes;
    if (!ps_size_mul_ok(cap, elem, &bytes))
        return false;
    void *q = ps_realloc(*p, bytes);
    if (!q)
        return false;
    *p = q;
    return true;
}

ps_status ink_lines_set(ink_lines *l, size_t sample, size_t line)
{
    if (sample >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        if (cap <= sample)
            cap = sample + 1;
        if (!grow((void **)&l->of, cap, sizeof *l->of))
            return ps_fail(PS_ERR_NOMEM, "out of memory reading line %zu", line);
        l->cap = cap;
    }
    l->of[sample] = line;
    return PS_OK;
}

void ink_where_line(size_t sample, char *buf, size_t cap, void *ud)
{
    const ink_lines *l = ud;
    snprintf(buf, cap, "line %zu", sample < l->cap ? l->of[sample] : 0);
}

void ink_lines_release(ink_lines *l)
{
    ps_free(l->of);
    memset(l, 0, sizeof *l);
}

ps_status ink_raw_push(ink_raw *r, double x, double y, double t, int pen, double p, double az, double alt)
{
    if (r->n >= r->max_samples)
        return ps_fail(PS_ERR_LIMIT, "more than %zu samples (the ink sample limit)", r->max_samples);
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        if (cap > r->max_samples)
            cap = r->max_samples;
        if (!grow((void **)&r->x, cap, sizeof(double)) || !grow((void **)&r->y, cap, sizeof(double)) ||
            !grow((void **)&r->t, cap, sizeof(double)) || !grow((void **)&r->p, cap, sizeof(double)) ||
            !grow((void **)&r->az, cap, sizeof(double)) || !grow((void **)&r->alt, cap, sizeof(double)) ||
            !grow((void **)&r->pen, cap, 1))
            return ps_fail(PS_ERR_NOMEM, "out of memory for %zu ink samples", cap);
        r->cap = cap;
    }
    size_t i = r->n++;
    r->x[i] = x;
    r->y[i] = y;
    r->t[i] = t;
    r->pen[i] = (uint8_t)(pen == 2 ? 2 : pen != 0);
    r->p[i] = p;
    r->az[i] = az;
    r->alt[i] = alt;
    if (!pen)
        r->has_hover = true;
    return PS_OK;
}

void ink_note(ps_ink *ink, const char *fmt, ...)
{
    size_t used = strlen(ink->notes);
    if (used + 3 >= sizeof ink->notes)
        return;
    if (used) {
        memcpy(ink->notes + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ink->notes + used, sizeof ink->notes - used, fmt, ap);
    va_end(ap);
}

static bool all_integers(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != floor(v[i]))
            return false;
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the positive steps of t (0 when there are none). */
static double median_step(const double *t, size_t n)
{
    if (n < 2)
        return 0;
    double *d = ps_malloc((n - 1) * sizeof *d);
    if (!d)
        return 0;
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
        if (t[i] > t[i - 1])
            d[k++] = t[i] - t[i - 1];
    double med = 0;
    if (k) {
        qsort(d, k, sizeof *d, cmp_double);
        med = k % 2 ? d[k / 2] : 0.5 * (d[k / 2 - 1] + d[k / 2]);
    }
    ps_free(d);
    return med;
}

/* Full scale of a pressure channel when neither the file nor the caller
 * says: already 0..1, else the first common device range that holds the
 * largest value seen: 2048 levels (Wacom Intuos 4/5/Pro, PaHaW's tablet),
 * 8192 (Wacom Pro Pen 2), 32768 (Windows Ink, BDALab's jack recording),
 * then powers of two. A fixed ladder, not the file's own maximum, so that
 * recordings from one device are normalised alike (a light writer on an
 * 8192-level pen is the case it gets wrong: give pressure_max then). */
static double auto_pressure_max(const double *p, size_t n)
{
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] > mx)
            mx = p[i];
    if (mx <= 1.0)
        return 1.0;
    static const double ladder[] = {2048, 8192, 32768, 65536};
    for (size_t i = 0; i < sizeof ladder / sizeof *ladder; i++)
        if (mx <= ladder[i])
            return ladder[i];
    return ldexp(1.0, (int)ceil(log2(mx)));
}

ps_status ink_finish(ink_raw *r, const ink_units *u, const ps_ink_read_params *p, ps_ink_format fmt,
                     ink_where_fn where, void *where_ud, ps_ink *out)
{
    memset(out, 0, sizeof *out);
    out->format = fmt;
    if (r->n == 0) {
        ink_raw_release(r);
        return ps_fail(PS_ERR_CORRUPT, "no samples");
    }
    size_t n = r->n;
    /* Tablets do emit a repeated or slightly earlier timestamp now and then
     * (PaHaW has a few); such intervals are skipped by the kinematics
     * (dt <= 0), so they are noted, not refused. */
    size_t back = 0, first_back = 0;
    for (size_t i = 1; i < n && r->has_t; i++)
        if (r->t[i] < r->t[i - 1] && back++ == 0)
            first_back = i;
    /* coordinates */
    double lpi = p->lpi > 0 ? p->lpi : PS_INK_DEFAULT_LPI;
    double xy = u->xy_mm;
    if (xy <= 0) {
        if (all_integers(r->x, n) && all_integers(r->y, n)) {
            xy = 25.4 / lpi;
            ink_note(out, "coordinates in tablet counts at %g lpi", lpi);
        } else {
            xy = 1.0;
            ink_note(out, "coordinates taken as mm (not whole numbers)");
        }
    }
    out->mm_per_unit = xy;
    double ysign = u->y_up ? -1.0 : 1.0;
    /* counts * 25.4 / lpi, in that order, as BDALab's transformer rounds */
    bool counts = xy == 25.4 / lpi;
    for (size_t i = 0; i < n; i++) {
        r->x[i] = counts ? r->x[i] * 25.4 / lpi : r->x[i] * xy;
        r->y[i] = ysign * (counts ? r->y[i] * 25.4 / lpi : r->y[i] * xy);
    }
    /* time */
    double fs = p->fs_hz > 0 ? p->fs_hz : PS_INK_DEFAULT_FS;
    if (r->has_t) {
        double ts = u->t_s;
        if (ts <= 0) {
            bool ints = all_integers(r->t, n);
            ts = ints && median_step(r->t, n) >= 1 ? 1e-3 : 1.0;
            ink_note(out, "time in %s", ts == 1.0 ? "s" : "ms");
        }
        double t0 = r->t[0];
        for (size_t i = 0; i < n; i++) /* ms are divided by 1000, as BDALab does: same rounding */
            r->t[i] = ts == 1e-3 ? (r->t[i] - t0) / 1000.0 : (r->t[i] - t0) * ts;
        double step = median_step(r->t, n);
        out->fs_hz = step > 0 ? 1.0 / step : fs;
        out->channels |= PS_INK_HAS_TIME;
    } else {
        for (size_t i = 0; i < n; i++)
            r->t[i] = (double)i / fs;
        out->fs_hz = fs;
        ink_note(out, "no time channel: samples taken %g ms apart (--fs %g)", 1000.0 / fs, fs);
    }
    /* 10 km and 3 years: anything beyond is a broken file, and keeps every
     * later sum, square and drawing finite */
    for (size_t i = 0; i < n; i++) {
        bool ok = fabs(r->x[i]) <= 1e7 && fabs(r->y[i]) <= 1e7 && r->t[i] <= 1e8 && r->t[i] >= -1e8 &&
                  fabs(r->az[i]) <= 1e7 && fabs(r->alt[i]) <= 1e7 && r->p[i] <= 1e9;
        if (!ok) {
            char at[64];
            if (where)
                where(i, at, sizeof at, where_ud);
            else
                snprintf(at, sizeof at, "sample %zu", i + 1);
            ink_raw_release(r);
            return ps_fail(PS_ERR_CORRUPT, "%s: a value is out of range (position over 10 km, time over 3 years, "
                           "or angle/pressure absurd)", at);
        }
    }
    /* pressure */
    if (r->has_p) {
        double full = u->pressure_max > 0 ? u->pressure_max : p->pressure_max > 0 ? p->pressure_max
                                                                                 : auto_pressure_max(r->p, n);
        out->pressure_max = full;
        if (!(u->pressure_max > 0) && !(p->pressure_max > 0) && full > 1)
            ink_note(out, "pressure full scale %g levels (assumed from the values)", full);
        for (size_t i = 0; i < n; i++) {
            double v = r->p[i] / full;
            r->p[i] = v < 0 ? 0 : v > 1 ? 1 : v;
        }
        out->pressure = r->p;
        r->p = NULL;
        out->channels |= PS_INK_HAS_PRESSURE;
    }
    double ang = u->angle_deg > 0 ? u->angle_deg : 1.0;
    if (r->has_az) {
        for (size_t i = 0; i < n; i++)
            r->az[i] *= ang;
        out->azimuth_deg = r->az;
        r->az = NULL;
        out->channels |= PS_INK_HAS_AZIMUTH;
    }
    if (r->has_alt) {
        for (size_t i = 0; i < n; i++)
            r->alt[i] *= ang;
        out->altitude_deg = r->alt;
        r->alt = NULL;
        out->channels |= PS_INK_HAS_ALTITUDE;
    }
    if (r->has_hover)
        out->channels |= PS_INK_HAS_HOVER;
    if (back) {
        char at[64];
        if (where)
            where(first_back, at, sizeof at, where_ud);
        else
            snprintf(at, sizeof at, "sample %zu", first_back + 1);
        ink_note(out, "time goes backwards %zu time(s), first at %s", back, at);
    }
    out->n = n;
    out->x_mm = r->x;
    out->y_mm = r->y;
    out->t_s = r->t;
    out->pen_down = r->pen;
    r->x = r->y = r->t = NULL;
    r->pen = NULL;
    ink_raw_release(r);
    return PS_OK;
}

void ps_ink_release(ps_ink *ink)
{
    if (!ink)
        return;
    ps_free(ink->x_mm);
    ps_free(ink->y_mm);
    ps_free(ink->t_s);
    ps_free(ink->pen_down);
    ps_free(ink->pressure);
    ps_free(ink->azimuth_deg);
    ps_free(ink->altitude_deg);
    memset(ink, 0, sizeof *ink);
}

bool ink_parse_num(const char *s, const char *end, double *out)
{
    char tmp[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    char *e;
    double v = strtod(tmp, &e);
    if (e != tmp + n || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* The format from the first non-blank bytes: '<' is XML, a line of digits is
 * an svc count line, a letter starts a CSV header. */
static ps_ink_format sniff(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
        i = 3;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i >= len)
        return PS_INK_AUTO;
    if (buf[i] == '<')
        return PS_INK_INKML;
    size_t j = i;
    while (j < len && buf[j] >= '0' && buf[j] <= '9')
        j++;
    if (j > i && (j == len || buf[j] == '\n' || buf[j] == '\r' || buf[j] == ' ' || buf[j] == '\t')) {
        size_t k = j;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t'))
            k++;
        if (k == len || buf[k] == '\n' || buf[k] == '\r')
            return PS_INK_SVC;
    }
    return PS_INK_CSV;
}

ps_status ps_ink_read_memory(const void *buf, size_t len, ps_ink_format fmt, const ps_ink_read_params *p,
                             ps_ink *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_read_memory: no output");
    memset(out, 0, sizeof *out);
    if (!buf && len)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_read_memory: no input");
    ps_ink_read_params def;
    if (!p) {
        ps_ink_read_params_default(&def);
        p = &def;
    }
    if (len == 0)
        return ps_fail(PS_ERR_CORRUPT, "empty ink recording");
    if (fmt == PS_INK_AUTO)
        fmt = sniff(buf, len);
    switch (fmt) {
    case PS_INK_SVC: return ink_read_svc(buf, len, p, out);
    case PS_INK_INKML: return ink_read_inkml(buf, len, p, out);
    case PS_INK_CSV: return ink_read_csv(buf, len, p, out);
    default: return ps_fail(PS_ERR_CORRUPT, "empty ink recording");
    }
}

/* File names of pen recordings often hold a child's name and birth date
 * (BDALab's do), so messages say "the file" instead of repeating the path:
 * the caller already knows which file it passed. */
static ps_status scrub_path(ps_status rc, const char *path)
{
    char msg[PS_ERRMSG_MAX], out[PS_ERRMSG_MAX];
    snprintf(msg, sizeof msg, "%s", ps_last_error());
    size_t pl = strlen(path), o = 0;
    for (const char *s = msg; *s && o + 1 < sizeof out;) {
        bool quoted = s[0] == '\'' && pl && !strncmp(s + 1, path, pl) && s[pl + 1] == '\'';
        if (quoted || (pl && !strncmp(s, path, pl))) {
            int w = snprintf(out + o, sizeof out - o, "the file");
            if (quoted)
                s += 2;
            o += w > 0 ? (size_t)w : 0;
            if (o >= sizeof out)
                o = sizeof out - 1;
            s += pl;
        } else
            out[o++] = *s++;
    }
    out[o] = 0;
    return ps_fail(rc, "%s", out);
}

ps_status ps_ink_read_file(const char *path, ps_ink_format fmt, const ps_ink_read_params *p, ps_ink *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_read_file: no output");
    memset(out, 0, sizeof *out);
    if (!path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_read_file: no path");
    ps_ink_read_params def;
    if (!p) {
        ps_ink_read_params_default(&def);
        p = &def;
    }
    unsigned char *data;
    size_t len;
    ps_status rc = ps_file_read_all(path, p->limits.max_file_bytes, &data, &len);
    if (rc != PS_OK)
        return scrub_path(rc, path);
    if (fmt == PS_INK_AUTO) {
        char ext[16];
        ps_path_ext(path, ext, sizeof ext);
        ps_ink_format sniffed = sniff((const char *)data, len);
        if (sniffed == PS_INK_INKML || !strcmp(ext, "inkml") || !strcmp(ext, "xml"))
            fmt = PS_INK_INKML;
        else if (!strcmp(ext, "svc"))
            fmt = PS_INK_SVC;
        else if (!strcmp(ext, "csv"))
            fmt = PS_INK_CSV;
        else
            fmt = sniffed;
    }
    rc = ps_ink_read_memory(data, len, fmt, p, out);
    ps_free(data);
    return rc;
}
