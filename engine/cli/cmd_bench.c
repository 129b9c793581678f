/* penscope bench: runs an analyser over a recorded dataset and compares its
 * output with the dataset's labels (engine/assess/bench_labels.c reads the
 * CSV, bench_stats.c does the statistics): per-label accuracy and a
 * confusion matrix for categories, absolute errors and Bland-Altman limits
 * of agreement for numbers, and throughput (files/s, frames/s, latency
 * percentiles, peak memory). Files run through cli_analyse, i.e. exactly
 * what `penscope grip|page|ink` and `batch` run. */
#include "cli/cli.h"
#include "assess/bench_labels.h"
#include "assess/bench_stats.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/pool.h"
#include "core/status.h"
#include <ctype.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static const char usage[] =
    "usage: penscope bench [--labels FILE.csv] [--kind grip|page|ink] [--json] [--out RECORDS.jsonl]\n"
    "                      [-j N] [analyser options] DATASET_DIR\n"
    "\n"
    "Runs the analyser on every file of a labelled dataset and reports how its\n"
    "output agrees with the labels, and how fast it ran. The labels file\n"
    "(default DATASET_DIR/labels.csv) is a CSV: a 'file' column (paths relative\n"
    "to DATASET_DIR), an optional 'kind' column, and one column per label, named\n"
    "after a metric (e.g. grasp, slant_deg) or a screening rule NAME=METRIC OP N\n"
    "(e.g. dysgraphia=stops>=12, labels yes/no). Without a labels file every\n"
    "input in DATASET_DIR is run and only throughput is reported.\n"
    "\n"
    "  --labels FILE  the labels CSV (see README 'Benchmarking on a dataset')\n"
    "  --kind K       analyser for rows without a kind (default: from the file type;\n"
    "                 worksheet pages need --kind page or a kind column)\n"
    "  --json         the report as one JSON object\n"
    "  --out FILE     also write every file's JSON record there (JSON Lines)\n"
    "  -j N           files analysed at once (default 1, so latency is per file alone)\n"
    "analyser options, passed through: --models DIR --model full|lite --pencil-mm MM\n"
    "  --dpi N --ruling-mm MM --text T --seconds N --columns C --lpi N --fs HZ\n"
    "\n"
    "Exit code 0 when every file was analysed, 1 when some failed (they count as\n"
    "missing predictions) or the labels file is refused, 2 on usage errors.\n";

typedef struct entry {
    char *path;
    const char *kind;
    long row;        /* labels row, -1 when unlabelled */
    int ok;
    char *error;
    double seconds, frames;
    double *num;     /* per label column: numeric prediction or NAN */
    char **cat;      /* per label column: category prediction or NULL */
} entry;

typedef struct bench {
    const char *dir;
    cli_opts o;
    ps_bench_labels labels;
    entry *e;
    size_t n, cap;
    atomic_size_t next;
    FILE *records;
    pthread_mutex_t mu;
    atomic_int nomem; /* set by any worker */
} bench;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Categories compare case-blind, and yes/true, no/false are one answer. */
static char *canon(const char *s)
{
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "true"))
        s = "true";
    else if (!strcasecmp(s, "no") || !strcasecmp(s, "false"))
        s = "false";
    char *c = ps_strdup(s);
    for (char *p = c; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return c;
}

static int add_entry(bench *b, const char *path, const char *kind, long row)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        entry *e = ps_realloc(b->e, cap * sizeof *e);
        if (!e)
            return -1;
        b->e = e;
        b->cap = cap;
    }
    entry *e = &b->e[b->n];
    memset(e, 0, sizeof *e);
    e->path = ps_strdup(path);
    e->kind = kind;
    e->row = row;
    size_t k = b->labels.ncols;
    e->num = k ? ps_calloc(k, sizeof *e->num) : NULL;
    e->cat = k ? ps_calloc(k, sizeof *e->cat) : NULL;
    b->n++;
    if (!e->path || (k && (!e->num || !e->cat)))
        return -1;
    for (size_t i = 0; i < k; i++)
        e->num[i] = NAN;
    return 0;
}

/* ---- files without labels: every input of the kind under the folder ---- */

static bench *g_walk;
static const char *g_walk_kind;

static int walk_fn(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    const char *base = ps_path_basename(path);
    if (type == FTW_D && ftw->level > 0 && base[0] == '.')
        return FTW_SKIP_SUBTREE;
    if (type != FTW_F || base[0] == '.')
        return FTW_CONTINUE;
    ps_input_kind k = ps_input_kind_of(path);
    const char *kind = g_walk_kind ? g_walk_kind : cli_kind_of(path);
    if (!kind || (!strcmp(kind, "page") && k != PS_INPUT_IMAGE) ||
        (!strcmp(kind, "grip") && k != PS_INPUT_IMAGE && k != PS_INPUT_VIDEO) ||
        (!strcmp(kind, "ink") && k != PS_INPUT_INK))
        return FTW_CONTINUE;
    return add_entry(g_walk, path, kind, -1) < 0 ? FTW_STOP : FTW_CONTINUE;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* ---- running ---- */

/* What the record says for one label column. */
static void predict(const ps_bench_column *c, json_t *v, double *num, char **cat, atomic_int *nomem)
{
    double x = json_is_number(v) ? json_number_value(v) : json_is_boolean(v) ? (json_is_true(v) ? 1 : 0) : NAN;
    if (c->op != PS_BENCH_OP_NONE) {
        if (isfinite(x) && !(*cat = ps_strdup(ps_bench_rule_test(c, x) ? "yes" : "no")))
            *nomem = 1;
        return;
    }
    if (c->numeric) {
        *num = x;
        return;
    }
    char tmp[64];
    const char *s = NULL;
    if (json_is_string(v))
        s = json_string_value(v);
    else if (json_is_boolean(v))
        s = json_is_true(v) ? "true" : "false";
    else if (json_is_number(v) && isfinite(x)) {
        snprintf(tmp, sizeof tmp, "%.10g", x);
        s = tmp;
    }
    if (s && !(*cat = canon(s)))
        *nomem = 1;
}

static void run_one(bench *b, entry *e)
{
    ps_buf out;
    ps_buf_init(&out);
    double t0 = now_s();
    cli_analyse(e->kind, e->path, &b->o, &out);
    e->seconds = now_s() - t0;
    json_error_t err;
    json_t *rec = out.data ? json_loadb((const char *)out.data, out.len, 0, &err) : NULL;
    json_t *metrics = json_object_get(rec, "metrics");
    e->ok = json_is_true(json_object_get(rec, "ok"));
    if (!e->ok) {
        const char *msg = json_string_value(json_object_get(json_object_get(rec, "error"), "message"));
        e->error = ps_strdup(msg ? msg : rec ? "failed" : "the analyser wrote no readable record");
    } else {
        json_t *fr = json_object_get(metrics, "frames");
        e->frames = json_is_number(fr) ? json_number_value(fr) : strcmp(e->kind, "ink") ? 1 : 0;
        if (e->row >= 0)
            for (size_t k = 0; k < b->labels.ncols; k++)
                predict(&b->labels.col[k], json_object_get(metrics, b->labels.col[k].metric), &e->num[k],
                        &e->cat[k], &b->nomem);
    }
    json_decref(rec);
    if (b->records && out.data) {
        pthread_mutex_lock(&b->mu);
        fwrite(out.data, 1, out.len, b->records);
        fputc('\n', b->records);
        pthread_mutex_unlock(&b->mu);
    }
    ps_buf_release(&out);
}

static void worker(void *ctx, int ith, int nth)
{
    (void)ith;
    (void)nth;
    bench *b = ctx;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;)
        run_one(b, &b->e[i]);
}

/* ---- report ---- */

static void text_numeric(const ps_bench_column *c, const ps_bench_numeric *s, size_t labelled)
{
    printf("%s (number): %zu of %zu labelled files measured\n", c->name, s->n, labelled);
    if (s->n == 0)
        return;
    printf("  mean absolute error %.4g, median %.4g, max %.4g, RMSE %.4g\n", s->mae, s->median_ae, s->max_ae,
           s->rmse);
    if (s->n > 1)
        printf("  Bland-Altman: bias (penscope - label) %+.4g, limits of agreement %+.4g to %+.4g (bias -/+ 1.96 SD, "
               "SD %.4g)\n",
               s->bias, s->loa_low, s->loa_high, s->sd);
    else
        printf("  bias (penscope - label) %+.4g; limits of agreement need 2 files\n", s->bias);
}

/* A screening rule's sensitivity (recall of yes) and specificity (recall of no). */
static void rule_rates(const ps_bench_confusion *m, double *sens, double *spec)
{
    *sens = *spec = NAN;
    for (size_t i = 0; i < m->k; i++) {
        if (!strcmp(m->names[i], "yes"))
            *sens = ps_bench_recall(m, i);
        else if (!strcmp(m->names[i], "no"))
            *spec = ps_bench_recall(m, i);
    }
}

static void text_category(const ps_bench_column *c, const ps_bench_confusion *m)
{
    printf("%s (category%s): accuracy %.1f%% (%zu of %zu)", c->name, c->op ? ", screening rule" : "",
           100 * ps_bench_accuracy(m), m->correct, m->n);
    double kappa = ps_bench_kappa(m);
    if (isfinite(kappa))
        printf(", Cohen's kappa %.3f", kappa);
    printf("\n  confusion (rows: label, columns: penscope)\n  %-18s", "");
    for (size_t j = 0; j < m->k; j++)
        printf(" %12.12s", m->names[j]);
    printf("   recall\n");
    for (size_t i = 0; i < m->k; i++) {
        double r = ps_bench_recall(m, i);
        if (isnan(r))
            continue; /* a class only penscope said */
        printf("  %-18.18s", m->names[i]);
        for (size_t j = 0; j < m->k; j++)
            printf(" %12zu", ps_bench_confusion_at(m, i, j));
        printf("   %5.1f%%\n", 100 * r);
    }
    printf("  %-18s", "precision");
    for (size_t j = 0; j < m->k; j++) {
        double p = ps_bench_precision(m, j);
        if (isnan(p))
            printf(" %12s", "-");
        else
            printf(" %11.1f%%", 100 * p);
    }
    printf("\n");
    if (c->op) { /* a screening rule: recall of yes and of no */
        double sens, spec;
        rule_rates(m, &sens, &spec);
        printf("  sensitivity %.1f%%, specificity %.1f%% (%s %s %g)\n", 100 * sens, 100 * spec, c->metric,
               c->op == PS_BENCH_GE ? ">=" : c->op == PS_BENCH_GT ? ">" : c->op == PS_BENCH_LE ? "<=" : "<",
               c->threshold);
    }
}

static void json_numeric(ps_json *j, const ps_bench_numeric *s, size_t labelled)
{
    ps_json_kstr(j, "type", "number");
    ps_json_kint(j, "labelled", (int64_t)labelled);
    ps_json_kint(j, "n", (int64_t)s->n);
    ps_json_kint(j, "missing", (int64_t)(labelled - s->n));
    ps_json_knum(j, "mae", s->mae);
    ps_json_knum(j, "median_ae", s->median_ae);
    ps_json_knum(j, "max_ae", s->max_ae);
    ps_json_knum(j, "rmse", s->rmse);
    ps_json_knum(j, "bias", s->bias);
    ps_json_knum(j, "sd", s->sd);
    ps_json_knum(j, "loa_low", s->loa_low);
    ps_json_knum(j, "loa_high", s->loa_high);
}

static void json_category(ps_json *j, const ps_bench_column *c, const ps_bench_confusion *m)
{
    ps_json_kstr(j, "type", c->op ? "rule" : "category");
    ps_json_kint(j, "n", (int64_t)m->n);
    ps_json_kint(j, "correct", (int64_t)m->correct);
    ps_json_knum(j, "accuracy", ps_bench_accuracy(m));
    ps_json_knum(j, "kappa", ps_bench_kappa(m));
    ps_json_key(j, "classes");
    ps_json_arr_begin(j);
    for (size_t i = 0; i < m->k; i++)
        ps_json_str(j, m->names[i]);
    ps_json_arr_end(j);
    ps_json_key(j, "confusion");
    ps_json_arr_begin(j);
    for (size_t i = 0; i < m->k; i++) {
        ps_json_arr_begin(j);
        for (size_t k = 0; k < m->k; k++)
            ps_json_int(j, (int64_t)ps_bench_confusion_at(m, i, k));
        ps_json_arr_end(j);
    }
    ps_json_arr_end(j);
    ps_json_key(j, "recall");
    ps_json_arr_begin(j);
    for (size_t i = 0; i < m->k; i++)
        ps_json_num(j, ps_bench_recall(m, i));
    ps_json_arr_end(j);
    ps_json_key(j, "precision");
    ps_json_arr_begin(j);
    for (size_t i = 0; i < m->k; i++)
        ps_json_num(j, ps_bench_precision(m, i));
    ps_json_arr_end(j);
    if (c->op) {
        double sens, spec;
        rule_rates(m, &sens, &spec);
        ps_json_knum(j, "sensitivity", sens);
        ps_json_knum(j, "specificity", spec);
    }
}

/* Statistics of every label column, printed or written as JSON. */
static int report_labels(bench *b, ps_json *j)
{
    ps_bench_labels *L = &b->labels;
    double *truth = ps_malloc((b->n ? b->n : 1) * sizeof *truth);
    double *pred = ps_malloc((b->n ? b->n : 1) * sizeof *pred);
    int rc = truth && pred ? 0 : -1;
    if (j) {
        ps_json_key(j, "labels");
        ps_json_obj_begin(j);
    }
    for (size_t k = 0; rc == 0 && k < L->ncols; k++) {
        const ps_bench_column *c = &L->col[k];
        if (j) {
            ps_json_key(j, c->name);
            ps_json_obj_begin(j);
            ps_json_kstr(j, "metric", c->metric);
        }
        if (c->numeric) {
            size_t m = 0;
            for (size_t i = 0; i < b->n; i++) {
                const char *s = b->e[i].row >= 0 ? L->cell[(size_t)b->e[i].row * L->ncols + k] : NULL;
                if (s) {
                    truth[m] = strtod(s, NULL);
                    pred[m++] = b->e[i].num[k];
                }
            }
            ps_bench_numeric st;
            if (ps_bench_numeric_stats(truth, pred, m, &st) != PS_OK)
                rc = -1;
            else if (j)
                json_numeric(j, &st, m);
            else
                text_numeric(c, &st, m);
        } else {
            ps_bench_confusion cm;
            ps_bench_confusion_init(&cm);
            for (size_t i = 0; rc == 0 && i < b->n; i++) {
                const char *s = b->e[i].row >= 0 ? L->cell[(size_t)b->e[i].row * L->ncols + k] : NULL;
                if (!s)
                    continue;
                char *t = c->op ? ps_strdup(s) : canon(s);
                if (!t || ps_bench_confusion_add(&cm, t, b->e[i].cat[k]) != PS_OK)
                    rc = -1;
                ps_free(t);
            }
            if (rc == 0 && j)
                json_category(j, c, &cm);
            else if (rc == 0 && cm.n)
                text_category(c, &cm);
            else if (rc == 0)
                printf("%s: no labelled file\n", c->name);
            ps_bench_confusion_release(&cm);
        }
        if (j)
            ps_json_obj_end(j);
    }
    if (j)
        ps_json_obj_end(j);
    ps_free(truth);
    ps_free(pred);
    return rc;
}

/* Latency percentiles of the files of one kind (all kinds when NULL);
 * returns the file count. */
static size_t kind_latency(const bench *b, const char *kind, double *scratch, double *p50, double *p95)
{
    size_t m = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!kind || !strcmp(b->e[i].kind, kind))
            scratch[m++] = b->e[i].seconds;
    *p50 = ps_bench_percentile(scratch, m, 50);
    *p95 = ps_bench_percentile(scratch, m, 95);
    return m;
}

static const char *const kinds[] = {"grip", "page", "ink", "selftest"};

int cmd_bench(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", "threads", "models", "model", "pencil-mm", "dpi",
                                           "ruling-mm", "text", "seconds", "columns", "lpi", "fs", NULL};
    bench b;
    memset(&b, 0, sizeof b);
    const char *labels_path = NULL, *kind = NULL, *out_path = NULL;
    if (cli_take(&argc, argv, "labels", 1, &labels_path) < 0 || cli_take(&argc, argv, "kind", 1, &kind) < 0 ||
        cli_take(&argc, argv, "out", 1, &out_path) < 0)
        return CLI_EXIT_USAGE;
    cli_opts_default(&b.o);
    int first = cli_parse(argc, argv, &b.o, accepted, usage);
    if (first == -2)
        return CLI_EXIT_OK;
    if (first < 0)
        return CLI_EXIT_USAGE;
    if (argc - first != 1) {
        cli_error("bench takes one dataset folder\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    if (kind && strcmp(kind, "grip") && strcmp(kind, "page") && strcmp(kind, "ink")) {
        cli_error("--kind takes grip, page or ink, not '%s'", kind);
        return CLI_EXIT_USAGE;
    }
    b.dir = argv[first];
    struct stat sb;
    if (stat(b.dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        cli_error("'%s' is not a folder", b.dir);
        return CLI_EXIT_USAGE;
    }
    int threads = b.o.threads > 0 ? b.o.threads : 1;
    char default_labels[4200];
    snprintf(default_labels, sizeof default_labels, "%s/labels.csv", b.dir);
    if (!labels_path && stat(default_labels, &sb) == 0)
        labels_path = default_labels;

    int rc = CLI_EXIT_FAILED;
    unsigned char *text = NULL;
    size_t len = 0;
    if (labels_path) {
        if (ps_file_read_all(labels_path, 64u << 20, &text, &len) != PS_OK ||
            ps_bench_labels_parse((const char *)text, len, &b.labels) != PS_OK) {
            cli_error("%s", ps_last_error());
            goto end;
        }
        for (size_t i = 0; i < b.labels.nrows; i++) {
            const char *f = b.labels.file[i], *k = b.labels.kind[i] ? b.labels.kind[i] : kind;
            char path[8192];
            snprintf(path, sizeof path, "%s%s%s", f[0] == '/' ? "" : b.dir, f[0] == '/' ? "" : "/", f);
            if (!k)
                k = cli_kind_of(path);
            if (!k) {
                cli_error("%s line %zu: no kind for '%s': add a kind column or --kind", labels_path,
                          b.labels.line[i], f);
                goto end;
            }
            if (add_entry(&b, path, k, (long)i) < 0) {
                cli_error("out of memory");
                goto end;
            }
        }
    } else {
        g_walk = &b;
        g_walk_kind = kind;
        if (nftw(b.dir, walk_fn, 32, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
            cli_error("cannot read folder '%s'", b.dir);
            goto end;
        }
        if (b.n > 1)
            qsort(b.e, b.n, sizeof *b.e, cmp_entry);
    }
    if (b.n == 0) {
        cli_error("no inputs in '%s'", b.dir);
        goto end;
    }
    if (out_path && !(b.records = ps_file_create_private(out_path, "w"))) {
        cli_error("cannot create '%s'", out_path);
        goto end;
    }

    pthread_mutex_init(&b.mu, NULL);
    ps_pool *pool = NULL;
    if ((size_t)threads > b.n)
        threads = (int)b.n;
    if (ps_pool_new(threads, &pool) != PS_OK) {
        cli_error("%s", ps_last_error());
        goto end;
    }
    double t0 = now_s();
    ps_pool_run(pool, worker, &b);
    double wall = now_s() - t0;
    ps_pool_free(pool);
    pthread_mutex_destroy(&b.mu);
    if (b.records && fclose(b.records) != 0) {
        b.records = NULL;
        cli_error("cannot write '%s'", out_path);
        goto end;
    }
    b.records = NULL;
    if (b.nomem) {
        cli_error("out of memory");
        goto end;
    }

    size_t failed = 0;
    double frames = 0;
    double *lat = ps_malloc(b.n * sizeof *lat);
    if (!lat) {
        cli_error("out of memory");
        goto end;
    }
    for (size_t i = 0; i < b.n; i++) {
        failed += !b.e[i].ok;
        frames += b.e[i].frames;
    }
    double p50, p95;
    kind_latency(&b, NULL, lat, &p50, &p95);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss_mb = ru.ru_maxrss / 1024.0; /* Linux: kilobytes */

    int stats_rc;
    if (b.o.json) {
        cli_record r; /* only for its buffer and writer */
        ps_buf_init(&r.buf);
        ps_json_init(&r.j, &r.buf);
        ps_json *j = &r.j;
        ps_json_obj_begin(j);
        ps_json_kstr(j, "dataset", b.dir);
        ps_json_kstr(j, "labels_file", labels_path);
        ps_json_kint(j, "files", (int64_t)b.n);
        ps_json_kint(j, "failed", (int64_t)failed);
        ps_json_key(j, "failures");
        ps_json_arr_begin(j);
        for (size_t i = 0; i < b.n; i++)
            if (!b.e[i].ok) {
                ps_json_obj_begin(j);
                ps_json_kstr(j, "file", b.e[i].path);
                ps_json_kstr(j, "error", b.e[i].error);
                ps_json_obj_end(j);
            }
        ps_json_arr_end(j);
        stats_rc = report_labels(&b, j);
        ps_json_key(j, "throughput");
        ps_json_obj_begin(j);
        ps_json_kint(j, "threads", threads);
        ps_json_knum(j, "seconds", wall);
        ps_json_knum(j, "files_per_s", wall > 0 ? b.n / wall : NAN);
        ps_json_knum(j, "frames", frames);
        ps_json_knum(j, "frames_per_s", wall > 0 && frames > 0 ? frames / wall : NAN);
        ps_json_knum(j, "latency_p50_s", p50);
        ps_json_knum(j, "latency_p95_s", p95);
        ps_json_knum(j, "peak_rss_mb", rss_mb);
        ps_json_key(j, "by_kind");
        ps_json_obj_begin(j);
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            double k50, k95;
            size_t m = kind_latency(&b, kinds[k], lat, &k50, &k95);
            if (!m)
                continue;
            ps_json_key(j, kinds[k]);
            ps_json_obj_begin(j);
            ps_json_kint(j, "files", (int64_t)m);
            ps_json_knum(j, "latency_p50_s", k50);
            ps_json_knum(j, "latency_p95_s", k95);
            ps_json_obj_end(j);
        }
        ps_json_obj_end(j);
        ps_json_obj_end(j);
        ps_json_obj_end(j);
        if (stats_rc == 0)
            cli_record_emit(&r, stdout);
        else
            cli_record_release(&r);
    } else {
        printf("dataset %s: %zu files, %zu failed%s%s\n", b.dir, b.n, failed, labels_path ? ", labels " : "",
               labels_path ? labels_path : "");
        for (size_t i = 0; i < b.n; i++)
            if (!b.e[i].ok)
                printf("  failed: %s: %s\n", b.e[i].path, b.e[i].error);
        stats_rc = report_labels(&b, NULL);
        printf("throughput (%d thread%s): %.2f files/s", threads, threads > 1 ? "s" : "", wall > 0 ? b.n / wall : 0);
        if (frames > 0)
            printf(", %.2f frames/s", wall > 0 ? frames / wall : 0);
        printf(" (%zu files in %.2f s); latency p50 %.1f ms, p95 %.1f ms; peak memory %.0f MB\n", b.n, wall,
               1e3 * p50, 1e3 * p95, rss_mb);
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
            double k50, k95;
            size_t m = kind_latency(&b, kinds[k], lat, &k50, &k95);
            if (m && m < b.n)
                printf("  %-8s %5zu files: latency p50 %.1f ms, p95 %.1f ms\n", kinds[k], m, 1e3 * k50, 1e3 * k95);
        }
    }
    ps_free(lat);
    if (stats_rc != 0) {
        cli_error("out of memory");
        goto end;
    }
    rc = failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
end:
    if (b.records)
        fclose(b.records);
    for (size_t i = 0; i < b.n; i++) {
        ps_free(b.e[i].path);
        ps_free(b.e[i].error);
        for (size_t k = 0; k < b.labels.ncols; k++)
            ps_free(b.e[i].cat ? b.e[i].cat[k] : NULL);
        ps_free(b.e[i].cat);
        ps_free(b.e[i].num);
    }
    ps_free(b.e);
    ps_bench_labels_release(&b.labels);
    ps_free(text);
    return rc;
}
