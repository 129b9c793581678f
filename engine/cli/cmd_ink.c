/* penscope ink: tablet pen recordings (.svc, InkML, CSV) -> the ink metrics
 * of METRICS.md §3, per-letter formation detail and an optional overlay.
 *
 * Privacy rule: the "file" field of the JSON record is the path the user
 * gave (their own input); nothing else penscope writes (detail, warnings,
 * error messages, overlay names or drawings) repeats any part of it,
 * because pen-file names often carry the child's name, birth date and sex
 * (BDALab's do). Overlays are named by a hash of the path. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include "ink/ink_internal.h"
#include "ink/task.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: penscope ink [--json] [--columns LIST] [--lpi N] [--fs HZ] [--text TEXT|@TASK.json]\n"
    "                    [--overlay DIR] [--models DIR] FILE...\n"
    "\n"
    "Measures tablet pen recordings: time on the surface and in the air, strokes and\n"
    "pen lifts, speed, acceleration, jerk, changes of velocity, stops, pressure, tilt,\n"
    "azimuth, and with --text the formation of each letter against its model.\n"
    "Reads Wacom/BDALab .svc, W3C InkML and CSV with a header (see README).\n"
    "\n"
    "  --json          one JSON object per input (JSON Lines)\n"
    "  --columns LIST  .svc column order (default x,y,time,pen_status,azimuth,altitude,pressure;\n"
    "                  PaHaW: y,x,time,pen_status,azimuth,altitude,pressure)\n"
    "  --lpi N         tablet resolution for coordinates in counts (default 5080, Wacom)\n"
    "  --fs HZ         sampling rate when a file has no time channel (default 133)\n"
    "  --text TEXT     the letters written, in order, for letter formation (spaces between\n"
    "                  words, \\n between lines); --text @FILE reads a letter task (JSON:\n"
    "                  {\"letters\": [{\"char\": \"a\", \"start_s\": 0.0, \"end_s\": 1.5}, ...]})\n"
    "  --overlay DIR   write a PNG per input: ink coloured by speed, width by pressure,\n"
    "                  pen lifts, letter boxes, start dots, direction arrows, stroke order\n"
    "  --models DIR    models folder (default $PENSCOPE_MODELS or the built-in one)\n";

/* Letter models are loaded once per process and shared (immutable). */
static pthread_mutex_t models_lock = PTHREAD_MUTEX_INITIALIZER;
static ps_letter_models_t *models_cache;
static char models_cache_path[4096];

static ps_status get_models(const cli_opts *o, const ps_letter_models_t **out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/letters/print.json", cli_models_dir(o));
    pthread_mutex_lock(&models_lock);
    ps_status rc = PS_OK;
    if (!models_cache || strcmp(models_cache_path, path)) {
        ps_letter_models_t *m = NULL;
        rc = ps_letter_models_load(path, &m);
        if (rc == PS_OK) {
            /* an older set stays allocated: another thread may still use it */
            models_cache = m;
            snprintf(models_cache_path, sizeof models_cache_path, "%s", path);
        }
    }
    *out = models_cache;
    pthread_mutex_unlock(&models_lock);
    return rc;
}

/* A letter task file (ink/task.h), at most 1 MiB. */
static ps_status load_task(const char *path, ps_ink_task_letter **task, size_t *n)
{
    *task = NULL;
    *n = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return ps_fail(PS_ERR_NOT_FOUND, "letter task '%s' not found", path);
    if (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))
        return ps_fail(PS_ERR_LIMIT, "letter task '%s' is not a file of at most 1 MiB", path);
    FILE *f = fopen(path, "rb");
    char *text = f ? ps_malloc((size_t)st.st_size + 1) : NULL;
    size_t len = text ? fread(text, 1, (size_t)st.st_size + 1, f) : 0;
    int bad = !f || !text || ferror(f) || len > (size_t)st.st_size;
    if (f)
        fclose(f);
    if (bad) {
        ps_free(text);
        return ps_fail(PS_ERR_IO, "cannot read letter task '%s'", path);
    }
    ps_status rc = ink_task_parse(text, len, task, n);
    ps_free(text);
    if (rc != PS_OK) {
        char ctx[4200];
        snprintf(ctx, sizeof ctx, "letter task '%s'", path);
        ps_error_prefix(ctx);
    }
    return rc;
}

static void read_params(const cli_opts *o, ps_ink_read_params *rp)
{
    ps_ink_read_params_default(rp);
    if (o->columns)
        rp->columns = o->columns;
    if (o->lpi > 0)
        rp->lpi = o->lpi;
    if (o->fs > 0)
        rp->fs_hz = o->fs;
}

static const char *format_name(ps_ink_format f)
{
    return f == PS_INK_SVC ? "svc" : f == PS_INK_INKML ? "inkml" : f == PS_INK_CSV ? "csv" : "unknown";
}

/* The metric table: names of METRICS.md §3, in its order. */
#define M(name) {#name, offsetof(ps_ink_metrics, name)}
static const struct {
    const char *name;
    size_t off;
} metric_table[] = {
    M(duration_s), M(on_surface_s), M(in_air_s), M(air_surface_ratio), M(strokes), M(pen_lifts), M(path_mm),
    M(width_mm), M(height_mm), M(velocity_mm_s_mean), M(velocity_mm_s_sd), M(velocity_air_mm_s_mean),
    M(accel_mm_s2_mean), M(jerk_mm_s3_mean), M(ncv_per_stroke), M(ncv_per_s), M(stops), M(pressure_mean),
    M(pressure_sd), M(tilt_deg_mean), M(tilt_deg_sd), M(azimuth_deg_mean), M(azimuth_deg_sd), M(formation_score),
    M(start_errors), M(direction_errors), M(order_errors), M(stroke_count_errors), M(reversals), M(letters_per_min),
};
#undef M

static double metric(const ps_ink_metrics *m, size_t i)
{
    return *(const double *)((const char *)m + metric_table[i].off);
}

static void overlay_name(const char *dir, const char *path, char *out, size_t cap)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a: a stable name that does not repeat the path */
    for (const char *s = path; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    snprintf(out, cap, "%s/ink-%016llx.png", dir, (unsigned long long)h);
}

static void write_detail(ps_json *j, const ps_ink *ink, const ps_ink_result *r, const char *overlay)
{
    ps_json_key(j, "detail");
    ps_json_obj_begin(j);
    ps_json_kstr(j, "format", format_name(ink->format));
    ps_json_kint(j, "samples", (int64_t)ink->n);
    ps_json_knum(j, "fs_hz", ink->fs_hz);
    ps_json_knum(j, "mm_per_unit", ink->mm_per_unit);
    if (ink->pressure)
        ps_json_knum(j, "pressure_full_scale", ink->pressure_max);
    ps_json_key(j, "channels");
    ps_json_arr_begin(j);
    static const struct { unsigned flag; const char *name; } ch[] = {
        {PS_INK_HAS_TIME, "time"}, {PS_INK_HAS_PRESSURE, "pressure"}, {PS_INK_HAS_AZIMUTH, "azimuth"},
        {PS_INK_HAS_ALTITUDE, "altitude"}, {PS_INK_HAS_HOVER, "hover"}};
    for (size_t i = 0; i < sizeof ch / sizeof *ch; i++)
        if (ink->channels & ch[i].flag)
            ps_json_str(j, ch[i].name);
    ps_json_arr_end(j);
    if (ink->notes[0])
        ps_json_kstr(j, "reader_notes", ink->notes);
    if (r->n_strokes) {
        ps_json_key(j, "span_samples");
        ps_json_arr_begin(j);
        ps_json_int(j, (int64_t)r->first);
        ps_json_int(j, (int64_t)r->last);
        ps_json_arr_end(j);
    }
    ps_json_key(j, "strokes");
    ps_json_arr_begin(j);
    for (size_t k = 0; k < r->n_strokes; k++) {
        const ps_ink_stroke *s = &r->strokes[k];
        ps_json_obj_begin(j);
        ps_json_kbool(j, "pen_down", s->pen_down);
        ps_json_kint(j, "first", (int64_t)s->first);
        ps_json_kint(j, "count", (int64_t)s->count);
        ps_json_knum(j, "t0_s", ink->t_s[s->first]);
        ps_json_knum(j, "t1_s", ink->t_s[s->first + s->count - 1]);
        ps_json_obj_end(j);
    }
    ps_json_arr_end(j);
    if (r->n_letters) {
        ps_json_key(j, "letters");
        ps_json_arr_begin(j);
        for (size_t l = 0; l < r->n_letters; l++) {
            const ps_ink_letter *L = &r->letters[l];
            char c[2] = {L->ch, 0};
            ps_json_obj_begin(j);
            ps_json_kstr(j, "char", c);
            ps_json_kbool(j, "found", L->found);
            ps_json_key(j, "strokes");
            ps_json_arr_begin(j);
            for (int k = 0; k < L->n_strokes; k++)
                ps_json_int(j, L->strokes[k]);
            ps_json_arr_end(j);
            if (L->found) {
                ps_json_knums(j, "box_mm", (double[]){L->x0_mm, L->y0_mm, L->x1_mm, L->y1_mm}, 4);
                ps_json_knum(j, "t0_s", L->t0_s);
                ps_json_knum(j, "t1_s", L->t1_s);
            }
            ps_json_kbool(j, "has_model", L->has_model);
            if (L->found && L->has_model) {
                ps_json_kbool(j, "legible", L->legible);
                ps_json_kbool(j, "start_error", L->start_error);
                ps_json_kint(j, "direction_errors", L->direction_errors);
                ps_json_kbool(j, "order_error", L->order_error);
                ps_json_kbool(j, "stroke_count_error", L->stroke_count_error);
                ps_json_kbool(j, "reversal", L->reversal);
                ps_json_kint(j, "model_strokes", L->model_strokes);
                ps_json_kint(j, "model_variant", L->variant);
                ps_json_knum(j, "shape_distance", L->shape_distance);
                ps_json_knum(j, "mirror_distance", L->mirror_distance);
                ps_json_knum(j, "score", L->score);
                /* formed differently but legible: a formation difference, not a wrong letter */
                bool differs = L->start_error || L->direction_errors || L->order_error || L->stroke_count_error;
                ps_json_kstr(j, "verdict", L->reversal ? "reversal" : !L->legible ? "not_legible"
                                           : differs   ? "formation_difference" : "as_model");
            }
            ps_json_obj_end(j);
        }
        ps_json_arr_end(j);
    }
    if (overlay)
        ps_json_kstr(j, "overlay", overlay);
    ps_json_obj_end(j);
}

/* Reads, analyses and writes the record of one file. line (may be NULL)
 * gets the human summary. */
static ps_status analyse_one(const char *path, const cli_opts *o, cli_record *rec, ps_buf *line)
{
    ps_ink_read_params rp;
    read_params(o, &rp);
    ps_ink ink;
    ps_status rc = ps_ink_read_file(path, PS_INK_AUTO, &rp, &ink);
    if (rc != PS_OK)
        return rc;
    ps_ink_params p;
    ps_ink_params_default(&p);
    ps_ink_task_letter *task = NULL;
    size_t ntask = 0;
    char *text = NULL;
    if (o->text && o->text[0] == '@') {
        rc = load_task(o->text + 1, &task, &ntask);
        p.task = task;
        p.n_task = ntask;
    } else if (o->text) {
        /* lines of text: a newline, or the two characters \n typed in a shell */
        text = ps_strdup(o->text);
        if (!text)
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        else {
            char *w = text;
            for (const char *t = o->text; *t; t++) {
                if (t[0] == '\\' && t[1] == 'n') {
                    *w++ = '\n';
                    t++;
                } else
                    *w++ = *t;
            }
            *w = 0;
        }
        p.text = text;
    }
    const ps_letter_models_t *models = NULL;
    if (rc == PS_OK && o->text)
        rc = get_models(o, &models);
    p.models = models;
    ps_ink_result r;
    memset(&r, 0, sizeof r);
    if (rc == PS_OK)
        rc = ps_ink_analyse(&ink, &p, &r);
    char overlay[4200];
    bool have_overlay = false;
    if (rc == PS_OK && o->overlay_dir && r.n_strokes) {
        rc = ps_dir_create_private(o->overlay_dir);
        if (rc == PS_OK) {
            overlay_name(o->overlay_dir, path, overlay, sizeof overlay);
            rc = ps_ink_overlay_png(&ink, &r, overlay);
            have_overlay = rc == PS_OK;
        }
    }
    if (rc == PS_OK) {
        ps_json *j = &rec->j;
        ps_json_kbool(j, "ok", true);
        ps_json_key(j, "metrics");
        ps_json_obj_begin(j);
        for (size_t i = 0; i < sizeof metric_table / sizeof *metric_table; i++) {
            double v = metric(&r.m, i);
            bool count = !strcmp(metric_table[i].name, "strokes") || !strcmp(metric_table[i].name, "pen_lifts") ||
                         !strcmp(metric_table[i].name, "stops") || strstr(metric_table[i].name, "errors") ||
                         !strcmp(metric_table[i].name, "reversals");
            if (count && isfinite(v))
                ps_json_kint(j, metric_table[i].name, (int64_t)v);
            else
                ps_json_knum(j, metric_table[i].name, v);
        }
        ps_json_obj_end(j);
        write_detail(j, &ink, &r, have_overlay ? overlay : NULL);
        ps_json_key(j, "warnings");
        ps_json_arr_begin(j);
        for (int w = 0; w < r.n_warnings; w++)
            ps_json_str(j, r.warnings[w]);
        ps_json_arr_end(j);
        ps_json_obj_end(j);
        if (line && !r.n_strokes)
            ps_buf_printf(line, "%s: %zu samples (%s): the pen never touches the surface\n", path, ink.n,
                          format_name(ink.format));
        else if (line) {
            const ps_ink_metrics *m = &r.m;
            ps_buf_printf(line, "%s: %zu samples (%s, %.0f Hz), %.2f s, %.0f strokes, %.0f pen lifts, %.2f s in the air\n",
                          path, ink.n, format_name(ink.format), ink.fs_hz, m->duration_s, m->strokes, m->pen_lifts,
                          m->in_air_s);
            ps_buf_printf(line, "  path %.1f mm, speed %.1f +/- %.1f mm/s, %.2f velocity changes per stroke, %.0f stops\n",
                          m->path_mm, m->velocity_mm_s_mean, m->velocity_mm_s_sd, m->ncv_per_stroke, m->stops);
            if (ink.pressure)
                ps_buf_printf(line, "  pressure %.2f +/- %.2f of full scale\n", m->pressure_mean, m->pressure_sd);
            if (ink.altitude_deg && ink.azimuth_deg)
                ps_buf_printf(line, "  tilt %.1f +/- %.1f deg, azimuth %.1f +/- %.1f deg\n", m->tilt_deg_mean,
                              m->tilt_deg_sd, m->azimuth_deg_mean, m->azimuth_deg_sd);
            if (r.n_letters) {
                size_t found = 0;
                for (size_t l = 0; l < r.n_letters; l++)
                    found += r.letters[l].found;
                ps_buf_printf(line,
                              "  letters %zu/%zu, formation %.0f/100: %.0f start, %.0f direction, %.0f order, "
                              "%.0f stroke-count differences, %.0f reversals\n",
                              found, r.n_letters, m->formation_score, m->start_errors, m->direction_errors,
                              m->order_errors, m->stroke_count_errors, m->reversals);
            }
            for (int w = 0; w < r.n_warnings; w++)
                if (!strstr(r.warnings[w], "no expected text"))
                    ps_buf_printf(line, "  note: %s\n", r.warnings[w]);
            if (have_overlay)
                ps_buf_printf(line, "  overlay %s\n", overlay);
        }
    }
    ps_ink_result_release(&r);
    ps_ink_release(&ink);
    ps_free(task);
    ps_free(text);
    return rc;
}

ps_status cli_analyse_ink(const char *path, const cli_opts *o, ps_buf *out)
{
    cli_record rec;
    cli_record_begin(&rec, path, "ink");
    ps_error_clear();
    ps_status rc = analyse_one(path, o, &rec, NULL);
    if (rc != PS_OK) {
        char msg[PS_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", ps_last_error());
        cli_record_release(&rec);
        cli_record_fail(&rec, path, "ink", rc, msg);
    }
    ps_buf_append(out, rec.buf.data, rec.buf.len);
    cli_record_release(&rec);
    return rc;
}

int cmd_ink(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", "columns", "lpi", "fs", "text", "overlay", "models", NULL};
    cli_opts o;
    cli_opts_default(&o);
    int exit_code, first = cli_parse_files(argc, argv, &o, accepted, usage, "ink", &exit_code);
    if (first < 0)
        return exit_code;
    if (o.columns && ink_svc_columns_check(o.columns) != PS_OK) {
        cli_error("%s", ps_last_error());
        return CLI_EXIT_USAGE;
    }
    int failed = 0;
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        if (o.json) {
            ps_buf out;
            ps_buf_init(&out);
            if (cli_analyse_ink(path, &o, &out) != PS_OK)
                failed++;
            ps_buf_putc(&out, '\n');
            ps_buf_flush(&out, stdout);
            ps_buf_release(&out);
            continue;
        }
        cli_record rec;
        cli_record_begin(&rec, path, "ink");
        ps_buf line;
        ps_buf_init(&line);
        ps_error_clear();
        ps_status rc = analyse_one(path, &o, &rec, &line);
        if (rc != PS_OK) {
            cli_error("%s: %s", path, ps_last_error());
            failed++;
        } else if (!o.quiet)
            ps_buf_flush(&line, stdout);
        ps_buf_release(&line);
        cli_record_release(&rec);
    }
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
