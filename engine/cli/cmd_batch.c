/* penscope batch: many inputs through one analyser on a thread pool. Records
 * go out as JSON Lines (or flattened to CSV) as each file finishes, flushed
 * line by line, so an interrupted run loses at most the line being written;
 * --resume reads what is there, drops a torn last line and skips finished
 * files. --shard I/N takes every N-th file of the sorted list, so N machines
 * share a stack without talking to each other; `penscope merge` joins them. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/json.h"
#include "core/pool.h"
#include "core/status.h"
#include "store/records.h"
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: penscope batch [--kind grip|page|ink] [-j N] [--out FILE.jsonl|FILE.csv] [--resume]\n"
    "                      [--shard I/N] [analyser options] DIR|LIST|FILE...\n"
    "\n"
    "Analyses every input on N threads (default: all cores). A DIR is searched\n"
    "recursively for inputs of the kind; a LIST (FILE.list, FILE.lst, or '-' for\n"
    "standard input) names one input per line. Without --kind the kind comes from\n"
    "each file's type (photos and videos: grip, pen recordings: ink).\n"
    "\n"
    "  --out FILE     JSON Lines (.jsonl) or CSV (.csv, metrics as columns);\n"
    "                 default: JSON Lines on standard output\n"
    "  --resume       continue an interrupted run: files already in --out are\n"
    "                 skipped (an existing --out is otherwise refused)\n"
    "  --shard I/N    only the I-th of N shares (1 <= I <= N) of the sorted file list\n"
    "  -j N           files analysed at once (each analysis uses one thread)\n"
    "  -q, --quiet    no progress display\n"
    "analyser options, passed through: --models DIR --model full|lite --pencil-mm MM\n"
    "  --dpi N --ruling-mm MM --text T --seconds N --columns C --lpi N --fs HZ --overlay DIR\n"
    "\n"
    "A file that fails is reported (its record has \"ok\": false) and skipped;\n"
    "the exit code is then 1. Example Slurm array, one shard per task:\n"
    "  #SBATCH --array=1-8\n"
    "  penscope batch --kind page --shard $SLURM_ARRAY_TASK_ID/8 --resume \\\n"
    "      --out pages.$SLURM_ARRAY_TASK_ID.jsonl scans/\n"
    "  # afterwards: penscope merge --out pages.jsonl pages.*.jsonl\n";

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static int strlist_add(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **p = ps_realloc(l->v, ncap * sizeof *p);
        if (!p)
            return -1;
        l->v = p;
        l->cap = ncap;
    }
    if (!(l->v[l->n] = ps_strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        ps_free(l->v[i]);
    ps_free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Does a file found in a folder belong to this batch? */
static int wanted(const char *path, const char *kind)
{
    const char *base = ps_path_basename(path);
    if (base[0] == '.')
        return 0;
    if (!kind)
        return cli_kind_of(path) != NULL;
    ps_input_kind k = ps_input_kind_of(path);
    if (!strcmp(kind, "grip"))
        return k == PS_INPUT_IMAGE || k == PS_INPUT_VIDEO;
    if (!strcmp(kind, "page"))
        return k == PS_INPUT_IMAGE;
    if (!strcmp(kind, "ink"))
        return k == PS_INPUT_INK;
    return 1; /* a kind penscope does not sort by type: take every file */
}

static strlist *g_walk_list;
static const char *g_walk_kind;
static int g_walk_failed;

static int walk_fn(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    if (type == FTW_D && ftw->level > 0 && ps_path_basename(path)[0] == '.')
        return FTW_SKIP_SUBTREE; /* hidden folders (.git, .cache) */
    if (type == FTW_F && wanted(path, g_walk_kind) && strlist_add(g_walk_list, path) < 0)
        g_walk_failed = 1;
    return g_walk_failed ? FTW_STOP : FTW_CONTINUE;
}

static int is_list_file(const char *p)
{
    char ext[8];
    ps_path_ext(p, ext, sizeof ext);
    return !strcmp(p, "-") || !strcmp(ext, "list") || !strcmp(ext, "lst");
}

static int read_list(const char *p, strlist *out)
{
    FILE *f = strcmp(p, "-") ? fopen(p, "r") : stdin;
    if (!f) {
        cli_error("cannot open list '%s': %s", p, strerror(errno));
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = 0;
        if (n == 0 || line[0] == '#')
            continue;
        if (strlist_add(out, line) < 0) {
            rc = -1;
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    return rc;
}

static int collect(char **args, int n, const char *kind, strlist *out)
{
    for (int i = 0; i < n; i++) {
        struct stat sb;
        if (is_list_file(args[i])) {
            if (read_list(args[i], out) < 0)
                return -1;
        } else if (stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            g_walk_list = out;
            g_walk_kind = kind;
            g_walk_failed = 0;
            if (nftw(args[i], walk_fn, 32, FTW_PHYS | FTW_ACTIONRETVAL) != 0 || g_walk_failed) {
                cli_error("cannot read folder '%s'", args[i]);
                return -1;
            }
        } else if (strlist_add(out, args[i]) < 0)
            return -1;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_str);
    size_t k = 0; /* the same file named twice runs once */
    for (size_t i = 0; i < out->n; i++) {
        if (k && !strcmp(out->v[k - 1], out->v[i]))
            ps_free(out->v[i]);
        else
            out->v[k++] = out->v[i];
    }
    out->n = k;
    return 0;
}

/* ---- output: JSON Lines or CSV ---- */

typedef struct batch {
    strlist files;
    const char *kind;
    cli_opts o;
    FILE *out;
    int csv;
    const ps_metric_info **cols;
    size_t ncols;
    atomic_size_t next;
    pthread_mutex_t mu;
    size_t done, failed, total;
    double t0, last_draw;
    int tty;
    ps_buf unknown_seen; /* metric names not in the CSV columns, warned once */
} batch;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void csv_field(ps_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        ps_buf_puts(b, s);
        return;
    }
    ps_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ps_buf_putc(b, '"');
        ps_buf_putc(b, *s);
    }
    ps_buf_putc(b, '"');
}

static void csv_header(batch *b, ps_buf *o)
{
    ps_buf_puts(o, "file,kind,ok,error");
    for (size_t i = 0; i < b->ncols; i++) {
        ps_buf_putc(o, ',');
        ps_buf_puts(o, b->cols[i]->name);
    }
    ps_buf_putc(o, '\n');
}

/* One record as a CSV row; called under the lock (warns about extras once). */
static void csv_row(batch *b, const char *path, const char *kind, const char *rec, size_t len, ps_buf *o)
{
    json_error_t err;
    json_t *r = json_loadb(rec, len, 0, &err);
    json_t *ok = json_object_get(r, "ok"), *metrics = json_object_get(r, "metrics");
    csv_field(o, path);
    ps_buf_putc(o, ',');
    csv_field(o, kind);
    ps_buf_puts(o, json_is_true(ok) ? ",true," : ",false,");
    json_t *msg = json_object_get(json_object_get(r, "error"), "message");
    if (!json_is_true(ok))
        csv_field(o, json_is_string(msg) ? json_string_value(msg) : "no record");
    for (size_t i = 0; i < b->ncols; i++) {
        ps_buf_putc(o, ',');
        json_t *v = json_object_get(metrics, b->cols[i]->name);
        if (json_is_number(v))
            ps_buf_printf(o, "%.10g", json_number_value(v));
        else if (json_is_boolean(v))
            ps_buf_puts(o, json_is_true(v) ? "true" : "false");
        else if (json_is_string(v))
            csv_field(o, json_string_value(v));
    }
    ps_buf_putc(o, '\n');
    const char *name;
    json_t *v;
    json_object_foreach(metrics, name, v)
    {
        size_t i = 0;
        while (i < b->ncols && strcmp(b->cols[i]->name, name))
            i++;
        if (i < b->ncols)
            continue;
        char key[80];
        snprintf(key, sizeof key, "\n%s\n", name);
        if (b->unknown_seen.len && strstr(b->unknown_seen.data, key))
            continue;
        ps_buf_puts(&b->unknown_seen, key);
        fprintf(stderr, "%spenscope: metric '%s' is not in METRICS.md: left out of the CSV (it is in --out .jsonl)\n",
                b->tty ? "\r\033[K" : "", name);
    }
    json_decref(r);
}

static void draw_progress(batch *b, int final)
{
    double t = now_s(), el = t - b->t0;
    if (!final && t - b->last_draw < (b->tty ? 0.1 : 5.0))
        return;
    b->last_draw = t;
    double rate = el > 0 ? b->done / el : 0;
    double eta = rate > 0 ? (b->total - b->done) / rate : 0;
    if (b->tty) {
        int width = 30, fill = b->total ? (int)(width * b->done / b->total) : width;
        char bar[64];
        for (int i = 0; i < width; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[width] = 0;
        fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.1f files/s  ETA %d:%02d", bar, b->done, b->total, rate,
                (int)eta / 60, (int)eta % 60);
        if (b->failed)
            fprintf(stderr, "  %zu failed", b->failed);
        if (final)
            fputc('\n', stderr);
    } else if (!final)
        fprintf(stderr, "penscope batch: %zu/%zu files, %.1f/s, eta %.0f s\n", b->done, b->total, rate, eta);
}

static void worker(void *ctx, int ith, int nth)
{
    (void)ith;
    (void)nth;
    batch *b = ctx;
    ps_buf rec, line;
    ps_buf_init(&rec);
    ps_buf_init(&line);
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->files.n)
            break;
        const char *path = b->files.v[i];
        const char *kind = b->kind ? b->kind : cli_kind_of(path);
        ps_buf_reset(&rec);
        ps_buf_reset(&line);
        ps_status rc;
        ps_error_clear();
        if (kind)
            rc = cli_analyse(kind, path, &b->o, &rec);
        else {
            cli_record r;
            rc = PS_ERR_UNSUPPORTED;
            cli_record_fail(&r, path, "unknown", rc, "cannot tell what kind of input this is; give --kind");
            ps_buf_append(&rec, r.buf.data, r.buf.len);
            cli_record_release(&r);
        }
        if (rec.len == 0 || rec.failed) { /* an analyser must always leave a record */
            cli_record r;
            ps_buf_reset(&rec);
            cli_record_fail(&r, path, kind ? kind : "unknown", PS_ERR_INTERNAL, "the analyser wrote no record");
            ps_buf_append(&rec, r.buf.data, r.buf.len);
            cli_record_release(&r);
            rc = PS_ERR_INTERNAL;
        }
        pthread_mutex_lock(&b->mu);
        if (b->csv)
            csv_row(b, path, kind ? kind : "unknown", rec.data, rec.len, &line);
        else {
            ps_buf_append(&line, rec.data, rec.len);
            ps_buf_putc(&line, '\n');
        }
        /* one write and a flush per record: a kill leaves at most a torn last line */
        fwrite(line.data, 1, line.len, b->out);
        fflush(b->out);
        b->done++;
        if (rc != PS_OK) {
            b->failed++;
            json_error_t err;
            json_t *r = json_loadb(rec.data, rec.len, 0, &err);
            json_t *msg = json_object_get(json_object_get(r, "error"), "message");
            fprintf(stderr, "%spenscope: '%s': %s\n", b->tty ? "\r\033[K" : "", path,
                    json_is_string(msg) ? json_string_value(msg) : "analysis failed");
            json_decref(r);
        }
        if (!b->o.quiet)
            draw_progress(b, 0);
        pthread_mutex_unlock(&b->mu);
    }
    ps_buf_release(&rec);
    ps_buf_release(&line);
}

/* ---- resume: what an earlier run already finished ---- */

/* Reads the finished files of an existing output and cuts a torn last line
 * off. Returns 0, or -1 after printing an error. *had_header for CSV. */
static int load_done(const char *path, int csv, strlist *done, int *had_header, ps_buf *header)
{
    *had_header = 0;
    FILE *f = fopen(path, "r+");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        cli_error("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    ps_records_reader rd;
    ps_status st = ps_records_init(&rd, f, csv ? PS_RECORDS_CSV : PS_RECORDS_JSONL, 0);
    int rc = 0;
    while (rc == 0 && st == PS_OK && (st = ps_records_next(&rd)) == PS_OK) {
        if (rd.is_header) {
            *had_header = !strncmp(rd.data, "file,kind,ok,error", 18);
            ps_buf_append(header, rd.data, rd.len);
            if (!*had_header) {
                cli_error("'%s' is not a penscope batch CSV", path);
                rc = -1;
            }
        } else if (strlist_add(done, rd.file) < 0)
            rc = -1;
    }
    if (st == PS_ERR_CORRUPT) {
        cli_error("'%s' has a line that is not a batch record; not resuming into it", path);
        rc = -1;
    } else if (st != PS_OK && st != PS_DONE) {
        cli_error("'%s': %s", path, st == PS_ERR_NOMEM ? "out of memory" : ps_last_error());
        rc = -1;
    }
    /* a torn last record (an interrupted run) is cut off: that file is redone */
    if (rc == 0 && ftruncate(fileno(f), (off_t)rd.end_ok) != 0) {
        cli_error("cannot trim '%s': %s", path, strerror(errno));
        rc = -1;
    }
    ps_records_release(&rd);
    fclose(f);
    if (rc == 0 && done->n > 1)
        qsort(done->v, done->n, sizeof *done->v, cmp_str);
    return rc;
}

/* Is path among the finished files? JSON output holds a name that was not
 * valid UTF-8 with U+FFFD in place of the bad bytes (CSV holds the bytes),
 * so the name is compared in the form the output holds. */
static int already_done(const strlist *done, const char *path, int csv, ps_buf *name)
{
    const char *key = path;
    if (!done->n)
        return 0;
    if (!csv) {
        ps_buf_reset(name);
        ps_json_decoded_text(name, path, strlen(path));
        ps_buf_putc(name, 0);
        if (!name->failed)
            key = name->data;
    }
    return bsearch(&key, done->v, done->n, sizeof *done->v, cmp_str) != NULL;
}

static int parse_shard(const char *s, int *i, int *n)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (end == t || *end || b < 1 || b > 1000000 || a < 1 || a > b)
        return -1;
    *i = (int)a;
    *n = (int)b;
    return 0;
}

int cmd_batch(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", "threads", "models", "model", "pencil-mm", "dpi",
                                           "ruling-mm", "text", "seconds", "columns", "lpi", "fs", "overlay",
                                           NULL};
    batch b;
    memset(&b, 0, sizeof b);
    const char *out = NULL, *shard = NULL, *v;
    int resume;
    if (cli_take(&argc, argv, "kind", 1, &b.kind) < 0 || cli_take(&argc, argv, "out", 1, &out) < 0 ||
        cli_take(&argc, argv, "shard", 1, &shard) < 0 || (resume = cli_take(&argc, argv, "resume", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    cli_opts_default(&b.o);
    int first = cli_parse(argc, argv, &b.o, accepted, usage);
    if (first == -2)
        return CLI_EXIT_OK;
    if (first < 0)
        return CLI_EXIT_USAGE;
    if (first >= argc) {
        cli_error("batch needs a folder, a list or files\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    int si = 1, sn = 1;
    if (shard && parse_shard(shard, &si, &sn) < 0) {
        cli_error("--shard takes I/N with 1 <= I <= N, not '%s'", shard);
        return CLI_EXIT_USAGE;
    }
    if (resume && !out) {
        cli_error("--resume needs --out");
        return CLI_EXIT_USAGE;
    }
    if (out) {
        char ext[8];
        ps_path_ext(out, ext, sizeof ext);
        b.csv = !strcmp(ext, "csv");
        if (!b.csv && strcmp(ext, "jsonl") && strcmp(ext, "json")) {
            cli_error("--out takes FILE.jsonl or FILE.csv, not '%s'", out);
            return CLI_EXIT_USAGE;
        }
        struct stat sb;
        if (!resume && stat(out, &sb) == 0) {
            cli_error("'%s' exists: add --resume to continue it, or remove it", out);
            return CLI_EXIT_USAGE;
        }
    }

    strlist all = {0}, done = {0};
    ps_buf old_header; /* an existing CSV's header, when resuming */
    ps_buf_init(&old_header);
    int rc = CLI_EXIT_FAILED;
    if (collect(argv + first, argc - first, b.kind, &all) < 0)
        goto end;
    /* the shard: every sn-th file of the sorted list, from the si-th */
    for (size_t i = 0; i < all.n; i++) {
        if ((int)(i % (size_t)sn) != si - 1)
            continue;
        if (strlist_add(&b.files, all.v[i]) < 0)
            goto end;
    }
    int had_header = 0;
    size_t skipped = 0;
    if (resume) {
        int bad = load_done(out, b.csv, &done, &had_header, &old_header) < 0;
        if (bad)
            goto end;
        size_t k = 0;
        ps_buf name;
        ps_buf_init(&name);
        for (size_t i = 0; i < b.files.n; i++) {
            if (already_done(&done, b.files.v[i], b.csv, &name)) {
                ps_free(b.files.v[i]);
                skipped++;
            } else
                b.files.v[k++] = b.files.v[i];
        }
        ps_buf_release(&name);
        b.files.n = k;
    }
    b.total = b.files.n;

    if (b.csv) { /* the columns: METRICS.md's metrics of the kind, in its order */
        const ps_metric_info *mi;
        size_t nall = 0;
        while (ps_metric_at(nall))
            nall++;
        b.cols = ps_calloc(nall ? nall : 1, sizeof *b.cols);
        if (!b.cols)
            goto end;
        for (size_t i = 0; (mi = ps_metric_at(i)); i++)
            if (b.kind && strstr(mi->kind, b.kind))
                b.cols[b.ncols++] = mi;
        if (b.ncols == 0) /* no kind, or a kind with no table of its own: all of them */
            for (size_t i = 0; (mi = ps_metric_at(i)); i++)
                b.cols[b.ncols++] = mi;
    }
    if (b.csv && had_header) { /* resuming must not mix columns of another kind */
        ps_buf h;
        ps_buf_init(&h);
        csv_header(&b, &h);
        int same = h.len == old_header.len && !memcmp(h.data, old_header.data, h.len);
        ps_buf_release(&h);
        if (!same) {
            cli_error("'%s' has other columns (another --kind?); not resuming into it", out);
            rc = CLI_EXIT_USAGE;
            goto end;
        }
    }
    b.out = out ? ps_file_create_private(out, "a") : stdout;
    if (!b.out) {
        cli_error("%s", ps_last_error());
        goto end;
    }
    if (b.csv && !had_header) {
        ps_buf h;
        ps_buf_init(&h);
        csv_header(&b, &h);
        fwrite(h.data, 1, h.len, b.out);
        fflush(b.out);
        ps_buf_release(&h);
    }
    b.tty = isatty(2) && !b.o.quiet;
    if (!b.o.quiet && (skipped || sn > 1))
        fprintf(stderr, "penscope batch: %zu files%s, %zu already done\n", b.total + skipped,
                sn > 1 ? " in this shard" : "", skipped);
    pthread_mutex_init(&b.mu, NULL);
    ps_buf_init(&b.unknown_seen);
    ps_pool *pool = NULL;
    int nthreads = b.o.threads > 0 ? b.o.threads : ps_cpu_count();
    if ((size_t)nthreads > b.files.n)
        nthreads = b.files.n ? (int)b.files.n : 1;
    /* the parallelism is across files: each analysis runs on its own thread
     * only, so N jobs never become N x cores threads */
    b.o.threads = 1;
    if (ps_pool_new(nthreads, &pool) != PS_OK) {
        cli_error("%s", ps_last_error());
        pthread_mutex_destroy(&b.mu);
        ps_buf_release(&b.unknown_seen);
        if (b.out != stdout)
            fclose(b.out);
        goto end;
    }
    b.t0 = now_s();
    ps_pool_run(pool, worker, &b);
    ps_pool_free(pool);
    double el = now_s() - b.t0;
    if (b.tty)
        draw_progress(&b, 1);
    if (!b.o.quiet)
        fprintf(stderr, "penscope batch: %zu files in %.1f s (%.1f files/s, %d threads), %zu failed\n", b.done, el,
                el > 0 ? b.done / el : 0, nthreads, b.failed);
    pthread_mutex_destroy(&b.mu);
    ps_buf_release(&b.unknown_seen);
    rc = b.failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
    int write_failed = ferror(b.out) != 0;
    if (b.out != stdout && fclose(b.out) != 0)
        write_failed = 1;
    if (write_failed) {
        cli_error("cannot write '%s'", out);
        rc = CLI_EXIT_FAILED;
    }
end:
    ps_buf_release(&old_header);
    strlist_free(&all);
    strlist_free(&done);
    strlist_free(&b.files);
    ps_free(b.cols);
    return rc;
}
