/* penscope record: analyse inputs and store the results for a child. Each
 * file is analysed first (outside any transaction), then stored in one
 * transaction: its session and all its measurements, or nothing. A file
 * already recorded for the child on that date (same SHA-256) is skipped. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage[] =
    "usage: penscope record --child ID [--date YYYY-MM-DD] [--note TEXT] [--kind grip|page|ink]\n"
    "                       [analyser options] FILE...\n"
    "\n"
    "Analyses each file and stores its measurements as a session of the child.\n"
    "The kind comes from the file type (photos and videos: grip, pen recordings:\n"
    "ink) unless --kind says otherwise (worksheets: --kind page). Recording the\n"
    "same file again for the same child and date adds nothing.\n"
    "\n"
    "  --child ID     the child (see 'penscope child add')\n"
    "  --date D       the session date (default today)\n"
    "  --note TEXT    a note kept with each session\n"
    "  --db PATH      the database (see 'penscope child --help')\n"
    "  --json         print each analyser record (JSON Lines)\n"
    "  -q, --quiet    print only errors\n"
    "analyser options, passed through: --models DIR --model full|lite --pencil-mm MM\n"
    "  --dpi N --ruling-mm MM --text T --seconds N --columns C --lpi N --fs HZ --overlay DIR\n";

/* The analyser options that change a measurement, as JSON, so a session says
 * how it was measured. */
static void options_json(const cli_opts *o, const char *kind, ps_buf *b)
{
    ps_json j;
    ps_json_init(&j, b);
    ps_json_obj_begin(&j);
    ps_json_kstr(&j, "kind", kind);
    if (o->model)
        ps_json_kstr(&j, "model", o->model);
    if (o->pencil_mm > 0)
        ps_json_knum(&j, "pencil_mm", o->pencil_mm);
    if (o->dpi > 0)
        ps_json_knum(&j, "dpi", o->dpi);
    if (o->ruling_mm > 0)
        ps_json_knum(&j, "ruling_mm", o->ruling_mm);
    if (o->text)
        ps_json_kstr(&j, "text", o->text);
    if (o->seconds > 0)
        ps_json_knum(&j, "seconds", o->seconds);
    if (o->columns)
        ps_json_kstr(&j, "columns", o->columns);
    if (o->lpi > 0)
        ps_json_knum(&j, "lpi", o->lpi);
    if (o->fs > 0)
        ps_json_knum(&j, "fs", o->fs);
    ps_json_obj_end(&j);
}

/* Per-line/per-frame values of one metric: the detail's arrays of objects
 * (lines, frames, letters, ...) that carry the metric's name, as
 * {"lines": [v, ...]}; NULL when there are none. Caller frees. */
static char *metric_detail(json_t *detail, const char *metric)
{
    if (!json_is_object(detail))
        return NULL;
    json_t *acc = NULL;
    const char *key;
    json_t *arr;
    json_object_foreach(detail, key, arr)
    {
        if (!json_is_array(arr) || json_array_size(arr) == 0)
            continue;
        json_t *vals = json_array();
        size_t i, found = 0;
        json_t *el;
        json_array_foreach(arr, i, el)
        {
            json_t *v = json_is_object(el) ? json_object_get(el, metric) : NULL;
            found += v != NULL;
            json_array_append(vals, v ? v : json_null());
        }
        if (found) {
            if (!acc)
                acc = json_object();
            json_object_set(acc, key, vals);
        }
        json_decref(vals);
    }
    char *s = acc ? json_dumps(acc, JSON_COMPACT) : NULL;
    json_decref(acc);
    return s;
}

static ps_status store_metrics(ps_store_t *s, int64_t session, json_t *metrics, json_t *detail, int *count)
{
    const char *name;
    json_t *v;
    json_object_foreach(metrics, name, v)
    {
        const ps_metric_info *mi = ps_metric_find(name);
        double num = NAN;
        const char *text = NULL;
        if (json_is_number(v))
            num = json_number_value(v);
        else if (json_is_boolean(v)) {
            num = json_is_true(v);
            text = json_is_true(v) ? "true" : "false";
        } else if (json_is_string(v))
            text = json_string_value(v);
        else if (!json_is_null(v))
            continue; /* objects and arrays are not metrics */
        char *d = metric_detail(detail, name);
        ps_status rc = ps_store_measure_add(s, session, name, num, text, mi ? mi->unit : NULL, d);
        free(d);
        if (rc != PS_OK)
            return rc;
        (*count)++;
    }
    return PS_OK;
}

/* An overlay image the analyser wrote: named in the record ("overlay" or
 * detail.overlay), else found by the names grip and page give their overlays
 * in --overlay DIR (<stem>.grip.png, else <stem>.hands.png; <name>.page.png). */
static ps_status attach_overlay(ps_store_t *s, int64_t session, json_t *rec, json_t *detail, const char *input,
                                const char *overlay_dir)
{
    json_t *ov = json_object_get(rec, "overlay");
    if (!json_is_string(ov) && json_is_object(detail))
        ov = json_object_get(detail, "overlay");
    char guess[4200];
    const char *path = json_is_string(ov) ? json_string_value(ov) : NULL;
    if (!path && overlay_dir) {
        const char *base = ps_path_basename(input);
        int stem = ps_path_stem_len(input);
        struct stat sb;
        static const char *const names[] = {"%s/%.*s.grip.png", "%s/%.*s.hands.png"};
        for (size_t i = 0; i < 2 && !path; i++) {
            snprintf(guess, sizeof guess, names[i], overlay_dir, stem, base);
            if (stat(guess, &sb) == 0)
                path = guess;
        }
        if (!path) {
            snprintf(guess, sizeof guess, "%s/%s.page.png", overlay_dir, base);
            if (stat(guess, &sb) == 0)
                path = guess;
        }
    }
    if (!path)
        return PS_OK;
    char ext[8];
    ps_path_ext(path, ext, sizeof ext);
    if (strcmp(ext, "png"))
        return PS_OK;
    unsigned char *data;
    size_t len;
    if (ps_file_read_all(path, 64u << 20, &data, &len) != PS_OK)
        return PS_OK; /* an overlay is a nicety: its absence loses no measurement */
    ps_status rc = ps_store_attach(s, session, ps_path_basename(path), "image/png", data, len);
    ps_free(data);
    return rc;
}

typedef struct rec_ctx {
    ps_store_t *s;
    ps_child child;
    int32_t day;
    const char *note, *kind;
    cli_opts o;
    char date[16];
} rec_ctx;

/* The same input recorded for this child on another date is probably a
 * mistake (it would count twice in progress): say so, but record it, since
 * the therapist may mean it. */
static void warn_other_dates(rec_ctx *c, const ps_session_info *si)
{
    ps_session_info *all = NULL;
    size_t n = 0;
    if (c->o.quiet || ps_store_session_list(c->s, c->child.id, &all, &n) != PS_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (all[i].day != si->day && !strcmp(all[i].sha256, si->sha256) && !strcmp(all[i].kind, si->kind)) {
            char d[16];
            ps_date_format(all[i].day, d);
            fprintf(stderr, "penscope: warning: '%s' has the same content as '%s', recorded for %s on %s\n", si->file,
                    all[i].file, c->child.code, d);
            break;
        }
    }
    ps_free(all);
}

/* 0 stored, 1 skipped (already there), -1 failed */
static int record_one(rec_ctx *c, const char *path)
{
    const char *kind = c->kind ? c->kind : cli_kind_of(path);
    if (!kind) {
        cli_error("'%s': cannot tell what kind of input this is; give --kind", path);
        return -1;
    }
    ps_session_info si = {0};
    si.child_id = c->child.id;
    si.day = c->day;
    snprintf(si.kind, sizeof si.kind, "%s", kind);
    snprintf(si.file, sizeof si.file, "%s", ps_path_basename(path));
    if (c->note)
        snprintf(si.note, sizeof si.note, "%s", c->note);
    ps_error_clear();
    if (ps_sha256_file(path, si.sha256) != PS_OK) {
        cli_error("%s", ps_last_error());
        return -1;
    }
    int64_t sid;
    ps_status rc = ps_store_session_find(c->s, si.child_id, si.day, kind, si.sha256, &sid);
    if (rc == PS_OK) {
        if (!c->o.quiet)
            fprintf(stderr, "penscope: '%s' is already recorded for %s on %s, skipped\n", path, c->child.code,
                    c->date);
        return 1;
    }
    if (rc != PS_ERR_NOT_FOUND) {
        cli_error("%s", ps_store_errmsg(c->s));
        return -1;
    }
    warn_other_dates(c, &si);

    ps_buf out;
    ps_buf_init(&out);
    cli_analyse(kind, path, &c->o, &out);
    json_error_t jerr;
    json_t *rec = out.len ? json_loadb(out.data, out.len, 0, &jerr) : NULL;
    if (c->o.json && out.len) {
        fwrite(out.data, 1, out.len, stdout);
        fputc('\n', stdout);
    }
    ps_buf_release(&out);
    if (!json_is_object(rec)) {
        cli_error("'%s': the analyser gave no readable record", path);
        json_decref(rec);
        return -1;
    }
    if (!json_is_true(json_object_get(rec, "ok"))) {
        json_t *msg = json_object_get(json_object_get(rec, "error"), "message");
        cli_error("'%s': %s", path, json_is_string(msg) ? json_string_value(msg) : "analysis failed");
        json_decref(rec);
        return -1;
    }
    json_t *metrics = json_object_get(rec, "metrics"), *detail = json_object_get(rec, "detail");
    char *detail_s = json_is_object(detail) ? json_dumps(detail, JSON_COMPACT) : NULL;
    ps_buf opts;
    ps_buf_init(&opts);
    options_json(&c->o, kind, &opts);

    int count = 0, result = 0;
    rc = ps_store_begin(c->s);
    if (rc == PS_OK) {
        /* another process may have recorded it while we analysed */
        rc = ps_store_session_find(c->s, si.child_id, si.day, kind, si.sha256, &sid);
        if (rc == PS_OK) {
            result = 1;
            ps_store_rollback(c->s);
        } else if (rc == PS_ERR_NOT_FOUND) {
            rc = ps_store_session_add(c->s, &si, opts.data, detail_s, &sid);
            if (rc == PS_OK && json_is_object(metrics))
                rc = store_metrics(c->s, sid, metrics, detail, &count);
            json_t *warnings = json_object_get(rec, "warnings");
            if (rc == PS_OK && json_is_array(warnings) && json_array_size(warnings) > 0) {
                char *w = json_dumps(warnings, JSON_COMPACT);
                rc = w ? ps_store_session_set_warnings(c->s, sid, w) : PS_ERR_NOMEM;
                free(w);
            }
            if (rc == PS_OK)
                rc = attach_overlay(c->s, sid, rec, detail, path, c->o.overlay_dir);
            if (rc == PS_OK)
                rc = ps_store_commit(c->s);
            if (rc != PS_OK)
                ps_store_rollback(c->s);
        }
    }
    if (rc != PS_OK && result != 1) {
        cli_error("'%s': not recorded: %s", path, ps_store_errmsg(c->s));
        result = -1;
    } else if (result == 1) {
        if (!c->o.quiet)
            fprintf(stderr, "penscope: '%s' is already recorded for %s on %s, skipped\n", path, c->child.code,
                    c->date);
    } else if (!c->o.quiet && !c->o.json)
        printf("recorded %s for %s on %s: %d metrics\n", si.file, c->child.code, c->date, count);
    free(detail_s);
    ps_buf_release(&opts);
    json_decref(rec);
    return result;
}

int cmd_record(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", "models", "model", "pencil-mm", "dpi", "ruling-mm",
                                           "text", "seconds", "columns", "lpi", "fs", "overlay", NULL};
    rec_ctx c = {0};
    const char *db = NULL, *child = NULL, *date = NULL, *v;
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "date", 1, &date) < 0 || cli_take(&argc, argv, "note", 1, &c.note) < 0 ||
        cli_take(&argc, argv, "kind", 1, &c.kind) < 0)
        return CLI_EXIT_USAGE;
    (void)v;
    cli_opts_default(&c.o);
    int first = cli_parse(argc, argv, &c.o, accepted, usage);
    if (first == -2)
        return CLI_EXIT_OK;
    if (first < 0)
        return CLI_EXIT_USAGE;
    if (!child || first >= argc) {
        cli_error("record needs --child and at least one file\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    if (date) {
        if (ps_date_parse(date, &c.day) != PS_OK) {
            cli_error("%s", ps_last_error());
            return CLI_EXIT_USAGE;
        }
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        char today[16];
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        ps_date_parse(today, &c.day);
    }
    ps_date_format(c.day, c.date);
    if (c.kind && (strlen(c.kind) >= 16 || !*c.kind)) {
        cli_error("bad --kind '%s'", c.kind);
        return CLI_EXIT_USAGE;
    }
    c.s = cli_store_open(db, 0);
    if (!c.s)
        return CLI_EXIT_FAILED;
    if (ps_store_child_get(c.s, child, &c.child) != PS_OK) {
        cli_error("%s", ps_store_errmsg(c.s));
        ps_store_close(c.s);
        return CLI_EXIT_FAILED;
    }
    int failed = 0;
    for (int i = first; i < argc; i++)
        failed += record_one(&c, argv[i]) < 0;
    ps_store_close(c.s);
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
