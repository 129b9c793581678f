/* penscope export: every stored measurement as CSV (one row per session and
 * metric), for spreadsheets and statistics packages. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: penscope export [--child ID] [--wide] [--out FILE.csv]\n"
    "\n"
    "Writes one CSV row per measurement: child, date, kind, file, sha256,\n"
    "metric, value, text, unit, note, version. Numbers are in 'value'; bool and\n"
    "category metrics in 'text'. The file is created user-only (0600).\n"
    "\n"
    "  --child ID    only this child\n"
    "  --wide        one row per session, one column per metric (METRICS.md order)\n"
    "  --out FILE    write to FILE instead of standard output\n"
    "  --db PATH     the database (see 'penscope child --help')\n";

/* RFC 4180: quote a field holding a comma, quote, or line break; double quotes. */
static void field(FILE *f, const char *s, int first)
{
    if (!first)
        fputc(',', f);
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int row(const ps_export_row *r, void *ud)
{
    FILE *f = ud;
    field(f, r->child, 1);
    field(f, r->date, 0);
    field(f, r->kind, 0);
    field(f, r->file, 0);
    field(f, r->sha256, 0);
    field(f, r->metric, 0);
    if (isfinite(r->value))
        fprintf(f, ",%.10g", r->value);
    else
        fputc(',', f);
    field(f, r->text, 0);
    field(f, r->unit, 0);
    field(f, r->note, 0);
    field(f, r->version, 0);
    fputc('\n', f);
    return ferror(f) != 0;
}

/* --wide: the metric columns first (pass 1), then one row per session (pass 2,
 * rows arrive ordered by session). */
typedef struct wide {
    FILE *f;
    char (*names)[64];
    size_t n, cap;
    char **cells;          /* one per column for the current session */
    int64_t session;
    char child[64], date[16], kind[16], file[256], note[256];
    int failed;
} wide;

static int wide_collect(const ps_export_row *r, void *ud)
{
    wide *w = ud;
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->names[i], r->metric))
            return 0;
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 32;
        char(*p)[64] = ps_realloc(w->names, ncap * sizeof *p);
        if (!p) {
            w->failed = 1;
            return 1;
        }
        w->names = p;
        w->cap = ncap;
    }
    snprintf(w->names[w->n++], 64, "%s", r->metric);
    return 0;
}

static size_t rank(const char *name)
{
    const ps_metric_info *mi;
    for (size_t i = 0; (mi = ps_metric_at(i)); i++)
        if (!strcmp(mi->name, name))
            return i;
    return (size_t)-1;
}

static int by_rank(const void *a, const void *b)
{
    size_t ra = rank(a), rb = rank(b);
    return ra != rb ? (ra < rb ? -1 : 1) : strcmp(a, b);
}

static void wide_flush(wide *w)
{
    if (!w->session)
        return;
    field(w->f, w->child, 1);
    field(w->f, w->date, 0);
    field(w->f, w->kind, 0);
    field(w->f, w->file, 0);
    field(w->f, w->note, 0);
    for (size_t i = 0; i < w->n; i++) {
        field(w->f, w->cells[i] ? w->cells[i] : "", 0);
        ps_free(w->cells[i]);
        w->cells[i] = NULL;
    }
    fputc('\n', w->f);
}

static int wide_row(const ps_export_row *r, void *ud)
{
    wide *w = ud;
    if (r->session_id != w->session) {
        wide_flush(w);
        w->session = r->session_id;
        snprintf(w->child, sizeof w->child, "%s", r->child ? r->child : "");
        snprintf(w->date, sizeof w->date, "%s", r->date ? r->date : "");
        snprintf(w->kind, sizeof w->kind, "%s", r->kind ? r->kind : "");
        snprintf(w->file, sizeof w->file, "%s", r->file ? r->file : "");
        snprintf(w->note, sizeof w->note, "%s", r->note ? r->note : "");
    }
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->names[i], r->metric))
            continue;
        char num[32];
        const char *v = r->text;
        if (isfinite(r->value) && !(r->text && (!strcmp(r->text, "true") || !strcmp(r->text, "false")))) {
            snprintf(num, sizeof num, "%.10g", r->value);
            v = num;
        }
        ps_free(w->cells[i]);
        w->cells[i] = v ? ps_strdup(v) : NULL;
        if (v && !w->cells[i]) {
            w->failed = 1;
            return 1;
        }
    }
    return ferror(w->f) != 0;
}

static ps_status export_wide(ps_store_t *s, int64_t child_id, FILE *f)
{
    wide w;
    memset(&w, 0, sizeof w);
    w.f = f;
    ps_status rc = ps_store_export(s, child_id, wide_collect, &w);
    if (rc == PS_OK && !w.failed && w.n) {
        qsort(w.names, w.n, sizeof *w.names, by_rank);
        w.cells = ps_calloc(w.n, sizeof *w.cells);
        w.failed = !w.cells;
    }
    if (rc == PS_OK && !w.failed) {
        fputs("child,date,kind,file,note", f);
        for (size_t i = 0; i < w.n; i++)
            field(f, w.names[i], 0);
        fputc('\n', f);
        rc = ps_store_export(s, child_id, wide_row, &w);
        if (rc == PS_OK && !w.failed)
            wide_flush(&w);
    }
    for (size_t i = 0; w.cells && i < w.n; i++)
        ps_free(w.cells[i]);
    ps_free(w.cells);
    ps_free(w.names);
    if (rc == PS_OK && w.failed)
        rc = ps_fail(PS_ERR_NOMEM, "out of memory exporting");
    return rc;
}

int cmd_export(int argc, char **argv)
{
    const char *db = NULL, *child = NULL, *out = NULL, *v;
    int wide_fmt;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "out", 1, &out) < 0 || (wide_fmt = cli_take(&argc, argv, "wide", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    if (argc != 1) {
        cli_error("export takes no files ('%s')\n%s", argv[1], usage);
        return CLI_EXIT_USAGE;
    }
    ps_store_t *s = cli_store_open(db, 0);
    if (!s)
        return CLI_EXIT_FAILED;
    ps_child c = {0};
    if (child && ps_store_child_get(s, child, &c) != PS_OK) {
        cli_error("%s", ps_store_errmsg(s));
        ps_store_close(s);
        return CLI_EXIT_FAILED;
    }
    FILE *f = stdout;
    if (out && !(f = ps_file_create_private(out, "w"))) {
        cli_error("%s", ps_last_error());
        ps_store_close(s);
        return CLI_EXIT_FAILED;
    }
    ps_status rc;
    ps_error_clear();
    if (wide_fmt) {
        rc = export_wide(s, c.id, f);
        if (rc != PS_OK)
            cli_error("%s", rc == PS_ERR_NOMEM ? ps_last_error() : ps_store_errmsg(s));
    } else {
        fputs("child,date,kind,file,sha256,metric,value,text,unit,note,version\n", f);
        rc = ps_store_export(s, c.id, row, f);
        if (rc != PS_OK)
            cli_error("%s", ps_store_errmsg(s));
    }
    int bad = f != stdout ? fclose(f) != 0 : ferror(f);
    if (bad) {
        cli_error("cannot write '%s'", out ? out : "standard output");
        rc = PS_ERR_IO;
    }
    ps_store_close(s);
    return rc == PS_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
