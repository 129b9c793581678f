/* penscope page: worksheet scans and photos -> page metrics (METRICS.md §2),
 * with an optional overlay PNG per input showing what each number rests on. */
#include "cli/cli.h"
#include "core/file.h"
#include "core/status.h"
#include "page/page_json.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: penscope page [options] FILE...\n"
    "\n"
    "Measures handwriting on worksheet scans and photos: letter size,\n"
    "alignment, spacing, slant, line angles, margin, stroke width, tremor.\n"
    "\n"
    "  --dpi N          resolution of the images (else the file's, else the\n"
    "                   ruling with --ruling-mm, else the page size as A4)\n"
    "  --ruling-mm MM   distance between adjacent printed lines (single: line\n"
    "                   pitch; Seyes: 2; primary: baseline to dashed line)\n"
    "  --text \"...\"     the expected text: letters are matched to it (omissions,\n"
    "                   insertions), read, and compared with model letters\n"
    "                   (legibility_pct, reversals, closure_fail, form_score)\n"
    "  --seconds N      time the child wrote, for letters_per_min\n"
    "  --overlay DIR    write DIR/<name>.page.png showing lines, baselines,\n"
    "                   letter boxes, gaps and slant\n"
    "  --json           one JSON object per input (JSON Lines)\n";

/* an: reused from file to file (its buffers), or NULL for a one-off */
static ps_status analyse_one(ps_page_analyser_t *an, const char *path, const cli_opts *o, cli_record *r, char *line,
                             size_t cap)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = 3;
    ps_image img;
    ps_image_info info;
    ps_status rc = ps_image_decode_file(path, &dp, &img, &info);
    if (rc != PS_OK)
        return rc;
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = o->dpi;
    pp.file_dpi = info.dpi_x;
    pp.ruling_mm = o->ruling_mm;
    pp.text = o->text;
    pp.models_dir = cli_models_dir(o);
    pp.seconds = o->seconds;
    ps_page_t *pg = NULL;
    rc = an ? ps_page_analyse_with(an, &img, &pp, &pg) : ps_page_analyse(&img, &pp, &pg);
    if (rc != PS_OK) {
        ps_image_release(&img);
        return rc;
    }
    if (o->overlay_dir) {
        ps_image ov;
        char out[4096];
        snprintf(out, sizeof out, "%s/%s.page.png", o->overlay_dir, ps_path_basename(path));
        rc = ps_dir_create_private(o->overlay_dir);
        if (rc == PS_OK)
            rc = ps_page_overlay(pg, &ov);
        if (rc == PS_OK) {
            rc = ps_image_write_png(out, &ov);
            ps_image_release(&ov);
        }
        if (rc != PS_OK) {
            ps_page_free(pg);
            ps_image_release(&img);
            return rc;
        }
    }
    ps_json_kbool(&r->j, "ok", true);
    ps_json_key(&r->j, "metrics");
    pg_json_metrics(pg, &r->j);
    ps_json_key(&r->j, "detail");
    pg_json_detail(pg, &r->j);
    ps_json_key(&r->j, "warnings");
    pg_json_warnings(pg, &r->j);
    const char *src;
    double dpi = ps_page_dpi(pg, &src);
    snprintf(line, cap,
             "%s, %.0f lines, %.0f words, %.0f letters; x-height %.2f mm, baseline dev %.2f mm, "
             "on line %.0f%%, word gap %.2f mm, slant %.1f deg (dpi %.0f from %s)",
             ps_page_ruling_name(ps_page_get_ruling(pg)), ps_page_metric(pg, "lines"),
             ps_page_metric(pg, "words"), ps_page_metric(pg, "letters"), ps_page_metric(pg, "x_height_mm"),
             ps_page_metric(pg, "baseline_dev_mm"), ps_page_metric(pg, "on_line_pct"),
             ps_page_metric(pg, "word_gap_mm"), ps_page_metric(pg, "slant_deg"), dpi, src);
    if (!o->json && !o->quiet)
        for (int i = 0; i < ps_page_warning_count(pg); i++)
            fprintf(stderr, "penscope: %s: %s\n", path, ps_page_warning(pg, i));
    ps_page_free(pg);
    ps_image_release(&img);
    return PS_OK;
}

ps_status cli_analyse_page(const char *path, const cli_opts *o, ps_buf *out)
{
    cli_record r;
    cli_record_begin(&r, path, "page");
    char line[512];
    ps_error_clear();
    cli_opts q = *o;
    q.json = true;
    ps_status rc = analyse_one(NULL, path, &q, &r, line, sizeof line);
    if (rc != PS_OK) {
        char msg[PS_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", ps_last_error());
        cli_record_release(&r);
        cli_record_fail(&r, path, "page", rc, msg);
    } else {
        ps_json_obj_end(&r.j);
    }
    ps_buf_append(out, r.buf.data, r.buf.len);
    cli_record_release(&r);
    return rc;
}

int cmd_page(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", "dpi", "ruling-mm", "text", "seconds", "overlay", "models", NULL};
    cli_opts o;
    cli_opts_default(&o);
    int exit_code, first = cli_parse_files(argc, argv, &o, accepted, usage, "page", &exit_code);
    if (first < 0)
        return exit_code;
    int failed = 0;
    ps_page_analyser_t *an = NULL;
    if (argc - first > 1 && ps_page_analyser_new(1, &an) != PS_OK)
        an = NULL; /* then each file on its own */
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        cli_record r;
        cli_record_begin(&r, path, "page");
        char line[512] = "";
        ps_error_clear();
        ps_status rc = analyse_one(an, path, &o, &r, line, sizeof line);
        failed += cli_record_finish_line(&r, path, "page", rc, line, &o);
    }
    ps_page_analyser_free(an);
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
