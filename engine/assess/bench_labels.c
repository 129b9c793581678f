/* The labels CSV of `penscope bench`: RFC 4180 fields (quotes, "" inside
 * quotes, CRLF or LF), a header row, '#' comment lines and blank lines
 * skipped, a UTF-8 byte order mark allowed. Strict: rows must have the
 * header's field count, files must be unique, every fault names its line. */
#include "assess/bench_labels.h"
#include "core/alloc.h"
#include "core/status.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct record {
    char **f;
    size_t n, cap;
} record;

static void record_clear(record *r)
{
    for (size_t i = 0; i < r->n; i++)
        ps_free(r->f[i]);
    r->n = 0;
}

static ps_status record_push(record *r, const char *s, size_t n)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        char **f = ps_realloc(r->f, cap * sizeof *f);
        if (!f)
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        r->f = f;
        r->cap = cap;
    }
    char *c = ps_malloc(n + 1);
    if (!c)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    memcpy(c, s, n);
    c[n] = 0;
    r->f[r->n++] = c;
    return PS_OK;
}

/* Reads the next record into r; *eof when only blank or comment lines were
 * left. *line counts lines (1-based) and *first is where the record began. */
static ps_status read_record(const char **pp, const char *end, size_t *line, size_t *first, record *r, int *eof,
                             char *cell)
{
    const char *p = *pp;
    record_clear(r);
    *eof = 0;
    while (p < end) { /* blank and comment lines */
        if (*p == '\n' || *p == '\r') {
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            p++;
            (*line)++;
        } else if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
        } else
            break;
    }
    if (p >= end) {
        *eof = 1;
        *pp = p;
        return PS_OK;
    }
    *first = *line;
    for (;;) {
        size_t n = 0;
        if (r->n >= PS_BENCH_MAX_COLUMNS + 2)
            return ps_fail(PS_ERR_LIMIT, "labels line %zu: more than %d columns", *first, PS_BENCH_MAX_COLUMNS + 2);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end)
                    return ps_fail(PS_ERR_CORRUPT, "labels line %zu: a quote is never closed", *first);
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"')
                        p++;
                    else {
                        p++;
                        break;
                    }
                } else if (*p == '\n')
                    (*line)++;
                if (*p == 0)
                    return ps_fail(PS_ERR_CORRUPT, "labels line %zu: a NUL byte", *line);
                if (n >= PS_BENCH_MAX_CELL)
                    return ps_fail(PS_ERR_LIMIT, "labels line %zu: a field longer than %d bytes", *line,
                                   PS_BENCH_MAX_CELL);
                cell[n++] = *p++;
            }
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            if (p < end && *p != ',' && *p != '\n' && *p != '\r')
                return ps_fail(PS_ERR_CORRUPT, "labels line %zu: text after a closing quote", *line);
        } else {
            while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
                if (*p == '"')
                    return ps_fail(PS_ERR_CORRUPT, "labels line %zu: a quote inside an unquoted field", *line);
                if (*p == 0)
                    return ps_fail(PS_ERR_CORRUPT, "labels line %zu: a NUL byte", *line);
                if (n >= PS_BENCH_MAX_CELL)
                    return ps_fail(PS_ERR_LIMIT, "labels line %zu: a field longer than %d bytes", *line,
                                   PS_BENCH_MAX_CELL);
                cell[n++] = *p++;
            }
            while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
                n--;
        }
        ps_status rc = record_push(r, cell, n);
        if (rc != PS_OK)
            return rc;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end) { /* end of line */
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                p++;
            p++;
            (*line)++;
        }
        break;
    }
    *pp = p;
    return PS_OK;
}

static int is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
            return 0;
    return 1;
}

static char *trimmed_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *c = ps_malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = 0;
    }
    return c;
}

/* A header cell: METRIC, or NAME=METRIC OP VALUE. */
static ps_status parse_column(const char *h, size_t line, ps_bench_column *c)
{
    const char *eq = strchr(h, '=');
    if (!eq) {
        if (!is_name(h))
            return ps_fail(PS_ERR_CORRUPT, "labels line %zu: column '%.60s' is not a metric name", line, h);
        c->name = ps_strdup(h);
        c->metric = ps_strdup(h);
        return c->name && c->metric ? PS_OK : ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    const char *op = eq + 1 + strcspn(eq + 1, "<>");
    if (!*op)
        return ps_fail(PS_ERR_CORRUPT, "labels line %zu: rule '%.60s' has no >=, >, <= or <", line, h);
    c->op = op[0] == '>' ? (op[1] == '=' ? PS_BENCH_GE : PS_BENCH_GT) : (op[1] == '=' ? PS_BENCH_LE : PS_BENCH_LT);
    const char *num = op + (op[1] == '=' ? 2 : 1);
    char *endp;
    c->threshold = strtod(num, &endp);
    while (isspace((unsigned char)*endp))
        endp++;
    c->name = trimmed_dup(h, (size_t)(eq - h));
    c->metric = trimmed_dup(eq + 1, (size_t)(op - eq - 1));
    if (!c->name || !c->metric)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    if (endp == num || *endp || !isfinite(c->threshold) || !is_name(c->name) || !is_name(c->metric))
        return ps_fail(PS_ERR_CORRUPT,
                       "labels line %zu: rule '%.60s' is not NAME=METRIC OP NUMBER (e.g. flag=stops>=12)", line, h);
    return PS_OK;
}

/* A rule column's label: yes / no (true, false, 1, 0 also taken). */
static const char *yes_no(const char *s)
{
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1"))
        return "yes";
    if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0"))
        return "no";
    return NULL;
}

static int is_number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v);
}

static int cmp_row_file(const void *a, const void *b, void *ctx)
{
    const ps_bench_labels *l = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(l->file[i], l->file[j]);
    return c ? c : (i > j) - (i < j);
}

/* Appends one row (the record's cells move into l). */
static ps_status add_row(ps_bench_labels *l, record *r, long file_at, long kind_at, const long *col_of, size_t *cap,
                         size_t line)
{
    if (l->nrows >= PS_BENCH_MAX_ROWS)
        return ps_fail(PS_ERR_LIMIT, "labels line %zu: more than %d rows", line, PS_BENCH_MAX_ROWS);
    if (l->nrows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64, cells;
        if (!ps_size_mul_ok(ncap, l->ncols ? l->ncols : 1, &cells))
            return ps_fail(PS_ERR_LIMIT, "labels: too many cells");
        char **file = ps_realloc(l->file, ncap * sizeof *file);
        if (file)
            l->file = file;
        char **kind = ps_realloc(l->kind, ncap * sizeof *kind);
        if (kind)
            l->kind = kind;
        size_t *ln = ps_realloc(l->line, ncap * sizeof *ln);
        if (ln)
            l->line = ln;
        char **cell = ps_realloc(l->cell, cells * sizeof *cell);
        if (cell)
            l->cell = cell;
        if (!file || !kind || !ln || !cell)
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        *cap = ncap;
    }
    size_t row = l->nrows;
    if (!r->f[file_at][0])
        return ps_fail(PS_ERR_CORRUPT, "labels line %zu: no file name", line);
    for (size_t k = 0; k < l->ncols; k++)
        l->cell[row * l->ncols + k] = NULL;
    l->file[row] = r->f[file_at];
    r->f[file_at] = NULL;
    l->kind[row] = NULL;
    if (kind_at >= 0 && r->f[kind_at][0]) {
        l->kind[row] = r->f[kind_at];
        r->f[kind_at] = NULL;
    }
    l->line[row] = line;
    l->nrows++; /* from here the row is owned by l, so a failure below frees it */
    for (size_t i = 0; i < r->n; i++) {
        long k = col_of[i];
        if (k < 0 || !r->f[i][0])
            continue;
        ps_bench_column *c = &l->col[k];
        if (c->op != PS_BENCH_OP_NONE) {
            const char *yn = yes_no(r->f[i]);
            if (!yn)
                return ps_fail(PS_ERR_CORRUPT, "labels line %zu: column '%s' takes yes or no, not '%.40s'", line,
                               c->name, r->f[i]);
            char *dup = ps_strdup(yn);
            if (!dup)
                return ps_fail(PS_ERR_NOMEM, "out of memory");
            l->cell[row * l->ncols + k] = dup;
        } else {
            l->cell[row * l->ncols + k] = r->f[i];
            r->f[i] = NULL;
        }
        c->labelled++;
    }
    return PS_OK;
}

ps_status ps_bench_labels_parse(const char *text, size_t len, ps_bench_labels *out)
{
    memset(out, 0, sizeof *out);
    const char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    record r = {0};
    char *cell = ps_malloc(PS_BENCH_MAX_CELL + 1);
    long *col_of = NULL;
    size_t line = 1, first = 1, cap = 0;
    int eof;
    ps_status rc = cell ? read_record(&p, end, &line, &first, &r, &eof, cell) : ps_fail(PS_ERR_NOMEM, "out of memory");
    if (rc == PS_OK && eof)
        rc = ps_fail(PS_ERR_CORRUPT, "labels: no header row");
    long file_at = -1, kind_at = -1;
    size_t nfields = r.n;
    if (rc == PS_OK) {
        col_of = ps_malloc(nfields * sizeof *col_of);
        out->col = ps_calloc(nfields, sizeof *out->col);
        if (!col_of || !out->col)
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; rc == PS_OK && i < nfields; i++) {
        col_of[i] = -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r.f[i], r.f[j]))
                rc = ps_fail(PS_ERR_CORRUPT, "labels line %zu: column '%.60s' appears twice", first, r.f[i]);
        if (rc != PS_OK)
            break;
        if (!strcmp(r.f[i], "file"))
            file_at = (long)i;
        else if (!strcmp(r.f[i], "kind"))
            kind_at = (long)i;
        else {
            col_of[i] = (long)out->ncols;
            rc = parse_column(r.f[i], first, &out->col[out->ncols++]);
        }
    }
    for (size_t i = 0; rc == PS_OK && i < out->ncols; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(out->col[i].name, out->col[j].name))
                rc = ps_fail(PS_ERR_CORRUPT, "labels line %zu: label '%s' appears twice", first, out->col[i].name);
    if (rc == PS_OK && file_at < 0)
        rc = ps_fail(PS_ERR_CORRUPT, "labels line %zu: no 'file' column", first);
    while (rc == PS_OK) {
        rc = read_record(&p, end, &line, &first, &r, &eof, cell);
        if (rc != PS_OK || eof)
            break;
        if (r.n != nfields) {
            rc = ps_fail(PS_ERR_CORRUPT, "labels line %zu: %zu fields, the header has %zu", first, r.n, nfields);
            break;
        }
        rc = add_row(out, &r, file_at, kind_at, col_of, &cap, first);
    }
    /* numeric columns: every label is a finite number */
    for (size_t k = 0; rc == PS_OK && k < out->ncols; k++) {
        ps_bench_column *c = &out->col[k];
        c->numeric = c->op == PS_BENCH_OP_NONE && c->labelled > 0;
        for (size_t i = 0; c->numeric && i < out->nrows; i++) {
            double v;
            const char *s = out->cell[i * out->ncols + k];
            if (s && !is_number(s, &v))
                c->numeric = 0;
        }
    }
    /* each file once */
    if (rc == PS_OK && out->nrows > 1) {
        size_t *idx = ps_malloc(out->nrows * sizeof *idx);
        if (!idx)
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; idx && i < out->nrows; i++)
            idx[i] = i;
        if (idx) {
            qsort_r(idx, out->nrows, sizeof *idx, cmp_row_file, out);
            for (size_t i = 1; i < out->nrows && rc == PS_OK; i++)
                if (!strcmp(out->file[idx[i]], out->file[idx[i - 1]]))
                    rc = ps_fail(PS_ERR_CORRUPT, "labels line %zu: '%.80s' is listed twice (first on line %zu)",
                                 out->line[idx[i]], out->file[idx[i]], out->line[idx[i - 1]]);
        }
        ps_free(idx);
    }
    record_clear(&r);
    ps_free(r.f);
    ps_free(cell);
    ps_free(col_of);
    if (rc != PS_OK)
        ps_bench_labels_release(out);
    return rc;
}

void ps_bench_labels_release(ps_bench_labels *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nrows; i++) {
        ps_free(l->file[i]);
        ps_free(l->kind[i]);
        for (size_t k = 0; k < l->ncols; k++)
            ps_free(l->cell[i * l->ncols + k]);
    }
    for (size_t k = 0; k < l->ncols; k++) {
        ps_free(l->col[k].name);
        ps_free(l->col[k].metric);
    }
    ps_free(l->col);
    ps_free(l->file);
    ps_free(l->kind);
    ps_free(l->cell);
    ps_free(l->line);
    memset(l, 0, sizeof *l);
}

int ps_bench_rule_test(const ps_bench_column *c, double v)
{
    switch (c->op) {
    case PS_BENCH_GE: return v >= c->threshold;
    case PS_BENCH_GT: return v > c->threshold;
    case PS_BENCH_LE: return v <= c->threshold;
    case PS_BENCH_LT: return v < c->threshold;
    default: return 0;
    }
}
