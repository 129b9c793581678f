/* penscope export: every stored measurement as CSV (one row per session and
 * metric), for spreadsheets and statistics packages. */
#include "cli/cli.h"
#include "core/file.h"
#include <math.h>
#include <string.h>

static const char usage[] =
    "usage: penscope export [--child ID] [--out FILE.csv]\n"
    "\n"
    "Writes one CSV row per measurement: child, date, kind, file, sha256,\n"
    "metric, value, text, unit, note, version. Numbers are in 'value'; bool and\n"
    "category metrics in 'text'. The file is created user-only (0600).\n"
    "\n"
    "  --child ID    only this child\n"
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

int cmd_export(int argc, char **argv)
{
    const char *db = NULL, *child = NULL, *out = NULL, *v;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "out", 1, &out) < 0)
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
    fputs("child,date,kind,file,sha256,metric,value,text,unit,note,version\n", f);
    ps_status rc = ps_store_export(s, c.id, row, f);
    if (rc != PS_OK)
        cli_error("%s", ps_store_errmsg(s));
    int bad = f != stdout ? fclose(f) != 0 : ferror(f);
    if (bad) {
        cli_error("cannot write '%s'", out ? out : "standard output");
        rc = PS_ERR_IO;
    }
    ps_store_close(s);
    return rc == PS_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
