/* penscope report: a printable progress report for families and teachers,
 * PDF or self-contained HTML, from the store: per metric a chart and a plain
 * sentence, the goals, and the latest grip and worksheet overlays. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: penscope report --child ID --out FILE.pdf|FILE.html [--baseline DATE] [--metric M]\n"
    "\n"
    "Writes a report of the child's progress: per metric a chart over time with\n"
    "the baseline, the goal band and reliable-change marks, and a sentence in\n"
    "plain words; the latest grip photo and worksheet overlays when recorded.\n"
    "HTML reports are one file with no external resources. Files are created\n"
    "user-only (0600).\n"
    "\n"
    "  --child ID       the child\n"
    "  --out FILE       .pdf or .html\n"
    "  --baseline DATE  compare with the first session on or after DATE\n"
    "  --metric M       only this metric\n"
    "  --all            every metric; by default the report leaves out descriptive\n"
    "                   numbers without a better direction or a goal (counts of\n"
    "                   lines, camera angles, detector scores)\n"
    "  --db PATH        the database (see 'penscope child --help')\n";

int cmd_report(int argc, char **argv)
{
    const char *db = NULL, *child = NULL, *out = NULL, *baseline = NULL, *metric = NULL, *v;
    int all;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "out", 1, &out) < 0 || cli_take(&argc, argv, "baseline", 1, &baseline) < 0 ||
        cli_take(&argc, argv, "metric", 1, &metric) < 0 || (all = cli_take(&argc, argv, "all", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    if (argc != 1 || !child || !out) {
        cli_error("report needs --child and --out, and no files\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    char ext[8];
    ps_path_ext(out, ext, sizeof ext);
    int pdf = !strcmp(ext, "pdf");
    if (!pdf && strcmp(ext, "html") && strcmp(ext, "htm")) {
        cli_error("--out takes FILE.pdf or FILE.html, not '%s'", out);
        return CLI_EXIT_USAGE;
    }
    int32_t base_day = 0;
    if (baseline && ps_date_parse(baseline, &base_day) != PS_OK) {
        cli_error("%s", ps_last_error());
        return CLI_EXIT_USAGE;
    }
    ps_store_t *s = cli_store_open(db, 0);
    if (!s)
        return CLI_EXIT_FAILED;
    ps_child c;
    ps_report_input in;
    memset(&in, 0, sizeof in);
    ps_metric_progress *m = NULL;
    size_t n = 0;
    void *grip = NULL, *page = NULL;
    char name[256];
    int rc = CLI_EXIT_FAILED;
    if (ps_store_child_get(s, child, &c) != PS_OK ||
        ps_store_child_progress(s, c.id, metric, base_day, &m, &n) != PS_OK) {
        cli_error("%s", ps_store_errmsg(s));
        goto end;
    }
    ps_status a = ps_store_attachment_latest(s, c.id, "grip", &grip, &in.grip_png_len, name, sizeof name,
                                             &in.grip_day);
    ps_status b = ps_store_attachment_latest(s, c.id, "page", &page, &in.page_png_len, name, sizeof name,
                                             &in.page_day);
    if ((a != PS_OK && a != PS_ERR_NOT_FOUND) || (b != PS_OK && b != PS_ERR_NOT_FOUND)) {
        cli_error("%s", ps_store_errmsg(s));
        goto end;
    }
    /* families need the measures that can get better, not every count */
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        const ps_metric_info *mi = m[i].info;
        int shown = all || metric || m[i].has_goal || !mi || mi->good != PS_GOOD_NONE ||
                    mi->type == PS_METRIC_CATEGORY;
        if (shown) {
            ps_metric_progress t = m[keep];
            m[keep] = m[i];
            m[i] = t;
            keep++;
        }
    }
    in.child = &c;
    in.metrics = m;
    in.n = keep;
    in.grip_png = grip;
    in.page_png = page;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    ps_date_parse(today, &in.today);
    ps_error_clear();
    if ((pdf ? ps_report_write_pdf(&in, out) : ps_report_write_html(&in, out)) != PS_OK)
        cli_error("%s", ps_last_error());
    else
        rc = CLI_EXIT_OK;
end:
    ps_free(grip);
    ps_free(page);
    ps_metric_progress_free(m, n);
    ps_store_close(s);
    ps_report_cleanup(); /* the command is done drawing: let the font caches go */
    return rc;
}
