/* Reader for Wacom/BDALab .svc recordings: the first line is the sample
 * count, every following line holds 7 numbers separated by white space, in
 * an order the caller names (PaHaW: y x time pen_status azimuth altitude
 * pressure; most other files put x first). Angles are tenths of a degree.
 * Unlike BDALab's pandas reader, trailing white space on a line is harmless,
 * and a count line that disagrees with the rows only adds a note (every row
 * is used, as BDALab does). */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { C_X, C_Y, C_T, C_PEN, C_AZ, C_ALT, C_P, C_N };

static int column_id(const char *s, size_t n)
{
    static const struct { const char *name; int id; } names[] = {
        {"x", C_X}, {"y", C_Y}, {"time", C_T}, {"t", C_T}, {"pen_status", C_PEN}, {"pen", C_PEN},
        {"button", C_PEN}, {"azimuth", C_AZ}, {"altitude", C_ALT}, {"tilt", C_ALT}, {"elevation", C_ALT},
        {"pressure", C_P},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].name) == n && !strncmp(names[i].name, s, n))
            return names[i].id;
    return -1;
}

/* order[k] = which quantity file column k holds. */
static ps_status parse_columns(const char *spec, int order[C_N])
{
    int seen[C_N] = {0}, k = 0;
    const char *s = spec;
    while (*s) {
        const char *e = s;
        while (*e && *e != ',')
            e++;
        while (s < e && *s == ' ')
            s++;
        const char *te = e;
        while (te > s && te[-1] == ' ')
            te--;
        int id = column_id(s, (size_t)(te - s));
        if (id < 0)
            return ps_fail(PS_ERR_INVALID_ARG, "--columns: unknown column '%.*s' (use x, y, time, pen_status, azimuth, altitude, pressure)",
                           (int)(te - s), s);
        if (seen[id])
            return ps_fail(PS_ERR_INVALID_ARG, "--columns: '%.*s' given twice", (int)(te - s), s);
        if (k >= C_N)
            return ps_fail(PS_ERR_INVALID_ARG, "--columns: more than 7 columns");
        seen[id] = 1;
        order[k++] = id;
        s = *e ? e + 1 : e;
    }
    if (k != C_N)
        return ps_fail(PS_ERR_INVALID_ARG, "--columns: needs all 7 columns (x, y, time, pen_status, azimuth, altitude, pressure), got %d", k);
    return PS_OK;
}

ps_status ink_svc_columns_check(const char *spec)
{
    int order[C_N];
    return parse_columns(spec, order);
}

ps_status ink_read_svc(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out)
{
    int order[C_N];
    ps_status rc = parse_columns(p->columns ? p->columns : PS_INK_DEFAULT_COLUMNS, order);
    if (rc != PS_OK)
        return rc;
    ink_raw raw;
    ink_raw_init(&raw, p);
    raw.has_t = raw.has_p = raw.has_az = raw.has_alt = true;
    ink_lines lines = {0};
    const char *s = buf, *end = buf + len;
    size_t line = 0;
    long long header = -1;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        line++;
        const char *f = s;
        double v[C_N];
        int nf = 0;
        while (f < le) {
            while (f < le && (*f == ' ' || *f == '\t' || *f == '\r'))
                f++;
            if (f >= le)
                break;
            const char *fe = f;
            while (fe < le && *fe != ' ' && *fe != '\t' && *fe != '\r')
                fe++;
            double x;
            if (!ink_parse_num(f, fe, &x)) {
                rc = ps_fail(PS_ERR_CORRUPT, "line %zu: '%.*s' is not a number", line,
                             (int)((fe - f) > 24 ? 24 : (fe - f)), f);
                goto fail;
            }
            if (nf < C_N)
                v[nf] = x;
            nf++;
            f = fe;
        }
        s = nl ? nl + 1 : end;
        if (nf == 0)
            continue; /* blank line */
        if (header < 0) {
            if (nf != 1) {
                rc = ps_fail(PS_ERR_CORRUPT, "line %zu: expected the sample count, found %d values", line, nf);
                goto fail;
            }
            if (!(v[0] >= 0 && v[0] <= 1e15) || v[0] != floor(v[0])) {
                rc = ps_fail(PS_ERR_CORRUPT, "line %zu: %g is not a sample count", line, v[0]);
                goto fail;
            }
            header = (long long)v[0];
            continue;
        }
        if (nf != C_N) {
            rc = ps_fail(PS_ERR_CORRUPT, "line %zu: expected 7 values, found %d", line, nf);
            goto fail;
        }
        double q[C_N];
        for (int k = 0; k < C_N; k++)
            q[order[k]] = v[k];
        if (q[C_PEN] != 0 && q[C_PEN] != 1) {
            rc = ps_fail(PS_ERR_CORRUPT, "line %zu: pen status must be 0 or 1, found %g", line, q[C_PEN]);
            goto fail;
        }
        if (q[C_P] < 0) {
            rc = ps_fail(PS_ERR_CORRUPT, "line %zu: negative pressure %g", line, q[C_P]);
            goto fail;
        }
        if ((rc = ink_lines_set(&lines, raw.n, line)) != PS_OK)
            goto fail;
        rc = ink_raw_push(&raw, q[C_X], q[C_Y], q[C_T], (int)q[C_PEN], q[C_P], q[C_AZ], q[C_ALT]);
        if (rc != PS_OK) {
            ps_fail(rc, "line %zu: %s", line, ps_last_error());
            goto fail;
        }
    }
    if (header < 0) {
        rc = ps_fail(PS_ERR_CORRUPT, "no sample count line: not an svc recording");
        goto fail;
    }
    if (raw.n == 0) {
        rc = ps_fail(PS_ERR_CORRUPT, "no samples after the count line");
        goto fail;
    }
    size_t nsamples = raw.n;
    ink_units u = {.xy_mm = 0, .t_s = 0, .angle_deg = 0.1, .pressure_max = 0,
                   .y_up = p->y_axis != PS_INK_Y_DOWN};
    rc = ink_finish(&raw, &u, p, PS_INK_SVC, ink_where_line, &lines, out);
    ink_lines_release(&lines);
    if (rc == PS_OK && (long long)nsamples != header)
        ink_note(out, "count line says %lld samples, file has %zu", header, nsamples);
    return rc;
fail:
    ink_lines_release(&lines);
    ink_raw_release(&raw);
    return rc;
}
