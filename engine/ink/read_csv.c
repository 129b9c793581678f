/* Reader for pen recordings as CSV with a header line. Column names (any
 * case, optional quotes) say what a column holds and in which unit:
 *   x, y            coordinates; whole numbers are tablet counts (--lpi), else mm
 *   x_mm, y_mm      millimetres
 *   t, time         time; whole numbers with steps >= 1 are ms, else s
 *   t_s, time_s / t_ms, time_ms   seconds / milliseconds
 *   pen, pen_down, pen_status, button, touch   1 = on the surface, 0 = in the air
 *   pressure        raw or 0..1 (normalised as README explains)
 *   azimuth[_deg], altitude[_deg] (also tilt, elevation)   degrees
 * Other columns are ignored. Without a pen column, a sample is on the
 * surface when its pressure is above 0 (or always, without pressure).
 * Separator: the first of ',', ';' or tab found in the header. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { K_X, K_Y, K_T, K_PEN, K_P, K_AZ, K_ALT, K_N };

typedef struct col_spec {
    const char *name;
    int kind;
    double unit; /* 0 = detect */
} col_spec;

static const col_spec specs[] = {
    {"x", K_X, 0}, {"x_mm", K_X, 1}, {"y", K_Y, 0}, {"y_mm", K_Y, 1},
    {"t", K_T, 0}, {"time", K_T, 0}, {"t_s", K_T, 1}, {"time_s", K_T, 1}, {"t_ms", K_T, 1e-3},
    {"time_ms", K_T, 1e-3}, {"pen", K_PEN, 1}, {"pen_down", K_PEN, 1}, {"pen_status", K_PEN, 1},
    {"button", K_PEN, 1}, {"touch", K_PEN, 1}, {"pressure", K_P, 0}, {"azimuth", K_AZ, 1},
    {"azimuth_deg", K_AZ, 1}, {"altitude", K_ALT, 1}, {"altitude_deg", K_ALT, 1}, {"tilt", K_ALT, 1},
    {"tilt_deg", K_ALT, 1}, {"elevation", K_ALT, 1}, {"elevation_deg", K_ALT, 1},
};

static const col_spec *find_spec(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        if (strlen(specs[i].name) == n && !strncasecmp(specs[i].name, s, n))
            return &specs[i];
    return NULL;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
    if (*e - *s >= 2 && **s == '"' && (*e)[-1] == '"') {
        (*s)++;
        (*e)--;
    }
}

#define CSV_MAX_COLS 64

ps_status ink_read_csv(const char *buf, size_t len, const ps_ink_read_params *p, ps_ink *out)
{
    const char *s = buf, *end = buf + len;
    if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3;
    size_t line = 0;
    /* header: the first non-blank line */
    const char *he = NULL;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        he = nl ? nl : end;
        line++;
        const char *a = s, *b = he;
        trim(&a, &b);
        if (a < b)
            break;
        s = nl ? nl + 1 : end;
        he = NULL;
    }
    if (!he)
        return ps_fail(PS_ERR_CORRUPT, "no header line: a CSV recording starts with column names such as x,y,t,pen,pressure");
    char sep = 0;
    for (const char *c = s; c < he && !sep; c++)
        if (*c == ',' || *c == ';' || *c == '\t')
            sep = *c;
    if (!sep)
        sep = ',';
    int kind_of[CSV_MAX_COLS];
    int col_of[K_N];
    double unit_of[K_N] = {0};
    for (int k = 0; k < K_N; k++)
        col_of[k] = -1;
    int ncols = 0;
    for (const char *f = s; f <= he;) {
        const char *fe = f;
        while (fe < he && *fe != sep)
            fe++;
        if (ncols >= CSV_MAX_COLS)
            return ps_fail(PS_ERR_CORRUPT, "line %zu: more than %d columns", line, CSV_MAX_COLS);
        const char *a = f, *b = fe;
        trim(&a, &b);
        for (const char *c = a; c < b; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                return ps_fail(PS_ERR_CORRUPT, "line %zu: column names must be plain text", line);
        const col_spec *cs = find_spec(a, (size_t)(b - a));
        kind_of[ncols] = -1;
        if (cs) {
            if (col_of[cs->kind] >= 0)
                return ps_fail(PS_ERR_CORRUPT, "line %zu: column '%.*s' repeats a quantity already given", line,
                               (int)(b - a), a);
            col_of[cs->kind] = ncols;
            unit_of[cs->kind] = cs->unit;
            kind_of[ncols] = cs->kind;
        }
        ncols++;
        if (fe == he)
            break;
        f = fe + 1;
    }
    if (col_of[K_X] < 0 || col_of[K_Y] < 0)
        return ps_fail(PS_ERR_CORRUPT, "line %zu: the header needs x and y columns (x, y or x_mm, y_mm)", line);
    s = he < end ? he + 1 : end;

    ink_raw raw;
    ink_raw_init(&raw, p);
    raw.has_t = col_of[K_T] >= 0;
    raw.has_p = col_of[K_P] >= 0;
    raw.has_az = col_of[K_AZ] >= 0;
    raw.has_alt = col_of[K_ALT] >= 0;
    ink_lines lines = {0};
    ps_status rc = PS_OK;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        line++;
        const char *a0 = s, *b0 = le;
        trim(&a0, &b0);
        const char *ls = s;
        s = nl ? nl + 1 : end;
        if (a0 == b0)
            continue;
        double v[K_N] = {0};
        int col = 0;
        for (const char *f = ls; f <= le; col++) {
            const char *fe = f;
            while (fe < le && *fe != sep)
                fe++;
            if (col >= ncols) {
                rc = ps_fail(PS_ERR_CORRUPT, "line %zu: more values than the %d header columns", line, ncols);
                goto fail;
            }
            int k = kind_of[col];
            if (k >= 0) {
                const char *a = f, *b = fe;
                trim(&a, &b);
                if (!ink_parse_num(a, b, &v[k])) {
                    rc = ps_fail(PS_ERR_CORRUPT, "line %zu, column %d: '%.*s' is not a number", line, col + 1,
                                 (int)((b - a) > 24 ? 24 : (b - a)), a);
                    goto fail;
                }
            }
            if (fe == le) {
                col++;
                break;
            }
            f = fe + 1;
        }
        if (col != ncols) {
            rc = ps_fail(PS_ERR_CORRUPT, "line %zu: %d values, the header has %d columns", line, col, ncols);
            goto fail;
        }
        int pen;
        if (col_of[K_PEN] >= 0) {
            if (v[K_PEN] != 0 && v[K_PEN] != 1) {
                rc = ps_fail(PS_ERR_CORRUPT, "line %zu: pen must be 0 or 1, found %g", line, v[K_PEN]);
                goto fail;
            }
            pen = (int)v[K_PEN];
        } else
            pen = raw.has_p ? v[K_P] > 0 : 1;
        if (raw.has_p && v[K_P] < 0) {
            rc = ps_fail(PS_ERR_CORRUPT, "line %zu: negative pressure %g", line, v[K_P]);
            goto fail;
        }
        if ((rc = ink_lines_set(&lines, raw.n, line)) != PS_OK)
            goto fail;
        rc = ink_raw_push(&raw, v[K_X], v[K_Y], v[K_T], pen, v[K_P], v[K_AZ], v[K_ALT]);
        if (rc != PS_OK) {
            ps_fail(rc, "line %zu: %s", line, ps_last_error());
            goto fail;
        }
    }
    if (raw.n == 0) {
        rc = ps_fail(PS_ERR_CORRUPT, "no samples after the header line");
        goto fail;
    }
    /* x and y share one unit: mm if either is named _mm */
    double xy = unit_of[K_X] > 0 || unit_of[K_Y] > 0 ? 1.0 : 0.0;
    ink_units u = {.xy_mm = xy, .t_s = unit_of[K_T], .angle_deg = 1.0, .pressure_max = 0,
                   .y_up = p->y_axis == PS_INK_Y_UP};
    rc = ink_finish(&raw, &u, p, PS_INK_CSV, ink_where_line, &lines, out);
    ink_lines_release(&lines);
    return rc;
fail:
    ink_lines_release(&lines);
    ink_raw_release(&raw);
    return rc;
}
